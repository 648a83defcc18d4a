/*
 * jobs_module.c - what the jobs module brings: its tables and permissions,
 * /api/v1/jobs and `minsheng jobs`. The jobs themselves come from the other
 * modules' tables (struct ms_job).
 */
#include "modules/jobs/jobs.h"
#include "modules/jobs/jobs_int.h"

#include "core/banned.h"

/* Creates the rows of jobs seen for the first time, before serve listens. */
static int jobs__start(struct store *st, const struct ms_module_env *env, struct ms_err *err)
{
    (void)env;
    return jobs_sync(st, err);
}

const struct ms_module jobs_module = {
    .name = "jobs",
    .migrations = jobs_migrations,
    .routes = jobs_http_routes,
    .commands = jobs_cli_commands,
    .start = jobs__start,
};
