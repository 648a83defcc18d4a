/*
 * policy_http.c - policy parameters over HTTP: the list in force on a date,
 * one key's history, and adding a value.
 */
#include "modules/policy/policy.h"

#include "core/date.h"
#include "core/json.h"
#include "modules/policy/policy_int.h"
#include "core/banned.h"

static json_t *value_json(const struct policy_value *v)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "value", v->value, "effective_from",
                     v->effective_from, "source", v->source, "note", v->note, "created_at",
                     v->created_at, "created_by", v->created_by);
}

static json_t *def_json(const struct policy_def *d)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "key", d->key, "kind", d->kind, "unit", d->unit,
                          "title_zh", d->title_zh, "title_en", d->title_en);
    if (d->has_min)
        json_object_set_new(o, "min", json_integer(d->min_value));
    if (d->has_max)
        json_object_set_new(o, "max", json_integer(d->max_value));
    return o;
}

static int get_policy_list(struct http_request *req)
{
    const char *at = http_query(req, "at");
    int32_t day;
    if (at && ms_date_parse(at, &day, &req->err) < 0) {
        snprintf(req->err.field, sizeof(req->err.field), "at");
        return req->err.code;
    }
    struct policy_item *items;
    size_t n;
    if (policy_list(req->store, at, req->arena, &items, &n, &req->err) < 0)
        return req->err.code;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = def_json(&items[i].def);
        json_object_set_new(o, "current",
                            items[i].has_value ? value_json(&items[i].value) : json_null());
        json_array_append_new(arr, o);
    }
    return http_reply_json(req, 200, json_pack("{s:s?,s:o}", "at", at, "items", arr));
}

static int get_policy_key(struct http_request *req)
{
    struct policy_def def;
    struct policy_value *values;
    size_t n;
    if (policy_history(req->store, http_param(req, "key"), req->arena, &def, &values, &n,
                       &req->err) < 0)
        return req->err.code;
    json_t *hist = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(hist, value_json(&values[i]));
    json_t *body = def_json(&def);
    json_object_set_new(body, "history", hist);
    return http_reply_json(req, 200, body);
}

static int post_policy_value(struct http_request *req)
{
    static const char *const fields[] = {"value", "effective_from", "source", "note", NULL};
    json_t *body;
    struct policy_set_in in = {.key = http_param(req, "key")};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "value", 1, 200, &in.value, &req->err) < 0 ||
        ms_json_get_str(body, "effective_from", 1, 10, &in.effective_from, &req->err) < 0 ||
        ms_json_get_str(body, "source", 1, 200, &in.source, &req->err) < 0 ||
        ms_json_get_str(body, "note", 0, 500, &in.note, &req->err) < 0)
        return req->err.code;
    struct ms_actor actor;
    http_actor(req, &actor);
    if (policy_set(req->store, &in, &actor, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 201,
                           json_pack("{s:s,s:s,s:s}", "key", in.key, "value", in.value,
                                     "effective_from", in.effective_from));
}

/* clang-format off */
const struct http_route policy_http_routes[] = {
    { .method = "GET", .path = "/api/v1/policy", .fn = get_policy_list,
      .permission = "policy:read",
      .summary = "Every policy parameter with its value in force (?at=YYYY-MM-DD)",
      .summary_zh = "政策参数列表（指定日期生效值）" },
    { .method = "GET", .path = "/api/v1/policy/{key}", .fn = get_policy_key,
      .permission = "policy:read",
      .summary = "One policy parameter and every value it has had",
      .summary_zh = "政策参数历史" },
    { .method = "POST", .path = "/api/v1/policy/{key}", .fn = post_policy_value,
      .permission = "policy:write", .flags = ROUTE_WRITE,
      .summary = "Add a value taking effect on a date (values are never edited)",
      .summary_zh = "新增政策参数取值",
      .body_schema = "{\"type\":\"object\",\"required\":[\"value\",\"effective_from\",\"source\"],"
                     "\"additionalProperties\":false,\"properties\":{"
                     "\"value\":{\"type\":\"string\",\"maxLength\":200},"
                     "\"effective_from\":{\"type\":\"string\",\"format\":\"date\"},"
                     "\"source\":{\"type\":\"string\",\"maxLength\":200},"
                     "\"note\":{\"type\":\"string\",\"maxLength\":500}}}" },
    { .method = NULL },
};
/* clang-format on */
