/*
 * store.h - the only code that talks to a database.
 *
 * One API, two engines: SQLite (a file path; the embedded default) and
 * PostgreSQL through libpq ("postgresql://..." or "postgres://..."). SQL is
 * written once, with `?` placeholders, in the subset both engines accept
 * (docs/store.md lists it); the PostgreSQL engine rewrites `?` to `$n`.
 *
 * Threads: a `struct store` is one connection and is not thread-safe. Give
 * each thread its own (the HTTP server keeps one per worker thread).
 *
 * Statements: store_prepare() caches statements per connection by their SQL
 * text, so preparing the same text again is cheap and returns the cached
 * statement, reset, with its bindings cleared. The connection owns its
 * statements; callers never free them. A statement is in use from
 * store_prepare() until store_reset(); do not prepare the same text again
 * while the first use is still stepping.
 *
 * Errors: functions return 0 (store_step: STORE_ROW or STORE_DONE) or a
 * negative MS_E* code, with `err` filled:
 *   MS_EBUSY     the database is locked, or a serialization failure or
 *                deadlock was detected: retrying the transaction may succeed
 *                (store_tx() does so by itself);
 *   MS_EEXISTS   a unique or primary-key constraint was violated;
 *   MS_ECONFLICT another constraint (check, foreign key, a trigger) refused;
 *   MS_EDB       anything else.
 */
#ifndef MS_STORE_H
#define MS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum store_engine {
    STORE_SQLITE,
    STORE_POSTGRES,
};

enum store_open_flags {
    STORE_CREATE = 1 << 0,                /* SQLite: create the file if it does not exist */
    STORE_BACKGROUND_CHECKPOINT = 1 << 1, /* SQLite: never checkpoint on commit; a
                                             store checkpointer does it */
};

#define STORE_DONE 0
#define STORE_ROW 1

struct store;
struct store_stmt;

/* Opens a connection. SQLite is set up with WAL, synchronous=NORMAL, a busy
 * timeout and foreign keys on; ":memory:" opens a private in-memory database.
 * PostgreSQL sessions use UTF-8 and the UTC time zone. */
int store_open(const char *url, unsigned flags, struct store **out, struct ms_err *err);

/* Closes the connection and its statements. store_close(NULL) does nothing. */
void store_close(struct store *st);

enum store_engine store_engine(const struct store *st);

/* "sqlite" or "postgres". */
const char *store_engine_name(const struct store *st);

/* 1 if url selects PostgreSQL. */
int store_url_is_postgres(const char *url);

/* Runs one or more statements that take no parameters and return no rows. */
int store_exec(struct store *st, const char *sql, struct ms_err *err);

int store_prepare(struct store *st, const char *sql, struct store_stmt **out,
                  struct ms_err *err);

/* Bindings are 1-based and copy their values. store_bind_text(NULL) binds
 * SQL NULL. */
void store_bind_int64(struct store_stmt *s, int idx, int64_t value);
void store_bind_text(struct store_stmt *s, int idx, const char *text);
void store_bind_textn(struct store_stmt *s, int idx, const char *text, size_t len);
void store_bind_blob(struct store_stmt *s, int idx, const void *data, size_t len);
void store_bind_null(struct store_stmt *s, int idx);

/* Runs the statement (first call) and moves to the next row: STORE_ROW when a
 * row is ready, STORE_DONE at the end, or a negative error. */
int store_step(struct store_stmt *s, struct ms_err *err);

/* Columns of the current row, 0-based. Text and blobs stay valid until the
 * next store_step() or store_reset() on the statement. SQL NULL reads as 0,
 * NULL and an empty blob. */
int store_col_count(struct store_stmt *s);
const char *store_col_name(struct store_stmt *s, int col);
int store_col_is_null(struct store_stmt *s, int col);
int64_t store_col_int64(struct store_stmt *s, int col);
const char *store_col_text(struct store_stmt *s, int col);
/* The column's text copied into arena ("" for NULL): outlives the statement. */
struct ms_arena;
const char *store_col_dup(struct store_stmt *s, int col, struct ms_arena *arena);
const void *store_col_blob(struct store_stmt *s, int col, size_t *len);

/* Rows inserted, updated or deleted by the statement's last run. */
int64_t store_changes(struct store_stmt *s);

/* Ends the statement's current use: clears results and bindings. */
void store_reset(struct store_stmt *s);

/* Transactions. store_begin() opens a write transaction (SQLite: BEGIN
 * IMMEDIATE, so two writers never deadlock on a lock upgrade; PostgreSQL:
 * READ COMMITTED). Nesting is a bug. */
int store_begin(struct store *st, struct ms_err *err);
int store_commit(struct store *st, struct ms_err *err);
void store_rollback(struct store *st);
int store_in_tx(const struct store *st);

typedef int store_tx_fn(struct store *st, void *ctx, struct ms_err *err);

/*
 * Runs fn(st, ctx, err) in a transaction: commits when it returns 0, rolls
 * back otherwise and returns its error. When fn or the commit fails with
 * MS_EBUSY, the whole transaction is retried (up to 10 times, with growing
 * randomised sleeps), with err cleared, so fn must not have effects outside
 * the database, or must undo them when called again.
 */
int store_tx(struct store *st, store_tx_fn *fn, void *ctx, struct ms_err *err);

/*
 * Runs fn once in a transaction that can only read and is always rolled
 * back: SQLite BEGIN with PRAGMA query_only, PostgreSQL BEGIN READ ONLY. A
 * statement still running after timeout_ms is interrupted (SQLite: a
 * progress handler; PostgreSQL: SET LOCAL statement_timeout) and fails
 * with MS_EDB, as does a write. For SQL that does not come with the code
 * (a rule written through the API).
 */
int store_tx_readonly(struct store *st, int timeout_ms, store_tx_fn *fn, void *ctx,
                      struct ms_err *err);

/*
 * Starts a thread that checkpoints a SQLite database's write-ahead log every
 * interval_ms with its own connection (PASSIVE: it never blocks readers or
 * writers), for servers whose connections were opened with
 * STORE_BACKGROUND_CHECKPOINT. Does nothing for PostgreSQL. One per process.
 */
int store_checkpointer_start(const char *url, int interval_ms, struct ms_err *err);

/* Stops it after a last checkpoint. Does nothing if it is not running. */
void store_checkpointer_stop(void);

/* Process-wide counters, for /metrics. */
/* The database's size in bytes, where the engine knows it cheaply: SQLite's
 * page count times page size (the main file; the WAL is not counted), or
 * PostgreSQL's pg_database_size() of the current database. */
int store_size_bytes(struct store *st, int64_t *bytes, struct ms_err *err);

/* Brings the planner's table statistics up to date where the engine does
 * not do it itself (SQLite: a sampled ANALYZE, milliseconds; PostgreSQL:
 * nothing, autovacuum does). For a caller about to run large queries. */
int store_refresh_stats(struct store *st, struct ms_err *err);

struct store_stats {
    uint64_t errors;  /* statements that failed with MS_EDB, MS_ECONFLICT, MS_EEXISTS */
    uint64_t busy;    /* MS_EBUSY results */
    uint64_t retries; /* transactions store_tx() ran again */
};
void store_stats_get(struct store_stats *out);

#endif
