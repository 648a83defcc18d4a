/*
 * monitor_chain.c - a household's whole chain in one view (一户一条救助链,
 * issue #6 item 3): what the monitoring found about it and its members,
 * what the towns did with each finding, and the assistance that followed
 * (through assistance.h). Scoped by the household's region like the
 * registry; the read of personal data is audited by the caller.
 */
#include "modules/monitor/monitor.h"

#include <stdio.h>
#include <string.h>

#include "modules/assistance/assistance.h"
#include "modules/audit/audit.h"
#include "modules/monitor/monitor_int.h"
#include "modules/monitor/monitor_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

#define CHAIN_MAX_ALERTS 500
#define CHAIN_MAX_ITEMS 600 /* about ten years of two schemes' monthly lines */


static int read_household(struct store *st, const char *scope, int64_t id,
                          struct ms_arena *arena, struct monitor_chain *out, struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    int rc;
    if (registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, monitor_sql_chain_household, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    if ((rc = store_step(s, err)) == STORE_ROW) {
        out->number = store_col_dup(s, 0, arena);
        out->region_code = store_col_dup(s, 1, arena);
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return monitor__bad(err, MS_ENOTFOUND, "id", "未找到该户", "household not found");
    return rc < 0 ? rc : 0;
}

static int read_alerts(struct store *st, struct ms_arena *arena, struct monitor_chain *out,
                       struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    out->alerts = ms_arena_calloc(arena, CHAIN_MAX_ALERTS, sizeof(*out->alerts));
    if (store_prepare(st, monitor_sql_chain_alerts, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->household_id);
    store_bind_int64(s, 2, out->household_id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_alerts < CHAIN_MAX_ALERTS) {
        struct monitor_chain_alert *x = &out->alerts[out->n_alerts++];
        x->id = store_col_int64(s, 0);
        x->rule_id = store_col_dup(s, 1, arena);
        x->subject_code = store_col_dup(s, 2, arena);
        x->period = store_col_dup(s, 3, arena);
        x->detail = store_col_dup(s, 4, arena);
        x->severity = store_col_dup(s, 5, arena);
        x->created_at = store_col_dup(s, 6, arena);
        x->task_id = store_col_int64(s, 7);
        x->task_status = store_col_dup(s, 8, arena);
        x->due_on = store_col_dup(s, 9, arena);
        x->outcome = store_col_dup(s, 10, arena);
        x->reason = store_col_dup(s, 11, arena);
        x->decided_at = store_col_dup(s, 12, arena);
        x->decided_by = store_col_dup(s, 13, arena);
        x->change_id = store_col_int64(s, 14);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int monitor_household_chain(struct store *st, const char *scope, int64_t household_id,
                            struct ms_arena *arena, struct monitor_chain *out,
                            struct audit_entry *read, struct ms_err *err)
{
    memset(out, 0, sizeof(*out));
    out->household_id = household_id;
    if (read_household(st, scope, household_id, arena, out, err) < 0 ||
        read_alerts(st, arena, out, err) < 0 ||
        assistance_household_chain(st, household_id, CHAIN_MAX_ITEMS, arena, &out->items,
                                   &out->n_items, err) < 0)
        return err->code;
    memset(read, 0, sizeof(*read));
    read->action = "monitor.chain.read";
    read->object_type = "household";
    read->object_id = ms_arena_printf(arena, "%lld", (long long)household_id);
    read->result = "ok";
    read->detail = ms_arena_printf(arena, "alerts=%zu items=%zu", out->n_alerts, out->n_items);
    return 0;
}
