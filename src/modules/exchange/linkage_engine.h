/*
 * linkage_engine.h - the in-memory linkage engine: blocking, comparing,
 * estimating (docs/linkage.md). `minsheng link` runs it on CSV files
 * (linkage_files.c) and registry de-duplication on the residents
 * (exchange_dedup.c); both score and use the result their own way.
 *
 * The engine does not own records. It reaches them through a struct
 * link_source, whose get() either returns a stored prepared record or
 * builds one into the scratch record it is given, so a caller may keep its
 * records in a compact form of its own and pay for a full struct link_rec
 * (about 1 KiB) only for the one or two being compared.
 *
 * Ownership: the results (pairs, vectors) belong to the struct
 * link_engine until link_engine_release(). Not thread-safe on one engine.
 */
#ifndef MS_LINKAGE_ENGINE_H
#define MS_LINKAGE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "modules/exchange/linkage.h"

/* The parts a blocking key is made of. */
enum link_key_part {
    LINK_KEY_ID_NUMBER,     /* the 18-character ID number */
    LINK_KEY_NAME_INITIALS, /* first letter of each pinyin syllable / Latin word */
    LINK_KEY_FUZZY_NAME,    /* ms_sim_fuzzy_pinyin() of the name's words */
    LINK_KEY_BIRTH_YEAR,
    LINK_KEY_BIRTH_DATE,
    LINK_KEY_SEX,
    LINK_KEY_PHONE_LAST8, /* last 8 digits of the phone */
    LINK_KEY_POSTCODE,
    LINK_KEY_TOWN,
    LINK_KEY_REGION,
    LINK_KEY_COUNT
};

#define LINK_MAX_RULES      16
#define LINK_MAX_PARTS      4
#define LINK_SKIPPED_LISTED 8

/* A rule: records whose parts are all present and equal share a block.
 * Written "name_initials+birth_year" in a config. */
struct link_block_rule {
    int n_parts;
    enum link_key_part parts[LINK_MAX_PARTS];
};

/* Record i of a source: a pointer to a stored record, or scratch filled
 * in. The pointer must stay valid until the next call with this scratch. */
typedef const struct link_rec *link_source_get_fn(void *ctx, size_t i, struct link_rec *scratch);

struct link_source {
    size_t n;
    link_source_get_fn *get;
    void *ctx;
};

struct link_engine_opts {
    const struct link_block_rule *rules;
    int n_rules;
    size_t max_block;    /* records in a block beyond which it is skipped */
    size_t u_sample;     /* random pairs for EM's starting u (0: none) */
    int em_fix_u;        /* hold u at the random pairs' values */
    int em_max_iter;     /* 0: no EM iterations, the start model with random-pair u */
    double em_tol;
    size_t em_min_pairs; /* fewer candidate pairs: EM is not run at all (0: any) */
};

struct link_engine {
    uint64_t *pairs;   /* left << 32 | right, ascending, each pair once */
    uint64_t *vectors; /* each pair's comparison vector, packed (link_engine_levels()) */
    size_t n_pairs;
    size_t blocks_skipped; /* over max_block */
    struct {
        int rule; /* index into the rules */
        size_t records;
    } skipped[LINK_SKIPPED_LISTED]; /* the first ones, for a report */
    struct link_em_result em;       /* iterations 0 if EM did not run */
    struct link_model model;        /* as estimated, or the start with random-pair u */
    int is_em_skipped;              /* fewer pairs than em_min_pairs (or none) */
};

/*
 * Blocks src[0] against src[1] (or within src[0] when is_dedup: each
 * unordered pair once, never a record with itself, left index < right),
 * compares every candidate pair on start's fields, measures u on random
 * pairs as EM's start and runs EM. With no candidate pair, or fewer than
 * o->em_min_pairs, EM is skipped and e->model is start with the random-pair
 * u (e->is_em_skipped). Errors: MS_EINVAL for more than 4294967294 records
 * in a source; those of link_em_run(). On error e is still released by
 * link_engine_release().
 */
int link_engine_run(struct link_engine *e, const struct link_source src[2], int is_dedup,
                    const struct link_engine_opts *o, const struct link_model *start,
                    struct ms_err *err);

/* The comparison vector of pair i. */
void link_engine_levels(const struct link_engine *e, size_t i, int8_t levels[LINK_F_COUNT]);

/* Frees the results; the engine may be run again. */
void link_engine_release(struct link_engine *e);

#endif
