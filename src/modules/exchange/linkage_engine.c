/*
 * linkage_engine.c - blocking, comparing and EM in memory (linkage_engine.h),
 * shared by `minsheng link` and registry de-duplication.
 *
 * Blocking sorts (key hash, side, record) entries per rule and takes runs
 * of equal hashes as blocks; candidate pairs from all rules go into one
 * array of packed (left, right) indices, sorted and de-duplicated, so a
 * pair found by three rules is compared once. A 64-bit hash collision can
 * only merge two blocks, which adds pairs to compare and never loses one.
 * Comparison vectors are kept packed (4 bits a field) next to the pairs, so
 * scoring after EM does not compare again. Records are fetched through the
 * source one or two at a time: the engine's own memory is 16 bytes an entry
 * while blocking and 16 bytes a candidate pair.
 */
#include "modules/exchange/linkage_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "core/banned.h"

/* --- blocking ----------------------------------------------------------- */

/* The name as space-separated words: the full name's key, else family and
 * given (family first for hanzi, as the full name is written). */
static void name_words(const struct link_rec *r, char *out, size_t size)
{
    if (r->name_full[0]) {
        snprintf(out, size, "%s", r->name_full);
    } else if (r->family_full[0] && r->given_full[0]) {
        int is_hanzi = (unsigned char)r->family[0] >= 0x80;
        if (snprintf(out, size, "%s %s", is_hanzi ? r->family_full : r->given_full,
                     is_hanzi ? r->given_full : r->family_full) >= (int)size)
            out[0] = '\0'; /* no key rather than a cut one */
    } else {
        out[0] = '\0';
    }
}

/* Appends one part of a key; returns -1 if the record lacks it. */
static int key_part(const struct link_rec *r, enum link_key_part p, struct ms_str *key)
{
    char words[MS_SIM_MAX_BYTES + 1], buf[MS_SIM_FUZZY_BUF];
    int y, mo, d;
    size_t n = 0;
    switch (p) {
    case LINK_KEY_ID_NUMBER:
        ms_str_adds(key, r->id_number);
        return r->id_number[0] ? 0 : -1;
    case LINK_KEY_NAME_INITIALS:
        name_words(r, words, sizeof(words));
        for (const char *w = words; *w; w++)
            if (w == words || w[-1] == ' ')
                buf[n++] = *w;
        buf[n] = '\0';
        ms_str_adds(key, buf);
        return n ? 0 : -1;
    case LINK_KEY_FUZZY_NAME:
        name_words(r, words, sizeof(words));
        ms_sim_fuzzy_pinyin(words, buf, sizeof(buf));
        ms_str_adds(key, buf);
        return buf[0] ? 0 : -1;
    case LINK_KEY_BIRTH_YEAR:
    case LINK_KEY_BIRTH_DATE:
        if (!r->has_birth)
            return -1;
        ms_date_to_ymd(r->birth, &y, &mo, &d);
        ms_str_addf(key, "%d", p == LINK_KEY_BIRTH_YEAR ? y : (int)r->birth);
        return 0;
    case LINK_KEY_SEX:
        ms_str_addch(key, r->sex);
        return r->sex ? 0 : -1;
    case LINK_KEY_PHONE_LAST8:
        for (const char *c = r->phone; *c && n < sizeof(buf) - 1; c++)
            if (*c >= '0' && *c <= '9')
                buf[n++] = *c;
        if (n < 8)
            return -1;
        ms_str_add(key, buf + n - 8, 8);
        return 0;
    case LINK_KEY_POSTCODE:
        ms_str_adds(key, r->postcode);
        return r->postcode[0] ? 0 : -1;
    case LINK_KEY_TOWN:
        ms_str_adds(key, r->town);
        return r->town[0] ? 0 : -1;
    case LINK_KEY_REGION:
        ms_str_adds(key, r->region);
        return r->region[0] ? 0 : -1;
    case LINK_KEY_COUNT:
        break;
    }
    return -1;
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

struct entry {
    uint64_t hash;
    uint32_t idx;
    uint32_t side;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct pairs {
    uint64_t *v; /* left << 32 | right */
    size_t n, cap;
};

static void pairs_push(struct pairs *p, uint32_t l, uint32_t r)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->v = ms_xrealloc(p->v, p->cap * sizeof(*p->v));
    }
    p->v[p->n++] = (uint64_t)l << 32 | r;
}

static size_t add_entries(const struct link_block_rule *rule, const struct link_source *s,
                          uint32_t side, struct link_rec *scratch, struct entry *out)
{
    struct ms_str key = MS_STR_INIT;
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct link_rec *r = s->get(s->ctx, i, scratch);
        int ok = 1;
        ms_str_reset(&key);
        for (int k = 0; k < rule->n_parts && ok; k++) {
            ok = key_part(r, rule->parts[k], &key) == 0;
            ms_str_addch(&key, '\x1f'); /* parts cannot run into each other */
        }
        if (ok)
            out[n++] = (struct entry){fnv1a(key.buf, key.len), (uint32_t)i, side};
    }
    ms_str_release(&key);
    return n;
}

static void note_skipped(struct link_engine *e, int rule, size_t records)
{
    if (e->blocks_skipped < LINK_SKIPPED_LISTED) {
        e->skipped[e->blocks_skipped].rule = rule;
        e->skipped[e->blocks_skipped].records = records;
    }
    e->blocks_skipped++;
}

/* Pairs of one block: entries [b, e), sorted by side. */
static void block_pairs(const struct entry *b, const struct entry *e, int is_dedup,
                        struct pairs *out)
{
    if (is_dedup) {
        for (const struct entry *x = b; x < e; x++)
            for (const struct entry *y = x + 1; y < e; y++)
                pairs_push(out, x->idx, y->idx);
        return;
    }
    const struct entry *mid = b;
    while (mid < e && mid->side == 0)
        mid++;
    for (const struct entry *x = b; x < mid; x++)
        for (const struct entry *y = mid; y < e; y++)
            pairs_push(out, x->idx, y->idx);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void block(struct link_engine *e, const struct link_source src[2], int is_dedup,
                  const struct link_engine_opts *o, struct link_rec *scratch, struct pairs *out)
{
    size_t total = src[0].n + (is_dedup ? 0 : src[1].n);
    struct entry *ents = ms_xmalloc((total + 1) * sizeof(*ents));
    for (int r = 0; r < o->n_rules; r++) {
        size_t n = add_entries(&o->rules[r], &src[0], 0, scratch, ents);
        if (!is_dedup)
            n += add_entries(&o->rules[r], &src[1], 1, scratch, ents + n);
        qsort(ents, n, sizeof(*ents), cmp_entry);
        for (size_t b = 0, end; b < n; b = end) {
            for (end = b + 1; end < n && ents[end].hash == ents[b].hash; end++)
                ;
            if (end - b > o->max_block)
                note_skipped(e, r, end - b);
            else
                block_pairs(ents + b, ents + end, is_dedup, out);
        }
    }
    free(ents);
    if (out->n > 0) /* qsort(NULL, 0, ...) is undefined */
        qsort(out->v, out->n, sizeof(*out->v), cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        if (k == 0 || out->v[k - 1] != out->v[i])
            out->v[k++] = out->v[i];
    out->n = k;
}

/* --- comparing ---------------------------------------------------------- */

static uint64_t pack_levels(const int8_t levels[LINK_F_COUNT])
{
    uint64_t v = 0;
    for (int f = 0; f < LINK_F_COUNT; f++)
        v |= (uint64_t)(levels[f] + 1) << (4 * f);
    return v;
}

static void unpack_levels(uint64_t v, int8_t levels[LINK_F_COUNT])
{
    for (int f = 0; f < LINK_F_COUNT; f++)
        levels[f] = (int8_t)((int)(v >> (4 * f) & 15u) - 1);
}

/* u from random pairs: nearly all are non-matches. They are EM's starting
 * u, or (em.fix_u) u itself. Holding u suits small files whose candidates
 * are mostly true pairs, where EM has too few non-matches to learn u from;
 * on large files the non-matching candidates agree on their blocking keys
 * far more often than random pairs do, so held u inflates lambda and m,
 * and EM must estimate u too (docs/linkage.md has the figures). Additive
 * smoothing keeps every level possible; a fixed seed, runs reproducible. */
static int estimate_u(const struct link_source src[2], int is_dedup,
                      const struct link_engine_opts *o, struct link_rec scratch[2],
                      struct link_model *start)
{
    const struct link_source *left = &src[0], *right = &src[is_dedup ? 0 : 1];
    double counts[LINK_F_COUNT][LINK_MAX_LEVELS] = {{0}};
    uint64_t state = 0x5eed5eedULL;
    int8_t levels[LINK_F_COUNT];
    if (o->u_sample == 0 || left->n < 2 || right->n < 2)
        return 0;
    for (size_t i = 0; i < o->u_sample; i++) {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        size_t a = (size_t)((z >> 32) % left->n), b = (size_t)((z & 0xffffffffu) % right->n);
        if (is_dedup && a == b)
            continue;
        link_compare(start, left->get(left->ctx, a, &scratch[0]),
                     right->get(right->ctx, b, &scratch[1]), levels);
        for (int f = 0; f < LINK_F_COUNT; f++)
            if (levels[f] >= 0)
                counts[f][levels[f]] += 1;
    }
    link_counts_to_probs(counts, 0, start->u); /* unobserved fields keep their start */
    return 1;
}

/* Compares every candidate pair under the starting model and feeds EM.
 * Pairs are sorted by left record, so the left one is fetched once per run
 * of its pairs, not once per pair. */
static int compare_all(struct link_engine *e, const struct link_source src[2], int is_dedup,
                       const struct link_engine_opts *o, struct link_rec scratch[2],
                       struct link_model *start, struct ms_err *err)
{
    const struct link_source *right = &src[is_dedup ? 0 : 1];
    int is_u_measured = estimate_u(src, is_dedup, o, scratch, start);
    struct link_em *em = link_em_new(start);
    if (is_u_measured && o->em_fix_u)
        link_em_fix_u(em);
    const struct link_rec *left = NULL;
    uint32_t left_idx = 0;
    int8_t levels[LINK_F_COUNT];
    int rc = 0;
    e->vectors = ms_xmalloc((e->n_pairs + 1) * sizeof(*e->vectors));
    for (size_t i = 0; i < e->n_pairs; i++) {
        uint64_t p = e->pairs[i];
        if (!left || left_idx != (uint32_t)(p >> 32)) {
            left_idx = (uint32_t)(p >> 32);
            left = src[0].get(src[0].ctx, left_idx, &scratch[0]);
        }
        link_compare(start, left, right->get(right->ctx, (uint32_t)p, &scratch[1]), levels);
        e->vectors[i] = pack_levels(levels);
        link_em_add(em, levels);
    }
    e->is_em_skipped = e->n_pairs == 0 || e->n_pairs < o->em_min_pairs;
    if (!e->is_em_skipped)
        rc = link_em_run(em, o->em_max_iter, o->em_tol, &e->model, &e->em, err);
    else
        e->model = *start; /* nothing (or too little) to estimate from */
    link_em_free(em);
    return rc;
}

int link_engine_run(struct link_engine *e, const struct link_source src[2], int is_dedup,
                    const struct link_engine_opts *o, const struct link_model *start,
                    struct ms_err *err)
{
    struct link_model model = *start;
    struct link_rec *scratch = ms_xmalloc(2 * sizeof(*scratch));
    struct pairs pairs = {0};
    int rc;
    memset(e, 0, sizeof(*e));
    if (src[0].n > UINT32_MAX - 1 || (!is_dedup && src[1].n > UINT32_MAX - 1)) {
        free(scratch);
        return ms_err_set(err, MS_EINVAL, "more than 4294967294 records in a file");
    }
    block(e, src, is_dedup, o, scratch, &pairs);
    e->pairs = pairs.v;
    e->n_pairs = pairs.n;
    rc = compare_all(e, src, is_dedup, o, scratch, &model, err);
    free(scratch);
    return rc;
}

void link_engine_levels(const struct link_engine *e, size_t i, int8_t levels[LINK_F_COUNT])
{
    unpack_levels(e->vectors[i], levels);
}

void link_engine_release(struct link_engine *e)
{
    free(e->pairs);
    free(e->vectors);
    e->pairs = e->vectors = NULL;
    e->n_pairs = 0;
}
