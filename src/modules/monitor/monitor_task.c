/*
 * monitor_task.c - alerts and their verification tasks: the lists a town
 * works from (scoped like the registry, by the region code of the subject's
 * residence) and the one decision a task takes (rules.md §2 分类处置:
 * dismiss with a reason, assist, or refer to a department).
 */
#include "modules/monitor/monitor.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance.h"
#include "modules/audit/audit.h"
#include "modules/monitor/monitor_int.h"
#include "modules/monitor/monitor_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"


static int check_page(int page, int page_size, struct ms_err *err)
{
    if (page < 1 || page_size < 1 || page_size > 100)
        return monitor__bad(err, MS_EFIELD, page < 1 ? "page" : "page_size",
                            "页码或每页条数超出范围", "page or page_size out of range");
    return 0;
}

static void read_entry(struct audit_entry *read, struct ms_arena *arena, const char *action,
                       const char *what, int page, size_t n)
{
    memset(read, 0, sizeof(*read));
    read->action = action;
    read->object_type = "monitor_alert";
    read->object_id = "list";
    read->result = "ok";
    read->detail = ms_arena_printf(arena, "%s page=%d rows=%zu", what, page, n);
}

int monitor_alert_list(struct store *st, const char *scope, const char *rule_id,
                       const char *subject, int page, int page_size, struct ms_arena *arena,
                       struct monitor_alert **items, size_t *n, struct audit_entry *read,
                       struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    int rc;
    if (check_page(page, page_size, err) < 0 ||
        registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, monitor_sql_alert_list, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    store_bind_text(s, 3, rule_id ? rule_id : "");
    store_bind_text(s, 4, rule_id ? rule_id : "");
    store_bind_text(s, 5, subject ? subject : "");
    store_bind_text(s, 6, subject ? subject : "");
    store_bind_int64(s, 7, page_size);
    store_bind_int64(s, 8, (int64_t)(page - 1) * page_size);
    *items = ms_arena_calloc(arena, (size_t)page_size, sizeof(**items));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct monitor_alert *x = &(*items)[(*n)++];
        x->id = store_col_int64(s, 0);
        x->rule_id = store_col_dup(s, 1, arena);
        x->subject_type = store_col_dup(s, 2, arena);
        x->subject_id = store_col_int64(s, 3);
        x->subject_code = store_col_dup(s, 4, arena);
        x->period = store_col_dup(s, 5, arena);
        x->detail = store_col_dup(s, 6, arena);
        x->severity = store_col_dup(s, 7, arena);
        x->department = store_col_dup(s, 8, arena);
        x->region_code = store_col_dup(s, 9, arena);
        x->created_at = store_col_dup(s, 10, arena);
        x->task_id = store_col_int64(s, 11);
        x->task_status = store_col_dup(s, 12, arena);
        x->due_on = store_col_dup(s, 13, arena);
        x->household_id = store_col_int64(s, 14);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    read_entry(read, arena, "monitor.alert.list",
               ms_arena_printf(arena, "rule=%s", rule_id ? rule_id : ""), page, *n);
    return 0;
}

int monitor_task_list(struct store *st, const char *scope, enum monitor_task_filter filter,
                      int page, int page_size, struct ms_arena *arena, struct monitor_task **items,
                      size_t *n, struct audit_entry *read, struct ms_err *err)
{
    static const char *const names[] = {"all", "mine", "overdue"};
    char lo[16], hi[16], today[MS_DATE_BUF];
    struct store_stmt *s;
    int rc;
    if (check_page(page, page_size, err) < 0 ||
        registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, monitor_sql_task_list, &s, err) < 0)
        return err->code;
    ms_date_format(ms_date_today_cst(), today);
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    store_bind_int64(s, 3, filter != MONITOR_TASKS_ALL);
    store_bind_text(s, 4, filter == MONITOR_TASKS_OVERDUE ? today : "9999-12-31");
    store_bind_int64(s, 5, page_size);
    store_bind_int64(s, 6, (int64_t)(page - 1) * page_size);
    *items = ms_arena_calloc(arena, (size_t)page_size, sizeof(**items));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct monitor_task *x = &(*items)[(*n)++];
        x->id = store_col_int64(s, 0);
        x->alert_id = store_col_int64(s, 1);
        x->rule_id = store_col_dup(s, 2, arena);
        x->subject_code = store_col_dup(s, 3, arena);
        x->period = store_col_dup(s, 4, arena);
        x->detail = store_col_dup(s, 5, arena);
        x->town_code = store_col_dup(s, 6, arena);
        x->due_on = store_col_dup(s, 7, arena);
        x->status = store_col_dup(s, 8, arena);
        x->outcome = store_col_dup(s, 9, arena);
        x->reason = store_col_dup(s, 10, arena);
        x->department = store_col_dup(s, 11, arena);
        x->decided_by = store_col_dup(s, 12, arena);
        x->household_id = store_col_int64(s, 13);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    read_entry(read, arena, "monitor.task.list", names[filter], page, *n);
    return 0;
}

static int check_outcome(const struct monitor_outcome *in, struct ms_err *err)
{
    const char *o = in->outcome ? in->outcome : "";
    if (strcmp(o, "dismiss") == 0) {
        if (!in->reason || !*in->reason)
            return monitor__bad(err, MS_EMISSING, "reason", "排除预警须说明理由",
                                "reason is required to dismiss");
        return 0;
    }
    if (strcmp(o, "refer") == 0) {
        if (!in->department || !*in->department)
            return monitor__bad(err, MS_EMISSING, "department", "转办须指明部门",
                                "department is required to refer");
        return 0;
    }
    if (strcmp(o, "assist") == 0)
        return 0;
    if (strcmp(o, "stop") == 0) {
        if (!in->may_stop)
            return monitor__bad(err, MS_EFORBIDDEN, "outcome", "停发救助须由区县审核确认机关决定",
                                "stopping assistance is the district's decision");
        if (!in->reason || !*in->reason)
            return monitor__bad(err, MS_EMISSING, "reason", "停发救助须写明理由",
                                "reason is required to stop assistance");
        return 0;
    }
    return monitor__bad(err, MS_EFIELD, "outcome", "处置结果必须是 dismiss、assist、refer 或 stop",
                        "outcome must be dismiss, assist, refer or stop");
}

struct decide_ctx {
    const char *scope;
    int64_t id;
    const struct monitor_outcome *in;
    const struct ms_actor *actor;
};

/* Nothing was decided: the task is outside the scope (not found) or
 * already decided (conflict). */
static int why_not(struct store *st, int64_t id, const char *lo, const char *hi,
                   struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, monitor_sql_task_status, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW) {
        ms_err_set(err, MS_ECONFLICT, "task %lld already decided", (long long)id);
        ms_err_zh(err, "核实任务 %lld 已处置，不能再次处置", (long long)id);
        return MS_ECONFLICT;
    }
    ms_err_set(err, MS_ENOTFOUND, "task %lld not found", (long long)id);
    ms_err_zh(err, "未找到核实任务 %lld", (long long)id);
    return MS_ENOTFOUND;
}

/* Outcome stop: every scheme of the household still paid stops, through the
 * assistance module's change flow; the first change's id goes on the task. */
static int stop_assistance(struct store *st, const struct decide_ctx *c, struct ms_err *err)
{
    static const char *const schemes[] = {"dibao", "tekun"};
    struct store_stmt *s;
    int64_t household = 0, first_change = 0;
    char code[32];
    int rc;
    if (monitor_task_subject(st, c->scope, c->id, &household, code, err) < 0)
        return err->code;
    for (size_t i = 0; household && i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        struct ms_err e = MS_ERR_INIT;
        struct assistance_change_out out;
        int64_t enrolment = 0;
        struct assistance_change_in ch = {.kind = "stop", .reason_zh = c->in->reason};
        rc = assistance_enrolment_current(st, household, schemes[i], &enrolment, &e);
        if (rc == MS_ENOTFOUND)
            continue;
        if (rc == 0)
            rc = assistance_enrolment_change_in_tx(st, c->scope, enrolment, &ch, c->actor, &out,
                                                   &e);
        if (rc == MS_ECONFLICT || rc == MS_ENOTFOUND)
            continue; /* stopped already, or outside the caller's scope */
        if (rc < 0) {
            *err = e;
            return rc;
        }
        if (!first_change)
            first_change = out.change_id;
    }
    if (!first_change)
        return monitor__bad(err, MS_ECONFLICT, "outcome", "该户没有正在发放的低保或特困，无可停发",
                            "the household has no dibao or tekun being paid");
    if ((rc = store_prepare(st, monitor_sql_task_set_change, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, first_change);
    store_bind_int64(s, 2, c->id);
    rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int decide_tx(struct store *st, void *arg, struct ms_err *err)
{
    struct decide_ctx *c = arg;
    char lo[16], hi[16], now[32], id[24], detail[200];
    struct store_stmt *s;
    int rc;
    if (registry_scope_bounds(c->scope ? c->scope : "", lo, hi, err) < 0 ||
        store_prepare(st, monitor_sql_task_decide, &s, err) < 0)
        return err->code;
    monitor__now(now);
    store_bind_text(s, 1, c->in->outcome);
    store_bind_text(s, 2, c->in->reason ? c->in->reason : "");
    store_bind_text(s, 3, c->in->department ? c->in->department : "");
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, c->actor->username ? c->actor->username : "");
    store_bind_int64(s, 6, c->id);
    store_bind_text(s, 7, lo);
    store_bind_text(s, 8, hi);
    rc = store_step(s, err);
    int64_t changed = rc >= 0 ? store_changes(s) : 0;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (changed == 0)
        return why_not(st, c->id, lo, hi, err);
    if (strcmp(c->in->outcome, "stop") == 0 && stop_assistance(st, c, err) < 0)
        return err->code;
    snprintf(id, sizeof(id), "%lld", (long long)c->id);
    snprintf(detail, sizeof(detail), "outcome=%s department=%s", c->in->outcome,
             c->in->department ? c->in->department : "");
    struct audit_entry e = {.action = "monitor.task.decide", .object_type = "monitor_task",
                            .object_id = id, .purpose = c->in->reason, .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int monitor_task_subject(struct store *st, const char *scope, int64_t id, int64_t *household_id,
                         char code[32], struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    int rc;
    if (registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, monitor_sql_task_subject, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    if ((rc = store_step(s, err)) == STORE_ROW) {
        *household_id = store_col_int64(s, 0);
        snprintf(code, 32, "%s", store_col_text(s, 1) ? store_col_text(s, 1) : "");
    }
    store_reset(s);
    if (rc == STORE_DONE) {
        ms_err_set(err, MS_ENOTFOUND, "task %lld not found", (long long)id);
        ms_err_zh(err, "未找到核实任务 %lld", (long long)id);
        return MS_ENOTFOUND;
    }
    return rc < 0 ? rc : 0;
}

int monitor_task_decide(struct store *st, const char *scope, int64_t id,
                        const struct monitor_outcome *in, const struct ms_actor *actor,
                        struct ms_err *err)
{
    struct decide_ctx c = {scope, id, in, actor};
    if (check_outcome(in, err) < 0)
        return err->code;
    return store_tx(st, decide_tx, &c, err);
}
