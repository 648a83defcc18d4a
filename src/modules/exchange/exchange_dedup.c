/*
 * exchange_dedup.c - registry de-duplication (exchange_dedup.h): residents
 * who may be one person registered twice go to the review queue.
 *
 * ID numbers are unique in the registry, so a duplicate is a person
 * registered under a mistyped, old or someone else's number, often with a
 * homophone name; the exact-ID path of feed linkage has nothing to find
 * and everything rests on the Fellegi-Sunter weights.
 *
 *  1. Read. Residents are read a page at a time in id order, their ID and
 *     phone numbers opened, prepared as a struct link_rec and kept in a
 *     compact form (about 100 bytes with its strings, against 1 KiB for a
 *     link_rec), which the engine expands one record at a time.
 *  2. Block and compare with the engine of linkage_engine.h, on the rules
 *     below. The model is NOT estimated by EM: on the generated registry of
 *     270,000 residents (no duplicates at all) EM converged to lambda 0.11,
 *     a "match" class of namesakes and people born the same day, and put
 *     637,007 pairs in the queue (docs/linkage.md). Instead m is a fixed
 *     table of what a second registration of one person looks like
 *     (dedup_m below), and u is measured on the candidate pairs
 *     themselves: a registry holds few duplicates, so the candidates are
 *     nearly all different people, and their level frequencies are u given
 *     the blocking, which random pairs are not. A small registry (fewer
 *     than U_MIN_PAIRS candidates: a test, a new district) has too few
 *     pairs for that, and the planted duplicates would be a large part of
 *     them: u then comes from random pairs, as minsheng link's EM start.
 *  3. Queue. Every pair at or above exchange.dedup_review_weight becomes a
 *     'duplicate' review item, CHUNK to a transaction; the last one also
 *     carries the audit entry. Pairs whose names disagree outright (level
 *     0) are never queued, whatever their weight: within a registry twins
 *     agree on birth date, address, phone and often on ID numbers one digit
 *     apart, and only the name tells them apart. Items already present, of
 *     any status, are left alone (ON CONFLICT DO NOTHING), so a rejected
 *     pair never comes back. Nothing is merged, even above the upper
 *     threshold.
 */
#include "modules/exchange/exchange_dedup.h"

#include <assert.h>
#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/seal.h"
#include "core/xalloc.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/exchange_sql.h"
#include "modules/exchange/linkage_engine.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define PAGE         2000  /* residents per read */
#define CHUNK        1000  /* review items per transaction */
#define MAX_BLOCK    2000  /* as minsheng link's default max_block */
#define U_SAMPLE     300000
#define U_MIN_PAIRS  500   /* as exchange_link.c's EM_MIN_PAIRS */

/* The fields every resident has (phone aside), as for feed linkage. */
#define DEDUP_FIELDS                                                                             \
    (1u << LINK_F_NAME | 1u << LINK_F_ID | 1u << LINK_F_BIRTH | 1u << LINK_F_SEX |              \
     1u << LINK_F_REGION | 1u << LINK_F_PHONE)

/* minsheng link's default rules without id_number, which can find nothing
 * among unique numbers. Each catches pairs the others miss: a homophone or
 * a mistyped birth date (initials + year), any birth date (fuzzy name +
 * sex), a name and birth date both off (the phone), other initials (birth
 * date + sex). */
static const struct link_block_rule dedup_rules[] = {
    {2, {LINK_KEY_NAME_INITIALS, LINK_KEY_BIRTH_YEAR}},
    {2, {LINK_KEY_FUZZY_NAME, LINK_KEY_SEX}},
    {1, {LINK_KEY_PHONE_LAST8}},
    {2, {LINK_KEY_BIRTH_DATE, LINK_KEY_SEX}},
};

/* m: the chance of each level when the two residents are one person
 * registered twice. Not estimated (see the top of the file); chosen from
 * how second registrations arise: the same name or a homophone, a number
 * mistyped by one digit, transposed or another one altogether (level 3
 * cannot occur: numbers are unique), the birth date of that number, any
 * address, often no phone on one side. Rows sum to 1 over the levels. */
static const double dedup_m[LINK_F_COUNT][LINK_MAX_LEVELS] = {
    [LINK_F_NAME] = {0.001, 0.05, 0.05, 0.10, 0.799},
    [LINK_F_ID] = {0.30, 0.20, 0.499, 0.001},
    [LINK_F_BIRTH] = {0.05, 0.10, 0.05, 0.80},
    [LINK_F_SEX] = {0.02, 0.98},
    [LINK_F_REGION] = {0.30, 0.20, 0.20, 0.30},
    [LINK_F_PHONE] = {0.30, 0.05, 0.65},
};

/* A resident as the engine needs it, without the fixed buffers of a
 * link_rec. */
struct dedup_rec {
    int64_t id;
    const char *text;   /* in the pool: name, NUL, its pinyin key, NUL, phone, NUL */
    int32_t birth;
    char id_number[18]; /* as recorded, "" (first byte 0) if missing */
    char region[12];    /* 12 digits, "" if missing */
    char sex;           /* 'M', 'F' or 0 */
    unsigned char has_birth;
    unsigned char is_id_valid;
};

struct dedup {
    struct store *st;
    const struct ms_actor *actor;
    const struct exchange_dedup_opts *o;
    struct exchange_dedup_stats *out;
    struct ms_err *err;
    const struct ms_seal *seal;
    double upper, lower, jw_min;
    struct dedup_rec *recs;
    size_t n, cap;
    struct ms_arena pool; /* the records' strings */
    struct link_engine engine;
    struct link_model model; /* dedup_m, and u from the candidates or random pairs */
    uint32_t *queue; /* pairs to queue, by index */
    size_t n_queue, cap_queue;
};

static void progress(struct dedup *D, const char *phase, int64_t done, int64_t total)
{
    if (D->o && D->o->progress)
        D->o->progress(D->o->progress_ctx, phase, done, total);
}

/* --- reading ------------------------------------------------------------- */

static void set_quiet(struct link_rec *r, enum link_role role, const char *v)
{
    if (v && *v)
        link_rec_set(r, role, v, NULL, NULL); /* a bad value stays missing */
}

static int open_sealed(struct dedup *D, const char *field, const char *sealed,
                       struct ms_arena *a, const char **out)
{
    *out = "";
    if (!sealed || !*sealed)
        return 0;
    return ms_seal_decrypt(D->seal, field, sealed, a, out, D->err);
}

static void keep(struct dedup *D, int64_t id, const struct link_rec *r)
{
    if (D->n == D->cap) {
        D->cap = D->cap ? D->cap * 2 : 4096;
        D->recs = ms_xrealloc(D->recs, D->cap * sizeof(*D->recs));
    }
    struct dedup_rec *d = &D->recs[D->n++];
    size_t nn = strlen(r->name), nk = strlen(r->name_full), np = strlen(r->phone);
    char *t = ms_arena_alloc(&D->pool, nn + nk + np + 3);
    memcpy(t, r->name, nn + 1);
    memcpy(t + nn + 1, r->name_full, nk + 1);
    memcpy(t + nn + nk + 2, r->phone, np + 1);
    memset(d, 0, sizeof(*d));
    d->id = id;
    d->text = t;
    d->birth = r->birth;
    d->has_birth = (unsigned char)(r->has_birth != 0);
    d->sex = r->sex;
    d->is_id_valid = (unsigned char)(r->id_valid != 0);
    if (strlen(r->id_number) == 18)
        memcpy(d->id_number, r->id_number, 18);
    if (strlen(r->region) == 12)
        memcpy(d->region, r->region, 12);
}

/* One page of residents after *after; *n_read how many. */
static int read_page(struct dedup *D, int64_t *after, size_t *n_read)
{
    struct store_stmt *s;
    struct ms_arena a;
    int rc;
    *n_read = 0;
    if ((rc = store_prepare(D->st, exchange_sql_dedup_residents, &s, D->err)) < 0)
        return rc;
    ms_arena_init(&a, 16384);
    store_bind_int64(s, 1, *after);
    store_bind_int64(s, 2, PAGE);
    while ((rc = store_step(s, D->err)) == STORE_ROW) {
        struct link_rec r;
        const char *id, *phone;
        if ((rc = open_sealed(D, REGISTRY_SEAL_ID_NUMBER, store_col_text(s, 2), &a, &id)) < 0 ||
            (rc = open_sealed(D, REGISTRY_SEAL_PHONE, store_col_text(s, 6), &a, &phone)) < 0)
            break;
        link_rec_init(&r);
        set_quiet(&r, LINK_ROLE_FULL_NAME, store_col_text(s, 1));
        set_quiet(&r, LINK_ROLE_ID_NUMBER, id);
        set_quiet(&r, LINK_ROLE_BIRTH_DATE, store_col_text(s, 3));
        set_quiet(&r, LINK_ROLE_SEX, store_col_text(s, 4));
        set_quiet(&r, LINK_ROLE_REGION, store_col_text(s, 5));
        set_quiet(&r, LINK_ROLE_PHONE, phone);
        *after = store_col_int64(s, 0);
        keep(D, *after, &r);
        (*n_read)++;
    }
    store_reset(s);
    ms_arena_release(&a);
    return rc < 0 ? rc : 0;
}

static int read_all(struct dedup *D)
{
    int64_t after = 0;
    size_t n;
    int rc;
    do {
        if ((rc = read_page(D, &after, &n)) < 0)
            return rc;
        progress(D, "read", (int64_t)D->n, 0);
    } while (n == PAGE);
    D->out->residents = (int64_t)D->n;
    return 0;
}

/* The engine's view of record i: the compact record expanded into r. Only
 * the fields compared or used for keys are set. */
static const struct link_rec *dedup_get(void *ctx, size_t i, struct link_rec *r)
{
    const struct dedup_rec *d = &((const struct dedup *)ctx)->recs[i];
    const char *name = d->text, *key = name + strlen(name) + 1, *phone = key + strlen(key) + 1;
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->name_full, sizeof(r->name_full), "%s", key);
    snprintf(r->phone, sizeof(r->phone), "%s", phone);
    r->family[0] = r->family_full[0] = r->given[0] = r->given_full[0] = '\0';
    r->town[0] = r->postcode[0] = r->address[0] = '\0';
    memcpy(r->id_number, d->id_number, 18);
    r->id_number[d->id_number[0] ? 18 : 0] = '\0';
    r->id_valid = d->is_id_valid;
    r->birth = d->birth;
    r->has_birth = d->has_birth;
    r->sex = d->sex;
    memcpy(r->region, d->region, 12);
    r->region[d->region[0] ? 12 : 0] = '\0';
    return r;
}

/* --- estimating and choosing ------------------------------------------------ */

/* u as the level frequencies among the candidate pairs (see the top of
 * the file), smoothed as the engine smooths random-pair u. */
static void u_from_candidates(struct dedup *D)
{
    double counts[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}};
    int8_t levels[LINK_F_COUNT];
    for (size_t i = 0; i < D->engine.n_pairs; i++) {
        link_engine_levels(&D->engine, i, levels);
        for (int f = 0; f < LINK_F_COUNT; f++)
            if (levels[f] >= 0)
                counts[f][levels[f]] += 1;
    }
    link_counts_to_probs(counts, 0, D->model.u);
}

static int estimate(struct dedup *D)
{
    struct link_source src[2] = {{D->n, dedup_get, D}, {0, dedup_get, D}};
    struct link_engine_opts eo = {.rules = dedup_rules,
                                  .n_rules = (int)(sizeof(dedup_rules) / sizeof(dedup_rules[0])),
                                  .max_block = MAX_BLOCK,
                                  .u_sample = U_SAMPLE,
                                  .em_min_pairs = SIZE_MAX}; /* no EM: see the top */
    struct link_model start;
    link_model_init(&start, DEDUP_FIELDS, D->jw_min);
    start.id_validated = 1; /* every registry number passed its check when stored */
    int rc = link_engine_run(&D->engine, src, 1, &eo, &start, D->err);
    if (rc < 0)
        return rc;
    D->model = D->engine.model; /* u from random pairs */
    for (int f = 0; f < LINK_F_COUNT; f++)
        if (DEDUP_FIELDS >> f & 1u)
            memcpy(D->model.m[f], dedup_m[f], sizeof(dedup_m[f]));
    D->out->is_u_from_candidates = D->engine.n_pairs >= U_MIN_PAIRS;
    if (D->out->is_u_from_candidates)
        u_from_candidates(D);
    D->out->pairs = (int64_t)D->engine.n_pairs;
    D->out->blocks_skipped = (int64_t)D->engine.blocks_skipped;
    return 0;
}

static void choose(struct dedup *D)
{
    int8_t levels[LINK_F_COUNT];
    for (size_t i = 0; i < D->engine.n_pairs; i++) {
        link_engine_levels(&D->engine, i, levels);
        double w = link_weight(&D->model, levels, NULL);
        if (w < D->lower)
            continue;
        if (levels[LINK_F_NAME] == 0) { /* twins, siblings: see the top */
            D->out->name_disagrees++;
            continue;
        }
        if (D->n_queue == D->cap_queue) { /* a few per thousand pairs: grow, do not presize */
            D->cap_queue = D->cap_queue ? D->cap_queue * 2 : 1024;
            D->queue = ms_xrealloc(D->queue, D->cap_queue * sizeof(*D->queue));
        }
        D->queue[D->n_queue++] = (uint32_t)i;
        if (w >= D->upper)
            D->out->above_upper++;
    }
    D->out->at_or_above_lower = (int64_t)D->n_queue + D->out->name_disagrees;
}

/* --- queueing -------------------------------------------------------------- */

static int insert_item(struct dedup *D, uint32_t pair, const char *now, int *is_new)
{
    struct store_stmt *s;
    int8_t levels[LINK_F_COUNT];
    uint64_t p = D->engine.pairs[pair];
    const struct dedup_rec *l = &D->recs[p >> 32], *r = &D->recs[(uint32_t)p];
    link_engine_levels(&D->engine, pair, levels);
    json_t *ev_json = link_evidence_json(&D->model, levels);
    char *lv = exchange__levels_json(levels), *ev = json_dumps(ev_json, JSON_COMPACT);
    int rc = store_prepare(D->st, exchange_sql_review_insert, &s, D->err);
    assert(l->id < r->id); /* read in id order; the engine pairs left < right */
    if (rc == 0) {
        store_bind_text(s, 1, "duplicate");
        store_bind_null(s, 2);
        store_bind_int64(s, 3, l->id);
        store_bind_int64(s, 4, r->id);
        store_bind_int64(s, 5, exchange__millibits(link_weight(&D->model, levels, NULL)));
        store_bind_text(s, 6, lv ? lv : "[]");
        store_bind_text(s, 7, ev ? ev : "{}");
        store_bind_text(s, 8, now);
        rc = store_step(s, D->err);
        *is_new = store_changes(s) > 0;
        store_reset(s);
    }
    free(lv);
    free(ev);
    json_decref(ev_json);
    return rc < 0 ? rc : 0;
}

struct chunk {
    struct dedup *D;
    size_t from, to;
    int is_last;
    const char *now;
    int64_t queued, existing; /* this chunk's, set again on a retry */
};

static int audit(struct dedup *D, const struct chunk *c, struct ms_err *err)
{
    const struct exchange_dedup_stats *o = D->out;
    char detail[320];
    snprintf(detail, sizeof(detail),
             "residents %lld, pairs %lld, u from %s, at_or_above_lower %lld,"
             " name_disagrees %lld, above_upper %lld, queued %lld, already_queued %lld",
             (long long)o->residents, (long long)o->pairs,
             o->is_u_from_candidates ? "candidates" : "random pairs",
             (long long)o->at_or_above_lower, (long long)o->name_disagrees,
             (long long)o->above_upper, (long long)(o->queued + c->queued),
             (long long)(o->already_queued + c->existing));
    struct audit_entry e = {.action = "exchange.dedup",
                            .object_type = "registry",
                            .object_id = "residents",
                            .result = "ok",
                            .detail = detail};
    return audit_append(D->st, D->actor, &e, err);
}

static int chunk_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct chunk *c = ctx;
    int rc = 0;
    (void)st;
    c->queued = c->existing = 0;
    for (size_t i = c->from; i < c->to && rc == 0; i++) {
        int is_new = 0;
        if ((rc = insert_item(c->D, c->D->queue[i], c->now, &is_new)) == 0) {
            c->queued += is_new;
            c->existing += !is_new;
        }
    }
    if (rc == 0 && c->is_last)
        rc = audit(c->D, c, err);
    return rc;
}

static int queue_all(struct dedup *D)
{
    size_t chunk = D->o && D->o->chunk ? D->o->chunk : CHUNK;
    char now[MS_TS_LEN + 1];
    size_t from = 0;
    int rc;
    ms_clock_format(ms_clock_now_ms(), now);
    do { /* at least once: the audit entry is written even with nothing to queue */
        struct chunk c = {D, from, from + chunk < D->n_queue ? from + chunk : D->n_queue, 0, now,
                          0, 0};
        c.is_last = c.to == D->n_queue;
        if ((rc = store_tx(D->st, chunk_tx, &c, D->err)) < 0)
            return rc;
        D->out->queued += c.queued;
        D->out->already_queued += c.existing;
        from = c.to;
        progress(D, "queue", (int64_t)from, (int64_t)D->n_queue);
    } while (from < D->n_queue);
    return 0;
}

int exchange_dedup_registry(struct store *st, const struct ms_actor *actor,
                            const struct exchange_dedup_opts *o, struct exchange_dedup_stats *out,
                            struct ms_err *err)
{
    struct dedup D = {.st = st, .actor = actor, .o = o, .out = out, .err = err};
    int rc;
    memset(out, 0, sizeof(*out));
    if ((rc = registry_seal(st, &D.seal, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.dedup_strong_weight", &D.upper, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.dedup_review_weight", &D.lower, err)) < 0 ||
        (rc = exchange__policy_double(st, "exchange.name_jw_min", &D.jw_min, err)) < 0)
        return rc;
    ms_arena_init(&D.pool, 1 << 20);
    if ((rc = read_all(&D)) < 0 || (rc = estimate(&D)) < 0)
        goto out;
    choose(&D);
    rc = queue_all(&D);
out:
    link_engine_release(&D.engine);
    free(D.queue);
    free(D.recs);
    ms_arena_release(&D.pool);
    return rc;
}
