/*
 * linkage_em.c - estimating m, u and lambda by EM (Winkler 1988, Jaro 1989).
 *
 * The latent-class model: each candidate pair is a match with probability
 * lambda, and given its class the fields' levels are independent, with
 * P(level) = m[f][level] for matches and u[f][level] for non-matches. A
 * missing field is left out of the product (it says nothing either way),
 * as Splink does.
 *
 * Pairs with the same comparison vector contribute identically, so vectors
 * are counted by pattern: an open-addressing table keyed by the packed
 * vector (3 bits a field) points into arrays kept in insertion order. Each
 * EM step is then linear in the number of distinct patterns, not pairs, and
 * iterating in insertion order makes the result independent of the table's
 * layout.
 */
#include "modules/exchange/linkage.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "core/banned.h"

#define PROB_FLOOR 1e-6

struct link_em {
    struct link_model start;
    uint64_t *keys;  /* packed vectors, insertion order */
    double *counts;  /* pairs per pattern */
    size_t n, cap;   /* patterns held and allocated */
    uint32_t *slots; /* pattern index + 1; 0 = empty; size a power of two */
    size_t n_slots;
    size_t pairs;
    int is_u_fixed;
};

struct link_em *link_em_new(const struct link_model *start)
{
    struct link_em *e = ms_xcalloc(1, sizeof(*e));
    e->start = *start;
    e->n_slots = 1024;
    e->slots = ms_xcalloc(e->n_slots, sizeof(*e->slots));
    return e;
}

void link_em_free(struct link_em *e)
{
    if (!e)
        return;
    free(e->keys);
    free(e->counts);
    free(e->slots);
    free(e);
}

void link_em_fix_u(struct link_em *e)
{
    e->is_u_fixed = 1;
}

size_t link_em_pairs(const struct link_em *e)
{
    return e->pairs;
}

/* Level + 1 in 3 bits per field; fields outside the model count as missing,
 * so they never split patterns. */
static uint64_t pack(uint32_t fields, const int8_t levels[LINK_F_COUNT])
{
    uint64_t key = 0;
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int l = (fields >> f & 1u) ? levels[f] : LINK_MISSING;
        assert(l >= LINK_MISSING && l < link_field_levels((enum link_field)f));
        key |= (uint64_t)(l + 1) << (3 * f);
    }
    return key;
}

static int unpack(uint64_t key, int f)
{
    return (int)(key >> (3 * f) & 7u) - 1;
}

static size_t hash(uint64_t x)
{
    /* splitmix64's finaliser: spreads the low-entropy packed keys. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (size_t)x;
}

static void grow(struct link_em *e)
{
    size_t n_slots = e->n_slots * 2;
    uint32_t *slots = ms_xcalloc(n_slots, sizeof(*slots));
    for (size_t i = 0; i < e->n; i++) {
        size_t s = hash(e->keys[i]) & (n_slots - 1);
        while (slots[s])
            s = (s + 1) & (n_slots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(e->slots);
    e->slots = slots;
    e->n_slots = n_slots;
}

void link_em_add(struct link_em *e, const int8_t levels[LINK_F_COUNT])
{
    uint64_t key = pack(e->start.fields, levels);
    size_t s = hash(key) & (e->n_slots - 1);
    e->pairs++;
    for (; e->slots[s]; s = (s + 1) & (e->n_slots - 1))
        if (e->keys[e->slots[s] - 1] == key) {
            e->counts[e->slots[s] - 1] += 1;
            return;
        }
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 256;
        e->keys = ms_xrealloc(e->keys, e->cap * sizeof(*e->keys));
        e->counts = ms_xrealloc(e->counts, e->cap * sizeof(*e->counts));
    }
    e->keys[e->n] = key;
    e->counts[e->n] = 1;
    e->slots[s] = (uint32_t)++e->n;
    if (e->n * 2 > e->n_slots) /* keep the load under one half */
        grow(e);
}

/* Raises entries below PROB_FLOOR to it and scales the others so the
 * distribution still sums to 1; repeated because scaling can push another
 * entry under the floor. */
static void floor_dist(double *p, int n)
{
    int is_floored[LINK_MAX_LEVELS] = {0};
    for (int pass = 0; pass < n; pass++) {
        int changed = 0, k = 0;
        double free_sum = 0;
        for (int i = 0; i < n; i++) {
            if (!is_floored[i] && p[i] < PROB_FLOOR)
                is_floored[i] = 1, changed = 1;
            if (is_floored[i])
                p[i] = PROB_FLOOR, k++;
            else
                free_sum += p[i];
        }
        if (!changed || free_sum <= 0)
            return;
        for (int i = 0; i < n; i++)
            if (!is_floored[i])
                p[i] *= (1.0 - k * PROB_FLOOR) / free_sum;
    }
}

struct sums {
    double m[LINK_F_COUNT][LINK_MAX_LEVELS];
    double u[LINK_F_COUNT][LINK_MAX_LEVELS];
    double matches, total, loglik;
};

/* E step over all patterns under model *p, accumulating expected counts. */
static void expect(const struct link_em *e, const struct link_model *p, struct sums *s)
{
    memset(s, 0, sizeof(*s));
    double log_lambda = log(p->lambda), log_1_lambda = log(1 - p->lambda);
    for (size_t i = 0; i < e->n; i++) {
        double lm = log_lambda, lu = log_1_lambda, n = e->counts[i];
        for (int f = 0; f < LINK_F_COUNT; f++) {
            int l = unpack(e->keys[i], f);
            if (l >= 0) {
                lm += log(p->m[f][l]);
                lu += log(p->u[f][l]);
            }
        }
        /* log(exp(lm) + exp(lu)) without underflow. */
        double hi = lm > lu ? lm : lu, lo = lm > lu ? lu : lm;
        double log_tot = hi + log1p(exp(lo - hi));
        double g = exp(lm - log_tot);
        s->loglik += n * log_tot;
        s->matches += n * g;
        s->total += n;
        for (int f = 0; f < LINK_F_COUNT; f++) {
            int l = unpack(e->keys[i], f);
            if (l >= 0) {
                s->m[f][l] += n * g;
                s->u[f][l] += n * (1 - g);
            }
        }
    }
}

/* M step: the new parameters from the expected counts. */
static void maximise(const struct sums *s, int is_u_fixed, struct link_model *p)
{
    p->lambda = s->matches / s->total;
    if (p->lambda < PROB_FLOOR)
        p->lambda = PROB_FLOOR;
    if (p->lambda > 1 - PROB_FLOOR)
        p->lambda = 1 - PROB_FLOOR;
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int levels = link_field_levels((enum link_field)f);
        double sm = 0, su = 0;
        if (!(p->fields >> f & 1u))
            continue;
        for (int l = 0; l < levels; l++)
            sm += s->m[f][l], su += s->u[f][l];
        for (int l = 0; l < levels; l++) {
            /* A field never observed keeps its previous distribution. */
            if (sm > 0)
                p->m[f][l] = s->m[f][l] / sm;
            if (su > 0 && !is_u_fixed)
                p->u[f][l] = s->u[f][l] / su;
        }
        floor_dist(p->m[f], levels);
        if (!is_u_fixed)
            floor_dist(p->u[f], levels);
    }
}

/* The match class must be the one whose fields agree (linkage.h). */
static void orient(struct link_model *p, int is_u_fixed)
{
    int used = 0, mirrored = 0;
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int top = link_field_levels((enum link_field)f) - 1;
        if (p->fields >> f & 1u) {
            used++;
            mirrored += p->m[f][top] < p->u[f][top];
        }
    }
    /* With u fixed the classes cannot trade places. */
    if (!is_u_fixed && mirrored * 2 > used) {
        double tmp[LINK_MAX_LEVELS];
        for (int f = 0; f < LINK_F_COUNT; f++) {
            memcpy(tmp, p->m[f], sizeof(tmp));
            memcpy(p->m[f], p->u[f], sizeof(tmp));
            memcpy(p->u[f], tmp, sizeof(tmp));
        }
        p->lambda = 1 - p->lambda;
    }
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int top = link_field_levels((enum link_field)f) - 1;
        if ((p->fields >> f & 1u) && p->m[f][top] <= p->u[f][top])
            memcpy(p->m[f], p->u[f], sizeof(p->m[f]));
    }
}

int link_em_run(struct link_em *e, int max_iter, double tol, struct link_model *out,
                struct link_em_result *res, struct ms_err *err)
{
    struct link_model p = e->start;
    struct sums s;
    double prev = 0;
    memset(res, 0, sizeof(*res));
    res->pairs = e->pairs;
    res->patterns = e->n;
    if (e->pairs == 0)
        return ms_err_set(err, MS_EINVAL, "no candidate pairs to estimate the model from");
    if (p.lambda <= 0 || p.lambda >= 1)
        p.lambda = 0.01;
    for (int it = 1; it <= max_iter; it++) {
        expect(e, &p, &s);
        maximise(&s, e->is_u_fixed, &p);
        res->iterations = it;
        res->loglik = s.loglik;
        /* Per pair, so that tol means the same for a hundred pairs or ten
         * million. */
        if (it > 1 && fabs(s.loglik - prev) / s.total < tol) {
            res->converged = 1;
            break;
        }
        prev = s.loglik;
    }
    orient(&p, e->is_u_fixed);
    *out = p;
    return 0;
}
