/*
 * assistance_module.c - what the assistance module brings: its tables,
 * permissions and policy keys, the /api/v1/assistance routes and
 * `minsheng pay`.
 */
#include "modules/assistance/assistance.h"
#include "modules/assistance/assistance_int.h"

#include "core/banned.h"

const struct ms_module assistance_module = {
    .name = "assistance",
    .migrations = assistance_migrations,
    .routes = assistance_http_routes,
    .commands = assistance_cli_commands,
    .jobs = assistance_jobs,
};
