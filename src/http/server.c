/*
 * server.c - libmicrohttpd glue: request set-up, body collection with a
 * limit, dispatch (match, authenticate, authorise, call), the reply, the
 * access log and metrics, and graceful stop.
 *
 * libmicrohttpd calls the access handler several times per request: first
 * with the headers only (we set up the request), then once per body chunk,
 * then once more with no data, when we dispatch and queue the reply. Queuing
 * on that later call keeps the connection alive (queuing on the first call
 * makes libmicrohttpd close it, about 5x slower; DEPENDENCIES.md).
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/http_int.h"
#include "store/store.h"
#include "core/banned.h"

#define DISCARD_MAX ((size_t)64 << 20)

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_server_config cfg;
    struct http_router router;
    struct http_static *site; /* the web console's files, or NULL (static.c) */
    uint16_t port;
    int64_t in_flight;
    int64_t started_ms;
    unsigned threads;

    pthread_mutex_t stores_lock; /* guards the list of worker connections */
    struct store **stores;
    size_t n_stores;
};

struct req_state {
    struct http_request req;
    struct ms_arena arena;
    struct ms_str body;
    struct http_compiled_route *route;
    double start_ms;
    int is_too_big;
    int is_done;
    size_t discarded;  /* bytes dropped after the body passed the limit */
    int is_deferred;  /* suspended, waiting for http_resume() */
    int is_resumed;   /* set (with release) by http_resume() */
    int resume_rc;
    struct ms_err resume_err;
    int is_static;    /* the reply is a console file, in `file` */
    struct http_static_reply file;
};

static struct http_server *current_server;
static __thread struct store *worker_store;

const struct http_router *http__current_router(void)
{
    return &current_server->router;
}

void http__server_info(struct http_server_info *out)
{
    out->started_ms = current_server->started_ms;
    out->threads = current_server->threads;
    out->in_flight = __atomic_load_n(&current_server->in_flight, __ATOMIC_RELAXED);
}

/* The worker's store connection, opened on first use. */
static struct store *worker_connection(struct http_server *srv, struct ms_err *err)
{
    if (worker_store)
        return worker_store;
    struct store *st;
    if (store_open(srv->cfg.db_url, srv->cfg.store_flags, &st, err) < 0)
        return NULL;
    pthread_mutex_lock(&srv->stores_lock);
    srv->stores = ms_xrealloc(srv->stores, (srv->n_stores + 1) * sizeof(*srv->stores));
    srv->stores[srv->n_stores++] = st;
    pthread_mutex_unlock(&srv->stores_lock);
    worker_store = st;
    return st;
}

static int is_safe_request_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return n > 0 && n <= 64;
}

/* A request id: the client's if it sent a safe one, else a per-thread random
 * prefix and a counter (unique without a system call per request). */
static const char *make_request_id(struct http_request *req)
{
    static __thread uint32_t prefix, counter;
    const char *given = http_header(req, "X-Request-Id");
    if (given && is_safe_request_id(given))
        return given;
    if (!prefix)
        prefix = randombytes_random() | 1;
    return ms_arena_printf(req->arena, "%08x%08x", prefix, ++counter);
}

static const char *client_ip(struct http_request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char *buf = ms_arena_alloc(req->arena, INET6_ADDRSTRLEN);
    buf[0] = '\0';
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                      INET6_ADDRSTRLEN);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                      INET6_ADDRSTRLEN);
    }
    return buf;
}

static struct req_state *state_new(struct http_server *srv, struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
    struct req_state *rs = ms_xcalloc(1, sizeof(*rs));
    ms_arena_init(&rs->arena, 8192);
    ms_str_init(&rs->body, srv->cfg.max_body_bytes);
    ms_str_init(&rs->req.out, 0);
    rs->start_ms = ms_clock_mono_ms();
    struct http_request *req = &rs->req;
    req->arena = &rs->arena;
    req->conn = conn;
    req->method = ms_arena_strdup(req->arena, method);
    req->path = ms_arena_strdup(req->arena, url);
    req->request_id = make_request_id(req);
    req->client_ip = client_ip(req);
    const char *lang = http_header(req, "Accept-Language");
    req->is_english = lang && strncasecmp(lang, "en", 2) == 0;
    ms_err_init(&req->err);
    return rs;
}

static void state_free(struct req_state *rs)
{
    ms_arena_release(&rs->arena);
    ms_str_release(&rs->body);
    ms_str_release(&rs->req.out);
    free(rs);
}

/* The token from "Authorization: Bearer ..." or else the route's session
 * cookie: the portal's for ROUTE_RESIDENT routes, the console's otherwise. */
static const char *session_token(struct http_request *req, int *is_cookie)
{
    const char *auth = http_header(req, "Authorization");
    *is_cookie = 0;
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        return auth + 7;
    const char *name =
        (req->route->flags & ROUTE_RESIDENT) ? HTTP_RESIDENT_COOKIE : HTTP_STAFF_COOKIE;
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
    if (cookie) {
        *is_cookie = 1;
        return cookie;
    }
    return NULL;
}

/* The header the console sends with every request (web/src/api.js). */
#define CSRF_HEADER "X-Requested-With"

static int is_safe_method(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "OPTIONS");
}

static int authenticate(struct http_server *srv, struct http_request *req)
{
    int is_cookie;
    const char *token = session_token(req, &is_cookie);
    if (!token || !*token) {
        int ret = ms_err_set(&req->err, MS_EAUTH, "no session token; log in first");
        ms_err_zh(&req->err, "请先登录");
        return ret;
    }
    /* The route decides which kind of session may call it, so a resident's
     * token is looked up only among resident sessions and a staff token only
     * among staff sessions: neither can ever stand for the other, whatever
     * permission names a principal carries. */
    int is_resident = (req->route->flags & ROUTE_RESIDENT) != 0;
    http_authenticate_fn *fn =
        is_resident ? srv->cfg.authenticate_resident : srv->cfg.authenticate;
    if (!fn)
        return ms_err_set(&req->err, MS_EINTERNAL, "no authenticator configured");
    struct http_principal *p = ms_arena_calloc(req->arena, 1, sizeof(*p));
    if (fn(req->store, token, req->arena, p, &req->err) < 0)
        return req->err.code;
    p->is_cookie = is_cookie;
    p->is_resident = is_resident;
    req->principal = p;
    if (is_cookie && !is_safe_method(req->method) && !http_header(req, CSRF_HEADER)) {
        /* A page on another site can make the browser send our cookie with
         * a form or a simple request, but cannot add a header of its own
         * without a CORS preflight, which this server never grants. The
         * SameSite=Strict cookie already stops the first; this stops what
         * gets past it (old browsers, a sibling subdomain). */
        int ret = ms_err_set(&req->err, MS_ECSRF,
                             "a change made with the session cookie needs the %s header",
                             CSRF_HEADER);
        ms_err_zh(&req->err, "请求缺少 %s 请求头，已拒绝（防跨站请求伪造）", CSRF_HEADER);
        return ret;
    }
    const char *perm = req->route->permission;
    if (perm && !http_has_permission(p, perm)) {
        int ret = ms_err_set(&req->err, MS_EFORBIDDEN, "permission '%s' required", perm);
        ms_err_zh(&req->err, "没有权限：需要“%s”", perm);
        return ret;
    }
    return 0;
}

static int is_json_content_type(const char *ct)
{
    return strncasecmp(ct, "application/json", 16) == 0 && (ct[16] == '\0' || ct[16] == ';');
}

/*
 * Percent-decoding for libmicrohttpd (path and query). A decoded NUL would
 * silently cut a C string short ("/users/alice%00x" read as "/users/alice"),
 * so it becomes 0xFF instead, which is never valid UTF-8 and is refused by
 * url_is_valid().
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            char hex[3] = {r[1], r[2], '\0'};
            unsigned long v = strtoul(hex, NULL, 16);
            *w++ = v ? (char)v : (char)0xFF;
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    int *is_ok = cls;
    (void)kind;
    if (!ms_utf8_is_valid(key, strlen(key)) || (value && !ms_utf8_is_valid(value, strlen(value)))) {
        *is_ok = 0;
        return MHD_NO;
    }
    return MHD_YES;
}

/* The path and every query argument must be valid UTF-8 without NUL. */
static int url_is_valid(struct http_request *req)
{
    int is_ok = ms_utf8_is_valid(req->path, strlen(req->path));
    if (is_ok)
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_arg, &is_ok);
    if (is_ok)
        return 0;
    int ret = ms_err_set(&req->err, MS_EUTF8, "the URL holds a NUL or invalid UTF-8 after decoding");
    ms_err_zh(&req->err, "请求地址含有非法字符");
    return ret;
}

/* Match, authenticate, authorise, check the body's type, call the handler. */
static int dispatch(struct http_server *srv, struct req_state *rs)
{
    struct http_request *req = &rs->req;
    int code;
    const char *allow;

    if (url_is_valid(req) < 0)
        return req->err.code;

    rs->route = http__router_match(&srv->router, req, &code, &allow);
    if (!rs->route) {
        /* No API route: a GET or HEAD may be a file of the web console, and
         * static.c answers other console paths with index.html. */
        if (code == MS_ENOTFOUND && srv->site &&
            (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)) {
            int rc = http_static_lookup(srv->site, req->path, http_header(req, "If-None-Match"),
                                        &rs->file, &req->err);
            if (rc == 0) {
                rs->is_static = 1;
                req->status = rs->file.status;
                return 0;
            }
            if (rc != MS_ENOTFOUND)
                return rc;
        }
        if (allow)
            http_add_header(req, "Allow", allow);
        return ms_err_set(&req->err, code, "%s %s", code == MS_EMETHOD ? "method not allowed for"
                                                                       : "no route for",
                          req->path);
    }
    req->route = rs->route->route;
    if (rs->is_too_big)
        return ms_err_set(&req->err, MS_ETOOBIG, "request body larger than %zu bytes",
                          srv->cfg.max_body_bytes);
    if (!(req->store = worker_connection(srv, &req->err)))
        return req->err.code;
    if (!(req->route->flags & ROUTE_PUBLIC) && authenticate(srv, req) < 0)
        return req->err.code;
    if ((req->route->flags & ROUTE_WRITE) && srv->cfg.is_read_only)
        return ms_err_set(&req->err, MS_EBUSY, "this server is read-only");
    if (req->body_len && !(req->route->flags & ROUTE_RAW)) {
        const char *ct = http_header(req, "Content-Type");
        if (ct && !is_json_content_type(ct))
            return ms_err_set(&req->err, MS_EMEDIA, "content type '%.60s' is not application/json",
                              ct);
    }
    return req->route->fn(req);
}

static void access_log(struct http_server *srv, struct req_state *rs, double ms, size_t bytes)
{
    if (!srv->cfg.access_log)
        return;
    const struct http_request *req = &rs->req;
    ms_log(MS_LOG_INFO, "http.access", "{s:s,s:s,s:s,s:s,s:i,s:f,s:I,s:s}", "request_id",
           req->request_id, "method", req->method, "route",
           rs->route ? rs->route->route->path : "unmatched", "ip", req->client_ip, "status",
           req->status, "ms", (double)(int64_t)(ms * 1000.0) / 1000.0, "bytes", (json_int_t)bytes, "user",
           req->principal ? req->principal->username : "");
}

static enum MHD_Result queue_reply(struct http_server *srv, struct req_state *rs)
{
    struct http_request *req = &rs->req;
    size_t len;
    struct MHD_Response *resp;
    if (rs->is_static) {
        /* A console file: sent from the table static.c loaded, with its own
         * type and caching headers. */
        resp = http_static_response(&rs->file);
        len = rs->file.len;
    } else {
        char *text = ms_str_detach(&req->out, &len);
        resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        if (req->content_type)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    for (int i = 0; i < req->n_headers; i++)
        MHD_add_response_header(resp, req->header_names[i], req->header_values[i]);
    enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, resp);
    MHD_destroy_response(resp);

    double ms = ms_clock_mono_ms() - rs->start_ms;
    http__metrics_observe(rs->route ? &rs->route->metrics : &srv->router.unmatched, req->status,
                          ms);
    access_log(srv, rs, ms, len);
    rs->is_done = 1;
    return ret;
}

static void finish(struct http_server *srv, struct req_state *rs, int rc)
{
    struct http_request *req = &rs->req;
    if (rc < 0 || !req->status) {
        if (ms_err_http_status(rc ? rc : MS_EINTERNAL) >= 500)
            ms_log(MS_LOG_ERROR, "http.error", "{s:s,s:s,s:s,s:s}", "request_id",
                   req->request_id, "path", rs->route ? rs->route->route->path : req->path,
                   "code", ms_err_code_name(rc ? rc : MS_EINTERNAL), "detail", req->err.message);
        req->n_headers = rc == MS_EMETHOD ? req->n_headers : 0;
        http_reply_error(req, rc ? rc : MS_EINTERNAL);
    }
    (void)srv;
}

struct http_deferred *http_defer(struct http_request *req)
{
    /* req is the first member of its req_state. */
    struct req_state *rs = (struct req_state *)(void *)req;
    rs->is_deferred = 1;
    MHD_suspend_connection(req->conn);
    return (struct http_deferred *)rs;
}

void http_resume(struct http_deferred *d, int rc, const struct ms_err *err)
{
    struct req_state *rs = (struct req_state *)(void *)d;
    rs->resume_rc = rc;
    if (rc < 0 && err)
        rs->resume_err = *err;
    __atomic_store_n(&rs->is_resumed, 1, __ATOMIC_RELEASE);
    MHD_resume_connection(rs->req.conn);
}

/* The call after a deferred request was resumed: send what it left. */
static enum MHD_Result finish_deferred(struct http_server *srv, struct req_state *rs)
{
    if (!__atomic_load_n(&rs->is_resumed, __ATOMIC_ACQUIRE))
        return MHD_YES; /* a spurious call while suspended */
    rs->is_deferred = 0;
    if (rs->resume_rc < 0) {
        rs->req.err = rs->resume_err;
        rs->req.status = 0;
    }
    finish(srv, rs, rs->resume_rc);
    return queue_reply(srv, rs);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct http_server *srv = cls;
    struct req_state *rs = *con_cls;
    (void)version;

    if (!rs) {
        rs = state_new(srv, conn, url, method);
        *con_cls = rs;
        __atomic_fetch_add(&srv->in_flight, 1, __ATOMIC_RELAXED);
        const char *cl = http_header(&rs->req, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body_bytes) {
            /* Refuse now rather than read a body we will not use; the
             * connection is closed after this reply. */
            rs->is_too_big = 1;
            finish(srv, rs, dispatch(srv, rs));
            return queue_reply(srv, rs);
        }
        return MHD_YES;
    }
    if (rs->is_done) {
        *upload_data_size = 0; /* discard the rest of a refused body */
        return MHD_YES;
    }
    if (rs->is_deferred)
        return finish_deferred(srv, rs);
    if (*upload_data_size) {
        /* Past the limit the rest is read and dropped: libmicrohttpd takes a
         * reply only before the body or after all of it. A client that keeps
         * sending is cut off at DISCARD_MAX. */
        if (!rs->is_too_big) {
            ms_str_add(&rs->body, upload_data, *upload_data_size);
            rs->is_too_big = rs->body.is_too_big;
        } else {
            rs->discarded += *upload_data_size;
        }
        *upload_data_size = 0;
        return rs->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    rs->req.body = rs->body.buf;
    rs->req.body_len = rs->body.len;
    int rc = dispatch(srv, rs);
    if (rc == HTTP_DEFERRED)
        return MHD_YES; /* http_resume() brings us back here */
    finish(srv, rs, rc);
    return queue_reply(srv, rs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct req_state *rs = *con_cls;
    (void)conn;
    (void)toe;
    if (!rs)
        return;
    state_free(rs);
    *con_cls = NULL;
    __atomic_fetch_sub(&srv->in_flight, 1, __ATOMIC_RELAXED);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    ms_log(MS_LOG_WARN, "http.mhd", "{s:s}", "message", msg);
}

int http_server_start(const struct http_server_config *cfg, struct http_server **out,
                      struct ms_err *err)
{
    struct http_server *srv = ms_xcalloc(1, sizeof(*srv));
    srv->cfg = *cfg;
    pthread_mutex_init(&srv->stores_lock, NULL);

    struct http_route_table *tables = ms_xcalloc(cfg->n_tables + 1, sizeof(*tables));
    tables[0] = (struct http_route_table){"system", http__builtin_routes,
                                          http__builtin_routes_count};
    if (cfg->n_tables) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(tables + 1, cfg->tables, cfg->n_tables * sizeof(*tables));
    int rc = http__router_init(&srv->router, tables, cfg->n_tables + 1, err);
    free(tables);
    if (rc < 0)
        goto fail;
    if (cfg->web_root && (rc = http_static_load(cfg->web_root, &srv->site, err)) < 0)
        goto fail;

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
        rc = ms_err_set(err, MS_EINVAL, "listen address '%s' is not a numeric IPv4 address",
                        cfg->host);
        goto fail;
    }
    unsigned threads = cfg->threads;
    if (!threads) {
        /* Four per core: a worker waits on SQLite's file locks and on
         * PostgreSQL round trips, and more workers keep the cores busy
         * (measured in docs/benchmarks.md). */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = 4 * (n > 0 ? (unsigned)n : 2);
    }
    srv->threads = threads;
    srv->started_ms = ms_clock_now_ms();
    current_server = srv;
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        0,
        NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_END);
    if (!srv->daemon) {
        rc = ms_err_set(err, MS_EIO, "cannot listen on %s:%u (in use, or not permitted)",
                        cfg->host, cfg->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *out = srv;
    return 0;
fail:
    http_static_free(srv->site);
    http__router_release(&srv->router);
    pthread_mutex_destroy(&srv->stores_lock);
    free(srv);
    current_server = NULL;
    return rc;
}

uint16_t http_server_port(const struct http_server *srv)
{
    return srv->port;
}

void http_server_stop(struct http_server *srv, int grace_ms)
{
    if (!srv)
        return;
    MHD_socket listen = MHD_quiesce_daemon(srv->daemon);
    if (listen != MHD_INVALID_SOCKET)
        close(listen);
    for (int waited = 0; waited < grace_ms; waited += 10) {
        if (__atomic_load_n(&srv->in_flight, __ATOMIC_RELAXED) == 0)
            break;
        usleep(10 * 1000);
    }
    MHD_stop_daemon(srv->daemon);
    for (size_t i = 0; i < srv->n_stores; i++)
        store_close(srv->stores[i]);
    free(srv->stores);
    http__router_release(&srv->router);
    http_static_free(srv->site);
    pthread_mutex_destroy(&srv->stores_lock);
    current_server = NULL;
    free(srv);
}
