/*
 * registry_module.c - what the registry module brings: its tables and roles,
 * the resident and household routes, `minsheng resident`, and at serve's
 * start the key for sealed fields (a bad key file stops the server before it
 * listens, rather than failing requests later).
 */
#include "modules/registry/registry.h"
#include "modules/registry/registry_int.h"
#include "core/banned.h"

static int registry_start(struct store *st, const struct ms_module_env *env, struct ms_err *err)
{
    registry_set_key_file(env->key_file);
    return registry_load_key(st, err);
}

const struct ms_module registry_module = {
    .name = "registry",
    .migrations = registry_migrations,
    .routes = registry_http_routes,
    .commands = registry_cli_commands,
    .start = registry_start,
};
