/*
 * server.h - the HTTP server: libmicrohttpd with an epoll thread pool.
 *
 * Each worker thread owns one store connection, opened on its first request
 * and closed at stop. Route tables come from the caller (the CLI walks the
 * module list); this layer never names a module.
 */
#ifndef MS_HTTP_SERVER_H
#define MS_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/http.h"

struct http_route_table {
    const char *module; /* for the OpenAPI tags */
    const struct http_route *routes;
    size_t count;
};

struct http_server_config {
    const char *host;                  /* numeric IPv4 address to bind, "127.0.0.1" */
    uint16_t port;                     /* 0 picks a free port */
    unsigned threads;                  /* worker threads; 0: four per core */
    size_t max_body_bytes;             /* larger bodies get 413 */
    const char *db_url;                /* each worker opens its own connection */
    unsigned store_flags;              /* for store_open() of those connections */
    const struct http_route_table *tables;
    size_t n_tables;
    http_authenticate_fn *authenticate; /* staff; required if any route is not public */
    http_authenticate_fn *authenticate_resident; /* for ROUTE_RESIDENT routes */
    int is_read_only;                  /* refuse ROUTE_WRITE routes with 503 */
    int access_log;                    /* one JSON line per request */
    const char *web_root;              /* the console's files (web/dist); NULL: none */
};

struct http_server;

int http_server_start(const struct http_server_config *cfg, struct http_server **out,
                      struct ms_err *err);

/* The bound port (useful with port 0). */
uint16_t http_server_port(const struct http_server *srv);

/* Stops accepting, lets in-flight requests finish (at most grace_ms), stops
 * the workers and closes their store connections. Frees srv. */
void http_server_stop(struct http_server *srv, int grace_ms);

/*
 * The web console's files (static.c). http_server_start() loads web_root
 * with these and serves the table to GET and HEAD requests that match no
 * API route; they are public so that tests can drive them directly.
 */
struct http_static;
struct MHD_Response;

/* Reads every file under root into memory (symbolic links leading out of
 * root are skipped). Errors: MS_EINVAL (not a folder, no index.html, too
 * many files or bytes), MS_EIO. Free with http_static_free(). */
int http_static_load(const char *root, struct http_static **out, struct ms_err *err);
void http_static_free(struct http_static *site);

/* What to send for a GET or HEAD of path; data points into the site's
 * table (never freed by the reply). */
struct http_static_reply {
    int status;                /* 200, or 304 when If-None-Match matched */
    const char *content_type;
    const char *cache_control;
    const char *etag;
    const char *data;
    size_t len;
    int is_html;               /* gets the console's security headers */
};

/*
 * Returns 0 with *out filled; MS_ENOTFOUND if the path is not the
 * console's (/api/, /healthz, /metrics, a missing /assets/ file) and the
 * caller should answer its own 404; MS_EINVAL with err filled for a path
 * holding "..", a backslash or a control byte. Any other path that names no
 * file gets index.html (history-mode routing). Thread-safe: the table is
 * read-only after the load.
 */
int http_static_lookup(const struct http_static *site, const char *path,
                       const char *if_none_match, struct http_static_reply *out,
                       struct ms_err *err);

/* A libmicrohttpd response for the reply, with its Content-Type,
 * Cache-Control and ETag (and, for HTML, the security headers). */
struct MHD_Response *http_static_response(const struct http_static_reply *r);

#endif
