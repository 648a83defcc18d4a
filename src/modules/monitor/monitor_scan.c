/*
 * monitor_scan.c - a scan: every rule, set-based, one transaction per rule.
 *
 * For each rule the scan counts the rows its query finds, then runs one
 * INSERT ... SELECT that wraps the query and writes the alerts the UNIQUE
 * (rule, subject, period) key lets in, then one INSERT ... SELECT that gives
 * each alert of this scan its task. No loop over residents: the database
 * does the join, and a second scan adds nothing. The parameters are read
 * from the policy table on the scan date and bound; SQL is never built from
 * a request.
 */
#include "modules/monitor/monitor.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "modules/audit/audit.h"
#include "modules/monitor/monitor_int.h"
#include "modules/monitor/monitor_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

struct rule_run {
    const struct monitor_rule *rule;
    const char *scan_date;
    int32_t scan_day;
    int64_t scan_id;
    const char *now;
    char due_on[MS_DATE_BUF];
    struct monitor_rule_result *result;
    const struct monitor_scan_result *scan; /* its marks, when only touched subjects count */
    enum monitor__marks marks;              /* how marks are written when not restricted */
};

/* The rule runs over touched subjects only: an incremental scan and a rule
 * whose subjects new records find. */
static int is_restricted(const struct rule_run *r)
{
    return r->scan && r->rule->touch == MONITOR_TOUCH_RECORDS;
}

/* The SQL that finds a rule's rows: head, the rule's query with its marks
 * written out, and the tail. A restricted rule with marks narrows itself;
 * one without is restricted around its query (whole result, then filter). */
static int rule_sql(const struct rule_run *r, const char *head, struct ms_str *sql,
                    struct ms_err *err)
{
    int restricted = is_restricted(r);
    const char *tail = monitor_sql_rule_count_tail;
    if (restricted && !r->rule->has_touch_marks)
        tail = strcmp(r->rule->subject, "household") == 0
                   ? monitor_sql_rule_count_household_touched_tail
                   : monitor_sql_rule_count_person_touched_tail;
    ms_str_adds(sql, head);
    if (monitor__expand_query(r->rule->query,
                              restricted ? MONITOR__MARKS_TOUCHED : r->marks, NULL, sql, NULL,
                              err) < 0)
        return err->code;
    ms_str_adds(sql, tail);
    return 0;
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1000.0 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A rule parameter's value on the scan date: text (a date, a year) or a
 * whole number. */
struct param_value {
    int is_text;
    int64_t number;
    char text[MS_DATE_BUF];
};

static int resolve_param(struct store *st, const struct rule_run *r, const struct monitor_param *p,
                         struct param_value *out, struct ms_err *err)
{
    int64_t v = 0;
    int32_t day;
    memset(out, 0, sizeof(*out));
    out->is_text = 1;
    if (strcmp(p->key, "scan_date") == 0) {
        snprintf(out->text, sizeof(out->text), "%.*s", p->use == MONITOR_USE_YEAR ? 4 : 10,
                 r->scan_date);
        return 0;
    }
    if (policy_get_int(st, p->key, r->scan_date, &v, err) < 0)
        return err->code;
    if (p->use == MONITOR_USE_VALUE) {
        out->is_text = 0;
        out->number = v;
        return 0;
    }
    if (p->use == MONITOR_USE_MONTHS_BEFORE || p->use == MONITOR_USE_YEARS_BEFORE) {
        int months = p->use == MONITOR_USE_YEARS_BEFORE ? 12 * (int)v : (int)v;
        if (ms_date_add_months(r->scan_day, -months, &day) != 0)
            return ms_err_set(err, MS_EFIELD, "policy %s out of range", p->key);
    } else {
        day = r->scan_day - (int32_t)v;
    }
    ms_date_format(day, out->text);
    return 0;
}

/* Binds the rule's parameters from index first on. */
static int bind_params(struct store *st, struct store_stmt *s, int first, const struct rule_run *r,
                       struct ms_err *err)
{
    for (size_t i = 0; i < r->rule->n_params; i++) {
        struct param_value v;
        if (resolve_param(st, r, &r->rule->params[i], &v, err) < 0)
            return err->code;
        if (v.is_text)
            store_bind_text(s, first + (int)i, v.text);
        else
            store_bind_int64(s, first + (int)i, v.number);
    }
    return 0;
}

/* Prepares the rule's SQL after head and binds its parameters. */
static int prepare_rule(struct store *st, const struct rule_run *r, const char *head,
                        struct store_stmt **s, struct ms_err *err)
{
    struct ms_str sql = MS_STR_INIT;
    int rc = rule_sql(r, head, &sql, err);
    if (rc == 0)
        rc = store_prepare(st, sql.buf, s, err);
    ms_str_release(&sql);
    if (rc == 0 && (rc = bind_params(st, *s, 1, r, err)) < 0)
        store_reset(*s);
    return rc;
}

static int count_rows(struct store *st, const struct rule_run *r, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = prepare_rule(st, r, monitor_sql_rule_count_head, &s, err)) < 0)
        return rc;
    if ((rc = store_step(s, err)) == STORE_ROW) {
        r->result->rows_found = store_col_int64(s, 0);
        rc = 0;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* Runs the rule's query once, into monitor_hits: the rows found. */
static int find_hits(struct store *st, const struct rule_run *r, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_exec(st, monitor_sql_hits_create, err) < 0 ||
        store_exec(st, monitor_sql_hits_clear, err) < 0)
        return err->code;
    if ((rc = prepare_rule(st, r, monitor_sql_hits_insert_head, &s, err)) < 0)
        return rc;
    if ((rc = store_step(s, err)) >= 0) {
        r->result->rows_found = store_changes(s);
        rc = 0;
    }
    store_reset(s);
    return rc;
}

/* The alerts of the hits that are new (unique per rule, subject, period). */
static int insert_alerts(struct store *st, const struct rule_run *r, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (!r->result->rows_found)
        return 0;
    rc = store_prepare(st,
                       strcmp(r->rule->subject, "household") == 0
                           ? monitor_sql_hits_alert_household
                           : monitor_sql_hits_alert_person,
                       &s, err);
    if (rc < 0)
        return rc;
    store_bind_text(s, 1, r->rule->id);
    store_bind_text(s, 2, r->rule->subject);
    store_bind_text(s, 3, r->rule->severity);
    store_bind_text(s, 4, r->rule->department);
    store_bind_int64(s, 5, r->scan_id);
    store_bind_text(s, 6, r->now);
    if ((rc = store_step(s, err)) >= 0) {
        r->result->alerts_new = store_changes(s);
        rc = 0;
    }
    store_reset(s);
    return rc;
}

static int insert_tasks(struct store *st, const struct rule_run *r, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, monitor_sql_task_insert, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, r->due_on);
    store_bind_text(s, 2, r->now);
    store_bind_int64(s, 3, r->scan_id);
    store_bind_text(s, 4, r->rule->id);
    rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int run_rule_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct rule_run *r = ctx;
    r->result->rows_found = r->result->alerts_new = 0;
    if (find_hits(st, r, err) < 0 || insert_alerts(st, r, err) < 0)
        return err->code;
    return r->result->alerts_new ? insert_tasks(st, r, err) : 0;
}

/* rules.md §2 time limits: home verification within working days from
 * policy; high severity (急难, fund integrity) the urgent limit. */
static struct ms_calendar calendar = MS_CALENDAR_INIT;
static int calendar_rc;

static void calendar_load(void)
{
    struct ms_err err = MS_ERR_INIT;
    calendar_rc = ms_calendar_load_default(&calendar, &err);
}

static int due_date(struct store *st, const struct monitor_rule *rule, const char *scan_date,
                    int32_t scan_day, char out[MS_DATE_BUF], struct ms_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    int64_t days;
    const char *key = strcmp(rule->severity, "high") == 0 ? "monitor.task.urgent_workdays"
                                                          : "monitor.task.verify_workdays";
    pthread_once(&once, calendar_load);
    if (policy_get_int(st, key, scan_date, &days, err) < 0)
        return err->code;
    ms_date_format(
        ms_calendar_add_workdays(calendar_rc < 0 ? NULL : &calendar, scan_day, (int)days), out);
    return 0;
}

struct scan_row {
    const char *rule_filter, *scan_date, *now;
    const struct ms_actor *actor;
    int64_t id;
    struct monitor_scan_result *result; /* the marks; the rules' results for the finish */
};

/* Where a scan starts or stops: batch id, registry time, enrolment and
 * payment line ids. */
struct marks {
    int64_t batch, enrolment, line;
    char registry[32];
};

/* Reads the marks from one row of sql; nothing if there is no row. */
static int read_marks(struct store *st, const char *sql, struct marks *m, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, sql, &s, err)) < 0)
        return rc;
    if ((rc = store_step(s, err)) == STORE_ROW) {
        m->batch = store_col_int64(s, 0);
        snprintf(m->registry, sizeof(m->registry), "%s",
                 store_col_text(s, 1) ? store_col_text(s, 1) : "");
        m->enrolment = store_col_int64(s, 2);
        m->line = store_col_int64(s, 3);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* The touched subjects of an incremental scan, into the temporary tables
 * the rules' marks and the restricted tails read: first the residents
 * (batches, registry, then the enrolment and line ranges), then the
 * households (the same ranges), then their members. */
static int fill_touched(struct store *st, struct monitor_scan_result *o, struct ms_err *err)
{
    static const char *const fills[2] = {monitor_sql_touched_residents,
                                         monitor_sql_touched_households};
    const int64_t assisted[4] = {o->enrolment_from, o->enrolment_to, o->line_from, o->line_to};
    struct store_stmt *s;
    int rc = 0;
    for (size_t i = 0; monitor_sql_touched_setup[i]; i++)
        if (store_exec(st, monitor_sql_touched_setup[i], err) < 0)
            return err->code;
    for (int step = 0; step < 2; step++) {
        int first = 1;
        if ((rc = store_prepare(st, fills[step], &s, err)) < 0)
            return rc;
        if (step == 0) {
            store_bind_int64(s, 1, o->batch_from);
            store_bind_int64(s, 2, o->batch_to);
            store_bind_text(s, 3, o->registry_from);
            first = 4;
        }
        for (int i = 0; i < 4; i++)
            store_bind_int64(s, first + i, assisted[i]);
        rc = store_step(s, err);
        *(step == 0 ? &o->touched_residents : &o->touched_households) = store_changes(s);
        store_reset(s);
        if (rc < 0)
            return rc;
    }
    if (store_exec(st, monitor_sql_touched_members, err) < 0)
        return err->code;
    for (size_t i = 0; monitor_sql_touched_analyze[i]; i++)
        if (store_exec(st, monitor_sql_touched_analyze[i], err) < 0)
            return err->code;
    return 0;
}

/* Records the scan with the marks it will have covered; an incremental
 * scan first reads where the last scan of every rule stopped, and finds
 * what was touched since. */
static int scan_start_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct scan_row *r = ctx;
    struct monitor_scan_result *o = r->result;
    struct store_stmt *s;
    struct marks last = {0, 0, 0, ""}, now = {0, 0, 0, ""};
    int rc;
    if ((o->is_incremental && read_marks(st, monitor_sql_scan_marks_last, &last, err) < 0) ||
        read_marks(st, monitor_sql_scan_marks_now, &now, err) < 0)
        return err->code;
    o->batch_from = last.batch;
    o->batch_to = now.batch;
    snprintf(o->registry_from, sizeof(o->registry_from), "%s", last.registry);
    o->enrolment_from = last.enrolment;
    o->enrolment_to = now.enrolment;
    o->line_from = last.line;
    o->line_to = now.line;
    if ((rc = store_prepare(st, monitor_sql_scan_insert, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, r->rule_filter);
    store_bind_text(s, 2, r->scan_date);
    store_bind_text(s, 3, r->now);
    store_bind_text(s, 4, r->actor->username ? r->actor->username : "");
    store_bind_text(s, 5, o->is_incremental ? "incremental" : "full");
    store_bind_int64(s, 6, now.batch);
    store_bind_text(s, 7, now.registry);
    store_bind_int64(s, 8, now.enrolment);
    store_bind_int64(s, 9, now.line);
    if ((rc = store_step(s, err)) == STORE_ROW) {
        r->id = store_col_int64(s, 0);
        rc = 0;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    return o->is_incremental ? fill_touched(st, o, err) : 0;
}

static int scan_finish_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct scan_row *r = ctx;
    struct store_stmt *s;
    int64_t rows = 0, alerts = 0;
    char id[24], detail[160];
    int rc;
    for (size_t i = 0; i < r->result->n; i++) {
        rows += r->result->rules[i].rows_found;
        alerts += r->result->rules[i].alerts_new;
    }
    if ((rc = store_prepare(st, monitor_sql_scan_finish, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, (int64_t)r->result->n);
    store_bind_int64(s, 2, rows);
    store_bind_int64(s, 3, alerts);
    store_bind_text(s, 4, r->now);
    store_bind_int64(s, 5, r->id);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    snprintf(detail, sizeof(detail),
             "date=%s rule=%s mode=%s batches=%lld..%lld rules=%zu rows=%lld alerts_new=%lld",
             r->scan_date, r->rule_filter[0] ? r->rule_filter : "all",
             r->result->is_incremental ? "incremental" : "full", (long long)r->result->batch_from,
             (long long)r->result->batch_to, r->result->n, (long long)rows, (long long)alerts);
    struct audit_entry e = {.action = "monitor.scan",
                            .object_type = "monitor_scan",
                            .object_id = id,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, r->actor, &e, err);
}

static int pick_rules(struct store *st, const char *rule_id, struct ms_arena *arena,
                      const struct monitor_rule **rules, size_t *n, struct ms_err *err)
{
    struct monitor_rule *all;
    if (monitor_rule_set(st, arena, &all, NULL, n, err) < 0)
        return err->code;
    *rules = all;
    if (!rule_id)
        return 0;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(all[i].id, rule_id) == 0) {
            *rules = &all[i];
            *n = 1;
            return 0;
        }
    ms_err_field(err, MS_ENOTFOUND, "rule", "rule '%s' not found", rule_id);
    ms_err_zh(err, "未找到监测规则 %s", rule_id);
    return MS_ENOTFOUND;
}

int monitor__rule_count(struct store *st, const struct monitor_rule *rule, const char *scan_date,
                        struct ms_err *err)
{
    struct monitor_rule_result result;
    int32_t day;
    if (ms_date_parse(scan_date, &day, err) < 0)
        return err->code;
    struct rule_run r = {rule, scan_date, day, 0, "", "", &result, NULL, MONITOR__MARKS_ALL};
    if (count_rows(st, &r, err) < 0)
        return err->code;
    /* an incremental scan's form compiles too (over no subjects) */
    r.marks = MONITOR__MARKS_EMPTY;
    return rule->has_touch_marks ? count_rows(st, &r, err) : 0;
}

int monitor_rule_sql(struct store *st, const struct monitor_rule *rule, const char *scan_date,
                     int is_incremental, struct ms_str *out, struct ms_err *err)
{
    struct monitor_rule_result result;
    int32_t day;
    if (ms_date_parse(scan_date, &day, err) < 0)
        return err->code;
    struct rule_run r = {rule, scan_date, day, 0, "", "", &result, NULL, MONITOR__MARKS_ALL};
    char text[MONITOR_MAX_PARAMS][32];
    const char *literals[MONITOR_MAX_PARAMS];
    for (size_t i = 0; i < rule->n_params; i++) {
        struct param_value v;
        if (resolve_param(st, &r, &rule->params[i], &v, err) < 0)
            return err->code;
        if (v.is_text)
            snprintf(text[i], sizeof(text[i]), "'%s'", v.text); /* digits and dashes only */
        else
            snprintf(text[i], sizeof(text[i]), "%lld", (long long)v.number);
        literals[i] = text[i];
    }
    return monitor__expand_query(rule->query,
                                 is_incremental ? MONITOR__MARKS_TOUCHED : MONITOR__MARKS_ALL,
                                 literals, out, NULL, err);
}

/* Runs rules[0..n) and records the scan; out is filled as they run. */
static int run_rules(struct store *st, const struct monitor_rule *rules, size_t n,
                     struct scan_row *row, int32_t day, struct ms_err *err)
{
    struct monitor_scan_result *out = row->result;
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    /* the rules' plans depend on the sizes: a list of touched ids must be
     * seen as narrower than a status */
    if (store_refresh_stats(st, err) < 0 || store_tx(st, scan_start_tx, row, err) < 0)
        return err->code;
    out->start_ms = elapsed_ms(&started);
    out->scan_id = row->id;
    for (size_t i = 0; i < n; i++) {
        struct timespec t0;
        struct rule_run r = {&rules[i],
                             out->scan_date,
                             day,
                             row->id,
                             row->now,
                             "",
                             &out->rules[i],
                             out->is_incremental ? out : NULL,
                             MONITOR__MARKS_ALL};
        snprintf(out->rules[i].rule_id, sizeof(out->rules[i].rule_id), "%s", rules[i].id);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (due_date(st, &rules[i], out->scan_date, day, r.due_on, err) < 0 ||
            store_tx(st, run_rule_tx, &r, err) < 0)
            return err->code;
        out->rules[i].ms = elapsed_ms(&t0);
        out->n = i + 1;
    }
    return store_tx(st, scan_finish_tx, row, err);
}

static int scan_run(struct store *st, const char *rule_id, const char *scan_date,
                    int is_incremental, const struct ms_actor *actor,
                    struct monitor_scan_result *out, struct ms_err *err)
{
    const struct monitor_rule *rules = NULL;
    struct ms_arena arena;
    size_t n = 0;
    char now[32];
    int32_t day;
    memset(out, 0, sizeof(*out));
    out->is_incremental = is_incremental;
    if (scan_date) {
        struct ms_err ignored = MS_ERR_INIT;
        if (ms_date_parse(scan_date, &day, &ignored) < 0)
            return monitor__bad(err, MS_EFIELD, "as_of", "扫描日期无效",
                                "as_of must be YYYY-MM-DD");
    } else {
        day = ms_date_today_cst();
    }
    ms_date_format(day, out->scan_date);
    monitor__now(now);
    struct scan_row row = {rule_id ? rule_id : "", out->scan_date, now, actor, 0, out};
    ms_arena_init(&arena, 0);
    int rc = pick_rules(st, rule_id, &arena, &rules, &n, err);
    if (rc == 0)
        rc = run_rules(st, rules, n, &row, day, err);
    ms_arena_release(&arena);
    return rc;
}

int monitor_scan(struct store *st, const char *rule_id, const char *scan_date,
                 const struct ms_actor *actor, struct monitor_scan_result *out, struct ms_err *err)
{
    return scan_run(st, rule_id, scan_date, 0, actor, out, err);
}

int monitor_scan_incremental(struct store *st, const char *rule_id, const char *scan_date,
                             const struct ms_actor *actor, struct monitor_scan_result *out,
                             struct ms_err *err)
{
    return scan_run(st, rule_id, scan_date, 1, actor, out, err);
}
