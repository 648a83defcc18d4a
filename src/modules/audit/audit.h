/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Every change of data and every read of personal data is recorded: who
 * (struct ms_actor), what (action, object), whom it concerns (subject), why
 * (purpose) and how it ended (result). Entry n stores
 *     hash_n = BLAKE2b-256(hash_{n-1} || canonical(entry_n))
 * so editing, deleting or inserting a row breaks the chain, which
 * audit_verify() detects. The chain's head (last seq and hash) is one row,
 * locked by each append; appends are therefore serialised, which is why
 * reads go through the group-committing writer (audit_record_read()).
 *
 * Strings in an entry are borrowed for the call. None may hold secrets.
 */
#ifndef MS_AUDIT_H
#define MS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct ms_module;

struct audit_entry {
    const char *action;      /* "user.add", "session.login", "user.read" */
    const char *object_type; /* "user", "policy", "resident" */
    const char *object_id;   /* the object's key, never an ID number */
    const char *subject;     /* the person concerned (internal id or code), or NULL */
    const char *purpose;     /* the stated reason, or NULL */
    const char *result;      /* "ok", "denied", "failed" */
    const char *detail;      /* short, non-secret detail, or NULL */
};

/* Appends one entry inside the caller's open transaction, so the entry and
 * the change it records commit or vanish together. */
int audit_append(struct store *st, const struct ms_actor *actor, const struct audit_entry *e,
                 struct ms_err *err);

/* Appends one entry in a transaction of its own (e.g. a refused login). */
int audit_record(struct store *st, const struct ms_actor *actor, const struct audit_entry *e,
                 struct ms_err *err);

/*
 * Records a read of personal data and returns once it is committed. With the
 * writer started, entries from all threads are committed together in one
 * transaction (group commit); otherwise this is audit_record(). An error
 * means the entry was not stored: the caller must not return the data.
 */
int audit_record_read(struct store *st, const struct ms_actor *actor,
                      const struct audit_entry *e, struct ms_err *err);

/* Called once an entry queued by audit_record_read_async() is committed
 * (rc 0) or has failed (rc < 0, err says why); from the writer thread. */
typedef void audit_done_fn(void *ctx, int rc, const struct ms_err *err);

/* Queues a read entry for the group-commit writer and returns at once;
 * done(ctx, ...) follows. Without a running writer, the entry is recorded in
 * this thread and done is called before this returns. */
void audit_record_read_async(struct store *st, const struct ms_actor *actor,
                             const struct audit_entry *e, audit_done_fn *done, void *ctx);

/* Starts / stops the group-commit writer (its own connection to db_url,
 * opened with store_flags). */
int audit_writer_start(const char *db_url, unsigned store_flags, struct ms_err *err);
void audit_writer_stop(void);

struct audit_verify_result {
    int64_t entries;     /* entries checked */
    int64_t first_bad;   /* seq of the first bad entry, 0 if intact */
    char reason[256];    /* why it is bad */
};

/* Walks the whole chain. Returns 0 with out->first_bad == 0 when intact, or
 * MS_EINTEGRITY with out filled; other errors are database errors. */
int audit_verify(struct store *st, struct audit_verify_result *out, struct ms_err *err);

struct audit_filter {
    const char *actor;       /* exact, or NULL */
    const char *action;      /* exact, or NULL */
    const char *object_type; /* exact, or NULL */
    const char *object_id;   /* exact, or NULL */
    const char *from_ts;     /* inclusive ISO timestamp, or NULL */
    const char *to_ts;       /* exclusive, or NULL */
    int64_t before_seq;      /* page backwards from here; 0: from the newest */
    int limit;               /* 1..500 */
};

struct audit_row {
    int64_t seq;
    const char *ts, *actor, *actor_role, *ip, *request_id, *action, *object_type, *object_id,
        *subject, *purpose, *result, *detail, *hash;
};

/* Newest first. Rows live in arena. Filters by actor or object use their
 * indexes; a filter by time alone walks the log from the newest entry back
 * (there is no time index: it would cost every audited read), which is quick
 * for recent windows and a scan for old ones. */
int audit_query(struct store *st, const struct audit_filter *f, struct ms_arena *arena,
                struct audit_row **rows, size_t *n, struct ms_err *err);

/*
 * 登录日志: the session events of the log (session.login, session.logout,
 * session.revoke), one person's or everyone's, newest first, a page at a
 * time with the total. event is "login", "logout" or "revoke"; result is
 * "ok", "failed" (any refusal) or "locked" (the failure that locked the
 * account, and attempts refused while it was locked); anything else is
 * MS_EFIELD naming the field. Rows live in arena.
 */
struct audit_login_filter {
    const char *user;    /* whose events, exact, or NULL */
    const char *event;   /* NULL or "login", "logout", "revoke" */
    const char *result;  /* NULL or "ok", "failed", "locked" */
    const char *from_ts; /* inclusive ISO timestamp, or NULL */
    const char *to_ts;   /* exclusive, or NULL */
    int page;            /* from 1 */
    int page_size;       /* 1..100 */
};

struct audit_login_row {
    int64_t seq;
    const char *ts;
    const char *event;      /* "login", "logout", "revoke" */
    const char *username;   /* whose session */
    const char *result;     /* "ok", "failed", "denied" */
    const char *reason;     /* "", "unknown_user", "bad_password", "locked", "disabled" */
    int is_lockout;         /* this failure locked the account */
    const char *ip;
    const char *actor;      /* who did it: the user, or the revoking administrator */
    const char *session_id; /* logout and revoke; "" for a login */
    const char *request_id;
};

int audit_login_query(struct store *st, const struct audit_login_filter *f,
                      struct ms_arena *arena, struct audit_login_row **rows, size_t *n,
                      int64_t *total, struct ms_err *err);

extern const struct ms_module audit_module;

#endif
