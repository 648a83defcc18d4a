/*
 * postgres.c - the PostgreSQL engine, over libpq.
 *
 * Each cached statement becomes a server-side prepared statement, named
 * ms_1, ms_2, ... in the order the connection first sees them, with its `?`
 * placeholders rewritten to `$n` (store__pg_placeholders). Parameters go as
 * text, except blobs, which go as binary so zero bytes survive; results come
 * back as text and the column accessors convert (bytea from its \x hex form,
 * booleans to 1/0 as SQLite would give them).
 *
 * The first store_step() runs the statement and holds the whole result;
 * later steps walk its rows. That keeps the connection free between steps,
 * so a caller may run other statements while reading a result, as SQLite
 * allows; large scans page with WHERE key > ? ORDER BY key LIMIT n.
 *
 * A lost connection is reset once, on the next statement run outside a
 * transaction; the reset session has no prepared statements, so each
 * statement is prepared again the first time it runs after it (tracked by a
 * generation number, since callers may hold statements across the reset).
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "store/store_int.h"

#include "core/banned.h"

/* Type OIDs from the server's pg_type.h, stable across releases. */
#define PG_BOOLOID  16
#define PG_BYTEAOID 17

struct pg_store {
    struct store base;
    PGconn *conn;
    unsigned generation; /* bumped by each successful reset */
    unsigned last_name;  /* ms_<n> of the newest prepared statement */
};

struct pg_stmt {
    struct store_stmt base;
    char name[24]; /* "ms_<n>" */
    char *sql;     /* with $n placeholders */
    int nparams;
    unsigned generation; /* pg_store.generation when prepared on the server */
    char **values;       /* nparams owned copies; NULL binds SQL NULL */
    int *lengths;        /* used for binary (blob) parameters only */
    int *formats;        /* 0 text, 1 binary */
    PGresult *res;       /* after the first step */
    int row;             /* current row, -1 before the first */
    int64_t changes;
    unsigned char **blobs; /* per column: this row's decoded bytea, or NULL */
    size_t *blob_lens;
};

static struct pg_store *store_of(struct store *st)
{
    return (struct pg_store *)st;
}

static struct pg_stmt *stmt_of(struct store_stmt *s)
{
    return (struct pg_stmt *)s;
}

/* --- errors ------------------------------------------------------------------- */

static int map_sqlstate(const char *state)
{
    if (!state)
        return MS_EDB;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return MS_EBUSY; /* serialization failure, deadlock, lock not available */
    if (strcmp(state, "23505") == 0)
        return MS_EEXISTS;
    if (strncmp(state, "23", 2) == 0)
        return MS_ECONFLICT;
    return MS_EDB;
}

/* libpq's messages end in newlines and may span lines: make them one line,
 * each run of blanks one space. */
static void one_line(char *msg)
{
    char *out = msg;
    for (const char *p = msg; *p; p++) {
        int is_blank = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';
        if (!is_blank)
            *out++ = *p;
        else if (out > msg && out[-1] != ' ')
            *out++ = ' ';
    }
    if (out > msg && out[-1] == ' ')
        out--;
    *out = '\0';
}

/*
 * The password must not reach err or the log. libpq does not quote it back
 * today, but a message that echoes a connection parameter would (a password
 * that happens to equal the host name, say), so mask it wherever it appears.
 */
static void mask_password(char *msg, const char *pw)
{
    size_t pw_len = pw ? strlen(pw) : 0;
    if (pw_len == 0)
        return;
    for (char *p = msg; (p = memmem(p, strlen(p), pw, pw_len)) != NULL; p += pw_len)
        memset(p, '*', pw_len);
}

/* Masked before it is cut to fit err, so no part of a password survives. */
static int conn_fail(PGconn *conn, const char *what, struct ms_err *err)
{
    char *msg = ms_xstrdup(conn ? PQerrorMessage(conn) : "out of memory");
    if (conn)
        mask_password(msg, PQpass(conn));
    one_line(msg);
    int rc = store__fail(err, MS_EDB, "%s: %s", what, msg);
    free(msg);
    return rc;
}

/* Only the primary message: the detail may quote row values (the key that
 * already exists), which must not travel in errors and logs. */
static int result_fail(PGconn *conn, PGresult *res, struct ms_err *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!primary)
        return conn_fail(conn, "postgres", err);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return store__fail(err, map_sqlstate(state), "%s", primary);
}

/* Runs sql that returns nothing we keep. */
static int run(PGconn *conn, const char *sql, struct ms_err *err)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType status = PQresultStatus(res);
    int rc = 0;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
        rc = result_fail(conn, res, err);
    PQclear(res);
    return rc;
}

/* --- connection ---------------------------------------------------------------- */

/* Notices (CREATE TABLE IF NOT EXISTS skipping, ROLLBACK with no
 * transaction) would otherwise go to stderr as bare text. */
static void on_notice(void *arg, const char *message)
{
    (void)arg;
    char msg[256];
    (void)snprintf(msg, sizeof(msg), "%s", message);
    one_line(msg);
    ms_log(MS_LOG_DEBUG, "store.pg_notice", "{s:s}", "message", msg);
}

/* Session settings that the connection parameters cannot carry portably
 * (a pooler may drop `options`). Repeated after each reset. */
static int setup_session(PGconn *conn, struct ms_err *err)
{
    PQsetNoticeProcessor(conn, on_notice, NULL);
    return run(conn, "SET TimeZone TO 'UTC'", err);
}

static const struct store__ops pg_ops;

int store__pg_open(const char *url, struct store **out, struct ms_err *err)
{
    /* fallback_application_name lets a URL name its instance, as an
     * operator running several servers may want. */
    static const char *const keys[] = {"dbname", "client_encoding", "fallback_application_name",
                                       NULL};
    const char *const values[] = {url, "UTF8", "minsheng", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        int rc = conn_fail(conn, "cannot connect to postgres", err);
        PQfinish(conn);
        return rc;
    }
    int rc = setup_session(conn, err);
    if (rc < 0) {
        PQfinish(conn);
        return rc;
    }
    struct pg_store *ps = ms_xcalloc(1, sizeof(*ps));
    ps->base.ops = &pg_ops;
    ps->conn = conn;
    ps->generation = 1;
    *out = &ps->base;
    return 0;
}

/* Before each statement: reset a lost connection if that is safe. Inside a
 * transaction it is not (the transaction is gone with the connection), so
 * the caller gets the error and rolls back; the next statement resets. */
static int ensure_connection(struct pg_store *ps, struct ms_err *err)
{
    if (PQstatus(ps->conn) == CONNECTION_OK)
        return 0;
    if (ps->base.is_in_tx)
        return store__fail(err, MS_EDB, "connection to postgres lost inside a transaction");
    ms_log(MS_LOG_WARN, "store.pg_reconnect", NULL);
    PQreset(ps->conn);
    if (PQstatus(ps->conn) != CONNECTION_OK)
        return conn_fail(ps->conn, "connection to postgres lost", err);
    ps->generation++;
    return setup_session(ps->conn, err);
}

static void pg_close(struct store *st)
{
    struct pg_store *ps = store_of(st);
    PQfinish(ps->conn);
    free(ps);
}

static int pg_exec(struct store *st, const char *sql, struct ms_err *err)
{
    struct pg_store *ps = store_of(st);
    int rc = ensure_connection(ps, err);
    return rc < 0 ? rc : run(ps->conn, sql, err);
}

static int pg_begin(struct store *st, struct ms_err *err)
{
    struct pg_store *ps = store_of(st);
    int rc = ensure_connection(ps, err);
    return rc < 0 ? rc : run(ps->conn, "BEGIN ISOLATION LEVEL READ COMMITTED", err);
}

/* COMMIT of a transaction an error has aborted succeeds as a ROLLBACK: that
 * must not pass for a commit (fn swallowed an error and returned 0). */
static int pg_commit(struct store *st, struct ms_err *err)
{
    PGconn *conn = store_of(st)->conn;
    PGresult *res = PQexec(conn, "COMMIT");
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(conn, res, err);
    else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
        rc = store__fail(err, MS_EDB, "transaction was aborted by an earlier error; rolled back");
    PQclear(res);
    return rc;
}

static void pg_rollback(struct store *st)
{
    PGconn *conn = store_of(st)->conn;
    if (PQstatus(conn) == CONNECTION_OK)
        PQclear(PQexec(conn, "ROLLBACK"));
}

/* SET LOCAL ends with the transaction: the time limit goes with the rollback. */
static int pg_readonly_begin(struct store *st, int timeout_ms, struct ms_err *err)
{
    struct pg_store *ps = store_of(st);
    char sql[64];
    int rc = ensure_connection(ps, err);
    if (rc == 0)
        rc = run(ps->conn, "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY", err);
    snprintf(sql, sizeof(sql), "SET LOCAL statement_timeout = %d", timeout_ms);
    return rc < 0 ? rc : run(ps->conn, sql, err);
}

/* --- statements ------------------------------------------------------------------ */

static int server_prepare(struct pg_store *ps, struct pg_stmt *ls, struct ms_err *err)
{
    PGresult *res = PQprepare(ps->conn, ls->name, ls->sql, ls->nparams, NULL);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(ps->conn, res, err);
    else
        ls->generation = ps->generation;
    PQclear(res);
    return rc;
}

static void free_blobs(struct pg_stmt *ls)
{
    if (!ls->blobs || !ls->res)
        return;
    int n = PQnfields(ls->res);
    for (int i = 0; i < n; i++) {
        PQfreemem(ls->blobs[i]);
        ls->blobs[i] = NULL;
    }
}

static void pg_reset(struct store_stmt *s)
{
    struct pg_stmt *ls = stmt_of(s);
    free_blobs(ls);
    free(ls->blobs);
    free(ls->blob_lens);
    ls->blobs = NULL;
    ls->blob_lens = NULL;
    PQclear(ls->res);
    ls->res = NULL;
    ls->row = -1;
    ls->changes = 0;
    for (int i = 0; i < ls->nparams; i++) {
        free(ls->values[i]);
        ls->values[i] = NULL;
        ls->lengths[i] = 0;
        ls->formats[i] = 0;
    }
}

static void pg_finalize(struct store_stmt *s)
{
    struct pg_stmt *ls = stmt_of(s);
    pg_reset(s);
    free(ls->values);
    free(ls->lengths);
    free(ls->formats);
    free(ls->sql);
    free(ls);
}

static int pg_prepare(struct store *st, const char *sql, struct store_stmt **out,
                      struct ms_err *err)
{
    struct pg_store *ps = store_of(st);
    int rc = ensure_connection(ps, err);
    if (rc < 0)
        return rc;
    struct pg_stmt *ls = ms_xcalloc(1, sizeof(*ls));
    ls->sql = store__pg_placeholders(sql, &ls->nparams);
    (void)snprintf(ls->name, sizeof(ls->name), "ms_%u", ++ps->last_name);
    size_t n = (size_t)ls->nparams;
    ls->values = ms_xcalloc(n, sizeof(*ls->values));
    ls->lengths = ms_xcalloc(n, sizeof(*ls->lengths));
    ls->formats = ms_xcalloc(n, sizeof(*ls->formats));
    ls->row = -1;
    rc = server_prepare(ps, ls, err);
    if (rc < 0) {
        pg_finalize(&ls->base);
        return rc;
    }
    *out = &ls->base;
    return 0;
}

/* Stores an owned copy of len bytes (plus a NUL) as parameter idx. */
static int set_param(struct store_stmt *s, int idx, const void *data, size_t len, int format)
{
    struct pg_stmt *ls = stmt_of(s);
    if (idx > ls->nparams)
        return -1;
    int i = idx - 1;
    free(ls->values[i]);
    ls->values[i] = NULL;
    ls->lengths[i] = 0;
    ls->formats[i] = 0;
    if (!data)
        return 0;
    if (len > INT32_MAX)
        return -1;
    char *copy = ms_xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    ls->values[i] = copy;
    ls->lengths[i] = (int)len;
    ls->formats[i] = format;
    return 0;
}

static int pg_bind_int64(struct store_stmt *s, int idx, int64_t value)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%" PRId64, value);
    return set_param(s, idx, buf, (size_t)n, 0);
}

static int pg_bind_text(struct store_stmt *s, int idx, const char *text, size_t len)
{
    return set_param(s, idx, text, len, 0);
}

static int pg_bind_blob(struct store_stmt *s, int idx, const void *data, size_t len)
{
    return set_param(s, idx, data, len, 1);
}

static int pg_bind_null(struct store_stmt *s, int idx)
{
    return set_param(s, idx, NULL, 0, 0);
}

/* Rows changed, as SQLite counts them: a SELECT changes none, though
 * PQcmdTuples() reports how many it returned. */
static int64_t changed_rows(PGresult *res)
{
    if (strncmp(PQcmdStatus(res), "SELECT", 6) == 0)
        return 0;
    return strtoll(PQcmdTuples(res), NULL, 10);
}

static int execute(struct pg_store *ps, struct pg_stmt *ls, struct ms_err *err)
{
    int rc = ensure_connection(ps, err);
    if (rc == 0 && ls->generation != ps->generation)
        rc = server_prepare(ps, ls, err);
    if (rc < 0)
        return rc;
    PGresult *res = PQexecPrepared(ps->conn, ls->name, ls->nparams, (const char *const *)ls->values,
                                   ls->lengths, ls->formats, 0);
    ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        rc = result_fail(ps->conn, res, err);
        PQclear(res);
        return rc;
    }
    ls->res = res;
    ls->row = -1;
    ls->changes = changed_rows(res);
    return 0;
}

static int pg_step(struct store_stmt *s, struct ms_err *err)
{
    struct pg_stmt *ls = stmt_of(s);
    if (!ls->res) {
        int rc = execute(store_of(s->st), ls, err);
        if (rc < 0)
            return rc;
    }
    free_blobs(ls);
    if (ls->row + 1 >= PQntuples(ls->res))
        return STORE_DONE;
    ls->row++;
    return STORE_ROW;
}

static int pg_col_count(struct store_stmt *s)
{
    struct pg_stmt *ls = stmt_of(s);
    return ls->res ? PQnfields(ls->res) : 0;
}

static const char *pg_col_name(struct store_stmt *s, int col)
{
    return PQfname(stmt_of(s)->res, col);
}

static int pg_col_is_null(struct store_stmt *s, int col)
{
    struct pg_stmt *ls = stmt_of(s);
    return PQgetisnull(ls->res, ls->row, col);
}

static int64_t pg_col_int64(struct store_stmt *s, int col)
{
    struct pg_stmt *ls = stmt_of(s);
    if (PQgetisnull(ls->res, ls->row, col))
        return 0;
    const char *v = PQgetvalue(ls->res, ls->row, col);
    if (PQftype(ls->res, col) == PG_BOOLOID)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct store_stmt *s, int col)
{
    struct pg_stmt *ls = stmt_of(s);
    if (PQgetisnull(ls->res, ls->row, col))
        return NULL;
    return PQgetvalue(ls->res, ls->row, col);
}

static const void *pg_col_blob(struct store_stmt *s, int col, size_t *len)
{
    struct pg_stmt *ls = stmt_of(s);
    *len = 0;
    if (PQgetisnull(ls->res, ls->row, col))
        return NULL;
    const char *v = PQgetvalue(ls->res, ls->row, col);
    if (PQftype(ls->res, col) != PG_BYTEAOID) {
        *len = (size_t)PQgetlength(ls->res, ls->row, col);
        return v;
    }
    if (!ls->blobs) {
        size_t n = (size_t)PQnfields(ls->res);
        ls->blobs = ms_xcalloc(n, sizeof(*ls->blobs));
        ls->blob_lens = ms_xcalloc(n, sizeof(*ls->blob_lens));
    }
    if (!ls->blobs[col]) {
        ls->blobs[col] = PQunescapeBytea((const unsigned char *)v, &ls->blob_lens[col]);
        if (!ls->blobs[col])
            ms_die("out of memory");
    }
    *len = ls->blob_lens[col];
    return ls->blobs[col];
}

static int64_t pg_changes(struct store_stmt *s)
{
    return stmt_of(s)->changes;
}

static const struct store__ops pg_ops = {
    .name = "postgres",
    .engine = STORE_POSTGRES,
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .readonly_begin = pg_readonly_begin,
    .readonly_end = pg_rollback,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_is_null = pg_col_is_null,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
    .reset = pg_reset,
};
