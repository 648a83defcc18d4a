/*
 * exchange_evaluate.c - `minsheng link --evaluate`. (Being written.)
 */
#include "cli/cli.h"
#include "core/banned.h"
#include "modules/exchange/exchange_int.h"

int exchange_cmd_evaluate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail(CLI_FAIL, "link --evaluate: not built yet");
}
