/*
 * audit.c - appending to, verifying and querying the audit log, and the
 * group-commit writer for audited reads.
 *
 * The canonical form of an entry, hashed after the previous hash, is each
 * field as "<byte length>:<bytes>;" in a fixed order (seq first), so no two
 * different entries serialise alike whatever characters their fields hold.
 */
#include "modules/audit/audit.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "modules/audit/audit_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define HASH_BYTES 32
#define HASH_HEX (HASH_BYTES * 2)

/* An entry with its actor, fields copied or borrowed, as hashed and stored. */
struct full_entry {
    int64_t seq;
    char ts[MS_TS_LEN + 1];
    int64_t actor_user_id;
    const char *f[12]; /* actor, role, ip, request_id, action, object_type, object_id,
                          subject, purpose, result, detail, (unused) */
};

enum { F_ACTOR, F_ROLE, F_IP, F_REQ, F_ACTION, F_OTYPE, F_OID, F_SUBJECT, F_PURPOSE, F_RESULT,
       F_DETAIL, F_COUNT };

static const char *nz(const char *s)
{
    return s ? s : "";
}

static void fill(struct full_entry *fe, const struct ms_actor *a, const struct audit_entry *e)
{
    memset(fe, 0, sizeof(*fe));
    ms_clock_format(ms_clock_now_ms(), fe->ts);
    fe->actor_user_id = a->user_id;
    fe->f[F_ACTOR] = nz(a->username);
    fe->f[F_ROLE] = nz(a->role);
    fe->f[F_IP] = nz(a->ip);
    fe->f[F_REQ] = nz(a->request_id);
    fe->f[F_ACTION] = nz(e->action);
    fe->f[F_OTYPE] = nz(e->object_type);
    fe->f[F_OID] = nz(e->object_id);
    fe->f[F_SUBJECT] = nz(e->subject);
    fe->f[F_PURPOSE] = nz(e->purpose);
    fe->f[F_RESULT] = nz(e->result);
    fe->f[F_DETAIL] = nz(e->detail);
}

static void add_field(struct ms_str *s, const char *v)
{
    ms_str_addf(s, "%zu:", strlen(v));
    ms_str_adds(s, v);
    ms_str_addch(s, ';');
}

/* hash_hex = hex(BLAKE2b-256(prev || canonical(fe))). */
static int chain_hash(const char *prev_hex, const struct full_entry *fe, char *hash_hex)
{
    unsigned char prev[HASH_BYTES], out[HASH_BYTES];
    size_t bin_len;
    if (sodium_hex2bin(prev, sizeof(prev), prev_hex, strlen(prev_hex), NULL, &bin_len, NULL) != 0 ||
        bin_len != HASH_BYTES)
        return -1;
    struct ms_str c = MS_STR_INIT;
    ms_str_addf(&c, "%lld;", (long long)fe->seq);
    add_field(&c, fe->ts);
    ms_str_addf(&c, "%lld;", (long long)fe->actor_user_id);
    for (int i = 0; i < F_COUNT; i++)
        add_field(&c, fe->f[i]);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&st, prev, HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)c.buf, c.len);
    crypto_generichash_final(&st, out, HASH_BYTES);
    ms_str_release(&c);
    sodium_bin2hex(hash_hex, HASH_HEX + 1, out, HASH_BYTES);
    return 0;
}

/* Appends n entries inside the caller's transaction. */
static int append_batch(struct store *st, struct full_entry *const *fes, size_t n,
                        struct ms_err *err)
{
    struct store_stmt *s;
    char prev[HASH_HEX + 1], hash[HASH_HEX + 1];
    int rc;

    if (store_prepare(st, audit_sql_head_advance, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, (int64_t)n);
    rc = store_step(s, err);
    if (rc != STORE_ROW) {
        store_reset(s);
        return rc < 0 ? rc : ms_err_set(err, MS_EINTEGRITY, "audit_head row is missing");
    }
    int64_t last = store_col_int64(s, 0);
    snprintf(prev, sizeof(prev), "%s", nz(store_col_text(s, 1)));
    store_reset(s);

    if (store_prepare(st, audit_sql_insert, &s, err) < 0)
        return err->code;
    for (size_t i = 0; i < n; i++) {
        struct full_entry *fe = fes[i];
        fe->seq = last - (int64_t)n + 1 + (int64_t)i;
        if (chain_hash(prev, fe, hash) < 0) {
            store_reset(s);
            return ms_err_set(err, MS_EINTEGRITY, "audit head hash is not 64 hex digits");
        }
        store_bind_int64(s, 1, fe->seq);
        store_bind_text(s, 2, fe->ts);
        store_bind_int64(s, 3, fe->actor_user_id);
        for (int f = 0; f < F_COUNT; f++)
            store_bind_text(s, 4 + f, fe->f[f]);
        store_bind_text(s, 15, prev);
        store_bind_text(s, 16, hash);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
        memcpy(prev, hash, sizeof(prev));
    }

    if (store_prepare(st, audit_sql_head_set_hash, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, prev);
    rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int audit_append(struct store *st, const struct ms_actor *actor, const struct audit_entry *e,
                 struct ms_err *err)
{
    struct full_entry fe;
    struct full_entry *one = &fe;
    if (!store_in_tx(st))
        MS_BUG("audit_append outside a transaction");
    fill(&fe, actor, e);
    return append_batch(st, &one, 1, err);
}

struct record_ctx {
    const struct ms_actor *actor;
    const struct audit_entry *e;
};

static int record_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct record_ctx *rc = ctx;
    return audit_append(st, rc->actor, rc->e, err);
}

int audit_record(struct store *st, const struct ms_actor *actor, const struct audit_entry *e,
                 struct ms_err *err)
{
    struct record_ctx ctx = {actor, e};
    return store_tx(st, record_tx, &ctx, err);
}

/* --- group commit ---------------------------------------------------------
 *
 * Readers queue an entry; the writer takes everything queued, appends it in
 * one transaction and calls each entry's completion with the result. Under
 * load, dozens of reads share one commit; alone, a read waits one commit.
 * HTTP requests do not block a worker thread meanwhile: they are suspended
 * and resumed from the completion (audit_http_reply_when_recorded()).
 */

#define WRITER_BATCH_MAX 512

struct pending {
    struct full_entry fe;
    char *copy;          /* one allocation holding the copied strings */
    audit_done_fn *done; /* called once the batch is committed (or failed) */
    void *ctx;
    struct pending *next;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    struct pending *head, *tail;
    pthread_t thread;
    struct store *st;
    int is_running;
    int is_stopping;
} writer = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, NULL, 0, 0};

struct batch_ctx {
    struct full_entry **fes;
    size_t n;
};

static int batch_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct batch_ctx *b = ctx;
    return append_batch(st, b->fes, b->n, err);
}

static void *writer_main(void *arg)
{
    struct full_entry *fes[WRITER_BATCH_MAX];
    struct pending *batch[WRITER_BATCH_MAX];
    (void)arg;
    pthread_setname_np(pthread_self(), "ms-audit");

    pthread_mutex_lock(&writer.lock);
    for (;;) {
        while (!writer.head && !writer.is_stopping)
            pthread_cond_wait(&writer.has_work, &writer.lock);
        if (!writer.head && writer.is_stopping)
            break;
        size_t n = 0;
        while (writer.head && n < WRITER_BATCH_MAX) {
            batch[n] = writer.head;
            fes[n] = &writer.head->fe;
            writer.head = writer.head->next;
            n++;
        }
        if (!writer.head)
            writer.tail = NULL;
        pthread_mutex_unlock(&writer.lock);

        struct ms_err err = MS_ERR_INIT;
        struct batch_ctx ctx = {fes, n};
        int rc = store_tx(writer.st, batch_tx, &ctx, &err);
        if (rc < 0)
            ms_log(MS_LOG_ERROR, "audit.writer", "{s:s,s:i}", "detail", err.message, "entries",
                   (int)n);

        /* Each waiter is told on its own (no broadcast waking everyone). */
        for (size_t i = 0; i < n; i++) {
            batch[i]->done(batch[i]->ctx, rc, &err);
            free(batch[i]->copy);
            free(batch[i]);
        }
        pthread_mutex_lock(&writer.lock);
    }
    pthread_mutex_unlock(&writer.lock);
    return NULL;
}

int audit_writer_start(const char *db_url, unsigned store_flags, struct ms_err *err)
{
    if (writer.is_running)
        return 0;
    if (store_open(db_url, store_flags, &writer.st, err) < 0)
        return err->code;
    writer.is_stopping = 0;
    if (pthread_create(&writer.thread, NULL, writer_main, NULL) != 0) {
        store_close(writer.st);
        writer.st = NULL;
        return ms_err_set(err, MS_EINTERNAL, "cannot start the audit writer thread");
    }
    writer.is_running = 1;
    return 0;
}

void audit_writer_stop(void)
{
    if (!writer.is_running)
        return;
    pthread_mutex_lock(&writer.lock);
    writer.is_stopping = 1;
    pthread_cond_signal(&writer.has_work);
    pthread_mutex_unlock(&writer.lock);
    pthread_join(writer.thread, NULL);
    store_close(writer.st);
    writer.st = NULL;
    writer.is_running = 0;
}

/* Copies the entry's strings into one allocation, so the writer can use them
 * after the caller has returned (asynchronous readers do). */
static void pending_fill(struct pending *p, const struct ms_actor *a, const struct audit_entry *e)
{
    fill(&p->fe, a, e);
    size_t total = 0;
    for (int i = 0; i < F_COUNT; i++)
        total += strlen(p->fe.f[i]) + 1;
    p->copy = ms_xmalloc(total);
    char *w = p->copy;
    for (int i = 0; i < F_COUNT; i++) {
        size_t len = strlen(p->fe.f[i]) + 1;
        memcpy(w, p->fe.f[i], len);
        p->fe.f[i] = w;
        w += len;
    }
}

void audit_record_read_async(struct store *st, const struct ms_actor *actor,
                             const struct audit_entry *e, audit_done_fn *done, void *ctx)
{
    struct pending *p = ms_xcalloc(1, sizeof(*p));
    pending_fill(p, actor, e); /* outside the lock: it allocates */
    p->done = done;
    p->ctx = ctx;

    pthread_mutex_lock(&writer.lock);
    if (!writer.is_running || writer.is_stopping) {
        pthread_mutex_unlock(&writer.lock);
        struct ms_err err = MS_ERR_INIT;
        int rc = audit_record(st, actor, e, &err);
        done(ctx, rc, &err);
        free(p->copy);
        free(p);
        return;
    }
    if (writer.tail)
        writer.tail->next = p;
    else
        writer.head = p;
    writer.tail = p;
    pthread_cond_signal(&writer.has_work);
    pthread_mutex_unlock(&writer.lock);
}

struct sync_wait {
    sem_t posted;
    int rc;
    struct ms_err err;
};

static void sync_done(void *ctx, int rc, const struct ms_err *err)
{
    struct sync_wait *w = ctx;
    w->rc = rc;
    w->err = *err;
    sem_post(&w->posted);
}

int audit_record_read(struct store *st, const struct ms_actor *actor,
                      const struct audit_entry *e, struct ms_err *err)
{
    struct sync_wait w;
    memset(&w, 0, sizeof(w));
    sem_init(&w.posted, 0, 0);
    audit_record_read_async(st, actor, e, sync_done, &w);
    while (sem_wait(&w.posted) != 0)
        ; /* EINTR: keep waiting; done is always called */
    sem_destroy(&w.posted);
    if (w.rc < 0) {
        if (err && !err->code)
            *err = w.err;
        return w.rc;
    }
    return 0;
}

/* --- verification ----------------------------------------------------------- */

static int bad(struct audit_verify_result *out, int64_t seq, struct ms_err *err, const char *why)
{
    out->first_bad = seq;
    snprintf(out->reason, sizeof(out->reason), "%s", why);
    return ms_err_set(err, MS_EINTEGRITY, "audit entry %lld: %s", (long long)seq, why);
}

int audit_verify(struct store *st, struct audit_verify_result *out, struct ms_err *err)
{
    struct store_stmt *s;
    char prev[HASH_HEX + 1], hash[HASH_HEX + 1];
    int rc;

    memset(out, 0, sizeof(*out));
    memset(prev, '0', HASH_HEX);
    prev[HASH_HEX] = '\0';
    if (store_prepare(st, audit_sql_walk, &s, err) < 0)
        return err->code;
    int64_t expect = 1;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct full_entry fe;
        memset(&fe, 0, sizeof(fe));
        fe.seq = store_col_int64(s, 0);
        snprintf(fe.ts, sizeof(fe.ts), "%s", nz(store_col_text(s, 1)));
        fe.actor_user_id = store_col_int64(s, 2);
        for (int f = 0; f < F_COUNT; f++)
            fe.f[f] = nz(store_col_text(s, 3 + f));
        const char *stored_prev = nz(store_col_text(s, 14));
        const char *stored_hash = nz(store_col_text(s, 15));
        int64_t seq = fe.seq;
        const char *why = NULL;
        if (seq != expect)
            why = seq > expect ? "entries before it are missing (deleted)"
                               : "sequence number out of order";
        else if (strcmp(stored_prev, prev) != 0)
            why = "previous-hash link broken (an entry before it was deleted or inserted)";
        else if (chain_hash(prev, &fe, hash) < 0 || strcmp(hash, stored_hash) != 0)
            why = "content does not match its hash (edited)";
        if (why) {
            store_reset(s);
            return bad(out, seq, err, why);
        }
        memcpy(prev, hash, sizeof(prev));
        out->entries++;
        expect++;
    }
    store_reset(s);
    if (rc < 0)
        return rc;

    if (store_prepare(st, audit_sql_head_get, &s, err) < 0)
        return err->code;
    rc = store_step(s, err);
    if (rc != STORE_ROW) {
        store_reset(s);
        return rc < 0 ? rc : bad(out, expect, err, "the chain head row is missing");
    }
    int64_t head_seq = store_col_int64(s, 0);
    int is_same_hash = strcmp(nz(store_col_text(s, 1)), prev) == 0;
    store_reset(s);
    if (head_seq != expect - 1)
        return bad(out, head_seq > expect - 1 ? expect : head_seq + 1, err,
                   head_seq > expect - 1 ? "entries at the end are missing (deleted)"
                                         : "entries after the recorded head (inserted)");
    if (!is_same_hash)
        return bad(out, head_seq, err, "last entry does not match the chain head");
    return 0;
}

/* --- query ------------------------------------------------------------------ */

static void bind_opt(struct store_stmt *s, int idx, const char *v)
{
    store_bind_text(s, idx, v);
    store_bind_text(s, idx + 1, v);
}

int audit_query(struct store *st, const struct audit_filter *f, struct ms_arena *arena,
                struct audit_row **rows, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, audit_sql_query, &s, err) < 0)
        return err->code;
    bind_opt(s, 1, f->actor);
    bind_opt(s, 3, f->action);
    bind_opt(s, 5, f->object_type);
    bind_opt(s, 7, f->object_id);
    bind_opt(s, 9, f->from_ts);
    bind_opt(s, 11, f->to_ts);
    store_bind_int64(s, 13, f->before_seq > 0 ? f->before_seq : INT64_MAX);
    store_bind_int64(s, 14, f->limit);
    *rows = ms_arena_calloc(arena, (size_t)f->limit, sizeof(**rows));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW && *n < (size_t)f->limit) {
        struct audit_row *r = &(*rows)[(*n)++];
        r->seq = store_col_int64(s, 0);
        const char **cols[] = {&r->ts, &r->actor, &r->actor_role, &r->ip, &r->request_id,
                               &r->action, &r->object_type, &r->object_id, &r->subject,
                               &r->purpose, &r->result, &r->detail, &r->hash};
        for (int c = 0; c < 13; c++)
            *cols[c] = ms_arena_strdup(arena, nz(store_col_text(s, c + 1)));
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}
