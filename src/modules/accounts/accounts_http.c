/*
 * accounts_http.c - sessions, the caller's own account, and user
 * management over HTTP; and the authenticator the server calls for every
 * non-public route.
 */
#include "modules/accounts/accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "modules/accounts/accounts_int.h"
#include "modules/audit/audit_http.h"
#include "core/banned.h"

#define COOKIE_NAME "ms_session"

int accounts_http_authenticate(struct store *st, const char *token, struct ms_arena *arena,
                               struct http_principal *out, struct ms_err *err)
{
    struct accounts_session s;
    if (accounts_session_resolve(st, token, arena, &s, err) < 0)
        return err->code;
    out->user_id = s.user.id;
    out->session_id = s.id;
    out->username = s.user.username;
    out->display_name = s.user.display_name;
    out->role = s.user.role;
    out->scope = s.user.scope;
    out->permissions = s.permissions;
    out->n_permissions = s.n_permissions;
    return 0;
}

static json_t *strings_json(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i]));
    return arr;
}

static json_t *user_json(const struct accounts_user *u)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:s}", "username", u->username,
                     "display_name", u->display_name, "role", u->role, "scope", u->scope,
                     "is_disabled", u->is_disabled, "is_locked", u->is_locked,
                     "must_change_password", u->must_change_password, "created_at",
                     u->created_at, "last_login_at", u->last_login_at);
}

static int post_session(struct http_request *req)
{
    static const char *const fields[] = {"username", "password", NULL};
    json_t *body;
    struct accounts_login_in in = {.ip = req->client_ip, .request_id = req->request_id,
                                   .user_agent = http_header(req, "User-Agent")};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "username", 1, 64, &in.username, &req->err) < 0 ||
        ms_json_get_str(body, "password", 1, 256, &in.password, &req->err) < 0)
        return req->err.code;

    struct accounts_session s;
    if (accounts_login(req->store, &in, req->arena, &s, &req->err) < 0)
        return req->err.code;

    char expires[MS_TS_LEN + 1];
    ms_clock_format(s.expires_ms, expires);
    char *cookie = ms_arena_printf(req->arena,
                                   COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld",
                                   s.token, (long long)((s.expires_ms - ms_clock_now_ms()) / 1000));
    http_add_header(req, "Set-Cookie", cookie);
    json_t *user = user_json(&s.user);
    json_object_set_new(user, "permissions", strings_json(s.permissions, s.n_permissions));
    return http_reply_json(req, 201,
                           json_pack("{s:s,s:s,s:I,s:o}", "token", s.token, "expires_at", expires,
                                     "idle_timeout_minutes",
                                     (json_int_t)(s.idle_timeout_ms / 60000), "user", user));
}

static int delete_session(struct http_request *req)
{
    struct ms_actor actor;
    http_actor(req, &actor);
    if (accounts_logout(req->store, req->principal->session_id, &actor, &req->err) < 0)
        return req->err.code;
    http_add_header(req, "Set-Cookie",
                    COOKIE_NAME "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return http_reply_empty(req, 204);
}

static int get_me(struct http_request *req)
{
    const struct http_principal *p = req->principal;
    return http_reply_json(req, 200,
                           json_pack("{s:s,s:s,s:s,s:s,s:o}", "username", p->username,
                                     "display_name", p->display_name, "role", p->role, "scope",
                                     p->scope, "permissions",
                                     strings_json(p->permissions, p->n_permissions)));
}

static int post_me_password(struct http_request *req)
{
    static const char *const fields[] = {"old_password", "new_password", NULL};
    json_t *body;
    const char *old_pw, *new_pw;
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "old_password", 1, 256, &old_pw, &req->err) < 0 ||
        ms_json_get_str(body, "new_password", 1, 256, &new_pw, &req->err) < 0)
        return req->err.code;
    struct ms_actor actor;
    http_actor(req, &actor);
    if (accounts_change_own_password(req->store, req->principal->user_id,
                                     req->principal->session_id, old_pw, new_pw, &actor,
                                     &req->err) < 0)
        return req->err.code;
    return http_reply_empty(req, 204);
}

static int get_users(struct http_request *req)
{
    struct accounts_user *users;
    size_t n;
    if (accounts_user_list(req->store, req->arena, &users, &n, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, user_json(&users[i]));
    return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static int get_user(struct http_request *req)
{
    struct accounts_user u;
    struct audit_entry read;
    if (accounts_user_get(req->store, http_param(req, "username"), req->arena, &u, &read,
                          &req->err) < 0)
        return req->err.code;
    http_reply_json(req, 200, user_json(&u));
    return audit_http_reply_when_recorded(req, &read);
}

static int post_users(struct http_request *req)
{
    static const char *const fields[] = {"username", "display_name", "role", "scope", "password",
                                         NULL};
    json_t *body;
    struct accounts_user_new in = {.must_change_password = 1};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "username", 1, 32, &in.username, &req->err) < 0 ||
        ms_json_get_str(body, "display_name", 0, 64, &in.display_name, &req->err) < 0 ||
        ms_json_get_str(body, "role", 1, 64, &in.role, &req->err) < 0 ||
        ms_json_get_str(body, "scope", 0, 12, &in.scope, &req->err) < 0 ||
        ms_json_get_str(body, "password", 1, 256, &in.password, &req->err) < 0)
        return req->err.code;
    struct ms_actor actor;
    http_actor(req, &actor);
    int64_t id;
    if (accounts_user_add(req->store, &in, &actor, &id, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 201,
                           json_pack("{s:s,s:s,s:s}", "username", in.username, "role", in.role,
                                     "scope", in.scope ? in.scope : ""));
}

static int post_user_disable(struct http_request *req)
{
    struct ms_actor actor;
    const char *username = http_param(req, "username");
    http_actor(req, &actor);
    if (accounts_user_disable(req->store, username, &actor, &req->err) < 0)
        return req->err.code;
    return http_reply_json(req, 200, json_pack("{s:s,s:b}", "username", username, "is_disabled", 1));
}

static json_t *session_info_json(const struct accounts_session_info *r, int64_t own_session_id)
{
    char created[MS_TS_LEN + 1], seen[MS_TS_LEN + 1], expires[MS_TS_LEN + 1];
    ms_clock_format(r->created_ms, created);
    ms_clock_format(r->last_seen_ms, seen);
    ms_clock_format(r->expires_ms, expires);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)r->id,
                     "username", r->username, "display_name", r->display_name, "role", r->role,
                     "scope", r->scope, "ip", r->ip, "user_agent", r->user_agent, "login_at",
                     created, "last_seen_at", seen, "expires_at", expires, "is_current",
                     r->id == own_session_id);
}

static int get_sessions(struct http_request *req)
{
    struct accounts_session_query q = {.username = http_query(req, "user")};
    int64_t page = 1, size = 20, total;
    if (http_query_int(req, "page", 1, 100000, &page) < 0 ||
        http_query_int(req, "page_size", 1, 100, &size) < 0)
        return req->err.code;
    q.page = (int)page;
    q.page_size = (int)size;
    struct accounts_session_info *rows;
    size_t n;
    if (accounts_session_list(req->store, &q, req->arena, &rows, &n, &total, &req->err) < 0)
        return req->err.code;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, session_info_json(&rows[i], req->principal->session_id));
    http_reply_json(req, 200,
                    json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
                              "page", (json_int_t)page, "page_size", (json_int_t)size));
    /* Who is online, and from which address, is personal data. */
    struct audit_entry read = {.action = "session.list", .object_type = "session",
                               .object_id = "", .subject = q.username, .result = "ok"};
    return audit_http_reply_when_recorded(req, &read);
}

static int delete_session_by_id(struct http_request *req)
{
    int64_t id;
    if (!http_param_id(req, "id", &id)) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "id", "session id must be a positive integer");
        ms_err_zh(&req->err, "会话编号应为正整数");
        return ret;
    }
    struct ms_actor actor;
    http_actor(req, &actor);
    if (accounts_session_revoke(req->store, id, req->principal->session_id, &actor, &req->err) < 0)
        return req->err.code;
    return http_reply_empty(req, 204);
}

static json_t *role_json(const struct accounts_role *r)
{
    json_t *scopes = json_array();
    for (size_t i = 0; i < r->n_scopes; i++)
        json_array_append_new(scopes, json_pack("{s:s,s:I}", "scope", r->scopes[i].scope, "users",
                                                (json_int_t)r->scopes[i].users));
    return json_pack("{s:s,s:s,s:s,s:b,s:b,s:o,s:o}", "name", r->name, "title_zh", r->title_zh,
                     "title_en", r->title_en, "is_builtin", r->is_builtin, "is_editable",
                     r->is_editable, "permissions", strings_json(r->permissions, r->n_permissions),
                     "scopes", scopes);
}

static int get_roles(struct http_request *req)
{
    struct accounts_roles all;
    if (accounts_role_list(req->store, req->arena, &all, &req->err) < 0)
        return req->err.code;
    json_t *roles = json_array(), *perms = json_array();
    for (size_t i = 0; i < all.n_roles; i++)
        json_array_append_new(roles, role_json(&all.roles[i]));
    for (size_t i = 0; i < all.n_permissions; i++) {
        const struct accounts_permission *p = &all.permissions[i];
        json_array_append_new(perms, json_pack("{s:s,s:s,s:s,s:b}", "name", p->name, "title_zh",
                                               p->title_zh, "title_en", p->title_en,
                                               "is_reserved", p->is_reserved));
    }
    return http_reply_json(req, 200, json_pack("{s:o,s:o}", "items", roles, "permissions", perms));
}

/* {"permissions": [...], "reason": "..."}: the role's whole new set. */
static int put_role_permissions(struct http_request *req)
{
    static const char *const fields[] = {"permissions", "reason", NULL};
    json_t *body, *list;
    struct accounts_role_change in = {.role = http_param(req, "name")};
    if (http_body_object(req, fields, &body) < 0 ||
        ms_json_get_str(body, "reason", 1, 200, &in.reason, &req->err) < 0)
        return req->err.code;
    list = json_object_get(body, "permissions");
    if (!json_is_array(list) || json_array_size(list) > 200) {
        int ret = ms_err_field(&req->err, MS_EFIELD, "permissions",
                               "permissions must be an array of at most 200 names");
        ms_err_zh(&req->err, "权限应为权限名称的列表");
        return ret;
    }
    const char **names = ms_arena_calloc(req->arena, json_array_size(list) + 1, sizeof(char *));
    for (size_t i = 0; i < json_array_size(list); i++) {
        names[i] = json_string_value(json_array_get(list, i));
        if (!names[i] || !*names[i]) {
            int ret = ms_err_field(&req->err, MS_EFIELD, "permissions",
                                   "permissions[%zu] must be a permission name", i);
            ms_err_zh(&req->err, "权限名称应为非空文本");
            return ret;
        }
    }
    in.permissions = names;
    in.n_permissions = json_array_size(list);
    struct ms_actor actor;
    int changed;
    http_actor(req, &actor);
    if (accounts_role_set_permissions(req->store, &in, &actor, req->arena, &changed, &req->err) <
        0)
        return req->err.code;
    return http_reply_json(req, 200,
                           json_pack("{s:s,s:b,s:o}", "name", in.role, "changed", changed,
                                     "permissions", strings_json(names, in.n_permissions)));
}

#define LOGIN_SCHEMA                                                                              \
    "{\"type\":\"object\",\"required\":[\"username\",\"password\"],\"additionalProperties\":false," \
    "\"properties\":{\"username\":{\"type\":\"string\",\"maxLength\":64},"                          \
    "\"password\":{\"type\":\"string\",\"maxLength\":256}}}"
#define PASSWORD_SCHEMA                                                                            \
    "{\"type\":\"object\",\"required\":[\"old_password\",\"new_password\"],"                      \
    "\"additionalProperties\":false,\"properties\":{"                                              \
    "\"old_password\":{\"type\":\"string\",\"maxLength\":256},"                                    \
    "\"new_password\":{\"type\":\"string\",\"maxLength\":256}}}"
#define USER_NEW_SCHEMA                                                                            \
    "{\"type\":\"object\",\"required\":[\"username\",\"role\",\"password\"],"                     \
    "\"additionalProperties\":false,\"properties\":{"                                              \
    "\"username\":{\"type\":\"string\",\"pattern\":\"^[a-z][a-z0-9_.-]{1,31}$\"},"                 \
    "\"display_name\":{\"type\":\"string\",\"maxLength\":64},"                                     \
    "\"role\":{\"type\":\"string\",\"maxLength\":64},"                                             \
    "\"scope\":{\"type\":\"string\",\"pattern\":\"^[0-9]{0,12}$\"},"                               \
    "\"password\":{\"type\":\"string\",\"maxLength\":256}}}"

#define ROLE_PERMS_SCHEMA                                                                        \
    "{\"type\":\"object\",\"required\":[\"permissions\",\"reason\"],"                       \
    "\"additionalProperties\":false,\"properties\":{"                                              \
    "\"permissions\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"string\"}}," \
    "\"reason\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}}}"

/* clang-format off */
const struct http_route accounts_http_routes[] = {
    { .method = "POST", .path = "/api/v1/session", .fn = post_session,
      .flags = ROUTE_PUBLIC | ROUTE_WRITE, .body_schema = LOGIN_SCHEMA,
      .summary = "Log in: returns a session token and sets the ms_session cookie",
      .summary_zh = "登录" },
    { .method = "DELETE", .path = "/api/v1/session", .fn = delete_session, .flags = ROUTE_WRITE,
      .summary = "Log out (revokes this session)", .summary_zh = "退出登录" },
    { .method = "GET", .path = "/api/v1/me", .fn = get_me,
      .summary = "The logged-in user, role, data scope and permissions",
      .summary_zh = "当前用户信息" },
    { .method = "POST", .path = "/api/v1/me/password", .fn = post_me_password,
      .flags = ROUTE_WRITE, .body_schema = PASSWORD_SCHEMA,
      .summary = "Change one's own password (other sessions are revoked)",
      .summary_zh = "修改本人密码" },
    { .method = "GET", .path = "/api/v1/users", .fn = get_users,
      .permission = "system:user:read", .summary = "List users", .summary_zh = "用户列表" },
    { .method = "POST", .path = "/api/v1/users", .fn = post_users,
      .permission = "system:user:manage", .flags = ROUTE_WRITE, .body_schema = USER_NEW_SCHEMA,
      .summary = "Create a user (must change the password at first login)",
      .summary_zh = "新增用户" },
    { .method = "GET", .path = "/api/v1/users/{username}", .fn = get_user,
      .permission = "system:user:read",
      .summary = "One user (an audited read of a personal record)", .summary_zh = "用户详情" },
    { .method = "POST", .path = "/api/v1/users/{username}/disable", .fn = post_user_disable,
      .permission = "system:user:manage", .flags = ROUTE_WRITE,
      .summary = "Disable a user and revoke their sessions at once", .summary_zh = "停用用户" },
    { .method = "GET", .path = "/api/v1/sessions", .fn = get_sessions,
      .permission = "system:session:read",
      .summary = "Live sessions (online users), newest first; ?user=&page=&page_size=",
      .summary_zh = "在线用户" },
    { .method = "DELETE", .path = "/api/v1/sessions/{id}", .fn = delete_session_by_id,
      .permission = "system:session:revoke", .flags = ROUTE_WRITE,
      .summary = "Force a session to log out (not one's own: use DELETE /api/v1/session)",
      .summary_zh = "强制退出" },
    { .method = "GET", .path = "/api/v1/roles", .fn = get_roles,
      .permission = "system:role:read",
      .summary = "Roles with their permissions and their users' data scopes; every permission",
      .summary_zh = "角色列表" },
    { .method = "PUT", .path = "/api/v1/roles/{name}/permissions", .fn = put_role_permissions,
      .permission = "system:role:manage", .flags = ROUTE_WRITE, .body_schema = ROLE_PERMS_SCHEMA,
      .summary = "Replace a business role's permissions (not admin, security_admin, auditor, "
                 "nor one's own role; no system:* or audit:* permission); audited",
      .summary_zh = "修改角色权限" },
    { .method = NULL },
};
/* clang-format on */
