/*
 * modules.c - the list of modules. Order matters: a module comes after the
 * modules whose tables or functions it uses (policy before accounts, which
 * reads its limits from policy; audit before everything that audits).
 */
#include "modules/module.h"

#include "modules/accounts/accounts.h"
#include "modules/assistance/assistance.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange.h"
#include "modules/gen/gen.h"
#include "modules/jobs/jobs.h"
#include "modules/monitor/monitor.h"
#include "modules/placenames/placenames.h"
#include "modules/policy/policy.h"
#include "modules/portal/portal.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

const struct ms_module *const ms_modules[] = {
    &audit_module,
    &policy_module,
    &accounts_module,
    &placenames_module,
    &registry_module,
    &portal_module,
    &exchange_module,
    &assistance_module,
    &monitor_module,
    &jobs_module,
    &gen_module,
    NULL,
};

#define MS_MAX_MODULES 64

const struct store_migration_list *ms_modules_migrations(void)
{
    static const struct store_migration *lists[MS_MAX_MODULES];
    static struct store_migration_list list;
    if (!list.count) {
        for (size_t i = 0; ms_modules[i] && i < MS_MAX_MODULES; i++)
            if (ms_modules[i]->migrations)
                lists[list.count++] = ms_modules[i]->migrations;
        list.lists = lists;
    }
    return &list;
}

size_t ms_module_route_count(const struct ms_module *m)
{
    size_t n = 0;
    while (m->routes && m->routes[n].method)
        n++;
    return n;
}

size_t ms_module_command_count(const struct ms_module *m)
{
    size_t n = 0;
    while (m->commands && m->commands[n].name)
        n++;
    return n;
}
