/*
 * policy_module.c - what the policy module brings.
 */
#include "modules/policy/policy.h"
#include "modules/policy/policy_int.h"
#include "core/banned.h"

const struct ms_module policy_module = {
    .name = "policy",
    .migrations = policy_migrations,
    .routes = policy_http_routes,
    .commands = policy_cli_commands,
};
