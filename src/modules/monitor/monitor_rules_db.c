/*
 * monitor_rules_db.c - rules written through the API (issue #6 item 5).
 *
 * The shipped files are the defaults; a row of monitor_rule_defs with a
 * shipped id overrides that rule, any other id adds one. A rule is stored
 * only after it has passed the file checks (monitor_rule_parse()), every
 * parameter has a value in the policy table today, and its query has run
 * once, wrapped in the scan's count, in a read-only transaction with the
 * time limit monitor.rule.validate_timeout_ms (store_tx_readonly()). The
 * write and its audit entry share one transaction.
 */
#include "modules/monitor/monitor.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/audit/audit.h"
#include "modules/monitor/monitor_int.h"
#include "modules/monitor/monitor_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

int monitor_rule_set(struct store *st, struct ms_arena *arena, struct monitor_rule **rules,
                     const char ***origins, size_t *n, struct ms_err *err)
{
    const struct monitor_rule *shipped;
    size_t n_shipped;
    struct store_stmt *s;
    int rc;
    if (monitor_rules(&shipped, &n_shipped, err) < 0)
        return err->code;
    struct monitor_rule *out = ms_arena_calloc(arena, MONITOR_MAX_RULES, sizeof(*out));
    const char **from = ms_arena_calloc(arena, MONITOR_MAX_RULES, sizeof(*from));
    memcpy(out, shipped, n_shipped * sizeof(*out));
    for (size_t i = 0; i < n_shipped; i++)
        from[i] = "file";
    *n = n_shipped;
    if ((rc = store_prepare(st, monitor_sql_rule_defs, &s, err)) < 0)
        return rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct monitor_rule r;
        size_t i;
        if (monitor_rule_parse(store_col_text(s, 1), arena, &r, err) < 0) {
            rc = err->code;
            break;
        }
        for (i = 0; i < *n && strcmp(out[i].id, r.id) != 0; i++)
            ;
        if (i == MONITOR_MAX_RULES) {
            rc = ms_err_set(err, MS_EFIELD, "more than %d monitoring rules", MONITOR_MAX_RULES);
            break;
        }
        from[i] = i < *n ? "database_override" : "database";
        out[i] = r;
        if (i == *n)
            (*n)++;
    }
    store_reset(s);
    *rules = out;
    if (origins)
        *origins = from;
    return rc < 0 ? err->code : 0;
}

/* --- validation ------------------------------------------------------------------ */

static int check_params(struct store *st, const struct monitor_rule *r, const char *today,
                        struct ms_err *err)
{
    for (size_t i = 0; i < r->n_params; i++) {
        int64_t v;
        struct ms_err ignored = MS_ERR_INIT;
        if (strcmp(r->params[i].key, "scan_date") == 0 ||
            policy_get_int(st, r->params[i].key, today, &v, &ignored) == 0)
            continue;
        ms_err_field(err, MS_EFIELD, "parameters", "parameter %s has no value in the policy table",
                     r->params[i].key);
        ms_err_zh(err, "参数 %s 在政策参数表中没有取值", r->params[i].key);
        return MS_EFIELD;
    }
    return 0;
}

struct trial {
    const struct monitor_rule *rule;
    const char *today;
};

static int run_trial(struct store *st, void *ctx, struct ms_err *err)
{
    const struct trial *t = ctx;
    return monitor__rule_count(st, t->rule, t->today, err);
}

/* The query runs once as a scan would count it, unable to write, in time. */
static int check_query_runs(struct store *st, const struct monitor_rule *r, const char *today,
                            struct ms_err *err)
{
    int64_t timeout_ms;
    struct trial t = {r, today};
    struct ms_err why = MS_ERR_INIT;
    if (policy_get_int(st, "monitor.rule.validate_timeout_ms", today, &timeout_ms, err) < 0)
        return err->code;
    if (store_tx_readonly(st, (int)timeout_ms, run_trial, &t, &why) == 0)
        return 0;
    ms_err_field(err, MS_EFIELD, "query", "the query failed, wrote, or ran over %lld ms: %s",
                 (long long)timeout_ms, why.message);
    ms_err_zh(err, "规则查询无法执行、试图写入或超过 %lld 毫秒时限", (long long)timeout_ms);
    return MS_EFIELD;
}

/* --- saving ------------------------------------------------------------------------ */

struct save {
    const struct monitor_rule *rule;
    const char *body, *now;
    int is_create;
    const struct ms_actor *actor;
    int64_t version;
};

static int save_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct save *v = ctx;
    struct store_stmt *s;
    const char *user = v->actor->username ? v->actor->username : "";
    int rc;
    if ((rc = store_prepare(
             st, v->is_create ? monitor_sql_rule_def_insert : monitor_sql_rule_def_upsert, &s,
             err)) < 0)
        return rc;
    store_bind_text(s, 1, v->rule->id);
    store_bind_text(s, 2, v->body);
    store_bind_text(s, 3, v->now);
    store_bind_text(s, 4, user);
    store_bind_text(s, 5, v->now);
    store_bind_text(s, 6, user);
    if ((rc = store_step(s, err)) == STORE_ROW)
        v->version = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        ms_err_field(err, MS_ECONFLICT, "id", "rule '%s' exists: PUT it to change it", v->rule->id);
        ms_err_zh(err, "监测规则 %s 已存在，请用修改", v->rule->id);
        return MS_ECONFLICT;
    }
    if (rc < 0)
        return rc;
    char detail[200];
    snprintf(detail, sizeof(detail), "version=%lld subject=%s severity=%s params=%zu",
             (long long)v->version, v->rule->subject, v->rule->severity, v->rule->n_params);
    struct audit_entry e = {.action = v->is_create ? "monitor.rule.create" : "monitor.rule.update",
                            .object_type = "monitor_rule",
                            .object_id = v->rule->id,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, v->actor, &e, err);
}

int monitor_rule_save(struct store *st, const char *id, const char *body,
                      const struct ms_actor *actor, struct ms_arena *arena, int64_t *version,
                      struct ms_err *err)
{
    struct monitor_rule r;
    const struct monitor_rule *shipped;
    size_t n_shipped;
    char today[MS_DATE_BUF], now[32];
    ms_date_format(ms_date_today_cst(), today);
    if (monitor_rule_parse(body, arena, &r, err) < 0)
        return err->code;
    if (id && strcmp(id, r.id) != 0)
        return monitor__bad(err, MS_EFIELD, "id", "规则编号与地址不符",
                            "the body's id must be the id in the path");
    if (monitor_rules(&shipped, &n_shipped, err) < 0)
        return err->code;
    for (size_t i = 0; !id && i < n_shipped; i++)
        if (strcmp(shipped[i].id, r.id) == 0) {
            ms_err_field(err, MS_ECONFLICT, "id", "rule '%s' is shipped: PUT it to override it",
                         r.id);
            ms_err_zh(err, "监测规则 %s 为内置规则，请用修改覆盖", r.id);
            return MS_ECONFLICT;
        }
    if (check_params(st, &r, today, err) < 0 || check_query_runs(st, &r, today, err) < 0)
        return err->code;
    monitor__now(now);
    struct save v = {&r, body, now, id == NULL, actor, 0};
    if (store_tx(st, save_tx, &v, err) < 0)
        return err->code;
    *version = v.version;
    return 0;
}
