/*
 * exchange_http.c - the exchange API (docs/api.md, "Data exchange"): feeds,
 * batch upload and summaries, the quarantine and the review queue. Thin:
 * parse, call the domain function, render. Replies that show personal data
 * (review pairs, a quarantined row's values) wait for their audit entry.
 */
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "http/http.h"
#include "modules/audit/audit_http.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/exchange_review.h"
#include "core/banned.h"

static const char *scope_of(const struct http_request *req)
{
    return req->principal && req->principal->scope ? req->principal->scope : "";
}

static int path_id(struct http_request *req, int64_t *id)
{
    if (!http_param_id(req, "id", id))
        return exchange__fail(&req->err, MS_ENOTFOUND, "id", "no such item", "请求的资源不存在");
    return 0;
}

static int page_args(struct http_request *req, struct exchange_page_query *q)
{
    int64_t page = 1, size = 20;
    if (http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &size) < 0)
        return req->err.code;
    q->page = (int)page;
    q->page_size = (int)size;
    return 0;
}

static int get_feeds(struct http_request *req)
{
    const struct feed_def *defs;
    size_t n;
    json_t *items = json_array();
    if (exchange_feeds(&defs, &n, &req->err) < 0) {
        json_decref(items);
        return req->err.code;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *cols = json_array();
        for (size_t c = 0; c < defs[i].n_columns; c++)
            json_array_append_new(cols, json_pack("{s:s,s:s,s:b,s:s?}", "source",
                                                  defs[i].columns[c].source, "field",
                                                  defs[i].columns[c].field, "required",
                                                  defs[i].columns[c].required, "format",
                                                  defs[i].columns[c].format));
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "name", defs[i].name,
                             "title_zh", defs[i].title_zh, "title_en", defs[i].title_en,
                             "department_zh", defs[i].department_zh, "format",
                             defs[i].is_jsonl ? "jsonl" : "csv", "encoding",
                             defs[i].is_gbk ? "gbk" : "utf-8", "fact", defs[i].fact, "columns",
                             cols));
    }
    return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* The upload: the file is the body; feed and file_name are query arguments. */
static int post_batch(struct http_request *req)
{
    const char *feed = http_query(req, "feed"), *name = http_query(req, "file_name");
    struct exchange_summary sum;
    struct ms_actor actor;
    FILE *in;
    int rc;
    if (!feed || !*feed)
        return exchange__fail(&req->err, MS_EMISSING, "feed", "give the feed as ?feed=NAME",
                              "请用 ?feed= 指定数据源");
    if (!req->body_len)
        return exchange__fail(&req->err, MS_EMISSING, "body", "the request body must be the file",
                              "请求体应为要导入的文件内容");
    if (!(in = fmemopen((void *)(uintptr_t)req->body, req->body_len, "rb")))
        return ms_err_set(&req->err, MS_EINTERNAL, "fmemopen failed");
    http_actor(req, &actor);
    rc = exchange_import(req->store, feed, name && *name ? name : "upload", in, &actor, NULL, &sum,
                         &req->err);
    fclose(in);
    if (rc < 0)
        return rc;
    return http_reply_json(req, sum.already_imported ? 200 : 201, exchange__summary_json(&sum));
}

static int get_batches(struct http_request *req)
{
    struct exchange_page_query q = {0};
    json_t *out;
    if (page_args(req, &q) < 0 ||
        exchange_batches_list(req->store, http_query(req, "feed"), q.page, q.page_size, &out,
                              &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

static int get_batch(struct http_request *req)
{
    int64_t id;
    json_t *out;
    if (path_id(req, &id) < 0 || exchange_batch_json(req->store, id, &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

static int get_quarantine(struct http_request *req)
{
    struct exchange_page_query q = {0};
    int64_t batch = 0;
    json_t *out;
    q.status = http_query(req, "status");
    q.feed = http_query(req, "feed");
    if (page_args(req, &q) < 0 || http_query_int(req, "batch", 1, INT64_MAX, &batch) < 0)
        return req->err.code;
    q.batch_id = batch;
    if (exchange_quarantine_list(req->store, &q, &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

static int get_quarantine_row(struct http_request *req)
{
    int64_t id;
    json_t *out;
    struct audit_entry read;
    if (path_id(req, &id) < 0 ||
        exchange_quarantine_get(req->store, id, req->arena, &out, &read, &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, out);
    return audit_http_reply_when_recorded(req, &read);
}

static int post_resubmit(struct http_request *req)
{
    static const char *const fields[] = {"values", NULL};
    struct ms_actor actor;
    json_t *body, *out;
    int64_t id;
    if (path_id(req, &id) < 0 || http_body_object(req, fields, &body) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (exchange_quarantine_resubmit(req->store, id, json_object_get(body, "values"), &actor,
                                     req->arena, &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

static int post_dismiss(struct http_request *req)
{
    static const char *const fields[] = {"reason", NULL};
    struct ms_actor actor;
    json_t *body, *out;
    const char *reason = NULL;
    int64_t id;
    if (path_id(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "reason", 1, 200, &reason, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (exchange_quarantine_dismiss(req->store, id, reason, &actor, &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

static int get_reviews(struct http_request *req)
{
    struct exchange_page_query q = {0};
    struct audit_entry read;
    json_t *out;
    q.status = http_query(req, "status");
    q.kind = http_query(req, "kind");
    q.feed = http_query(req, "feed");
    if (page_args(req, &q) < 0 || exchange_reviews_list(req->store, scope_of(req), &q, req->arena,
                                                        &out, &read, &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, out);
    return audit_http_reply_when_recorded(req, &read);
}

static int get_review(struct http_request *req)
{
    struct audit_entry read;
    json_t *out;
    int64_t id;
    if (path_id(req, &id) < 0 ||
        exchange_review_get(req->store, scope_of(req), id, req->arena, &out, &read, &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, out);
    return audit_http_reply_when_recorded(req, &read);
}

static int post_decision(struct http_request *req)
{
    static const char *const fields[] = {"decision", "reason", NULL};
    struct ms_actor actor;
    const char *decision = NULL, *reason = NULL;
    json_t *body, *out;
    int64_t id;
    if (path_id(req, &id) < 0 || http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "decision", 1, 10, &decision, &req->err) < 0 ||
        ms_json_get_str(body, "reason", 0, 200, &reason, &req->err) < 0)
        return req->err.code;
    http_actor(req, &actor);
    if (exchange_review_decide(req->store, scope_of(req), id, decision, reason, &actor, req->arena,
                               &out, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, out);
}

#define RESUBMIT_SCHEMA                                                                     \
    "{\"type\":\"object\",\"required\":[\"values\"],\"additionalProperties\":false,"       \
    "\"properties\":{\"values\":{\"type\":\"object\",\"additionalProperties\":{\"type\":" \
    "[\"string\",\"null\"]}}}}"
#define DISMISS_SCHEMA                                                                      \
    "{\"type\":\"object\",\"required\":[\"reason\"],\"additionalProperties\":false,"       \
    "\"properties\":{\"reason\":{\"type\":\"string\",\"maxLength\":200}}}"
#define DECISION_SCHEMA                                                                     \
    "{\"type\":\"object\",\"required\":[\"decision\"],\"additionalProperties\":false,"     \
    "\"properties\":{\"decision\":{\"enum\":[\"accept\",\"reject\"]},"                    \
    "\"reason\":{\"type\":\"string\",\"maxLength\":200}}}"

const struct http_route exchange_http_routes[] = {
    { .method = "GET", .path = "/api/v1/exchange/feeds", .fn = get_feeds,
      .permission = "exchange:batch:read",
      .summary = "The feeds: source department, format, encoding and columns",
      .summary_zh = "数据源目录" },
    { .method = "GET", .path = "/api/v1/exchange/batches", .fn = get_batches,
      .permission = "exchange:batch:read",
      .summary = "Imported batches, newest first (feed, page, page_size)",
      .summary_zh = "数据导入批次" },
    { .method = "POST", .path = "/api/v1/exchange/batches", .fn = post_batch,
      .permission = "exchange:batch:import", .flags = ROUTE_RAW,
      .summary = "Import a file of a feed: the body is the file, ?feed=NAME&file_name=X; "
                 "201 with the summary, 200 if the same file was imported before",
      .summary_zh = "上传导入部门数据文件" },
    { .method = "GET", .path = "/api/v1/exchange/batches/{id}", .fn = get_batch,
      .permission = "exchange:batch:read", .summary = "One batch's summary",
      .summary_zh = "批次详情" },
    { .method = "GET", .path = "/api/v1/exchange/quarantine", .fn = get_quarantine,
      .permission = "exchange:batch:read",
      .summary = "Quarantined rows with their reasons (status, feed, batch, page, page_size)",
      .summary_zh = "隔离数据（问题数据）列表" },
    { .method = "GET", .path = "/api/v1/exchange/quarantine/{id}", .fn = get_quarantine_row,
      .permission = "exchange:quarantine:write",
      .summary = "A quarantined row with its values and the feed's columns (audited)",
      .summary_zh = "隔离数据详情" },
    { .method = "POST", .path = "/api/v1/exchange/quarantine/{id}/resubmit", .fn = post_resubmit,
      .permission = "exchange:quarantine:write", .flags = ROUTE_WRITE,
      .body_schema = RESUBMIT_SCHEMA,
      .summary = "Correct a quarantined row and submit it again (checked, stored, linked)",
      .summary_zh = "更正并重新提交隔离数据" },
    { .method = "POST", .path = "/api/v1/exchange/quarantine/{id}/dismiss", .fn = post_dismiss,
      .permission = "exchange:quarantine:write", .flags = ROUTE_WRITE,
      .body_schema = DISMISS_SCHEMA, .summary = "Dismiss a quarantined row, with a reason",
      .summary_zh = "作废隔离数据" },
    { .method = "GET", .path = "/api/v1/exchange/reviews", .fn = get_reviews,
      .permission = "exchange:review:read",
      .summary = "The clerical review queue: pairs side by side with per-field evidence "
                 "(status, kind, feed, page, page_size; audited)",
      .summary_zh = "人工核对队列" },
    { .method = "GET", .path = "/api/v1/exchange/reviews/{id}", .fn = get_review,
      .permission = "exchange:review:read", .summary = "One review pair (audited)",
      .summary_zh = "核对事项详情" },
    { .method = "POST", .path = "/api/v1/exchange/reviews/{id}/decision", .fn = post_decision,
      .permission = "exchange:review:decide", .flags = ROUTE_WRITE,
      .body_schema = DECISION_SCHEMA,
      .summary = "Accept (same person: link) or reject (reason needed) a review pair (audited)",
      .summary_zh = "人工核对结论" },
    {NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL},
};
