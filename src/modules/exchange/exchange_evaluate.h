/*
 * exchange_evaluate.h - linkage quality against the generator's truth file
 * (`minsheng link --evaluate`; docs/linkage.md, "Quality").
 */
#ifndef MS_EXCHANGE_EVALUATE_H
#define MS_EXCHANGE_EVALUATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;

/* Counts for one set of rows. A row is linkable when the truth names a
 * resident; a link is right when it names that resident. Rows sent to
 * review count as not linked (they are in `review`). */
struct exchange_quality {
    int64_t rows, linkable, linked, right, wrong, review;
};

struct exchange_eval_feed {
    char feed[48];
    struct exchange_quality all;   /* every good row of the feed in the truth */
    struct exchange_quality prob;  /* rows whose ID number does not name the person */
    int64_t bad, bad_quarantined;  /* rows made bad on purpose, and found so */
    int64_t missing;               /* good rows the database does not have */
};

#define EXCHANGE_EVAL_MAX_FEEDS 32

struct exchange_eval {
    struct exchange_eval_feed feeds[EXCHANGE_EVAL_MAX_FEEDS];
    size_t n;
    struct exchange_eval_feed total;
};

/* precision = right / linked, recall = right / linkable, F1; 1 when the
 * denominator is 0. */
double exchange_precision(const struct exchange_quality *q);
double exchange_recall(const struct exchange_quality *q);
double exchange_f1(const struct exchange_quality *q);

/* Reads truth.csv (docs/gen.md, "Department feeds") and compares it with the
 * links stored for each row. Errors: MS_EIO, MS_EFIELD (not a truth file). */
int exchange_evaluate(struct store *st, const char *truth_path, struct exchange_eval *out,
                      struct ms_err *err);

#endif
