/*
 * metrics.c - per-route request counters and latency histograms, rendered in
 * the Prometheus text format for GET /metrics.
 *
 * Workers update counters with relaxed atomic adds (no locks on the hot
 * path); a scrape reads them without stopping anyone, so a scrape may see a
 * request counted in `count` but not yet in its bucket. That is acceptable
 * for monitoring.
 */
#include "http/http_int.h"

#include <stdio.h>

#include "store/store.h"
#include "core/banned.h"

static const double bucket_ms[HTTP_LATENCY_BUCKETS] = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
                                                       1000, 2500};

void http__metrics_observe(struct http_route_metrics *m, int status, double duration_ms)
{
    int cls = status / 100;
    if (cls < 0 || cls > 5)
        cls = 0;
    __atomic_fetch_add(&m->by_class[cls], 1, __ATOMIC_RELAXED);
    int b = 0;
    while (b < HTTP_LATENCY_BUCKETS && duration_ms > bucket_ms[b])
        b++;
    if (b < HTTP_LATENCY_BUCKETS)
        __atomic_fetch_add(&m->buckets[b], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->sum_us, (uint64_t)(duration_ms * 1000.0), __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void render_route(struct ms_str *out, const char *label, const struct http_route_metrics *m)
{
    static const char *classes[] = {"", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int c = 1; c <= 5; c++) {
        uint64_t v = load(&m->by_class[c]);
        if (v)
            ms_str_addf(out, "minsheng_http_requests_total{route=\"%s\",code=\"%s\"} %llu\n", label,
                        classes[c], (unsigned long long)v);
    }
    uint64_t count = load(&m->count);
    if (!count)
        return;
    uint64_t cumulative = 0;
    for (int b = 0; b < HTTP_LATENCY_BUCKETS; b++) {
        cumulative += load(&m->buckets[b]);
        ms_str_addf(out, "minsheng_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    label, bucket_ms[b] / 1000.0, (unsigned long long)cumulative);
    }
    ms_str_addf(out, "minsheng_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                label, (unsigned long long)count);
    ms_str_addf(out, "minsheng_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
                (double)load(&m->sum_us) / 1e6);
    ms_str_addf(out, "minsheng_http_request_duration_seconds_count{route=\"%s\"} %llu\n", label,
                (unsigned long long)count);
}

double http__metrics_quantile_ms(const struct http_route_metrics *m, double q)
{
    uint64_t count = load(&m->count);
    if (!count)
        return 0;
    double rank = q * (double)count;
    uint64_t cumulative = 0;
    for (int b = 0; b < HTTP_LATENCY_BUCKETS; b++) {
        uint64_t in_bucket = load(&m->buckets[b]);
        if (in_bucket && (double)(cumulative + in_bucket) >= rank) {
            double lower = b ? bucket_ms[b - 1] : 0;
            return lower + (bucket_ms[b] - lower) * (rank - (double)cumulative) / (double)in_bucket;
        }
        cumulative += in_bucket;
    }
    return bucket_ms[HTTP_LATENCY_BUCKETS - 1];
}

void http__metrics_render(const struct http_router *r, struct ms_str *out)
{
    ms_str_adds(out, "# HELP minsheng_http_requests_total HTTP requests by route and status class.\n"
                     "# TYPE minsheng_http_requests_total counter\n");
    ms_str_adds(out, "# HELP minsheng_http_request_duration_seconds Time to answer, by route.\n"
                     "# TYPE minsheng_http_request_duration_seconds histogram\n");
    char label[256];
    for (size_t i = 0; i < r->n_routes; i++) {
        const struct http_compiled_route *c = &r->routes[i];
        snprintf(label, sizeof(label), "%s %s", c->route->method, c->route->path);
        render_route(out, label, &c->metrics);
    }
    render_route(out, "unmatched", &r->unmatched);

    struct store_stats st;
    store_stats_get(&st);
    ms_str_addf(out,
                "# HELP minsheng_store_errors_total Statements that failed.\n"
                "# TYPE minsheng_store_errors_total counter\n"
                "minsheng_store_errors_total %llu\n"
                "# HELP minsheng_store_busy_total Statements that found the database busy.\n"
                "# TYPE minsheng_store_busy_total counter\n"
                "minsheng_store_busy_total %llu\n"
                "# HELP minsheng_store_tx_retries_total Transactions run again after busy.\n"
                "# TYPE minsheng_store_tx_retries_total counter\n"
                "minsheng_store_tx_retries_total %llu\n",
                (unsigned long long)st.errors, (unsigned long long)st.busy,
                (unsigned long long)st.retries);
}
