/*
 * registry_http.c - residents, households and timelines over HTTP: parse,
 * call one domain function with the caller's data scope, render.
 *
 * Every reply that shows personal data is sent only once its audit entry is
 * committed (audit_http_reply_when_recorded()). ID and phone numbers leave
 * masked, except from reveal-id, which needs its own permission and a
 * purpose.
 */
#include "modules/registry/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/rescode.h"
#include "modules/audit/audit_http.h"
#include "modules/registry/registry_int.h"
#include "core/banned.h"

static const char *scope_of(const struct http_request *req)
{
    return req->principal && req->principal->scope ? req->principal->scope : "";
}

static json_t *address_json(const struct registry_address *a)
{
    json_t *o = json_pack("{s:s,s:s}", "region_code", a->region_code, "detail",
                          a->detail ? a->detail : "");
    json_object_set_new(o, "place_id", a->place_id ? json_integer(a->place_id) : json_null());
    return o;
}

static json_t *resident_json(const struct registry_resident *r)
{
    char display[MS_RESCODE_DISPLAY_LEN + 1];
    ms_rescode_format(r->code, display);
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:I}", "code", r->code,
        "code_display", display, "name", r->name, "name_pinyin", r->name_pinyin, "sex", r->sex,
        "birth_date", r->birth_date, "age", r->age, "id_number", r->id_number_masked, "phone",
        r->phone_masked, "ethnicity", r->ethnicity, "hukou_type", r->hukou_type, "hukou",
        address_json(&r->hukou), "residence", address_json(&r->residence), "relation",
        r->relation, "status", r->status, "status_date", r->status_date, "version",
        (json_int_t)r->version);
    json_object_set_new(o, "household_id",
                        r->household_id ? json_integer(r->household_id) : json_null());
    json_object_set_new(o, "household_number", json_string(r->household_number));
    return o;
}

static int get_residents(struct http_request *req)
{
    struct registry_query q = {.age_min = -1, .age_max = -1, .page = 1, .page_size = 20};
    int64_t age_min = -1, age_max = -1, page = 1, page_size = 20;
    q.q = http_query(req, "q");
    q.town = http_query(req, "town");
    q.village = http_query(req, "village");
    q.status = http_query(req, "status");
    q.hukou_type = http_query(req, "hukou");
    if (http_query_int(req, "age_min", 0, 150, &age_min) < 0 ||
        http_query_int(req, "age_max", 0, 150, &age_max) < 0 ||
        http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &page_size) < 0)
        return req->err.code;
    q.age_min = (int)age_min;
    q.age_max = (int)age_max;
    q.page = (int)page;
    q.page_size = (int)page_size;

    struct registry_page p;
    struct audit_entry read;
    if (registry_resident_search(req->store, scope_of(req), &q, req->arena, &p, &read,
                                 &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < p.n; i++)
        json_array_append_new(items, resident_json(&p.items[i]));
    http_reply_json(req, 200,
                    json_pack("{s:o,s:I,s:b,s:i,s:i,s:s}", "items", items, "total",
                              (json_int_t)p.total, "total_capped", p.is_total_capped, "page",
                              q.page, "page_size", q.page_size, "matched_by", p.matched_by));
    return audit_http_reply_when_recorded(req, &read);
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The search's filters (no page: an export holds every match up to the
 * policy's limit), and an optional purpose for the audit log. */
static int get_residents_export(struct http_request *req)
{
    struct registry_query q = {.age_min = -1, .age_max = -1, .page = 1, .page_size = 1};
    int64_t age_min = -1, age_max = -1;
    q.q = http_query(req, "q");
    q.town = http_query(req, "town");
    q.village = http_query(req, "village");
    q.status = http_query(req, "status");
    q.hukou_type = http_query(req, "hukou");
    if (http_query_int(req, "age_min", 0, 150, &age_min) < 0 ||
        http_query_int(req, "age_max", 0, 150, &age_max) < 0)
        return req->err.code;
    q.age_min = (int)age_min;
    q.age_max = (int)age_max;

    struct ms_actor actor;
    struct registry_export x;
    struct audit_entry read;
    http_actor(req, &actor);
    if (registry_resident_export(req->store, scope_of(req), &q, http_query(req, "purpose"),
                                 &actor, req->arena, &x, &read, &req->err) < 0)
        return req->err.code;
    http_reply_text(req, 200, XLSX_TYPE, x.xlsx, x.xlsx_len);
    free(x.xlsx);
    http_add_header(req, "Content-Disposition",
                    ms_arena_printf(req->arena, "attachment; filename=\"%s\"", x.filename));
    return audit_http_reply_when_recorded(req, &read);
}

static int get_resident(struct http_request *req)
{
    struct registry_resident r;
    struct audit_entry read;
    if (registry_resident_get(req->store, scope_of(req), http_param(req, "code"), req->arena, &r,
                              &read, &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, resident_json(&r));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_reveal_id(struct http_request *req)
{
    static const char *const fields[] = {"purpose", NULL};
    json_t *body;
    const char *purpose, *id_number;
    struct audit_entry read;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "purpose", 1, 200, &purpose, &req->err) < 0)
        return req->err.code;
    if (registry_resident_reveal_id(req->store, scope_of(req), http_param(req, "code"), purpose,
                                    req->arena, &id_number, &read, &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, json_pack("{s:s,s:s}", "code", read.subject, "id_number", id_number));
    return audit_http_reply_when_recorded(req, &read);
}

/* An address object {region_code, place_id, detail}; absent leaves *a empty. */
static int get_address(struct http_request *req, json_t *body, const char *key,
                       struct registry_address *a)
{
    static const char *const fields[] = {"region_code", "place_id", "detail", NULL};
    json_t *o = json_object_get(body, key);
    memset(a, 0, sizeof(*a));
    if (!o || json_is_null(o))
        return 0;
    if (ms_json_object_check(o, fields, &req->err) < 0 ||
        ms_json_get_str(o, "region_code", 1, 12, &a->region_code, &req->err) < 0 ||
        ms_json_get_int(o, "place_id", 0, 1, INT64_MAX, &a->place_id, NULL, &req->err) < 0 ||
        ms_json_get_str(o, "detail", 0, 100, &a->detail, &req->err) < 0) {
        if (req->err.field[0] && !strchr(req->err.field, '.')) {
            char f[MS_ERR_FIELD_MAX * 2];
            snprintf(f, sizeof(f), "%s.%s", key, req->err.field);
            f[MS_ERR_FIELD_MAX - 1] = '\0';
            memcpy(req->err.field, f, MS_ERR_FIELD_MAX);
        }
        return req->err.code;
    }
    return 0;
}

static int post_residents(struct http_request *req)
{
    static const char *const fields[] = {"name", "id_number", "sex", "birth_date", "phone",
                                         "ethnicity", "hukou_type", "hukou", "residence",
                                         "household_id", "relation", NULL};
    json_t *body;
    struct registry_resident_new in = {0};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "name", 1, 30, &in.name, &req->err) < 0 ||
        ms_json_get_str(body, "id_number", 1, 18, &in.id_number, &req->err) < 0 ||
        ms_json_get_str(body, "sex", 0, 1, &in.sex, &req->err) < 0 ||
        ms_json_get_str(body, "birth_date", 0, 10, &in.birth_date, &req->err) < 0 ||
        ms_json_get_str(body, "phone", 0, 13, &in.phone, &req->err) < 0 ||
        ms_json_get_str(body, "ethnicity", 0, 10, &in.ethnicity, &req->err) < 0 ||
        ms_json_get_str(body, "hukou_type", 1, 5, &in.hukou_type, &req->err) < 0 ||
        get_address(req, body, "hukou", &in.hukou) < 0 ||
        get_address(req, body, "residence", &in.residence) < 0 ||
        ms_json_get_int(body, "household_id", 0, 1, INT64_MAX, &in.household_id, NULL,
                        &req->err) < 0 ||
        ms_json_get_str(body, "relation", 0, 16, &in.relation, &req->err) < 0)
        return req->err.code;
    struct ms_actor actor;
    char code[MS_RESCODE_LEN + 1];
    http_actor(req, &actor);
    if (registry_resident_create(req->store, scope_of(req), &in, &actor, code, &req->err) < 0)
        return req->err.code;
    http_add_header(req, "Location", ms_arena_printf(req->arena, "/api/v1/residents/%s", code));
    return http_reply_json(req, 201, json_pack("{s:s,s:I}", "code", code, "version",
                                               (json_int_t)1));
}

static int patch_resident(struct http_request *req)
{
    static const char *const fields[] = {"version", "name", "phone", "ethnicity", "hukou_type",
                                         "hukou", "residence", NULL};
    json_t *body;
    int64_t version = 0, new_version = 0;
    struct registry_resident_patch p = {0};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_int(body, "version", 1, 1, INT64_MAX, &version, NULL, &req->err) < 0 ||
        ms_json_get_str(body, "name", 0, 30, &p.name, &req->err) < 0 ||
        ms_json_get_str(body, "phone", 0, 13, &p.phone, &req->err) < 0 ||
        ms_json_get_str(body, "ethnicity", 0, 10, &p.ethnicity, &req->err) < 0 ||
        ms_json_get_str(body, "hukou_type", 0, 5, &p.hukou_type, &req->err) < 0 ||
        get_address(req, body, "hukou", &p.hukou) < 0 ||
        get_address(req, body, "residence", &p.residence) < 0)
        return req->err.code;
    struct ms_actor actor;
    http_actor(req, &actor);
    if (registry_resident_update(req->store, scope_of(req), http_param(req, "code"), &p, version,
                                 &actor, &new_version, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, json_pack("{s:s,s:I}", "code", http_param(req, "code"),
                                               "version", (json_int_t)new_version));
}

static int get_events(struct http_request *req)
{
    struct registry_event *ev;
    size_t n;
    struct audit_entry read;
    if (registry_event_list(req->store, scope_of(req), http_param(req, "code"), req->arena, &ev,
                            &n, &read, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *detail = NULL;
        if (ms_json_parse(ev[i].detail_json, strlen(ev[i].detail_json), &detail, NULL) < 0)
            detail = json_object();
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s}", "id",
                                               (json_int_t)ev[i].id, "kind", ev[i].kind, "date",
                                               ev[i].date, "source_module", ev[i].source_module,
                                               "detail", detail, "created_at", ev[i].created_at,
                                               "created_by", ev[i].created_by));
    }
    http_reply_json(req, 200, json_pack("{s:s,s:o}", "code", read.subject, "items", items));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_event(struct http_request *req)
{
    static const char *const fields[] = {"kind", "date", "detail", NULL};
    json_t *body;
    const char *kind, *date, *detail = NULL;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "kind", 1, 16, &kind, &req->err) < 0 ||
        ms_json_get_str(body, "date", 1, 10, &date, &req->err) < 0)
        return req->err.code;
    json_t *d = json_object_get(body, "detail");
    if (d && !json_is_null(d)) {
        struct ms_str s = MS_STR_INIT;
        ms_json_dump(d, &s);
        detail = ms_arena_strdup(req->arena, s.buf);
        ms_str_release(&s);
    }
    struct ms_actor actor;
    int64_t id;
    http_actor(req, &actor);
    if (registry_event_add(req->store, scope_of(req), http_param(req, "code"), kind, date, detail,
                           &actor, &id, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "kind",
                                               kind, "date", date));
}

static int household_id_param(struct http_request *req, int64_t *id)
{
    if (!http_param_id(req, "id", id)) {
        /* Not a number: cannot exist, so not found (like one out of scope). */
        int ret = ms_err_set(&req->err, MS_ENOTFOUND, "household not found");
        ms_err_zh(&req->err, "未找到该户");
        return ret;
    }
    return 0;
}

static int get_household(struct http_request *req)
{
    struct registry_household h;
    struct audit_entry read;
    int64_t id = 0;
    if (household_id_param(req, &id) < 0 ||
        registry_household_get(req->store, scope_of(req), id, req->arena, &h, &read,
                               &req->err) < 0)
        return req->err.code;
    json_t *members = json_array();
    for (size_t i = 0; i < h.n_members; i++)
        json_array_append_new(members, resident_json(&h.members[i]));
    http_reply_json(req, 200,
                    json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)h.id, "number", h.number,
                              "head_code", h.head_code, "address", address_json(&h.address),
                              "members", members));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_households(struct http_request *req)
{
    static const char *const fields[] = {"number", "address", NULL};
    json_t *body;
    struct registry_household_new in = {0};
    int64_t id;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "number", 1, 20, &in.number, &req->err) < 0 ||
        get_address(req, body, "address", &in.address) < 0)
        return req->err.code;
    struct ms_actor actor;
    http_actor(req, &actor);
    if (registry_household_create(req->store, scope_of(req), &in, &actor, &id, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "number",
                                               in.number));
}

#define ADDRESS_SCHEMA                                                                            \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"region_code\"],"         \
    "\"properties\":{\"region_code\":{\"type\":\"string\",\"pattern\":\"^[0-9]{12}$\"},"          \
    "\"place_id\":{\"type\":\"integer\",\"minimum\":1},"                                           \
    "\"detail\":{\"type\":\"string\",\"maxLength\":100}}}"
#define RESIDENT_NEW_SCHEMA                                                                       \
    "{\"type\":\"object\",\"additionalProperties\":false,"                                         \
    "\"required\":[\"name\",\"id_number\",\"hukou_type\",\"residence\"],\"properties\":{"         \
    "\"name\":{\"type\":\"string\",\"maxLength\":30},"                                             \
    "\"id_number\":{\"type\":\"string\",\"pattern\":\"^[0-9]{15}([0-9]{2}[0-9Xx])?$\"},"          \
    "\"sex\":{\"enum\":[\"M\",\"F\"]},\"birth_date\":{\"type\":\"string\",\"format\":\"date\"},"  \
    "\"phone\":{\"type\":\"string\",\"maxLength\":13},"                                            \
    "\"ethnicity\":{\"type\":\"string\",\"maxLength\":10},"                                        \
    "\"hukou_type\":{\"enum\":[\"urban\",\"rural\"]},"                                             \
    "\"hukou\":" ADDRESS_SCHEMA ",\"residence\":" ADDRESS_SCHEMA ","                               \
    "\"household_id\":{\"type\":\"integer\",\"minimum\":1},"                                       \
    "\"relation\":{\"enum\":[\"head\",\"spouse\",\"child\",\"parent\",\"grandchild\","            \
    "\"grandparent\",\"sibling\",\"other\"]}}}"
#define RESIDENT_PATCH_SCHEMA                                                                     \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"version\"],"             \
    "\"properties\":{\"version\":{\"type\":\"integer\",\"minimum\":1},"                            \
    "\"name\":{\"type\":\"string\",\"maxLength\":30},\"phone\":{\"type\":\"string\"},"            \
    "\"ethnicity\":{\"type\":\"string\",\"maxLength\":10},"                                        \
    "\"hukou_type\":{\"enum\":[\"urban\",\"rural\"]},"                                             \
    "\"hukou\":" ADDRESS_SCHEMA ",\"residence\":" ADDRESS_SCHEMA "}}"
#define REVEAL_SCHEMA                                                                             \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"purpose\"],"             \
    "\"properties\":{\"purpose\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}}}"
#define EVENT_SCHEMA                                                                              \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"kind\",\"date\"],"       \
    "\"properties\":{\"kind\":{\"enum\":[\"birth\",\"marriage\",\"divorce\",\"death\","           \
    "\"move_in\",\"move_out\"]},\"date\":{\"type\":\"string\",\"format\":\"date\"},"              \
    "\"detail\":{\"type\":\"object\"}}}"
#define HOUSEHOLD_SCHEMA                                                                          \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"number\",\"address\"],"  \
    "\"properties\":{\"number\":{\"type\":\"string\",\"pattern\":\"^[0-9A-Z]{1,20}$\"},"          \
    "\"address\":" ADDRESS_SCHEMA "}}"

/* clang-format off */
const struct http_route registry_http_routes[] = {
    { .method = "GET", .path = "/api/v1/residents", .fn = get_residents,
      .permission = "registry:resident:read",
      .summary = "Search residents in your data scope: q = name, pinyin, initials, resident "
                 "code, ID or phone number; town, village, age_min, age_max, status, hukou, "
                 "page, page_size (audited)",
      .summary_zh = "居民查询" },
    { .method = "POST", .path = "/api/v1/residents", .fn = post_residents,
      .permission = "registry:resident:write", .flags = ROUTE_WRITE,
      .body_schema = RESIDENT_NEW_SCHEMA,
      .summary = "Register a resident (ID number, birth date and sex must agree)",
      .summary_zh = "居民登记" },
    /* Before /api/v1/residents/{code}, which would otherwise match it. */
    { .method = "GET", .path = "/api/v1/residents/export.xlsx", .fn = get_residents_export,
      .permission = "registry:resident:export",
      .summary = "Excel export of a search in your data scope (the search's filters, and "
                 "purpose), ID and phone masked, at most registry.export_max_rows rows "
                 "(audited)",
      .summary_zh = "导出居民名单（Excel，已脱敏）" },
    { .method = "GET", .path = "/api/v1/residents/{code}", .fn = get_resident,
      .permission = "registry:resident:read",
      .summary = "One resident, ID and phone masked (audited)", .summary_zh = "居民档案" },
    { .method = "PATCH", .path = "/api/v1/residents/{code}", .fn = patch_resident,
      .permission = "registry:resident:write", .flags = ROUTE_WRITE,
      .body_schema = RESIDENT_PATCH_SCHEMA,
      .summary = "Change a resident; body carries the version read (409 if stale)",
      .summary_zh = "修改居民信息" },
    { .method = "POST", .path = "/api/v1/residents/{code}/reveal-id", .fn = post_reveal_id,
      .permission = "registry:resident:view_full_id", .body_schema = REVEAL_SCHEMA,
      .summary = "The full ID number, for a stated purpose (audited with it)",
      .summary_zh = "查看完整身份证号码" },
    { .method = "GET", .path = "/api/v1/residents/{code}/events", .fn = get_events,
      .permission = "registry:resident:read",
      .summary = "The resident's timeline of life events (audited)",
      .summary_zh = "居民生命事件" },
    { .method = "POST", .path = "/api/v1/residents/{code}/events", .fn = post_event,
      .permission = "registry:resident:write", .flags = ROUTE_WRITE, .body_schema = EVENT_SCHEMA,
      .summary = "Record a life event (death, move_out and move_in change the status)",
      .summary_zh = "登记生命事件" },
    { .method = "POST", .path = "/api/v1/households", .fn = post_households,
      .permission = "registry:resident:write", .flags = ROUTE_WRITE,
      .body_schema = HOUSEHOLD_SCHEMA, .summary = "Register a household",
      .summary_zh = "登记户" },
    { .method = "GET", .path = "/api/v1/households/{id}", .fn = get_household,
      .permission = "registry:resident:read",
      .summary = "A household with its members in your scope (audited)",
      .summary_zh = "户信息及成员" },
    { .method = NULL },
};
/* clang-format on */
