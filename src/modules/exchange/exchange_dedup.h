/*
 * exchange_dedup.h - registry de-duplication (issue #4 item 5;
 * docs/linkage.md, "Registry de-duplication"): residents registered twice
 * are found with the linkage engine and sent to the clerical review queue
 * as items of kind 'duplicate'.
 *
 * Nothing is ever merged or changed automatically, whatever the weight: a
 * person decides each pair (exchange_review_decide()), and merging two
 * residents is a registry change of its own.
 */
#ifndef MS_EXCHANGE_DEDUP_H
#define MS_EXCHANGE_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "modules/exchange/exchange.h"

struct store;

struct exchange_dedup_opts {
    exchange_progress_fn *progress; /* phases "read" (residents), "queue" (pairs); or NULL */
    void *progress_ctx;
    size_t chunk; /* review items per transaction; 0: 1000 */
};

struct exchange_dedup_stats {
    int64_t residents;      /* read, every status */
    int64_t pairs;          /* distinct candidate pairs compared */
    int64_t blocks_skipped; /* blocks over the engine's max_block */
    int is_u_from_candidates; /* else from random pairs: fewer than 500 candidate pairs */
    int64_t at_or_above_lower; /* pairs weighing at least exchange.dedup_review_weight */
    int64_t name_disagrees; /* of those, names wholly different: never queued */
    int64_t above_upper;    /* of the rest, at least exchange.dedup_strong_weight (never merged) */
    int64_t queued;         /* new review items */
    int64_t already_queued; /* pairs with an item already, of any status: left alone */
};

/*
 * Reads every resident (ID and phone numbers opened with the registry's
 * seal), blocks and compares them in memory, weighs the pairs (m a fixed
 * table, u measured on the candidates; exchange_dedup.c says why not EM)
 * and inserts a review item of kind 'duplicate' for every pair whose weight
 * reaches exchange.dedup_review_weight and whose names agree at least in part
 * (left_resident the smaller id). A pair
 * that has an item already, open or decided, is not proposed again. The
 * items are committed CHUNK at a time; the last transaction also holds the
 * one audit entry (exchange.dedup, with the counts). o may be NULL.
 * Errors: store errors, MS_EINTEGRITY (a sealed value that does not open),
 * policy errors (a threshold missing).
 */
int exchange_dedup_registry(struct store *st, const struct ms_actor *actor,
                            const struct exchange_dedup_opts *o, struct exchange_dedup_stats *out,
                            struct ms_err *err);

#endif
