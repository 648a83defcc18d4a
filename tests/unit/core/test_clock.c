/*
 * test_clock.c - src/core/clock.c: the timestamp text form, its round trip,
 * and refusal of malformed or impossible times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"

#include "core/banned.h"

static int64_t parse_ok(const char *text)
{
    int64_t ms = -42;
    assert_int_equal(ms_clock_parse(text, &ms), 0);
    return ms;
}

static void assert_format(int64_t ms, const char *want)
{
    char buf[MS_TS_LEN + 1];
    ms_clock_format(ms, buf);
    assert_string_equal(buf, want);
    assert_int_equal(strlen(buf), MS_TS_LEN);
}

static void test_clock_format_writes_utc_with_milliseconds(void **state)
{
    (void)state;
    assert_format(0, "1970-01-01T00:00:00.000Z");
    assert_format(1795923497123LL, "2026-11-29T03:38:17.123Z");
    assert_format(951782400000LL, "2000-02-29T00:00:00.000Z");
}

static void test_clock_format_handles_times_before_1970(void **state)
{
    (void)state;
    assert_format(-1, "1969-12-31T23:59:59.999Z");
    assert_format(-86400000LL, "1969-12-31T00:00:00.000Z");
}

static void test_clock_format_and_parse_round_trip(void **state)
{
    (void)state;
    const int64_t values[] = {
        0,  1,     999,  1000, 946684799999LL, 946684800000LL, 1795923497123LL, 4102444799999LL,
        -1, -1000, -1001};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char buf[MS_TS_LEN + 1];
        ms_clock_format(values[i], buf);
        assert_true(parse_ok(buf) == values[i]);
    }
}

static void test_clock_parse_accepts_the_three_forms(void **state)
{
    (void)state;
    assert_true(parse_ok("2026-11-29T03:38:17.123Z") == 1795923497123LL);
    assert_true(parse_ok("2026-11-29T03:38:17Z") == 1795923497000LL);
    assert_true(parse_ok("2026-11-29") == 1795910400000LL);
    assert_true(parse_ok("1999-12-31T23:59:59.999Z") + 1 == parse_ok("2000-01-01"));
}

static void test_clock_parse_refuses_invalid_dates(void **state)
{
    (void)state;
    const char *bad[] = {"2026-02-30",           "2025-02-29",          "2100-02-29",
                         "2026-13-01",           "2026-00-01",          "2026-04-31T00:00:00Z",
                         "2026-11-29T24:00:00Z", "2026-11-29T23:60:00Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t ms = 7;
        assert_int_equal(ms_clock_parse(bad[i], &ms), -1);
        assert_true(ms == 7);
    }
    int64_t ms;
    assert_int_equal(ms_clock_parse("2024-02-29", &ms), 0);
    assert_int_equal(ms_clock_parse("2000-02-29", &ms), 0);
}

static void test_clock_parse_refuses_other_forms(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "2026-11-29T03:38:17",
                         "2026-11-29T03:38:17.123",
                         "2026-11-29T03:38:17+08:00",
                         "2026-11-29 03:38:17Z",
                         "2026/11/29",
                         "2026-11-29T03:38:17.12Z",
                         "2026-11-29T03:38:17,123Z",
                         "20261129"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t ms = 7;
        assert_int_equal(ms_clock_parse(bad[i], &ms), -1);
    }
}

/* Found by tests/fuzz/fuzz_date.c: sscanf's %d took signs and spaces. */
static void test_clock_parse_refuses_signs_spaces_and_second_60(void **state)
{
    int64_t ms;
    (void)state;
    const char *bad[] = {"2026-11-29T03:38:17.-12Z", "+026-11-29", "2026-11-29T23:+9:59Z",
                         "2026-10- 1", "2026-1-11", "   6-10-01", "2036-01-+1",
                         "2026-11-29T23:59:60Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(ms_clock_parse(bad[i], &ms), -1);
    assert_int_equal(ms_clock_parse("2026-11-29T23:59:59.999Z", &ms), 0);
}

static void test_clock_today_cst_is_a_date(void **state)
{
    (void)state;
    char buf[11];
    ms_clock_today_cst(buf);
    assert_int_equal(strlen(buf), 10);
    assert_int_equal(buf[4], '-');
    assert_int_equal(buf[7], '-');
    parse_ok(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_format_writes_utc_with_milliseconds),
        cmocka_unit_test(test_clock_format_handles_times_before_1970),
        cmocka_unit_test(test_clock_format_and_parse_round_trip),
        cmocka_unit_test(test_clock_parse_accepts_the_three_forms),
        cmocka_unit_test(test_clock_parse_refuses_invalid_dates),
        cmocka_unit_test(test_clock_parse_refuses_other_forms),
        cmocka_unit_test(test_clock_parse_refuses_signs_spaces_and_second_60),
        cmocka_unit_test(test_clock_today_cst_is_a_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
