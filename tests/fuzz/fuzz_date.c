/*
 * fuzz_date.c - dates, month periods, timestamps and holiday tables:
 * ms_date_parse(), ms_date_parse_period() (src/core/date.h),
 * ms_clock_parse() (src/core/clock.h) and ms_calendar_load() (date.h).
 *
 * The whole input goes to each parser (they all take one C string).
 * Invariants: a parsed date or period formats back to exactly the input
 * (the forms are strict); a parsed timestamp has one of the three documented
 * shapes, formats and parses back to the same instant, and a 24-character
 * one formats back to the input; a loaded calendar is sorted with each date
 * once, and its working-day arithmetic is self-consistent.
 */
#include "core/clock.h"
#include "core/date.h"
#include "fuzz.h"

#include "core/banned.h"

/* 1 if text matches pattern, where '9' stands for any ASCII digit. */
static int shaped(const char *text, const char *pattern)
{
    size_t n = strlen(pattern);
    if (strlen(text) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (pattern[i] == '9' ? !(text[i] >= '0' && text[i] <= '9') : text[i] != pattern[i])
            return 0;
    }
    return 1;
}

static void check_dates(const char *text)
{
    int32_t d = 0;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_date_parse(text, &d, &err);
    if (rc == 0) {
        FUZZ_CHECK(d >= MS_DATE_MIN && d <= MS_DATE_MAX);
        char buf[MS_DATE_BUF];
        ms_date_format(d, buf);
        FUZZ_CHECK(strcmp(buf, text) == 0);
        int y, m, dd;
        ms_date_to_ymd(d, &y, &m, &dd);
        int32_t back = 0;
        FUZZ_CHECK(ms_date_from_ymd(y, m, dd, &back) == 0 && back == d);
        int wd = ms_date_weekday(d);
        FUZZ_CHECK(wd >= 1 && wd <= 7);
        FUZZ_CHECK(ms_date_month_start(d) <= d && d <= ms_date_month_end(d));
    } else {
        FUZZ_CHECK(rc == MS_EFIELD && err.code == rc && strcmp(err.field, "date") == 0);
    }

    int32_t first = 0;
    struct ms_err err2 = MS_ERR_INIT;
    rc = ms_date_parse_period(text, &first, &err2);
    if (rc == 0) {
        FUZZ_CHECK(first >= MS_DATE_MIN && first <= MS_DATE_MAX);
        FUZZ_CHECK(ms_date_month_start(first) == first);
        char buf[MS_PERIOD_BUF];
        ms_date_format_period(first, buf);
        FUZZ_CHECK(strcmp(buf, text) == 0);
    } else {
        FUZZ_CHECK(rc < 0 && err2.code == rc && strcmp(err2.field, "period") == 0);
    }
}

static void check_clock(const char *text)
{
    int64_t ms = 0;
    if (ms_clock_parse(text, &ms) != 0)
        return;
    int ok = shaped(text, "9999-99-99T99:99:99.999Z") || shaped(text, "9999-99-99T99:99:99Z") ||
             shaped(text, "9999-99-99");
    if (!ok)
        fprintf(stderr, "ms_clock_parse accepted '%s' (%lld)\n", text, (long long)ms);
    FUZZ_CHECK(ok);
    char buf[32];
    ms_clock_format(ms, buf);
    FUZZ_CHECK(strlen(buf) == MS_TS_LEN);
    int64_t back = -1;
    FUZZ_CHECK(ms_clock_parse(buf, &back) == 0 && back == ms);
    if (strlen(text) == MS_TS_LEN) {
        if (strcmp(buf, text) != 0)
            fprintf(stderr, "ms_clock_parse('%s') formats back as '%s'\n", text, buf);
        FUZZ_CHECK(strcmp(buf, text) == 0);
    }
}

static void check_calendar(const char *text)
{
    struct ms_calendar cal = MS_CALENDAR_INIT;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_calendar_load(&cal, text, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == MS_EINVAL && err.code == rc);
        FUZZ_CHECK(cal.entries == NULL && cal.count == 0);
        return;
    }
    for (size_t i = 0; i < cal.count; i++) {
        const struct ms_calendar_entry *e = &cal.entries[i];
        FUZZ_CHECK(i == 0 || cal.entries[i - 1].date < e->date);
        FUZZ_CHECK(e->date >= MS_DATE_MIN && e->date <= MS_DATE_MAX);
        size_t nl = strnlen(e->name, MS_CALENDAR_NAME_MAX);
        FUZZ_CHECK(nl >= 1 && nl < MS_CALENDAR_NAME_MAX);
        FUZZ_CHECK(ms_calendar_covers(&cal, e->date));
        FUZZ_CHECK(ms_calendar_day_name(&cal, e->date) == e->name);
        int wd = ms_date_weekday(e->date);
        if (e->is_workday) {
            FUZZ_CHECK(wd >= 6);
            FUZZ_CHECK(ms_calendar_is_workday(&cal, e->date));
        } else {
            FUZZ_CHECK(!ms_calendar_is_workday(&cal, e->date));
        }
        if (i >= 8)
            continue; /* the arithmetic below is O(log n), but keep runs quick */
        for (int n = -3; n <= 3; n++) {
            int32_t t = ms_calendar_add_workdays(&cal, e->date, n);
            FUZZ_CHECK(t >= MS_DATE_MIN && t <= MS_DATE_MAX);
            FUZZ_CHECK(n == 0 ? t == e->date : (n > 0 ? t > e->date : t < e->date));
            /* date.h promises the round trip for n >= 0 (a is excluded). */
            if (n >= 0 && t < MS_DATE_MAX)
                FUZZ_CHECK(ms_calendar_workdays_between(&cal, e->date, t) == n);
            if (n > 0)
                FUZZ_CHECK(ms_calendar_is_workday(&cal, t));
            int between = ms_calendar_workdays_between(&cal, t, e->date);
            FUZZ_CHECK(between == -ms_calendar_workdays_between(&cal, e->date, t));
        }
    }
    if (cal.count > 0)
        FUZZ_CHECK(cal.first_covered <= cal.entries[0].date &&
                   cal.entries[cal.count - 1].date <= cal.last_covered);
    ms_calendar_release(&cal);
    FUZZ_CHECK(cal.entries == NULL && cal.count == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    check_dates(text);
    check_clock(text);
    check_calendar(text);
    free(text);
    return 0;
}
