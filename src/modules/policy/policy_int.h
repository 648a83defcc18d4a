/*
 * policy_int.h - what the policy module's files share with its module table.
 */
#ifndef MS_POLICY_INT_H
#define MS_POLICY_INT_H

#include "modules/module.h"

extern const struct http_route policy_http_routes[];
extern const struct cli_command policy_cli_commands[];
extern const struct store_migration policy_migrations[];

#endif
