/*
 * placenames_module.c - what the placenames module brings.
 */
#include "core/banned.h"
#include "modules/placenames/placenames.h"
#include "modules/placenames/placenames_int.h"

const struct ms_module placenames_module = {
    .name = "placenames",
    .migrations = placenames_migrations,
    .routes = placenames_http_routes,
    .commands = placenames_cli_commands,
};
