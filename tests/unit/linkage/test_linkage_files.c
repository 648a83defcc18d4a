/*
 * test_linkage_files.c - src/modules/exchange/linkage_files*.c end to end:
 * a synthetic population written as CSV files in a temp folder, linked
 * (two files) and de-duplicated (one), checking that every true pair is
 * decided a match and no false pair is; config errors naming their key; a
 * bad UTF-8 row refused with its row number and the output left alone.
 *
 * Everyone here is made up: names drawn from a list of common surnames
 * (each with a homophone, so 张三 / 章三 style pairs occur) and given-name
 * characters, random birth dates, 139 phone numbers and ID numbers built
 * with ms_idcard_check_char().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "modules/exchange/linkage_files.h"

#include "core/banned.h"

/* Surnames and a homophone of each (same toneless pinyin). */
static const char *const surnames[][2] = {
    {"张", "章"}, {"王", "汪"}, {"李", "黎"}, {"刘", "柳"}, {"杨", "阳"},
    {"赵", "照"}, {"黄", "皇"}, {"周", "州"}, {"吴", "武"}, {"徐", "许"},
    {"胡", "户"}, {"朱", "诸"}, {"林", "临"}, {"何", "河"}, {"郭", "国"},
};
static const char *const given_chars[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建",
    "文", "辉", "成", "兰", "云", "飞", "鹏", "琴", "斌", "宇", "浩", "凯",
};

struct person {
    char name[32], alt_name[32]; /* alt: the homophone surname */
    int y, m, d;
    char sex;
    char phone[16];
    char id[MS_IDCARD_BUF];
};

static uint64_t rng;

static uint32_t next(uint32_t n)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

static void make_person(struct person *p, int day_max)
{
    size_t s = next(sizeof(surnames) / sizeof(surnames[0]));
    size_t ng = sizeof(given_chars) / sizeof(given_chars[0]);
    const char *g1 = given_chars[next((uint32_t)ng)], *g2 = next(2) ? given_chars[next((uint32_t)ng)] : "";
    snprintf(p->name, sizeof(p->name), "%s%s%s", surnames[s][0], g1, g2);
    snprintf(p->alt_name, sizeof(p->alt_name), "%s%s%s", surnames[s][1], g1, g2);
    p->y = 1940 + (int)next(65);
    p->m = 1 + (int)next(12);
    p->d = 1 + (int)next((uint32_t)day_max);
    p->sex = next(2) ? 'M' : 'F';
    snprintf(p->phone, sizeof(p->phone), "139%08u", next(100000000));
    char body[18];
    snprintf(body, sizeof(body), "500110%04d%02d%02d%03u", p->y, p->m, p->d,
             (next(500) * 2 + (p->sex == 'M')) % 1000);
    memcpy(p->id, body, 17);
    p->id[17] = ms_idcard_check_char(body);
    p->id[18] = '\0';
}

static char dir[64];

/* A path in the temp folder; the last 32 stay valid, enough for a test. */
static const char *path(const char *name)
{
    static char buf[32][128];
    static int k;
    k = (k + 1) % 32;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
    return buf[k];
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ms-linkfiles.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ms_pinyin_release_all();
    return system(cmd) == 0 ? 0 : -1;
}

/* The left file's columns are Chinese, the right file's English with
 * day-first dates: the config maps both. Most candidates here are true
 * pairs, too few non-matches for EM to learn u from: u is held at its
 * random-pair values (em.fix_u). */
static const char link_config[] =
    "{\"id\": \"编号\",\n"
    " \"columns\": {\"full_name\": \"姓名\", \"birth_date\": \"出生日期\", \"sex\": \"性别\",\n"
    "             \"phone\": \"手机\", \"id_number\": \"身份证号\"},\n"
    " \"right\": {\"id\": \"ref\", \"birth_date_format\": \"DD/MM/YYYY\",\n"
    "           \"columns\": {\"full_name\": \"name\", \"birth_date\": \"dob\", \"sex\": \"sex\",\n"
    "                       \"phone\": \"tel\", \"id_number\": \"idno\"}},\n"
    " \"em\": {\"fix_u\": true}}\n";

/* PAIRS.csv rows: left id, right id and decision (the ids here hold no
 * commas, so no quoting). */
struct out_pair {
    char left[16], right[16], decision[16];
};

static size_t load_pairs(const char *file, struct out_pair *out, size_t max)
{
    FILE *f = fopen(path(file), "r");
    char line[512];
    size_t n = 0;
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
    while (n < max && fgets(line, sizeof(line), f)) {
        char w[32], p[32];
        int got = sscanf(line, "%15[^,],%15[^,],%31[^,],%31[^,],%15[^,\n]", out[n].left,
                         out[n].right, w, p, out[n].decision);
        assert_int_equal(got, 5);
        n++;
    }
    fclose(f);
    return n;
}

static int is_match(const struct out_pair *pairs, size_t n, const char *l, const char *r)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(pairs[i].left, l) && !strcmp(pairs[i].right, r))
            return !strcmp(pairs[i].decision, "match");
    return 0;
}

#define N_LEFT  400
#define N_TRUE  250
#define N_OTHER 100

/* Writes left.csv (N_LEFT people + 2 Latin names) and right.csv (N_TRUE of
 * them with one kind of noise each, the 2 Latin ones, N_OTHER others). */
static void write_link_files(void)
{
    static struct person ppl[N_LEFT + N_OTHER];
    FILE *l = fopen(path("left.csv"), "w"), *r = fopen(path("right.csv"), "w");
    assert_true(l && r);
    rng = 7;
    fputs("编号,姓名,出生日期,性别,手机,身份证号\n", l);
    fputs("ref,name,dob,sex,tel,idno\n", r);
    for (int i = 0; i < N_LEFT + N_OTHER; i++) {
        struct person *p = &ppl[i];
        make_person(p, i % 5 == 2 ? 12 : 28); /* day/month swaps need a day <= 12 */
        if (i < N_LEFT)
            fprintf(l, "L%d,%s,%04d-%02d-%02d,%s,%s,%s\n", i, p->name, p->y, p->m, p->d,
                    p->sex == 'M' ? "男" : "女", i % 7 == 3 ? "" : p->phone, p->id);
    }
    for (int i = 0; i < N_TRUE; i++) {
        const struct person *p = &ppl[i];
        int d = p->d, m = p->m, y = p->y;
        const char *name = p->name, *phone = p->phone, *id = i % 3 ? "" : p->id;
        switch (i % 5) {
        case 1: /* homophone surname: 张 -> 章 */
            name = p->alt_name;
            break;
        case 2: /* day and month swapped (same when equal) */
            d = p->m, m = p->d;
            break;
        case 3: /* another phone */
            phone = "13600000000";
            break;
        case 4: /* one digit of the year keyed wrong */
            y = y % 10 == 9 ? y - 1 : y + 1;
            break;
        }
        fprintf(r, "R%d,%s,%02d/%02d/%04d,%c,%s,%s\n", i, name, d, m, y, p->sex, phone, id);
    }
    for (int i = N_LEFT; i < N_LEFT + N_OTHER; i++) {
        const struct person *p = &ppl[i];
        fprintf(r, "X%d,%s,%02d/%02d/%04d,%c,%s,\n", i, p->name, p->d, p->m, p->y, p->sex,
                p->phone);
    }
    /* Latin names: Jon / John, and a double-barrelled name written two ways. */
    fputs("LS1,Jon Smith,1985-07-30,M,13912345678,\n", l);
    fputs("LS2,Mary-Jane Brown,1979-12-01,F,13987654321,\n", l);
    fputs("RS1,John Smith,30/07/1985,M,13912345678,\n", r);
    fputs("RS2,mary jane brown,01/12/1979,F,+86 139 8765 4321,\n", r);
    fclose(l);
    fclose(r);
}

static void test_link_two_files_finds_every_true_pair_and_no_false_one(void **state)
{
    (void)state;
    struct link_files_config cfg;
    struct link_files_stats st;
    struct ms_err err = MS_ERR_INIT;
    static struct out_pair pairs[4000];
    write_link_files();
    write_file("link.json", link_config);
    assert_int_equal(link_files_config_load(path("link.json"), &cfg, &err), 0);
    struct link_files_options o = {.left = path("left.csv"), .right = path("right.csv"),
                                   .out = path("pairs.csv")};
    int rc = link_files_run(&cfg, &o, &st, &err);
    if (rc)
        fail_msg("%s", err.message);
    assert_int_equal(st.records[0], N_LEFT + 2);
    assert_int_equal(st.records[1], N_TRUE + N_OTHER + 2);
    assert_true(st.pairs > N_TRUE);
    assert_int_equal(st.em.converged, 1);
    size_t n = load_pairs("pairs.csv", pairs, 4000);
    assert_int_equal(n, st.written);
    char l[16], r[16];
    for (int i = 0; i < N_TRUE; i++) {
        snprintf(l, sizeof(l), "L%d", i);
        snprintf(r, sizeof(r), "R%d", i);
        if (!is_match(pairs, n, l, r))
            fail_msg("true pair %s/%s (noise kind %d) not decided a match", l, r, i % 5);
    }
    assert_true(is_match(pairs, n, "LS1", "RS1"));
    assert_true(is_match(pairs, n, "LS2", "RS2"));
    size_t matches = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(pairs[i].decision, "match") != 0)
            continue;
        matches++;
        int is_true = (pairs[i].left[0] == 'L' && pairs[i].right[0] == 'R' &&
                       !strcmp(pairs[i].left + 1, pairs[i].right + 1)) ||
                      (!strcmp(pairs[i].left + 2, pairs[i].right + 2) &&
                       pairs[i].left[1] == 'S');
        if (!is_true)
            fail_msg("false pair %s/%s decided a match", pairs[i].left, pairs[i].right);
    }
    assert_int_equal(matches, N_TRUE + 2);
    assert_int_equal(st.decisions[LINK_MATCH], N_TRUE + 2);

    /* --one-to-one: no record twice; --all writes every compared pair. */
    o.one_to_one = 1;
    o.write_all = 1;
    assert_int_equal(link_files_run(&cfg, &o, &st, &err), 0);
    n = load_pairs("pairs.csv", pairs, 4000);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            assert_true(strcmp(pairs[i].left, pairs[j].left) != 0);
            assert_true(strcmp(pairs[i].right, pairs[j].right) != 0);
        }
    o.one_to_one = 0;
    assert_int_equal(link_files_run(&cfg, &o, &st, &err), 0);
    assert_int_equal(load_pairs("pairs.csv", pairs, 4000), st.pairs);
    link_files_config_release(&cfg);
}

static void test_dedup_one_file_pairs_each_duplicate_once(void **state)
{
    (void)state;
    struct person p;
    struct link_files_config cfg;
    struct link_files_stats st;
    struct ms_err err = MS_ERR_INIT;
    static struct out_pair pairs[2000];
    static struct person ppl[300];
    FILE *f = fopen(path("one.csv"), "w");
    assert_non_null(f);
    rng = 11;
    fputs("id,name,birth,sex,phone\n", f);
    for (int i = 0; i < 300; i++) {
        make_person(&ppl[i], 12);
        p = ppl[i];
        fprintf(f, "P%d,%s,%04d%02d%02d,%c,%s\n", i, p.name, p.y, p.m, p.d, p.sex, p.phone);
    }
    for (int i = 0; i < 40; i++) { /* duplicates of P0..P39: D0..D39 */
        p = ppl[i];
        if (i % 2)
            fprintf(f, "D%d,%s,%04d%02d%02d,%c,%s\n", i, p.alt_name, p.y, p.m, p.d, p.sex,
                    p.phone);
        else
            fprintf(f, "D%d,%s,%04d%02d%02d,%c,\n", i, p.name, p.y, p.d, p.m, p.sex);
    }
    fclose(f);
    write_file("one.json", "{\"id\":\"id\",\"birth_date_format\":\"YYYYMMDD\",\"em\":{\"fix_u\":true},\"columns\":"
                           "{\"full_name\":\"name\",\"birth_date\":\"birth\",\"sex\":\"sex\","
                           "\"phone\":\"phone\"}}");
    assert_int_equal(link_files_config_load(path("one.json"), &cfg, &err), 0);
    struct link_files_options o = {.left = path("one.csv"), .out = path("dups.csv")};
    int rc = link_files_run(&cfg, &o, &st, &err);
    if (rc)
        fail_msg("%s", err.message);
    size_t n = load_pairs("dups.csv", pairs, 2000);
    char l[16], r[16];
    for (int i = 0; i < 40; i++) {
        snprintf(l, sizeof(l), "P%d", i);
        snprintf(r, sizeof(r), "D%d", i);
        if (!is_match(pairs, n, l, r))
            fail_msg("duplicate %s/%s not decided a match", l, r);
    }
    for (size_t i = 0; i < n; i++) {
        assert_true(strcmp(pairs[i].left, pairs[i].right) != 0); /* never itself */
        if (!strcmp(pairs[i].decision, "match"))
            assert_true(!strcmp(pairs[i].left + 1, pairs[i].right + 1));
        for (size_t j = i + 1; j < n; j++) /* each unordered pair once */
            assert_false(!strcmp(pairs[i].left, pairs[j].right) &&
                         !strcmp(pairs[i].right, pairs[j].left));
    }
    assert_int_equal(st.decisions[LINK_MATCH], 40);
    link_files_config_release(&cfg);
}

static void config_error(const char *json, int code, const char *field)
{
    struct link_files_config cfg;
    struct ms_err err = MS_ERR_INIT;
    int rc = link_files_config_parse(json, strlen(json), &cfg, &err);
    if (rc != code || strstr(err.field, field) == NULL)
        fail_msg("config %s: got %d field '%s' (%s), want %d '%s'", json, rc, err.field,
                 err.message, code, field);
}

static void test_config_errors_name_their_key(void **state)
{
    (void)state;
    config_error("{\"id\":\"id\",\"columns\":{\"full_name\":\"n\"},\"colour\":1}", MS_EFIELD, "");
    config_error("{\"columns\":{\"full_name\":\"n\"}}", MS_EMISSING, "id");
    config_error("{\"id\":\"id\",\"columns\":{\"fullname\":\"n\"}}", MS_EFIELD, "columns.fullname");
    config_error("{\"id\":\"id\",\"columns\":{}}", MS_EMISSING, "columns");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"thresholds\":{\"upper\":\"x\"}}",
                 MS_EFIELD, "thresholds.upper");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"thresholds\":{\"uper\":3}}",
                 MS_EFIELD, "thresholds");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"thresholds\":{\"upper\":3,"
                 "\"lower\":5}}",
                 MS_EFIELD, "thresholds.lower");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"blocking\":[\"sex\",\"sex+age\"]}",
                 MS_EFIELD, "blocking[1]");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"right\":{\"ids\":\"x\"}}",
                 MS_EFIELD, "right");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"birth_date_format\":\"DD.MM\"}",
                 MS_EFIELD, "birth_date_format");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"em\":{\"max_iterations\":-1}}",
                 MS_EFIELD, "em.max_iterations");
    config_error("{\"id\":\"id\",\"columns\":{\"sex\":\"s\"},\"max_block\":1}", MS_EFIELD,
                 "max_block");
    config_error("{\"id\":\"id\",", MS_EJSON, "");

    /* A good one: right columns override the left's; null drops a role. */
    struct link_files_config cfg;
    struct link_block_rule rules[LINK_FILES_MAX_RULES];
    const char *ok = "{\"id\":\"id\",\"columns\":{\"full_name\":\"n\",\"sex\":\"s\","
                     "\"phone\":\"p\"},\"right\":{\"columns\":{\"phone\":null,\"sex\":\"gender\"}}}";
    assert_int_equal(link_files_config_parse(ok, strlen(ok), &cfg, NULL), 0);
    assert_string_equal(cfg.side[1].id_column, "id");
    assert_string_equal(cfg.side[1].columns[LINK_ROLE_SEX], "gender");
    assert_null(cfg.side[1].columns[LINK_ROLE_PHONE]);
    assert_int_equal(link_files_fields(&cfg, 0), (1u << LINK_F_NAME) | (1u << LINK_F_SEX));
    assert_int_equal(link_files_fields(&cfg, 1),
                     (1u << LINK_F_NAME) | (1u << LINK_F_SEX) | (1u << LINK_F_PHONE));
    /* Only the default rules whose parts both files have: fuzzy_name+sex. */
    assert_int_equal(link_files_rules(&cfg, 0, rules), 1);
    char name[64];
    link_files_rule_name(&rules[0], name, sizeof(name));
    assert_string_equal(name, "fuzzy_name+sex");
    assert_int_equal(link_files_rules(&cfg, 1, rules), 2); /* + phone_last8 */
    link_files_config_release(&cfg);
}

static void test_bad_utf8_row_is_refused_with_its_row_and_output_kept(void **state)
{
    (void)state;
    struct link_files_config cfg;
    struct link_files_stats st;
    struct ms_err err = MS_ERR_INIT;
    write_file("bad.csv", "id,name,sex\n1,张三,男\n2,\xD5\xC5\xC8\xFD,男\n");
    write_file("bad.json", "{\"id\":\"id\",\"columns\":{\"full_name\":\"name\",\"sex\":\"sex\"}}");
    write_file("keep.csv", "old\n");
    assert_int_equal(link_files_config_load(path("bad.json"), &cfg, &err), 0);
    struct link_files_options o = {.left = path("bad.csv"), .out = path("keep.csv")};
    assert_int_equal(link_files_run(&cfg, &o, &st, &err), MS_EUTF8);
    assert_non_null(strstr(err.message, "row 3"));
    assert_non_null(strstr(err.message, "bad.csv"));
    assert_non_null(strstr(err.field, "row 3, column name"));
    char buf[16] = "";
    FILE *f = fopen(path("keep.csv"), "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "old\n");

    /* A bad value names file, row and column too; so does a missing column. */
    struct ms_err err2 = MS_ERR_INIT, err3 = MS_ERR_INIT, err4 = MS_ERR_INIT;
    write_file("bad2.csv", "id,name,sex\n1,张三,男\n2,李四,X\n");
    o.left = path("bad2.csv");
    assert_int_equal(link_files_run(&cfg, &o, &st, &err2), MS_EFIELD);
    assert_non_null(strstr(err2.message, "row 3, column sex"));
    write_file("bad3.csv", "id,名字,sex\n1,张三,男\n");
    o.left = path("bad3.csv");
    assert_int_equal(link_files_run(&cfg, &o, &st, &err3), MS_EMISSING);
    assert_non_null(strstr(err3.message, "'name'"));
    write_file("bad4.csv", "id,name,sex\n1,张三,男\n1,李四,女\n");
    o.left = path("bad4.csv");
    assert_int_equal(link_files_run(&cfg, &o, &st, &err4), MS_EFIELD);
    assert_non_null(strstr(err4.message, "rows 2 and 3 have the same id"));
    o.left = path("nonexistent.csv");
    struct ms_err err5 = MS_ERR_INIT;
    assert_int_equal(link_files_run(&cfg, &o, &st, &err5), MS_EIO);
    link_files_config_release(&cfg);
}

static void test_oversized_blocks_are_skipped_and_reported(void **state)
{
    (void)state;
    struct link_files_config cfg;
    struct link_files_stats st;
    struct ms_err err = MS_ERR_INIT;
    FILE *f = fopen(path("same.csv"), "w");
    assert_non_null(f);
    fputs("id,sex\n", f);
    for (int i = 0; i < 50; i++)
        fprintf(f, "%d,%s\n", i, i % 2 ? "M" : "F");
    fclose(f);
    write_file("same.json", "{\"id\":\"id\",\"columns\":{\"sex\":\"sex\"},\"blocking\":[\"sex\"],"
                            "\"max_block\":30,\"em\":{\"max_iterations\":0}}");
    assert_int_equal(link_files_config_load(path("same.json"), &cfg, &err), 0);
    struct link_files_options o = {.left = path("same.csv"), .out = path("same_out.csv")};
    assert_int_equal(link_files_run(&cfg, &o, &st, &err), 0);
    assert_int_equal(st.blocks_skipped, 0); /* two blocks of 25 */
    assert_int_equal(st.pairs, 2 * 25 * 24 / 2);
    cfg.max_block = 24;
    assert_int_equal(link_files_run(&cfg, &o, &st, &err), 0);
    assert_int_equal(st.blocks_skipped, 2);
    assert_int_equal(st.skipped[0].records, 25);
    assert_int_equal(st.pairs, 0);
    assert_int_equal(st.em.iterations, 0);
    link_files_config_release(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_two_files_finds_every_true_pair_and_no_false_one),
        cmocka_unit_test(test_dedup_one_file_pairs_each_duplicate_once),
        cmocka_unit_test(test_config_errors_name_their_key),
        cmocka_unit_test(test_bad_utf8_row_is_refused_with_its_row_and_output_kept),
        cmocka_unit_test(test_oversized_blocks_are_skipped_and_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
