/*
 * http_int.h - internals shared by the files of src/http/ (router, metrics,
 * OpenAPI, server). Not for modules.
 */
#ifndef MS_HTTP_INT_H
#define MS_HTTP_INT_H

#include <stdint.h>

#include "core/str.h"
#include "http/http.h"
#include "http/server.h"

#define HTTP_MAX_SEGMENTS 16
#define HTTP_LATENCY_BUCKETS 12

/* Counters are updated with relaxed atomics from every worker. */
struct http_route_metrics {
    uint64_t by_class[6];                    /* index status / 100 */
    uint64_t buckets[HTTP_LATENCY_BUCKETS];  /* not cumulative; summed at render */
    uint64_t count;
    uint64_t sum_us;
};

struct http_compiled_route {
    const struct http_route *route;
    const char *module;
    char *segments[HTTP_MAX_SEGMENTS]; /* literal text, or the parameter name */
    int is_param[HTTP_MAX_SEGMENTS];
    int n_segments;
    struct http_route_metrics metrics;
};

struct http_router {
    struct http_compiled_route *routes;
    size_t n_routes;
    struct http_route_metrics unmatched;
};

/* Builds the router from the tables; refuses malformed or duplicate routes. */
int http__router_init(struct http_router *r, const struct http_route_table *tables,
                      size_t n_tables, struct ms_err *err);
void http__router_release(struct http_router *r);

/*
 * Finds the route for method and path, filling req's path parameters.
 * Returns the route, or NULL with *code set to MS_ENOTFOUND or MS_EMETHOD
 * (then *allow lists the methods the path accepts, in req->arena).
 */
struct http_compiled_route *http__router_match(struct http_router *r, struct http_request *req,
                                               int *code, const char **allow);

void http__metrics_observe(struct http_route_metrics *m, int status, double duration_ms);

/* Prometheus text exposition of every route's counters and the store's. */
void http__metrics_render(const struct http_router *r, struct ms_str *out);

/* The OpenAPI 3.0 document for the routes, as a new json_t reference. */
json_t *http__openapi_build(const struct http_router *r);

/* The routes the server itself serves (/healthz, /metrics, openapi.json). */
extern const struct http_route http__builtin_routes[];
extern const size_t http__builtin_routes_count;

/* What the running server knows about itself, for GET /api/v1/system/status. */
struct http_server_info {
    int64_t started_ms; /* wall clock, when http_server_start() succeeded */
    unsigned threads;   /* worker threads */
    int64_t in_flight;  /* requests being handled now, this one included */
};
void http__server_info(struct http_server_info *out);

/* Latency quantile q (0..1) in milliseconds from a route's histogram, by
 * linear interpolation inside the bucket (Prometheus' histogram_quantile);
 * the last finite bound when it falls in the +Inf bucket; 0 if no requests. */
double http__metrics_quantile_ms(const struct http_route_metrics *m, double q);

/* GET /api/v1/system/status (status.c). */
int http__get_system_status(struct http_request *req);

/* The running server's router, for the built-in handlers. */
const struct http_router *http__current_router(void);

#endif
