/*
 * monitor_module.c - what the monitor module brings: its tables,
 * permissions and policy keys, the /api/v1/monitor routes and
 * `minsheng scan`.
 */
#include "modules/monitor/monitor.h"
#include "modules/monitor/monitor_int.h"

#include "core/banned.h"

const struct ms_module monitor_module = {
    .name = "monitor",
    .migrations = monitor_migrations,
    .routes = monitor_http_routes,
    .commands = monitor_cli_commands,
    .jobs = monitor_jobs,
};
