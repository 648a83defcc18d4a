/*
 * store.c - the engine-neutral half of the store API.
 *
 * Every public store_* call lands here and is passed on to the engine's
 * `struct store__ops` (sqlite.c, postgres.c). What both engines must do the
 * same way lives here instead: the per-connection statement cache keyed by
 * SQL text, the statement state machine (so stepping after the end or after
 * a failure behaves alike), the transaction flag, store_tx()'s retry loop
 * with randomised backoff, the process-wide counters and the `?` to `$n`
 * rewrite that PostgreSQL needs.
 */
#include "store/store.h"

#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "store/store_int.h"

#include "core/banned.h"

#define TX_MAX_ATTEMPTS 10
#define TX_MAX_SLEEP_MS 200

static _Atomic uint64_t stat_errors;
static _Atomic uint64_t stat_busy;
static _Atomic uint64_t stat_retries;

/* --- shared helpers ---------------------------------------------------------- */

uint64_t store__fnv1a64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

int store__fail(struct ms_err *err, int code, const char *fmt, ...)
{
    if (code == MS_EBUSY)
        atomic_fetch_add_explicit(&stat_busy, 1, memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&stat_errors, 1, memory_order_relaxed);
    if (err && !err->code) {
        char msg[MS_ERR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        (void)vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        ms_err_set(err, code, "%s", msg);
    }
    return code;
}

void store_stats_get(struct store_stats *out)
{
    out->errors = atomic_load_explicit(&stat_errors, memory_order_relaxed);
    out->busy = atomic_load_explicit(&stat_busy, memory_order_relaxed);
    out->retries = atomic_load_explicit(&stat_retries, memory_order_relaxed);
}

/* --- `?` to `$n` ------------------------------------------------------------- */

static int is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || (unsigned char)c >= 0x80;
}

/* Returns the end of the quoted run that starts at p (on the opening quote).
 * A doubled quote stands for itself; with is_escaped (E'...'), so does a
 * backslash followed by any character. */
static const char *skip_quoted(const char *p, char quote, int is_escaped)
{
    for (p++; *p; p++) {
        if (is_escaped && *p == '\\' && p[1]) {
            p++;
        } else if (*p == quote) {
            if (p[1] != quote)
                return p + 1;
            p++;
        }
    }
    return p;
}

/* PostgreSQL block comments nest. */
static const char *skip_block_comment(const char *p)
{
    int depth = 0;
    while (*p) {
        if (p[0] == '/' && p[1] == '*') {
            depth++;
            p += 2;
        } else if (p[0] == '*' && p[1] == '/') {
            p += 2;
            if (--depth == 0)
                return p;
        } else {
            p++;
        }
    }
    return p;
}

/* At a `$`: if it opens a dollar-quoted string ($$ or $tag$), returns its
 * end; otherwise NULL (a `$1` parameter or a `$` inside an identifier). */
static const char *skip_dollar_quoted(const char *start, const char *p)
{
    if (p > start && is_ident_char(p[-1]))
        return NULL;
    const char *q = p + 1;
    if (*q >= '0' && *q <= '9')
        return NULL;
    while (*q && *q != '$' && is_ident_char(*q))
        q++;
    if (*q != '$')
        return NULL;
    size_t tag_len = (size_t)(q - p) + 1;
    const char *end = q + 1;
    for (; *end; end++)
        if (*end == '$' && strncmp(end, p, tag_len) == 0)
            return end + tag_len;
    return end;
}

char *store__pg_placeholders(const char *sql, int *nparams)
{
    struct ms_str out = MS_STR_INIT;
    const char *p = sql;
    int n = 0;
    while (*p) {
        const char *run_end = NULL;
        if (*p == '\'') {
            int is_escaped =
                p > sql && (p[-1] == 'E' || p[-1] == 'e') && !(p - 1 > sql && is_ident_char(p[-2]));
            run_end = skip_quoted(p, '\'', is_escaped);
        } else if (*p == '"') {
            run_end = skip_quoted(p, '"', 0);
        } else if (p[0] == '-' && p[1] == '-') {
            run_end = p + strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            run_end = skip_block_comment(p);
        } else if (*p == '$') {
            run_end = skip_dollar_quoted(sql, p);
        } else if (*p == '?') {
            ms_str_addf(&out, "$%d", ++n);
            p++;
            continue;
        }
        if (run_end) {
            ms_str_add(&out, p, (size_t)(run_end - p));
            p = run_end;
        } else {
            ms_str_addch(&out, *p++);
        }
    }
    *nparams = n;
    return ms_str_detach(&out, NULL);
}

/* --- connections ------------------------------------------------------------ */

int store_url_is_postgres(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

int store_open(const char *url, unsigned flags, struct store **out, struct ms_err *err)
{
    *out = NULL;
    if (!url || !*url)
        return ms_err_set(err, MS_EINVAL, "no database given");
    if (store_url_is_postgres(url))
        return store__pg_open(url, out, err);
    return store__sqlite_open(url, flags, out, err);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->cache_buckets; i++) {
        struct store_stmt *s = st->cache[i];
        while (s) {
            struct store_stmt *next = s->next;
            char *sql = s->sql;
            st->ops->finalize(s);
            free(sql);
            s = next;
        }
    }
    free(st->cache);
    st->ops->close(st);
}

enum store_engine store_engine(const struct store *st)
{
    return st->ops->engine;
}

const char *store_engine_name(const struct store *st)
{
    return st->ops->name;
}

int store_size_bytes(struct store *st, int64_t *bytes, struct ms_err *err)
{
    /* Engine-specific on purpose: neither engine has the other's form. */
    const char *sql = st->ops->engine == STORE_POSTGRES
                          ? "SELECT pg_database_size(current_database())"
                          : "SELECT page_count * page_size FROM pragma_page_count(),"
                            " pragma_page_size()";
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    int rc = store_step(s, err);
    *bytes = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int store_refresh_stats(struct store *st, struct ms_err *err)
{
    /* PostgreSQL's autovacuum keeps its statistics; SQLite has none until
     * asked, and without them it takes an equality on any index for a few
     * rows (residents.status = 'alive' looks as narrow as a list of ids). A
     * sampled ANALYZE reads about a thousand rows per index. */
    if (st->ops->engine == STORE_POSTGRES)
        return 0;
    return store_exec(st, "PRAGMA analysis_limit = 1000", err) < 0 ? err->code
                                                                    : store_exec(st, "ANALYZE", err);
}

int store_exec(struct store *st, const char *sql, struct ms_err *err)
{
    return st->ops->exec(st, sql, err);
}

/* --- the statement cache ------------------------------------------------------ */

static struct store_stmt *cache_find(struct store *st, const char *sql, uint64_t hash)
{
    if (!st->cache_buckets)
        return NULL;
    struct store_stmt *s = st->cache[hash & (st->cache_buckets - 1)];
    for (; s; s = s->next)
        if (s->hash == hash && strcmp(s->sql, sql) == 0)
            return s;
    return NULL;
}

static void cache_grow(struct store *st)
{
    size_t buckets = st->cache_buckets ? st->cache_buckets * 2 : 32;
    struct store_stmt **cache = ms_xcalloc(buckets, sizeof(struct store_stmt *));
    for (size_t i = 0; i < st->cache_buckets; i++) {
        struct store_stmt *s = st->cache[i];
        while (s) {
            struct store_stmt *next = s->next;
            size_t b = s->hash & (buckets - 1);
            s->next = cache[b];
            cache[b] = s;
            s = next;
        }
    }
    free(st->cache);
    st->cache = cache;
    st->cache_buckets = buckets;
}

/* The cache never evicts: statements are compile-time constants of the
 * program (SQL is never built from input), so their number is bounded. */
static void cache_add(struct store *st, struct store_stmt *s)
{
    if (st->cache_count + 1 > st->cache_buckets / 4 * 3)
        cache_grow(st);
    size_t b = s->hash & (st->cache_buckets - 1);
    s->next = st->cache[b];
    st->cache[b] = s;
    st->cache_count++;
}

int store_prepare(struct store *st, const char *sql, struct store_stmt **out, struct ms_err *err)
{
    size_t len = strlen(sql);
    uint64_t hash = store__fnv1a64(sql, len);
    struct store_stmt *s = cache_find(st, sql, hash);
    if (s) {
        store_reset(s);
        *out = s;
        return 0;
    }
    *out = NULL;
    int rc = st->ops->prepare(st, sql, &s, err);
    if (rc < 0)
        return rc;
    s->st = st;
    s->hash = hash;
    s->sql = ms_xstrdup(sql);
    s->state = STORE__READY;
    s->bad_bind_idx = 0;
    cache_add(st, s);
    *out = s;
    return 0;
}

/* --- bindings ------------------------------------------------------------------- */

/* A bad index is our bug, but the bind calls return nothing: remember the
 * first one and let store_step() fail with it. */
static void note_bind(struct store_stmt *s, int idx, int rc)
{
    if (rc < 0 && !s->bad_bind_idx)
        s->bad_bind_idx = idx;
}

void store_bind_int64(struct store_stmt *s, int idx, int64_t value)
{
    note_bind(s, idx, idx < 1 ? -1 : s->st->ops->bind_int64(s, idx, value));
}

void store_bind_text(struct store_stmt *s, int idx, const char *text)
{
    if (!text)
        store_bind_null(s, idx);
    else
        store_bind_textn(s, idx, text, strlen(text));
}

void store_bind_textn(struct store_stmt *s, int idx, const char *text, size_t len)
{
    if (!text)
        store_bind_null(s, idx);
    else
        note_bind(s, idx, idx < 1 ? -1 : s->st->ops->bind_text(s, idx, text, len));
}

void store_bind_blob(struct store_stmt *s, int idx, const void *data, size_t len)
{
    if (!data)
        len = 0;
    note_bind(s, idx, idx < 1 ? -1 : s->st->ops->bind_blob(s, idx, data ? data : "", len));
}

void store_bind_null(struct store_stmt *s, int idx)
{
    note_bind(s, idx, idx < 1 ? -1 : s->st->ops->bind_null(s, idx));
}

/* --- running and reading ------------------------------------------------------------ */

int store_step(struct store_stmt *s, struct ms_err *err)
{
    switch (s->state) {
    case STORE__DONE:
        return STORE_DONE;
    case STORE__FAILED:
        return store__fail(err, MS_EDB, "statement failed earlier and was not reset: %.80s",
                           s->sql);
    case STORE__READY:
        if (s->bad_bind_idx) {
            s->state = STORE__FAILED;
            return store__fail(err, MS_EDB, "bind index %d out of range: %.80s", s->bad_bind_idx,
                               s->sql);
        }
        break;
    case STORE__ROW:
        break;
    }
    int rc = s->st->ops->step(s, err);
    if (rc == STORE_ROW)
        s->state = STORE__ROW;
    else if (rc == STORE_DONE)
        s->state = STORE__DONE;
    else
        s->state = STORE__FAILED;
    return rc;
}

static int has_col(struct store_stmt *s, int col)
{
    return s->state == STORE__ROW && col >= 0 && col < s->st->ops->col_count(s);
}

int store_col_count(struct store_stmt *s)
{
    return s->st->ops->col_count(s);
}

const char *store_col_name(struct store_stmt *s, int col)
{
    if (col < 0 || col >= s->st->ops->col_count(s))
        return NULL;
    return s->st->ops->col_name(s, col);
}

int store_col_is_null(struct store_stmt *s, int col)
{
    return has_col(s, col) ? s->st->ops->col_is_null(s, col) : 1;
}

int64_t store_col_int64(struct store_stmt *s, int col)
{
    return has_col(s, col) ? s->st->ops->col_int64(s, col) : 0;
}

const char *store_col_text(struct store_stmt *s, int col)
{
    return has_col(s, col) ? s->st->ops->col_text(s, col) : NULL;
}

const char *store_col_dup(struct store_stmt *s, int col, struct ms_arena *arena)
{
    const char *t = store_col_text(s, col);
    return ms_arena_strdup(arena, t ? t : "");
}

/* Never NULL, so callers may memcmp/memcpy an empty blob without a check. */
const void *store_col_blob(struct store_stmt *s, int col, size_t *len)
{
    const void *p = has_col(s, col) ? s->st->ops->col_blob(s, col, len) : NULL;
    if (!p) {
        *len = 0;
        return "";
    }
    return p;
}

int64_t store_changes(struct store_stmt *s)
{
    return s->st->ops->changes(s);
}

void store_reset(struct store_stmt *s)
{
    s->st->ops->reset(s);
    s->state = STORE__READY;
    s->bad_bind_idx = 0;
}

/* --- transactions -------------------------------------------------------------- */

int store_begin(struct store *st, struct ms_err *err)
{
    assert(!st->is_in_tx && "store_begin inside a transaction");
    if (st->is_in_tx)
        return ms_err_set(err, MS_EINTERNAL, "store_begin inside a transaction");
    int rc = st->ops->begin(st, err);
    if (rc == 0)
        st->is_in_tx = 1;
    return rc;
}

/* A failed commit leaves the transaction open: the caller rolls back. */
int store_commit(struct store *st, struct ms_err *err)
{
    assert(st->is_in_tx && "store_commit outside a transaction");
    int rc = st->ops->commit(st, err);
    if (rc == 0)
        st->is_in_tx = 0;
    return rc;
}

void store_rollback(struct store *st)
{
    if (!st->is_in_tx)
        return;
    st->ops->rollback(st);
    st->is_in_tx = 0;
}

int store_in_tx(const struct store *st)
{
    return st->is_in_tx;
}

/* xorshift64*, one state per thread: the backoff only needs to keep two
 * retrying writers from waking in step, not to be unpredictable. */
static unsigned backoff_random(void)
{
    static _Thread_local uint64_t state;
    if (!state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)(uintptr_t)&state;
        state |= 1;
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (unsigned)((state * 0x2545f4914f6cdd1du) >> 33);
}

/* 1 to 2^attempt ms, at most TX_MAX_SLEEP_MS. */
static unsigned backoff_ms(int attempt)
{
    unsigned limit = attempt >= 8 ? TX_MAX_SLEEP_MS : 1u << attempt;
    if (limit > TX_MAX_SLEEP_MS)
        limit = TX_MAX_SLEEP_MS;
    return 1 + backoff_random() % limit;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ; /* interrupted by a signal: sleep the rest */
}

int store_tx_readonly(struct store *st, int timeout_ms, store_tx_fn *fn, void *ctx,
                      struct ms_err *err)
{
    assert(!st->is_in_tx && "store_tx_readonly inside a transaction");
    if (st->is_in_tx)
        return ms_err_set(err, MS_EINTERNAL, "store_tx_readonly inside a transaction");
    int rc = st->ops->readonly_begin(st, timeout_ms, err);
    if (rc == 0) {
        st->is_in_tx = 1;
        rc = fn(st, ctx, err);
    }
    st->ops->readonly_end(st);
    st->is_in_tx = 0;
    return rc;
}

int store_tx(struct store *st, store_tx_fn *fn, void *ctx, struct ms_err *err)
{
    for (int attempt = 1;; attempt++) {
        int rc = store_begin(st, err);
        if (rc == 0)
            rc = fn(st, ctx, err);
        if (rc == 0)
            rc = store_commit(st, err);
        if (rc == 0)
            return 0;
        store_rollback(st);
        if (rc != MS_EBUSY || attempt == TX_MAX_ATTEMPTS) {
            if (rc == MS_EBUSY)
                ms_log(MS_LOG_WARN, "store.tx_gave_up", "{s:i}", "attempts", attempt);
            return rc;
        }
        if (err)
            ms_err_init(err);
        atomic_fetch_add_explicit(&stat_retries, 1, memory_order_relaxed);
        unsigned wait_ms = backoff_ms(attempt);
        ms_log(MS_LOG_WARN, "store.retry", "{s:i,s:i}", "attempt", attempt, "sleep_ms",
               (int)wait_ms);
        sleep_ms(wait_ms);
    }
}
