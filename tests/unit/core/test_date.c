/*
 * test_date.c - src/core/date.c: day numbers, strict ISO text, month
 * arithmetic, ages, periods, and the working-day calendar with the shipped
 * 2025-2026 State Council holiday table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

#include "core/banned.h"

static int32_t D(int y, int m, int d)
{
    int32_t out = 0;
    assert_int_equal(ms_date_from_ymd(y, m, d, &out), 0);
    return out;
}

static int32_t P(const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    int32_t out = 0;
    assert_int_equal(ms_date_parse(text, &out, &err), 0);
    return out;
}

static void assert_date(int32_t date, const char *want)
{
    char buf[MS_DATE_BUF];
    ms_date_format(date, buf);
    assert_string_equal(buf, want);
}

static void assert_parse_refused(const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    int32_t out = 12345;
    assert_int_equal(ms_date_parse(text, &out, &err), MS_EFIELD);
    assert_string_equal(err.field, "date");
    assert_true(err.message[0] != '\0');
    assert_true(err.message_zh[0] != '\0');
    assert_int_equal(out, 12345);
}

/* --- day numbers --------------------------------------------------------- */

static void test_date_epoch_and_range_ends_have_known_numbers(void **state)
{
    (void)state;
    assert_int_equal(D(1970, 1, 1), 0);
    assert_int_equal(D(1969, 12, 31), -1);
    assert_int_equal(D(1, 1, 1), MS_DATE_MIN);
    assert_int_equal(D(9999, 12, 31), MS_DATE_MAX);
    assert_int_equal(D(2026, 11, 29), 20786);
    assert_int_equal(D(2000, 1, 1), 10957);
}

static void test_date_round_trips_every_day_from_1880_to_2200(void **state)
{
    (void)state;
    int32_t d = D(1880, 1, 1);
    for (int y = 1880; y <= 2200; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int day = 1; day <= ms_date_days_in_month(y, m); day++, d++) {
                int32_t got = 0;
                int yy, mm, dd;
                assert_int_equal(ms_date_from_ymd(y, m, day, &got), 0);
                assert_int_equal(got, d);
                ms_date_to_ymd(d, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, day);
            }
        }
    }
}

static void test_date_leap_years_follow_gregorian_rules(void **state)
{
    (void)state;
    assert_true(ms_date_is_leap_year(2024));
    assert_true(ms_date_is_leap_year(2000));
    assert_false(ms_date_is_leap_year(2100));
    assert_false(ms_date_is_leap_year(1900));
    assert_false(ms_date_is_leap_year(2025));
    assert_int_equal(ms_date_days_in_month(2024, 2), 29);
    assert_int_equal(ms_date_days_in_month(2000, 2), 29);
    assert_int_equal(ms_date_days_in_month(2100, 2), 28);
    assert_int_equal(ms_date_days_in_month(2026, 13), 0);
    int32_t out;
    assert_int_equal(ms_date_from_ymd(2100, 2, 29, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(2000, 2, 29, &out), 0);
    assert_int_equal(D(2024, 3, 1) - D(2024, 2, 28), 2);
    assert_int_equal(D(2100, 3, 1) - D(2100, 2, 28), 1);
}

static void test_date_from_ymd_refuses_impossible_dates(void **state)
{
    (void)state;
    int32_t out = 7;
    assert_int_equal(ms_date_from_ymd(2026, 2, 30, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(2026, 4, 31, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(2026, 0, 1, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(2026, 1, 0, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(0, 1, 1, &out), MS_EINVAL);
    assert_int_equal(ms_date_from_ymd(10000, 1, 1, &out), MS_EINVAL);
    assert_int_equal(out, 7);
}

static void test_date_1999_12_31_is_followed_by_2000_01_01(void **state)
{
    (void)state;
    assert_date(P("1999-12-31") + 1, "2000-01-01");
    assert_date(P("2000-01-01") - 1, "1999-12-31");
    assert_date(P("2024-02-28") + 1, "2024-02-29");
    assert_date(P("2100-02-28") + 1, "2100-03-01");
}

static void test_date_weekday_is_iso_monday_one(void **state)
{
    (void)state;
    assert_int_equal(ms_date_weekday(0), 4);               /* 1970-01-01 Thursday */
    assert_int_equal(ms_date_weekday(-1), 3);              /* Wednesday */
    assert_int_equal(ms_date_weekday(P("2026-11-29")), 7); /* Sunday */
    assert_int_equal(ms_date_weekday(P("2026-11-30")), 1); /* Monday */
    assert_int_equal(ms_date_weekday(P("2000-01-01")), 6); /* Saturday */
    assert_int_equal(ms_date_weekday(P("1900-01-01")), 1); /* Monday */
    assert_int_equal(ms_date_weekday(MS_DATE_MIN), 1);     /* 0001-01-01 Monday */
}

/* --- text ----------------------------------------------------------------- */

static void test_date_parse_accepts_strict_iso(void **state)
{
    (void)state;
    assert_int_equal(P("2026-11-29"), 20786);
    assert_int_equal(P("0001-01-01"), MS_DATE_MIN);
    assert_int_equal(P("9999-12-31"), MS_DATE_MAX);
    assert_int_equal(P("2024-02-29"), 19782);
}

static void test_date_parse_rejects_2026_02_30(void **state)
{
    (void)state;
    assert_parse_refused("2026-02-30");
    assert_parse_refused("2025-02-29");
    assert_parse_refused("2100-02-29");
    assert_parse_refused("2026-13-01");
    assert_parse_refused("2026-00-10");
    assert_parse_refused("2026-04-31");
    assert_parse_refused("0000-01-01");
    struct ms_err err = MS_ERR_INIT;
    int32_t out;
    ms_date_parse("2026-02-30", &out, &err);
    assert_non_null(strstr(err.message, "does not exist"));
    assert_non_null(strstr(err.message_zh, "不存在"));
}

static void test_date_parse_rejects_unpadded_fields(void **state)
{
    (void)state;
    assert_parse_refused("2026-1-5");
    assert_parse_refused("2026-01-5");
    assert_parse_refused("26-01-05");
    assert_parse_refused("02026-01-05");
}

static void test_date_parse_rejects_trailing_junk_and_other_forms(void **state)
{
    (void)state;
    assert_parse_refused("2026-11-29x");
    assert_parse_refused("2026-11-29 ");
    assert_parse_refused(" 2026-11-29");
    assert_parse_refused("2026-11-29T00:00:00Z");
    assert_parse_refused("2026/11/29");
    assert_parse_refused("20261129");
    assert_parse_refused("2026-1a-29");
    assert_parse_refused("");
    struct ms_err err = MS_ERR_INIT;
    int32_t out;
    ms_date_parse("2026/11/29", &out, &err);
    assert_non_null(strstr(err.message, "YYYY-MM-DD"));
    assert_non_null(strstr(err.message_zh, "YYYY-MM-DD"));
    ms_err_init(&err);
    ms_date_parse("2026-11-2\n", &out, &err);
    assert_null(strchr(err.message, '\n')); /* never echoes control bytes */
}

static void test_date_format_pads_and_marks_out_of_range(void **state)
{
    (void)state;
    assert_date(0, "1970-01-01");
    assert_date(MS_DATE_MIN, "0001-01-01");
    assert_date(MS_DATE_MAX, "9999-12-31");
    assert_date(P("2026-01-05"), "2026-01-05");
    assert_date(MS_DATE_MAX + 1, "0000-00-00");
    assert_date(MS_DATE_MIN - 1, "0000-00-00");
}

/* --- months, ages, periods ----------------------------------------------- */

static void assert_add_months(const char *from, int months, const char *want)
{
    int32_t out = 0;
    assert_int_equal(ms_date_add_months(P(from), months, &out), 0);
    assert_date(out, want);
}

static void test_date_add_months_clamps_to_month_end(void **state)
{
    (void)state;
    assert_add_months("2025-01-31", 1, "2025-02-28");
    assert_add_months("2024-01-31", 1, "2024-02-29");
    assert_add_months("2026-03-31", -1, "2026-02-28");
    assert_add_months("2026-05-31", 1, "2026-06-30");
    assert_add_months("2024-02-29", 12, "2025-02-28");
    assert_add_months("2024-02-29", 48, "2028-02-29");
}

static void test_date_add_months_crosses_years_both_ways(void **state)
{
    (void)state;
    assert_add_months("2026-12-15", 1, "2027-01-15");
    assert_add_months("2026-01-15", -1, "2025-12-15");
    assert_add_months("2026-11-29", 0, "2026-11-29");
    assert_add_months("2026-11-29", -24, "2024-11-29");
    assert_add_months("2026-11-29", 13, "2027-12-29");
}

static void test_date_add_months_refuses_leaving_the_range(void **state)
{
    (void)state;
    int32_t out = 5;
    assert_int_equal(ms_date_add_months(P("9999-12-01"), 1, &out), MS_EINVAL);
    assert_int_equal(ms_date_add_months(P("0001-01-31"), -1, &out), MS_EINVAL);
    assert_int_equal(ms_date_add_months(0, 2000000000, &out), MS_EINVAL);
    assert_int_equal(out, 5);
}

static void test_date_age_on_counts_full_years(void **state)
{
    (void)state;
    int32_t birth = P("1948-03-15");
    assert_int_equal(ms_date_age_on(birth, P("2026-03-14")), 77);
    assert_int_equal(ms_date_age_on(birth, P("2026-03-15")), 78);
    assert_int_equal(ms_date_age_on(birth, P("2026-12-31")), 78);
    assert_int_equal(ms_date_age_on(birth, birth), 0);
    assert_int_equal(ms_date_age_on(P("2008-11-29"), P("2026-11-28")), 17);
    assert_int_equal(ms_date_age_on(P("2008-11-29"), P("2026-11-29")), 18);
}

static void test_date_age_on_feb_29_birthday_completes_on_mar_1_in_common_years(void **state)
{
    (void)state;
    int32_t birth = P("2008-02-29");
    assert_int_equal(ms_date_age_on(birth, P("2026-02-28")), 17);
    assert_int_equal(ms_date_age_on(birth, P("2026-03-01")), 18);
    assert_int_equal(ms_date_age_on(birth, P("2028-02-28")), 19);
    assert_int_equal(ms_date_age_on(birth, P("2028-02-29")), 20);
}

static void test_date_age_on_refuses_a_day_before_birth(void **state)
{
    (void)state;
    assert_int_equal(ms_date_age_on(P("2026-01-02"), P("2026-01-01")), MS_EINVAL);
}

static void test_date_month_start_and_end(void **state)
{
    (void)state;
    assert_date(ms_date_month_start(P("2026-11-29")), "2026-11-01");
    assert_date(ms_date_month_end(P("2026-11-29")), "2026-11-30");
    assert_date(ms_date_month_end(P("2024-02-10")), "2024-02-29");
    assert_date(ms_date_month_end(P("2100-02-10")), "2100-02-28");
    assert_date(ms_date_month_start(P("2026-01-01")), "2026-01-01");
}

static void test_date_period_parses_and_formats_months(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    int32_t first = 0;
    char buf[MS_PERIOD_BUF];
    assert_int_equal(ms_date_parse_period("2026-11", &first, &err), 0);
    assert_date(first, "2026-11-01");
    ms_date_format_period(P("2026-11-29"), buf);
    assert_string_equal(buf, "2026-11");
    ms_date_format_period(P("1999-12-31"), buf);
    assert_string_equal(buf, "1999-12");
}

static void test_date_period_rejects_other_forms(void **state)
{
    (void)state;
    const char *bad[] = {"2026-1",  "2026-13",  "2026-00", "2026-11-01", "202611",
                         "2026/11", "2026-11 ", "",        "0000-01"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        int32_t first = 3;
        assert_int_equal(ms_date_parse_period(bad[i], &first, &err), MS_EFIELD);
        assert_string_equal(err.field, "period");
        assert_true(err.message_zh[0] != '\0');
        assert_int_equal(first, 3);
    }
}

static void test_date_from_unix_ms_uses_the_zone_offset(void **state)
{
    (void)state;
    assert_int_equal(ms_date_from_unix_ms(0, 0), 0);
    assert_int_equal(ms_date_from_unix_ms(-1, 0), -1);
    /* 2026-11-28T16:00:00Z is already 2026-11-29 in Beijing. */
    int64_t ms = (int64_t)P("2026-11-28") * 86400000 + 16LL * 3600000;
    assert_date(ms_date_from_unix_ms(ms, 0), "2026-11-28");
    assert_date(ms_date_from_unix_ms(ms, 480), "2026-11-29");
    assert_date(ms_date_from_unix_ms(ms - 1, 480), "2026-11-28");
}

static void test_date_today_cst_follows_the_fake_clock(void **state)
{
    (void)state;
    /* 2026-11-28T16:00:00Z is midnight of 2026-11-29 in Beijing. The clock
     * reads MS_FAKE_NOW_MS once, and nothing earlier in this program read it. */
    setenv("MS_FAKE_NOW_MS", "1795881600000", 1);
    assert_date(ms_date_today_cst(), "2026-11-29");
}

/* --- calendar ------------------------------------------------------------- */

static int setup_default(void **state)
{
    static struct ms_calendar cal;
    struct ms_err err = MS_ERR_INIT;
    if (ms_calendar_load_default(&cal, &err) < 0)
        return -1;
    *state = &cal;
    return 0;
}

static int teardown_cal(void **state)
{
    ms_calendar_release(*state);
    return 0;
}

static void test_calendar_default_table_loads_2025_and_2026(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_int_equal(cal->count, 71);
    assert_date(cal->first_covered, "2025-01-01");
    assert_date(cal->last_covered, "2026-12-31");
    assert_true(ms_calendar_covers(cal, P("2025-06-01")));
    assert_true(ms_calendar_covers(cal, P("2026-12-31")));
    assert_false(ms_calendar_covers(cal, P("2027-01-01")));
    assert_false(ms_calendar_covers(cal, P("2024-12-31")));
    assert_int_equal(strncmp(ms_calendar_cn_text, "# calendar_cn.txt", 17), 0);
}

static void test_calendar_default_entries_are_sorted_and_make_up_days_are_weekends(void **state)
{
    const struct ms_calendar *cal = *state;
    size_t workdays = 0;
    for (size_t i = 0; i < cal->count; i++) {
        if (i)
            assert_true(cal->entries[i - 1].date < cal->entries[i].date);
        if (cal->entries[i].is_workday) {
            workdays++;
            assert_true(ms_date_weekday(cal->entries[i].date) >= 6);
        }
    }
    assert_int_equal(workdays, 10);
}

static void test_calendar_make_up_saturday_counts_as_working_day(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_true(ms_calendar_is_workday(cal, P("2026-02-14")));  /* Saturday, 调休 */
    assert_true(ms_calendar_is_workday(cal, P("2026-02-28")));  /* Saturday, 调休 */
    assert_true(ms_calendar_is_workday(cal, P("2025-01-26")));  /* Sunday, 调休 */
    assert_false(ms_calendar_is_workday(cal, P("2026-02-21"))); /* ordinary Saturday */
    assert_false(ms_calendar_is_workday(cal, P("2026-03-07"))); /* ordinary Saturday */
    assert_string_equal(ms_calendar_day_name(cal, P("2026-02-14")), "春节调休上班");
}

static void test_calendar_holidays_on_weekdays_are_days_off(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_false(ms_calendar_is_workday(cal, P("2026-02-16"))); /* Monday, 春节 */
    assert_false(ms_calendar_is_workday(cal, P("2026-02-23"))); /* Monday, 正月初七 */
    assert_false(ms_calendar_is_workday(cal, P("2025-10-08"))); /* Wednesday, 国庆 */
    assert_false(ms_calendar_is_workday(cal, P("2025-01-01")));
    assert_true(ms_calendar_is_workday(cal, P("2026-02-24")));
    assert_true(ms_calendar_is_workday(cal, P("2026-11-30")));
    assert_string_equal(ms_calendar_day_name(cal, P("2026-02-17")), "春节");
    assert_null(ms_calendar_day_name(cal, P("2026-11-30")));
}

static void test_calendar_acceptance_day_is_day_zero(void **state)
{
    const struct ms_calendar *cal = *state;
    int32_t accepted = P("2026-11-27"); /* Friday */
    assert_int_equal(ms_calendar_add_workdays(cal, accepted, 0), accepted);
    assert_date(ms_calendar_add_workdays(cal, accepted, 1), "2026-11-30");
    assert_date(ms_calendar_add_workdays(cal, accepted, 5), "2026-12-04");
    /* Accepted on a Sunday: the Monday after is day 1. */
    assert_date(ms_calendar_add_workdays(cal, P("2026-11-29"), 1), "2026-11-30");
}

static void test_calendar_year_end_span_and_make_up_sunday(void **state)
{
    const struct ms_calendar *cal = *state;
    /* 2026-01-01..03 off, Sunday 2026-01-04 a working day. */
    assert_date(ms_calendar_add_workdays(cal, P("2025-12-31"), 1), "2026-01-04");
    assert_date(ms_calendar_add_workdays(cal, P("2025-12-31"), 2), "2026-01-05");
    assert_date(ms_calendar_add_workdays(cal, P("2025-12-30"), 1), "2025-12-31");
    assert_int_equal(ms_calendar_workdays_between(cal, P("2025-12-31"), P("2026-01-04")), 1);
    assert_int_equal(ms_calendar_workdays_between(cal, P("2025-12-31"), P("2026-01-03")), 0);
}

static void test_calendar_spring_festival_span_is_skipped(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_date(ms_calendar_add_workdays(cal, P("2026-02-13"), 1), "2026-02-14");
    assert_date(ms_calendar_add_workdays(cal, P("2026-02-13"), 2), "2026-02-24");
    assert_date(ms_calendar_add_workdays(cal, P("2026-01-30"), 10), "2026-02-13");
    assert_date(ms_calendar_add_workdays(cal, P("2025-01-20"), 45), "2025-03-28");
}

/* rules.md §1.5: a county decision within 30 working days of acceptance. */
static void test_calendar_30_working_days_over_national_day(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_date(ms_calendar_add_workdays(cal, P("2025-09-15"), 30), "2025-10-31");
    assert_date(ms_calendar_add_workdays(cal, P("2026-09-18"), 3), "2026-09-22");
    assert_date(ms_calendar_add_workdays(cal, P("2026-04-30"), 3), "2026-05-08");
}

static void test_calendar_counts_back_with_negative_n(void **state)
{
    const struct ms_calendar *cal = *state;
    assert_date(ms_calendar_add_workdays(cal, P("2026-02-24"), -1), "2026-02-14");
    assert_date(ms_calendar_add_workdays(cal, P("2026-02-24"), -2), "2026-02-13");
    assert_date(ms_calendar_add_workdays(cal, P("2026-01-05"), -2), "2025-12-31");
}

static void test_calendar_working_days_per_year(void **state)
{
    const struct ms_calendar *cal = *state;
    /* (2024-12-31, 2025-12-31] is the whole of 2025. */
    assert_int_equal(ms_calendar_workdays_between(cal, P("2024-12-31"), P("2025-12-31")), 248);
    assert_int_equal(ms_calendar_workdays_between(cal, P("2025-12-31"), P("2026-12-31")), 247);
    assert_int_equal(ms_calendar_workdays_between(cal, P("2026-12-31"), P("2025-12-31")), -247);
    assert_int_equal(ms_calendar_workdays_between(cal, P("2026-01-01"), P("2026-01-01")), 0);
}

static int brute_between(const struct ms_calendar *cal, int32_t a, int32_t b)
{
    int n = 0;
    for (int32_t d = a + 1; d <= b; d++)
        n += ms_calendar_is_workday(cal, d);
    return n;
}

static void test_calendar_between_matches_day_by_day_count(void **state)
{
    const struct ms_calendar *cal = *state;
    int32_t lo = P("2024-11-01"), hi = P("2027-02-28");
    srand(11643);
    for (int i = 0; i < 2000; i++) {
        int32_t a = lo + rand() % (hi - lo), b = lo + rand() % (hi - lo);
        if (b < a) {
            int32_t t = a;
            a = b;
            b = t;
        }
        assert_int_equal(ms_calendar_workdays_between(cal, a, b), brute_between(cal, a, b));
    }
}

static void test_calendar_between_inverts_add_workdays(void **state)
{
    const struct ms_calendar *cal = *state;
    for (int32_t start = P("2024-12-20"); start <= P("2026-12-31"); start += 3) {
        for (int n = 0; n <= 45; n += 5) {
            int32_t end = ms_calendar_add_workdays(cal, start, n);
            assert_int_equal(ms_calendar_workdays_between(cal, start, end), n);
            if (n)
                assert_true(ms_calendar_is_workday(cal, end));
        }
    }
}

static void test_calendar_outside_covered_years_counts_weekends_only(void **state)
{
    const struct ms_calendar *cal = *state;
    /* 2027-01-01 is a Friday; without a 2027 table it counts as working. */
    assert_true(ms_calendar_is_workday(cal, P("2027-01-01")));
    assert_false(ms_calendar_is_workday(cal, P("2027-01-02")));
    assert_int_equal(ms_calendar_workdays_between(NULL, P("2026-11-29"), P("2026-12-06")), 5);
    assert_date(ms_calendar_add_workdays(NULL, P("2026-02-13"), 1), "2026-02-16");
}

static void test_calendar_add_workdays_stops_at_range_end(void **state)
{
    (void)state;
    assert_int_equal(ms_calendar_add_workdays(NULL, MS_DATE_MAX - 3, 100), MS_DATE_MAX);
    assert_int_equal(ms_calendar_add_workdays(NULL, MS_DATE_MIN + 3, -100), MS_DATE_MIN);
}

static void test_calendar_load_accepts_comments_blank_lines_and_crlf(void **state)
{
    (void)state;
    struct ms_calendar cal = MS_CALENDAR_INIT;
    struct ms_err err = MS_ERR_INIT;
    const char *text = "# header\r\n"
                       "\r\n"
                       "   \t\n"
                       "2030-01-02\tholiday  Test day   # trailing comment\r\n"
                       "2030-01-05 workday 补班\n"
                       "2030-01-01 holiday 元旦"; /* no final newline, out of order */
    assert_int_equal(ms_calendar_load(&cal, text, &err), 0);
    assert_int_equal(cal.count, 3);
    assert_date(cal.entries[0].date, "2030-01-01");
    assert_string_equal(cal.entries[1].name, "Test day");
    assert_string_equal(ms_calendar_day_name(&cal, P("2030-01-05")), "补班");
    assert_true(ms_calendar_is_workday(&cal, P("2030-01-05")));
    ms_calendar_release(&cal);
    assert_null(cal.entries);
    assert_int_equal(cal.count, 0);
}

static void test_calendar_load_of_empty_text_covers_nothing(void **state)
{
    (void)state;
    struct ms_calendar cal = MS_CALENDAR_INIT;
    assert_int_equal(ms_calendar_load(&cal, "# nothing\n", NULL), 0);
    assert_int_equal(cal.count, 0);
    assert_false(ms_calendar_covers(&cal, 0));
    assert_true(ms_calendar_is_workday(&cal, P("2026-11-30")));
    ms_calendar_release(&cal);
}

static void assert_load_refused(const char *text, const char *needle)
{
    struct ms_calendar cal = MS_CALENDAR_INIT;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_calendar_load(&cal, text, &err), MS_EINVAL);
    assert_string_equal(err.field, "calendar");
    assert_non_null(strstr(err.message, needle));
    assert_true(err.message_zh[0] != '\0');
    assert_null(cal.entries);
    assert_int_equal(cal.count, 0);
}

static void test_calendar_load_refuses_malformed_lines_with_line_number(void **state)
{
    (void)state;
    assert_load_refused("2026-01-01 holiday 元旦\n2026-1-2 holiday x\n", "line 2");
    assert_load_refused("2026-02-30 holiday x\n", "does not exist");
    assert_load_refused("2026-01-01 day-off 元旦\n", "'holiday' or 'workday'");
    assert_load_refused("2026-01-01 holiday\n", "needs a name");
    assert_load_refused("2026-01-01\n", "'holiday' or 'workday'");
    assert_load_refused("holiday 2026-01-01 x\n", "line 1");
    assert_load_refused("2026-01-01 holiday "
                        "a-name-that-is-far-too-long-for-the-table-because-it-goes-on-and-on\n",
                        "63 bytes");
    assert_load_refused("2026-01-01 holiday \xff\xfe\n", "UTF-8");
}

static void test_calendar_load_refuses_a_make_up_day_on_a_weekday(void **state)
{
    (void)state;
    assert_load_refused("# x\n2026-02-13 workday 春节调休上班\n", "line 2: a make-up working day");
}

static void test_calendar_load_refuses_a_date_listed_twice(void **state)
{
    (void)state;
    assert_load_refused("2026-01-01 holiday 元旦\n2026-01-02 holiday 元旦\n2026-01-01 holiday x\n",
                        "2026-01-01 twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_epoch_and_range_ends_have_known_numbers),
        cmocka_unit_test(test_date_round_trips_every_day_from_1880_to_2200),
        cmocka_unit_test(test_date_leap_years_follow_gregorian_rules),
        cmocka_unit_test(test_date_from_ymd_refuses_impossible_dates),
        cmocka_unit_test(test_date_1999_12_31_is_followed_by_2000_01_01),
        cmocka_unit_test(test_date_weekday_is_iso_monday_one),
        cmocka_unit_test(test_date_parse_accepts_strict_iso),
        cmocka_unit_test(test_date_parse_rejects_2026_02_30),
        cmocka_unit_test(test_date_parse_rejects_unpadded_fields),
        cmocka_unit_test(test_date_parse_rejects_trailing_junk_and_other_forms),
        cmocka_unit_test(test_date_format_pads_and_marks_out_of_range),
        cmocka_unit_test(test_date_add_months_clamps_to_month_end),
        cmocka_unit_test(test_date_add_months_crosses_years_both_ways),
        cmocka_unit_test(test_date_add_months_refuses_leaving_the_range),
        cmocka_unit_test(test_date_age_on_counts_full_years),
        cmocka_unit_test(test_date_age_on_feb_29_birthday_completes_on_mar_1_in_common_years),
        cmocka_unit_test(test_date_age_on_refuses_a_day_before_birth),
        cmocka_unit_test(test_date_month_start_and_end),
        cmocka_unit_test(test_date_period_parses_and_formats_months),
        cmocka_unit_test(test_date_period_rejects_other_forms),
        cmocka_unit_test(test_date_from_unix_ms_uses_the_zone_offset),
        cmocka_unit_test(test_date_today_cst_follows_the_fake_clock),
        cmocka_unit_test_setup_teardown(test_calendar_default_table_loads_2025_and_2026,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(
            test_calendar_default_entries_are_sorted_and_make_up_days_are_weekends, setup_default,
            teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_make_up_saturday_counts_as_working_day,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_holidays_on_weekdays_are_days_off,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_acceptance_day_is_day_zero, setup_default,
                                        teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_year_end_span_and_make_up_sunday,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_spring_festival_span_is_skipped,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_30_working_days_over_national_day,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_counts_back_with_negative_n, setup_default,
                                        teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_working_days_per_year, setup_default,
                                        teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_between_matches_day_by_day_count,
                                        setup_default, teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_between_inverts_add_workdays, setup_default,
                                        teardown_cal),
        cmocka_unit_test_setup_teardown(test_calendar_outside_covered_years_counts_weekends_only,
                                        setup_default, teardown_cal),
        cmocka_unit_test(test_calendar_add_workdays_stops_at_range_end),
        cmocka_unit_test(test_calendar_load_accepts_comments_blank_lines_and_crlf),
        cmocka_unit_test(test_calendar_load_of_empty_text_covers_nothing),
        cmocka_unit_test(test_calendar_load_refuses_malformed_lines_with_line_number),
        cmocka_unit_test(test_calendar_load_refuses_a_make_up_day_on_a_weekday),
        cmocka_unit_test(test_calendar_load_refuses_a_date_listed_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
