/*
 * module.h - what a module brings, declared in one table (nginx's
 * ngx_module_t). The binary walks `ms_modules` at start-up and hands each
 * module's migrations to the migrator, routes to the HTTP server and
 * commands to the CLI; core, store and http never name a module.
 *
 * Adding a module: make src/modules/<name>/ with <name>.c/.h (domain rules),
 * <name>_sql.c (statements), <name>_http.c (routes), <name>_cli.c (commands),
 * migrations/NNN_*.sql, and <name>_module.c holding `const struct ms_module
 * <name>_module`; then add
 * one line to the array in modules.c.
 */
#ifndef MS_MODULE_H
#define MS_MODULE_H

#include <stddef.h>

#include "cli/cli.h"
#include "core/actor.h"
#include "http/http.h"
#include "store/migrate.h"

/* What a command that runs the platform (serve) tells the modules at start. */
struct ms_module_env {
    const char *db_url;
    const char *key_file; /* --key-file, or NULL for the default */
};

/*
 * A job a module offers to the scheduler (定时任务, src/modules/jobs/). It runs
 * on a connection of its own, as the scheduler or as the person who started
 * it, opens its own transactions, and writes a one-line summary for the run
 * log ("3 rules, 12 new alerts"). Jobs must be safe to run again: a run that
 * was cut short is simply run again (payments are exactly once anyway).
 */
typedef int ms_job_fn(struct store *st, const struct ms_actor *actor, char *summary,
                      size_t summary_len, struct ms_err *err);

struct ms_job {
    const char *name;             /* "monitor.scan": module, a dot, what */
    const char *title_zh;         /* 全量监测扫描 */
    const char *title_en;
    const char *default_schedule; /* five-field cron in China time (core/cron.h) */
    ms_job_fn *run;
};

struct ms_module {
    const char *name;
    const struct store_migration *migrations; /* ended by an entry with module NULL */
    const struct http_route *routes;          /* ended by an entry with method NULL */
    const struct cli_command *commands;       /* ended by an entry with name NULL */
    const struct ms_job *jobs;                /* ended by an entry with name NULL */
    http_authenticate_fn *authenticate;       /* staff sessions; at most one module */
    http_authenticate_fn *authenticate_resident; /* resident sessions (ROUTE_RESIDENT
                                                  * routes); at most one module */
    /* Called by serve before it listens, with a connection to the checked
     * database; an error stops the server from starting. May be NULL. */
    int (*start)(struct store *st, const struct ms_module_env *env, struct ms_err *err);
};

/* Every module, in dependency order (a module's migrations may refer to the
 * tables of those before it), ended by NULL. */
extern const struct ms_module *const ms_modules[];

/* The migrations of every module, in order. Returns a static list. */
const struct store_migration_list *ms_modules_migrations(void);

/* The number of entries before the sentinel of a module's tables. */
size_t ms_module_route_count(const struct ms_module *m);
size_t ms_module_command_count(const struct ms_module *m);

#endif
