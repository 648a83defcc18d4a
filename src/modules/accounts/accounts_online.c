/*
 * accounts_online.c - 在线用户: listing the live sessions and forcing one to
 * log out, for the security administrator.
 *
 * "Live" is decided in SQL with the same limits accounts_session_resolve()
 * applies (revoked, expired, idle, account disabled), so a session this list
 * shows is one that would still be accepted, and one it hides would not.
 * Revocation is the same column logout sets; resolve reads it on every
 * request, so the revoked session's next request is refused.
 */
#include "modules/accounts/accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "modules/accounts/accounts_int.h"
#include "modules/accounts/accounts_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "store/store.h"
#include "core/banned.h"

/* The idle cut-off: sessions last seen before it are dead. */
static int idle_cutoff(struct store *st, int64_t now_ms, int64_t *cutoff_ms, struct ms_err *err)
{
    int64_t idle_min;
    if (policy_get_int(st, "auth.session_idle_minutes", NULL, &idle_min, err) < 0)
        return err->code;
    *cutoff_ms = now_ms - idle_min * 60000;
    return 0;
}

static void bind_live(struct store_stmt *s, int64_t now_ms, int64_t cutoff_ms, const char *user)
{
    store_bind_int64(s, 1, now_ms);
    store_bind_int64(s, 2, cutoff_ms);
    store_bind_text(s, 3, user);
    store_bind_text(s, 4, user);
}

static const char *col(struct store_stmt *s, int c, struct ms_arena *arena)
{
    const char *v = store_col_text(s, c);
    return ms_arena_strdup(arena, v ? v : "");
}

static int count_live(struct store *st, int64_t now_ms, int64_t cutoff_ms, const char *user,
                      int64_t *total, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_sessions_count, &s, err) < 0)
        return err->code;
    bind_live(s, now_ms, cutoff_ms, user);
    int rc = store_step(s, err);
    *total = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int accounts_session_list(struct store *st, const struct accounts_session_query *q,
                          struct ms_arena *arena, struct accounts_session_info **rows, size_t *n,
                          int64_t *total, struct ms_err *err)
{
    struct store_stmt *s;
    int64_t now = ms_clock_now_ms(), cutoff = 0;
    int rc;
    *n = 0;
    *rows = ms_arena_calloc(arena, (size_t)q->page_size, sizeof(**rows));
    if (idle_cutoff(st, now, &cutoff, err) < 0 ||
        count_live(st, now, cutoff, q->username, total, err) < 0)
        return err->code;
    if (store_prepare(st, accounts_sql_sessions_list, &s, err) < 0)
        return err->code;
    bind_live(s, now, cutoff, q->username);
    store_bind_int64(s, 5, q->page_size);
    store_bind_int64(s, 6, (int64_t)(q->page - 1) * q->page_size);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < (size_t)q->page_size) {
        struct accounts_session_info *r = &(*rows)[(*n)++];
        r->id = store_col_int64(s, 0);
        r->username = col(s, 1, arena);
        r->display_name = col(s, 2, arena);
        r->role = col(s, 3, arena);
        r->scope = col(s, 4, arena);
        r->ip = col(s, 5, arena);
        r->user_agent = col(s, 6, arena);
        r->created_ms = store_col_int64(s, 7);
        r->last_seen_ms = store_col_int64(s, 8);
        r->expires_ms = store_col_int64(s, 9);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct revoke_ctx {
    int64_t session_id;
    const struct ms_actor *actor;
};

static int no_live_session(struct ms_err *err, int64_t id)
{
    int ret = ms_err_field(err, MS_ENOTFOUND, "id", "no live session %lld", (long long)id);
    ms_err_zh(err, "会话 %lld 不存在或已失效", (long long)id);
    return ret;
}

/* The owner of the live session, in owner (at least 65 bytes), or
 * MS_ENOTFOUND. Read inside the transaction, so a logout racing the
 * revocation cannot make us audit a revocation that changed nothing. */
static int live_owner(struct store *st, int64_t id, char *owner, size_t owner_size,
                      struct ms_err *err)
{
    struct store_stmt *s;
    int64_t now = ms_clock_now_ms(), cutoff = 0;
    if (idle_cutoff(st, now, &cutoff, err) < 0)
        return err->code;
    if (store_prepare(st, accounts_sql_session_owner, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    int rc = store_step(s, err);
    int is_live = rc == STORE_ROW && store_col_int64(s, 1) > now && store_col_int64(s, 2) > cutoff;
    if (is_live)
        snprintf(owner, owner_size, "%s", store_col_text(s, 0));
    store_reset(s);
    if (rc < 0)
        return rc;
    return is_live ? 0 : no_live_session(err, id);
}

static int revoke_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct revoke_ctx *c = ctx;
    struct store_stmt *s;
    char owner[72], id[24];
    if (live_owner(st, c->session_id, owner, sizeof(owner), err) < 0)
        return err->code;
    if (store_prepare(st, accounts_sql_session_revoke, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, ms_clock_now_ms());
    store_bind_int64(s, 2, c->session_id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)c->session_id);
    struct audit_entry e = {.action = "session.revoke",
                            .object_type = "session",
                            .object_id = id,
                            .subject = owner,
                            .result = "ok",
                            .detail = "forced logout"};
    return audit_append(st, c->actor, &e, err);
}

int accounts_session_revoke(struct store *st, int64_t session_id, int64_t own_session_id,
                            const struct ms_actor *actor, struct ms_err *err)
{
    if (session_id == own_session_id) {
        int ret = ms_err_field(err, MS_ECONFLICT, "id", "session %lld is your own; log out instead",
                               (long long)session_id);
        ms_err_zh(err, "不能强制退出自己当前的会话，请使用“退出登录”");
        return ret;
    }
    struct revoke_ctx c = {session_id, actor};
    return store_tx(st, revoke_tx, &c, err);
}
