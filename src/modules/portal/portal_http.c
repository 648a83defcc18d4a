/*
 * portal_http.c - the resident portal's routes: ask for a code, log in
 * with it, log out, and read one's own record.
 *
 * The two public routes answer the same whether or not the number is
 * registered (portal.h). The others are ROUTE_RESIDENT: the server resolves
 * them with portal_http_authenticate() from the bearer token or the
 * HTTP_RESIDENT_COOKIE, never from a staff session, and the resident they
 * act on is the session's, never one named in the request.
 */
#include "modules/portal/portal.h"

#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/rescode.h"
#include "modules/audit/audit_http.h"
#include "modules/portal/portal_int.h"
#include "core/banned.h"

static int post_otp(struct http_request *req)
{
    static const char *const fields[] = {"id_number", NULL};
    json_t *body;
    struct portal_otp_in in = {.ip = req->client_ip ? req->client_ip : "",
                               .request_id = req->request_id};
    struct portal_otp_out out;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "id_number", 1, 18, &in.id_number, &req->err) < 0)
        return req->err.code;
    if (portal_otp_request(req->store, &in, &out, &req->err) < 0)
        return req->err.code;
    /* The same words for a registered and an unregistered number. */
    return http_reply_json(req, 202,
                           json_pack("{s:s,s:s,s:I,s:i}", "status", "accepted", "message",
                                     req->is_english
                                         ? "If this ID number is registered, a code has been sent."
                                         : "如该身份证号已在本区登记，验证码已发送",
                                     "expires_in_minutes", (json_int_t)out.ttl_minutes,
                                     "resend_after_seconds", out.resend_after_s));
}

static int post_session(struct http_request *req)
{
    static const char *const fields[] = {"id_number", "code", NULL};
    json_t *body;
    struct portal_login_in in = {.ip = req->client_ip,
                                 .request_id = req->request_id,
                                 .user_agent = http_header(req, "User-Agent")};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "id_number", 1, 18, &in.id_number, &req->err) < 0 ||
        ms_json_get_str(body, "code", 1, 16, &in.code, &req->err) < 0)
        return req->err.code;
    struct portal_session s;
    if (portal_login(req->store, &in, req->arena, &s, &req->err) < 0)
        return req->err.code;
    char expires[MS_TS_LEN + 1];
    ms_clock_format(s.expires_ms, expires);
    http_add_header(
        req, "Set-Cookie",
        ms_arena_printf(req->arena,
                        HTTP_RESIDENT_COOKIE "=%s; Path=/api/v1/portal; HttpOnly; SameSite=Strict; "
                                             "Max-Age=%lld",
                        s.token, (long long)((s.expires_ms - ms_clock_now_ms()) / 1000)));
    return http_reply_json(req, 201,
                           json_pack("{s:s,s:s,s:I,s:s}", "token", s.token, "expires_at", expires,
                                     "idle_timeout_minutes",
                                     (json_int_t)(s.idle_timeout_ms / 60000), "role", PORTAL_ROLE));
}

static int delete_session(struct http_request *req)
{
    struct ms_actor actor;
    http_actor(req, &actor);
    if (portal_logout(req->store, req->principal->session_id, &actor, &req->err) < 0)
        return req->err.code;
    http_add_header(req, "Set-Cookie",
                    HTTP_RESIDENT_COOKIE
                    "=; Path=/api/v1/portal; HttpOnly; SameSite=Strict; Max-Age=0");
    return http_reply_empty(req, 204);
}

static json_t *me_json(const struct portal_me *m)
{
    char display[MS_RESCODE_DISPLAY_LEN + 1];
    ms_rescode_format(m->code, display);
    json_t *members = json_array();
    for (size_t i = 0; i < m->n_members; i++)
        json_array_append_new(members, json_pack("{s:s,s:s,s:b}", "name", m->members[i].name_masked,
                                                 "relation", m->members[i].relation, "is_self",
                                                 m->members[i].is_self));
    json_t *events = json_array();
    for (size_t i = 0; i < m->n_events; i++)
        json_array_append_new(events,
                              json_pack("{s:s,s:s,s:s}", "kind", m->events[i].kind, "date",
                                        m->events[i].date, "source", m->events[i].source_module));
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s},s:o,s:o}", "code",
                     m->code, "code_display", display, "name", m->name, "sex", m->sex, "birth_date",
                     m->birth_date, "age", m->age, "id_number", m->id_number_masked, "phone",
                     m->phone_masked, "hukou_type", m->hukou_type, "status", m->status, "address",
                     "region_code", m->region_code, "place", m->place, "detail", m->address,
                     "household", members, "events", events);
}

static int get_me(struct http_request *req)
{
    struct portal_me me;
    struct audit_entry read;
    if (portal_me_get(req->store, req->principal->resident_id, req->arena, &me, &read, &req->err) <
        0)
        return req->err.code;
    http_reply_json(req, 200, me_json(&me));
    http_add_header(req, "Cache-Control", "no-store");
    return audit_http_reply_when_recorded(req, &read);
}

#define OTP_SCHEMA                                                                      \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"id_number\"]," \
    "\"properties\":{\"id_number\":{\"type\":\"string\","                               \
    "\"pattern\":\"^[0-9]{15}([0-9]{2}[0-9Xx])?$\"}}}"
#define LOGIN_SCHEMA                                                                             \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"id_number\",\"code\"]," \
    "\"properties\":{\"id_number\":{\"type\":\"string\","                                        \
    "\"pattern\":\"^[0-9]{15}([0-9]{2}[0-9Xx])?$\"},"                                            \
    "\"code\":{\"type\":\"string\",\"pattern\":\"^[0-9]{6}$\"}}}"

/* clang-format off */
const struct http_route portal_http_routes[] = {
    { .method = "POST", .path = "/api/v1/portal/otp", .fn = post_otp,
      .flags = ROUTE_PUBLIC | ROUTE_WRITE, .body_schema = OTP_SCHEMA,
      .summary = "Ask for a one-time login code for an ID number: always 202, registered or "
                 "not; rate limited per number and per address (429)",
      .summary_zh = "居民获取登录验证码" },
    { .method = "POST", .path = "/api/v1/portal/session", .fn = post_session,
      .flags = ROUTE_PUBLIC | ROUTE_WRITE, .body_schema = LOGIN_SCHEMA,
      .summary = "Resident login with ID number and code: 201 with a token and the ms_portal "
                 "cookie; 401 invalid_code, 429 too_many_attempts",
      .summary_zh = "居民登录" },
    { .method = "DELETE", .path = "/api/v1/portal/session", .fn = delete_session,
      .permission = PORTAL_PERMISSION, .flags = ROUTE_RESIDENT | ROUTE_WRITE,
      .summary = "Resident logout", .summary_zh = "居民退出登录" },
    { .method = "GET", .path = "/api/v1/portal/me", .fn = get_me,
      .permission = PORTAL_PERMISSION, .flags = ROUTE_RESIDENT,
      .summary = "The resident's own record, masked: ID, phone, household names; the "
                 "timeline (audited)",
      .summary_zh = "我的档案" },
    { .method = NULL },
};
/* clang-format on */
