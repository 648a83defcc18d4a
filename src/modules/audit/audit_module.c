/*
 * audit_module.c - what the audit module brings.
 */
#include "modules/audit/audit.h"
#include "modules/audit/audit_int.h"
#include "core/banned.h"

const struct ms_module audit_module = {
    .name = "audit",
    .migrations = audit_migrations,
    .routes = audit_http_routes,
    .commands = audit_cli_commands,
};
