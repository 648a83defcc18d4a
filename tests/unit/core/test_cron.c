/*
 * test_cron.c - src/core/cron.c: what five-field schedules accept and
 * refuse, and the next minute they name in China time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"
#include "core/cron.h"

#include "core/banned.h"

#define CST 480

/* The next run after `after` (a UTC timestamp) as a UTC timestamp. */
static void assert_next(const char *schedule, const char *after, const char *want)
{
    struct ms_cron c;
    struct ms_err err = MS_ERR_INIT;
    int64_t t, next = 0;
    char buf[MS_TS_LEN + 1];
    if (ms_cron_parse(schedule, &c, &err) != 0)
        fail_msg("%s: %s", schedule, err.message);
    assert_int_equal(ms_clock_parse(after, &t), 0);
    assert_int_equal(ms_cron_next(&c, t, CST, &next), 0);
    ms_clock_format(next, buf);
    if (strcmp(buf, want) != 0)
        fail_msg("%s after %s: got %s, want %s", schedule, after, buf, want);
}

static void assert_refused(const char *schedule, const char *fragment)
{
    struct ms_cron c;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_cron_parse(schedule, &c, &err), MS_EFIELD);
    assert_string_equal(err.field, "schedule");
    if (!strstr(err.message, fragment))
        fail_msg("%s: message \"%s\" lacks \"%s\"", schedule, err.message, fragment);
    assert_true(err.message_zh[0] != '\0');
}

static void test_cron_daily_runs_at_the_china_hour(void **state)
{
    (void)state;
    /* 02:00 in China is 18:00 UTC the day before. */
    assert_next("0 2 * * *", "2026-11-29T09:00:00Z", "2026-11-29T18:00:00.000Z");
    assert_next("0 2 * * *", "2026-11-29T17:59:59.999Z", "2026-11-29T18:00:00.000Z");
    /* Strictly after: at the very minute, the next day's. */
    assert_next("0 2 * * *", "2026-11-29T18:00:00Z", "2026-11-30T18:00:00.000Z");
}

static void test_cron_monthly_and_steps(void **state)
{
    (void)state;
    /* The 5th of each month at 03:30 China time. */
    assert_next("30 3 5 * *", "2026-11-29T09:00:00Z", "2026-12-04T19:30:00.000Z");
    /* Every 15 minutes; 5/15 means 5,20,35,50. */
    assert_next("*/15 * * * *", "2026-11-29T09:01:00Z", "2026-11-29T09:15:00.000Z");
    assert_next("5/15 * * * *", "2026-11-29T09:21:00Z", "2026-11-29T09:35:00.000Z");
    /* 8-18/5 is 8, 13 and 18 o'clock: after 13:00 China (05:00 UTC), 18:00. */
    assert_next("0 8-18/5 * * *", "2026-11-29T05:00:00Z", "2026-11-29T10:00:00.000Z");
    /* Lists, and the year turning. */
    assert_next("0 0 1 1,7 *", "2026-11-29T09:00:00Z", "2026-12-31T16:00:00.000Z");
}

static void test_cron_day_fields_follow_vixie_cron(void **state)
{
    (void)state;
    /* Mondays only (2026-11-30 is a Monday). */
    assert_next("0 9 * * 1", "2026-11-29T09:00:00Z", "2026-11-30T01:00:00.000Z");
    /* 7 is Sunday as well as 0 (2026-12-06 is a Sunday). */
    assert_next("0 9 * * 7", "2026-11-30T09:00:00Z", "2026-12-06T01:00:00.000Z");
    assert_next("0 9 * * 0", "2026-11-30T09:00:00Z", "2026-12-06T01:00:00.000Z");
    /* Both restricted: the 1st of the month or a Friday, whichever comes first. */
    assert_next("0 9 1 * 5", "2026-11-29T09:00:00Z", "2026-12-01T01:00:00.000Z");
    assert_next("0 9 1 * 5", "2026-12-01T09:00:00Z", "2026-12-04T01:00:00.000Z");
    /* 29 February waits for a leap year. */
    assert_next("0 0 29 2 *", "2026-11-29T09:00:00Z", "2028-02-28T16:00:00.000Z");
}

static void test_cron_never_is_reported(void **state)
{
    (void)state;
    struct ms_cron c;
    int64_t next = 0;
    assert_int_equal(ms_cron_parse("0 0 31 2 *", &c, NULL), 0);
    assert_int_equal(ms_cron_next(&c, 0, CST, &next), -1);
}

static void test_cron_refuses_what_it_does_not_mean(void **state)
{
    (void)state;
    assert_refused("", "five fields");
    assert_refused("0 2 * *", "five fields");
    assert_refused("0 2 * * * *", "found more");
    assert_refused("60 * * * *", "minute field: value out of range");
    assert_refused("0 24 * * *", "hour field");
    assert_refused("0 0 0 * *", "day of month field");
    assert_refused("0 0 * 13 *", "month field");
    assert_refused("0 0 * * 8", "day of week field");
    assert_refused("0 0 * JAN *", "month field");
    assert_refused("0 0 ? * MON", "day of month field");
    assert_refused("*/0 * * * *", "step must be a positive number");
    assert_refused("5- * * * *", "upper bound");
    assert_refused("10-5 * * * *", "out of range");
    assert_refused("1,,2 * * * *", "minute field");
    assert_refused("1, * * * *", "empty list item");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron_daily_runs_at_the_china_hour),
        cmocka_unit_test(test_cron_monthly_and_steps),
        cmocka_unit_test(test_cron_day_fields_follow_vixie_cron),
        cmocka_unit_test(test_cron_never_is_reported),
        cmocka_unit_test(test_cron_refuses_what_it_does_not_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
