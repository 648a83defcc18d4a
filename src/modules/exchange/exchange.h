/*
 * exchange.h - department data exchange: feeds, batches, quarantine and
 * the linkage of feed rows to residents (issue #4; docs/exchange.md).
 *
 * A batch is one file of one feed. Importing reads it as a stream (bounded
 * memory), checks every row against the feed's definition, stores good rows
 * in exchange_records and bad ones in exchange_quarantine with the reason,
 * committing every few thousand rows together with how far it got. Then the
 * rows are linked to residents: exactly on a valid ID number that agrees
 * with name and birth date, else by Fellegi-Sunter weights (linkage.h) with
 * m and u estimated by EM from the batch itself; pairs between the two
 * thresholds go to the clerical review queue.
 *
 * Idempotent and crash-safe: a batch is known by its feed and the BLAKE2b
 * hash of its bytes. Importing a finished batch again changes nothing and
 * returns its summary; importing an interrupted one (kill -9, power loss)
 * resumes after the last committed row. Rows whose natural key is already
 * stored (from any batch) are counted as duplicates and left alone.
 */
#ifndef MS_EXCHANGE_H
#define MS_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/actor.h"
#include "core/err.h"

struct store;
struct ms_module;

#define EXCHANGE_MAX_REASONS 24

struct exchange_summary {
    int64_t batch_id;
    char feed[48];
    char status[16];      /* "loading", "linking", "done" */
    int already_imported; /* the same file was imported before; nothing changed */
    int resumed;          /* an interrupted import of this file was resumed */
    int64_t rows_read, accepted, duplicate, quarantined;
    int64_t linked_exact, linked_probabilistic, sent_to_review, not_linked;
    struct {
        char code[40];
        int64_t n;
    } reasons[EXCHANGE_MAX_REASONS]; /* quarantined rows by reason, most first */
    size_t n_reasons;
};

/* Progress: phase "load" (done/total in bytes) or "link" (rows). */
typedef void exchange_progress_fn(void *ctx, const char *phase, int64_t done, int64_t total);

struct exchange_import_opts {
    exchange_progress_fn *progress; /* or NULL */
    void *progress_ctx;
    size_t chunk_rows; /* rows per transaction; 0: 2000 */
    /* Stop after this many committed chunks, leaving the batch in status
     * "loading" for a later run to resume (an import spread over several
     * maintenance windows; the tests' stand-in for a crash). 0: no limit. */
    size_t pause_after_chunks;
};

/*
 * Imports one file of feed `feed` from in (a seekable stream: it is read
 * twice, once for its hash), named file_name in the batch. *out gets the
 * summary. Errors: MS_ENOTFOUND (no such feed), MS_EFIELD for a file that
 * cannot be a batch of this feed at all (a CSV header without a required
 * column, an empty file), MS_EIO, store errors. Bad rows are not errors:
 * they are quarantined and counted.
 */
int exchange_import(struct store *st, const char *feed, const char *file_name, FILE *in,
                    const struct ms_actor *actor, const struct exchange_import_opts *o,
                    struct exchange_summary *out, struct ms_err *err);

/* The summary of a stored batch. MS_ENOTFOUND if there is none. */
int exchange_batch_summary(struct store *st, int64_t batch_id, struct exchange_summary *out,
                           struct ms_err *err);

extern const struct ms_module exchange_module;

#endif
