/*
 * jobs_int.h - shared between the jobs module's files.
 */
#ifndef MS_JOBS_INT_H
#define MS_JOBS_INT_H

#include "modules/jobs/jobs.h"
#include "modules/module.h"

extern const struct http_route jobs_http_routes[];
extern const struct cli_command jobs_cli_commands[];
extern const struct store_migration jobs_migrations[];

/* The job a module offers under name, or NULL. */
const struct ms_job *jobs__find(const char *name);

#endif
