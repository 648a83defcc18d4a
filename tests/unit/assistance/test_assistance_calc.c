/*
 * test_assistance_calc.c - the pure dibao computation (assistance_calc.c)
 * against every worked example of rules.md §1, its boundaries, and the
 * bad input it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/money.h"
#include "modules/assistance/assistance_calc.h"

#include "core/banned.h"

/* The Chongqing urban parameters from 2025-07-01 (rules.md §1.7, Appendix A)
 * and the migration's placeholders for what the rules leave open. */
static struct assistance_params urban_2025(void)
{
    struct assistance_params p = {
        .standard_fen = 77000,
        .marginal_ppm = 1500000,
        .exclude_resident_pension = 1,
        .agri_income_months = 12,
        .deposit_months = 24,
        .max_houses = 1,
        .max_vehicles = 0,
        .topup_key_fen = 4500,
        .topup_disabled_fen = 3000,
        .severe_disability_grade = 2,
        .topup_age_min = 70,
        .preschool_age_below = 6,
    };
    return p;
}

static struct assistance_params rural_2025(void)
{
    struct assistance_params p = urban_2025();
    p.standard_fen = 63000;
    p.topup_key_fen = 3000;
    return p;
}

/* Three working-age adults, none in a top-up category. */
static const struct assistance_calc_member three[] = {
    {1, 45, 0, 0, 0}, {1, 43, 0, 0, 0}, {1, 21, 0, 0, 0}};

static int calc(const struct assistance_params *p, const struct assistance_calc_member *m,
                size_t nm, const struct assistance_calc_income *inc, size_t ni,
                const struct assistance_calc_asset *as, size_t na, struct assistance_calc *out,
                struct ms_err *err)
{
    struct assistance_calc_in in = {m, nm, inc, ni, as, na, *p};
    return assistance_calc(&in, out, err);
}

/* rules.md §1.4: "standard 77000 fen; household of 3 with income 90000
 * fen/month gives per-capita income 30000 fen; benefit = (77000 − 30000) ×
 * 3 = 141000 fen/month". */
static void test_worked_example_three_person_household_gets_141000(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_income inc[] = {{0, "wage", 90000, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_true(out.is_eligible);
    assert_int_equal(out.members_counted, 3);
    assert_int_equal(out.income_fen, 90000);
    assert_int_equal(out.per_capita_fen, 30000);
    assert_int_equal(out.base_fen, 141000);
    assert_int_equal(out.topup_fen, 0);
    assert_int_equal(out.amount_fen, 141000);
    assert_string_equal(out.reasons[0].code, "income_below_standard");
}

/* rules.md §1.7: the 2024 urban standard (750 元) gives the same household
 * (75000 − 30000) × 3; the rural standards 630 and 610 元 likewise. */
static void test_worked_example_on_the_2024_and_rural_standards(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_income inc[] = {{0, "wage", 90000, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    p.standard_fen = 75000;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.amount_fen, 135000);
    p = rural_2025();
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.amount_fen, (63000 - 30000) * 3);
    p.standard_fen = 61000;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.amount_fen, (61000 - 30000) * 3);
}

/* rules.md §1.9: the near-allowance line is 1.5 × the standard, 1155 元
 * urban and 945 元 rural from 2025-07: just below it is marginal, at it not. */
static void test_worked_example_marginal_lines_1155_and_945_yuan(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_member one[] = {{1, 50, 0, 0, 0}};
    struct assistance_calc_income inc[] = {{0, "wage", 115499, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, one, 1, inc, 1, NULL, 0, &out, &err), 0);
    assert_false(out.is_eligible);
    assert_true(out.is_marginal);
    assert_int_equal(out.amount_fen, 0);
    inc[0].amount_fen = 115500;
    assert_int_equal(calc(&p, one, 1, inc, 1, NULL, 0, &out, &err), 0);
    assert_false(out.is_marginal);
    p = rural_2025();
    inc[0].amount_fen = 94499;
    assert_int_equal(calc(&p, one, 1, inc, 1, NULL, 0, &out, &err), 0);
    assert_true(out.is_marginal);
    inc[0].amount_fen = 94500;
    assert_int_equal(calc(&p, one, 1, inc, 1, NULL, 0, &out, &err), 0);
    assert_false(out.is_marginal);
    /* and only with assets within the limits */
    struct assistance_calc_asset two_houses[] = {{"house", 0, 2, 0}};
    inc[0].amount_fen = 94499;
    assert_int_equal(calc(&p, one, 1, inc, 1, two_houses, 1, &out, &err), 0);
    assert_false(out.is_marginal);
}

/* rules.md §1.7: the 特困 standard is 1.3 × the urban standard: 975 = 1.3 ×
 * 750 and 1001 = 1.3 × 770 (the ratio as parts per million, rounded once). */
static void test_worked_example_tekun_is_1_3_times_urban(void **state)
{
    (void)state;
    int64_t ppm, out;
    assert_int_equal(ms_money_parse_ratio("1.3", &ppm, NULL), 0);
    assert_int_equal(ms_money_apply_ratio(75000, ppm, &out), 0);
    assert_int_equal(out, 97500);
    assert_int_equal(ms_money_apply_ratio(77000, ppm, &out), 0);
    assert_int_equal(out, 100100);
}

/* The boundary of §1.4's "(if > 0)": per-capita income equal to the
 * standard gets nothing; one fen below gets members × 1 fen. */
static void test_income_at_the_standard_is_not_eligible(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_income inc[] = {{0, "wage", 231000, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_false(out.is_eligible);
    assert_int_equal(out.amount_fen, 0);
    assert_string_equal(out.reasons[0].code, "income_not_below_standard");
    inc[0].amount_fen = 230999;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_true(out.is_eligible);
    assert_int_equal(out.amount_fen, 1);
    /* per-capita 76999.67 shows as 76999 (rounded down); the amount is exact */
    assert_int_equal(out.per_capita_fen, 76999);
}

/* rules.md §1.2: excluded kinds never count; the residents' basic pension
 * follows its dated policy flag; deductions come off; a member who does not
 * count brings no income. */
static void test_exclusions_deductions_and_uncounted_members(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_member m[] = {{1, 45, 0, 0, 0}, {1, 43, 0, 0, 0}, {0, 30, 0, 0, 0}};
    struct assistance_calc_income inc[] = {
        {0, "wage", 90000, 1},
        {0, "social_assistance", 50000, 1},
        {1, "scholarship", 20000, 1},
        {1, "veteran_benefit", 10000, 1},
        {1, "resident_pension", 12000, 1},
        {0, "deduction_medical", 10000, 1},
        {2, "wage", 500000, 1}, /* not counted: prison, rules.md §1.1 */
    };
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, m, 3, inc, 7, NULL, 0, &out, &err), 0);
    assert_int_equal(out.members_counted, 2);
    assert_int_equal(out.income_fen, 80000);
    assert_int_equal(out.excluded_fen, 92000);
    assert_int_equal(out.deducted_fen, 10000);
    assert_int_equal(out.amount_fen, 77000 * 2 - 80000);
    p.exclude_resident_pension = 0; /* after the 十四五 period, if the bureau says so */
    assert_int_equal(calc(&p, m, 3, inc, 7, NULL, 0, &out, &err), 0);
    assert_int_equal(out.income_fen, 92000);
    /* deductions never make income negative */
    struct assistance_calc_income only_deduction[] = {{0, "transfer_out", 99999, 1}};
    assert_int_equal(calc(&p, m, 3, only_deduction, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.income_fen, 0);
    assert_int_equal(out.amount_fen, 154000);
}

/* rules.md §1.2 (重庆低保条例 第十二条): farming income is the 12 months'
 * total ÷ 12 ÷ members. */
static void test_farming_income_is_averaged_over_twelve_months(void **state)
{
    (void)state;
    struct assistance_params p = rural_2025();
    struct assistance_calc_income inc[] = {{0, "agriculture", 1080000, 12}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.income_fen, 90000);
    assert_int_equal(out.per_capita_fen, 30000);
    assert_int_equal(out.amount_fen, (63000 - 30000) * 3);
    inc[0].months = 1; /* farming income over one month is refused */
    assert_int_equal(calc(&p, three, 3, inc, 1, NULL, 0, &out, &err), MS_EFIELD);
    assert_string_equal(err.field, "incomes[0].months");
}

/* rules.md §1.4 分类施保 placeholders: +45 元 urban / +30 元 rural for key
 * members (severe disability, major illness, 70 or over, pre-school,
 * student), +30 元 for other disabled members; not stacked. */
static void test_classified_topups(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_member m[] = {
        {1, 72, 0, 0, 0}, /* old: key */
        {1, 40, 3, 0, 0}, /* grade 3: disabled */
        {1, 40, 1, 1, 0}, /* severe and ill: one key top-up only */
        {1, 4, 0, 0, 0},  /* pre-school: key */
        {1, 15, 0, 0, 1}, /* student: key */
        {1, 40, 0, 0, 0}, /* none */
    };
    struct assistance_calc_income inc[] = {{0, "pension", 60000, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, m, 6, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.base_fen, 77000 * 6 - 60000);
    assert_int_equal(out.topup_fen, 4 * 4500 + 3000);
    assert_int_equal(out.amount_fen, out.base_fen + out.topup_fen);
    p = rural_2025();
    assert_int_equal(calc(&p, m, 6, inc, 1, NULL, 0, &out, &err), 0);
    assert_int_equal(out.topup_fen, 4 * 3000 + 3000);
    /* boundaries: 69 and 6 are not key ages */
    struct assistance_calc_member edge[] = {{1, 69, 0, 0, 0}, {1, 6, 0, 0, 0}};
    assert_int_equal(calc(&p, edge, 2, NULL, 0, NULL, 0, &out, &err), 0);
    assert_int_equal(out.topup_fen, 0);
}

/* rules.md §1.3: assets over the (placeholder) limits refuse; a disability
 * mobility vehicle is exempt. */
static void test_assets_over_limits_refuse(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_income inc[] = {{0, "wage", 90000, 1}};
    struct assistance_calc_asset ok[] = {
        {"deposit", 77000 * 24 * 3, 1, 0}, {"house", 0, 1, 0}, {"vehicle", 300000, 1, 1}};
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(calc(&p, three, 3, inc, 1, ok, 3, &out, &err), 0);
    assert_true(out.is_assets_ok);
    assert_true(out.is_eligible);
    struct assistance_calc_asset too_much[] = {
        {"deposit", 77000 * 24 * 3 + 1, 1, 0}, {"house", 0, 2, 0}, {"vehicle", 300000, 1, 0}};
    assert_int_equal(calc(&p, three, 3, inc, 1, too_much, 3, &out, &err), 0);
    assert_false(out.is_assets_ok);
    assert_false(out.is_eligible);
    assert_int_equal(out.amount_fen, 0);
    assert_string_equal(out.reasons[0].code, "assets_financial");
    assert_string_equal(out.reasons[1].code, "assets_houses");
    assert_string_equal(out.reasons[2].code, "assets_vehicles");
}

static void expect_refused(const struct assistance_params *p,
                           const struct assistance_calc_member *m, size_t nm,
                           const struct assistance_calc_income *inc, size_t ni,
                           const struct assistance_calc_asset *as, size_t na, const char *field)
{
    struct assistance_calc out;
    struct ms_err err = MS_ERR_INIT;
    out.amount_fen = 12345;
    assert_int_equal(calc(p, m, nm, inc, ni, as, na, &out, &err), MS_EFIELD);
    assert_string_equal(err.field, field);
    assert_true(err.message_zh[0] != '\0');
    assert_int_equal(out.amount_fen, 12345); /* untouched */
}

static void test_bad_input_is_refused_with_the_field(void **state)
{
    (void)state;
    struct assistance_params p = urban_2025();
    struct assistance_calc_income neg[] = {{0, "wage", -1, 1}};
    expect_refused(&p, three, 3, neg, 1, NULL, 0, "incomes[0].amount_fen");
    struct assistance_calc_income kind[] = {{0, "lottery", 1, 1}};
    expect_refused(&p, three, 3, kind, 1, NULL, 0, "incomes[0].kind");
    struct assistance_calc_income who[] = {{3, "wage", 1, 1}};
    expect_refused(&p, three, 3, who, 1, NULL, 0, "incomes[0].member");
    struct assistance_calc_income big[] = {{0, "wage", INT64_MAX, 1}, {1, "wage", 1, 1}};
    expect_refused(&p, three, 3, big, 2, NULL, 0, "incomes[1].amount_fen");
    struct assistance_calc_asset neg_asset[] = {{"deposit", -5, 1, 0}};
    expect_refused(&p, three, 3, NULL, 0, neg_asset, 1, "assets[0].value_fen");
    struct assistance_calc_asset big_assets[] = {{"deposit", INT64_MAX, 1, 0},
                                                 {"securities", 1, 1, 0}};
    expect_refused(&p, three, 3, NULL, 0, big_assets, 2, "assets[1].value_fen");
    struct assistance_calc_member none[] = {{0, 40, 0, 0, 0}};
    expect_refused(&p, none, 1, NULL, 0, NULL, 0, "members");
    struct assistance_params huge = p;
    huge.standard_fen = INT64_MAX / 2;
    expect_refused(&huge, three, 3, NULL, 0, NULL, 0, "params");
    struct assistance_params zero = p;
    zero.standard_fen = 0;
    expect_refused(&zero, three, 3, NULL, 0, NULL, 0, "standard_fen");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example_three_person_household_gets_141000),
        cmocka_unit_test(test_worked_example_on_the_2024_and_rural_standards),
        cmocka_unit_test(test_worked_example_marginal_lines_1155_and_945_yuan),
        cmocka_unit_test(test_worked_example_tekun_is_1_3_times_urban),
        cmocka_unit_test(test_income_at_the_standard_is_not_eligible),
        cmocka_unit_test(test_exclusions_deductions_and_uncounted_members),
        cmocka_unit_test(test_farming_income_is_averaged_over_twelve_months),
        cmocka_unit_test(test_classified_topups),
        cmocka_unit_test(test_assets_over_limits_refuse),
        cmocka_unit_test(test_bad_input_is_refused_with_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
