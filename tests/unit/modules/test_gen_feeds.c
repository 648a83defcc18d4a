/*
 * test_gen_feeds.c - the department feeds of `minsheng gen --feeds`
 * (src/modules/gen/gen_feeds.c, gen_feed_out.c, gen_noise.c): every file
 * has the header of its definition in src/modules/exchange/feeds/ and the
 * definition's encoding and line ends; truth.csv points at real rows and real
 * residents; clean rows carry the registry's identity; the noise shares land
 * near docs/gen.md's; every kind of bad row appears and is really bad; the
 * same seed gives byte-identical files, also when a chunk is made twice (a
 * retried transaction), and the district does not change when feeds are on;
 * the name-noise tables are homophones and fuzzy-pinyin twins.
 */
#include "module_fixture.h"

#include <dirent.h>
#include <iconv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/money.h"
#include "core/pinyin.h"
#include "core/seal.h"
#include "core/similarity.h"
#include "core/uscc.h"
#include "modules/gen/gen.h"
#include "modules/gen/gen_int.h"
#include "modules/placenames/placenames.h"
#include "modules/registry/registry.h"
#include "modules/registry/registry_int.h" /* REGISTRY_FIELD_*: the seal fields */

#define AS_OF     "2025-12-31"
#define RESIDENTS 3000
#define SEED      4242

static char tmp_dir[256];
static char key_path[300];

/* --- set-up: a small district with its feeds --------------------------------------- */

static void add_place(struct store *st, const char *kind, const char *name, const char *code,
                      int64_t parent, int64_t *id)
{
    struct ms_err err = MS_ERR_INIT;
    struct place_in in = {
        .kind = kind, .name = name, .region_code = code, .parent_id = parent, .is_synthetic = 1};
    if (placenames_add(st, &in, &test_actor, id, &err) != 0)
        fail_msg("place %s: %s", name, err.message);
}

static void add_places(struct store *st)
{
    int64_t d, s, t1, t2, id;
    add_place(st, "district", "样例区", "500110000000", 0, &d);
    add_place(st, "street", "样例街道", "500110001000", d, &s);
    add_place(st, "community", "甲社区", "500110001001", s, &id);
    add_place(st, "community", "乙社区", "500110001002", s, &id);
    add_place(st, "town", "样例一镇", "500110101000", d, &t1);
    add_place(st, "community", "丙社区", "500110101001", t1, &id);
    add_place(st, "village", "丁村", "500110101201", t1, &id);
    add_place(st, "village", "戊村", "500110101202", t1, &id);
    add_place(st, "town", "样例二镇", "500110102000", d, &t2);
    add_place(st, "village", "己村", "500110102201", t2, &id);
    add_place(st, "village", "庚村", "500110102202", t2, &id);
}

static struct store *new_district_db(void)
{
    struct ms_err err = MS_ERR_INIT;
    size_t applied;
    struct store *st = test_store_open();
    assert_non_null(st);
    if (store_migrate_apply(st, ms_modules_migrations(), &applied, NULL, NULL, &err) != 0)
        fail_msg("migrate: %s", err.message);
    add_places(st);
    return st;
}

/* A hook that makes every chunk twice, as a retried transaction does. */
static int twice(struct store *st, const struct gen_chunk *c, void *ctx, struct ms_err *err)
{
    if (gen_feeds_chunk(st, c, ctx, err) < 0)
        return err->code;
    return gen_feeds_chunk(st, c, ctx, err);
}

/* Generates the district into st; with feeds into dir unless dir is NULL,
 * without the feed left_out's rows (-1: every feed). */
static void generate_without(struct store *st, const char *dir, size_t chunk, int retry,
                             int left_out)
{
    struct ms_err err = MS_ERR_INIT;
    struct gen_feeds *fx = NULL;
    struct gen_options o = {
        .seed = SEED, .residents = RESIDENTS, .as_of = AS_OF, .chunk_residents = chunk};
    if (dir) {
        if (gen_feeds_open(dir, SEED, GEN_DEFAULT_FEED_MONTHS, &fx, &err) != 0)
            fail_msg("feeds: %s", err.message);
        o.after_chunk = retry ? twice : gen_feeds_chunk;
        o.hook_ctx = fx;
        if (left_out >= 0)
            gen__feeds_leave_out(fx, left_out);
    }
    if (gen_district(st, &o, &test_actor, NULL, &err) != 0)
        fail_msg("gen: %s", err.message);
    if (gen_feeds_finish(fx, 1, &err) != 0)
        fail_msg("finish: %s", err.message);
}

static void generate(struct store *st, const char *dir, size_t chunk, int retry)
{
    generate_without(st, dir, chunk, retry, -1);
}

/* --- reading files ---------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* GB18030 to UTF-8; fails the test if the bytes are not GB18030. */
static char *from_gb18030(const char *in, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 2 + 1, left = len, room = cap;
    char *out = malloc(cap + 1), *op = out;
    char *ip = (char *)(uintptr_t)in;
    assert_true(iconv(cd, &ip, &left, &op, &room) != (size_t)-1);
    *op = '\0';
    iconv_close(cd);
    return out;
}

#define MAX_FIELDS 16

/* A file's rows: fields split RFC 4180 style, or a JSON object's values. */
struct table {
    char ***rows; /* rows[i][c]; row 0 is the header for CSV */
    size_t n;
    size_t n_cols;
};

static size_t split_csv(char *line, char **fields)
{
    size_t n = 0;
    char *p = line, *w;
    for (;;) {
        fields[n++] = w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        char c = *p;
        *w = '\0';
        if (c != ',' || n == MAX_FIELDS)
            return n;
        p++;
    }
}

/* The definition of one feed, parsed from its JSON file. */
struct def {
    json_t *json;
    const char *name, *format, *encoding;
    size_t n_cols;
    const char *sources[MAX_FIELDS];
    json_t *values[MAX_FIELDS]; /* enum values, or NULL */
    const char *types[MAX_FIELDS];
    int key[2];
};

static void load_def(const char *name, struct def *d)
{
    char path[512];
    json_error_t jerr;
    snprintf(path, sizeof(path), "%s/%s.json", MS_FEEDS_DIR, name);
    memset(d, 0, sizeof(*d));
    d->json = json_load_file(path, 0, &jerr);
    if (!d->json)
        fail_msg("%s: %s", path, jerr.text);
    d->name = json_string_value(json_object_get(d->json, "name"));
    d->format = json_string_value(json_object_get(d->json, "format"));
    d->encoding = json_string_value(json_object_get(d->json, "encoding"));
    json_t *cols = json_object_get(d->json, "columns"),
           *keys = json_object_get(d->json, "natural_key");
    d->n_cols = json_array_size(cols);
    d->key[0] = d->key[1] = -1;
    for (size_t c = 0; c < d->n_cols; c++) {
        json_t *col = json_array_get(cols, c);
        d->sources[c] = json_string_value(json_object_get(col, "source"));
        d->values[c] = json_object_get(col, "values");
        json_t *type = json_object_get(col, "type");
        d->types[c] = type ? json_string_value(type) : "";
        for (size_t k = 0; k < json_array_size(keys); k++)
            if (strcmp(json_string_value(json_array_get(keys, k)),
                       json_string_value(json_object_get(col, "field"))) == 0)
                d->key[k] = (int)c;
    }
}

/* Reads a feed file, checking its encoding, line ends and header. */
static void load_feed(const char *dir, const struct def *d, struct table *t)
{
    char path[512];
    size_t len;
    int is_jsonl = strcmp(d->format, "jsonl") == 0, is_gbk = strcmp(d->encoding, "gbk") == 0;
    snprintf(path, sizeof(path), "%s/%s.%s", dir, d->name, d->format);
    char *raw = read_all(path, &len);
    char *text = is_gbk ? from_gb18030(raw, len) : raw;
    if (is_gbk)
        free(raw);
    memset(t, 0, sizeof(*t));
    t->n_cols = d->n_cols;
    size_t lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    t->rows = calloc(lines + 1, sizeof(char **));
    char *save = text;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl); /* every line ends */
        if (is_gbk) {
            assert_true(nl > line && nl[-1] == '\r'); /* CRLF: a Windows export */
            nl[-1] = '\0';
        } else {
            assert_true(nl == line || nl[-1] != '\r'); /* LF */
        }
        *nl = '\0';
        char **fields = calloc(MAX_FIELDS, sizeof(char *));
        if (is_jsonl) {
            json_error_t jerr;
            json_t *obj = json_loads(line, 0, &jerr);
            if (!obj)
                fail_msg("%s: %s", d->name, jerr.text);
            assert_int_equal(json_object_size(obj), d->n_cols);
            size_t c = 0;
            /* the keys, in the definition's order */
            for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it), c++) {
                assert_string_equal(json_object_iter_key(it), d->sources[c]);
                fields[c] = strdup(json_string_value(json_object_iter_value(it)));
            }
            json_decref(obj);
        } else {
            char *copy = strdup(line), *parts[MAX_FIELDS];
            size_t n = split_csv(copy, parts);
            assert_int_equal(n, d->n_cols);
            for (size_t c = 0; c < n; c++)
                fields[c] = strdup(parts[c]);
            free(copy);
        }
        t->rows[t->n++] = fields;
        line = nl + 1;
    }
    free(save);
    if (!is_jsonl) {
        assert_true(t->n >= 1);
        for (size_t c = 0; c < d->n_cols; c++)
            assert_string_equal(t->rows[0][c], d->sources[c]);
    }
}

static void free_table(struct table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t c = 0; c < MAX_FIELDS; c++)
            free(t->rows[i][c]);
        free(t->rows[i]);
    }
    free(t->rows);
}

/* A data row (1-based, as truth.csv counts). */
static char **data_row(const struct def *d, const struct table *t, size_t row)
{
    size_t first = strcmp(d->format, "jsonl") == 0 ? 0 : 1;
    assert_true(row >= 1 && row - 1 + first < t->n);
    return t->rows[row - 1 + first];
}

/* --- the registry, in plain text ----------------------------------------------------- */

struct resident {
    char code[16], name[48], id[20], birth[11], sex, phone[12], region[13], status_date[11];
};

struct registry {
    struct resident *r;
    size_t n;
};

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct resident *)a)->code, ((const struct resident *)b)->code);
}

static void load_registry(struct store *st, struct registry *reg)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_seal *seal;
    struct ms_arena a;
    struct store_stmt *s;
    assert_int_equal(ms_seal_open(key_path, &seal, &err), 0);
    ms_arena_init(&a, 0);
    reg->r = calloc(RESIDENTS, sizeof(*reg->r));
    reg->n = 0;
    assert_int_equal(store_prepare(st,
                                   "SELECT code, name, id_number_sealed, birth_date, sex, "
                                   "phone_sealed, region_code, status_date FROM residents",
                                   &s, &err),
                     0);
    while (store_step(s, &err) == STORE_ROW) {
        struct resident *r = &reg->r[reg->n++];
        const char *plain;
        snprintf(r->code, sizeof(r->code), "%s", store_col_text(s, 0));
        snprintf(r->name, sizeof(r->name), "%s", store_col_text(s, 1));
        assert_int_equal(
            ms_seal_decrypt(seal, REGISTRY_FIELD_ID, store_col_text(s, 2), &a, &plain, &err), 0);
        snprintf(r->id, sizeof(r->id), "%s", plain);
        snprintf(r->birth, sizeof(r->birth), "%s", store_col_text(s, 3));
        r->sex = store_col_text(s, 4)[0];
        const char *ph = store_col_text(s, 5);
        if (ph && ph[0]) {
            assert_int_equal(ms_seal_decrypt(seal, REGISTRY_FIELD_PHONE, ph, &a, &plain, &err), 0);
            snprintf(r->phone, sizeof(r->phone), "%s", plain);
        }
        snprintf(r->region, sizeof(r->region), "%s", store_col_text(s, 6));
        snprintf(r->status_date, sizeof(r->status_date), "%s", store_col_text(s, 7));
    }
    store_reset(s);
    assert_int_equal(reg->n, RESIDENTS);
    qsort(reg->r, reg->n, sizeof(*reg->r), by_code);
    ms_arena_release(&a);
    ms_seal_free(seal);
}

static const struct resident *find_resident(const struct registry *reg, const char *code)
{
    struct resident key;
    snprintf(key.code, sizeof(key.code), "%s", code);
    return bsearch(&key, reg->r, reg->n, sizeof(key), by_code);
}

/* --- the checks ---------------------------------------------------------------------- */

static int col_of_type(const struct def *d, const char *source_or_type)
{
    for (size_t c = 0; c < d->n_cols; c++)
        if (strcmp(d->sources[c], source_or_type) == 0 || strcmp(d->types[c], source_or_type) == 0)
            return (int)c;
    return -1;
}

/* A column holding an identity field, by the definition's role. */
static int col_of_role(const struct def *d, const char *role)
{
    json_t *cols = json_object_get(d->json, "columns");
    for (size_t c = 0; c < d->n_cols; c++) {
        json_t *r = json_object_get(json_array_get(cols, c), "role");
        if (r && strcmp(json_string_value(r), role) == 0)
            return (int)c;
    }
    return -1;
}

/* A date in the column's format back to YYYY-MM-DD ("" if empty). */
static void to_iso(const char *v, char out[11])
{
    if (strlen(v) == 8)
        snprintf(out, 11, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    else
        snprintf(out, 11, "%s", v);
}

static void expect_identity(const struct def *d, char **row, const struct resident *r)
{
    int c;
    char iso[11];
    if ((c = col_of_role(d, "id_number")) >= 0)
        assert_string_equal(row[c], r->id);
    if ((c = col_of_role(d, "full_name")) >= 0)
        assert_string_equal(row[c], r->name);
    if ((c = col_of_role(d, "birth_date")) >= 0) {
        to_iso(row[c], iso);
        assert_string_equal(iso, r->birth);
    }
    if ((c = col_of_role(d, "sex")) >= 0) {
        const char *want = strcmp(d->format, "jsonl") == 0 ? (r->sex == 'M' ? "1" : "2")
                                                           : (r->sex == 'M' ? "男" : "女");
        assert_string_equal(row[c], want);
    }
    if ((c = col_of_role(d, "phone")) >= 0)
        assert_string_equal(row[c], r->phone);
    if ((c = col_of_role(d, "region")) >= 0)
        assert_string_equal(row[c], r->region);
}

/* Is the bad row really bad, in the way its noise says? */
static void expect_bad(const struct def *d, char **row, const char *noise)
{
    int32_t day;
    int c;
    if (strstr(noise, "bad:empty_required")) {
        assert_string_equal(row[col_of_role(d, "full_name")], "");
    } else if (strstr(noise, "bad:impossible_date")) {
        c = col_of_type(d, "date");
        if (c < 0) {
            c = col_of_type(d, "month");
            assert_non_null(strstr(row[c], "13"));
            return;
        }
        char iso[11];
        to_iso(row[c], iso);
        assert_int_not_equal(ms_date_parse(iso, &day, NULL), 0);
    } else if (strstr(noise, "bad:amount")) {
        int64_t fen = 0;
        c = col_of_type(d, "money");
        assert_true(ms_money_parse(row[c], &fen, NULL) != 0 || fen < 0);
    } else if (strstr(noise, "bad:enum")) {
        c = col_of_type(d, "enum");
        assert_null(json_object_get(d->values[c], row[c]));
    } else if (strstr(noise, "bad:uscc")) {
        c = col_of_type(d, "uscc");
        struct ms_uscc u;
        assert_int_not_equal(ms_uscc_parse(row[c], &u, NULL), 0);
    } else {
        fail_msg("bad row without a kind: %s", noise);
    }
}

/* Enum values come from the definition's list; USCCs and dates are valid. */
static void expect_valid(const struct def *d, char **row)
{
    int32_t day;
    for (size_t c = 0; c < d->n_cols; c++) {
        if (d->values[c] && row[c][0])
            assert_non_null(json_object_get(d->values[c], row[c]));
        struct ms_uscc u;
        if (strcmp(d->types[c], "uscc") == 0 && row[c][0])
            assert_int_equal(ms_uscc_parse(row[c], &u, NULL), 0);
        if (strcmp(d->types[c], "date") == 0 && row[c][0]) {
            char iso[11];
            to_iso(row[c], iso);
            assert_int_equal(ms_date_parse(iso, &day, NULL), 0);
        }
        if (strcmp(d->types[c], "money") == 0 && row[c][0]) {
            int64_t fen;
            assert_int_equal(ms_money_parse(row[c], &fen, NULL), 0);
            assert_true(fen >= 0);
        }
    }
}

static const char *const feed_names[GEN_FEEDS] = {
    "death_police",
    "death_certificate",
    "cremation",
    "hukou_change",
    "insurance_enrolment",
    "pension_payment",
    "unemployment_registration",
    "unemployment_benefit",
    "contribution_wage",
    "medical_settlement",
    "disability_certificate",
    "business_registration",
    "vehicle",
    "student_aid",
    "meal_subsidy",
    "remote_benefit",
    "real_estate",
};

static int feed_index(const char *name)
{
    for (int i = 0; i < GEN_FEEDS; i++)
        if (strcmp(feed_names[i], name) == 0)
            return i;
    fail_msg("unknown feed %s in truth.csv", name);
    return -1;
}

/* Shares of noise tags among the rows of residents that have the field. */
struct shares {
    size_t rows, with_id, with_birth, with_phone, with_region;
    size_t id_exact, id_empty, id_old15, id_digit, id_digit_valid, id_transposed;
    size_t name_noisy, birth_noisy, sex_noisy, phone_empty, phone_other, region_township,
        region_empty;
    size_t clean, absent, bad, usable, planted;
    size_t bad_kinds[5];
};

static void count_tags(struct shares *sh, const struct def *d, const char *noise, int id_usable)
{
    sh->rows++;
    sh->usable += id_usable;
    if (col_of_role(d, "id_number") >= 0) {
        sh->with_id++;
        sh->id_exact += !strstr(noise, "id:");
        sh->id_empty += strstr(noise, "id:empty") != NULL;
        sh->id_old15 += strstr(noise, "id:old15") != NULL;
        sh->id_digit += strstr(noise, "id:digit;") != NULL ||
                        (strstr(noise, "id:digit") && !strstr(noise, "id:digit_valid"));
        sh->id_digit_valid += strstr(noise, "id:digit_valid") != NULL;
        sh->id_transposed += strstr(noise, "id:transposed") != NULL;
    }
    sh->name_noisy += strstr(noise, "name:") != NULL;
    sh->sex_noisy += strstr(noise, "sex:") != NULL;
    if (col_of_role(d, "birth_date") >= 0) {
        sh->with_birth++;
        sh->birth_noisy += strstr(noise, "birth:") != NULL;
    }
    if (col_of_role(d, "phone") >= 0) {
        sh->with_phone++;
        sh->phone_other += strstr(noise, "phone:other") != NULL;
        sh->phone_empty += strstr(noise, "phone:empty") != NULL;
    }
    if (col_of_role(d, "region") >= 0) {
        sh->with_region++;
        sh->region_township += strstr(noise, "region:township") != NULL;
        sh->region_empty += strstr(noise, "region:empty") != NULL;
    }
}

static void between(size_t part, size_t whole, double lo, double hi, const char *what)
{
    double share = whole ? (double)part / (double)whole : 0;
    if (share < lo || share > hi)
        fail_msg("%s: %.4f (%zu of %zu), expected %.3f-%.3f", what, share, part, whole, lo, hi);
}

/* A row tagged with a monitoring rule's id meets the rule (docs/gen.md) and
 * carries the registry identity exactly, so linkage cannot lose it. */
static void check_rule_plant(char **f, char **row, const struct resident *r)
{
    const char *plant = f[7];
    if (!plant[0])
        return;
    assert_string_equal(f[4], "clean");
    if (strcmp(plant, "pension_double") == 0) {
        assert_string_equal(f[0], "pension_payment");
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "impossible_age") == 0) {
        char sixteen[24];
        assert_string_equal(f[0], "contribution_wage");
        snprintf(sixteen, sizeof(sixteen), "%04d%.2s", atoi(r->birth) + 16, r->birth + 5);
        assert_true(strncmp(row[5], sixteen, 6) < 0); /* YYYYMM before the 16th birthday month */
    } else if (strcmp(plant, "disability_severe_new") == 0) {
        assert_string_equal(f[0], "disability_certificate");
        assert_true(strcmp(row[6], "一级") == 0 || strcmp(row[6], "二级") == 0);
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "unemployment_while_employed") == 0) {
        assert_string_equal(f[0], "unemployment_benefit");
    } else if (strcmp(plant, "medical_oop_high") == 0) {
        assert_string_equal(f[0], "medical_settlement");
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "student_edge_university") == 0) {
        assert_string_equal(f[0], "student_aid");
        assert_string_equal(row[8], "低保边缘家庭");
    } else if (strcmp(plant, "edge_income_no_assistance") == 0) {
        /* an income row of a living member of a household that fell */
        assert_true(strcmp(f[0], "pension_payment") == 0 ||
                    strcmp(f[0], "contribution_wage") == 0 ||
                    strcmp(f[0], "unemployment_benefit") == 0);
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "assisted_vehicle_business") == 0) {
        /* the roll's rules (test_gen_roll.c): a vehicle in use, a business in operation */
        assert_true((strcmp(f[0], "vehicle") == 0 && strcmp(row[7], "正常") == 0) ||
                    (strcmp(f[0], "business_registration") == 0 && strcmp(row[6], "存续") == 0));
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "assisted_wage_above") == 0) {
        assert_string_equal(f[0], "contribution_wage");
        assert_true(strtod(row[6], NULL) > 4200.0);
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "unemployed_assisted_member") == 0) {
        assert_string_equal(f[0], "unemployment_registration");
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "pension_identity_change") == 0) {
        /* a living member paid from a dead pensioner's account (its number) */
        assert_string_equal(f[0], "pension_payment");
        assert_int_equal(strlen(row[9]), 18);
        assert_string_equal(r->status_date, "");
    } else if (strcmp(plant, "meal_subsidy_after_death") == 0) {
        /* subsidised for a month that began after the death (YYYY-MM) */
        assert_string_equal(f[0], "meal_subsidy");
        assert_string_not_equal(r->status_date, "");
        char period[11];
        snprintf(period, sizeof(period), "%.7s-01", row[6]);
        assert_true(strcmp(period, r->status_date) > 0);
    } else if (strcmp(plant, "benefit_two_regions") == 0) {
        /* dibao or tekun paid elsewhere to a living resident (the roll's
         * side: test_gen_roll.c) */
        assert_string_equal(f[0], "remote_benefit");
        assert_true(strcmp(row[6], "最低生活保障") == 0 || strcmp(row[6], "特困人员救助供养") == 0);
        assert_string_equal(r->status_date, "");
    } else {
        assert_string_equal(plant, "paid_after_death");
    }
}

/* Checks one truth line against its feed row and the registry. */
static void check_truth_line(char **f, struct def *defs, struct table *tables,
                             const struct registry *reg, struct shares *sh)
{
    int i = feed_index(f[0]);
    const struct def *d = &defs[i];
    char **row = data_row(d, &tables[i], (size_t)strtoul(f[1], NULL, 10));
    char key[300];
    snprintf(key, sizeof(key), "%s%s%s", row[d->key[0]], d->key[1] >= 0 ? "|" : "",
             d->key[1] >= 0 ? row[d->key[1]] : "");
    assert_string_equal(f[2], key);
    const char *status = f[4], *noise = f[6];
    int id_usable = atoi(f[5]);
    if (strcmp(status, "bad") == 0) {
        assert_string_equal(f[3], "");
        expect_bad(d, row, noise);
        static const char *const kinds[] = {"bad:empty_required", "bad:impossible_date",
                                            "bad:amount", "bad:enum", "bad:uscc"};
        for (int k = 0; k < 5; k++)
            sh->bad_kinds[k] += strstr(noise, kinds[k]) != NULL;
        sh->bad++;
        return;
    }
    expect_valid(d, row);
    if (strcmp(status, "absent") == 0) {
        assert_string_equal(f[3], "");
        assert_int_equal(id_usable, 0);
        sh->absent++;
        return;
    }
    const struct resident *r = find_resident(reg, f[3]);
    assert_non_null(r);
    if (strcmp(status, "clean") == 0) {
        assert_string_equal(noise, "");
        expect_identity(d, row, r);
        sh->clean++;
    } else {
        assert_string_equal(status, "noisy");
        assert_string_not_equal(noise, "");
    }
    /* id_usable: the number, a 15-digit one upgraded, is the registered one. */
    int c = col_of_role(d, "id_number");
    char upgraded[MS_IDCARD_BUF] = "";
    if (strlen(row[c]) == 15)
        assert_int_equal(ms_idcard_upgrade15(row[c], upgraded, NULL), 0);
    else
        snprintf(upgraded, sizeof(upgraded), "%s", row[c]);
    assert_int_equal(id_usable, strcmp(upgraded, r->id) == 0);
    if (strcmp(f[0], "pension_payment") == 0 && r->status_date[0] && f[7][0] == '\0') {
        /* Otherwise the dead are paid up to the month they died in. */
        char period[11];
        snprintf(period, sizeof(period), "%.4s-%.2s-01", row[6], row[6] + 4);
        assert_true(strcmp(period, r->status_date) <= 0);
    }
    if (strcmp(f[0], "meal_subsidy") == 0 && r->status_date[0] && f[7][0] == '\0') {
        /* Otherwise the dead are subsidised up to the month they died in. */
        char period[11];
        snprintf(period, sizeof(period), "%.7s-01", row[6]);
        assert_true(strcmp(period, r->status_date) <= 0);
    }
    if (strcmp(f[0], "remote_benefit") == 0) {
        /* Paid by another region: never this district's code. */
        assert_int_equal(strlen(row[5]), 12);
        assert_true(strncmp(row[5], "500110", 6) != 0);
        /* Without a roll nothing is paid here twice. */
        assert_string_equal(f[7], "");
    }
    if (strcmp(f[7], "paid_after_death") == 0) {
        /* Paid for a month that began after the death. */
        assert_string_equal(f[0], "pension_payment");
        assert_string_not_equal(r->status_date, "");
        char period[11];
        snprintf(period, sizeof(period), "%.4s-%.2s-01", row[6], row[6] + 4);
        assert_true(strcmp(period, r->status_date) > 0);
        sh->planted++;
    }
    check_rule_plant(f, row, r);
    count_tags(sh, d, noise, id_usable);
}

static void test_feeds_match_definitions_truth_and_registry(void **state)
{
    struct store *st = *state;
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/a", tmp_dir);
    add_places(st);
    generate(st, dir, 700, 0);

    struct def defs[GEN_FEEDS];
    struct table tables[GEN_FEEDS];
    for (int i = 0; i < GEN_FEEDS; i++) {
        load_def(feed_names[i], &defs[i]);
        load_feed(dir, &defs[i], &tables[i]);
    }
    struct registry reg;
    load_registry(st, &reg);

    size_t len;
    char truth_path[400];
    snprintf(truth_path, sizeof(truth_path), "%s/truth.csv", dir);
    char *truth = read_all(truth_path, &len), *line = truth;
    struct shares sh;
    memset(&sh, 0, sizeof(sh));
    size_t n_truth = 0;
    char *nl = strchr(line, '\n');
    *nl = '\0';
    assert_string_equal(line, "feed,row,natural_key,resident_code,status,id_usable,noise,plant");
    for (line = nl + 1; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        char *f[MAX_FIELDS];
        assert_int_equal(split_csv(line, f), 8);
        check_truth_line(f, defs, tables, &reg, &sh);
        n_truth++;
    }
    /* One truth line per data row. */
    size_t n_rows = 0;
    for (int i = 0; i < GEN_FEEDS; i++) {
        n_rows += tables[i].n - (strcmp(defs[i].format, "jsonl") != 0);
        assert_true(tables[i].n > 1); /* every feed has rows */
    }
    assert_int_equal(n_truth, n_rows);

    /* Every kind of bad row, and about 0.5% of rows bad, 3% absent. */
    for (int k = 0; k < 5; k++)
        assert_true(sh.bad_kinds[k] >= 1);
    between(sh.bad, n_rows, 0.002, 0.01, "bad rows");
    between(sh.absent, n_rows, 0.015, 0.05, "absent rows");
    assert_true(sh.planted >= 1);
    /* The noise shares of docs/gen.md, with room for 3,000 residents and
     * for series of rows (12 pension months) sharing one identity. */
    between(sh.id_exact, sh.with_id, 0.85, 0.95, "id exact");
    between(sh.id_empty, sh.with_id, 0.015, 0.05, "id empty");
    between(sh.id_old15, sh.with_id, 0.005, 0.035, "id old15");
    between(sh.id_digit, sh.with_id, 0.008, 0.035, "id digit");
    between(sh.id_digit_valid, sh.with_id, 0.002, 0.02, "id digit_valid");
    between(sh.id_transposed, sh.with_id, 0.002, 0.02, "id transposed");
    between(sh.name_noisy, sh.rows, 0.03, 0.09, "name noise");
    between(sh.birth_noisy, sh.with_birth, 0.02, 0.07, "birth noise");
    between(sh.sex_noisy, sh.rows, 0.004, 0.03, "sex noise");
    between(sh.phone_other, sh.with_phone, 0.04, 0.16, "phone other");
    between(sh.region_township, sh.with_region, 0.10, 0.20, "region township");
    between(sh.region_empty, sh.with_region, 0.025, 0.08, "region empty");
    between(sh.usable, sh.rows, 0.88, 0.96, "id usable");

    free(truth);
    free(reg.r);
    for (int i = 0; i < GEN_FEEDS; i++) {
        free_table(&tables[i]);
        json_decref(defs[i].json);
    }
}

/* A digest of the district as test_gen.c takes it, to show feeds leave it be. */
static void digest(struct store *st, unsigned char out[32])
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    assert_int_equal(store_prepare(st,
                                   "SELECT code, name, id_number_bidx, phone_bidx, birth_date, "
                                   "status_date, region_code FROM residents ORDER BY id",
                                   &s, &err),
                     0);
    while (store_step(s, &err) == STORE_ROW)
        for (int c = 0; c < store_col_count(s); c++) {
            const char *t = store_col_text(s, c);
            crypto_generichash_update(&h, (const unsigned char *)(t ? t : ""),
                                      strlen(t ? t : "") + 1);
        }
    store_reset(s);
    crypto_generichash_final(&h, out, 32);
}

static void expect_same_files(const char *a, const char *b)
{
    char pa[1024], pb[1024];
    int files = 0;
    DIR *dir = opendir(a);
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        size_t la, lb;
        snprintf(pa, sizeof(pa), "%s/%s", a, e->d_name);
        snprintf(pb, sizeof(pb), "%s/%s", b, e->d_name);
        char *x = read_all(pa, &la), *y = read_all(pb, &lb);
        if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s differs between runs", e->d_name);
        free(x);
        free(y);
        files++;
    }
    closedir(dir);
    assert_int_equal(files, GEN_FEEDS + 2); /* and truth.csv, truth_registry.csv */
}

static void test_same_seed_same_files_even_when_chunks_are_retried(void **state)
{
    struct store *st = *state;
    char a[300], b[300];
    unsigned char da[32], db[32], dc[32];
    snprintf(a, sizeof(a), "%s/b1", tmp_dir);
    snprintf(b, sizeof(b), "%s/b2", tmp_dir);
    add_places(st);
    generate(st, a, 700, 0);
    digest(st, da);

    struct store *st2 = new_district_db();
    generate(st2, b, 1100, 1); /* other chunks, each made twice */
    digest(st2, db);
    test_store_close(st2);
    expect_same_files(a, b);
    assert_memory_equal(da, db, 32);

    struct store *st3 = new_district_db();
    generate(st3, NULL, 700, 0); /* no feeds: the same district */
    digest(st3, dc);
    test_store_close(st3);
    assert_memory_equal(da, dc, 32);
}

/* Text of a file without the lines that start with prefix. */
static char *without_lines(const char *path, const char *prefix)
{
    size_t len, k = 0, n = strlen(prefix);
    char *text = read_all(path, &len), *out = malloc(len + 1);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t l = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (strncmp(line, prefix, n) != 0) {
            memcpy(out + k, line, l);
            k += l;
        }
        line += l;
    }
    out[k] = '\0';
    free(text);
    return out;
}

/* The owner of a real-estate row as the registry has them. */
struct owner {
    char relation[16], hukou[8], birth[11], status[16];
    int64_t household;
};

/* sql's one row, bound to a text. */
static struct store_stmt *one_row(struct store *st, const char *sql, const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, sql, &s, &err), 0);
    store_bind_text(s, 1, text);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    return s;
}

static void owner_of(struct store *st, const char *code, struct owner *o)
{
    struct store_stmt *s = one_row(st,
                                   "SELECT relation, hukou_type, birth_date, status, household_id"
                                   " FROM residents WHERE code = ?",
                                   code);
    snprintf(o->relation, sizeof(o->relation), "%s", store_col_text(s, 0));
    snprintf(o->hukou, sizeof(o->hukou), "%s", store_col_text(s, 1));
    snprintf(o->birth, sizeof(o->birth), "%s", store_col_text(s, 2));
    snprintf(o->status, sizeof(o->status), "%s", store_col_text(s, 3));
    o->household = store_col_int64(s, 4);
    store_reset(s);
}

static int64_t households_of(struct store *st, const char *hukou)
{
    struct store_stmt *s = one_row(
        st, "SELECT count(*) FROM residents WHERE relation = 'head' AND hukou_type = ?", hukou);
    int64_t n = store_col_int64(s, 0);
    store_reset(s);
    return n;
}

/* The real-estate feed was added after the other sixteen: without it, every
 * other file and every other truth line is the same, byte for byte. Its rows:
 * owned by a living adult head or spouse, a certificate number of the
 * registration's year, dated from 2016, the ID number rarely wrong and never
 * empty; most urban households own their home, few rural ones. */
static void test_real_estate_rows_leave_other_feeds_as_they_were(void **state)
{
    struct store *st = *state;
    char a[300], b[300], pa[400], pb[400];
    snprintf(a, sizeof(a), "%s/e1", tmp_dir);
    snprintf(b, sizeof(b), "%s/e2", tmp_dir);
    add_places(st);
    generate(st, a, 700, 0);
    struct store *st2 = new_district_db();
    generate_without(st2, b, 700, 0, GEN_FEED_REAL_ESTATE);
    test_store_close(st2);
    for (int i = 0; i < GEN_FEEDS; i++) {
        char name[64];
        gen_feeds_file((size_t)i, name, sizeof(name));
        snprintf(pa, sizeof(pa), "%s/%s", a, name);
        snprintf(pb, sizeof(pb), "%s/%s", b, name);
        size_t la, lb;
        char *x = read_all(pa, &la), *y = read_all(pb, &lb);
        if (i == GEN_FEED_REAL_ESTATE)
            assert_true(la > lb); /* b: the header only */
        else if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s changed when real_estate was made", name);
        free(x);
        free(y);
    }
    snprintf(pa, sizeof(pa), "%s/truth.csv", a);
    snprintf(pb, sizeof(pb), "%s/truth.csv", b);
    char *ta = without_lines(pa, "real_estate,"), *tb = without_lines(pb, "real_estate,");
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);

    struct def d;
    struct table t;
    load_def("real_estate", &d);
    load_feed(a, &d, &t);
    char *truth = read_all(pa, &(size_t){0}), *line = truth;
    size_t rows = 0, exact_id = 0, houses_urban = 0, houses_rural = 0, two = 0;
    int64_t last_hh = -1, last_n = 0;
    for (char *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        char *f[MAX_FIELDS];
        split_csv(line, f);
        if (strcmp(f[0], "real_estate") != 0 || strcmp(f[4], "bad") == 0 ||
            strcmp(f[4], "absent") == 0)
            continue;
        char **row = data_row(&d, &t, (size_t)strtoul(f[1], NULL, 10));
        struct owner o;
        owner_of(st, f[3], &o);
        rows++;
        assert_string_equal(o.status, "alive");
        assert_true(strcmp(o.relation, "head") == 0 || strcmp(o.relation, "spouse") == 0);
        assert_true(strcmp(o.birth, "2008-12-31") <= 0); /* 18 by the as-of date */
        /* 渝（YYYY）万盛区不动产权第NNNNNNN号, YYYY the registration's */
        char want[128];
        snprintf(want, sizeof(want), "渝（%.4s）万盛区不动产权第", row[7]);
        assert_int_equal(strncmp(row[0], want, strlen(want)), 0);
        assert_int_equal(strlen(row[0]), strlen(want) + 7 + 3);
        assert_true(strcmp(row[7], "2016-01-01") >= 0 && strcmp(row[7], AS_OF) <= 0);
        assert_null(strstr(f[6], "id:empty"));
        assert_null(strstr(f[6], "id:digit_valid"));
        exact_id += strstr(f[6], "id:") == NULL;
        if (strcmp(row[4], "住宅") != 0 || strcmp(row[8], "现势") != 0)
            continue;
        /* rows of one owner follow each other: count households once */
        if (o.household != last_hh) {
            last_hh = o.household;
            last_n = 0;
            if (strcmp(o.hukou, "urban") == 0)
                houses_urban++;
            else
                houses_rural++;
        }
        two += ++last_n == 2;
    }
    between(exact_id, rows, 0.97, 1.0, "real_estate id exact");
    between(houses_urban, (size_t)households_of(st, "urban"), 0.6, 0.95, "urban homes");
    between(houses_rural, (size_t)households_of(st, "rural"), 0.08, 0.4, "rural homes");
    between(two, houses_urban + houses_rural, 0.04, 0.3, "two homes or more");
    free(truth);
    free_table(&t);
    json_decref(d.json);
}

static void test_name_noise_tables_are_homophones_and_fuzzy_twins(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    char a[64], b[64], fa[64], fb[64], c[4] = "";
    size_t groups = 0, pairs = 0;
    for (size_t g = 0; gen__homophones[g]; g++, groups++) {
        const char *s = gen__homophones[g];
        assert_true(strlen(s) >= 6 && strlen(s) % 3 == 0); /* two or more characters */
        memcpy(c, s, 3);
        assert_int_equal(ms_pinyin_text(c, MS_PINYIN_FULL, a, sizeof(a), &err), 0);
        for (size_t k = 3; s[k]; k += 3) {
            memcpy(c, s + k, 3);
            assert_int_equal(ms_pinyin_text(c, MS_PINYIN_FULL, b, sizeof(b), &err), 0);
            if (strcmp(a, b) != 0)
                fail_msg("%s: %s reads %s, not %s", s, c, b, a);
        }
    }
    for (size_t k = 0; gen__fuzzy_pairs[k][0]; k++, pairs++) {
        assert_int_equal(ms_pinyin_text(gen__fuzzy_pairs[k][0], MS_PINYIN_FULL, a, sizeof(a), &err),
                         0);
        assert_int_equal(ms_pinyin_text(gen__fuzzy_pairs[k][1], MS_PINYIN_FULL, b, sizeof(b), &err),
                         0);
        ms_sim_fuzzy_pinyin(a, fa, sizeof(fa));
        ms_sim_fuzzy_pinyin(b, fb, sizeof(fb));
        if (strcmp(a, b) == 0 || strcmp(fa, fb) != 0)
            fail_msg("%s/%s (%s/%s) are not fuzzy twins", gen__fuzzy_pairs[k][0],
                     gen__fuzzy_pairs[k][1], a, b);
    }
    assert_true(groups >= 50 && pairs >= 30);
}

static void test_refuses_feed_months_out_of_range(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    struct gen_feeds *fx = NULL;
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/c", tmp_dir);
    assert_int_equal(gen_feeds_open(dir, 1, 0, &fx, &err), MS_EFIELD);
    assert_string_equal(err.field, "feed_months");
    assert_int_equal(gen_feeds_finish(fx, 0, NULL), 0);
}

int main(void)
{
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/ms-gen-feeds-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", tmp_dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_feeds_match_definitions_truth_and_registry,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_files_even_when_chunks_are_retried,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_real_estate_rows_leave_other_feeds_as_they_were,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test(test_name_noise_tables_are_homophones_and_fuzzy_twins),
        cmocka_unit_test(test_refuses_feed_months_out_of_range),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    ms_pinyin_release_all();
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        failed++;
    return failed;
}
