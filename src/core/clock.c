/*
 * clock.c - timestamps. Uses gmtime_r/timegm, never the static-buffer
 * variants (banned.h).
 */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "banned.h"

int64_t ms_clock_now_ms(void)
{
    static int64_t fake = -1;
    if (fake == -1) {
        const char *f = getenv("MS_FAKE_NOW_MS");
        fake = f && *f ? strtoll(f, NULL, 10) : 0;
    }
    if (fake > 0)
        return fake;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double ms_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void ms_clock_format(int64_t ms, char *buf)
{
    time_t secs = (time_t)(ms / 1000);
    int milli = (int)(ms % 1000);
    if (milli < 0) {
        milli += 1000;
        secs -= 1;
    }
    struct tm tm;
    gmtime_r(&secs, &tm);
    char tmp[96]; /* roomy: gcc cannot prove the fields are small */
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
    memcpy(buf, tmp, MS_TS_LEN);
    buf[MS_TS_LEN] = '\0';
}

/* 1 if text has exactly the shape of pattern, where '9' stands for an ASCII
 * digit: sscanf's %d alone would also take spaces and signs ("2026-1-01",
 * "+026-11-29", ".-12Z"; found by tests/fuzz/fuzz_date.c). */
static int has_shape(const char *text, const char *pattern)
{
    for (; *pattern; text++, pattern++) {
        if (*pattern == '9' ? !isdigit((unsigned char)*text) : *text != *pattern)
            return 0;
    }
    return *text == '\0';
}

int ms_clock_parse(const char *text, int64_t *ms_out)
{
    struct tm tm;
    int milli = 0;
    memset(&tm, 0, sizeof(tm));
    if (has_shape(text, "9999-99-99")) {
        sscanf(text, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    } else if (has_shape(text, "9999-99-99T99:99:99Z") ||
               has_shape(text, "9999-99-99T99:99:99.999Z")) {
        sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec);
        if (text[19] == '.')
            sscanf(text + 20, "%3d", &milli);
    } else {
        return -1;
    }
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
        return -1;
    int year = tm.tm_year, mon = tm.tm_mon, day = tm.tm_mday;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t secs = timegm(&tm);
    /* timegm normalises 31 February into March; refuse such dates. */
    struct tm back;
    gmtime_r(&secs, &back);
    if (back.tm_year + 1900 != year || back.tm_mon + 1 != mon || back.tm_mday != day)
        return -1;
    *ms_out = (int64_t)secs * 1000 + milli;
    return 0;
}

void ms_clock_today_cst(char *buf)
{
    time_t secs = (time_t)(ms_clock_now_ms() / 1000) + 8 * 3600;
    struct tm tm;
    gmtime_r(&secs, &tm);
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
}
