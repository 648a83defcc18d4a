/*
 * test_linkage.c - src/modules/exchange/linkage*.c: preparing records
 * (link_rec_set and its errors), the levels link_compare gives (missing
 * included), weights and decisions, EM recovering a known mixture, and the
 * evidence and model JSON. ID numbers are synthetic, built with
 * ms_idcard_check_char() from made-up bodies; names are made up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "modules/exchange/linkage.h"

#include "core/banned.h"

static void make_id(const char *body17, char out[MS_IDCARD_BUF])
{
    memcpy(out, body17, 17);
    out[17] = ms_idcard_check_char(body17);
    out[18] = '\0';
}

static int32_t ymd(int y, int m, int d)
{
    int32_t v = 0;
    assert_int_equal(ms_date_from_ymd(y, m, d, &v), 0);
    return v;
}

static void set_ok(struct link_rec *r, enum link_role role, const char *v, const char *fmt)
{
    struct ms_err err = MS_ERR_INIT;
    int rc = link_rec_set(r, role, v, fmt, &err);
    if (rc != 0)
        fail_msg("link_rec_set(%s, '%s'): %s", link_role_name(role), v, err.message);
}

static void set_fails(enum link_role role, const char *v, const char *fmt)
{
    struct link_rec r;
    struct ms_err err = MS_ERR_INIT;
    link_rec_init(&r);
    assert_int_equal(link_rec_set(&r, role, v, fmt, &err), MS_EFIELD);
    assert_string_equal(err.field, link_role_name(role));
    assert_true(err.message_zh[0] != '\0');
}

/* --- records ------------------------------------------------------------ */

static void test_rec_hanzi_name_gets_pinyin_and_is_split(void **state)
{
    (void)state;
    struct link_rec r;
    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_FULL_NAME, "  张三丰 ", NULL);
    assert_string_equal(r.name, "张三丰");
    assert_string_equal(r.name_full, "zhang san feng");
    assert_string_equal(r.family, "张");
    assert_string_equal(r.family_full, "zhang");
    assert_string_equal(r.given, "三丰");
    assert_string_equal(r.given_full, "san feng");

    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_FULL_NAME, "欧阳娜娜", NULL);
    assert_string_equal(r.family, "欧阳");
    assert_string_equal(r.given_full, "na na");
}

static void test_rec_latin_names_are_folded_not_split(void **state)
{
    (void)state;
    struct link_rec r;
    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_FULL_NAME, "Mary-Jane  O.Neil", NULL);
    assert_string_equal(r.name, "Mary-Jane  O.Neil");
    assert_string_equal(r.name_full, "mary jane o neil");
    assert_string_equal(r.family, "");
    set_ok(&r, LINK_ROLE_FAMILY_NAME, "SMITH", NULL);
    assert_string_equal(r.family_full, "smith");
    /* Accented letters are Latin too: kept, not refused. */
    set_ok(&r, LINK_ROLE_GIVEN_NAME, "José", NULL);
    assert_string_equal(r.given_full, "josé");
}

static void test_rec_explicit_family_name_is_not_overwritten(void **state)
{
    (void)state;
    struct link_rec r;
    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_FAMILY_NAME, "单", NULL);
    set_ok(&r, LINK_ROLE_FULL_NAME, "单田芳", NULL);
    assert_string_equal(r.family, "单");
    assert_string_equal(r.family_full, "shan");
    assert_string_equal(r.given, "");
}

static void test_rec_id_numbers_upgraded_kept_or_refused(void **state)
{
    (void)state;
    struct link_rec r;
    char id[MS_IDCARD_BUF];
    link_rec_init(&r);
    /* 15 digits: 500101 800305 123 -> 500101 19800305 123 + check. */
    set_ok(&r, LINK_ROLE_ID_NUMBER, "500101800305123", NULL);
    make_id("50010119800305123", id);
    assert_string_equal(r.id_number, id);
    assert_int_equal(r.id_valid, 1);

    /* A lower-case x is stored upper-case; a wrong check character is
     * kept (it is evidence) but marked invalid. */
    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_ID_NUMBER, "50010119800305123x", NULL);
    assert_int_equal(r.id_number[17], 'X');
    assert_int_equal(r.id_valid, id[17] == 'X');

    set_fails(LINK_ROLE_ID_NUMBER, "5001011980030512", NULL);
    set_fails(LINK_ROLE_ID_NUMBER, "50010119800305A234", NULL);
    set_fails(LINK_ROLE_ID_NUMBER, "50010119800305123Y", NULL);
    set_fails(LINK_ROLE_ID_NUMBER, "990101800305123", NULL); /* no province 99 */
}

static void test_rec_birth_dates_in_every_layout(void **state)
{
    (void)state;
    static const struct {
        const char *text, *fmt;
    } ok[] = {{"1980-03-05", NULL},         {"19800305", NULL},
              {"1980/03/05", "YYYY-MM-DD"}, {"1980.3.5", NULL},
              {"19800305", "YYYYMMDD"},     {"05/03/1980", "DD/MM/YYYY"},
              {"5.3.1980", "DD/MM/YYYY"},   {"03/05/1980", "MM/DD/YYYY"}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct link_rec r;
        link_rec_init(&r);
        set_ok(&r, LINK_ROLE_BIRTH_DATE, ok[i].text, ok[i].fmt);
        assert_int_equal(r.has_birth, 1);
        assert_int_equal(r.birth, ymd(1980, 3, 5));
    }
    /* 1970-01-01 is day 0 and still a known date. */
    struct link_rec r;
    link_rec_init(&r);
    set_ok(&r, LINK_ROLE_BIRTH_DATE, "1970-01-01", NULL);
    assert_int_equal(r.has_birth, 1);
    assert_int_equal(r.birth, 0);

    set_fails(LINK_ROLE_BIRTH_DATE, "1980-02-30", NULL);
    set_fails(LINK_ROLE_BIRTH_DATE, "1980-03/05", NULL);
    set_fails(LINK_ROLE_BIRTH_DATE, "05/03/1980", NULL);
    set_fails(LINK_ROLE_BIRTH_DATE, "1980-03-05", "DD/MM/YYYY");
    set_fails(LINK_ROLE_BIRTH_DATE, "13/13/1980", "MM/DD/YYYY");
    set_fails(LINK_ROLE_BIRTH_DATE, "1980-03-05", "YYYYMMDD");
}

static void test_rec_sex_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        char sex;
    } forms[] = {{"M", 'M'}, {"male", 'M'}, {"男", 'M'}, {"1", 'M'},      {"f", 'F'},
                 {"Female", 'F'}, {"女", 'F'}, {"2", 'F'}, {"9", 0}, {"未知", 0}};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct link_rec r;
        link_rec_init(&r);
        set_ok(&r, LINK_ROLE_SEX, forms[i].text, NULL);
        assert_int_equal(r.sex, forms[i].sex);
    }
    set_fails(LINK_ROLE_SEX, "x", NULL);
    set_fails(LINK_ROLE_SEX, "3", NULL);
}

static void test_rec_empty_values_stay_missing(void **state)
{
    (void)state;
    struct link_rec r, empty;
    link_rec_init(&r);
    link_rec_init(&empty);
    for (int role = 0; role < LINK_ROLE_COUNT; role++) {
        set_ok(&r, (enum link_role)role, "", NULL);
        set_ok(&r, (enum link_role)role, " \t　", NULL); /* ideographic space too */
    }
    assert_memory_equal(&r, &empty, sizeof(r));
    set_fails(LINK_ROLE_REGION, "50010", NULL);
    set_fails(LINK_ROLE_FULL_NAME, "张三!", NULL);
}

/* --- comparisons -------------------------------------------------------- */

static void rec(struct link_rec *r, const char *name, const char *birth, const char *sex,
                const char *phone)
{
    link_rec_init(r);
    set_ok(r, LINK_ROLE_FULL_NAME, name, NULL);
    set_ok(r, LINK_ROLE_BIRTH_DATE, birth, NULL);
    set_ok(r, LINK_ROLE_SEX, sex, NULL);
    set_ok(r, LINK_ROLE_PHONE, phone, NULL);
}

static void test_compare_gives_the_documented_levels(void **state)
{
    (void)state;
    struct link_model m;
    struct link_rec a, b;
    int8_t lv[LINK_F_COUNT];
    uint32_t fields;
    assert_int_equal(link_fields_parse("name, birth_date,sex,phone,address,town,postcode,region",
                                       &fields, NULL),
                     0);
    link_model_init(&m, fields, MS_SIM_NAME_JW_MIN);

    rec(&a, "张三", "1980-03-05", "男", "13800000001");
    rec(&b, "章三", "1980-05-03", "1", "+86 138 0000 0001");
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_NAME], 3);  /* homophone */
    assert_int_equal(lv[LINK_F_BIRTH], 2); /* day and month swapped */
    assert_int_equal(lv[LINK_F_SEX], 1);
    assert_int_equal(lv[LINK_F_PHONE], 2);
    assert_int_equal(lv[LINK_F_ADDRESS], LINK_MISSING);
    assert_int_equal(lv[LINK_F_ID], LINK_MISSING); /* not in the model */

    rec(&a, "Jon Smith", "1985-07-30", "M", "");
    rec(&b, "John Smith", "1985-07-31", "F", "02361234567");
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_NAME], 1);
    assert_int_equal(lv[LINK_F_BIRTH], 1);
    assert_int_equal(lv[LINK_F_SEX], 0);
    assert_int_equal(lv[LINK_F_PHONE], LINK_MISSING);

    rec(&a, "JOHN SMITH", "1985-07-30", "M", "");
    rec(&b, "John Smith", "1985-07-30", "M", "");
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_NAME], 3); /* same after case folding */
    set_ok(&a, LINK_ROLE_ADDRESS, "12 Harbour Road", NULL);
    set_ok(&b, LINK_ROLE_ADDRESS, "12  harbour road", NULL);
    set_ok(&a, LINK_ROLE_TOWN, "Wansheng", NULL);
    set_ok(&b, LINK_ROLE_TOWN, "WANSHENG", NULL);
    set_ok(&a, LINK_ROLE_POSTCODE, "400800", NULL);
    set_ok(&b, LINK_ROLE_POSTCODE, "400801", NULL);
    set_ok(&a, LINK_ROLE_REGION, "500110001", NULL);
    set_ok(&b, LINK_ROLE_REGION, "500110001002", NULL);
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ADDRESS], 2);
    assert_int_equal(lv[LINK_F_TOWN], 1);
    assert_int_equal(lv[LINK_F_POSTCODE], 0);
    assert_int_equal(lv[LINK_F_REGION], 2);
    set_ok(&b, LINK_ROLE_ADDRESS, "12 Harbor Road", NULL);
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ADDRESS], 1);
    link_rec_init(&b);
    set_ok(&b, LINK_ROLE_ADDRESS, "7 Hill Street", NULL);
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ADDRESS], 0);
    assert_int_equal(lv[LINK_F_NAME], LINK_MISSING);
    assert_int_equal(lv[LINK_F_BIRTH], LINK_MISSING);
    assert_int_equal(lv[LINK_F_SEX], LINK_MISSING);
}

static void test_compare_id_levels(void **state)
{
    (void)state;
    struct link_model m;
    struct link_rec a, b;
    int8_t lv[LINK_F_COUNT];
    char id[MS_IDCARD_BUF];
    link_model_init(&m, 1u << LINK_F_ID, MS_SIM_NAME_JW_MIN);
    make_id("50010119800305123", id);
    link_rec_init(&a);
    set_ok(&a, LINK_ROLE_ID_NUMBER, id, NULL);
    link_rec_init(&b);
    set_ok(&b, LINK_ROLE_ID_NUMBER, "500101800305123", NULL); /* the same, 15 digits */
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ID], 3);
    make_id("50010119800350123", id); /* day "05" keyed "50", check recomputed */
    link_rec_init(&b);
    set_ok(&b, LINK_ROLE_ID_NUMBER, id, NULL);
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ID], 0); /* like a neighbour's number: no evidence */
    make_id("50010119800305123", id);
    id[12] = '5'; /* the same slip with the check character as typed */
    id[13] = '0';
    link_rec_init(&b);
    set_ok(&b, LINK_ROLE_ID_NUMBER, id, NULL);
    link_compare(&m, &a, &b, lv);
    assert_int_equal(lv[LINK_F_ID], 1);
    assert_string_equal(link_level_label(LINK_F_ID, 1), "transposed");
    assert_string_equal(link_level_label_zh(LINK_F_ID, 1), "相邻两位颠倒");
}

static void test_labels_are_stable(void **state)
{
    (void)state;
    assert_string_equal(link_level_label(LINK_F_NAME, 3), "homophone");
    assert_string_equal(link_level_label_zh(LINK_F_NAME, 3), "同音字");
    assert_string_equal(link_level_label(LINK_F_GIVEN, 2), "fuzzy_pinyin");
    assert_string_equal(link_level_label(LINK_F_BIRTH, 2), "day_month_swapped");
    assert_string_equal(link_level_label_zh(LINK_F_BIRTH, 2), "日月颠倒");
    assert_string_equal(link_level_label(LINK_F_REGION, 3), "exact");
    assert_string_equal(link_level_label_zh(LINK_F_REGION, 3), "同村社区");
    assert_string_equal(link_level_label(LINK_F_PHONE, 1), "same_last8");
    assert_string_equal(link_level_label(LINK_F_SEX, LINK_MISSING), "missing");
    assert_string_equal(link_level_label_zh(LINK_F_SEX, LINK_MISSING), "缺失");
    assert_string_equal(link_level_label(LINK_F_SEX, 2), "?");
    for (int f = 0; f < LINK_F_COUNT; f++) {
        assert_int_equal(link_field_from_name(link_field_name((enum link_field)f)), f);
        assert_true(link_field_levels((enum link_field)f) <= LINK_MAX_LEVELS);
    }
    for (int r = 0; r < LINK_ROLE_COUNT; r++)
        assert_int_equal(link_role_from_name(link_role_name((enum link_role)r)), r);
    assert_int_equal(link_field_from_name("nope"), -1);
}

static void test_fields_parse_refuses_unknown_names(void **state)
{
    (void)state;
    uint32_t f = 0;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(link_fields_parse("name,sex", &f, NULL), 0);
    assert_int_equal(f, (1u << LINK_F_NAME) | (1u << LINK_F_SEX));
    assert_int_equal(link_fields_parse("name,gender", &f, &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "gender"));
    assert_int_equal(link_fields_parse("", &f, NULL), MS_EFIELD);
}

/* --- weights and decisions ---------------------------------------------- */

static void test_weights_sum_log2_ratios_and_skip_missing(void **state)
{
    (void)state;
    struct link_model m;
    double per[LINK_F_COUNT];
    int8_t lv[LINK_F_COUNT];
    link_model_init(&m, (1u << LINK_F_NAME) | (1u << LINK_F_SEX), 0.92);
    memset(lv, LINK_MISSING, sizeof(lv));
    lv[LINK_F_NAME] = 4; /* m 0.9, u 0.01 */
    lv[LINK_F_SEX] = LINK_MISSING;
    lv[LINK_F_ID] = 3; /* not in the model: ignored */
    double w = link_weight(&m, lv, per);
    assert_float_equal(w, log2(0.9 / 0.01), 1e-9);
    assert_float_equal(per[LINK_F_SEX], 0, 0);
    assert_float_equal(per[LINK_F_ID], 0, 0);
    lv[LINK_F_SEX] = 0; /* m 0.1, u 0.5 */
    assert_float_equal(link_weight(&m, lv, NULL), log2(90) + log2(0.2), 1e-9);

    /* lambda 0.01: prior odds 1/99; weight log2(99) gives even odds. */
    assert_float_equal(link_probability(&m, log2(99)), 0.5, 1e-9);
    assert_true(link_probability(&m, 2000) == 1.0);
    assert_true(link_probability(&m, -2000) == 0.0);

    assert_int_equal(link_decide(12, 4, 12), LINK_MATCH); /* at the upper: a link */
    assert_int_equal(link_decide(11.99, 4, 12), LINK_REVIEW);
    assert_int_equal(link_decide(4, 4, 12), LINK_REVIEW);
    assert_int_equal(link_decide(3.99, 4, 12), LINK_NONMATCH);
    assert_string_equal(link_decision_name(LINK_REVIEW), "review");
}

/* --- EM ----------------------------------------------------------------- */

static uint64_t rng_state;

static double uniform(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static int draw(const double *p, int n)
{
    double x = uniform(), c = 0;
    for (int i = 0; i < n - 1; i++)
        if (x < (c += p[i]))
            return i;
    return n - 1;
}

static void test_em_recovers_a_known_mixture(void **state)
{
    (void)state;
    const uint32_t fields = (1u << LINK_F_NAME) | (1u << LINK_F_BIRTH) | (1u << LINK_F_SEX) |
                            (1u << LINK_F_PHONE);
    struct link_model truth, start, got;
    memset(&truth, 0, sizeof(truth));
    truth.fields = fields;
    truth.lambda = 0.08;
    const double m_name[] = {0.05, 0.03, 0.04, 0.08, 0.80}, u_name[] = {0.95, 0.03, 0.01, 0.006, 0.004};
    const double m_birth[] = {0.04, 0.03, 0.03, 0.90}, u_birth[] = {0.97, 0.02, 0.002, 0.008};
    const double m_sex[] = {0.03, 0.97}, u_sex[] = {0.5, 0.5};
    const double m_phone[] = {0.30, 0.05, 0.65}, u_phone[] = {0.985, 0.01, 0.005};
    memcpy(truth.m[LINK_F_NAME], m_name, sizeof(m_name));
    memcpy(truth.u[LINK_F_NAME], u_name, sizeof(u_name));
    memcpy(truth.m[LINK_F_BIRTH], m_birth, sizeof(m_birth));
    memcpy(truth.u[LINK_F_BIRTH], u_birth, sizeof(u_birth));
    memcpy(truth.m[LINK_F_SEX], m_sex, sizeof(m_sex));
    memcpy(truth.u[LINK_F_SEX], u_sex, sizeof(u_sex));
    memcpy(truth.m[LINK_F_PHONE], m_phone, sizeof(m_phone));
    memcpy(truth.u[LINK_F_PHONE], u_phone, sizeof(u_phone));

    link_model_init(&start, fields, 0.92);
    struct link_em *em = link_em_new(&start);
    rng_state = 20240404;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        int8_t lv[LINK_F_COUNT];
        int is_match = uniform() < truth.lambda;
        memset(lv, LINK_MISSING, sizeof(lv));
        for (int f = 0; f < LINK_F_COUNT; f++)
            if (fields >> f & 1u)
                lv[f] = (int8_t)draw(is_match ? truth.m[f] : truth.u[f],
                                     link_field_levels((enum link_field)f));
        if (uniform() < 0.3) /* phones often missing: no evidence, no bias */
            lv[LINK_F_PHONE] = LINK_MISSING;
        link_em_add(em, lv);
    }
    struct link_em_result res;
    assert_int_equal(link_em_run(em, 500, 1e-10, &got, &res, NULL), 0);
    assert_int_equal(res.converged, 1);
    assert_int_equal(res.pairs, (size_t)n);
    assert_true(res.patterns <= 5 * 4 * 2 * 4);
    assert_float_equal(got.lambda, truth.lambda, 0.01);
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!(fields >> f & 1u))
            continue;
        for (int l = 0; l < link_field_levels((enum link_field)f); l++) {
            assert_float_equal(got.m[f][l], truth.m[f][l], 0.02);
            assert_float_equal(got.u[f][l], truth.u[f][l], 0.01);
        }
    }

    /* The same input in the same order gives the same model, bit for bit. */
    struct link_model again;
    assert_int_equal(link_em_run(em, 500, 1e-10, &again, &res, NULL), 0);
    assert_memory_equal(&again, &got, sizeof(got));
    link_em_free(em);
}

static void test_em_keeps_floors_and_orientation(void **state)
{
    (void)state;
    struct link_model start, got;
    struct link_em_result res;
    struct ms_err err = MS_ERR_INIT;
    uint32_t fields = (1u << LINK_F_NAME) | (1u << LINK_F_SEX);
    link_model_init(&start, fields, 0.92);
    /* Start from the mirror image: EM must still call the agreeing class
     * the matches. */
    for (int f = 0; f < LINK_F_COUNT; f++) {
        double tmp[LINK_MAX_LEVELS];
        memcpy(tmp, start.m[f], sizeof(tmp));
        memcpy(start.m[f], start.u[f], sizeof(tmp));
        memcpy(start.u[f], tmp, sizeof(tmp));
    }
    struct link_em *em = link_em_new(&start);
    assert_int_equal(link_em_run(em, 10, 1e-6, &got, &res, &err), MS_EINVAL);
    int8_t lv[LINK_F_COUNT];
    memset(lv, LINK_MISSING, sizeof(lv));
    for (int i = 0; i < 1000; i++) {
        lv[LINK_F_NAME] = (int8_t)(i % 10 == 0 ? 4 : 0);
        lv[LINK_F_SEX] = (int8_t)(i % 10 == 0 ? 1 : i % 2);
        link_em_add(em, lv);
    }
    assert_int_equal(link_em_run(em, 200, 1e-9, &got, &res, NULL), 0);
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!(fields >> f & 1u))
            continue;
        int top = link_field_levels((enum link_field)f) - 1;
        assert_true(got.m[f][top] > got.u[f][top]);
        for (int l = 0; l <= top; l++) {
            assert_true(got.m[f][l] >= 1e-6 * (1 - 1e-12));
            assert_true(got.u[f][l] >= 1e-6 * (1 - 1e-12));
        }
    }
    link_em_free(em);
}

/* --- JSON --------------------------------------------------------------- */

static void test_model_json_round_trips(void **state)
{
    (void)state;
    struct link_model m, back;
    struct ms_err err = MS_ERR_INIT;
    link_model_init(&m, (1u << LINK_F_NAME) | (1u << LINK_F_ID) | (1u << LINK_F_PHONE), 0.91);
    m.m[LINK_F_NAME][3] = 0.0123456789012345;
    m.m[LINK_F_NAME][4] = 0.9 - 0.0123456789012345 + 0.1 / 4;
    json_t *j = link_model_to_json(&m);
    char *text = json_dumps(j, 0);
    json_decref(j);
    j = json_loads(text, 0, NULL);
    free(text);
    assert_int_equal(link_model_from_json(j, &back, &err), 0);
    assert_int_equal(back.fields, m.fields);
    assert_true(back.jw_min == m.jw_min && back.lambda == m.lambda);
    for (int f = 0; f < LINK_F_COUNT; f++)
        if (m.fields >> f & 1u) {
            assert_memory_equal(back.m[f], m.m[f], sizeof(m.m[f]));
            assert_memory_equal(back.u[f], m.u[f], sizeof(m.u[f]));
        }

    /* Strict: an unknown key or a bad table is refused, naming it. */
    json_object_set_new(j, "extra", json_true());
    assert_int_equal(link_model_from_json(j, &back, &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "extra"));
    json_object_del(j, "extra");
    json_array_set_new(json_object_get(json_object_get(j, "u"), "phone"), 0, json_real(2.0));
    struct ms_err err2 = MS_ERR_INIT;
    assert_int_equal(link_model_from_json(j, &back, &err2), MS_EFIELD);
    assert_string_equal(err2.field, "u.phone");
    json_decref(j);
}

static void test_evidence_json_names_levels_and_weights(void **state)
{
    (void)state;
    struct link_model m;
    int8_t lv[LINK_F_COUNT];
    link_model_init(&m, (1u << LINK_F_NAME) | (1u << LINK_F_BIRTH), 0.92);
    memset(lv, LINK_MISSING, sizeof(lv));
    lv[LINK_F_NAME] = 3;
    json_t *e = link_evidence_json(&m, lv);
    json_t *name = json_object_get(json_object_get(e, "fields"), "name");
    json_t *birth = json_object_get(json_object_get(e, "fields"), "birth_date");
    assert_int_equal(json_integer_value(json_object_get(name, "level")), 3);
    assert_string_equal(json_string_value(json_object_get(name, "label")), "homophone");
    assert_string_equal(json_string_value(json_object_get(name, "label_zh")), "同音字");
    assert_true(json_is_null(json_object_get(birth, "level")));
    assert_string_equal(json_string_value(json_object_get(birth, "label")), "missing");
    assert_float_equal(json_real_value(json_object_get(birth, "weight")), 0, 0);
    assert_float_equal(json_real_value(json_object_get(e, "weight")),
                       link_weight(&m, lv, NULL), 1e-12);
    assert_null(json_object_get(json_object_get(e, "fields"), "sex"));
    json_decref(e);
}

static int teardown(void **state)
{
    (void)state;
    ms_pinyin_release_all();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rec_hanzi_name_gets_pinyin_and_is_split),
        cmocka_unit_test(test_rec_latin_names_are_folded_not_split),
        cmocka_unit_test(test_rec_explicit_family_name_is_not_overwritten),
        cmocka_unit_test(test_rec_id_numbers_upgraded_kept_or_refused),
        cmocka_unit_test(test_rec_birth_dates_in_every_layout),
        cmocka_unit_test(test_rec_sex_forms),
        cmocka_unit_test(test_rec_empty_values_stay_missing),
        cmocka_unit_test(test_compare_gives_the_documented_levels),
        cmocka_unit_test(test_compare_id_levels),
        cmocka_unit_test(test_labels_are_stable),
        cmocka_unit_test(test_fields_parse_refuses_unknown_names),
        cmocka_unit_test(test_weights_sum_log2_ratios_and_skip_missing),
        cmocka_unit_test(test_em_recovers_a_known_mixture),
        cmocka_unit_test(test_em_keeps_floors_and_orientation),
        cmocka_unit_test(test_model_json_round_trips),
        cmocka_unit_test(test_evidence_json_names_levels_and_weights),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
