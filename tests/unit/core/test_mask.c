/*
 * test_mask.c - src/core/mask.c: the kept parts of well-formed ID numbers,
 * phones and names, and full masking of anything else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "core/mask.h"

#include "core/banned.h"

static void assert_id(const char *in, const char *want)
{
    char out[MS_MASK_ID_BUF];
    memset(out, '#', sizeof(out));
    ms_mask_id_number(in, out);
    assert_string_equal(out, want);
}

static void assert_phone(const char *in, const char *want)
{
    char out[MS_MASK_PHONE_BUF];
    memset(out, '#', sizeof(out));
    ms_mask_phone(in, out);
    assert_string_equal(out, want);
}

static void assert_name(const char *in, const char *want)
{
    char out[MS_MASK_NAME_BUF];
    memset(out, '#', sizeof(out));
    ms_mask_name(in, out);
    assert_string_equal(out, want);
}

static void test_mask_id_keeps_first_6_and_last_4(void **state)
{
    (void)state;
    assert_id("50011019480315123X", "500110********123X");
    assert_id("500110194803151238", "500110********1238");
}

static void test_mask_id_shows_lower_case_x_as_upper_case(void **state)
{
    (void)state;
    assert_id("50011019480315123x", "500110********123X");
}

static void test_mask_id_15_digits_keeps_first_6_and_last_3(void **state)
{
    (void)state;
    assert_id("110105491231002", "110105******002");
}

static void test_mask_id_malformed_becomes_all_asterisks(void **state)
{
    (void)state;
    assert_id("5001101948031512", "****************");
    assert_id("50011019480315123Y", "******************");
    assert_id("5001101948031512X8", "******************");
    assert_id("500110 1948031512", "*****************");
    assert_id("abc", "***");
    assert_id("", "");
    assert_id("５００１１０", "******"); /* full-width: one star per character */
    assert_id("5001101948031512345678901234", "******************"); /* capped */
}

static void test_mask_id_null_gives_empty(void **state)
{
    (void)state;
    assert_id(NULL, "");
}

static void test_mask_phone_mobile_keeps_first_3_and_last_4(void **state)
{
    (void)state;
    assert_phone("13812345678", "138****5678");
    assert_phone("19900001111", "199****1111");
}

static void test_mask_phone_landline_keeps_area_code_and_last_2(void **state)
{
    (void)state;
    assert_phone("023-12345678", "023-******78");
    assert_phone("010-1234567", "010-*****67");
    assert_phone("0851-1234567", "0851-*****67");
}

static void test_mask_phone_malformed_becomes_all_asterisks(void **state)
{
    (void)state;
    assert_phone("1381234567", "**********");             /* 10 digits */
    assert_phone("23812345678", "***********");           /* not starting with 1 */
    assert_phone("+8613812345678", "**************");     /* prefix not handled */
    assert_phone("023-1234567890", "**************");     /* local part too long */
    assert_phone("023-123456", "**********");             /* local part too short */
    assert_phone("023-12345678-801", "****************"); /* extension */
    assert_phone("02312345678", "***********");           /* landline without '-' */
    assert_phone("12-12345678", "***********");           /* area code not 0... */
    assert_phone("138 1234 5678", "*************");
    assert_phone("", "");
    assert_phone(NULL, "");
    assert_phone("1234567890123456789012345678", "***********************"); /* capped */
}

static void test_mask_name_keeps_the_first_character(void **state)
{
    (void)state;
    assert_name("张三丰", "张**");
    assert_name("张三", "张*");
    assert_name("欧阳娜娜", "欧***");
    assert_name("阿卜杜·买买提", "阿******");
    assert_name("Li Lei", "L*****");
}

static void test_mask_name_single_character_is_fully_masked(void **state)
{
    (void)state;
    assert_name("张", "*");
    assert_name("A", "*");
    assert_name("", "");
    assert_name(NULL, "");
}

static void test_mask_name_invalid_utf8_becomes_all_asterisks(void **state)
{
    (void)state;
    assert_name("\xe5\xbc", "**"); /* cut in the middle of 张 */
    assert_name("\xff\xfe\xfd", "***");
    assert_name("张\xc0\x80", "*****"); /* overlong NUL */
}

static void test_mask_name_long_names_are_cut_not_shown(void **state)
{
    (void)state;
    char name[400] = "";
    for (int i = 0; i < 100; i++)
        memcpy(name + i * 3, "张", 4);
    char out[MS_MASK_NAME_BUF];
    ms_mask_name(name, out);
    assert_int_equal(strlen(out), MS_MASK_NAME_BUF - 1);
    assert_int_equal(memcmp(out, "张", 3), 0);
    for (size_t i = 3; i < strlen(out); i++)
        assert_int_equal(out[i], '*');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_id_keeps_first_6_and_last_4),
        cmocka_unit_test(test_mask_id_shows_lower_case_x_as_upper_case),
        cmocka_unit_test(test_mask_id_15_digits_keeps_first_6_and_last_3),
        cmocka_unit_test(test_mask_id_malformed_becomes_all_asterisks),
        cmocka_unit_test(test_mask_id_null_gives_empty),
        cmocka_unit_test(test_mask_phone_mobile_keeps_first_3_and_last_4),
        cmocka_unit_test(test_mask_phone_landline_keeps_area_code_and_last_2),
        cmocka_unit_test(test_mask_phone_malformed_becomes_all_asterisks),
        cmocka_unit_test(test_mask_name_keeps_the_first_character),
        cmocka_unit_test(test_mask_name_single_character_is_fully_masked),
        cmocka_unit_test(test_mask_name_invalid_utf8_becomes_all_asterisks),
        cmocka_unit_test(test_mask_name_long_names_are_cut_not_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
