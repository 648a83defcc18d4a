/*
 * placenames_http.c - standard place names over HTTP: search, one place with
 * its ancestors and children, children, a GeoJSON map layer, add and change.
 *
 * Coordinates go out as JSON numbers in degrees (the exact microdegrees
 * divided by 1e6) and come in the same way; the GeoJSON layer is written as
 * text by placenames_geojson() so its numbers are exact decimals.
 */
#include "modules/placenames/placenames.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/json.h"
#include "modules/placenames/placenames_int.h"

#define ALIASES_MAX 10

static json_t *aliases_json(const char *aliases)
{
    json_t *arr = json_array();
    const char *p = aliases;
    while (*p) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, len));
        p += len + (end ? 1 : 0);
    }
    return arr;
}

static json_t *place_json(const struct place *p)
{
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:I,s:s,s:s}", "id",
        (json_int_t)p->id, "kind", p->kind, "name", p->name, "region_code", p->region_code,
        "scope_code", p->scope_code, "parent_id",
        p->parent_id ? json_integer((json_int_t)p->parent_id) : json_null(), "pinyin", p->pinyin,
        "pinyin_initials", p->pinyin_initials, "aliases", aliases_json(p->aliases), "lng",
        p->has_coords ? json_real((double)p->lng_microdeg / 1e6) : json_null(), "lat",
        p->has_coords ? json_real((double)p->lat_microdeg / 1e6) : json_null(), "has_outline",
        *p->outline != '\0', "is_synthetic", p->is_synthetic, "version", (json_int_t)p->version,
        "created_at", p->created_at, "updated_at", p->updated_at);
    return o;
}

static json_t *places_json(const struct place *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, place_json(&v[i]));
    return arr;
}

static int get_places(struct http_request *req)
{
    int64_t limit = 20;
    if (http_query_int(req, "limit", 1, PLACENAMES_SEARCH_MAX, &limit) < 0)
        return req->err.code;
    struct placenames_query q = {http_query(req, "q"), http_query(req, "kind"),
                                 http_query(req, "under"), (int)limit};
    struct place *v;
    size_t n;
    if (placenames_search(req->store, &q, req->arena, &v, &n, &req->err) < 0)
        return req->err.code;
    return http_reply_json(
        req, 200, json_pack("{s:I,s:o}", "count", (json_int_t)n, "items", places_json(v, n)));
}

static int get_places_geojson(struct http_request *req)
{
    struct ms_str out = MS_STR_INIT;
    if (placenames_geojson(req->store, http_query(req, "kind"), http_query(req, "under"), &out,
                           &req->err) < 0) {
        ms_str_release(&out);
        return req->err.code;
    }
    http_reply_text(req, 200, "application/geo+json", out.buf, out.len);
    ms_str_release(&out);
    return 0;
}

static json_t *brief_json(const struct place *p)
{
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)p->id, "kind", p->kind, "name", p->name,
                     "region_code", p->region_code);
}

static int get_place(struct http_request *req)
{
    struct place p, *up, *down;
    size_t n_up, n_down;
    if (placenames_get_by_ref(req->store, http_param(req, "id"), req->arena, &p, &req->err) < 0 ||
        placenames_ancestors(req->store, &p, req->arena, &up, &n_up, &req->err) < 0 ||
        placenames_children(req->store, p.id, req->arena, &down, &n_down, &req->err) < 0)
        return req->err.code;
    json_t *body = place_json(&p);
    json_t *path = json_array(), *by_kind = json_object();
    for (size_t i = 0; i < n_up; i++)
        json_array_append_new(path, brief_json(&up[i]));
    for (size_t i = 0; i < n_down; i++) {
        json_t *c = json_object_get(by_kind, down[i].kind);
        json_object_set_new(by_kind, down[i].kind, json_integer(c ? json_integer_value(c) + 1 : 1));
    }
    json_t *outline = *p.outline ? json_loads(p.outline, 0, NULL) : NULL;
    json_object_set_new(body, "outline", outline ? outline : json_null());
    json_object_set_new(body, "ancestors", path);
    json_object_set_new(body, "children",
                        json_pack("{s:I,s:o}", "count", (json_int_t)n_down, "by_kind", by_kind));
    return http_reply_json(req, 200, body);
}

static int get_place_children(struct http_request *req)
{
    struct place p, *v;
    size_t n;
    if (placenames_get_by_ref(req->store, http_param(req, "id"), req->arena, &p, &req->err) < 0 ||
        placenames_children(req->store, p.id, req->arena, &v, &n, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:I,s:I,s:o}", "parent_id", (json_int_t)p.id, "count",
                                     (json_int_t)n, "items", places_json(v, n)));
}

/* ---- request bodies ------------------------------------------------------ */

static int body_aliases(struct http_request *req, json_t *body, const char **out)
{
    json_t *v = json_object_get(body, "aliases");
    struct ms_str s = MS_STR_INIT;
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v) || json_array_size(v) > ALIASES_MAX) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "aliases",
                               "aliases must be an array of at most 10 strings");
        ms_err_zh(&req->err, "别名应为不超过 10 个字符串的数组");
        return ret;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        const char *a = json_string_value(json_array_get(v, i));
        if (!a || strchr(a, '|')) {
            ms_str_release(&s);
            int ret = ms_err_field(&req->err, MS_EFIELD, "aliases",
                                   "each alias must be a string without '|'");
            ms_err_zh(&req->err, "每个别名应为不含“|”的字符串");
            return ret;
        }
        ms_str_addf(&s, "%s%s", i ? "|" : "", a);
    }
    *out = ms_arena_strndup(req->arena, s.buf, s.len);
    ms_str_release(&s);
    return 0;
}

/* lng and lat: both numbers, both null (clear), or both absent. */
static int body_coords(struct http_request *req, json_t *body, int *is_set, int *has, int64_t *lng,
                       int64_t *lat)
{
    json_t *x = json_object_get(body, "lng"), *y = json_object_get(body, "lat");
    *is_set = *has = 0;
    if (!x && !y)
        return 0;
    *is_set = 1;
    if (x && y && json_is_null(x) && json_is_null(y))
        return 0;
    if (!json_is_number(x) || !json_is_number(y)) {
        int ret = ms_err_field(&req->err, MS_EFIELD, x && json_is_number(x) ? "lat" : "lng",
                               "lng and lat must both be numbers in degrees (or both null)");
        ms_err_zh(&req->err, "经度和纬度须同时以度数给出（或同时为 null）");
        return ret;
    }
    *has = 1;
    *lng = (int64_t)llround(json_number_value(x) * 1e6);
    *lat = (int64_t)llround(json_number_value(y) * 1e6);
    return 0;
}

/* outline: polygon coordinates (an array), or null / absent. */
static int body_outline(struct http_request *req, json_t *body, const char **out)
{
    json_t *v = json_object_get(body, "outline");
    *out = NULL;
    if (!v)
        return 0;
    if (json_is_null(v)) {
        *out = "";
        return 0;
    }
    if (!json_is_array(v)) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "outline",
                               "outline must be GeoJSON polygon coordinates [[[lng,lat],...]]");
        ms_err_zh(&req->err, "轮廓应为 GeoJSON 多边形坐标");
        return ret;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    *out = ms_arena_strdup(req->arena, text ? text : "");
    free(text);
    return 0;
}

static int post_place(struct http_request *req)
{
    static const char *const fields[] = {"kind", "name", "region_code", "parent_id",    "aliases",
                                         "lng",  "lat",  "outline",     "is_synthetic", NULL};
    json_t *body;
    struct place_in in = {0};
    int is_set;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "kind", 1, 20, &in.kind, &req->err) < 0 ||
        ms_json_get_str(body, "name", 1, PLACENAMES_NAME_MAX, &in.name, &req->err) < 0 ||
        ms_json_get_str(body, "region_code", 0, 12, &in.region_code, &req->err) < 0 ||
        ms_json_get_int(body, "parent_id", 0, 1, INT64_MAX, &in.parent_id, NULL, &req->err) < 0 ||
        ms_json_get_bool(body, "is_synthetic", 0, &in.is_synthetic, &req->err) < 0 ||
        body_aliases(req, body, &in.aliases) < 0 ||
        body_coords(req, body, &is_set, &in.has_coords, &in.lng_microdeg, &in.lat_microdeg) < 0 ||
        body_outline(req, body, &in.outline) < 0)
        return req->err.code;
    struct ms_actor actor;
    struct place p;
    int64_t id;
    http_actor(req, &actor);
    if (placenames_add(req->store, &in, &actor, &id, &req->err) < 0 ||
        placenames_get(req->store, id, req->arena, &p, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 201, place_json(&p));
}

static int patch_place(struct http_request *req)
{
    static const char *const fields[] = {"name", "region_code", "aliases",      "lng",
                                         "lat",  "outline",     "is_synthetic", NULL};
    json_t *body;
    struct place_patch pp = {0};
    struct place p;
    if (placenames_get_by_ref(req->store, http_param(req, "id"), req->arena, &p, &req->err) < 0)
        return req->err.code;
    pp.is_synthetic = -1;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "name", 0, PLACENAMES_NAME_MAX, &pp.name, &req->err) < 0 ||
        ms_json_get_str(body, "region_code", 0, 12, &pp.region_code, &req->err) < 0 ||
        ms_json_get_bool(body, "is_synthetic", 0, &pp.is_synthetic, &req->err) < 0 ||
        body_aliases(req, body, &pp.aliases) < 0 ||
        body_coords(req, body, &pp.set_coords, &pp.has_coords, &pp.lng_microdeg, &pp.lat_microdeg) <
            0 ||
        body_outline(req, body, &pp.outline) < 0)
        return req->err.code;
    if (json_object_get(body, "aliases") && !pp.aliases)
        pp.aliases = "";
    pp.set_synthetic = pp.is_synthetic >= 0;
    struct ms_actor actor;
    http_actor(req, &actor);
    if (placenames_update(req->store, p.id, &pp, &actor, &req->err) < 0 ||
        placenames_get(req->store, p.id, req->arena, &p, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, place_json(&p));
}

#define PLACE_PROPS                                                                                \
    "\"name\":{\"type\":\"string\",\"maxLength\":50},"                                             \
    "\"region_code\":{\"type\":\"string\",\"pattern\":\"^([0-9]{12})?$\"},"                        \
    "\"aliases\":{\"type\":[\"array\",\"null\"],\"maxItems\":10,\"items\":{\"type\":\"string\"}}," \
    "\"lng\":{\"type\":[\"number\",\"null\"]},\"lat\":{\"type\":[\"number\",\"null\"]},"           \
    "\"outline\":{\"type\":[\"array\",\"null\"]},\"is_synthetic\":{\"type\":\"boolean\"}"

/* clang-format off */
const struct http_route placenames_http_routes[] = {
    { .method = "GET", .path = "/api/v1/places", .fn = get_places,
      .permission = "places:read",
      .summary = "Search place names by hanzi, pinyin, initials or code prefix",
      .summary_zh = "标准地名查询（汉字、拼音、首字母或区划代码前缀）" },
    /* Before /places/{id}, which would otherwise take "geojson" as an id. */
    { .method = "GET", .path = "/api/v1/places/geojson", .fn = get_places_geojson,
      .permission = "places:read",
      .summary = "Outlines as a GeoJSON FeatureCollection (?kind=town&under=) for the map",
      .summary_zh = "地名轮廓 GeoJSON（地图用）" },
    { .method = "GET", .path = "/api/v1/places/{id}", .fn = get_place,
      .permission = "places:read",
      .summary = "One place (by id or 12-digit region code) with its ancestors and children count",
      .summary_zh = "地名详情（含上级路径与下级统计）" },
    { .method = "GET", .path = "/api/v1/places/{id}/children", .fn = get_place_children,
      .permission = "places:read",
      .summary = "The places directly under a place", .summary_zh = "下级地名" },
    { .method = "POST", .path = "/api/v1/places", .fn = post_place,
      .permission = "places:write", .flags = ROUTE_WRITE,
      .summary = "Add a place", .summary_zh = "新增地名",
      .body_schema = "{\"type\":\"object\",\"required\":[\"kind\",\"name\"],"
                     "\"additionalProperties\":false,\"properties\":{"
                     "\"kind\":{\"type\":\"string\",\"enum\":[\"district\",\"town\",\"street\","
                     "\"village\",\"community\",\"road\",\"building\",\"landmark\"]},"
                     "\"parent_id\":{\"type\":\"integer\",\"minimum\":1}," PLACE_PROPS "}}" },
    { .method = "PATCH", .path = "/api/v1/places/{id}", .fn = patch_place,
      .permission = "places:write", .flags = ROUTE_WRITE,
      .summary = "Change a place's name, code, aliases, coordinates or outline",
      .summary_zh = "修改地名",
      .body_schema = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                     PLACE_PROPS "}}" },
    { .method = NULL },
};
/* clang-format on */
