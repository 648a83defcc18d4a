/*
 * test_uscc.c - src/core/uscc.c: GB 32100-2015 codes, the GB 11714
 * organisation-code check inside them, normalisation and error messages.
 * Synthetic vectors were computed with an independent script.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "core/uscc.h"

#include "core/banned.h"

static const char *const valid[] = {
    "9144030071526726XG", /* rules.md §11.4, verified there */
    "91350100M000100Y43", /* the example usually quoted from GB 32100-2015 [S] */
    "91500110MA5U00003T", /* synthetic, 市场监管 企业 in 500110 */
    "12500110MA0000007P", /* synthetic, 机构编制 事业单位 */
    "52500110MA0000007K", /* synthetic, 民政 民办非企业单位 */
    "51500110MA6C000091", /* synthetic, 民政 社会团体 */
    "Y1500110MA0AB12CXY", /* synthetic, other authority, org check X */
};

static struct ms_uscc parse_ok(const char *text)
{
    struct ms_uscc u;
    struct ms_err err = MS_ERR_INIT;
    memset(&u, 0, sizeof(u));
    assert_int_equal(ms_uscc_parse(text, &u, &err), 0);
    assert_int_equal(err.code, 0);
    return u;
}

static int refuse(const char *text, struct ms_err *err)
{
    struct ms_uscc u;
    memset(&u, 0x5a, sizeof(u));
    int rc = ms_uscc_parse(text, &u, err);
    assert_true(rc < 0);
    assert_string_equal(err->field, "uscc");
    assert_true(err->message[0] != '\0');
    assert_true(err->message_zh[0] != '\0');
    assert_int_equal((unsigned char)u.authority, 0x5a);
    return rc;
}

static void test_uscc_check_char_matches_known_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
        assert_int_equal(ms_uscc_check_char(valid[i]), valid[i][17]);
}

static void test_uscc_check_char_refuses_symbols_outside_the_set(void **state)
{
    (void)state;
    assert_int_equal(ms_uscc_check_char("91440300715267I6X"), '\0');
    assert_int_equal(ms_uscc_check_char("9144030071526726x"), '\0'); /* upper case only */
    assert_int_equal(ms_uscc_check_char("9144030071"), '\0');
}

static void test_uscc_org_check_char_follows_gb_11714(void **state)
{
    (void)state;
    assert_int_equal(ms_uscc_org_check_char("71526726"), 'X'); /* 11 - 1 = 10 -> X */
    assert_int_equal(ms_uscc_org_check_char("00000000"), '0'); /* 11 - 0 = 11 -> 0 */
    assert_int_equal(ms_uscc_org_check_char("12345678"), '8');
    assert_int_equal(ms_uscc_org_check_char("MA5U0000"), '3');
    /* Letters count A=10 ... Z=35: M is 22 here, not its 31-symbol value 21. */
    assert_int_equal(ms_uscc_org_check_char("M000100Y"), '4');
    assert_int_equal(ms_uscc_org_check_char("M00010a0"), '\0');
}

static void test_uscc_parse_splits_the_fields(void **state)
{
    (void)state;
    struct ms_uscc u = parse_ok("91500110MA5U00003T");
    assert_string_equal(u.code, "91500110MA5U00003T");
    assert_int_equal(u.authority, '9');
    assert_int_equal(u.kind, '1');
    assert_string_equal(u.region, "500110");
    assert_string_equal(u.org_code, "MA5U00003");
}

static void test_uscc_parse_accepts_every_valid_vector(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
        assert_string_equal(parse_ok(valid[i]).code, valid[i]);
}

static void test_uscc_parse_normalises_lower_case(void **state)
{
    (void)state;
    assert_string_equal(parse_ok("9144030071526726xg").code, "9144030071526726XG");
    assert_string_equal(parse_ok("91500110ma5u00003t").code, "91500110MA5U00003T");
}

static void test_uscc_parse_refuses_i_o_s_v_z_with_position(void **state)
{
    (void)state;
    const char excluded[] = "IOSVZ";
    for (int i = 0; excluded[i]; i++) {
        char code[] = "91500110MA5U00003T";
        struct ms_err err = MS_ERR_INIT;
        code[10] = excluded[i];
        assert_int_equal(refuse(code, &err), MS_EFIELD);
        assert_non_null(strstr(err.message, "character 11"));
        assert_non_null(strstr(err.message_zh, "第 11 位"));
    }
}

static void test_uscc_parse_refuses_wrong_length_and_empty(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(refuse("", &err), MS_EMISSING);
    ms_err_init(&err);
    assert_int_equal(refuse("9144030071526726X", &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "18 characters"));
    ms_err_init(&err);
    assert_int_equal(refuse("9144030071526726XGG", &err), MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(refuse("715267-2X", &err), MS_EFIELD); /* an old bare org code */
}

static void test_uscc_parse_refuses_letters_in_the_region_code(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(refuse("9150A110MA5U00003T", &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "positions 3-8"));
}

static void test_uscc_parse_names_the_right_org_check_character(void **state)
{
    (void)state;
    /* rules.md §11.4 lists 91500110MA5U00000H as synthetic: its final check
     * is right but its organisation code MA5U0000-0 is not (should be 3). */
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(refuse("91500110MA5U00000H", &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "position 17"));
    assert_non_null(strstr(err.message, "expected 3"));
    assert_string_equal(err.message_zh, "组织机构代码校验位（第17位）错误，应为 3");
    ms_err_init(&err);
    assert_int_equal(refuse("12500110MA00000002", &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "expected 7"));
}

static void test_uscc_parse_names_the_right_final_check_character(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(refuse("9144030071526726XH", &err), MS_EFIELD);
    assert_string_equal(err.message_zh, "统一社会信用代码校验位错误，应为 G");
    assert_non_null(strstr(err.message, "expected G"));
}

static void test_uscc_parse_catches_every_single_symbol_slip(void **state)
{
    (void)state;
    static const char symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const char *good = "91500110MA5U00003T";
    for (int pos = 0; pos < 18; pos++) {
        for (int s = 0; symbols[s]; s++) {
            char code[19];
            if (symbols[s] == good[pos])
                continue;
            memcpy(code, good, sizeof(code));
            code[pos] = symbols[s];
            struct ms_uscc u;
            assert_true(ms_uscc_parse(code, &u, NULL) < 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uscc_check_char_matches_known_vectors),
        cmocka_unit_test(test_uscc_check_char_refuses_symbols_outside_the_set),
        cmocka_unit_test(test_uscc_org_check_char_follows_gb_11714),
        cmocka_unit_test(test_uscc_parse_splits_the_fields),
        cmocka_unit_test(test_uscc_parse_accepts_every_valid_vector),
        cmocka_unit_test(test_uscc_parse_normalises_lower_case),
        cmocka_unit_test(test_uscc_parse_refuses_i_o_s_v_z_with_position),
        cmocka_unit_test(test_uscc_parse_refuses_wrong_length_and_empty),
        cmocka_unit_test(test_uscc_parse_refuses_letters_in_the_region_code),
        cmocka_unit_test(test_uscc_parse_names_the_right_org_check_character),
        cmocka_unit_test(test_uscc_parse_names_the_right_final_check_character),
        cmocka_unit_test(test_uscc_parse_catches_every_single_symbol_slip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
