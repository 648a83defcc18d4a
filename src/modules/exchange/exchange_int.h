/*
 * exchange_int.h - shared between the exchange module's files: its tables
 * and the entry points of its commands.
 */
#ifndef MS_EXCHANGE_INT_H
#define MS_EXCHANGE_INT_H

#include "modules/module.h"

/* `minsheng link`: generic linkage of CSV files (link_cli.c); with
 * --evaluate it hands over to exchange_cmd_evaluate(). */
int link_cli_main(int argc, char **argv);

/* `minsheng link --evaluate ...` (exchange_evaluate.c). */
int exchange_cmd_evaluate(int argc, char **argv);

#endif
