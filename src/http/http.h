/*
 * http.h - what a module's HTTP adapter sees: routes, the request, replies.
 *
 * A module exports a table of `struct http_route`. The server matches the
 * method and path, authenticates the caller and checks the route's
 * permission (and refuses ROUTE_WRITE routes on a --read-only server). A
 * handler parses, calls one domain function and renders; a domain function
 * that changes data runs its own transaction with store_tx(), so the CLI
 * and the tests get the same guarantees as the API:
 *
 *     static int get_me(struct http_request *req)
 *     {
 *         json_t *body = accounts_principal_json(req->principal);
 *         return http_reply_json(req, 200, body);
 *     }
 *
 * Handlers return 0 once they have set a reply, or a negative MS_E* code with
 * req->err filled; the server then renders the error as
 * {"error":{"code","message","detail","field","request_id"}}. A handler
 * whose reply must wait for work on another thread (an audited read waiting
 * for its audit entry to commit) calls http_defer() and returns
 * HTTP_DEFERRED; the worker thread goes on serving other connections.
 *
 * Memory: everything reachable from a request lives in req->arena and dies
 * when the response has been queued; handlers never free.
 */
#ifndef MS_HTTP_H
#define MS_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

struct store;
struct MHD_Connection;

enum http_route_flags {
    ROUTE_PUBLIC = 1 << 0, /* no session needed */
    ROUTE_WRITE = 1 << 1,  /* changes data: refused by a --read-only server; the domain
                            * function it calls runs its own store_tx() */
    ROUTE_RAW = 1 << 2,    /* the body is not JSON (uploads, text) */
    ROUTE_RESIDENT = 1 << 3, /* for residents (the portal): authenticated by the resident
                              * authenticator from the bearer token or HTTP_RESIDENT_COOKIE;
                              * a staff session never reaches it, and a resident session
                              * reaches nothing else (docs/security.md) */
};

/* The session cookies: staff (the console) and residents (the portal). Two
 * names, so one browser can hold both and neither is taken for the other. */
#define HTTP_STAFF_COOKIE    "ms_session"
#define HTTP_RESIDENT_COOKIE "ms_portal"

struct http_request;

typedef int http_handler_fn(struct http_request *req);

struct http_route {
    const char *method;          /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;            /* "/api/v1/users/{username}" */
    http_handler_fn *fn;
    const char *permission;      /* needed unless ROUTE_PUBLIC; NULL: any session */
    unsigned flags;              /* enum http_route_flags */
    const char *summary;         /* English, for the OpenAPI document */
    const char *summary_zh;      /* Chinese */
    const char *body_schema;     /* JSON Schema of the request body, or NULL */
    const char *reply_schema;    /* JSON Schema of a 2xx reply body, or NULL */
};

/* Who is calling: filled by the authenticator for non-public routes. */
struct http_principal {
    int64_t user_id;
    int64_t session_id;
    const char *username;
    const char *display_name;
    const char *role;
    const char *scope;              /* region-code prefix; "" means everywhere */
    const char *const *permissions; /* sorted, n_permissions of them */
    size_t n_permissions;
    int is_cookie;                  /* authenticated by cookie, not bearer token */
    int is_resident;                /* set by the server: a resident (portal) session,
                                     * user_id 0, the resident in resident_id */
    int64_t resident_id;            /* internal id of the resident; 0 for staff */
};

/*
 * Resolves a session token to a principal (in req->arena). Returns 0, or
 * MS_EAUTH / MS_EDISABLED with err filled. Provided by the module that owns
 * accounts (staff), and by the one that owns resident sessions (ROUTE_RESIDENT
 * routes), through their module tables; the HTTP layer never names them.
 */
typedef int http_authenticate_fn(struct store *st, const char *token, struct ms_arena *arena,
                                 struct http_principal *out, struct ms_err *err);

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_HEADERS 8

struct http_request {
    struct ms_arena *arena;
    struct store *store;               /* this worker thread's connection */
    const struct http_route *route;    /* NULL until matched */
    const struct http_principal *principal; /* NULL on public routes */
    const char *method;
    const char *path;
    const char *request_id;
    const char *client_ip;
    const char *body;                  /* NUL-terminated; body_len bytes */
    size_t body_len;
    const char *param_names[HTTP_MAX_PARAMS];
    const char *param_values[HTTP_MAX_PARAMS];
    int n_params;
    int is_english;                    /* Accept-Language prefers English */
    struct ms_err err;

    /* The reply, set through http_reply_*(). */
    int status;
    const char *content_type;
    struct ms_str out;
    const char *header_names[HTTP_MAX_HEADERS];
    const char *header_values[HTTP_MAX_HEADERS];
    int n_headers;

    struct MHD_Connection *conn;       /* for header and query look-ups */
};

/* Returned by a handler that called http_defer(). */
#define HTTP_DEFERRED 1

struct http_deferred;

/*
 * Suspends the request's connection: nothing is sent until http_resume().
 * Call it from the handler, after setting the reply, then hand the token to
 * whatever finishes the work, and return HTTP_DEFERRED.
 */
struct http_deferred *http_defer(struct http_request *req);

/*
 * Finishes a deferred request, from any thread: rc 0 sends the reply set
 * before http_defer(); a negative rc sends the error in err instead.
 */
void http_resume(struct http_deferred *d, int rc, const struct ms_err *err);

/* Path parameter {name}, already percent-decoded; NULL if the route has none. */
const char *http_param(const struct http_request *req, const char *name);

/* Path parameter {name} as a positive 64-bit id: 1 and *id set, or 0 (absent,
 * not a number, out of range), the caller saying what a bad id means. */
int http_param_id(const struct http_request *req, const char *name, int64_t *id);

/* Query-string argument, decoded; NULL if absent. */
const char *http_query(const struct http_request *req, const char *name);

/* Request header; NULL if absent or not valid UTF-8. */
const char *http_header(const struct http_request *req, const char *name);

/* 1 if the principal holds permission. */
int http_has_permission(const struct http_principal *p, const char *permission);

/*
 * Parses the body as a JSON object whose keys are all in `allowed`
 * (NULL-terminated). *out is owned by the request (released with it).
 * Errors: MS_EJSON (also for an empty body), MS_EUTF8, MS_EFIELD.
 */
int http_body_object(struct http_request *req, const char *const *allowed, json_t **out);

/* Replies. Each takes ownership of `body` (a new reference) and returns 0. */
int http_reply_json(struct http_request *req, int status, json_t *body);
int http_reply_text(struct http_request *req, int status, const char *content_type,
                    const char *text, size_t len);
int http_reply_empty(struct http_request *req, int status);

/* Adds a response header (copied into the arena). */
void http_add_header(struct http_request *req, const char *name, const char *value);

/* Renders req->err (or code, if req->err is empty) as the error reply. */
int http_reply_error(struct http_request *req, int code);

/* The audit actor for this request: the session's user, IP and request id. */
void http_actor(const struct http_request *req, struct ms_actor *out);

/* Parses an optional integer query argument in [min, max]; absent leaves *out. */
int http_query_int(struct http_request *req, const char *name, int64_t min, int64_t max,
                   int64_t *out);

/* json_t that lives until the request ends (decref'd by the arena). */
json_t *http_own(struct http_request *req, json_t *value);

#endif
