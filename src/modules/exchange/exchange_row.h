/*
 * exchange_row.h - checking one row of a feed against its definition and
 * storing it: shared by the importer and the quarantine's re-submit.
 */
#ifndef MS_EXCHANGE_ROW_H
#define MS_EXCHANGE_ROW_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "modules/exchange/exchange_feed.h"
#include "modules/exchange/linkage.h"

struct store;
struct ms_seal;

/* A row checked and normalised, ready to store. Strings live in the arena
 * given to exchange_row_check(). */
struct exchange_row {
    struct link_rec rec; /* identity, normalised for linkage */
    const char *name;    /* as given, trimmed */
    char birth[11];      /* YYYY-MM-DD or "" */
    char sex[2];         /* "M", "F" or "" */
    char fact_date[11], period[8];
    int has_amount;
    int64_t amount_fen;
    const char *category, *level, *status, *ref_code;
    json_t *data; /* the other fields; owned, released by exchange_row_release() */
    const char *natural_key;
};

/*
 * Checks vals (one value per column of f, in definition order; NULL or
 * blank = absent) and fills *out. today bounds dates (no fact in the
 * future). On a bad row returns MS_EFIELD or MS_EMISSING with err->field the
 * column's source name, English and Chinese text, and *reason a stable code
 * ("missing_value", "bad_date", "date_in_future", "bad_month", "bad_money",
 * "negative_amount", "bad_enum", "bad_uscc", "bad_code", "text_too_long",
 * "bad_id_number", "bad_identity").
 */
int exchange_row_check(const struct feed_def *f, const char *const vals[], int32_t today,
                       struct ms_arena *arena, struct exchange_row *out, const char **reason,
                       struct ms_err *err);

void exchange_row_release(struct exchange_row *r);

/* Inserts the row into exchange_records (pending linkage). *record_id is
 * the new id, or 0 when the natural key was already stored (a duplicate). */
int exchange_row_store(struct store *st, const struct ms_seal *seal, const struct feed_def *f,
                       int64_t batch_id, int64_t row_no, const struct exchange_row *r,
                       const char *now, int64_t *record_id, struct ms_err *err);

#endif
