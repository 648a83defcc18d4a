/*
 * sqlite.c - the SQLite engine: the embedded default, one file in WAL mode.
 *
 * A connection is opened with SQLITE_OPEN_NOMUTEX: the store's rule is one
 * connection per thread, so SQLite's per-connection mutex would only cost.
 * Writers serialise on BEGIN IMMEDIATE and wait up to busy_timeout for each
 * other; what still comes back as SQLITE_BUSY or SQLITE_LOCKED is MS_EBUSY,
 * which store_tx() retries. Statements are compiled once per connection with
 * SQLITE_PREPARE_PERSISTENT, since the cache in store.c keeps them for the
 * life of the connection.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "store/store_int.h"

#include "core/banned.h"

#define BUSY_TIMEOUT_MS 5000

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    struct timespec deadline; /* store_tx_readonly(): the progress handler's limit */
};

struct sqlite_stmt {
    struct store_stmt base;
    sqlite3_stmt *stmt;
    int64_t changes; /* rows changed by the last run that reached its end */
};

static sqlite3 *db_of(struct store *st)
{
    return ((struct sqlite_store *)st)->db;
}

static struct sqlite_stmt *stmt_of(struct store_stmt *s)
{
    return (struct sqlite_stmt *)s;
}

/*
 * Maps SQLite's result code to ours (store.h) and records the message.
 * `rc` is the extended code when there is one.
 */
static int fail(sqlite3 *db, int rc, struct ms_err *err)
{
    int code;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = MS_EBUSY;
        break;
    case SQLITE_CONSTRAINT:
        code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
                rc == SQLITE_CONSTRAINT_ROWID)
                   ? MS_EEXISTS
                   : MS_ECONFLICT;
        break;
    default:
        code = MS_EDB;
        break;
    }
    return store__fail(err, code, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* --- connection ---------------------------------------------------------------- */

static int run(sqlite3 *db, const char *sql, struct ms_err *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(db, sqlite3_extended_errcode(db), err);
    return 0;
}

static const struct store__ops sqlite_ops;

int store__sqlite_open(const char *path, unsigned flags, struct store **out, struct ms_err *err)
{
    int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & STORE_CREATE)
        open_flags |= SQLITE_OPEN_CREATE;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, open_flags, NULL);
    if (rc != SQLITE_OK) {
        store__fail(err, MS_EDB, "cannot open database '%s': %s", path,
                    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return MS_EDB;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    /* WAL lets readers run beside the writer; a private in-memory database
     * has no other reader and cannot use it. */
    int is_memory = strcmp(path, ":memory:") == 0 || *path == '\0';
    rc = is_memory ? 0 : run(db, "PRAGMA journal_mode = WAL", err);
    if (rc == 0)
        rc = run(db,
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA temp_store = MEMORY;"
                 /* After a checkpoint resets the log, cut it back to this
                  * size rather than keep a file grown under load. */
                 "PRAGMA journal_size_limit = 67108864",
                 err);
    /* Checkpointing on commit makes the unlucky committer copy the whole log
     * into the database while others wait; servers leave it to a
     * background thread instead (store_checkpointer_start()). */
    if (rc == 0 && !is_memory && (flags & STORE_BACKGROUND_CHECKPOINT))
        rc = run(db, "PRAGMA wal_autocheckpoint = 0", err);
    if (rc < 0) {
        sqlite3_close(db);
        return rc;
    }
    struct sqlite_store *ss = ms_xcalloc(1, sizeof(*ss));
    ss->base.ops = &sqlite_ops;
    ss->db = db;
    *out = &ss->base;
    return 0;
}

static void sqlite_close(struct store *st)
{
    struct sqlite_store *ss = (struct sqlite_store *)st;
    sqlite3_close(ss->db);
    free(ss);
}

static int sqlite_exec(struct store *st, const char *sql, struct ms_err *err)
{
    return run(db_of(st), sql, err);
}

static int sqlite_begin(struct store *st, struct ms_err *err)
{
    return run(db_of(st), "BEGIN IMMEDIATE", err);
}

/*
 * SQLite refuses to commit while a writing statement is still between steps
 * ("SQL statements in progress", reported as SQLITE_BUSY, which store_tx()
 * would retry in vain); PostgreSQL has no such rule. Such a statement (an
 * INSERT ... RETURNING whose rows were not all read) has made its changes
 * already, and a reset keeps them: finish it, and mark it done so a later
 * step cannot run it again. Reading statements do not block a commit.
 */
static void finish_writers(struct store *st)
{
    for (size_t i = 0; i < st->cache_buckets; i++) {
        for (struct store_stmt *s = st->cache[i]; s; s = s->next) {
            struct sqlite_stmt *ls = stmt_of(s);
            if (s->state != STORE__ROW || sqlite3_stmt_readonly(ls->stmt))
                continue;
            sqlite3_reset(ls->stmt);
            ls->changes = sqlite3_changes64(db_of(st));
            s->state = STORE__DONE;
        }
    }
}

static int sqlite_commit(struct store *st, struct ms_err *err)
{
    finish_writers(st);
    return run(db_of(st), "COMMIT", err);
}

static void sqlite_rollback(struct store *st)
{
    sqlite3 *db = db_of(st);
    /* Some errors (a full disk, an I/O error) have rolled back already. */
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* Non-zero interrupts the running statement (SQLITE_INTERRUPT). */
static int past_deadline(void *ctx)
{
    const struct timespec *deadline = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static int sqlite_readonly_begin(struct store *st, int timeout_ms, struct ms_err *err)
{
    struct sqlite_store *ss = (struct sqlite_store *)st;
    clock_gettime(CLOCK_MONOTONIC, &ss->deadline);
    ss->deadline.tv_sec += timeout_ms / 1000;
    ss->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ss->deadline.tv_nsec >= 1000000000L) {
        ss->deadline.tv_sec++;
        ss->deadline.tv_nsec -= 1000000000L;
    }
    sqlite3_progress_handler(ss->db, 1000, past_deadline, &ss->deadline);
    int rc = run(ss->db, "BEGIN", err);
    return rc < 0 ? rc : run(ss->db, "PRAGMA query_only = 1", err);
}

static void sqlite_readonly_end(struct store *st)
{
    sqlite3 *db = db_of(st);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    sqlite_rollback(st);
    sqlite3_exec(db, "PRAGMA query_only = 0", NULL, NULL, NULL);
}

/* --- statements ------------------------------------------------------------------ */

/* Whether tail, what follows the first statement, holds another one: a
 * semicolon, blanks and comments do not count. */
static int has_more_statements(sqlite3 *db, const char *tail)
{
    sqlite3_stmt *next = NULL;
    if (!tail || !*tail)
        return 0;
    if (sqlite3_prepare_v2(db, tail, -1, &next, NULL) != SQLITE_OK)
        return 1;
    int is_more = next != NULL;
    sqlite3_finalize(next);
    return is_more;
}

static int sqlite_prepare(struct store *st, const char *sql, struct store_stmt **out,
                          struct ms_err *err)
{
    sqlite3 *db = db_of(st);
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK)
        return fail(db, sqlite3_extended_errcode(db), err);
    if (!stmt)
        return store__fail(err, MS_EDB, "no statement in \"%.80s\"", sql);
    if (has_more_statements(db, tail)) {
        sqlite3_finalize(stmt);
        return store__fail(err, MS_EDB, "more than one statement in \"%.80s\"", sql);
    }
    struct sqlite_stmt *ls = ms_xcalloc(1, sizeof(*ls));
    ls->stmt = stmt;
    *out = &ls->base;
    return 0;
}

static void sqlite_finalize(struct store_stmt *s)
{
    sqlite3_finalize(stmt_of(s)->stmt);
    free(s);
}

static int bind_result(int rc)
{
    return rc == SQLITE_OK ? 0 : -1;
}

static int sqlite_bind_int64(struct store_stmt *s, int idx, int64_t value)
{
    return bind_result(sqlite3_bind_int64(stmt_of(s)->stmt, idx, value));
}

static int sqlite_bind_text(struct store_stmt *s, int idx, const char *text, size_t len)
{
    return bind_result(
        sqlite3_bind_text64(stmt_of(s)->stmt, idx, text, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

/* sqlite3_bind_blob() binds NULL for an empty blob; an empty blob is not
 * NULL (nor is it in PostgreSQL), so bind a zero-length one. */
static int sqlite_bind_blob(struct store_stmt *s, int idx, const void *data, size_t len)
{
    sqlite3_stmt *stmt = stmt_of(s)->stmt;
    if (len == 0)
        return bind_result(sqlite3_bind_zeroblob(stmt, idx, 0));
    return bind_result(sqlite3_bind_blob64(stmt, idx, data, len, SQLITE_TRANSIENT));
}

static int sqlite_bind_null(struct store_stmt *s, int idx)
{
    return bind_result(sqlite3_bind_null(stmt_of(s)->stmt, idx));
}

static int sqlite_step(struct store_stmt *s, struct ms_err *err)
{
    struct sqlite_stmt *ls = stmt_of(s);
    int rc = sqlite3_step(ls->stmt);
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE) {
        /* sqlite3_changes64() keeps the count of the last writing statement,
         * so a SELECT would report someone else's rows. */
        ls->changes = sqlite3_stmt_readonly(ls->stmt) ? 0 : sqlite3_changes64(db_of(s->st));
        return STORE_DONE;
    }
    return fail(db_of(s->st), rc, err); /* extended: sqlite3_prepare_v3 statement */
}

static int sqlite_col_count(struct store_stmt *s)
{
    return sqlite3_column_count(stmt_of(s)->stmt);
}

static const char *sqlite_col_name(struct store_stmt *s, int col)
{
    return sqlite3_column_name(stmt_of(s)->stmt, col);
}

static int sqlite_col_is_null(struct store_stmt *s, int col)
{
    return sqlite3_column_type(stmt_of(s)->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_col_int64(struct store_stmt *s, int col)
{
    return sqlite3_column_int64(stmt_of(s)->stmt, col);
}

static const char *sqlite_col_text(struct store_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(stmt_of(s)->stmt, col);
}

static const void *sqlite_col_blob(struct store_stmt *s, int col, size_t *len)
{
    sqlite3_stmt *stmt = stmt_of(s)->stmt;
    const void *p = sqlite3_column_blob(stmt, col); /* before _bytes(), as SQLite asks */
    *len = (size_t)sqlite3_column_bytes(stmt, col);
    return p;
}

static int64_t sqlite_changes(struct store_stmt *s)
{
    return stmt_of(s)->changes;
}

static void sqlite_reset(struct store_stmt *s)
{
    struct sqlite_stmt *ls = stmt_of(s);
    sqlite3_reset(ls->stmt);
    sqlite3_clear_bindings(ls->stmt);
    ls->changes = 0;
}

static const struct store__ops sqlite_ops = {
    .name = "sqlite",
    .engine = STORE_SQLITE,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .readonly_begin = sqlite_readonly_begin,
    .readonly_end = sqlite_readonly_end,
    .prepare = sqlite_prepare,
    .finalize = sqlite_finalize,
    .bind_int64 = sqlite_bind_int64,
    .bind_text = sqlite_bind_text,
    .bind_blob = sqlite_bind_blob,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .col_count = sqlite_col_count,
    .col_name = sqlite_col_name,
    .col_is_null = sqlite_col_is_null,
    .col_int64 = sqlite_col_int64,
    .col_text = sqlite_col_text,
    .col_blob = sqlite_col_blob,
    .changes = sqlite_changes,
    .reset = sqlite_reset,
};
