/*
 * clock.c - timestamps. Uses gmtime_r/timegm, never the static-buffer
 * variants (banned.h).
 */
#include "clock.h"

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

int ms_clock_parse(const char *text, int64_t *ms_out)
{
    struct tm tm;
    int milli = 0, n = 0;
    memset(&tm, 0, sizeof(tm));
    size_t len = strlen(text);
    if (len == 10) {
        if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10)
            return -1;
    } else if (len == 20 || len == 24) {
        if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
            return -1;
        if (len == 24) {
            if (text[19] != '.' || sscanf(text + 20, "%3d", &milli) != 1)
                return -1;
        }
        if (text[len - 1] != 'Z')
            return -1;
    } else {
        return -1;
    }
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
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
