/*
 * audit_logins.c - 登录日志: the log's session events, read as a login log.
 *
 * There is no separate login table: every login attempt, logout and forced
 * logout is already an audit entry in the hash chain (accounts_session.c,
 * accounts_online.c), and a second copy could disagree with it. This file
 * only selects and reshapes those entries: "failed:bad_password" becomes
 * result "failed" with reason "bad_password", and a revocation is filed
 * under the user whose session ended rather than the administrator.
 */
#include "modules/audit/audit.h"

#include <stdio.h>
#include <string.h>

#include "modules/audit/audit_sql.h"
#include "store/store.h"
#include "core/banned.h"

static int one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return 1;
    return 0;
}

static int check_filter(const struct audit_login_filter *f, struct ms_err *err)
{
    static const char *const events[] = {"login", "logout", "revoke", NULL};
    static const char *const results[] = {"ok", "failed", "locked", NULL};
    int ret;
    if (f->event && !one_of(f->event, events)) {
        ret = ms_err_field(err, MS_EFIELD, "event", "event must be login, logout or revoke");
        ms_err_zh(err, "事件类型应为 login、logout 或 revoke");
        return ret;
    }
    if (f->result && !one_of(f->result, results)) {
        ret = ms_err_field(err, MS_EFIELD, "result", "result must be ok, failed or locked");
        ms_err_zh(err, "结果应为 ok、failed 或 locked");
        return ret;
    }
    return 0;
}

static void bind_filter(struct store_stmt *s, const struct audit_login_filter *f,
                        const char *action)
{
    const char *text[] = {f->from_ts, f->from_ts, f->to_ts, f->to_ts, f->user,
                          f->user,    f->user,    action,   action,   f->result,
                          f->result,  f->result,  f->result};
    for (int i = 0; i < (int)(sizeof(text) / sizeof(text[0])); i++)
        store_bind_text(s, i + 1, text[i]);
}

static const char *col(struct store_stmt *s, int c, struct ms_arena *arena)
{
    const char *v = store_col_text(s, c);
    return ms_arena_strdup(arena, v ? v : "");
}

/* Columns: seq, ts, action, actor, subject, ip, request_id, result, detail,
 * object_id (audit_sql_logins). */
static void read_row(struct store_stmt *s, struct ms_arena *arena, struct audit_login_row *r)
{
    const char *action = store_col_text(s, 2);
    const char *result = col(s, 7, arena);
    const char *colon = strchr(result, ':');
    int is_revoke = action && strcmp(action, "session.revoke") == 0;
    int is_logout = action && strcmp(action, "session.logout") == 0;
    r->seq = store_col_int64(s, 0);
    r->ts = col(s, 1, arena);
    r->event = is_revoke ? "revoke" : is_logout ? "logout" : "login";
    r->actor = col(s, 3, arena);
    r->username = is_revoke ? col(s, 4, arena) : r->actor;
    r->ip = col(s, 5, arena);
    r->request_id = col(s, 6, arena);
    r->result = colon ? ms_arena_strndup(arena, result, (size_t)(colon - result)) : result;
    r->reason = colon ? colon + 1 : "";
    r->is_lockout = strcmp(col(s, 8, arena), "account locked") == 0;
    r->session_id = strcmp(r->event, "login") == 0 ? "" : col(s, 9, arena);
}

int audit_login_query(struct store *st, const struct audit_login_filter *f, struct ms_arena *arena,
                      struct audit_login_row **rows, size_t *n, int64_t *total, struct ms_err *err)
{
    struct store_stmt *s;
    char action[32] = "";
    int rc;
    *n = 0;
    *total = 0;
    if (check_filter(f, err) < 0)
        return err->code;
    if (f->event)
        snprintf(action, sizeof(action), "session.%s", f->event);
    if (store_prepare(st, audit_sql_logins_count, &s, err) < 0)
        return err->code;
    bind_filter(s, f, f->event ? action : NULL);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        *total = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;

    *rows = ms_arena_calloc(arena, (size_t)f->page_size, sizeof(**rows));
    if (store_prepare(st, audit_sql_logins, &s, err) < 0)
        return err->code;
    bind_filter(s, f, f->event ? action : NULL);
    store_bind_int64(s, 14, f->page_size);
    store_bind_int64(s, 15, (int64_t)(f->page - 1) * f->page_size);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < (size_t)f->page_size)
        read_row(s, arena, &(*rows)[(*n)++]);
    store_reset(s);
    return rc < 0 ? rc : 0;
}
