/*
 * main.c - the `minsheng` command: a table of built-in commands plus those
 * every module brings, git-style (`minsheng <command> [options]`).
 *
 * To add a command, see cli/cli.h.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "modules/module.h"
#include "core/banned.h"

static const struct cli_command builtins[] = {
    {"serve", cmd_serve, "Serve the API and console over HTTP", "启动服务"},
    {"migrate", cmd_migrate, "Create or update the database schema", "创建或升级数据库"},
    {"db", cmd_db, "Database utilities (digest)", "数据库工具"},
    {NULL, NULL, NULL, NULL},
};

static void list_commands(FILE *f, const struct cli_command *cmds)
{
    for (; cmds && cmds->name; cmds++)
        fprintf(f, "  %-10s %s (%s)\n", cmds->name, cmds->summary, cmds->summary_zh);
}

static int usage(FILE *f, int code)
{
    fprintf(f, "usage: minsheng <command> [options]\n\n"
               "minsheng (民生) %s - district livelihood-services platform.\n\n"
               "Commands:\n",
            MS_VERSION);
    list_commands(f, builtins);
    for (size_t i = 0; ms_modules[i]; i++)
        list_commands(f, ms_modules[i]->commands);
    fprintf(f, "  %-10s %s (%s)\n", "version", "Print the version", "版本");
    fprintf(f, "\nThe database is --db PATH (SQLite) or --db postgresql://..., or MINSHENG_DB.\n"
               "Run 'minsheng <command> --help' for a command's options.\n");
    return code;
}

static const struct cli_command *find(const char *name)
{
    for (const struct cli_command *c = builtins; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    for (size_t i = 0; ms_modules[i]; i++)
        for (const struct cli_command *c = ms_modules[i]->commands; c && c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, CLI_USAGE);
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return usage(stdout, CLI_OK);
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("minsheng %s\n", MS_VERSION);
        return CLI_OK;
    }
    if (sodium_init() < 0)
        return cli_fail(CLI_FAIL, "libsodium failed to initialise");
    const struct cli_command *cmd = find(name);
    if (!cmd) {
        fprintf(stderr, "minsheng: unknown command '%s'\n\n", name);
        return usage(stderr, CLI_USAGE);
    }
    return cmd->fn(argc - 1, argv + 1);
}
