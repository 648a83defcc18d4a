/*
 * builtin.c - routes every server has: health, metrics, the API document,
 * and the service status the 服务监控 screen reads (status.c).
 */
#include "http/http_int.h"

#include "store/store.h"
#include "core/banned.h"

static int get_healthz(struct http_request *req)
{
    /* A trivial statement proves this worker's database connection works. */
    struct store_stmt *s;
    if (store_prepare(req->store, "SELECT 1", &s, &req->err) < 0)
        return req->err.code;
    int rc = store_step(s, &req->err);
    store_reset(s);
    if (rc < 0)
        return rc;
    return http_reply_json(req, 200,
                           json_pack("{s:s,s:s,s:s}", "status", "ok", "version", MS_VERSION,
                                     "store", store_engine_name(req->store)));
}

static int get_metrics(struct http_request *req)
{
    struct ms_str text = MS_STR_INIT;
    http__metrics_render(http__current_router(), &text);
    http_reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8", text.buf, text.len);
    ms_str_release(&text);
    return 0;
}

static int get_openapi(struct http_request *req)
{
    return http_reply_json(req, 200, http__openapi_build(http__current_router()));
}

/* clang-format off */
const struct http_route http__builtin_routes[] = {
    { .method = "GET", .path = "/healthz", .fn = get_healthz, .flags = ROUTE_PUBLIC,
      .summary = "Liveness and database check", .summary_zh = "健康检查" },
    { .method = "GET", .path = "/metrics", .fn = get_metrics, .flags = ROUTE_PUBLIC,
      .summary = "Prometheus metrics", .summary_zh = "运行指标" },
    { .method = "GET", .path = "/api/v1/openapi.json", .fn = get_openapi, .flags = ROUTE_PUBLIC,
      .summary = "This API's OpenAPI 3 document", .summary_zh = "接口文档" },
    { .method = "GET", .path = "/api/v1/system/status", .fn = http__get_system_status,
      .permission = "system:monitor",
      .summary = "Service status: version, uptime, memory, database size, requests and"
                 " latency by route, store contention",
      .summary_zh = "服务监控" },
};
/* clang-format on */
const size_t http__builtin_routes_count =
    sizeof(http__builtin_routes) / sizeof(http__builtin_routes[0]);
