/*
 * monitor_http.c - /api/v1/monitor: parse, call one domain function with
 * the caller's data scope, render. Lists are sent once their read entry is
 * committed to the audit log.
 */
#include "modules/monitor/monitor.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "modules/assistance/assistance.h"
#include "modules/audit/audit_http.h"
#include "modules/monitor/monitor_int.h"

#include "core/banned.h"

static const char *scope_of(const struct http_request *req)
{
    return req->principal && req->principal->scope ? req->principal->scope : "";
}

static int post_scans(struct http_request *req)
{
    static const char *const fields[] = {"rule", "as_of", "incremental", NULL};
    json_t *body;
    const char *rule = NULL, *as_of = NULL;
    int is_incremental = 0;
    struct monitor_scan_result *r = ms_arena_calloc(req->arena, 1, sizeof(*r));
    struct ms_actor actor;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "rule", 0, 64, &rule, &req->err) < 0 ||
        ms_json_get_str(body, "as_of", 0, 10, &as_of, &req->err) < 0 ||
        ms_json_get_bool(body, "incremental", 0, &is_incremental, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if ((is_incremental ? monitor_scan_incremental : monitor_scan)(req->store, rule, as_of, &actor,
                                                                   r, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:f}", "rule", r->rules[i].rule_id,
                                             "rows_found", (json_int_t)r->rules[i].rows_found,
                                             "alerts_new", (json_int_t)r->rules[i].alerts_new,
                                             "ms", r->rules[i].ms));
    json_t *out = json_pack("{s:I,s:s,s:b,s:I,s:I,s:o}", "scan_id", (json_int_t)r->scan_id,
                            "scan_date", r->scan_date, "incremental", r->is_incremental,
                            "batch_from", (json_int_t)r->batch_from, "batch_to",
                            (json_int_t)r->batch_to, "rules", arr);
    if (r->is_incremental)
        json_object_set_new(out, "touched",
                            json_pack("{s:I,s:I}", "residents", (json_int_t)r->touched_residents,
                                      "households", (json_int_t)r->touched_households));
    return http_reply_json(req, 201, out);
}

static int page_args(struct http_request *req, int64_t *page, int64_t *page_size)
{
    *page = 1;
    *page_size = 20;
    if (http_query_int(req, "page", 1, 100000, page) < 0 ||
        http_query_int(req, "page_size", 1, 100, page_size) < 0)
        return req->err.code;
    return 0;
}

/* The subject's household, for the 救助链 link (null when it has none). */
static void set_household(json_t *o, int64_t household_id)
{
    json_object_set_new(o, "household_id", household_id ? json_integer(household_id) : json_null());
}

static int get_alerts(struct http_request *req)
{
    int64_t page, page_size;
    struct monitor_alert *a;
    size_t n;
    struct audit_entry read;
    if (page_args(req, &page, &page_size) < 0 ||
        monitor_alert_list(req->store, scope_of(req), http_query(req, "rule"),
                           http_query(req, "subject"), (int)page, (int)page_size, req->arena, &a,
                           &n, &read, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "id",
                           (json_int_t)a[i].id, "rule", a[i].rule_id, "subject_type",
                           a[i].subject_type, "subject", a[i].subject_code, "period", a[i].period,
                           "detail", a[i].detail, "severity", a[i].severity, "department",
                           a[i].department, "region_code", a[i].region_code, "task_id",
                           (json_int_t)a[i].task_id, "task_status", a[i].task_status, "due_on",
                           a[i].due_on));
    for (size_t i = 0; i < n; i++)
        set_household(json_array_get(arr, i), a[i].household_id);
    http_reply_json(req, 200, json_pack("{s:o,s:I,s:I}", "items", arr, "page", (json_int_t)page,
                                        "page_size", (json_int_t)page_size));
    return audit_http_reply_when_recorded(req, &read);
}

/* ?mine=1 or ?overdue=1 ("0" and "false" are off). */
static int flag(const struct http_request *req, const char *name)
{
    const char *v = http_query(req, name);
    return v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0;
}

static int task_filter(struct http_request *req, enum monitor_task_filter *out)
{
    int mine = flag(req, "mine"), overdue = flag(req, "overdue");
    if (mine && overdue) {
        monitor__bad(&req->err, MS_EFIELD, "overdue", "mine 与 overdue 只能选一个",
                     "give mine or overdue, not both");
        return req->err.code;
    }
    *out = overdue ? MONITOR_TASKS_OVERDUE : mine ? MONITOR_TASKS_MINE : MONITOR_TASKS_ALL;
    return 0;
}

static int get_tasks(struct http_request *req)
{
    int64_t page, page_size;
    struct monitor_task *t;
    enum monitor_task_filter filter = MONITOR_TASKS_ALL;
    size_t n;
    struct audit_entry read;
    if (task_filter(req, &filter) < 0 || page_args(req, &page, &page_size) < 0 ||
        monitor_task_list(req->store, scope_of(req), filter, (int)page, (int)page_size,
                          req->arena, &t, &n, &read, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
                           (json_int_t)t[i].id, "alert_id", (json_int_t)t[i].alert_id, "rule",
                           t[i].rule_id, "subject", t[i].subject_code, "period", t[i].period,
                           "detail", t[i].detail, "town_code", t[i].town_code, "due_on",
                           t[i].due_on, "status", t[i].status, "outcome", t[i].outcome, "reason",
                           t[i].reason, "department", t[i].department));
    for (size_t i = 0; i < n; i++)
        set_household(json_array_get(arr, i), t[i].household_id);
    http_reply_json(req, 200, json_pack("{s:o,s:I,s:I}", "items", arr, "page", (json_int_t)page,
                                        "page_size", (json_int_t)page_size));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_outcome(struct http_request *req)
{
    static const char *const fields[] = {"outcome", "reason", "department", NULL};
    json_t *body;
    struct monitor_outcome in = {0};
    struct ms_actor actor;
    int64_t id;
    if (!http_param_id(req, "id", &id)) {
        ms_err_set(&req->err, MS_ENOTFOUND, "task not found");
        ms_err_zh(&req->err, "未找到核实任务");
        return req->err.code;
    }
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "outcome", 1, 16, &in.outcome, &req->err) < 0 ||
        ms_json_get_str(body, "reason", 0, 500, &in.reason, &req->err) < 0 ||
        ms_json_get_str(body, "department", 0, 64, &in.department, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    in.may_stop = http_has_permission(req->principal, "assistance:case:decide");
    if (monitor_task_decide(req->store, scope_of(req), id, &in, &actor, &req->err) < 0)
        return req->err.code;
    json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "decided", "outcome",
                          in.outcome);
    if (strcmp(in.outcome, "assist") == 0) {
        /* What the new application starts from (the console opens its form). */
        int64_t household = 0;
        char code[32] = "";
        if (monitor_task_subject(req->store, scope_of(req), id, &household, code, &req->err) < 0) {
            json_decref(o);
            return req->err.code;
        }
        json_object_set_new(o, "application",
                            json_pack("{s:o,s:o}", "household_id",
                                      household ? json_integer(household) : json_null(),
                                      "applicant", code[0] ? json_string(code) : json_null()));
    }
    return http_reply_json(req, 200, o);
}

static json_t *rule_json(const struct monitor_rule *r, const char *origin)
{
    static const char *const uses[] = {"value", "months_before", "days_before", "year",
                                       "years_before"};
    json_t *params = json_array();
    for (size_t i = 0; i < r->n_params; i++)
        json_array_append_new(params, json_pack("{s:s,s:s}", "key", r->params[i].key, "use",
                                                uses[r->params[i].use]));
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:s,s:s}", "id", r->id,
                     "title_zh", r->title_zh, "title_en", r->title_en, "department",
                     r->department, "severity", r->severity, "subject", r->subject, "source",
                     r->source, "touch", r->touch == MONITOR_TOUCH_NONE ? "none" : "records",
                     "touch_marks", r->has_touch_marks, "parameters", params, "query", r->query,
                     "origin", origin);
}

static int get_rules(struct http_request *req)
{
    struct monitor_rule *rules;
    const char **origins;
    size_t n;
    if (monitor_rule_set(req->store, req->arena, &rules, &origins, &n, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, rule_json(&rules[i], origins[i]));
    return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* POST (id NULL) or PUT a rule: the body is the rule file's object. */
static int save_rule(struct http_request *req, const char *id)
{
    static const char *const fields[] = {"id",     "title_zh", "title_en",   "department",
                                         "severity", "subject", "source",    "touch",
                                         "parameters", "query",  NULL};
    json_t *body;
    struct ms_actor actor;
    int64_t version;
    if (http_body_object(req, fields, &body) < 0)
        return req->err.code;
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    http_actor(req, &actor);
    int rc = text ? monitor_rule_save(req->store, id, text, &actor, req->arena, &version, &req->err)
                  : ms_err_set(&req->err, MS_EINTERNAL, "cannot serialise the rule");
    free(text);
    if (rc < 0)
        return req->err.code;
    const char *rule_id = json_string_value(json_object_get(body, "id"));
    return http_reply_json(req, id ? 200 : 201,
                           json_pack("{s:s,s:I}", "id", rule_id ? rule_id : "", "version",
                                     (json_int_t)version));
}

static int post_rules(struct http_request *req)
{
    return save_rule(req, NULL);
}

static int put_rule(struct http_request *req)
{
    return save_rule(req, http_param(req, "id"));
}

static int get_chain(struct http_request *req)
{
    struct monitor_chain c;
    struct audit_entry read;
    int64_t id;
    if (!http_param_id(req, "id", &id))
        return monitor__bad(&req->err, MS_ENOTFOUND, "id", "未找到该户", "household not found");
    if (monitor_household_chain(req->store, scope_of(req), id, req->arena, &c, &read,
                                &req->err) < 0)
        return req->err.code;
    json_t *alerts = json_array(), *items = json_array();
    for (size_t i = 0; i < c.n_alerts; i++) {
        const struct monitor_chain_alert *a = &c.alerts[i];
        json_t *task = a->task_id
                           ? json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
                                       (json_int_t)a->task_id, "status", a->task_status,
                                       "due_on", a->due_on, "outcome", a->outcome, "reason",
                                       a->reason, "decided_at", a->decided_at, "decided_by",
                                       a->decided_by)
                           : json_null();
        if (a->task_id && a->change_id)
            json_object_set_new(task, "change_id", json_integer(a->change_id));
        json_array_append_new(
            alerts, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)a->id,
                              "rule", a->rule_id, "subject", a->subject_code, "period",
                              a->period, "detail", a->detail, "severity", a->severity,
                              "created_at", a->created_at, "task", task));
    }
    for (size_t i = 0; i < c.n_items; i++) {
        const struct assistance_chain_item *x = &c.items[i];
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "on", x->on, "kind", x->kind,
                             "scheme", x->scheme, "status", x->status, "text", x->text,
                             "amount_fen", (json_int_t)x->amount_fen, "ref_id",
                             (json_int_t)x->ref_id));
    }
    http_reply_json(req, 200,
                    json_pack("{s:{s:I,s:s,s:s},s:o,s:o}", "household", "id",
                              (json_int_t)c.household_id, "number", c.number, "region_code",
                              c.region_code, "alerts", alerts, "assistance", items));
    return audit_http_reply_when_recorded(req, &read);
}

/* clang-format off */
#define SCAN_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" \
    "\"rule\":{\"type\":\"string\"},\"as_of\":{\"type\":\"string\",\"format\":\"date\"}," \
    "\"incremental\":{\"type\":\"boolean\"}}}"
#define OUTCOME_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false," \
    "\"required\":[\"outcome\"],\"properties\":{" \
    "\"outcome\":{\"enum\":[\"dismiss\",\"assist\",\"refer\",\"stop\"]}," \
    "\"reason\":{\"type\":\"string\",\"maxLength\":500}," \
    "\"department\":{\"type\":\"string\",\"maxLength\":64}}}"

#define RULE_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false," \
    "\"required\":[\"id\",\"title_zh\",\"title_en\",\"department\",\"severity\",\"subject\"," \
    "\"source\",\"parameters\",\"query\"],\"properties\":{" \
    "\"id\":{\"type\":\"string\",\"maxLength\":64}," \
    "\"title_zh\":{\"type\":\"string\",\"maxLength\":100}," \
    "\"title_en\":{\"type\":\"string\",\"maxLength\":200}," \
    "\"department\":{\"type\":\"string\",\"maxLength\":64}," \
    "\"severity\":{\"enum\":[\"low\",\"medium\",\"high\"]}," \
    "\"subject\":{\"enum\":[\"person\",\"household\"]}," \
    "\"source\":{\"type\":\"string\",\"maxLength\":500}," \
    "\"touch\":{\"enum\":[\"records\",\"none\"]}," \
    "\"parameters\":{\"type\":\"array\",\"maxItems\":16}," \
    "\"query\":{\"type\":\"string\",\"maxLength\":8000}}}"

const struct http_route monitor_http_routes[] = {
    { .method = "GET", .path = "/api/v1/monitor/rules", .fn = get_rules,
      .permission = "monitor:rule:read",
      .summary = "The monitoring rules in force: shipped files, overridden or added by the API",
      .summary_zh = "监测规则列表" },
    { .method = "POST", .path = "/api/v1/monitor/rules", .fn = post_rules,
      .permission = "monitor:rule:admin", .flags = ROUTE_WRITE, .body_schema = RULE_SCHEMA,
      .summary = "Add a rule: validated, its query run read-only within a time limit (audited)",
      .summary_zh = "新增监测规则" },
    { .method = "PUT", .path = "/api/v1/monitor/rules/{id}", .fn = put_rule,
      .permission = "monitor:rule:admin", .flags = ROUTE_WRITE, .body_schema = RULE_SCHEMA,
      .summary = "Override a shipped rule or edit an added one: validated as on adding (audited)",
      .summary_zh = "修改监测规则" },
    { .method = "POST", .path = "/api/v1/monitor/scans", .fn = post_scans,
      .permission = "monitor:scan:run", .flags = ROUTE_WRITE, .body_schema = SCAN_SCHEMA,
      .summary = "Run every monitoring rule (or one): rows found and new alerts per rule",
      .summary_zh = "运行监测扫描" },
    { .method = "GET", .path = "/api/v1/monitor/alerts", .fn = get_alerts,
      .permission = "monitor:alert:read",
      .summary = "Alerts in your data scope, newest first: rule, subject (a resident's code or "
                 "a household's number), page, page_size (audited)",
      .summary_zh = "监测预警列表" },
    { .method = "GET", .path = "/api/v1/monitor/tasks", .fn = get_tasks,
      .permission = "monitor:alert:read",
      .summary = "Verification tasks in your data scope: mine (open) or overdue (audited)",
      .summary_zh = "预警核实任务列表" },
    { .method = "POST", .path = "/api/v1/monitor/tasks/{id}/outcome", .fn = post_outcome,
      .permission = "monitor:task:decide", .flags = ROUTE_WRITE, .body_schema = OUTCOME_SCHEMA,
      .summary = "Decide a task once: dismiss (reason), assist, refer (department), or stop "
                 "the household's assistance (reason; assistance:case:decide)",
      .summary_zh = "处置核实任务" },
    { .method = "GET", .path = "/api/v1/monitor/households/{id}/chain", .fn = get_chain,
      .permission = "monitor:alert:read",
      .summary = "一户一条救助链: a household's alerts and their tasks, and its assistance "
                 "history (applications and steps, periods, changes, payments, recoveries) "
                 "(audited)",
      .summary_zh = "一户一条救助链" },
    { .method = NULL },
};
/* clang-format on */
