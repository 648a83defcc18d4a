/*
 * test_assistance_linshi.c - the pure 临时救助 computation
 * (assistance_linshi.c): the tiers, the months, the cap and 一事一议, the
 * town limit and pay-first, the conditions of the expenditure kind, and the
 * bad input and overflows it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "modules/assistance/assistance_linshi.h"

#include "core/banned.h"

/* Migration 003's placeholders on the 2025-07 urban standard of 770 元:
 * tiers 1/2/3 (emergency) and 1/1.5/2 (expenditure) × 770 per month, at
 * most 6 months, cap 12 × 770 = 9240 元, town limit 2 × 770 = 1540 元. */
static struct assistance_linshi_params params_2025(void)
{
    struct assistance_linshi_params p = {
        .urban_standard_fen = 77000,
        .tier_ppm = {{1000000, 2000000, 3000000}, {1000000, 1500000, 2000000}},
        .max_months = 6,
        .cap_ppm = 12000000,
        .town_limit_ppm = 2000000,
        .disposable_income_fen = 4100000,
        .exclude_resident_pension = 1,
        .assets = {63000, 24, 1, 0},
    };
    return p;
}

static const struct assistance_calc_member family[] = {{1, 40, 0, 0, 0}, {1, 12, 0, 0, 1}};

static struct assistance_linshi_in emergency(const char *severity, int months)
{
    struct assistance_linshi_in in = {.kind = "emergency",
                                      .cause = "fire",
                                      .severity = severity,
                                      .months = months,
                                      .members = family,
                                      .n_members = 2,
                                      .params = params_2025()};
    return in;
}

static struct assistance_linshi_result run_ok(const struct assistance_linshi_in *in)
{
    struct assistance_linshi_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(assistance_linshi(in, &r, &err), 0);
    return r;
}

static void test_emergency_tiers_by_severity_and_months(void **state)
{
    (void)state;
    struct assistance_linshi_in in = emergency("general", 1);
    struct assistance_linshi_result r = run_ok(&in);
    assert_true(r.outcome.is_eligible);
    assert_int_equal(r.outcome.amount_fen, 77000);
    assert_int_equal(r.outcome.standard_fen, 77000);
    assert_int_equal(r.multiple_ppm, 1000000);
    in = emergency("serious", 2);
    r = run_ok(&in);
    assert_int_equal(r.outcome.amount_fen, 2 * 2 * 77000);
    in = emergency("critical", 3);
    r = run_ok(&in);
    assert_int_equal(r.outcome.amount_fen, 3 * 3 * 77000);
    assert_false(r.needs_collective_decision);
    assert_string_equal(r.outcome.reasons[0].code, "amount");
}

static void test_months_are_capped_at_the_parameter(void **state)
{
    (void)state;
    struct assistance_linshi_in in = emergency("general", 12);
    struct assistance_linshi_result r = run_ok(&in);
    assert_int_equal(r.months, 6);
    assert_int_equal(r.outcome.amount_fen, 6 * 77000);
}

/* critical × 4 months = 12 × 770 = 9240 元: at the cap, no 一事一议; five
 * months is 15 × 770 = 11550 元: paid at the cap, flagged. */
static void test_cap_and_collective_decision(void **state)
{
    (void)state;
    struct assistance_linshi_in in = emergency("critical", 4);
    struct assistance_linshi_result r = run_ok(&in);
    assert_int_equal(r.outcome.amount_fen, 924000);
    assert_false(r.needs_collective_decision);
    in.months = 5;
    r = run_ok(&in);
    assert_int_equal(r.tier_fen, 1155000);
    assert_int_equal(r.cap_fen, 924000);
    assert_int_equal(r.outcome.amount_fen, 924000);
    assert_int_equal(r.outcome.base_fen, 1155000);
    assert_true(r.needs_collective_decision);
    assert_true(r.outcome.is_eligible);
    assert_string_equal(r.outcome.reasons[1].code, "needs_collective_decision");
    assert_non_null(strstr(r.outcome.reasons[1].zh, "一事一议"));
}

/* general × 2 months = 1540 元 = the town limit: within; 3 months is not. */
static void test_town_limit_and_pay_first(void **state)
{
    (void)state;
    struct assistance_linshi_in in = emergency("general", 2);
    in.is_pay_first = 1;
    struct assistance_linshi_result r = run_ok(&in);
    assert_int_equal(r.town_limit_fen, 154000);
    assert_true(r.is_within_town_limit);
    assert_true(r.outcome.is_eligible);
    in.months = 3;
    r = run_ok(&in);
    assert_false(r.is_within_town_limit);
    assert_false(r.outcome.is_eligible);
    assert_int_equal(r.outcome.amount_fen, 0);
    assert_string_equal(r.outcome.reasons[0].code, "pay_first_over_town_limit");
    in.is_pay_first = 0;
    r = run_ok(&in);
    assert_true(r.outcome.is_eligible);
    assert_false(r.is_within_town_limit);
}

static struct assistance_linshi_in expenditure(int64_t spent)
{
    struct assistance_linshi_in in = emergency("serious", 3);
    in.kind = "expenditure";
    in.cause = "medical";
    in.expenditure_fen = spent;
    return in;
}

static void test_expenditure_is_at_most_the_spending(void **state)
{
    (void)state;
    struct assistance_linshi_in in = expenditure(5000000);
    struct assistance_linshi_result r = run_ok(&in);
    assert_true(r.outcome.is_eligible);
    assert_int_equal(r.outcome.amount_fen, 346500); /* 1.5 × 770 × 3 */
    in = expenditure(120000);
    r = run_ok(&in);
    assert_int_equal(r.outcome.amount_fen, 120000);
    in = expenditure(0);
    r = run_ok(&in);
    assert_false(r.outcome.is_eligible);
    assert_string_equal(r.outcome.reasons[0].code, "no_expenditure");
}

/* Two people: per-capita 3416.66 元 a month is 40,999.92 a year, below
 * 41,000; 3416.67 is 41,000.04, not below. Emergency has no income test. */
static void test_expenditure_income_and_asset_tests(void **state)
{
    (void)state;
    struct assistance_calc_income inc[] = {{0, "wage", 683333, 1}};
    struct assistance_linshi_in in = expenditure(5000000);
    in.incomes = inc, in.n_incomes = 1;
    struct assistance_linshi_result r = run_ok(&in);
    assert_true(r.outcome.is_eligible);
    assert_int_equal(r.outcome.per_capita_fen, 341666);
    inc[0].amount_fen = 683334;
    r = run_ok(&in);
    assert_false(r.outcome.is_eligible);
    assert_string_equal(r.outcome.reasons[0].code, "income_not_below_disposable");
    struct assistance_linshi_in em = emergency("general", 1);
    em.incomes = inc, em.n_incomes = 1;
    assert_true(run_ok(&em).outcome.is_eligible);
    /* Excluded income does not count; assets over the limit refuse. */
    struct assistance_calc_income excl[] = {{0, "resident_pension", 9000000, 1}};
    in.incomes = excl;
    assert_true(run_ok(&in).outcome.is_eligible);
    struct assistance_calc_asset cars[] = {{"vehicle", 5000000, 1, 0}};
    in.assets = cars, in.n_assets = 1;
    r = run_ok(&in);
    assert_false(r.outcome.is_eligible);
    assert_string_equal(r.outcome.reasons[0].code, "assets_vehicles");
}

static void test_kinds_causes_severities(void **state)
{
    (void)state;
    assert_int_equal(assistance_linshi_kind("emergency"), 0);
    assert_int_equal(assistance_linshi_kind("expenditure"), 1);
    assert_int_equal(assistance_linshi_kind("lottery"), -1);
    assert_true(assistance_linshi_cause_known("emergency", "traffic_accident"));
    assert_false(assistance_linshi_cause_known("emergency", "education"));
    assert_true(assistance_linshi_cause_known("expenditure", "education"));
    assert_false(assistance_linshi_cause_known("expenditure", "fire"));
    assert_int_equal(assistance_linshi_severity("critical"), 2);
    assert_int_equal(assistance_linshi_severity("mild"), -1);
}

static void expect_refused(const struct assistance_linshi_in *in, const char *field)
{
    struct assistance_linshi_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(assistance_linshi(in, &r, &err), MS_EFIELD);
    assert_string_equal(err.field, field);
    assert_true(err.message_zh[0]);
}

static void test_bad_input_and_overflow_are_refused(void **state)
{
    (void)state;
    struct assistance_linshi_in in = emergency("general", 1);
    in.kind = "lottery";
    expect_refused(&in, "linshi.kind");
    in = emergency("general", 1), in.cause = "education";
    expect_refused(&in, "linshi.cause");
    in = emergency("mild", 1);
    expect_refused(&in, "linshi.severity");
    in = emergency("general", 0);
    expect_refused(&in, "linshi.months");
    in = emergency("general", 13);
    expect_refused(&in, "linshi.months");
    in = expenditure(-1);
    expect_refused(&in, "expenses");
    in = expenditure(100), in.is_pay_first = 1;
    expect_refused(&in, "linshi.pay_first");
    struct assistance_calc_member nobody[] = {{0, 40, 0, 0, 0}};
    in = emergency("general", 1), in.members = nobody, in.n_members = 1;
    expect_refused(&in, "members");
    struct assistance_calc_income big[] = {{0, "wage", INT64_MAX, 1}, {1, "wage", 1, 1}};
    in = expenditure(100), in.incomes = big, in.n_incomes = 2;
    expect_refused(&in, "incomes[1].amount_fen");
    /* A standard × months × multiple that does not fit. */
    in = emergency("critical", 6);
    in.params.urban_standard_fen = INT64_MAX / 4;
    expect_refused(&in, "params");
    in = emergency("general", 1), in.params.tier_ppm[0][0] = -1;
    expect_refused(&in, "params");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emergency_tiers_by_severity_and_months),
        cmocka_unit_test(test_months_are_capped_at_the_parameter),
        cmocka_unit_test(test_cap_and_collective_decision),
        cmocka_unit_test(test_town_limit_and_pay_first),
        cmocka_unit_test(test_expenditure_is_at_most_the_spending),
        cmocka_unit_test(test_expenditure_income_and_asset_tests),
        cmocka_unit_test(test_kinds_causes_severities),
        cmocka_unit_test(test_bad_input_and_overflow_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
