/*
 * test_money.c - src/core/money.c: strict parsing of yuan text into fen,
 * exact formatting (INT64_MIN included), overflow-checked arithmetic, and
 * ratios with half-away-from-zero rounding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/money.h"

#include "core/banned.h"

static int64_t parse_ok(const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t fen = -777;
    assert_int_equal(ms_money_parse(text, &fen, &err), 0);
    assert_int_equal(err.code, 0);
    return fen;
}

static void assert_parse_refused(const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t fen = -777;
    assert_int_equal(ms_money_parse(text, &fen, &err), MS_EFIELD);
    assert_int_equal(err.code, MS_EFIELD);
    assert_string_equal(err.field, "amount");
    assert_true(err.message[0] != '\0');
    assert_true(err.message_zh[0] != '\0');
    assert_int_equal(fen, -777); /* untouched on failure */
}

static void assert_format(int64_t fen, const char *want)
{
    char buf[MS_MONEY_BUF];
    memset(buf, 'Z', sizeof(buf));
    ms_money_format(fen, buf);
    assert_string_equal(buf, want);
}

static void test_money_parse_accepts_whole_yuan(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("770"), 77000);
    assert_int_equal(parse_ok("0"), 0);
    assert_int_equal(parse_ok("007"), 700);
}

static void test_money_parse_accepts_one_and_two_decimals(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("770.5"), 77050);
    assert_int_equal(parse_ok("770.50"), 77050);
    assert_int_equal(parse_ok("0.01"), 1);
    assert_int_equal(parse_ok("0.1"), 10);
}

static void test_money_parse_accepts_negative_amounts(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("-12.34"), -1234);
    assert_int_equal(parse_ok("-0.05"), -5);
    assert_int_equal(parse_ok("-0"), 0);
}

static void test_money_parse_rejects_three_decimals(void **state)
{
    (void)state;
    assert_parse_refused("770.505");
    assert_parse_refused("0.001");
    struct ms_err err = MS_ERR_INIT;
    int64_t fen;
    ms_money_parse("1.234", &fen, &err);
    assert_non_null(strstr(err.message, "decimals"));
    assert_non_null(strstr(err.message_zh, "最多保留 2 位小数"));
}

static void test_money_parse_rejects_empty_and_lone_sign(void **state)
{
    (void)state;
    assert_parse_refused("");
    assert_parse_refused("-");
    assert_parse_refused("+");
}

static void test_money_parse_rejects_spaces_signs_and_exponents(void **state)
{
    (void)state;
    assert_parse_refused(" 770");
    assert_parse_refused("770 ");
    assert_parse_refused("7 70");
    assert_parse_refused("+770");
    assert_parse_refused("1e3");
    assert_parse_refused("1E3");
    assert_parse_refused("--5");
    assert_parse_refused("5-");
    assert_parse_refused("0x10");
    assert_parse_refused("７７０"); /* full-width digits */
}

static void test_money_parse_rejects_thousands_separators(void **state)
{
    (void)state;
    assert_parse_refused("1,000");
    assert_parse_refused("1,000.00");
    assert_parse_refused("1'000");
}

static void test_money_parse_rejects_dot_without_digits_on_both_sides(void **state)
{
    (void)state;
    assert_parse_refused(".5");
    assert_parse_refused("5.");
    assert_parse_refused(".");
    assert_parse_refused("1.2.3");
    assert_parse_refused("-.5");
}

static void test_money_parse_reaches_int64_limits_exactly(void **state)
{
    (void)state;
    assert_true(parse_ok("92233720368547758.07") == INT64_MAX);
    assert_true(parse_ok("-92233720368547758.08") == INT64_MIN);
    assert_true(parse_ok("92233720368547758") == INT64_MAX - 7);
}

static void test_money_parse_rejects_overflow(void **state)
{
    (void)state;
    assert_parse_refused("92233720368547758.08");
    assert_parse_refused("-92233720368547758.09");
    assert_parse_refused("92233720368547759");
    assert_parse_refused("99999999999999999999999999");
    struct ms_err err = MS_ERR_INIT;
    int64_t fen;
    ms_money_parse("92233720368547758.08", &fen, &err);
    assert_non_null(strstr(err.message, "out of range"));
    assert_non_null(strstr(err.message_zh, "超出"));
}

static void test_money_parse_error_never_echoes_control_bytes(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    int64_t fen;
    assert_int_equal(ms_money_parse("1\n2", &fen, &err), MS_EFIELD);
    assert_null(strchr(err.message, '\n'));
}

static void test_money_parse_accepts_null_err(void **state)
{
    (void)state;
    int64_t fen = 0;
    assert_int_equal(ms_money_parse("abc", &fen, NULL), MS_EFIELD);
    assert_int_equal(ms_money_parse("1.25", &fen, NULL), 0);
    assert_int_equal(fen, 125);
}

static void test_money_format_writes_two_decimals(void **state)
{
    (void)state;
    assert_format(77000, "770.00");
    assert_format(77050, "770.50");
    assert_format(1, "0.01");
    assert_format(0, "0.00");
    assert_format(100, "1.00");
}

static void test_money_format_writes_negative_amounts(void **state)
{
    (void)state;
    assert_format(-5, "-0.05");
    assert_format(-1234, "-12.34");
    assert_format(-100, "-1.00");
}

static void test_money_format_handles_int64_extremes(void **state)
{
    (void)state;
    assert_format(INT64_MAX, "92233720368547758.07");
    assert_format(INT64_MIN, "-92233720368547758.08");
    assert_true(strlen("-92233720368547758.08") < MS_MONEY_BUF);
}

static void test_money_format_and_parse_round_trip(void **state)
{
    (void)state;
    const int64_t values[] = {0,     1,      -1,        99,        100,           -101,
                              77000, 141000, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
    char buf[MS_MONEY_BUF];
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        ms_money_format(values[i], buf);
        assert_true(parse_ok(buf) == values[i]);
    }
}

static void test_money_add_and_sub_refuse_overflow(void **state)
{
    (void)state;
    int64_t out = 42;
    assert_int_equal(ms_money_add(1, 2, &out), 0);
    assert_int_equal(out, 3);
    assert_int_equal(ms_money_add(INT64_MAX, 1, &out), MS_EFIELD);
    assert_int_equal(ms_money_add(INT64_MIN, -1, &out), MS_EFIELD);
    assert_int_equal(out, 3); /* untouched on failure */
    assert_int_equal(ms_money_add(INT64_MAX, INT64_MIN, &out), 0);
    assert_int_equal(out, -1);
    assert_int_equal(ms_money_sub(INT64_MIN, 1, &out), MS_EFIELD);
    assert_int_equal(ms_money_sub(0, INT64_MIN, &out), MS_EFIELD);
    assert_int_equal(ms_money_sub(5, 7, &out), 0);
    assert_int_equal(out, -2);
}

static void test_money_mul_refuses_overflow(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ms_money_mul(77000, 3, &out), 0);
    assert_int_equal(out, 231000);
    assert_int_equal(ms_money_mul(INT64_MAX / 2 + 1, 2, &out), MS_EFIELD);
    assert_int_equal(ms_money_mul(INT64_MIN, -1, &out), MS_EFIELD);
    assert_int_equal(ms_money_mul(-1, INT64_MAX, &out), 0);
    assert_true(out == -INT64_MAX);
}

/* rules.md §1.4: standard 77000, per-capita income 30000, household of 3. */
static void test_money_rules_worked_example_gives_141000_fen(void **state)
{
    (void)state;
    int64_t standard = parse_ok("770.00"), per_capita = parse_ok("300"), gap, benefit;
    assert_int_equal(ms_money_sub(standard, per_capita, &gap), 0);
    assert_int_equal(ms_money_mul(gap, 3, &benefit), 0);
    assert_int_equal(benefit, 141000);
    char buf[MS_MONEY_BUF];
    ms_money_format(benefit, buf);
    assert_string_equal(buf, "1410.00");
}

static void test_money_parse_ratio_gives_parts_per_million(void **state)
{
    (void)state;
    int64_t ppm = 0;
    assert_int_equal(ms_money_parse_ratio("1.5", &ppm, NULL), 0);
    assert_int_equal(ppm, 1500000);
    assert_int_equal(ms_money_parse_ratio("1", &ppm, NULL), 0);
    assert_int_equal(ppm, MS_RATIO_ONE);
    assert_int_equal(ms_money_parse_ratio("0.000001", &ppm, NULL), 0);
    assert_int_equal(ppm, 1);
    assert_int_equal(ms_money_parse_ratio("0.3", &ppm, NULL), 0);
    assert_int_equal(ppm, 300000);
    assert_int_equal(ms_money_parse_ratio("-0.25", &ppm, NULL), 0);
    assert_int_equal(ppm, -250000);
}

static void test_money_parse_ratio_rejects_bad_text(void **state)
{
    (void)state;
    const char *bad[] = {"",   "1.0000001",      "1e2", "+1", " 1", "1,5", ".5",
                         "1.", "1000000.000001", "abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        int64_t ppm = 7;
        assert_int_equal(ms_money_parse_ratio(bad[i], &ppm, &err), MS_EFIELD);
        assert_string_equal(err.field, "ratio");
        assert_true(err.message_zh[0] != '\0');
        assert_int_equal(ppm, 7);
    }
    int64_t ppm = 0;
    assert_int_equal(ms_money_parse_ratio("1000000", &ppm, NULL), 0);
    assert_true(ppm == MS_RATIO_MAX_PPM);
}

static void test_money_apply_ratio_rounds_half_away_from_zero(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ms_money_apply_ratio(3, 1500000, &out), 0); /* 4.5 -> 5 */
    assert_int_equal(out, 5);
    assert_int_equal(ms_money_apply_ratio(-3, 1500000, &out), 0); /* -4.5 -> -5 */
    assert_int_equal(out, -5);
    assert_int_equal(ms_money_apply_ratio(1, 500000, &out), 0); /* 0.5 -> 1 */
    assert_int_equal(out, 1);
    assert_int_equal(ms_money_apply_ratio(1, 499999, &out), 0); /* 0.499999 -> 0 */
    assert_int_equal(out, 0);
    assert_int_equal(ms_money_apply_ratio(-1, 500000, &out), 0);
    assert_int_equal(out, -1);
    assert_int_equal(ms_money_apply_ratio(1, -500000, &out), 0);
    assert_int_equal(out, -1);
    assert_int_equal(ms_money_apply_ratio(10, 333333, &out), 0); /* 3.33333 -> 3 */
    assert_int_equal(out, 3);
    assert_int_equal(ms_money_apply_ratio(77000, 1500000, &out), 0);
    assert_int_equal(out, 115500);
    assert_int_equal(ms_money_apply_ratio(12345678, MS_RATIO_ONE, &out), 0);
    assert_int_equal(out, 12345678);
}

static void test_money_apply_ratio_is_exact_for_large_amounts(void **state)
{
    (void)state;
    int64_t out = 0;
    /* 9223372036854.775807 * 1.0: the split must not lose the low digits. */
    assert_int_equal(ms_money_apply_ratio(INT64_MAX, MS_RATIO_ONE, &out), 0);
    assert_true(out == INT64_MAX);
    assert_int_equal(ms_money_apply_ratio(INT64_MIN, MS_RATIO_ONE, &out), 0);
    assert_true(out == INT64_MIN);
    assert_int_equal(ms_money_apply_ratio(INT64_MAX, 500000, &out), 0);
    assert_true(out == INT64_MAX / 2 + 1); /* ...03.5 rounds up */
}

static void test_money_apply_ratio_refuses_overflow_and_bad_ratio(void **state)
{
    (void)state;
    int64_t out = 99;
    assert_int_equal(ms_money_apply_ratio(INT64_MAX, 2 * MS_RATIO_ONE, &out), MS_EFIELD);
    assert_int_equal(ms_money_apply_ratio(INT64_MIN, -MS_RATIO_ONE, &out), MS_EFIELD);
    assert_int_equal(ms_money_apply_ratio(1, MS_RATIO_MAX_PPM + 1, &out), MS_EINVAL);
    assert_int_equal(ms_money_apply_ratio(1, -MS_RATIO_MAX_PPM - 1, &out), MS_EINVAL);
    assert_int_equal(out, 99);
    assert_int_equal(ms_money_apply_ratio(999999, MS_RATIO_MAX_PPM, &out), 0);
    assert_true(out == 999999LL * 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse_accepts_whole_yuan),
        cmocka_unit_test(test_money_parse_accepts_one_and_two_decimals),
        cmocka_unit_test(test_money_parse_accepts_negative_amounts),
        cmocka_unit_test(test_money_parse_rejects_three_decimals),
        cmocka_unit_test(test_money_parse_rejects_empty_and_lone_sign),
        cmocka_unit_test(test_money_parse_rejects_spaces_signs_and_exponents),
        cmocka_unit_test(test_money_parse_rejects_thousands_separators),
        cmocka_unit_test(test_money_parse_rejects_dot_without_digits_on_both_sides),
        cmocka_unit_test(test_money_parse_reaches_int64_limits_exactly),
        cmocka_unit_test(test_money_parse_rejects_overflow),
        cmocka_unit_test(test_money_parse_error_never_echoes_control_bytes),
        cmocka_unit_test(test_money_parse_accepts_null_err),
        cmocka_unit_test(test_money_format_writes_two_decimals),
        cmocka_unit_test(test_money_format_writes_negative_amounts),
        cmocka_unit_test(test_money_format_handles_int64_extremes),
        cmocka_unit_test(test_money_format_and_parse_round_trip),
        cmocka_unit_test(test_money_add_and_sub_refuse_overflow),
        cmocka_unit_test(test_money_mul_refuses_overflow),
        cmocka_unit_test(test_money_rules_worked_example_gives_141000_fen),
        cmocka_unit_test(test_money_parse_ratio_gives_parts_per_million),
        cmocka_unit_test(test_money_parse_ratio_rejects_bad_text),
        cmocka_unit_test(test_money_apply_ratio_rounds_half_away_from_zero),
        cmocka_unit_test(test_money_apply_ratio_is_exact_for_large_amounts),
        cmocka_unit_test(test_money_apply_ratio_refuses_overflow_and_bad_ratio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
