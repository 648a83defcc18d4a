/*
 * test_similarity.c - src/core/similarity.c: Jaro-Winkler against the
 * published pairs, the fuzzy pinyin merges (and the ones it must not make),
 * and every level boundary of the name, ID, date, region and phone
 * comparators. ID numbers here are synthetic: built with
 * ms_idcard_check_char() from made-up bodies. A few name cases go through
 * ms_pinyin_name() so the comparators are seen on the keys the registry
 * stores; the group teardown releases ICU so leak checkers see nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "core/similarity.h"

#include "core/banned.h"

/* --- Jaro-Winkler ------------------------------------------------------- */

static void assert_jw(const char *a, const char *b, double want)
{
    double got = ms_sim_jaro_winkler(a, b);
    assert_true(got > want - 0.0005 && got < want + 0.0005);
    /* Symmetric. */
    double back = ms_sim_jaro_winkler(b, a);
    assert_true(back > got - 1e-12 && back < got + 1e-12);
}

static void test_jw_matches_the_published_pairs(void **state)
{
    (void)state;
    assert_jw("MARTHA", "MARHTA", 0.961);
    assert_jw("DWAYNE", "DUANE", 0.840);
    assert_jw("DIXON", "DICKSONX", 0.813);
}

static void test_jw_equal_strings_give_one_and_disjoint_zero(void **state)
{
    (void)state;
    assert_true(ms_sim_jaro_winkler("zhangsan", "zhangsan") == 1.0);
    assert_true(ms_sim_jaro_winkler("abc", "xyz") == 0.0);
    assert_true(ms_sim_jaro_winkler("a", "a") == 1.0);
    /* Window floor(2/2) - 1 = 0: a swapped pair of two has no matches. */
    assert_true(ms_sim_jaro_winkler("ab", "ba") == 0.0);
}

static void test_jw_empty_is_one_only_when_both_empty(void **state)
{
    (void)state;
    assert_true(ms_sim_jaro_winkler("", "") == 1.0);
    assert_true(ms_sim_jaro_winkler(NULL, "") == 1.0);
    assert_true(ms_sim_jaro_winkler("", "a") == 0.0);
    assert_true(ms_sim_jaro_winkler("a", NULL) == 0.0);
}

static void test_jw_prefix_boost_only_above_threshold(void **state)
{
    (void)state;
    /* "abcd" / "abxy": jaro = (2/4 + 2/4 + 1) / 3 = 2/3, below 0.7, so the
     * common prefix "ab" adds nothing. */
    assert_jw("abcd", "abxy", 2.0 / 3.0);
    /* "abcdef" / "abcxyz": jaro = (3/6 + 3/6 + 1)/3 = 2/3 too. */
    assert_jw("abcdef", "abcxyz", 2.0 / 3.0);
    /* Prefix capped at 4: jaro of "abcdefgh" / "abcdefgx" is 0.9167, and
     * the boost uses 4 of the 7 common leading characters. */
    double jaro = (7.0 / 8.0 + 7.0 / 8.0 + 1.0) / 3.0;
    assert_jw("abcdefgh", "abcdefgx", jaro + 4 * 0.1 * (1.0 - jaro));
}

/* --- fuzzy pinyin ------------------------------------------------------- */

static void assert_fuzzy(const char *in, const char *want)
{
    char out[MS_SIM_FUZZY_BUF];
    memset(out, '#', sizeof(out));
    ms_sim_fuzzy_pinyin(in, out, sizeof(out));
    assert_string_equal(out, want);
}

static void test_fuzzy_merges_the_chongqing_initials(void **state)
{
    (void)state;
    assert_fuzzy("zhang san feng", "zangsanhen");
    assert_fuzzy("zhi chi shi", "zicisi");
    assert_fuzzy("fang", "hang");
    assert_fuzzy("nan", "lan");
    assert_fuzzy("niu", "liu");
    assert_fuzzy("fu", "hu");
}

static void test_fuzzy_maps_initials_only_at_syllable_start(void **state)
{
    (void)state;
    /* The n of the finals -an and -un stays, and an h that is an initial
     * of its own is kept. */
    assert_fuzzy("nan fan", "lanhan");
    assert_fuzzy("han zhu", "hanzu");
    assert_fuzzy("an", "an");
    /* Syllabic "ng" (嗯) has no vowel after n: not an initial. */
    assert_fuzzy("ng", "ng");
}

static void test_fuzzy_merges_eng_en_and_ing_in(void **state)
{
    (void)state;
    assert_fuzzy("zheng", "zen");
    assert_fuzzy("zhen", "zen");
    assert_fuzzy("ming", "min");
    assert_fuzzy("ning", "lin");
    assert_fuzzy("weng", "wen");
}

static void test_fuzzy_does_not_merge_an_ang_or_ong(void **state)
{
    (void)state;
    assert_fuzzy("zhang", "zang");
    assert_fuzzy("zhan", "zan");
    assert_fuzzy("hong", "hong");
    assert_fuzzy("feng", "hen"); /* 冯 and 洪 stay apart */
    assert_fuzzy("huang", "huang");
    assert_fuzzy("wang", "wang");
}

static void test_fuzzy_writes_v_as_u_after_l_and_n(void **state)
{
    (void)state;
    assert_fuzzy("lv bu", "lubu");
    assert_fuzzy("nv", "lu");
    assert_fuzzy("nve", "lue");
    assert_fuzzy("lu", "lu");
    /* Only right after the initial: "xu" and "yu" are untouched anyway. */
    assert_fuzzy("xu yu", "xuyu");
}

static void test_fuzzy_lower_cases_and_passes_digits(void **state)
{
    (void)state;
    assert_fuzzy("Zhang  San", "zangsan");
    assert_fuzzy("li bo2", "libo2");
    assert_fuzzy("", "");
    assert_fuzzy(NULL, "");
}

static void test_fuzzy_truncates_to_the_buffer(void **state)
{
    (void)state;
    char out[5];
    memset(out, '#', sizeof(out));
    ms_sim_fuzzy_pinyin("zhang san feng", out, sizeof(out));
    assert_string_equal(out, "zang");
    ms_sim_fuzzy_pinyin("zhang", out, 1);
    assert_string_equal(out, "");
    out[0] = '#';
    ms_sim_fuzzy_pinyin("zhang", out, 0);
    assert_int_equal(out[0], '#');
}

/* --- names -------------------------------------------------------------- */

static int name_level(const char *pa, const char *pb, const char *ha, const char *hb)
{
    int level = ms_sim_name_level(pa, pb, ha, hb, MS_SIM_NAME_JW_MIN);
    assert_int_equal(ms_sim_name_level(pb, pa, hb, ha, MS_SIM_NAME_JW_MIN), level);
    return level;
}

static void test_name_level_4_same_characters(void **state)
{
    (void)state;
    assert_int_equal(name_level("zhang san", "zhang san", "张三", "张三"), 4);
    /* Characters decide even when the pinyin is missing. */
    assert_int_equal(name_level(NULL, "", "张三", "张三"), 4);
}

static void test_name_level_3_homophones(void **state)
{
    (void)state;
    assert_int_equal(name_level("zhang san", "zhang san", "张三", "章三"), 3);
    /* Without characters, equal pinyin is the best that can be said. */
    assert_int_equal(name_level("zhang san", "zhang san", NULL, NULL), 3);
}

static void test_name_level_2_fuzzy_pinyin(void **state)
{
    (void)state;
    assert_int_equal(name_level("zhang san", "zhang shan", "张三", "张山"), 2);
    assert_int_equal(name_level("liu", "niu", "刘", "牛"), 2);
    assert_int_equal(name_level("lv bu", "lu bu", "吕布", "卢布"), 2);
}

static void test_name_level_1_jaro_winkler_of_joined_pinyin(void **state)
{
    (void)state;
    /* wangxiaoming / wangxiaomei: 0.9485. */
    assert_int_equal(name_level("wang xiao ming", "wang xiao mei", "王小明", "王小梅"), 1);
    /* huangxiaoming / wangxiaoming: 0.9209, level 1 as well, just: a
     * different surname with the same given name is close by this measure. */
    assert_jw("huangxiaoming", "wangxiaoming", 0.921);
    assert_int_equal(name_level("huang xiao ming", "wang xiao ming", "黄小明", "王小明"), 1);
}

static void test_name_level_threshold_is_inclusive(void **state)
{
    (void)state;
    double jw = ms_sim_jaro_winkler("wangxiaoming", "wangxiaomei");
    assert_int_equal(ms_sim_name_level("wang xiao ming", "wang xiao mei", "王小明", "王小梅", jw),
                     1);
    assert_int_equal(
        ms_sim_name_level("wang xiao ming", "wang xiao mei", "王小明", "王小梅", jw + 1e-9), 0);
}

static void test_name_level_0_different_or_missing(void **state)
{
    (void)state;
    /* 黄 / 王: huang / wang, Jaro-Winkler 0.783: h/w is not a merge. */
    assert_int_equal(name_level("huang", "wang", "黄", "王"), 0);
    /* 冯 / 洪: feng -> hen, hong -> hong: the f/h merge does not make
     * eng and ong equal; Jaro-Winkler 0.667. */
    assert_int_equal(name_level("feng", "hong", "冯", "洪"), 0);
    assert_int_equal(name_level("", "zhang san", "", "张三"), 0);
    assert_int_equal(name_level(NULL, NULL, NULL, NULL), 0);
    /* Empty characters are missing, not equal. */
    assert_int_equal(name_level("", "", "", ""), 0);
}

static void pinyin_of(const char *name, struct ms_pinyin *out)
{
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_name(name, out, &err), 0);
}

static int name_level_of(const char *a, const char *b)
{
    struct ms_pinyin pa, pb;
    pinyin_of(a, &pa);
    pinyin_of(b, &pb);
    return name_level(pa.full, pb.full, a, b);
}

static void test_name_level_on_stored_pinyin_keys(void **state)
{
    (void)state;
    assert_int_equal(name_level_of("张三", "张三"), 4);
    assert_int_equal(name_level_of("张三", "章三"), 3);
    assert_int_equal(name_level_of("张三", "张山"), 2);
    assert_int_equal(name_level_of("刘伟", "牛伟"), 2);
    assert_int_equal(name_level_of("吕布", "卢布"), 2);
    assert_int_equal(name_level_of("冯伟", "洪伟"), 0);
}

static int teardown_pinyin(void **state)
{
    (void)state;
    ms_pinyin_release_all();
    return 0;
}

/* --- ID numbers --------------------------------------------------------- */

/* An 18-character number from a 17-digit body and its right check char. */
static void id_of(const char *body17, char out[MS_IDCARD_BUF])
{
    memcpy(out, body17, 17);
    out[17] = ms_idcard_check_char(body17);
    assert_true(out[17] != '\0');
    out[18] = '\0';
}

static int id_level(const char *a, const char *b)
{
    int level = ms_sim_id_level(a, b);
    assert_int_equal(ms_sim_id_level(b, a), level);
    return level;
}

#define BODY "50010119800315123" /* synthetic */

static void test_id_level_3_equal(void **state)
{
    (void)state;
    char a[MS_IDCARD_BUF];
    id_of(BODY, a);
    assert_int_equal(id_level(a, a), 3);
    assert_int_equal(id_level("50010119800315123X", "50010119800315123x"), 3);
}

static void test_id_level_2_one_character_off(void **state)
{
    (void)state;
    char a[MS_IDCARD_BUF], b[MS_IDCARD_BUF];
    id_of(BODY, a);
    /* A slip in the body, check character as typed (now wrong). */
    memcpy(b, a, sizeof(b));
    b[10] = '4';
    assert_int_equal(id_level(a, b), 2);
    /* The same slip with the check character computed afterwards looks
     * like a neighbour born the same day: no evidence. */
    id_of("50010119800415123", b);
    assert_true(b[17] != a[17]);
    assert_int_equal(id_level(a, b), 0);
    id_of("50010119800315125", b); /* consecutive sequence numbers */
    assert_int_equal(id_level(a, b), 0);
    /* Only the check character differs. */
    memcpy(b, a, sizeof(b));
    b[17] = a[17] == '0' ? '1' : '0';
    assert_int_equal(id_level(a, b), 2);
    /* First and last positions of the body. */
    memcpy(b, a, sizeof(b));
    b[0] = '4';
    assert_int_equal(id_level(a, b), 2);
    memcpy(b, a, sizeof(b));
    b[16] = '4';
    assert_int_equal(id_level(a, b), 2);
}

static void test_id_level_1_adjacent_transposition(void **state)
{
    (void)state;
    char a[MS_IDCARD_BUF], b[MS_IDCARD_BUF];
    id_of(BODY, a);
    /* 0315 typed as 0351, check character as typed. */
    memcpy(b, a, sizeof(b));
    b[12] = '5';
    b[13] = '1';
    assert_int_equal(id_level(a, b), 1);
    /* The same with the check character recomputed: level 0. */
    id_of("50010119800351123", b);
    assert_int_equal(id_level(a, b), 0);
    /* The last two characters swapped. */
    memcpy(b, a, sizeof(b));
    b[16] = a[17];
    b[17] = a[16];
    if (a[16] != a[17])
        assert_int_equal(id_level(a, b), 1);
    /* Positions 0 and 1. */
    memcpy(b, a, sizeof(b));
    b[0] = '0';
    b[1] = '5';
    assert_int_equal(id_level(a, b), 1);
}

/* Numbers validated when stored: a slip always comes with a recomputed
 * check character, so that counts again. */
static void test_id_level_validated(void **state)
{
    (void)state;
    char a[MS_IDCARD_BUF], b[MS_IDCARD_BUF];
    id_of(BODY, a);
    id_of("50010119800415123", b);
    assert_int_equal(ms_sim_id_level(a, b), 0);
    assert_int_equal(ms_sim_id_level_validated(a, b), 2);
    id_of("50010119800351123", b);
    assert_int_equal(ms_sim_id_level_validated(a, b), 1);
    assert_int_equal(ms_sim_id_level_validated(a, a), 3);
    id_of("50010119800416123", b); /* two digits */
    assert_int_equal(ms_sim_id_level_validated(a, b), 0);
}

static void test_id_level_0_otherwise(void **state)
{
    (void)state;
    char a[MS_IDCARD_BUF], b[MS_IDCARD_BUF];
    id_of(BODY, a);
    /* Two slips. */
    memcpy(b, a, sizeof(b));
    b[3] = '9';
    b[10] = '4';
    assert_int_equal(id_level(a, b), 0);
    /* A transposition that is not adjacent (0315 -> 5310). */
    memcpy(b, a, sizeof(b));
    b[10] = '5';
    b[13] = '0';
    assert_int_equal(id_level(a, b), 0);
    /* Two adjacent differences that are not a swap (15 -> 26). */
    memcpy(b, a, sizeof(b));
    b[12] = '2';
    b[13] = '6';
    assert_int_equal(id_level(a, b), 0);
    /* Missing or not 18 characters. */
    assert_int_equal(id_level(a, ""), 0);
    assert_int_equal(id_level(a, NULL), 0);
    assert_int_equal(id_level("", ""), 0);
    assert_int_equal(id_level("500101800315123", "500101800315123"), 0);
    assert_int_equal(id_level("50010119800315123X0", "50010119800315123X0"), 0);
}

/* --- dates -------------------------------------------------------------- */

static int32_t ymd(int y, int m, int d)
{
    int32_t out = 0;
    assert_int_equal(ms_date_from_ymd(y, m, d, &out), 0);
    return out;
}

static int date_level(int32_t a, int32_t b)
{
    int level = ms_sim_date_level(a, b);
    assert_int_equal(ms_sim_date_level(b, a), level);
    return level;
}

static void test_date_level_3_equal(void **state)
{
    (void)state;
    assert_int_equal(date_level(ymd(1980, 3, 15), ymd(1980, 3, 15)), 3);
    assert_int_equal(date_level(MS_DATE_MIN, MS_DATE_MIN), 3);
    assert_int_equal(date_level(MS_DATE_MAX, MS_DATE_MAX), 3);
}

static void test_date_level_2_day_and_month_swapped(void **state)
{
    (void)state;
    assert_int_equal(date_level(ymd(1980, 3, 5), ymd(1980, 5, 3)), 2);
    assert_int_equal(date_level(ymd(1980, 1, 12), ymd(1980, 12, 1)), 2);
    /* Swapped digits 01-10 / 10-01 are a swap, not a digit slip. */
    assert_int_equal(date_level(ymd(2000, 10, 1), ymd(2000, 1, 10)), 2);
    /* The year must agree too. */
    assert_int_equal(date_level(ymd(1980, 3, 5), ymd(1981, 5, 3)), 0);
}

static void test_date_level_1_one_digit_off(void **state)
{
    (void)state;
    assert_int_equal(date_level(ymd(1980, 3, 15), ymd(1980, 3, 16)), 1);
    assert_int_equal(date_level(ymd(1986, 3, 15), ymd(1980, 3, 15)), 1);
    assert_int_equal(date_level(ymd(1980, 3, 15), ymd(1980, 8, 15)), 1);
    assert_int_equal(date_level(ymd(1980, 3, 15), ymd(2980, 3, 15)), 1);
    assert_int_equal(date_level(ymd(1980, 3, 5), ymd(1980, 3, 25)), 1);
}

static void test_date_level_0_otherwise(void **state)
{
    (void)state;
    /* One day apart across a carry: two digits differ. */
    assert_int_equal(date_level(ymd(1980, 3, 19), ymd(1980, 3, 20)), 0);
    assert_int_equal(date_level(ymd(1980, 3, 31), ymd(1980, 4, 1)), 0);
    assert_int_equal(date_level(ymd(1980, 3, 15), ymd(1981, 3, 16)), 0);
    /* Outside the supported range counts as missing, even when equal. */
    assert_int_equal(date_level(MS_DATE_MAX + 1, MS_DATE_MAX + 1), 0);
    assert_int_equal(date_level(MS_DATE_MIN - 1, ymd(1980, 3, 15)), 0);
    assert_int_equal(date_level(INT32_MIN, INT32_MAX), 0);
}

/* --- regions ------------------------------------------------------------ */

static int region_level(const char *a, const char *b)
{
    int level = ms_sim_region_level(a, b);
    assert_int_equal(ms_sim_region_level(b, a), level);
    return level;
}

static void test_region_levels_follow_the_code_prefix(void **state)
{
    (void)state;
    assert_int_equal(region_level("500106001001", "500106001001"), 3);
    assert_int_equal(region_level("500106001001", "500106001002"), 2);
    assert_int_equal(region_level("500106001001", "500106002001"), 1);
    assert_int_equal(region_level("500106001001", "500107001001"), 0);
}

static void test_region_short_or_padded_codes_reach_their_depth_only(void **state)
{
    (void)state;
    /* A county, written with or without its zero padding. */
    assert_int_equal(region_level("500106000000", "500106000000"), 1);
    assert_int_equal(region_level("500106", "500106001001"), 1);
    assert_int_equal(region_level("500106000000", "500106001001"), 1);
    /* A township. */
    assert_int_equal(region_level("500106001", "500106001001"), 2);
    assert_int_equal(region_level("500106001000", "500106001000"), 2);
    /* A prefecture or province is not a county. */
    assert_int_equal(region_level("500100000000", "500100000000"), 0);
    assert_int_equal(region_level("500000", "500000"), 0);
}

static void test_region_level_0_missing_or_malformed(void **state)
{
    (void)state;
    assert_int_equal(region_level("", "500106001001"), 0);
    assert_int_equal(region_level(NULL, NULL), 0);
    assert_int_equal(region_level("5001060010", "5001060010"), 0);
    assert_int_equal(region_level("50010600100A", "50010600100A"), 0);
}

/* --- phones ------------------------------------------------------------- */

static int phone_level(const char *a, const char *b)
{
    int level = ms_sim_phone_level(a, b);
    assert_int_equal(ms_sim_phone_level(b, a), level);
    return level;
}

static void test_phone_level_2_same_digits(void **state)
{
    (void)state;
    assert_int_equal(phone_level("13812345678", "138 1234 5678"), 2);
    assert_int_equal(phone_level("+86 138-1234-5678", "13812345678"), 2);
    assert_int_equal(phone_level("008613812345678", "13812345678"), 2);
    assert_int_equal(phone_level("8613812345678", "13812345678"), 2);
    assert_int_equal(phone_level("023-6123-4567", "(023) 61234567"), 2);
    assert_int_equal(phone_level("+86 23 6123 4567", "023-61234567"), 2);
    assert_int_equal(phone_level("61234567", "61234567"), 2);
}

static void test_phone_level_1_same_last_8_digits(void **state)
{
    (void)state;
    assert_int_equal(phone_level("023-61234567", "61234567"), 1);
    assert_int_equal(phone_level("028-61234567", "023-61234567"), 1);
    assert_int_equal(phone_level("13812345678", "13912345678"), 1);
}

static void test_phone_level_0_otherwise(void **state)
{
    (void)state;
    assert_int_equal(phone_level("13812345678", "13812345679"), 0);
    assert_int_equal(phone_level("023-61234567", "6123456"), 0);
    assert_int_equal(phone_level("110", "110"), 0);
    assert_int_equal(phone_level("", ""), 0);
    assert_int_equal(phone_level(NULL, "13812345678"), 0);
}

static void test_phone_keeps_other_country_codes(void **state)
{
    (void)state;
    assert_int_equal(phone_level("+852 6123 4567", "61234567"), 1);
    assert_int_equal(phone_level("+85261234567", "85261234567"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jw_matches_the_published_pairs),
        cmocka_unit_test(test_jw_equal_strings_give_one_and_disjoint_zero),
        cmocka_unit_test(test_jw_empty_is_one_only_when_both_empty),
        cmocka_unit_test(test_jw_prefix_boost_only_above_threshold),
        cmocka_unit_test(test_fuzzy_merges_the_chongqing_initials),
        cmocka_unit_test(test_fuzzy_maps_initials_only_at_syllable_start),
        cmocka_unit_test(test_fuzzy_merges_eng_en_and_ing_in),
        cmocka_unit_test(test_fuzzy_does_not_merge_an_ang_or_ong),
        cmocka_unit_test(test_fuzzy_writes_v_as_u_after_l_and_n),
        cmocka_unit_test(test_fuzzy_lower_cases_and_passes_digits),
        cmocka_unit_test(test_fuzzy_truncates_to_the_buffer),
        cmocka_unit_test(test_name_level_4_same_characters),
        cmocka_unit_test(test_name_level_3_homophones),
        cmocka_unit_test(test_name_level_2_fuzzy_pinyin),
        cmocka_unit_test(test_name_level_1_jaro_winkler_of_joined_pinyin),
        cmocka_unit_test(test_name_level_threshold_is_inclusive),
        cmocka_unit_test(test_name_level_0_different_or_missing),
        cmocka_unit_test(test_name_level_on_stored_pinyin_keys),
        cmocka_unit_test(test_id_level_3_equal),
        cmocka_unit_test(test_id_level_2_one_character_off),
        cmocka_unit_test(test_id_level_1_adjacent_transposition),
        cmocka_unit_test(test_id_level_validated),
        cmocka_unit_test(test_id_level_0_otherwise),
        cmocka_unit_test(test_date_level_3_equal),
        cmocka_unit_test(test_date_level_2_day_and_month_swapped),
        cmocka_unit_test(test_date_level_1_one_digit_off),
        cmocka_unit_test(test_date_level_0_otherwise),
        cmocka_unit_test(test_region_levels_follow_the_code_prefix),
        cmocka_unit_test(test_region_short_or_padded_codes_reach_their_depth_only),
        cmocka_unit_test(test_region_level_0_missing_or_malformed),
        cmocka_unit_test(test_phone_level_2_same_digits),
        cmocka_unit_test(test_phone_level_1_same_last_8_digits),
        cmocka_unit_test(test_phone_level_0_otherwise),
        cmocka_unit_test(test_phone_keeps_other_country_codes),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_pinyin);
}
