/*
 * exchange_link.c - the link phase of a batch: each pending row of
 * exchange_records gets a resident, a review item, or "none"
 * (docs/linkage.md, "Linking feed rows to residents").
 *
 *  1. Exact pass. A valid ID number whose resident agrees on name and birth
 *     date is an exact link, by one indexed look-up.
 *  2. The model, learnt after pass 1 from the first EM_SAMPLE rows of the
 *     batch: u from random pairs (rows against residents in a fixed
 *     scrambled order), m and lambda by EM in which each row's person is one
 *     of its candidates or absent. Pairs clerks accepted on the feed's
 *     earlier batches count as known matches (the review queue's feedback).
 *     The model is stored with the batch, so every weight can be explained
 *     later and an interrupted batch resumes with the same model.
 *  3. Probabilistic pass. The candidates of the blocking rules
 *     (exchange_sql_candidates) are weighed and each one's posterior of
 *     being the row's person computed; the best is linked from the policy's
 *     match probability, sent to review from its review probability, and
 *     otherwise the row stays unlinked.
 *
 * Rows are processed in id order, CHUNK at a time in one transaction with
 * the batch's counters, so a crash loses at most the open chunk and a rerun
 * picks up the rows still pending. A corrected quarantined row is linked on
 * its own with its batch's model (exchange__link_one()).
 */
#include <jansson.h>
#include <math.h>
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
#define EM_SAMPLE       4000 /* rows of a batch the model learns from */
#define EM_MAX_ITER     100
#define EM_TOL          1e-5 /* largest change of an m value that ends EM */
#define MAX_CANDIDATES  500
#define MAX_REVIEW      3
#define U_RESIDENTS     2000 /* random residents for u */
#define U_PAIRS_PER_ROW 5
/* No level is impossible: u at least this (a level never seen among random
 * pairs is rare, not impossible), m at least M_FLOOR (EM cannot learn from
 * a handful of rows how often a person's own record disagrees; keying error
 * rates are at least of this order), and M_PRIOR pseudo-counts per level. */
#define U_FLOOR         1e-5
#define M_FLOOR         1e-3
#define M_PRIOR         0.1
#define LAMBDA_START    0.9  /* share of rows whose person is in the registry */

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
    double p_match, p_review; /* policy: posterior thresholds */
    double n_residents;       /* N of posteriors() */
    struct ms_arena arena;
    struct cand *cands;
    double *post; /* posteriors of cands */
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
    for (size_t i = 0; i < f->n_columns; i++) {
        for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
            if (f->columns[i].role == map[k].role)
                fields |= 1u << map[k].field;
    }
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

/* A blocking key, or NULL when the row has none: "= NULL" matches no
 * resident at the cost of one index probe, where '' would walk every
 * resident without one (65,691 without a phone at 270,000: 76 ms a row on
 * PostgreSQL). */
static void bind_key(struct store_stmt *s, int idx, const char *v)
{
    if (v && *v)
        store_bind_text(s, idx, v);
    else
        store_bind_null(s, idx);
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
    bind_key(s, 1, r->id_bidx);
    bind_key(s, 2, birth);
    bind_key(s, 3, swapped);
    bind_key(s, 4, from_id);
    bind_key(s, 5, have_py && lo[0] ? py.initials : "");
    bind_key(s, 6, lo);
    bind_key(s, 7, hi);
    /* Namesakes of any age only when neither the ID number nor the birth
     * date can narrow them: a birth date with a slip in its year misses
     * the other rules, and a common name brings hundreds. */
    bind_key(s, 8, have_py && (!x->has_birth || !x->id_number[0]) ? py.joined : "");
    store_bind_int64(s, 10, MAX_CANDIDATES);
}

/* Reads a resident of exchange_sql_candidates' columns into *c (ID and
 * phone opened). */
static int read_cand(struct linker *L, struct store_stmt *s, struct cand *c)
{
    char id[64], phone[64];
    c->id = store_col_int64(s, 0);
    link_rec_init(&c->rec);
    if (open_sealed(L, REGISTRY_SEAL_ID_NUMBER, store_col_text(s, 6), id, sizeof(id)) < 0 ||
        open_sealed(L, REGISTRY_SEAL_PHONE, store_col_text(s, 7), phone, sizeof(phone)) < 0)
        return L->err->code;
    set_quiet(&c->rec, LINK_ROLE_FULL_NAME, store_col_text(s, 2));
    set_quiet(&c->rec, LINK_ROLE_SEX, store_col_text(s, 3));
    set_quiet(&c->rec, LINK_ROLE_BIRTH_DATE, store_col_text(s, 4));
    set_quiet(&c->rec, LINK_ROLE_REGION, store_col_text(s, 5));
    set_quiet(&c->rec, LINK_ROLE_ID_NUMBER, id);
    set_quiet(&c->rec, LINK_ROLE_PHONE, phone);
    return 0;
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
    bind_key(s, 9, phone_bidx);
    while ((rc = store_step(s, L->err)) == STORE_ROW && L->n_cands < MAX_CANDIDATES) {
        struct cand *c = &L->cands[L->n_cands];
        if ((rc = read_cand(L, s, c)) < 0)
            break;
        link_compare(&L->model, &r->rec, &c->rec, c->levels);
        L->n_cands++;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    for (size_t j = 0; j < L->n_cands; j++)
        L->cands[j].weight = link_weight(&L->model, L->cands[j].levels, NULL);
    return 0;
}

/*
 * The posterior of each candidate being the row's person (docs/linkage.md,
 * "Linking feed rows"): a row's person is in the registry with prior
 * probability lambda, and is then any one of its N residents alike, so
 * candidate j has posterior odds lambda / N * 2^w_j against the row's
 * person being absent, 1 - lambda (residents outside the candidates are
 * taken to have likelihood ratio 0). post[j] gets the probability; the sum
 * over candidates is returned.
 */
static double posteriors(const struct linker *L, const struct cand *c, size_t n, double *post)
{
    double prior = log2(L->model.lambda / L->n_residents), none = log2(1 - L->model.lambda);
    double top = none, z = 0, sum = 0;
    for (size_t j = 0; j < n; j++)
        if (c[j].weight + prior > top)
            top = c[j].weight + prior;
    z = exp2(none - top);
    for (size_t j = 0; j < n; j++)
        z += post[j] = exp2(c[j].weight + prior - top);
    for (size_t j = 0; j < n; j++)
        sum += post[j] /= z;
    return sum;
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

/* Clerical decisions on the feed's earlier pairs: accepted pairs are known
 * matches, counted into m at every M step (rejected ones tell nothing about
 * u, which comes from random pairs). */
static int accepted_counts(struct linker *L, double (*acc)[LINK_MAX_LEVELS], double *n_acc)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(L->st, exchange_sql_labelled, &s, L->err)) < 0)
        return rc;
    store_bind_text(s, 1, L->feed->name);
    while ((rc = store_step(s, L->err)) == STORE_ROW) {
        int8_t lv[LINK_F_COUNT];
        if (strcmp(store_col_text(s, 1), "accepted") || parse_levels(store_col_text(s, 0), lv) < 0)
            continue;
        for (int f = 0; f < LINK_F_COUNT; f++)
            if (lv[f] >= 0 && lv[f] < LINK_MAX_LEVELS) {
                acc[f][lv[f]] += 1;
                n_acc[f] += 1;
            }
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
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

/*
 * u: the level frequencies among random pairs (sampled rows of the batch
 * against random residents), i.e. between two people taken at random from
 * the population. Unlike the candidate pairs, random pairs are not biased
 * by the blocking, which brings together people born on the same day.
 */
static int estimate_u(struct linker *L, const struct row *rows, size_t n_rows)
{
    struct store_stmt *s;
    struct cand *pool = calloc(U_RESIDENTS, sizeof(*pool));
    double count[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}};
    size_t n = 0;
    int rc;
    if (!pool)
        return ms_err_set(L->err, MS_EINTERNAL, "out of memory");
    if ((rc = store_prepare(L->st, exchange_sql_random_residents, &s, L->err)) < 0)
        goto out;
    store_bind_int64(s, 1, U_RESIDENTS);
    while ((rc = store_step(s, L->err)) == STORE_ROW && n < U_RESIDENTS)
        if ((rc = read_cand(L, s, &pool[n])) == 0)
            n++;
        else
            break;
    store_reset(s);
    if (rc < 0 || n == 0 || n_rows == 0)
        goto out;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < U_PAIRS_PER_ROW; k++) {
            int8_t lv[LINK_F_COUNT];
            link_compare(&L->model, &rows[i].rec, &pool[(i * U_PAIRS_PER_ROW + k) % n].rec, lv);
            for (int f = 0; f < LINK_F_COUNT; f++)
                if (lv[f] >= 0)
                    count[f][lv[f]] += 1;
        }
    link_counts_to_probs(count, U_FLOOR, L->model.u);
out:
    free(pool);
    return rc < 0 ? rc : 0;
}

/* The comparison vectors of the sample rows' candidates, row by row. */
struct em_rows {
    int8_t (*lv)[LINK_F_COUNT];
    size_t n, cap;
    size_t *start; /* row i's vectors are lv[start[i] .. start[i + 1]) */
    size_t n_rows;
};

static int em_rows_add(struct em_rows *e, const int8_t lv[LINK_F_COUNT])
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 4096;
        void *p = realloc(e->lv, cap * sizeof(*e->lv));
        if (!p)
            return -1;
        e->lv = p;
        e->cap = cap;
    }
    memcpy(e->lv[e->n++], lv, LINK_F_COUNT);
    return 0;
}

/*
 * m and lambda by EM over the sample rows, with u fixed: each row's person
 * is one of its candidates or absent (posteriors() above), so the E step
 * shares one unit of "match" among a row's candidates instead of treating
 * every candidate pair as an independent draw, which is what makes EM on
 * blocked pairs learn that agreeing on the birth date means little.
 * Accepted review pairs (clerical decisions on this feed) enter every M step
 * as known matches: the review queue's feedback.
 */
static void em_m(struct linker *L, const struct em_rows *e, const double (*accepted)[LINK_MAX_LEVELS],
                 const double *n_accepted)
{
    struct cand *c = L->cands;
    double *post = calloc(MAX_CANDIDATES, sizeof(*post));
    if (!post)
        return;
    for (int it = 0; it < EM_MAX_ITER; it++) {
        double count[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}}, total[LINK_F_COUNT] = {0};
        double matched = 0, change = 0;
        for (size_t r = 0; r < e->n_rows; r++) {
            size_t n = e->start[r + 1] - e->start[r];
            for (size_t j = 0; j < n; j++) {
                memcpy(c[j].levels, e->lv[e->start[r] + j], LINK_F_COUNT);
                c[j].weight = link_weight(&L->model, c[j].levels, NULL);
            }
            matched += posteriors(L, c, n, post);
            for (size_t j = 0; j < n; j++)
                for (int f = 0; f < LINK_F_COUNT; f++)
                    if (c[j].levels[f] >= 0) {
                        count[f][c[j].levels[f]] += post[j];
                        total[f] += post[j];
                    }
        }
        for (int f = 0; f < LINK_F_COUNT; f++) {
            int levels = link_field_levels((enum link_field)f);
            if (!(L->model.fields & (1u << f)))
                continue;
            for (int l = 0; l < levels; l++) {
                double m = (count[f][l] + accepted[f][l] + M_PRIOR) /
                           (total[f] + n_accepted[f] + M_PRIOR * levels);
                if (m < M_FLOOR)
                    m = M_FLOOR;
                change = fmax(change, fabs(m - L->model.m[f][l]));
                L->model.m[f][l] = m;
            }
        }
        L->model.lambda = fmin(fmax(matched / (double)e->n_rows, 0.01), 0.999);
        if (change < EM_TOL)
            break;
    }
    free(post);
}

static int estimate(struct linker *L, int64_t batch_id)
{
    struct store_stmt *s;
    struct row *rows = calloc(EM_SAMPLE, sizeof(*rows));
    struct em_rows e = {0};
    double accepted[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}}, n_accepted[LINK_F_COUNT] = {0};
    size_t n = 0;
    int rc;
    if (!rows || !(e.start = calloc(EM_SAMPLE + 1, sizeof(*e.start)))) {
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
    if (rc < 0 || n == 0 || (rc = estimate_u(L, rows, n)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        char pb[MS_SEAL_INDEX_BUF];
        phone_bidx_of(L, &rows[i], pb);
        if ((rc = candidates(L, &rows[i], pb)) < 0)
            goto out;
        e.start[i] = e.n;
        for (size_t c = 0; c < L->n_cands; c++)
            if (em_rows_add(&e, L->cands[c].levels) < 0) {
                rc = ms_err_set(L->err, MS_EINTERNAL, "out of memory");
                goto out;
            }
    }
    e.start[n] = e.n;
    e.n_rows = n;
    if ((rc = accepted_counts(L, accepted, n_accepted)) < 0)
        goto out;
    em_m(L, &e, accepted, n_accepted);
out:
    free(e.lv);
    free(e.start);
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

/* Records the outcome of a row. The evidence kept is the comparison
 * vector of the (best) candidate, as a levels array: with the batch's
 * model_json it gives back every field's weight (link_evidence_json()), and
 * it is a tenth of the size of the labelled form, which matters at millions
 * of rows. Exact links are decided by the ID rule before the model exists,
 * so they keep their levels and no weight. */
static int set_link(struct linker *L, int64_t record_id, int64_t resident_id, const char *method,
                    const struct cand *c)
{
    struct store_stmt *s;
    char *ev = c ? exchange__levels_json(c->levels) : NULL;
    int rc = store_prepare(L->st, exchange_sql_record_link, &s, L->err);
    if (rc == 0) {
        if (resident_id)
            store_bind_int64(s, 1, resident_id);
        else
            store_bind_null(s, 1);
        store_bind_text(s, 2, method);
        if (c && strcmp(method, "exact") != 0)
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

/* The first pass: rows whose valid ID number names a resident who agrees,
 * by one indexed look-up, before any model is needed. Others stay pending
 * for the second pass. */
static int link_exact_only(struct linker *L, const struct row *r, enum outcome *out)
{
    struct store_stmt *s;
    int rc, linked = 0;
    *out = OUT_NONE;
    L->n_cands = 0;
    if (!r->rec.id_valid || !r->id_bidx[0])
        return 0;
    ms_arena_reset(&L->arena);
    if ((rc = store_prepare(L->st, exchange_sql_resident_by_bidx, &s, L->err)) < 0)
        return rc;
    store_bind_text(s, 1, r->id_bidx);
    if ((rc = store_step(s, L->err)) == STORE_ROW && (rc = read_cand(L, s, &L->cands[0])) == 0) {
        link_compare(&L->model, &r->rec, &L->cands[0].rec, L->cands[0].levels);
        L->cands[0].weight = link_weight(&L->model, L->cands[0].levels, NULL);
        L->n_cands = 1;
    }
    store_reset(s);
    if (rc < 0 || (rc = try_exact(L, r, &linked)) < 0)
        return rc;
    if (linked)
        *out = OUT_EXACT;
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
    posteriors(L, L->cands, L->n_cands, L->post);
    if (L->n_cands && L->post[0] >= L->p_match) {
        *out = OUT_PROB;
        return set_link(L, r->id, L->cands[0].id, "probabilistic", &L->cands[0]);
    }
    if (L->n_cands && L->post[0] >= L->p_review) {
        for (size_t i = 0; i < L->n_cands && i < MAX_REVIEW && L->post[i] >= L->p_review / 10; i++)
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

static int link_chunk(struct linker *L, int64_t batch_id, int exact_only, int64_t *after,
                      size_t *done, const char *now)
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
        rc = exact_only ? link_exact_only(L, &rows[i], &o) : link_row(L, &rows[i], now, &o);
        if (rc == 0 && (!exact_only || o == OUT_EXACT))
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
    free(L->post);
    L->cands = NULL;
    L->post = NULL;
    ms_arena_release(&L->arena);
}

static int count_residents(struct store *st, double *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc = store_prepare(st, "SELECT count(*) FROM residents", &s, err);
    if (rc < 0)
        return rc;
    rc = store_step(s, err);
    *n = rc == STORE_ROW && store_col_int64(s, 0) > 0 ? (double)store_col_int64(s, 0) : 1.0;
    store_reset(s);
    return rc < 0 ? rc : 0;
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
        (rc = exchange__policy_double(st, "exchange.link_match_probability", &L->p_match, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.link_review_probability", &L->p_review, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.name_jw_min", &jw_min, err)) < 0 ||
        (rc = count_residents(st, &L->n_residents, err)) < 0)
        return rc;
    link_model_init(&L->model, feed_fields(feed), jw_min);
    L->model.lambda = LAMBDA_START;
    /* u comes from random pairs, among which a number one digit and its
     * check character away from a resident's is as rare as any slip; the
     * strict comparator exists for EM on blocked pairs (docs/linkage.md). */
    L->model.id_validated = 1;
    ms_arena_init(&L->arena, 16384);
    if (!(L->cands = calloc(MAX_CANDIDATES, sizeof(*L->cands))) ||
        !(L->post = calloc(MAX_CANDIDATES, sizeof(*L->post)))) {
        free(L->cands);
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
    int64_t pending, left = 0, after = 0, linked = 0;
    int rc, found;
    ms_clock_format(ms_clock_now_ms(), now);
    if ((rc = count_pending(st, batch_id, &pending, err)) < 0)
        return rc;
    if (!pending)
        return 0;
    if ((rc = linker_open(&L, st, feed, err)) < 0)
        return rc;
    /* Pass 1: exact links, so that pass 2 and the model see them. */
    for (;;) {
        size_t done = 0;
        if ((rc = link_chunk(&L, batch_id, 1, &after, &done, now)) < 0 || done == 0)
            break;
        linked += (int64_t)done;
        if (progress)
            progress(progress_ctx, "link", linked, pending);
    }
    if (rc < 0 || (rc = count_pending(st, batch_id, &left, err)) < 0 || left == 0)
        goto out;
    if ((rc = batch_model(&L, batch_id, &found)) < 0)
        goto out;
    if (!found && ((rc = estimate(&L, batch_id)) < 0 || (rc = save_model(&L, batch_id)) < 0))
        goto out;
    /* Pass 2: everything else, with the model. */
    after = 0;
    linked = 0;
    for (;;) {
        size_t done = 0;
        if ((rc = link_chunk(&L, batch_id, 0, &after, &done, now)) < 0 || done == 0)
            break;
        linked += (int64_t)done;
        if (progress)
            progress(progress_ctx, "link", linked, left);
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
