/*
 * test_assistance_tekun.c - the pure 特困 computation (assistance_tekun.c):
 * each condition of rules.md §1.8 and its near misses, the care levels of
 * §1.7, the amounts, and the bad input it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "modules/assistance/assistance_tekun.h"

#include "core/banned.h"

/* The parameters of migration 003 on an urban case from 2025-07-01: the
 * verified bounds, 1001 元 basic standard, and the placeholder care
 * subsidies (0, 200, 600 元) and disposable income (41,000 元 a year). */
static struct assistance_tekun_params urban_2025(void)
{
    struct assistance_tekun_params p = {
        .basic_fen = 100100,
        .dibao_standard_fen = 77000,
        .care_fen = {0, 20000, 60000},
        .adl_full_loss_min = 4,
        .age_elderly_min = 60,
        .age_minor_below = 16,
        .minor_until_age = 18,
        .max_grade_intellectual = 3,
        .max_grade_mental = 3,
        .max_grade_physical = 2,
        .max_grade_visual = 1,
        .assets = {77000, 24, 1, 0},
        .supporter_dibao_age_min = 60,
        .supporter_age_min = 70,
        .disposable_income_fen = 4100000,
    };
    return p;
}

/* ADL bits by count: the first n items not met. */
static unsigned adl(int n)
{
    return (1u << n) - 1u;
}

static struct assistance_tekun_member person(int age)
{
    struct assistance_tekun_member m = {1, age, "", 0, 0};
    return m;
}

static int run(const struct assistance_tekun_member *m, size_t nm,
               const struct assistance_calc_income *inc, size_t ni,
               const struct assistance_calc_asset *as, size_t na,
               const struct assistance_tekun_supporter *sup, size_t ns,
               struct assistance_tekun_result *out, struct ms_err *err)
{
    struct assistance_tekun_in in = {m, nm, inc, ni, as, na, sup, ns, urban_2025()};
    return assistance_tekun(&in, out, err);
}

static int eligible_alone(struct assistance_tekun_member m)
{
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(run(&m, 1, NULL, 0, NULL, 0, NULL, 0, &r, &err), 0);
    return r.outcome.is_eligible;
}

static void test_age_59_and_60(void **state)
{
    (void)state;
    assert_false(eligible_alone(person(59)));
    assert_true(eligible_alone(person(60)));
    assert_true(eligible_alone(person(61)));
}

static void test_age_15_and_16(void **state)
{
    (void)state;
    assert_true(eligible_alone(person(15)));
    assert_true(eligible_alone(person(0)));
    assert_false(eligible_alone(person(16)));
}

static void test_disability_grade_bounds_by_type(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        int last_grade_that_counts;
    } cases[] = {{"intellectual", 3}, {"mental", 3}, {"physical", 2}, {"visual", 1}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct assistance_tekun_member m = person(40);
        m.disability_type = cases[i].type;
        for (int g = 1; g <= 4; g++) {
            m.disability_grade = g;
            assert_int_equal(eligible_alone(m), g <= cases[i].last_grade_that_counts);
        }
        m.disability_grade = 0;
        assert_false(eligible_alone(m));
    }
    /* Types the rules do not list never make a person unable to work. */
    struct assistance_tekun_member h = person(40);
    h.disability_type = "hearing";
    h.disability_grade = 1;
    assert_false(eligible_alone(h));
    h.disability_type = "";
    assert_false(eligible_alone(h));
}

static void test_bounds_are_parameters(void **state)
{
    (void)state;
    struct assistance_tekun_params p = urban_2025();
    struct assistance_tekun_member m = person(62);
    p.age_elderly_min = 65;
    assert_false(assistance_tekun_unable_to_work(&m, &p));
    m.age = 40, m.disability_type = "physical", m.disability_grade = 3;
    p.max_grade_physical = 3;
    assert_true(assistance_tekun_unable_to_work(&m, &p));
}

static void test_reason_names_the_member_who_can_work(void **state)
{
    (void)state;
    struct assistance_tekun_member m[] = {person(70), person(45)};
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(run(m, 2, NULL, 0, NULL, 0, NULL, 0, &r, &err), 0);
    assert_false(r.outcome.is_eligible);
    assert_false(r.is_unable_to_work);
    assert_true(r.people[0].is_unable_to_work);
    assert_false(r.people[1].is_unable_to_work);
    assert_string_equal(r.outcome.reasons[0].code, "able_to_work");
    assert_non_null(strstr(r.outcome.reasons[0].zh, "成员 2"));
    assert_non_null(strstr(r.outcome.reasons[0].en, "member 2"));
    assert_int_equal(r.outcome.amount_fen, 0);
}

static void test_supporters(void **state)
{
    (void)state;
    struct assistance_tekun_params p = urban_2025();
    struct assistance_tekun_supporter able = {45, 0, 0, 0, 3000000, 1, 0, 0, 0};
    assert_false(assistance_tekun_supporter_unable(&able, &p));
    struct assistance_tekun_supporter s = able;
    s.is_tekun = 1;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s = able, s.is_incapacitated = 1;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s = able, s.is_missing = 1;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s = able, s.is_in_prison = 1;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    /* A dibao recipient from 60: 59 is able, 60 is not. */
    s = able, s.is_dibao = 1, s.age = 59;
    assert_false(assistance_tekun_supporter_unable(&s, &p));
    s.age = 60;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    /* 70 or over with income below the disposable income and low assets. */
    s = able, s.age = 69;
    assert_false(assistance_tekun_supporter_unable(&s, &p));
    s.age = 70;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s.annual_income_fen = 4100000; /* not below */
    assert_false(assistance_tekun_supporter_unable(&s, &p));
    s.annual_income_fen = 4099999;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s.has_low_assets = 0;
    assert_false(assistance_tekun_supporter_unable(&s, &p));
    /* Severely disabled at any age, on the same income and asset terms. */
    s = able, s.is_severely_disabled = 1;
    assert_true(assistance_tekun_supporter_unable(&s, &p));
    s.annual_income_fen = 5000000;
    assert_false(assistance_tekun_supporter_unable(&s, &p));

    /* In the computation: one able supporter among unable ones refuses. */
    struct assistance_tekun_member m = person(75);
    struct assistance_tekun_supporter two[] = {{72, 0, 0, 0, 1000000, 1, 0, 0, 0}, able};
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(run(&m, 1, NULL, 0, NULL, 0, two, 1, &r, &err), 0);
    assert_true(r.outcome.is_eligible);
    assert_int_equal(run(&m, 1, NULL, 0, NULL, 0, two, 2, &r, &err), 0);
    assert_false(r.outcome.is_eligible);
    assert_false(r.is_without_support);
    assert_string_equal(r.outcome.reasons[0].code, "supporter_able");
    assert_non_null(strstr(r.outcome.reasons[0].zh, "法定义务人 2"));
}

static void test_income_exclusions(void **state)
{
    (void)state;
    struct assistance_tekun_member m = person(72);
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    /* Each excluded kind alone, far above the 770 元 line: still eligible. */
    static const char *const excluded[] = {"resident_pension", "medical_insurance",
                                           "veteran_benefit", "elderly_allowance"};
    for (size_t i = 0; i < 4; i++) {
        struct assistance_calc_income inc = {0, excluded[i], 500000, 1};
        assert_int_equal(run(&m, 1, &inc, 1, NULL, 0, NULL, 0, &r, &err), 0);
        assert_true(r.outcome.is_eligible);
        assert_int_equal(r.outcome.income_fen, 0);
        assert_int_equal(r.outcome.excluded_fen, 500000);
    }
    /* A counted pension of 769.99 元 is below the 770 元 dibao standard; 770 is not. */
    struct assistance_calc_income inc = {0, "pension", 76999, 1};
    assert_int_equal(run(&m, 1, &inc, 1, NULL, 0, NULL, 0, &r, &err), 0);
    assert_true(r.outcome.is_eligible);
    inc.amount_fen = 77000;
    assert_int_equal(run(&m, 1, &inc, 1, NULL, 0, NULL, 0, &r, &err), 0);
    assert_false(r.outcome.is_eligible);
    assert_false(r.is_without_living);
    assert_string_equal(r.outcome.reasons[0].code, "income_not_below_standard");
    /* Income over 12 months is averaged. */
    struct assistance_calc_income farm = {0, "agriculture", 12 * 77000, 12};
    assert_int_equal(run(&m, 1, &farm, 1, NULL, 0, NULL, 0, &r, &err), 0);
    assert_false(r.outcome.is_eligible);
}

static void test_assets_within_the_tekun_limit(void **state)
{
    (void)state;
    struct assistance_tekun_member m = person(72);
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_calc_asset dep = {"deposit", 24 * 77000, 1, 0};
    assert_int_equal(run(&m, 1, NULL, 0, &dep, 1, NULL, 0, &r, &err), 0);
    assert_true(r.outcome.is_eligible);
    dep.value_fen++;
    assert_int_equal(run(&m, 1, NULL, 0, &dep, 1, NULL, 0, &r, &err), 0);
    assert_false(r.outcome.is_eligible);
    assert_string_equal(r.outcome.reasons[0].code, "assets_financial");
}

static void test_care_levels(void **state)
{
    (void)state;
    assert_int_equal(assistance_care_level(adl(0), 4), ASSISTANCE_CARE_SELF);
    assert_int_equal(assistance_care_level(adl(1), 4), ASSISTANCE_CARE_PARTIAL);
    assert_int_equal(assistance_care_level(adl(3), 4), ASSISTANCE_CARE_PARTIAL);
    assert_int_equal(assistance_care_level(adl(4), 4), ASSISTANCE_CARE_FULL);
    assert_int_equal(assistance_care_level(adl(6), 4), ASSISTANCE_CARE_FULL);
    assert_int_equal(assistance_care_level(1u << 5, 4), ASSISTANCE_CARE_PARTIAL); /* bathing */
    assert_int_equal(assistance_care_level(adl(3), 3), ASSISTANCE_CARE_FULL);     /* a parameter */
    assert_string_equal(assistance_care_level_name(ASSISTANCE_CARE_FULL), "full");
    assert_int_equal(assistance_adl_item("bathing"), 5);
    assert_int_equal(assistance_adl_item("dancing"), -1);
    assert_string_equal(assistance_adl_item_name(0), "feeding");
    assert_null(assistance_adl_item_name(6));
}

/* 1001 元 basic plus the care subsidy of each level; two people add up. */
static void test_amounts(void **state)
{
    (void)state;
    static const struct {
        int not_met;
        int64_t amount;
    } cases[] = {{0, 100100}, {1, 120100}, {3, 120100}, {4, 160100}, {6, 160100}};
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct assistance_tekun_member m = person(80);
        m.adl_not_met = adl(cases[i].not_met);
        assert_int_equal(run(&m, 1, NULL, 0, NULL, 0, NULL, 0, &r, &err), 0);
        assert_true(r.outcome.is_eligible);
        assert_int_equal(r.outcome.amount_fen, cases[i].amount);
        assert_int_equal(r.outcome.base_fen, 100100);
        assert_int_equal(r.outcome.topup_fen, cases[i].amount - 100100);
        assert_int_equal(r.outcome.standard_fen, 100100);
        assert_int_equal(r.people[0].adl_not_met, cases[i].not_met);
    }
    struct assistance_tekun_member couple[] = {person(81), person(79)};
    couple[0].adl_not_met = adl(5);
    assert_int_equal(run(couple, 2, NULL, 0, NULL, 0, NULL, 0, &r, &err), 0);
    assert_int_equal(r.outcome.amount_fen, 160100 + 100100);
    assert_int_equal(r.people[0].care, ASSISTANCE_CARE_FULL);
    assert_int_equal(r.people[1].care_fen, 0);
    assert_string_equal(r.outcome.reasons[0].code, "care_level");
    /* A member left out is neither assessed for work nor paid. */
    struct assistance_tekun_member with_son[] = {person(81), person(40)};
    with_son[1].is_counted = 0;
    assert_int_equal(run(with_son, 2, NULL, 0, NULL, 0, NULL, 0, &r, &err), 0);
    assert_true(r.outcome.is_eligible);
    assert_int_equal(r.outcome.amount_fen, 100100);
}

static void test_minor_continues_to_18_or_in_school(void **state)
{
    (void)state;
    struct assistance_tekun_params p = urban_2025();
    assert_true(assistance_tekun_minor_continues(17, 0, &p));
    assert_false(assistance_tekun_minor_continues(18, 0, &p));
    assert_true(assistance_tekun_minor_continues(18, 1, &p));
    assert_true(assistance_tekun_minor_continues(19, 1, &p));
}

static void expect_refused(const struct assistance_tekun_member *m, size_t nm,
                           const struct assistance_calc_income *inc, size_t ni,
                           const struct assistance_tekun_supporter *sup, size_t ns,
                           const struct assistance_tekun_params *p, const char *field)
{
    struct assistance_tekun_in in = {m, nm, inc, ni, NULL, 0, sup, ns, *p};
    struct assistance_tekun_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(assistance_tekun(&in, &r, &err), MS_EFIELD);
    assert_string_equal(err.field, field);
    assert_true(err.message_zh[0]);
}

static void test_bad_input_and_overflow_are_refused(void **state)
{
    (void)state;
    struct assistance_tekun_params p = urban_2025();
    struct assistance_tekun_member m = person(70);
    struct assistance_tekun_member bad = m;
    bad.disability_type = "tall";
    expect_refused(&bad, 1, NULL, 0, NULL, 0, &p, "members[0].disability_type");
    bad = m, bad.adl_not_met = 1u << 6;
    expect_refused(&bad, 1, NULL, 0, NULL, 0, &p, "members[0].adl_not_met");
    bad = m, bad.disability_grade = 5;
    expect_refused(&bad, 1, NULL, 0, NULL, 0, &p, "members[0].disability_grade");
    bad = m, bad.is_counted = 0;
    expect_refused(&bad, 1, NULL, 0, NULL, 0, &p, "members");
    struct assistance_calc_income neg = {0, "pension", -1, 1};
    expect_refused(&m, 1, &neg, 1, NULL, 0, &p, "incomes[0].amount_fen");
    struct assistance_calc_income odd = {0, "lottery", 1, 1};
    expect_refused(&m, 1, &odd, 1, NULL, 0, &p, "incomes[0].kind");
    struct assistance_calc_income big[] = {{0, "pension", INT64_MAX, 1}, {0, "wage", 1, 1}};
    expect_refused(&m, 1, big, 2, NULL, 0, &p, "incomes[1].amount_fen");
    struct assistance_tekun_supporter sneg = {-1, 0, 0, 0, 0, 0, 0, 0, 0};
    expect_refused(&m, 1, NULL, 0, &sneg, 1, &p, "supporters[0]");
    /* Amounts that overflow: two people at a huge standard. */
    struct assistance_tekun_params huge = p;
    huge.basic_fen = INT64_MAX / 2 + 1;
    struct assistance_tekun_member two[] = {person(70), person(71)};
    expect_refused(two, 2, NULL, 0, NULL, 0, &huge, "members");
    huge = p, huge.dibao_standard_fen = INT64_MAX / 2 + 1;
    expect_refused(two, 2, NULL, 0, NULL, 0, &huge, "members"); /* the income line */
    struct assistance_tekun_params zero = p;
    zero.basic_fen = 0;
    expect_refused(&m, 1, NULL, 0, NULL, 0, &zero, "params");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_age_59_and_60),
        cmocka_unit_test(test_age_15_and_16),
        cmocka_unit_test(test_disability_grade_bounds_by_type),
        cmocka_unit_test(test_bounds_are_parameters),
        cmocka_unit_test(test_reason_names_the_member_who_can_work),
        cmocka_unit_test(test_supporters),
        cmocka_unit_test(test_income_exclusions),
        cmocka_unit_test(test_assets_within_the_tekun_limit),
        cmocka_unit_test(test_care_levels),
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_minor_continues_to_18_or_in_school),
        cmocka_unit_test(test_bad_input_and_overflow_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
