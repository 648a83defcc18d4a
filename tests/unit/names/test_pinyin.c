/*
 * test_pinyin.c - src/core/pinyin.c: search keys for names and place names,
 * the surname tables, ü as v, separators, refusals, the per-character cache
 * and concurrent use.
 *
 * Expected readings follow docs/pinyin.md; where a surname has two readings
 * in use, the test pins the one the table chose, so a change is deliberate.
 * The group teardown calls ms_pinyin_release_all(), so valgrind and
 * LeakSanitizer find nothing of ICU's left at exit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "core/pinyin.h"

#include "core/banned.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct expect {
    const char *name;
    const char *full;
    const char *initials;
};

static struct ms_pinyin convert(const char *name)
{
    struct ms_pinyin p;
    struct ms_err err = MS_ERR_INIT;
    memset(&p, 0, sizeof(p));
    int rc = ms_pinyin_name(name, &p, &err);
    if (rc)
        fail_msg("'%s' refused: %s", name, err.message);
    assert_int_equal(err.code, 0);
    return p;
}

/* full must equal want, joined be full without spaces, initials match. */
static void check_name(const struct expect *e)
{
    struct ms_pinyin p = convert(e->name);
    if (strcmp(p.full, e->full) != 0)
        fail_msg("'%s': full is '%s', want '%s'", e->name, p.full, e->full);
    char joined[MS_PINYIN_BUF_SIZE];
    size_t n = 0;
    for (const char *s = e->full; *s; s++)
        if (*s != ' ')
            joined[n++] = *s;
    joined[n] = '\0';
    assert_string_equal(p.joined, joined);
    if (e->initials)
        assert_string_equal(p.initials, e->initials);
}

static int same(const struct ms_pinyin *a, const struct ms_pinyin *b)
{
    return strcmp(a->full, b->full) == 0 && strcmp(a->joined, b->joined) == 0 &&
           strcmp(a->initials, b->initials) == 0 && a->surname_syllables == b->surname_syllables;
}

static void refuse(const char *name, int code, struct ms_err *err)
{
    struct ms_pinyin p;
    memset(&p, 0x5a, sizeof(p));
    assert_int_equal(ms_pinyin_name(name, &p, err), code);
    assert_int_equal(err->code, code);
    assert_string_equal(err->field, "name");
    assert_true(err->message[0] != '\0');
    assert_true(err->message_zh[0] != '\0');
    assert_int_equal((unsigned char)p.full[0], 0x5a); /* out untouched */
}

static int teardown_all(void **state)
{
    (void)state;
    ms_pinyin_release_all();
    return 0;
}

/* --- names ----------------------------------------------------------------- */

static void test_pinyin_name_gives_full_joined_and_initials(void **state)
{
    (void)state;
    struct ms_pinyin p = convert("张三丰");
    assert_string_equal(p.full, "zhang san feng");
    assert_string_equal(p.joined, "zhangsanfeng");
    assert_string_equal(p.initials, "zsf");
    assert_int_equal(p.surname_syllables, 1);
}

static void test_pinyin_common_names(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"王小明", "wang xiao ming", "wxm"}, {"李娜", "li na", "ln"},
        {"陈一", "chen yi", "cy"},           {"张三丰", "zhang san feng", "zsf"},
        {"刘德华", "liu de hua", "ldh"},     {"赵", "zhao", "z"},
        {"周杰伦", "zhou jie lun", "zjl"},   {"王长江", "wang chang jiang", "wcj"},
    };
    for (size_t i = 0; i < COUNT(names); i++)
        check_name(&names[i]);
}

/* Each single-character surname with a special reading, as the first
 * character and followed by a given name. */
static void test_pinyin_special_surnames_read_as_surnames(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"单雄信", "shan xiong xin", "sxx"},
        {"仇英", "qiu ying", "qy"},
        {"解缙", "xie jin", "xj"},
        {"曾国藩", "zeng guo fan", "zgf"},
        {"区寄", "ou ji", "oj"},
        {"朴槿惠", "piao jin hui", "pjh"},
        {"查良镛", "zha liang yong", "zly"},
        {"盖宽饶", "ge kuan rao", "gkr"},
        {"缪斯", "miao si", "ms"},
        {"覃明", "qin ming", "qm"},
        {"尉健行", "wei jian xing", "wjx"},
        {"乐毅", "yue yi", "yy"},
        {"召明", "shao ming", "sm"},
        {"种师道", "chong shi dao", "csd"},
        {"华罗庚", "hua luo geng", "hlg"},
        {"任盈盈", "ren ying ying", "ryy"},
        {"燕青", "yan qing", "yq"},
        {"员半千", "yun ban qian", "ybq"},
        {"黑明", "hei ming", "hm"},
        {"牟其中", "mou qi zhong", "mqz"},
        {"阚泽", "kan ze", "kz"},
        {"乜明", "nie ming", "nm"},
        {"句明", "gou ming", "gm"},
        {"都穆", "du mu", "dm"},
        {"能明", "nai ming", "nm"},
        {"祭明", "zhai ming", "zm"},
        {"薄明", "bo ming", "bm"},
        {"藏明", "zang ming", "zm"},
        {"洗明", "xian ming", "xm"},
        {"繁钦", "po qin", "pq"},
        {"秘明", "bi ming", "bm"},
        {"翟让", "zhai rang", "zr"},
    };
    for (size_t i = 0; i < COUNT(names); i++) {
        check_name(&names[i]);
        assert_int_equal(convert(names[i].name).surname_syllables, 1);
    }
}

static void test_pinyin_special_reading_applies_to_the_surname_only(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"单单", "shan dan", "sd"}, /* given name 单 is dan */
        {"李单", "li dan", "ld"},   {"王解", "wang jie", "wj"}, {"张查", "zhang cha", "zc"},
        {"吴区", "wu qu", "wq"},    {"朴朴", "piao pu", "pp"},
    };
    for (size_t i = 0; i < COUNT(names); i++)
        check_name(&names[i]);
}

static void test_pinyin_compound_surnames_are_split(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"欧阳娜娜", "ou yang na na", "oynn"},    {"司马光", "si ma guang", "smg"},
        {"诸葛亮", "zhu ge liang", "zgl"},        {"上官婉儿", "shang guan wan er", "sgwe"},
        {"东方朔", "dong fang shuo", "dfs"},      {"皇甫嵩", "huang fu song", "hfs"},
        {"公孙胜", "gong sun sheng", "gss"},      {"慕容复", "mu rong fu", "mrf"},
        {"令狐冲", "ling hu chong", "lhc"},       {"夏侯惇", "xia hou dun", "xhd"},
        {"司徒雷登", "si tu lei deng", "stld"},   {"宇文泰", "yu wen tai", "ywt"},
        {"端木蓉", "duan mu rong", "dmr"},        {"独孤求败", "du gu qiu bai", "dgqb"},
        {"南宫明", "nan gong ming", "ngm"},       {"西门庆", "xi men qing", "xmq"},
        {"百里奚", "bai li xi", "blx"},           {"呼延灼", "hu yan zhuo", "hyz"},
        {"澹台灭明", "tan tai mie ming", "ttmm"}, {"公冶长", "gong ye chang", "gyc"},
        {"太史慈", "tai shi ci", "tsc"},          {"申屠明", "shen tu ming", "stm"},
        {"轩辕明", "xuan yuan ming", "xym"},      {"钟离春", "zhong li chun", "zlc"},
        {"闻人明", "wen ren ming", "wrm"},        {"长孙无忌", "zhang sun wu ji", "zswj"},
        {"尉迟恭", "yu chi gong", "ycg"},         {"万俟卨", "mo qi xie", "mqx"},
        {"单于明", "chan yu ming", "cym"},        {"拓跋宏", "tuo ba hong", "tbh"},
    };
    for (size_t i = 0; i < COUNT(names); i++) {
        check_name(&names[i]);
        assert_int_equal(convert(names[i].name).surname_syllables, 2);
    }
}

/* Two characters may be surname + given name: 欧 阳, 尉 迟. */
static void test_pinyin_compound_surname_needs_a_given_name(void **state)
{
    (void)state;
    struct ms_pinyin p = convert("欧阳");
    assert_string_equal(p.full, "ou yang");
    assert_int_equal(p.surname_syllables, 1);
    p = convert("尉迟");
    assert_string_equal(p.full, "wei chi");
}

static void test_pinyin_u_umlaut_is_written_v(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"吕", "lv", "l"},       {"吕布", "lv bu", "lb"},          {"王女", "wang nv", "wn"},
        {"吕绿", "lv lv", "ll"}, {"闾丘明", "lv qiu ming", "lqm"}, {"许律", "xu lv", "xl"},
        {"徐玉", "xu yu", "xy"}, /* u after x, y stays u */
    };
    for (size_t i = 0; i < COUNT(names); i++)
        check_name(&names[i]);
}

static void test_pinyin_minority_names_split_at_the_middle_dot(void **state)
{
    (void)state;
    struct ms_pinyin p = convert("阿依古丽·买买提");
    assert_string_equal(p.full, "a yi gu li mai mai ti");
    assert_string_equal(p.joined, "ayigulimaimaiti");
    assert_string_equal(p.initials, "ayglmmt");
    assert_int_equal(p.surname_syllables, 0);
    /* No surname rules in a transliterated name: 查干 is cha gan, not zha. */
    p = convert("查干·巴特尔");
    assert_string_equal(p.full, "cha gan ba te er");
    p = convert("爱新觉罗·溥仪");
    assert_string_equal(p.full, "ai xin jue luo pu yi");
}

static void test_pinyin_middle_dot_must_separate_two_parts(void **state)
{
    (void)state;
    const char *bad[] = {"·张三", "张三·", "阿依··买买提", "·"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct ms_err err = MS_ERR_INIT;
        refuse(bad[i], MS_EFIELD, &err);
        assert_non_null(strstr(err.message_zh, "·"));
    }
}

static void test_pinyin_ascii_letters_and_digits_pass_through_lower_cased(void **state)
{
    (void)state;
    static const struct expect names[] = {
        {"王A", "wang a", "wa"},
        {"李Bo2", "li bo2", "lb"},
        {"张3丰", "zhang 3 feng", "z3f"},
        {"Tom", "tom", "t"},
    };
    for (size_t i = 0; i < COUNT(names); i++)
        check_name(&names[i]);
    assert_int_equal(convert("A张").surname_syllables, 0);
}

static void test_pinyin_refuses_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {
        "\xe5\xbc",         /* 张 cut short */
        "\xc0\x80",         /* overlong NUL */
        "\xe5\xbc\xa0\x80", /* stray continuation byte */
        "\xed\xa0\x80",     /* surrogate */
        "\xff",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct ms_err err = MS_ERR_INIT;
        refuse(bad[i], MS_EUTF8, &err);
    }
}

static void test_pinyin_refuses_names_over_16_characters(void **state)
{
    (void)state;
    struct ms_pinyin p = convert("张三丰张三丰张三丰张三丰张三丰张"); /* 16 */
    assert_int_equal(strlen(p.initials), 16);
    struct ms_err err = MS_ERR_INIT;
    refuse("张三丰张三丰张三丰张三丰张三丰张三", MS_EFIELD, &err);
    assert_string_equal(err.message, "name has 17 characters, at most 16 allowed");
    assert_string_equal(err.message_zh, "姓名过长：17 个字，最多 16 个");
}

static void test_pinyin_refuses_empty_and_null(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    refuse("", MS_EMISSING, &err);
    struct ms_err err2 = MS_ERR_INIT;
    refuse(NULL, MS_EMISSING, &err2);
}

static void test_pinyin_refuses_other_characters_in_chinese(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    refuse("张😀", MS_EFIELD, &err);
    assert_string_equal(err.message_zh, "姓名第 2 个字符“😀”不是汉字、字母或数字");

    const char *bad[] = {"张 三", "张，三", "ＡＢ", "さくら", "张-三", "张\t三"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct ms_err e = MS_ERR_INIT;
        refuse(bad[i], MS_EFIELD, &e);
        assert_non_null(strstr(e.message_zh, "不是汉字、字母或数字"));
    }

    struct ms_err err2 = MS_ERR_INIT;
    refuse("王々", MS_EFIELD, &err2); /* Han, but no reading */
    assert_string_equal(err2.message_zh, "姓名第 2 个字“々”无法转换为拼音");
}

/* Characters not used elsewhere in this file, so the first pass misses. */
static void test_pinyin_second_conversion_is_served_from_the_cache(void **state)
{
    (void)state;
    struct ms_pinyin_stats before, after_first, after_second;
    ms_pinyin_stats(&before);
    struct ms_pinyin first = convert("龚鹤翔");
    ms_pinyin_stats(&after_first);
    assert_int_equal(after_first.icu_lookups - before.icu_lookups, 3);
    assert_int_equal(after_first.cache_entries - before.cache_entries, 3);

    struct ms_pinyin second = convert("龚鹤翔");
    ms_pinyin_stats(&after_second);
    assert_int_equal(after_second.icu_lookups, after_first.icu_lookups);
    assert_true(same(&first, &second));
    assert_string_equal(second.full, "gong he xiang");

    /* The same character as a given name is a different reading: one lookup. */
    convert("李龚");
    struct ms_pinyin_stats after_third;
    ms_pinyin_stats(&after_third);
    assert_int_equal(after_third.icu_lookups - after_second.icu_lookups, 1);
}

static void test_pinyin_works_again_after_release_all(void **state)
{
    (void)state;
    ms_pinyin_release_all();
    struct ms_pinyin_stats st;
    ms_pinyin_stats(&st);
    assert_int_equal(st.cache_entries, 0);
    assert_string_equal(convert("吕布").full, "lv bu");
}

/* --- threads ----------------------------------------------------------------- */

#define THREADS 4
#define ROUNDS  50

static const char *const thread_names[] = {
    "张三丰",          "欧阳娜娜", "吕布",   "王小明", "李娜",   "陈一",   "单雄信", "尉迟恭",
    "阿依古丽·买买提", "诸葛亮",   "朴槿惠", "曾国藩", "查良镛", "万俟卨", "黄晓明", "周星驰",
    "孙悟空",          "猪八戒",   "沙悟净", "唐三藏", "林黛玉", "贾宝玉", "薛宝钗", "王熙凤",
    "史湘云",          "妙玉",     "晴雯",   "袭人",   "平儿",   "鸳鸯",   "紫鹃",   "香菱",
};

struct worker {
    int offset;
    int mismatches;
    struct ms_pinyin expected[COUNT(thread_names)];
};

static void *work(void *arg)
{
    struct worker *w = arg;
    size_t n = COUNT(thread_names);
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < n; k++) {
            size_t i = (k + (size_t)w->offset * 7) % n;
            struct ms_pinyin p;
            if (ms_pinyin_name(thread_names[i], &p, NULL) != 0 || !same(&p, &w->expected[i]))
                w->mismatches++;
        }
    }
    return NULL;
}

/* Expected answers are taken on one thread; then the cache is emptied so the
 * threads start cold and race on the ICU path as well as the cached one. */
static void test_pinyin_four_threads_give_the_same_answers(void **state)
{
    (void)state;
    static struct worker workers[THREADS];
    for (size_t i = 0; i < COUNT(thread_names); i++)
        workers[0].expected[i] = convert(thread_names[i]);
    for (int t = 0; t < THREADS; t++) {
        workers[t].offset = t;
        workers[t].mismatches = 0;
        memcpy(workers[t].expected, workers[0].expected, sizeof(workers[0].expected));
    }
    ms_pinyin_release_all();

    pthread_t ids[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&ids[t], NULL, work, &workers[t]), 0);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(ids[t], NULL), 0);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(workers[t].mismatches, 0);

    struct ms_pinyin_stats st;
    ms_pinyin_stats(&st);
    assert_true(st.cache_entries <= st.icu_lookups); /* each miss asked ICU once at most */
}

/* --- text ----------------------------------------------------------------------- */

static void check_text(const char *text, const char *full, const char *joined, const char *initials)
{
    char out[MS_PINYIN_SIZE_FOR(MS_PINYIN_TEXT_MAX)];
    const struct {
        enum ms_pinyin_form form;
        const char *want;
    } forms[] = {
        {MS_PINYIN_FULL, full}, {MS_PINYIN_JOINED, joined}, {MS_PINYIN_INITIALS, initials}};
    for (size_t i = 0; i < COUNT(forms); i++) {
        struct ms_err err = MS_ERR_INIT;
        if (ms_pinyin_text(text, forms[i].form, out, sizeof(out), &err) != 0)
            fail_msg("'%s' refused: %s", text, err.message);
        assert_string_equal(out, forms[i].want);
    }
}

static void test_pinyin_text_reads_place_names(void **state)
{
    (void)state;
    check_text("重庆市长寿区", "chong qing shi chang shou qu", "chongqingshichangshouqu", "cqscsq");
    check_text("丰都县", "feng du xian", "fengduxian", "fdx");
    check_text("沙坪坝区", "sha ping ba qu", "shapingbaqu", "spbq");
    check_text("渝中区解放碑12号", "yu zhong qu jie fang bei 12 hao", "yuzhongqujiefangbei12hao",
               "yzqjfb1h");
    check_text("观音桥 步行街", "guan yin qiao bu xing jie", "guanyinqiaobuxingjie", "gyqbxj");
    check_text("绿化带", "lv hua dai", "lvhuadai", "lhd");
}

static void test_pinyin_text_has_no_surname_rules(void **state)
{
    (void)state;
    check_text("单位", "dan wei", "danwei", "dw");
    check_text("解放路", "jie fang lu", "jiefanglu", "jfl");
    check_text("区政府", "qu zheng fu", "quzhengfu", "qzf");
}

static void test_pinyin_text_refuses_a_small_buffer(void **state)
{
    (void)state;
    char out[6] = "xxxxx";
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_text("重庆", MS_PINYIN_FULL, out, sizeof(out), &err), MS_EFIELD);
    assert_string_equal(out, "");
    assert_string_equal(err.field, "text");
    assert_non_null(strstr(err.message, "needs 11 bytes"));
    struct ms_err err2 = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_text("重庆", MS_PINYIN_INITIALS, out, sizeof(out), &err2), 0);
    assert_string_equal(out, "cq");
}

static void test_pinyin_text_refuses_bad_input(void **state)
{
    (void)state;
    char out[64];
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_text("重庆😀", MS_PINYIN_FULL, out, sizeof(out), &err), MS_EFIELD);
    assert_string_equal(err.message_zh, "文本第 3 个字符“😀”不是汉字、字母或数字");
    struct ms_err err2 = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_text("\xe9\x87", MS_PINYIN_FULL, out, sizeof(out), &err2), MS_EUTF8);
    struct ms_err err3 = MS_ERR_INIT;
    char long_text[3 * (MS_PINYIN_TEXT_MAX + 1) + 1];
    for (size_t i = 0; i <= MS_PINYIN_TEXT_MAX; i++)
        memcpy(long_text + 3 * i, "路", 3);
    long_text[sizeof(long_text) - 1] = '\0';
    assert_int_equal(ms_pinyin_text(long_text, MS_PINYIN_FULL, out, sizeof(out), &err3), MS_EFIELD);
    assert_non_null(strstr(err3.message, "129 characters"));
    struct ms_err err4 = MS_ERR_INIT;
    assert_int_equal(ms_pinyin_text("重庆", (enum ms_pinyin_form)7, out, sizeof(out), &err4),
                     MS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinyin_name_gives_full_joined_and_initials),
        cmocka_unit_test(test_pinyin_common_names),
        cmocka_unit_test(test_pinyin_special_surnames_read_as_surnames),
        cmocka_unit_test(test_pinyin_special_reading_applies_to_the_surname_only),
        cmocka_unit_test(test_pinyin_compound_surnames_are_split),
        cmocka_unit_test(test_pinyin_compound_surname_needs_a_given_name),
        cmocka_unit_test(test_pinyin_u_umlaut_is_written_v),
        cmocka_unit_test(test_pinyin_minority_names_split_at_the_middle_dot),
        cmocka_unit_test(test_pinyin_middle_dot_must_separate_two_parts),
        cmocka_unit_test(test_pinyin_ascii_letters_and_digits_pass_through_lower_cased),
        cmocka_unit_test(test_pinyin_refuses_invalid_utf8),
        cmocka_unit_test(test_pinyin_refuses_names_over_16_characters),
        cmocka_unit_test(test_pinyin_refuses_empty_and_null),
        cmocka_unit_test(test_pinyin_refuses_other_characters_in_chinese),
        cmocka_unit_test(test_pinyin_second_conversion_is_served_from_the_cache),
        cmocka_unit_test(test_pinyin_works_again_after_release_all),
        cmocka_unit_test(test_pinyin_four_threads_give_the_same_answers),
        cmocka_unit_test(test_pinyin_text_reads_place_names),
        cmocka_unit_test(test_pinyin_text_has_no_surname_rules),
        cmocka_unit_test(test_pinyin_text_refuses_a_small_buffer),
        cmocka_unit_test(test_pinyin_text_refuses_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
