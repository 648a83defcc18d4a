/*
 * exchange_module.c - what the exchange module brings: feeds, batches,
 * quarantine, the review queue, and `minsheng import` and `minsheng link`.
 */
#include "core/banned.h"
#include "modules/exchange/exchange.h"
#include "modules/exchange/exchange_int.h"

static const struct cli_command exchange_commands[] = {
    {"link", link_cli_main, "Link or de-duplicate person records in CSV files",
     "人员记录比对关联（CSV 文件）"},
    {NULL, NULL, NULL, NULL},
};

const struct ms_module exchange_module = {
    .name = "exchange",
    .commands = exchange_commands,
};
