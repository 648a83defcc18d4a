/*
 * exchange_int.h - shared between the exchange module's files: its tables
 * and the entry points of its commands.
 */
#ifndef MS_EXCHANGE_INT_H
#define MS_EXCHANGE_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"

#include "modules/exchange/exchange.h"
#include "modules/exchange/exchange_feed.h"
#include "modules/module.h"

/* The field name quarantined rows are sealed under (never change it). */
#define EXCHANGE_SEAL_ROW "exchange_row"

/* Sets a batch's status (and finished_at) inside or outside a transaction. */
int exchange__set_status(struct store *st, int64_t batch_id, const char *status, const char *now,
                         struct ms_err *err);

/* The link phase of a batch (exchange_link.c): links every pending row,
 * committing as it goes; safe to run again after a crash. */
int exchange__link_batch(struct store *st, int64_t batch_id, const struct feed_def *feed,
                         exchange_progress_fn *progress, void *progress_ctx, struct ms_err *err);

extern const struct store_migration exchange_migrations[];
extern const struct ms_job exchange_jobs[];
extern const struct http_route exchange_http_routes[];
extern const struct cli_command exchange_cli_commands[];

/* `minsheng link`: generic linkage of CSV files (link_cli.c); with
 * --evaluate it hands over to exchange_cmd_evaluate(). */
int link_cli_main(int argc, char **argv);

/* `minsheng link --evaluate ...` (exchange_evaluate.c). */
int exchange_cmd_evaluate(int argc, char **argv);

/* Links one stored row now (a corrected quarantined row), inside the
 * caller's transaction, with its batch's model; *method is the outcome
 * ("exact", "probabilistic", "review", "none"). */
int exchange__link_one(struct store *st, int64_t record_id, int64_t batch_id,
                       const struct feed_def *feed, const char **method, struct ms_err *err);

/* A ratio-kind policy value (exchange.link_match_probability, ...) as a double,
 * in force today (exchange_link.c). */
int exchange__policy_double(struct store *st, const char *key, double *out, struct ms_err *err);

/* A comparison vector as the JSON array stored in exchange_reviews.levels
 * (null for a missing field); the caller frees it (exchange_link.c). */
#include "modules/exchange/linkage.h"
char *exchange__levels_json(const int8_t levels[LINK_F_COUNT]);

/* A weight in thousandths of a bit, rounded half away from zero. */
int64_t exchange__millibits(double w);

/* Sets err (code, field, English and Chinese text) and returns code. */
int exchange__fail(struct ms_err *err, int code, const char *field, const char *en,
                   const char *zh);

/* A change that answers with JSON (a review decision, a corrected or
 * dismissed quarantined row): fn runs inside store_tx() with the arguments
 * it needs, and exchange__write_tx() releases the reply of an attempt that
 * is retried, and leaves *out NULL when the change fails. */
struct exchange__write;
typedef int exchange__write_fn(struct store *st, const struct exchange__write *w, json_t **out,
                               struct ms_err *err);
struct exchange__write {
    exchange__write_fn *fn;
    const char *scope, *decision, *reason;
    int64_t id;
    json_t *values;
    const struct ms_actor *actor;
    struct ms_arena *arena;
};
int exchange__write_tx(struct store *st, const struct exchange__write *w, json_t **out,
                       struct ms_err *err);

/* A summary as the API returns it. */
json_t *exchange__summary_json(const struct exchange_summary *s);

#endif
