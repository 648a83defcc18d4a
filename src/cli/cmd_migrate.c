/*
 * cmd_migrate.c - `minsheng migrate`: creates or updates the schema from the
 * migrations compiled into the binary.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "modules/module.h"
#include "store/migrate.h"
#include "store/store.h"
#include "core/banned.h"

static void progress(const struct store_migration *m, void *ctx)
{
    (void)ctx;
    printf("applied %s %03d_%s\n", m->module, m->version, m->name);
}

int cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd') {
            db = optarg;
        } else if (c == 'h') {
            printf("usage: minsheng migrate [--db URL]\n\n"
                   "  Creates the database if needed and applies every migration it lacks,\n"
                   "  each in its own transaction (创建或升级数据库结构).\n");
            return CLI_OK;
        } else {
            return CLI_USAGE;
        }
    }
    if (optind != argc)
        return cli_fail(CLI_USAGE, "migrate takes no arguments");

    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    int rc = cli_open_store(db, 1, &st);
    if (rc)
        return rc;
    rc = store_migrate_apply(st, ms_modules_migrations(), &applied, progress, NULL, &err);
    store_close(st);
    if (rc < 0)
        return cli_error(&err);
    printf("database is up to date (%zu migration(s) applied now)\n", applied);
    return CLI_OK;
}
