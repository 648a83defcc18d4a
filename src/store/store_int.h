/*
 * store_int.h - what store.c and the engines (sqlite.c, postgres.c) share.
 *
 * store.c owns everything both engines need the same way: the statement
 * cache keyed by SQL text, the transaction flag, store_tx()'s retry loop and
 * the process-wide counters. An engine fills in a `struct store__ops` table
 * and allocates its connection and statements as larger structs whose first
 * member is the generic `struct store` / `struct store_stmt`, so a pointer to
 * either is a pointer to the engine's own struct.
 *
 * Nothing outside src/store includes this file.
 */
#ifndef MS_STORE_INT_H
#define MS_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/*
 * An engine. Statements reach the engine only after store.c has checked
 * what it can (bind index >= 1, step after the end); an engine reports its
 * own errors through store__fail() so every failure is counted once.
 */
struct store__ops {
    const char *name;         /* "sqlite", "postgres" */
    enum store_engine engine; /* the value store_engine() returns */

    void (*close)(struct store *st); /* after every statement was finalized */
    int (*exec)(struct store *st, const char *sql, struct ms_err *err);
    int (*begin)(struct store *st, struct ms_err *err);
    int (*commit)(struct store *st, struct ms_err *err);
    void (*rollback)(struct store *st);
    /* store_tx_readonly(): a transaction that refuses writes and interrupts
     * a statement running past timeout_ms; the end always rolls back and
     * clears both, even after a failed begin. */
    int (*readonly_begin)(struct store *st, int timeout_ms, struct ms_err *err);
    void (*readonly_end)(struct store *st);

    /* Compiles sql into a new statement with base.sql unset; store.c fills
     * in the cache fields. */
    int (*prepare)(struct store *st, const char *sql, struct store_stmt **out, struct ms_err *err);
    void (*finalize)(struct store_stmt *s);

    /* Bindings return 0, or -1 when idx is out of range for the statement. */
    int (*bind_int64)(struct store_stmt *s, int idx, int64_t value);
    int (*bind_text)(struct store_stmt *s, int idx, const char *text, size_t len);
    int (*bind_blob)(struct store_stmt *s, int idx, const void *data, size_t len);
    int (*bind_null)(struct store_stmt *s, int idx);

    int (*step)(struct store_stmt *s, struct ms_err *err);
    /* Column accessors are only called on a current row, with col in range. */
    int (*col_count)(struct store_stmt *s);
    const char *(*col_name)(struct store_stmt *s, int col);
    int (*col_is_null)(struct store_stmt *s, int col);
    int64_t (*col_int64)(struct store_stmt *s, int col);
    const char *(*col_text)(struct store_stmt *s, int col);
    const void *(*col_blob)(struct store_stmt *s, int col, size_t *len);
    int64_t (*changes)(struct store_stmt *s);
    /* Clears results and bindings. */
    void (*reset)(struct store_stmt *s);
};

/* The state store.c keeps for each statement between prepare and reset. */
enum store__stmt_state {
    STORE__READY,  /* prepared or reset, not yet run */
    STORE__ROW,    /* a row is current */
    STORE__DONE,   /* ran to the end */
    STORE__FAILED, /* the last step failed; reset before running again */
};

struct store {
    const struct store__ops *ops;
    int is_in_tx;
    struct store_stmt **cache; /* hash buckets, chained through stmt->next */
    size_t cache_buckets;      /* a power of two, or 0 before the first prepare */
    size_t cache_count;
};

struct store_stmt {
    struct store *st;
    struct store_stmt *next; /* next in the cache bucket */
    uint64_t hash;           /* store__fnv1a64 of sql */
    char *sql;               /* the cache key, owned */
    enum store__stmt_state state;
    int bad_bind_idx; /* first out-of-range bind index, reported by store_step */
};

/* The engines' constructors, called by store_open(). */
int store__sqlite_open(const char *path, unsigned flags, struct store **out, struct ms_err *err);
int store__pg_open(const char *url, struct store **out, struct ms_err *err);

/* Counts a failed statement in the stats and records it in err: returns
 * code, like ms_err_set(). Engines report every database error through it. */
int store__fail(struct ms_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* FNV-1a, 64 bits: the cache hash and the migration checksum. */
uint64_t store__fnv1a64(const void *data, size_t len);

/*
 * Rewrites `?` placeholders to PostgreSQL's `$1`, `$2`, ... Question marks
 * inside string literals ('...', E'...', $tag$...$tag$), quoted identifiers
 * and comments are left alone. Returns a malloc'd string the caller frees;
 * *nparams receives the number of placeholders.
 */
char *store__pg_placeholders(const char *sql, int *nparams);

#endif
