/*
 * exchange_module.c - what the exchange module brings: feeds, batches,
 * quarantine, the review queue, and `minsheng import` and `minsheng link`.
 */
#include "core/banned.h"
#include "modules/exchange/exchange.h"
#include "modules/exchange/exchange_int.h"

const struct ms_module exchange_module = {
    .name = "exchange",
    .migrations = exchange_migrations,
    .routes = exchange_http_routes,
    .commands = exchange_cli_commands,
    .jobs = exchange_jobs,
};
