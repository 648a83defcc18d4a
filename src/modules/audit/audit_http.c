/*
 * audit_http.c - GET /api/v1/audit (操作日志) and /api/v1/audit/logins
 * (登录日志) for the auditor. Reading the audit log is itself audited.
 */
#include "modules/audit/audit.h"
#include "modules/audit/audit_http.h"

#include <string.h>

#include "core/clock.h"
#include "http/http.h"
#include "modules/audit/audit_int.h"
#include "core/banned.h"

static void on_recorded(void *ctx, int rc, const struct ms_err *err)
{
    http_resume(ctx, rc, err);
}

int audit_http_reply_when_recorded(struct http_request *req, const struct audit_entry *e)
{
    struct ms_actor actor;
    http_actor(req, &actor);
    struct http_deferred *d = http_defer(req);
    audit_record_read_async(req->store, &actor, e, on_recorded, d);
    return HTTP_DEFERRED;
}

/* An optional timestamp query argument, normalised to the stored form. */
static int query_ts(struct http_request *req, const char *name, const char **out)
{
    const char *v = http_query(req, name);
    int64_t ms;
    *out = NULL;
    if (!v)
        return 0;
    if (ms_clock_parse(v, &ms) < 0) {
        int ret = ms_err_field(&req->err, MS_EFIELD, name,
                               "query argument '%s' must be a date or UTC timestamp", name);
        ms_err_zh(&req->err, "参数“%s”应为日期（YYYY-MM-DD）或 UTC 时间", name);
        return ret;
    }
    char *ts = ms_arena_alloc(req->arena, MS_TS_LEN + 1);
    ms_clock_format(ms, ts);
    *out = ts;
    return 0;
}

static json_t *row_json(const struct audit_row *r)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
                     (json_int_t)r->seq, "ts", r->ts, "actor", r->actor, "actor_role",
                     r->actor_role, "ip", r->ip, "request_id", r->request_id, "action", r->action,
                     "object_type", r->object_type, "object_id", r->object_id, "subject",
                     r->subject, "purpose", r->purpose, "result", r->result, "detail", r->detail,
                     "hash", r->hash);
}

static int get_audit(struct http_request *req)
{
    struct audit_filter f = {0};
    int64_t limit = 50, before = 0;
    f.actor = http_query(req, "actor");
    f.action = http_query(req, "action");
    f.object_type = http_query(req, "object_type");
    f.object_id = http_query(req, "object_id");
    if (query_ts(req, "from", &f.from_ts) < 0 || query_ts(req, "to", &f.to_ts) < 0 ||
        http_query_int(req, "limit", 1, 500, &limit) < 0 ||
        http_query_int(req, "before", 1, INT64_MAX, &before) < 0)
        return req->err.code;
    f.limit = (int)limit;
    f.before_seq = before;

    struct audit_row *rows;
    size_t n;
    if (audit_query(req->store, &f, req->arena, &rows, &n, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, row_json(&rows[i]));
    json_t *body = json_pack("{s:o}", "items", items);
    if (n == (size_t)f.limit)
        json_object_set_new(body, "next_before", json_integer(rows[n - 1].seq));
    http_reply_json(req, 200, body);
    struct audit_entry e = {.action = "audit.query", .object_type = "audit_log",
                            .object_id = "", .result = "ok"};
    return audit_http_reply_when_recorded(req, &e);
}

static json_t *login_row_json(const struct audit_login_row *r)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "seq", (json_int_t)r->seq,
                     "ts", r->ts, "event", r->event, "username", r->username, "result", r->result,
                     "reason", r->reason, "is_lockout", r->is_lockout, "ip", r->ip, "actor",
                     r->actor, "session_id", r->session_id, "request_id", r->request_id);
}

static int get_logins(struct http_request *req)
{
    struct audit_login_filter f = {.user = http_query(req, "user"),
                                   .event = http_query(req, "event"),
                                   .result = http_query(req, "result")};
    int64_t page = 1, size = 20, total;
    if (query_ts(req, "from", &f.from_ts) < 0 || query_ts(req, "to", &f.to_ts) < 0 ||
        http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &size) < 0)
        return req->err.code;
    f.page = (int)page;
    f.page_size = (int)size;

    struct audit_login_row *rows;
    size_t n;
    if (audit_login_query(req->store, &f, req->arena, &rows, &n, &total, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, login_row_json(&rows[i]));
    http_reply_json(req, 200,
                    json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
                              "page", (json_int_t)page, "page_size", (json_int_t)size));
    struct audit_entry e = {.action = "audit.query", .object_type = "audit_log",
                            .object_id = "logins", .result = "ok"};
    return audit_http_reply_when_recorded(req, &e);
}

/* clang-format off */
const struct http_route audit_http_routes[] = {
    { .method = "GET", .path = "/api/v1/audit", .fn = get_audit, .permission = "audit:read",
      .summary = "Search the audit log (newest first; page with ?before=next_before)",
      .summary_zh = "查询审计日志" },
    { .method = "GET", .path = "/api/v1/audit/logins", .fn = get_logins,
      .permission = "audit:read",
      .summary = "The login log: logins, failures, lock-outs, logouts and forced logouts"
                 " (?user=&event=&result=&from=&to=&page=&page_size=)",
      .summary_zh = "登录日志" },
    { .method = NULL },
};
/* clang-format on */
