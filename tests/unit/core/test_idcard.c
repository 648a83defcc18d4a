/*
 * test_idcard.c - src/core/idcard.c: GB 11643-1999 check characters, parsing
 * with a distinct message per fault, retired region codes accepted, and the
 * 15-to-18 upgrade. Vectors were computed independently of this code (and
 * rules.md §11.1 lists the first four).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"

#include "core/banned.h"

static int32_t today(void)
{
    int32_t d = 0;
    assert_int_equal(ms_date_from_ymd(2026, 11, 29, &d), 0);
    return d;
}

static struct ms_idcard parse_ok(const char *text)
{
    struct ms_idcard id;
    struct ms_err err = MS_ERR_INIT;
    memset(&id, 0, sizeof(id));
    assert_int_equal(ms_idcard_parse(text, today(), &id, &err), 0);
    assert_int_equal(err.code, 0);
    return id;
}

/* Parses a number that must fail, checks the common error shape, and returns
 * the English message in buf for comparison. */
static int refuse(const char *text, char *buf, size_t size)
{
    struct ms_idcard id;
    struct ms_err err = MS_ERR_INIT;
    memset(&id, 0x5a, sizeof(id));
    int rc = ms_idcard_parse(text, today(), &id, &err);
    assert_true(rc < 0);
    assert_int_equal(rc, err.code);
    assert_string_equal(err.field, "id_number");
    assert_true(err.message[0] != '\0');
    assert_true(err.message_zh[0] != '\0');
    assert_int_equal((unsigned char)id.sex, 0x5a); /* *out untouched */
    if (buf)
        snprintf(buf, size, "%s", err.message);
    return rc;
}

static void assert_date_is(int32_t date, const char *want)
{
    char buf[MS_DATE_BUF];
    ms_date_format(date, buf);
    assert_string_equal(buf, want);
}

static void test_idcard_check_char_matches_known_vectors(void **state)
{
    (void)state;
    assert_int_equal(ms_idcard_check_char("11010519491231002"), 'X');
    assert_int_equal(ms_idcard_check_char("50011019480315123"), '8');
    assert_int_equal(ms_idcard_check_char("50022219900101001"), '5');
    assert_int_equal(ms_idcard_check_char("50011020250101004"), 'X');
    assert_int_equal(ms_idcard_check_char("83000019900101001"), '2');
    assert_int_equal(ms_idcard_check_char("11010519491231002X"), 'X'); /* 18th ignored */
}

static void test_idcard_check_char_refuses_non_digits_and_short_text(void **state)
{
    (void)state;
    assert_int_equal(ms_idcard_check_char("1101051949123100A"), '\0');
    assert_int_equal(ms_idcard_check_char("1101051949"), '\0');
    assert_int_equal(ms_idcard_check_char(""), '\0');
}

static void test_idcard_parse_splits_the_standard_example(void **state)
{
    (void)state;
    struct ms_idcard id = parse_ok("11010519491231002X");
    assert_string_equal(id.number, "11010519491231002X");
    assert_string_equal(id.region, "110105");
    assert_date_is(id.birth, "1949-12-31");
    assert_int_equal(id.sex, 'F');
}

static void test_idcard_parse_reads_sex_from_the_17th_digit(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("500110194803151238").sex, 'M');
    assert_int_equal(parse_ok("500222199001010015").sex, 'M');
    assert_int_equal(parse_ok("50011020250101004X").sex, 'F');
    assert_int_equal(parse_ok("810000198506150020").sex, 'F');
}

static void test_idcard_parse_normalises_lower_case_x(void **state)
{
    (void)state;
    struct ms_idcard id = parse_ok("11010519491231002x");
    assert_string_equal(id.number, "11010519491231002X");
}

static void test_idcard_parse_accepts_retired_region_codes(void **state)
{
    (void)state;
    /* rules.md §11.2: 500110 (old 万盛区, now 綦江区) and 500222 (old 綦江县)
     * must both stay valid; neither is checked against a county list. */
    assert_string_equal(parse_ok("500110194803151238").region, "500110");
    assert_string_equal(parse_ok("500222199001010015").region, "500222");
}

static void test_idcard_parse_accepts_residence_permit_prefixes(void **state)
{
    (void)state;
    assert_string_equal(parse_ok("830000199001010012").region, "830000"); /* Taiwan */
    assert_string_equal(parse_ok("810000198506150020").region, "810000"); /* Hong Kong */
    assert_string_equal(parse_ok("82000020000229003X").region, "820000"); /* Macao */
    assert_string_equal(parse_ok("710000198001010010").region, "710000");
    assert_string_equal(parse_ok("650102199912310010").region, "650102");
}

static void test_idcard_parse_refuses_unknown_province_codes(void **state)
{
    (void)state;
    const char *prefixes[] = {"00", "10", "16", "20", "24", "30", "38", "40", "47", "49",
                              "55", "60", "66", "70", "72", "80", "84", "91", "99"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        char num[MS_IDCARD_BUF], msg[MS_ERR_MSG_MAX];
        memcpy(num, prefixes[i], 2);
        memcpy(num + 2, "011019900101001", 15);
        num[17] = ms_idcard_check_char(num);
        num[18] = '\0';
        assert_int_equal(refuse(num, msg, sizeof(msg)), MS_EFIELD);
        assert_non_null(strstr(msg, "province"));
    }
}

static void test_idcard_parse_accepts_birth_on_1880_01_01_and_today(void **state)
{
    (void)state;
    assert_date_is(parse_ok("500110188001010010").birth, "1880-01-01");
    assert_date_is(parse_ok("500110202611290011").birth, "2026-11-29");
}

static void test_idcard_parse_refuses_birth_after_today(void **state)
{
    (void)state;
    char msg[MS_ERR_MSG_MAX];
    assert_int_equal(refuse("500110202611300013", msg, sizeof(msg)), MS_EFIELD);
    assert_non_null(strstr(msg, "future"));
}

static void test_idcard_parse_refuses_birth_before_1880(void **state)
{
    (void)state;
    char num[] = "50011018791231001?";
    char msg[MS_ERR_MSG_MAX];
    num[17] = ms_idcard_check_char(num);
    assert_int_equal(refuse(num, msg, sizeof(msg)), MS_EFIELD);
    assert_non_null(strstr(msg, "1880"));
}

static void test_idcard_parse_refuses_impossible_birth_dates(void **state)
{
    (void)state;
    const char *dates[] = {"19490231", "19490230", "20250229", "21000229",
                           "19491301", "19490001", "19490100", "00000101"};
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        char num[MS_IDCARD_BUF], msg[MS_ERR_MSG_MAX];
        memcpy(num, "110105", 6);
        memcpy(num + 6, dates[i], 8);
        memcpy(num + 14, "002", 3);
        num[17] = ms_idcard_check_char(num);
        num[18] = '\0';
        assert_int_equal(refuse(num, msg, sizeof(msg)), MS_EFIELD);
        assert_non_null(strstr(msg, "does not exist"));
    }
    /* 2000 and 2024 were leap years. */
    parse_ok("500110200002290017");
}

static void test_idcard_parse_names_the_right_check_character(void **state)
{
    (void)state;
    struct ms_idcard id;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_idcard_parse("110105194912310021", today(), &id, &err), MS_EFIELD);
    assert_string_equal(err.message_zh, "校验位错误，应为 X");
    assert_non_null(strstr(err.message, "expected X"));
}

static void test_idcard_parse_catches_a_single_digit_slip(void **state)
{
    (void)state;
    /* MOD 11-2 detects every single-digit substitution. */
    const char *good = "500110194803151238";
    for (int pos = 0; pos < 17; pos++) {
        for (char c = '0'; c <= '9'; c++) {
            char num[MS_IDCARD_BUF];
            if (c == good[pos])
                continue;
            memcpy(num, good, sizeof(num));
            num[pos] = c;
            struct ms_idcard id;
            assert_true(ms_idcard_parse(num, today(), &id, NULL) < 0);
        }
    }
}

static void test_idcard_parse_refuses_wrong_lengths(void **state)
{
    (void)state;
    char msg[MS_ERR_MSG_MAX];
    refuse("11010519491231002", msg, sizeof(msg));
    assert_non_null(strstr(msg, "not 17"));
    refuse("11010519491231002XX", msg, sizeof(msg));
    assert_non_null(strstr(msg, "not 19"));
    /* Full-width digits: 18 characters but 54 bytes. */
    refuse("１１０１０５１９４９１２３１００２Ｘ", msg, sizeof(msg));
    assert_non_null(strstr(msg, "ASCII"));
    refuse("１１０１０", msg, sizeof(msg)); /* 15 bytes, not the old 15 digits */
    assert_non_null(strstr(msg, "not 5"));
}

static void test_idcard_parse_gives_15_digit_numbers_their_own_message(void **state)
{
    (void)state;
    char msg[MS_ERR_MSG_MAX];
    assert_int_equal(refuse("110105491231002", msg, sizeof(msg)), MS_EFIELD);
    assert_non_null(strstr(msg, "15"));
}

static void test_idcard_parse_refuses_empty_text_as_missing(void **state)
{
    (void)state;
    assert_int_equal(refuse("", NULL, 0), MS_EMISSING);
}

static void test_idcard_parse_refuses_bad_characters(void **state)
{
    (void)state;
    char msg[MS_ERR_MSG_MAX];
    refuse("1101A519491231002X", msg, sizeof(msg));
    assert_non_null(strstr(msg, "character 5"));
    refuse("11010519491231002Y", msg, sizeof(msg));
    assert_non_null(strstr(msg, "digit or X"));
    refuse(" 11010519491231002", msg, sizeof(msg));
    assert_non_null(strstr(msg, "character 1"));
}

static void test_idcard_parse_messages_are_distinct_and_never_echo_the_number(void **state)
{
    (void)state;
    const char *bad[] = {
        "",                   /* empty */
        "11010519491231002",  /* length */
        "110105491231002",    /* 15 digits */
        "1101A519491231002X", /* character */
        "11010519491231002Y", /* last character */
        "100105194912310026", /* province */
        "110105194902310020", /* no such date */
        "110105202612310020", /* future */
        "110105187912310020", /* before 1880 */
        "110105194912310021", /* check */
    };
    enum { N = sizeof(bad) / sizeof(bad[0]) };
    char msgs[N][MS_ERR_MSG_MAX];
    for (size_t i = 0; i < N; i++) {
        refuse(bad[i], msgs[i], sizeof(msgs[i]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(msgs[i], msgs[j]);
        if (bad[i][0])
            assert_null(strstr(msgs[i], bad[i]));
        assert_null(strstr(msgs[i], "1949"));
    }
}

static void test_idcard_upgrade15_inserts_19_and_the_check_character(void **state)
{
    (void)state;
    char out[MS_IDCARD_BUF];
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_idcard_upgrade15("110105491231002", out, &err), 0);
    assert_string_equal(out, "11010519491231002X");
    assert_int_equal(ms_idcard_upgrade15("500110700101001", out, &err), 0);
    assert_string_equal(out, "500110197001010015");
    struct ms_idcard id = parse_ok(out);
    assert_date_is(id.birth, "1970-01-01");
}

static void test_idcard_upgrade15_refuses_bad_old_numbers(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "11010549123100",
                         "1101054912310021",
                         "11010549123100X",
                         "100105491231002",
                         "110105490231002",
                         "110105491301002"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char out[MS_IDCARD_BUF] = "unchanged";
        struct ms_err err = MS_ERR_INIT;
        assert_true(ms_idcard_upgrade15(bad[i], out, &err) < 0);
        assert_string_equal(err.field, "id_number");
        assert_true(err.message_zh[0] != '\0');
        assert_string_equal(out, "unchanged");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idcard_check_char_matches_known_vectors),
        cmocka_unit_test(test_idcard_check_char_refuses_non_digits_and_short_text),
        cmocka_unit_test(test_idcard_parse_splits_the_standard_example),
        cmocka_unit_test(test_idcard_parse_reads_sex_from_the_17th_digit),
        cmocka_unit_test(test_idcard_parse_normalises_lower_case_x),
        cmocka_unit_test(test_idcard_parse_accepts_retired_region_codes),
        cmocka_unit_test(test_idcard_parse_accepts_residence_permit_prefixes),
        cmocka_unit_test(test_idcard_parse_refuses_unknown_province_codes),
        cmocka_unit_test(test_idcard_parse_accepts_birth_on_1880_01_01_and_today),
        cmocka_unit_test(test_idcard_parse_refuses_birth_after_today),
        cmocka_unit_test(test_idcard_parse_refuses_birth_before_1880),
        cmocka_unit_test(test_idcard_parse_refuses_impossible_birth_dates),
        cmocka_unit_test(test_idcard_parse_names_the_right_check_character),
        cmocka_unit_test(test_idcard_parse_catches_a_single_digit_slip),
        cmocka_unit_test(test_idcard_parse_refuses_wrong_lengths),
        cmocka_unit_test(test_idcard_parse_gives_15_digit_numbers_their_own_message),
        cmocka_unit_test(test_idcard_parse_refuses_empty_text_as_missing),
        cmocka_unit_test(test_idcard_parse_refuses_bad_characters),
        cmocka_unit_test(test_idcard_parse_messages_are_distinct_and_never_echo_the_number),
        cmocka_unit_test(test_idcard_upgrade15_inserts_19_and_the_check_character),
        cmocka_unit_test(test_idcard_upgrade15_refuses_bad_old_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
