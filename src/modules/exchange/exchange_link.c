/*
 * exchange_link.c - the link phase of a batch: each pending row of
 * exchange_records gets a resident, a review item, or "none".
 *
 *  1. The model. EM (linkage.h) learns m and u from the comparison vectors
 *     of the first EM_SAMPLE rows of the batch against their candidates; a
 *     batch too small for that borrows the feed's last model, else the
 *     starting values. Clerical decisions on the feed's earlier pairs are
 *     then added as labelled counts (the review queue's feedback). The model
 *     is stored with the batch, so every weight can be explained later.
 *  2. Each row. A valid ID number whose resident agrees on name and birth
 *     date is an exact link. Otherwise the candidates of the blocking rules
 *     (exchange_sql_candidates) are compared and weighed: the best is linked
 *     when its weight reaches the upper threshold and leads the second by the
 *     margin; candidates from the lower threshold up go to review; below it,
 *     the row stays unlinked. The thresholds are policy parameters.
 *
 * Rows are processed in id order, CHUNK at a time in one transaction with
 * the batch's counters, so a crash loses at most the open chunk and a rerun
 * picks up the rows still pending.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/money.h"
#include "core/pinyin.h"
#include "core/seal.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/exchange_sql.h"
#include "modules/exchange/linkage.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define CHUNK           500
#define EM_SAMPLE       4000
#define EM_MIN_PAIRS    500
#define EM_MAX_ITER     200
#define EM_TOL          1e-7
#define MAX_CANDIDATES  500
#define MAX_REVIEW      3

struct cand {
    int64_t id;
    struct link_rec rec;
    double weight;
    int8_t levels[LINK_F_COUNT];
};

struct row {
    int64_t id;
    char id_bidx[MS_SEAL_INDEX_BUF];
    struct link_rec rec;
};

struct linker {
    struct store *st;
    const struct ms_seal *seal;
    const struct feed_def *feed;
    struct link_model model;
    double upper, lower, margin;
    struct ms_arena arena;
    struct cand *cands;
    size_t n_cands;
    struct ms_err *err;
};

int exchange__policy_double(struct store *st, const char *key, double *out, struct ms_err *err)
{
    struct ms_arena a;
    struct policy_value v;
    int64_t ppm;
    int rc;
    ms_arena_init(&a, 512);
    rc = policy_get(st, key, NULL, &a, &v, err);
    if (rc == 0 && ms_money_parse_ratio(v.value, &ppm, err) < 0)
        rc = err->code;
    if (rc == 0)
        *out = (double)ppm / 1e6;
    ms_arena_release(&a);
    return rc;
}

static uint32_t feed_fields(const struct feed_def *f)
{
    static const struct {
        int role;
        enum link_field field;
    } map[] = {
        {LINK_ROLE_FULL_NAME, LINK_F_NAME}, {LINK_ROLE_ID_NUMBER, LINK_F_ID},
        {LINK_ROLE_BIRTH_DATE, LINK_F_BIRTH}, {LINK_ROLE_SEX, LINK_F_SEX},
        {LINK_ROLE_REGION, LINK_F_REGION}, {LINK_ROLE_PHONE, LINK_F_PHONE},
    };
    uint32_t fields = 0;
    for (size_t i = 0; i < f->n_columns; i++)
        for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
            if (f->columns[i].role == map[k].role)
                fields |= 1u << map[k].field;
    return fields;
}

/* Opens a sealed value into buf ("" if none). */
static int open_sealed(struct linker *L, const char *field, const char *sealed, char *buf,
                       size_t size)
{
    const char *plain;
    buf[0] = 0;
    if (!sealed || !*sealed)
        return 0;
    if (ms_seal_decrypt(L->seal, field, sealed, &L->arena, &plain, L->err) < 0)
        return L->err->code;
    snprintf(buf, size, "%s", plain);
    return 0;
}

static void set_quiet(struct link_rec *r, enum link_role role, const char *v)
{
    if (v && *v)
        link_rec_set(r, role, v, NULL, NULL);
}

/* Reads a row of RECORD_IDENTITY (exchange_sql.c) into *r. */
static int read_row(struct linker *L, struct store_stmt *s, struct row *r)
{
    char id[64], phone[64];
    r->id = store_col_int64(s, 0);
    link_rec_init(&r->rec);
    snprintf(r->id_bidx, sizeof(r->id_bidx), "%s", store_col_text(s, 3));
    if (open_sealed(L, REGISTRY_SEAL_ID_NUMBER, store_col_text(s, 2), id, sizeof(id)) < 0 ||
        open_sealed(L, REGISTRY_SEAL_PHONE, store_col_text(s, 7), phone, sizeof(phone)) < 0)
        return L->err->code;
    set_quiet(&r->rec, LINK_ROLE_FULL_NAME, store_col_text(s, 1));
    set_quiet(&r->rec, LINK_ROLE_ID_NUMBER, id);
    set_quiet(&r->rec, LINK_ROLE_BIRTH_DATE, store_col_text(s, 4));
    set_quiet(&r->rec, LINK_ROLE_SEX, store_col_text(s, 5));
    set_quiet(&r->rec, LINK_ROLE_REGION, store_col_text(s, 6));
    set_quiet(&r->rec, LINK_ROLE_PHONE, phone);
    return 0;
}

/* The blocking keys of a row, bound to exchange_sql_candidates (the
 * phone's blind index, parameter 9, is bound by the caller). */
static void bind_blocks(struct store_stmt *s, const struct row *r)
{
    const struct link_rec *x = &r->rec;
    char birth[MS_DATE_BUF] = "", swapped[MS_DATE_BUF] = "", from_id[MS_DATE_BUF] = "";
    char lo[16] = "", hi[16] = "";
    struct ms_pinyin py;
    int have_py = x->name[0] && ms_pinyin_name(x->name, &py, NULL) == 0;
    int have_year = x->has_birth;
    int32_t year_of = x->birth;
    if (x->has_birth) {
        int y, m, d;
        int32_t sw;
        ms_date_format(x->birth, birth);
        ms_date_to_ymd(x->birth, &y, &m, &d);
        if (m != d && d <= 12 && ms_date_from_ymd(y, d, m, &sw) == 0)
            ms_date_format(sw, swapped);
    }
    if (strlen(x->id_number) == 18) {
        char iso[11];
        int32_t d;
        snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", x->id_number + 6, x->id_number + 10,
                 x->id_number + 12);
        if (ms_date_parse(iso, &d, NULL) == 0 && (!x->has_birth || d != x->birth)) {
            ms_date_format(d, from_id);
            if (!have_year) {
                year_of = d;
                have_year = 1;
            }
        }
    }
    if (have_year) {
        int y, m, d;
        ms_date_to_ymd(year_of, &y, &m, &d);
        snprintf(lo, sizeof(lo), "%04d-01-01", y % 10000);
        snprintf(hi, sizeof(hi), "%04d-01-01", (y + 1) % 10000);
    }
    store_bind_text(s, 1, r->id_bidx);
    store_bind_text(s, 2, birth);
    store_bind_text(s, 3, swapped);
    store_bind_text(s, 4, from_id);
    store_bind_text(s, 5, have_py && lo[0] ? py.initials : "");
    store_bind_text(s, 6, lo);
    store_bind_text(s, 7, hi);
    store_bind_text(s, 8, have_py && !x->has_birth ? py.joined : "");
    store_bind_int64(s, 10, MAX_CANDIDATES);
}

/* Fills L->cands with the row's candidates, compared and weighed. */
static int candidates(struct linker *L, const struct row *r, const char *phone_bidx)
{
    struct store_stmt *s;
    int rc;
    L->n_cands = 0;
    ms_arena_reset(&L->arena);
    if ((rc = store_prepare(L->st, exchange_sql_candidates, &s, L->err)) < 0)
        return rc;
    bind_blocks(s, r);
    store_bind_text(s, 9, phone_bidx);
    while ((rc = store_step(s, L->err)) == STORE_ROW && L->n_cands < MAX_CANDIDATES) {
        struct cand *c = &L->cands[L->n_cands];
        char id[64], phone[64];
        c->id = store_col_int64(s, 0);
        link_rec_init(&c->rec);
        if (open_sealed(L, REGISTRY_SEAL_ID_NUMBER, store_col_text(s, 6), id, sizeof(id)) < 0 ||
            open_sealed(L, REGISTRY_SEAL_PHONE, store_col_text(s, 7), phone, sizeof(phone)) < 0) {
            rc = L->err->code;
            break;
        }
        set_quiet(&c->rec, LINK_ROLE_FULL_NAME, store_col_text(s, 2));
        set_quiet(&c->rec, LINK_ROLE_SEX, store_col_text(s, 3));
        set_quiet(&c->rec, LINK_ROLE_BIRTH_DATE, store_col_text(s, 4));
        set_quiet(&c->rec, LINK_ROLE_REGION, store_col_text(s, 5));
        set_quiet(&c->rec, LINK_ROLE_ID_NUMBER, id);
        set_quiet(&c->rec, LINK_ROLE_PHONE, phone);
        link_compare(&L->model, &r->rec, &c->rec, c->levels);
        c->weight = link_weight(&L->model, c->levels, NULL);
        L->n_cands++;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* --- the model ---------------------------------------------------------------------- */

static int phone_bidx_of(struct linker *L, const struct row *r, char out[MS_SEAL_INDEX_BUF])
{
    out[0] = 0;
    if (r->rec.phone[0])
        ms_seal_blind_index(L->seal, REGISTRY_SEAL_PHONE, r->rec.phone, out);
    return 0;
}

static int parse_levels(const char *text, int8_t levels[LINK_F_COUNT])
{
    json_t *a = json_loads(text, 0, NULL);
    int ok = json_is_array(a) && json_array_size(a) == LINK_F_COUNT;
    for (size_t i = 0; ok && i < LINK_F_COUNT; i++) {
        json_t *v = json_array_get(a, i);
        levels[i] = json_is_integer(v) ? (int8_t)json_integer_value(v) : LINK_MISSING;
    }
    json_decref(a);
    return ok ? 0 : -1;
}

/* Clerical decisions as labelled counts: m from accepted pairs, u from
 * rejected ones, each blended with the estimate as if it were `weight`
 * pairs of evidence. */
static int add_feedback(struct linker *L, double weight)
{
    struct store_stmt *s;
    double acc[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}}, rej[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}};
    double n_acc[LINK_F_COUNT] = {0}, n_rej[LINK_F_COUNT] = {0};
    int rc;
    if ((rc = store_prepare(L->st, exchange_sql_labelled, &s, L->err)) < 0)
        return rc;
    store_bind_text(s, 1, L->feed->name);
    while ((rc = store_step(s, L->err)) == STORE_ROW) {
        int8_t lv[LINK_F_COUNT];
        int accepted = !strcmp(store_col_text(s, 1), "accepted");
        if (parse_levels(store_col_text(s, 0), lv) < 0)
            continue;
        for (int f = 0; f < LINK_F_COUNT; f++) {
            if (lv[f] < 0 || lv[f] >= LINK_MAX_LEVELS)
                continue;
            if (accepted) {
                acc[f][lv[f]] += 1;
                n_acc[f] += 1;
            } else {
                rej[f][lv[f]] += 1;
                n_rej[f] += 1;
            }
        }
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    for (int f = 0; f < LINK_F_COUNT; f++)
        for (int l = 0; l < LINK_MAX_LEVELS; l++) {
            if (n_acc[f] > 0)
                L->model.m[f][l] = (L->model.m[f][l] * weight + acc[f][l]) / (weight + n_acc[f]);
            if (n_rej[f] > 0)
                L->model.u[f][l] = (L->model.u[f][l] * weight + rej[f][l]) / (weight + n_rej[f]);
        }
    return 0;
}

static int last_model(struct linker *L, int *found)
{
    struct store_stmt *s;
    int rc;
    *found = 0;
    if ((rc = store_prepare(L->st, exchange_sql_feed_last_model, &s, L->err)) < 0)
        return rc;
    store_bind_text(s, 1, L->feed->name);
    if ((rc = store_step(s, L->err)) == STORE_ROW) {
        json_t *j = json_loads(store_col_text(s, 0), 0, NULL);
        struct link_model m;
        if (j && link_model_from_json(j, &m, NULL) == 0 && m.fields == L->model.fields) {
            L->model = m;
            *found = 1;
        }
        json_decref(j);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int estimate(struct linker *L, int64_t batch_id)
{
    struct store_stmt *s;
    struct link_em *em = link_em_new(&L->model);
    struct row *rows = calloc(EM_SAMPLE, sizeof(*rows));
    size_t n = 0;
    int rc, found;
    if (!em || !rows) {
        link_em_free(em);
        free(rows);
        return ms_err_set(L->err, MS_EINTERNAL, "out of memory");
    }
    if ((rc = store_prepare(L->st, exchange_sql_pending_sample, &s, L->err)) < 0)
        goto out;
    store_bind_int64(s, 1, batch_id);
    store_bind_int64(s, 2, EM_SAMPLE);
    while ((rc = store_step(s, L->err)) == STORE_ROW && n < EM_SAMPLE)
        if ((rc = read_row(L, s, &rows[n])) == 0)
            n++;
        else
            break;
    store_reset(s);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        char pb[MS_SEAL_INDEX_BUF];
        phone_bidx_of(L, &rows[i], pb);
        if ((rc = candidates(L, &rows[i], pb)) < 0)
            goto out;
        for (size_t c = 0; c < L->n_cands; c++)
            link_em_add(em, L->cands[c].levels);
    }
    if (link_em_pairs(em) >= EM_MIN_PAIRS) {
        struct link_em_result res;
        struct link_model m;
        if ((rc = link_em_run(em, EM_MAX_ITER, EM_TOL, &m, &res, L->err)) < 0)
            goto out;
        L->model = m;
    } else if ((rc = last_model(L, &found)) < 0)
        goto out;
    rc = add_feedback(L, 1000.0);
out:
    link_em_free(em);
    free(rows);
    return rc;
}

/* The model a batch was being linked with before an interruption. */
static int batch_model(struct linker *L, int64_t batch_id, int *found)
{
    struct store_stmt *s;
    int rc;
    *found = 0;
    if ((rc = store_prepare(L->st, "SELECT model_json FROM exchange_batches WHERE id = ?", &s,
                            L->err)) < 0)
        return rc;
    store_bind_int64(s, 1, batch_id);
    if ((rc = store_step(s, L->err)) == STORE_ROW && store_col_text(s, 0)[0]) {
        json_t *j = json_loads(store_col_text(s, 0), 0, NULL);
        struct link_model m;
        if (j && link_model_from_json(j, &m, NULL) == 0) {
            L->model = m;
            *found = 1;
        }
        json_decref(j);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int save_model(struct linker *L, int64_t batch_id)
{
    struct store_stmt *s;
    json_t *j = link_model_to_json(&L->model);
    char *text = json_dumps(j, JSON_COMPACT);
    int rc = store_prepare(L->st, exchange_sql_batch_set_model, &s, L->err);
    if (rc == 0) {
        store_bind_text(s, 1, text ? text : "");
        store_bind_int64(s, 2, batch_id);
        rc = store_step(s, L->err);
        store_reset(s);
    }
    free(text);
    json_decref(j);
    return rc < 0 ? rc : 0;
}

/* --- deciding ------------------------------------------------------------------------- */

char *exchange__levels_json(const int8_t levels[LINK_F_COUNT])
{
    json_t *a = json_array();
    char *s;
    for (int f = 0; f < LINK_F_COUNT; f++)
        json_array_append_new(a, levels[f] < 0 ? json_null() : json_integer(levels[f]));
    s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

static char *evidence_json(struct linker *L, const int8_t levels[LINK_F_COUNT])
{
    json_t *j = link_evidence_json(&L->model, levels);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

int64_t exchange__millibits(double w)
{
    return (int64_t)(w * 1000.0 + (w < 0 ? -0.5 : 0.5));
}

static int set_link(struct linker *L, int64_t record_id, int64_t resident_id, const char *method,
                    const struct cand *c)
{
    struct store_stmt *s;
    char *ev = c ? evidence_json(L, c->levels) : NULL;
    int rc = store_prepare(L->st, exchange_sql_record_link, &s, L->err);
    if (rc == 0) {
        if (resident_id)
            store_bind_int64(s, 1, resident_id);
        else
            store_bind_null(s, 1);
        store_bind_text(s, 2, method);
        if (c)
            store_bind_int64(s, 3, exchange__millibits(c->weight));
        else
            store_bind_null(s, 3);
        store_bind_text(s, 4, ev ? ev : "");
        store_bind_int64(s, 5, record_id);
        rc = store_step(s, L->err);
        store_reset(s);
    }
    free(ev);
    return rc < 0 ? rc : 0;
}

static int add_review(struct linker *L, int64_t record_id, const struct cand *c, const char *now)
{
    struct store_stmt *s;
    char *lv = exchange__levels_json(c->levels), *ev = evidence_json(L, c->levels);
    int rc = store_prepare(L->st, exchange_sql_review_insert, &s, L->err);
    if (rc == 0) {
        store_bind_text(s, 1, "feed");
        store_bind_int64(s, 2, record_id);
        store_bind_null(s, 3);
        store_bind_int64(s, 4, c->id);
        store_bind_int64(s, 5, exchange__millibits(c->weight));
        store_bind_text(s, 6, lv ? lv : "[]");
        store_bind_text(s, 7, ev ? ev : "{}");
        store_bind_text(s, 8, now);
        rc = store_step(s, L->err);
        store_reset(s);
    }
    free(lv);
    free(ev);
    return rc < 0 ? rc : 0;
}

static int by_weight_desc(const void *a, const void *b)
{
    double x = ((const struct cand *)a)->weight, y = ((const struct cand *)b)->weight;
    if (x != y)
        return x < y ? 1 : -1;
    return ((const struct cand *)a)->id < ((const struct cand *)b)->id ? -1 : 1;
}

enum outcome { OUT_EXACT, OUT_PROB, OUT_REVIEW, OUT_NONE };

/* An exact link: the row's valid ID number names a resident who agrees on
 * name (same characters, homophone or fuzzy pinyin) and birth date. */
static int try_exact(struct linker *L, const struct row *r, int *linked)
{
    *linked = 0;
    if (!r->rec.id_valid || !r->id_bidx[0])
        return 0;
    for (size_t i = 0; i < L->n_cands; i++) {
        const struct cand *c = &L->cands[i];
        if (c->levels[LINK_F_ID] != 3)
            continue;
        if (c->levels[LINK_F_NAME] >= 2 &&
            (c->levels[LINK_F_BIRTH] == 3 || c->levels[LINK_F_BIRTH] == LINK_MISSING)) {
            *linked = 1;
            return set_link(L, r->id, c->id, "exact", c);
        }
    }
    return 0;
}

static int link_row(struct linker *L, const struct row *r, const char *now, enum outcome *out)
{
    char pb[MS_SEAL_INDEX_BUF];
    int rc, linked;
    phone_bidx_of(L, r, pb);
    if ((rc = candidates(L, r, pb)) < 0)
        return rc;
    if ((rc = try_exact(L, r, &linked)) < 0)
        return rc;
    if (linked) {
        *out = OUT_EXACT;
        return 0;
    }
    qsort(L->cands, L->n_cands, sizeof(*L->cands), by_weight_desc);
    if (L->n_cands && L->cands[0].weight >= L->upper &&
        (L->n_cands == 1 || L->cands[1].weight < L->cands[0].weight - L->margin)) {
        *out = OUT_PROB;
        return set_link(L, r->id, L->cands[0].id, "probabilistic", &L->cands[0]);
    }
    if (L->n_cands && L->cands[0].weight >= L->lower) {
        for (size_t i = 0; i < L->n_cands && i < MAX_REVIEW && L->cands[i].weight >= L->lower; i++)
            if ((rc = add_review(L, r->id, &L->cands[i], now)) < 0)
                return rc;
        *out = OUT_REVIEW;
        return set_link(L, r->id, 0, "review", &L->cands[0]);
    }
    *out = OUT_NONE;
    return set_link(L, r->id, 0, "none", L->n_cands ? &L->cands[0] : NULL);
}

static int count_pending(struct store *st, int64_t batch_id, int64_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc = store_prepare(st,
                           "SELECT count(*) FROM exchange_records WHERE batch_id = ?"
                           " AND link_method = 'pending'",
                           &s, err);
    if (rc < 0)
        return rc;
    store_bind_int64(s, 1, batch_id);
    rc = store_step(s, err);
    *n = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int link_chunk(struct linker *L, int64_t batch_id, int64_t *after, size_t *done,
                      const char *now)
{
    struct store_stmt *s;
    struct row *rows = calloc(CHUNK, sizeof(*rows));
    int64_t counts[4] = {0};
    size_t n = 0;
    int rc;
    if (!rows)
        return ms_err_set(L->err, MS_EINTERNAL, "out of memory");
    if ((rc = store_prepare(L->st, exchange_sql_pending, &s, L->err)) < 0)
        goto out;
    store_bind_int64(s, 1, batch_id);
    store_bind_int64(s, 2, *after);
    store_bind_int64(s, 3, CHUNK);
    while ((rc = store_step(s, L->err)) == STORE_ROW && n < CHUNK)
        if ((rc = read_row(L, s, &rows[n])) == 0)
            n++;
        else
            break;
    store_reset(s);
    if (rc < 0 || n == 0)
        goto out;
    if ((rc = store_begin(L->st, L->err)) < 0)
        goto out;
    for (size_t i = 0; i < n && rc == 0; i++) {
        enum outcome o;
        if ((rc = link_row(L, &rows[i], now, &o)) == 0)
            counts[o]++;
    }
    if (rc == 0) {
        if ((rc = store_prepare(L->st, exchange_sql_batch_link_counts, &s, L->err)) == 0) {
            for (int i = 0; i < 4; i++)
                store_bind_int64(s, i + 1, counts[i]);
            store_bind_int64(s, 5, batch_id);
            rc = store_step(s, L->err);
            store_reset(s);
        }
    }
    if (rc >= 0)
        rc = store_commit(L->st, L->err);
    if (rc < 0)
        store_rollback(L->st);
    else {
        *after = rows[n - 1].id;
        *done = n;
    }
out:
    free(rows);
    return rc < 0 ? rc : 0;
}

static void linker_close(struct linker *L)
{
    free(L->cands);
    L->cands = NULL;
    ms_arena_release(&L->arena);
}

/* Thresholds, name threshold and seal from the platform; the starting model. */
static int linker_open(struct linker *L, struct store *st, const struct feed_def *feed,
                       struct ms_err *err)
{
    double jw_min;
    int rc;
    memset(L, 0, sizeof(*L));
    L->st = st;
    L->feed = feed;
    L->err = err;
    if ((rc = registry_seal(st, &L->seal, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.link_upper_weight", &L->upper, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.link_lower_weight", &L->lower, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.link_margin_weight", &L->margin, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.name_jw_min", &jw_min, err)) < 0)
        return rc;
    link_model_init(&L->model, feed_fields(feed), jw_min);
    ms_arena_init(&L->arena, 16384);
    if (!(L->cands = calloc(MAX_CANDIDATES, sizeof(*L->cands)))) {
        ms_arena_release(&L->arena);
        return ms_err_set(err, MS_EINTERNAL, "out of memory");
    }
    return 0;
}

int exchange__link_batch(struct store *st, int64_t batch_id, const struct feed_def *feed,
                         exchange_progress_fn *progress, void *progress_ctx, struct ms_err *err)
{
    struct linker L;
    char now[MS_TS_LEN + 1];
    int64_t pending, after = 0, linked = 0;
    int rc, found;
    ms_clock_format(ms_clock_now_ms(), now);
    if ((rc = count_pending(st, batch_id, &pending, err)) < 0)
        return rc;
    if (!pending)
        return 0;
    if ((rc = linker_open(&L, st, feed, err)) < 0)
        return rc;
    if ((rc = batch_model(&L, batch_id, &found)) < 0)
        goto out;
    if (!found && ((rc = estimate(&L, batch_id)) < 0 || (rc = save_model(&L, batch_id)) < 0))
        goto out;
    for (;;) {
        size_t done = 0;
        if ((rc = link_chunk(&L, batch_id, &after, &done, now)) < 0 || done == 0)
            break;
        linked += (int64_t)done;
        if (progress)
            progress(progress_ctx, "link", linked, pending);
    }
out:
    linker_close(&L);
    return rc;
}

int exchange__link_one(struct store *st, int64_t record_id, int64_t batch_id,
                       const struct feed_def *feed, const char **method, struct ms_err *err)
{
    static const char *const names[] = {"exact", "probabilistic", "review", "none"};
    struct linker L;
    struct store_stmt *s;
    struct row r;
    char now[MS_TS_LEN + 1];
    int64_t counts[4] = {0};
    enum outcome o = OUT_NONE;
    int rc, found;
    ms_clock_format(ms_clock_now_ms(), now);
    if ((rc = linker_open(&L, st, feed, err)) < 0)
        return rc;
    if ((rc = batch_model(&L, batch_id, &found)) < 0 || (!found && (rc = last_model(&L, &found)) < 0))
        goto out;
    if ((rc = store_prepare(st, exchange_sql_record_identity, &s, err)) < 0)
        goto out;
    store_bind_int64(s, 1, record_id);
    if ((rc = store_step(s, err)) == STORE_ROW)
        rc = read_row(&L, s, &r);
    else if (rc == STORE_DONE)
        rc = ms_err_set(err, MS_ENOTFOUND, "no feed record %lld", (long long)record_id);
    store_reset(s);
    if (rc < 0 || (rc = link_row(&L, &r, now, &o)) < 0)
        goto out;
    counts[o] = 1;
    if ((rc = store_prepare(st, exchange_sql_batch_link_counts, &s, err)) == 0) {
        for (int i = 0; i < 4; i++)
            store_bind_int64(s, i + 1, counts[i]);
        store_bind_int64(s, 5, batch_id);
        rc = store_step(s, err);
        store_reset(s);
    }
    *method = names[o];
out:
    linker_close(&L);
    return rc < 0 ? rc : 0;
}
