/*
 * link_cli.c - `minsheng link`: generic record linkage of CSV files.
 * (Being written for issue #4.)
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "modules/exchange/exchange_int.h"

int link_cli_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--evaluate"))
            return exchange_cmd_evaluate(argc, argv);
    return cli_fail(CLI_FAIL, "link: not built yet");
}
