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
    http_authenticate_fn *authenticate; /* required if any route is not public */
    int is_read_only;                  /* refuse ROUTE_WRITE routes with 503 */
    int access_log;                    /* one JSON line per request */
};

struct http_server;

int http_server_start(const struct http_server_config *cfg, struct http_server **out,
                      struct ms_err *err);

/* The bound port (useful with port 0). */
uint16_t http_server_port(const struct http_server *srv);

/* Stops accepting, lets in-flight requests finish (at most grace_ms), stops
 * the workers and closes their store connections. Frees srv. */
void http_server_stop(struct http_server *srv, int grace_ms);

#endif
