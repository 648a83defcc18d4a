/*
 * request.c - what handlers call on a request: parameters, headers, the
 * JSON body, and the reply helpers. The error reply lives here too, so every
 * error in the API has the one shape.
 */
#include "http/http.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/banned.h"

const char *http_param(const struct http_request *req, const char *name)
{
    for (int i = 0; i < req->n_params; i++)
        if (strcmp(req->param_names[i], name) == 0)
            return req->param_values[i];
    return NULL;
}

int http_param_id(const struct http_request *req, const char *name, int64_t *id)
{
    const char *v = http_param(req, name);
    char *end = NULL;
    errno = 0;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (!v || !*v || *end || errno || n <= 0)
        return 0;
    *id = n;
    return 1;
}

const char *http_query(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct http_request *req, const char *name)
{
    /* A header that is not valid UTF-8 is treated as absent, so it can never
     * reach a database that refuses such text. */
    const char *v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
    return v && ms_utf8_is_valid(v, strlen(v)) ? v : NULL;
}

int http_has_permission(const struct http_principal *p, const char *permission)
{
    size_t lo = 0, hi = p->n_permissions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->permissions[mid], permission);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void decref_cleanup(void *data)
{
    json_decref(data);
}

json_t *http_own(struct http_request *req, json_t *value)
{
    if (value)
        ms_arena_on_cleanup(req->arena, decref_cleanup, value);
    return value;
}

int http_body_object(struct http_request *req, const char *const *allowed, json_t **out)
{
    json_t *v;
    if (req->body_len == 0) {
        int ret = ms_err_set(&req->err, MS_EJSON, "request body is empty; a JSON object is expected");
        ms_err_zh(&req->err, "请求内容为空，应为 JSON 对象");
        return ret;
    }
    if (ms_json_parse(req->body, req->body_len, &v, &req->err) < 0)
        return req->err.code;
    http_own(req, v);
    if (ms_json_object_check(v, allowed, &req->err) < 0)
        return req->err.code;
    *out = v;
    return 0;
}

void http_add_header(struct http_request *req, const char *name, const char *value)
{
    if (req->n_headers == HTTP_MAX_HEADERS)
        return;
    req->header_names[req->n_headers] = ms_arena_strdup(req->arena, name);
    req->header_values[req->n_headers] = ms_arena_strdup(req->arena, value);
    req->n_headers++;
}

int http_reply_text(struct http_request *req, int status, const char *content_type,
                    const char *text, size_t len)
{
    req->status = status;
    req->content_type = content_type;
    ms_str_reset(&req->out);
    ms_str_add(&req->out, text, len);
    return 0;
}

int http_reply_json(struct http_request *req, int status, json_t *body)
{
    req->status = status;
    req->content_type = "application/json; charset=utf-8";
    ms_str_reset(&req->out);
    ms_json_dump(body, &req->out);
    json_decref(body);
    return 0;
}

int http_reply_empty(struct http_request *req, int status)
{
    req->status = status;
    req->content_type = NULL;
    ms_str_reset(&req->out);
    return 0;
}

int http_reply_error(struct http_request *req, int code)
{
    if (!req->err.code)
        ms_err_set(&req->err, code ? code : MS_EINTERNAL, "%s",
                   ms_err_default_en(code ? code : MS_EINTERNAL));
    const struct ms_err *e = &req->err;
    /* A 5xx detail may quote the database or the system: it goes to the log
     * (with the request id), not to the client. */
    int is_ours = ms_err_http_status(e->code) >= 500;
    json_t *inner = json_pack("{s:s,s:s,s:s}", "code", ms_err_code_name(e->code), "message",
                              is_ours ? ms_err_default_zh(e->code)
                                      : ms_err_display(e, req->is_english),
                              "detail",
                              e->message[0] && !is_ours ? e->message
                                                        : ms_err_default_en(e->code));
    if (!inner) /* a message cut inside a UTF-8 sequence: fall back to the defaults */
        inner = json_pack("{s:s,s:s,s:s}", "code", ms_err_code_name(e->code), "message",
                          req->is_english ? ms_err_default_en(e->code)
                                          : ms_err_default_zh(e->code),
                          "detail", ms_err_default_en(e->code));
    if (e->field[0] && ms_utf8_is_valid(e->field, strlen(e->field)))
        json_object_set_new(inner, "field", json_string(e->field));
    if (req->request_id)
        json_object_set_new(inner, "request_id", json_string(req->request_id));
    return http_reply_json(req, ms_err_http_status(e->code), json_pack("{s:o}", "error", inner));
}

void http_actor(const struct http_request *req, struct ms_actor *out)
{
    const struct http_principal *p = req->principal;
    out->user_id = p ? p->user_id : 0;
    out->username = p ? p->username : "";
    out->role = p ? p->role : "";
    out->ip = req->client_ip ? req->client_ip : "";
    out->request_id = req->request_id ? req->request_id : "";
}

int http_query_int(struct http_request *req, const char *name, int64_t min, int64_t max,
                   int64_t *out)
{
    const char *v = http_query(req, name);
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max) {
        int ret = ms_err_field(&req->err, MS_EFIELD, name,
                               "query argument '%s' must be an integer from %lld to %lld", name,
                               (long long)min, (long long)max);
        ms_err_zh(&req->err, "参数“%s”应为 %lld 到 %lld 之间的整数", name, (long long)min,
                  (long long)max);
        return ret;
    }
    *out = n;
    return 0;
}
