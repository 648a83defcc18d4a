/*
 * accounts_module.c - what the accounts module brings, including the
 * authenticator the HTTP server uses for every non-public route.
 */
#include "modules/accounts/accounts.h"
#include "modules/accounts/accounts_int.h"
#include "core/banned.h"

const struct ms_module accounts_module = {
    .name = "accounts",
    .migrations = accounts_migrations,
    .routes = accounts_http_routes,
    .commands = accounts_cli_commands,
    .authenticate = accounts_http_authenticate,
};
