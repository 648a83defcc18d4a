/*
 * exchange_review.h - the clerical review queue and the quarantine, as the
 * API and the console use them (docs/exchange.md).
 *
 * Results are JSON objects ready to send (the caller owns them). Reads that
 * show personal data fill *read with the audit entry the caller must record
 * before showing anything (as registry.h does). Decisions and corrections
 * run in a transaction of their own (store_tx(), retried when busy) with
 * their audit entry.
 * Scope: a review is visible when its candidate resident is in the caller's
 * scope.
 */
#ifndef MS_EXCHANGE_REVIEW_H
#define MS_EXCHANGE_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct audit_entry;

struct exchange_page_query {
    const char *status; /* "open" (default), "accepted", "rejected"; quarantine: "open", ... */
    const char *kind;   /* reviews: "feed", "duplicate" or NULL for both */
    const char *feed;   /* NULL for all */
    int64_t batch_id;   /* quarantine: 0 for all */
    int page, page_size;
};

int exchange_reviews_list(struct store *st, const char *scope, const struct exchange_page_query *q,
                          struct ms_arena *arena, json_t **out, struct audit_entry *read,
                          struct ms_err *err);
int exchange_review_get(struct store *st, const char *scope, int64_t id, struct ms_arena *arena,
                        json_t **out, struct audit_entry *read, struct ms_err *err);
/* decision "accept" or "reject"; reason required for reject. MS_ECONFLICT if
 * the item was decided already. */
int exchange_review_decide(struct store *st, const char *scope, int64_t id, const char *decision,
                           const char *reason, const struct ms_actor *actor, struct ms_arena *arena,
                           json_t **out, struct ms_err *err);

int exchange_quarantine_list(struct store *st, const struct exchange_page_query *q, json_t **out,
                             struct ms_err *err);
int exchange_quarantine_get(struct store *st, int64_t id, struct ms_arena *arena, json_t **out,
                            struct audit_entry *read, struct ms_err *err);
/* values: corrected cells by source column name (others keep the row's);
 * the row is checked again, stored and linked. */
int exchange_quarantine_resubmit(struct store *st, int64_t id, json_t *values,
                                 const struct ms_actor *actor, struct ms_arena *arena,
                                 json_t **out, struct ms_err *err);
int exchange_quarantine_dismiss(struct store *st, int64_t id, const char *reason,
                                const struct ms_actor *actor, json_t **out, struct ms_err *err);

/* Batches as JSON: one, or a page (feed NULL for all). */
int exchange_batch_json(struct store *st, int64_t id, json_t **out, struct ms_err *err);
int exchange_batches_list(struct store *st, const char *feed, int page, int page_size, json_t **out,
                          struct ms_err *err);

#endif
