/*
 * status.c - GET /api/v1/system/status: the 服务监控 screen's one call.
 *
 * /metrics is for Prometheus and is text; the console needs the same
 * numbers as JSON and a few a scraper gets elsewhere (uptime, memory,
 * database size). Everything here is read from counters the server already
 * keeps, so the call costs one cheap statement (the database size) and a
 * walk over the route table. Latency quantiles are estimated from the
 * histogram buckets, so they are only as fine as the buckets.
 */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/clock.h"
#include "store/store.h"
#include "core/banned.h"

static uint64_t load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Resident set size from /proc/self/statm (its second field, in pages);
 * 0 where there is no /proc. */
static int64_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, resident = 0;
    if (!f)
        return 0;
    int got = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return got == 2 && page > 0 ? (int64_t)resident * page : 0;
}

static double round2(double v)
{
    return (double)(int64_t)(v * 100.0 + 0.5) / 100.0;
}

/* One route's numbers, or NULL when it has not been called. Adds its counts
 * to totals[0..2] (requests, 4xx, 5xx). */
static json_t *route_json(const char *route, const char *module, const struct http_route_metrics *m,
                          uint64_t totals[3])
{
    uint64_t count = load(&m->count);
    if (!count)
        return NULL;
    uint64_t c4 = load(&m->by_class[4]), c5 = load(&m->by_class[5]);
    totals[0] += count;
    totals[1] += c4;
    totals[2] += c5;
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:f,s:f,s:f,s:f}", "route", route, "module", module,
                     "requests", (json_int_t)count, "errors_4xx", (json_int_t)c4, "errors_5xx",
                     (json_int_t)c5, "mean_ms",
                     round2((double)load(&m->sum_us) / 1000.0 / (double)count), "p50_ms",
                     round2(http__metrics_quantile_ms(m, 0.50)), "p95_ms",
                     round2(http__metrics_quantile_ms(m, 0.95)), "p99_ms",
                     round2(http__metrics_quantile_ms(m, 0.99)));
}

static int by_requests_desc(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "requests"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "requests"));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Every called route, busiest first. */
static json_t *routes_json(struct http_request *req, uint64_t totals[3])
{
    const struct http_router *r = http__current_router();
    json_t **v = ms_arena_calloc(req->arena, r->n_routes + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < r->n_routes; i++) {
        const struct http_compiled_route *c = &r->routes[i];
        char *label = ms_arena_printf(req->arena, "%s %s", c->route->method, c->route->path);
        json_t *j = route_json(label, c->module ? c->module : "", &c->metrics, totals);
        if (j)
            v[n++] = j;
    }
    json_t *j = route_json("unmatched", "", &r->unmatched, totals);
    if (j)
        v[n++] = j;
    qsort(v, n, sizeof(*v), by_requests_desc);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    return arr;
}

int http__get_system_status(struct http_request *req)
{
    struct http_server_info info;
    struct store_stats st;
    int64_t db_bytes;
    char started[MS_TS_LEN + 1];
    uint64_t totals[3] = {0, 0, 0};

    if (store_size_bytes(req->store, &db_bytes, &req->err) < 0)
        return req->err.code;
    http__server_info(&info);
    store_stats_get(&st);
    ms_clock_format(info.started_ms, started);
    json_t *routes = routes_json(req, totals);
    json_t *body = json_pack(
        "{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I},s:o}", "version",
        MS_VERSION, "engine", store_engine_name(req->store), "started_at", started, "uptime_s",
        (json_int_t)((ms_clock_now_ms() - info.started_ms) / 1000), "threads",
        (json_int_t)info.threads, "in_flight", (json_int_t)info.in_flight, "memory_rss_bytes",
        (json_int_t)rss_bytes(), "db_size_bytes", (json_int_t)db_bytes, "store", "busy",
        (json_int_t)st.busy, "tx_retries", (json_int_t)st.retries, "errors", (json_int_t)st.errors,
        "totals", "requests", (json_int_t)totals[0], "errors_4xx", (json_int_t)totals[1],
        "errors_5xx", (json_int_t)totals[2], "routes", routes);
    return http_reply_json(req, 200, body);
}
