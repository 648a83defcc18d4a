/*
 * audit_int.h - what the audit module's files share with its module table.
 */
#ifndef MS_AUDIT_INT_H
#define MS_AUDIT_INT_H

#include "modules/module.h"

extern const struct http_route audit_http_routes[];
extern const struct cli_command audit_cli_commands[];
extern const struct store_migration audit_migrations[];

#endif
