/*
 * test_assistance_due.c - the due date of a case's step (assistance_due.c),
 * over the 2025 and 2026 holiday table with its make-up working days.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "modules/assistance/assistance_due.h"

#include "core/banned.h"

static struct ms_calendar cal = MS_CALENDAR_INIT;

static const struct assistance_limits dibao = {3, 15, 7, 3, 10, 30, 45, 3, 3};

static int32_t day(const char *text)
{
    int32_t d = 0;
    assert_int_equal(ms_date_parse(text, &d, NULL), 0);
    return d;
}

static void expect_due(const char *state, const char *applied, const char *since,
                       const char *publicity_end, const char *received, int extended,
                       const char *want)
{
    struct assistance_due_in in = {.state = state,
                                   .applied = day(applied),
                                   .since = day(since),
                                   .publicity_end = publicity_end ? day(publicity_end) : 0,
                                   .received = received ? day(received) : 0,
                                   .is_extended = extended,
                                   .limits = dibao};
    int32_t due = 0;
    char buf[MS_DATE_BUF];
    assert_int_equal(assistance_due(&in, &cal, &due), 1);
    ms_date_format(due, buf);
    assert_string_equal(buf, want);
}

/* 3 working days from an acceptance on Friday 2025-09-26: the National Day
 * holiday (10-01..10-08) and its make-up Saturday 09-28 (a Sunday in 2025:
 * 2025-09-28 is a make-up working day) are counted by the table. */
static void test_investigation_start_over_national_day(void **state)
{
    (void)state;
    /* 09-28 (Sun, make-up workday) = 1, 09-29 = 2, 09-30 = 3 */
    expect_due("draft", "2025-09-26", "2025-09-26", NULL, NULL, 0, "2025-09-30");
    /* accepted on 09-30: 10-01..10-08 are holidays, 10-09 = 1, 10-10 = 2, 10-11 (Sat,
     * make-up) = 3 */
    expect_due("draft", "2025-09-30", "2025-09-30", NULL, NULL, 0, "2025-10-11");
}

/* An online application waits for acceptance: 3 working days from its
 * submission, whatever the total (which counts from the acceptance); once
 * accepted on a later day, the investigation's 3 days count from then. */
static void test_online_acceptance_then_limits_from_acceptance(void **state)
{
    (void)state;
    /* submitted Friday 2025-09-26: 09-28 (make-up) = 1, 09-29 = 2, 09-30 = 3 */
    expect_due("submitted", "2025-09-26", "2025-09-26", NULL, NULL, 0, "2025-09-30");
    /* accepted on 09-30 (applied = the acceptance): over National Day to 10-11 */
    expect_due("draft", "2025-09-30", "2025-09-30", NULL, NULL, 0, "2025-10-11");
}

/* The town's 15 working days; the publicity closes on the working day after
 * its last day; the district's 10 working days are capped by the total 30,
 * or 45 when extended. */
static void test_town_publicity_district_and_total(void **state)
{
    (void)state;
    /* 2026-03-02 (Mon): 15 working days = three weeks */
    expect_due("investigating", "2026-03-02", "2026-03-03", NULL, NULL, 0, "2026-03-23");
    expect_due("town_reviewed", "2026-03-02", "2026-03-20", NULL, NULL, 0, "2026-03-23");
    /* publicity 2026-03-20..03-26 (Thu): closed by Fri 03-27 */
    expect_due("publicity", "2026-03-02", "2026-03-20", "2026-03-26", NULL, 0, "2026-03-27");
    /* ends on Fri 2026-04-03 before 清明 (04-04..04-06): next working day 04-07 */
    expect_due("publicity", "2026-03-02", "2026-03-28", "2026-04-03", NULL, 0, "2026-04-07");
    /* district received 03-27: 10 working days = 04-10 (清明 04-06 Mon is a holiday) */
    expect_due("district_review", "2026-03-02", "2026-03-27", "2026-03-26", "2026-03-27", 0,
               "2026-04-13");
    /* total 30 working days from 03-02 is 04-14 (with 04-06 off): a late receipt is capped */
    expect_due("district_review", "2026-03-02", "2026-04-10", "2026-04-09", "2026-04-10", 0,
               "2026-04-14");
    /* re-investigating: the total limit, 30 working days, or 45 when extended */
    struct assistance_due_in in = {.state = "reinvestigating",
                                   .applied = day("2026-03-02"),
                                   .since = day("2026-03-02"),
                                   .limits = dibao};
    int32_t plain = 0, longer = 0;
    assert_int_equal(assistance_due(&in, &cal, &plain), 1);
    in.is_extended = 1;
    assert_int_equal(assistance_due(&in, &cal, &longer), 1);
    assert_int_equal(ms_calendar_workdays_between(&cal, day("2026-03-02"), plain), 30);
    assert_int_equal(ms_calendar_workdays_between(&cal, day("2026-03-02"), longer), 45);
}

/* A refusal is notified within 3 working days; decided and notified cases
 * have no limit running. */
static void test_refusal_notice_and_no_limit(void **state)
{
    (void)state;
    /* decided Thu 04-30; 劳动节 05-01..05-05: 05-06 = 1, 05-07 = 2, 05-08 = 3 */
    expect_due("refused", "2026-03-02", "2026-04-30", NULL, NULL, 0, "2026-05-08");
    struct assistance_due_in in = {.state = "refused",
                                   .applied = day("2026-03-02"),
                                   .since = day("2026-04-30"),
                                   .is_notified = 1,
                                   .limits = dibao};
    int32_t due = 0;
    assert_int_equal(assistance_due(&in, &cal, &due), 0);
    in.state = "enrolled";
    in.is_notified = 0;
    assert_int_equal(assistance_due(&in, &cal, &due), 0);
    in.state = "approved";
    assert_int_equal(assistance_due(&in, &cal, &due), 0);
}

int main(void)
{
    struct ms_err err = MS_ERR_INIT;
    if (ms_calendar_load_default(&cal, &err) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_investigation_start_over_national_day),
        cmocka_unit_test(test_online_acceptance_then_limits_from_acceptance),
        cmocka_unit_test(test_town_publicity_district_and_total),
        cmocka_unit_test(test_refusal_notice_and_no_limit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ms_calendar_release(&cal);
    return rc;
}
