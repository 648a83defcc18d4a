/*
 * test_monitor.c - the monitor module (src/modules/monitor/): rule files
 * validated; each built-in rule fires on its case and stays silent on the
 * near misses; a second scan adds nothing; tasks due in working days;
 * a task decided once; scope. On SQLite and PostgreSQL. Synthetic data only
 * (the assistance fixture's made-up people).
 */
#include "unit/monitor/monitor_fixture.h"

#include "core/date.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"

#include "core/banned.h"

/* --- rule files ----------------------------------------------------------- */

static void test_shipped_rules_are_valid(void **state)
{
    (void)state;
    const struct monitor_rule *rules;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(monitor_rules(&rules, &n, &err), 0);
    assert_int_equal(n, 18);
    int has_pension = 0;
    for (size_t i = 0; i < n; i++)
        has_pension |= strcmp(rules[i].id, "pension_after_death") == 0;
    assert_true(has_pension);
}

static void expect_refused(const char *text, const char *field)
{
    struct ms_arena a;
    struct monitor_rule r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    assert_int_equal(monitor_rule_parse(text, &a, &r, &err), MS_EFIELD);
    if (err.field[0])
        assert_string_equal(err.field, field);
    else /* an unknown key: named in the message */
        assert_non_null(strstr(err.message, field));
    ms_arena_release(&a);
}

#define RULE_HEAD                                                                            \
    "{\"id\":\"x\",\"title_zh\":\"x\",\"title_en\":\"x\",\"department\":\"d\",\"severity\":" \
    "\"low\",\"subject\":\"person\",\"source\":\"s\","

static void test_rule_file_refuses_unknown_keys_and_bad_queries(void **state)
{
    (void)state;
    expect_refused(RULE_HEAD "\"parameters\":[],\"query\":\"SELECT 1\",\"extra\":1}", "extra");
    expect_refused(RULE_HEAD "\"parameters\":[],\"query\":\"DELETE FROM residents\"}", "query");
    expect_refused(RULE_HEAD "\"parameters\":[],\"query\":\"SELECT 1; DELETE FROM x\"}", "query");
    expect_refused(RULE_HEAD "\"parameters\":[],\"query\":\"SELECT ?\"}", "parameters");
    expect_refused(RULE_HEAD "\"parameters\":[{\"key\":\"k\",\"use\":\"sideways\"}],"
                             "\"query\":\"SELECT ?\"}",
                   "parameters.use");
    expect_refused(RULE_HEAD "\"parameters\":[{\"key\":\"k\",\"use\":\"value\",\"x\":1}],"
                             "\"query\":\"SELECT ?\"}",
                   "x");
    struct ms_arena a;
    struct monitor_rule r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    assert_int_equal(monitor_rule_parse(RULE_HEAD "\"parameters\":[{\"key\":\"scan_date\","
                                                  "\"use\":\"year\"}],\"query\":\"SELECT ? "
                                                  "WHERE 'a?' = 'a?'\"}",
                                        &a, &r, &err),
                     0);
    assert_int_equal(r.n_params, 1);
    ms_arena_release(&a);
}

/* --- fund integrity -------------------------------------------------------- */

static void test_pension_in_death_month_silent_month_after_fires(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    int64_t b = add_batch(st, "pension_payment", "done");
    dies(st, people[5].rid, "2026-03-15");
    add_record(st, b, "pension_payment", people[5].rid, "2026-03-10", "2026-03", 250000, "", "");
    assert_int_equal(scan_rule(st, "pension_after_death", &r)->rows_found, 0);
    /* a payment after death in a batch still loading does not count */
    int64_t loading = add_batch(st, "pension_payment", "loading");
    add_record(st, loading, "pension_payment", people[5].rid, "2026-04-10", "2026-04", 250000, "",
               "");
    assert_int_equal(scan_rule(st, "pension_after_death", &r)->rows_found, 0);
    add_record(st, b, "pension_payment", people[5].rid, "2026-04-10", "2026-04", 250000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "2026-05-10", "2026-05", 250000, "", "");
    assert_int_equal(scan_rule(st, "pension_after_death", &r)->alerts_new, 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_alerts WHERE period = '2026-03'"
                                    " AND detail LIKE '%months paid after 2, fen 500000%'"),
                     1);
    /* an alive pensioner paid every month is silent */
    add_record(st, b, "pension_payment", people[3].rid, "2026-05-10", "2026-05", 20000, "", "");
    assert_int_equal(scan_rule(st, "pension_after_death", &r)->rows_found, 1);
}

static void test_assistance_after_death_fires_after_the_month(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,"
             " amount_fen, start_period, status, created_at, created_by) VALUES (%lld, 'dibao',"
             " %lld, 50000, '2026-01', 'active', 'x', 'test')",
             (long long)households[1].id, (long long)people[3].rid);
    fixture_exec(st, sql);
    fixture_exec(st, "INSERT INTO assistance_payment_runs (scheme, period, status, started_at,"
                     " started_by) VALUES ('dibao', '2026-06', 'done', 'x', 'test')");
    dies(st, people[3].rid, "2026-05-20");
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme,"
             " period, amount_fen, status, created_at, updated_at) SELECT r.id, e.id,"
             " e.household_id, 'dibao', '2026-05', 50000, 'paid', 'x', 'x' FROM"
             " assistance_payment_runs r, assistance_enrolments e");
    fixture_exec(st, sql);
    assert_int_equal(scan_rule(st, "assistance_after_death", &r)->rows_found, 0);
    fixture_exec(st, "UPDATE assistance_payment_lines SET period = '2026-06'");
    assert_int_equal(scan_rule(st, "assistance_after_death", &r)->alerts_new, 1);
}

/* --- risk ------------------------------------------------------------------- */

static void test_medical_just_under_silent_over_fires(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    int64_t b = add_batch(st, "medical_settlement", "done");
    /* the lower of 2,000,000 fen (monitor.medical.oop_threshold_fen) and 50%
     * (monitor.medical.income_share_pct) of 3,759,500 fen
     * (monitor.medical.income_base_fen): 1,879,750 */
    add_record(st, b, "medical_settlement", people[0].rid, "2026-02-01", "", 1000000, "", "");
    add_record(st, b, "medical_settlement", people[0].rid, "2026-06-01", "", 879750, "", "");
    add_record(st, b, "medical_settlement", people[1].rid, "2026-02-01", "", 1000000, "", "");
    add_record(st, b, "medical_settlement", people[1].rid, "2026-06-01", "", 879751, "", "");
    /* older than the 12-month window: not counted */
    add_record(st, b, "medical_settlement", people[4].rid, "2025-11-29", "", 1500000, "", "");
    add_record(st, b, "medical_settlement", people[4].rid, "2026-06-01", "", 1500000, "", "");
    const struct monitor_rule_result *x = scan_rule(st, "medical_oop_high", &r);
    assert_int_equal(x->rows_found, 1);
    assert_int_equal(x->alerts_new, 1);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_alerts WHERE subject_id = %lld AND period = '2026'",
             (long long)people[1].rid);
    assert_int_equal(count_rows(st, sql), 1);
    /* a share of 100% leaves the fixed amount: 2,000,000 silent, 2,000,001 fires */
    struct policy_set_in share = {"monitor.medical.income_share_pct", "100", "2026-11-01", "test",
                                  NULL};
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(policy_set(st, &share, &test_actor, &err), 0);
    add_record(st, b, "medical_settlement", people[0].rid, "2026-07-01", "", 120250, "", "");
    add_record(st, b, "medical_settlement", people[1].rid, "2026-07-01", "", 120250, "", "");
    assert_int_equal(scan_rule(st, "medical_oop_high", &r)->rows_found, 1);
}

static void test_new_severe_disability_fires_grade_three_silent(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    int64_t b = add_batch(st, "disability_certificate", "done");
    add_record(st, b, "disability_certificate", people[0].rid, "2026-11-19", "", 0, "2", "");
    add_record(st, b, "disability_certificate", people[1].rid, "2026-11-19", "", 0, "3", "");
    /* grade 1 but issued 200 days before the scan (window 90 days) */
    add_record(st, b, "disability_certificate", people[2].rid, "2026-05-13", "", 0, "1", "");
    const struct monitor_rule_result *x = scan_rule(st, "disability_severe_new", &r);
    assert_int_equal(x->rows_found, 1);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_alerts WHERE subject_id = %lld AND period = '2026-11'",
             (long long)people[0].rid);
    assert_int_equal(count_rows(st, sql), 1);
}

/* --- reverse ------------------------------------------------------------------ */

static void test_assisted_household_with_vehicle_fires_others_silent(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    char sql[400];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,"
             " amount_fen, start_period, status, created_at, created_by) VALUES (%lld, 'dibao',"
             " %lld, 50000, '2026-01', 'active', 'x', 'test')",
             (long long)households[0].id, (long long)people[0].rid);
    fixture_exec(st, sql);
    int64_t v = add_batch(st, "vehicle", "done");
    int64_t biz = add_batch(st, "business_registration", "done");
    add_record(st, v, "vehicle", people[1].rid, "2026-07-01", "", 0, "", "normal");
    add_record(st, biz, "business_registration", people[2].rid, "2026-08-01", "", 0, "", "closed");
    add_record(st, v, "vehicle", people[4].rid, "2026-07-01", "", 0, "", "normal");
    assert_int_equal(scan_rule(st, "assisted_vehicle_business", &r)->alerts_new, 1);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_alerts WHERE subject_type = 'household' AND"
             " subject_id = %lld",
             (long long)households[0].id);
    assert_int_equal(count_rows(st, sql), 1);
}

/* --- scans, tasks ------------------------------------------------------------ */

static void seed_two_alerts(struct store *st)
{
    int64_t b = add_batch(st, "disability_certificate", "done");
    add_record(st, b, "disability_certificate", people[0].rid, "2026-09-20", "", 0, "1", "");
    add_record(st, b, "disability_certificate", people[4].rid, "2026-09-20", "", 0, "2", "");
    int64_t p = add_batch(st, "pension_payment", "done");
    dies(st, people[5].rid, "2026-03-15");
    add_record(st, p, "pension_payment", people[5].rid, "2026-04-10", "2026-04", 250000, "", "");
}

static void test_second_scan_adds_nothing(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    seed_two_alerts(st);
    scan_rule(st, NULL, &r);
    assert_int_equal(r.n, 18);
    int64_t alerts = count_rows(st, "SELECT count(*) FROM monitor_alerts");
    assert_int_equal(alerts, 3);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_tasks"), 3);
    scan_rule(st, NULL, &r);
    for (size_t i = 0; i < r.n; i++)
        assert_int_equal(r.rules[i].alerts_new, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_alerts"), alerts);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_tasks"), alerts);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log WHERE action = 'monitor.scan'"),
                     2);
    assert_int_equal(alerts_of(st, "disability_severe_new"), 2);
}

static void test_unknown_rule_is_not_found(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(monitor_scan(st, "no_such_rule", AS_OF, &test_actor, &r, &err), MS_ENOTFOUND);
    struct ms_err err2 = MS_ERR_INIT;
    assert_int_equal(monitor_scan(st, NULL, "2026-13-01", &test_actor, &r, &err2), MS_EFIELD);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_scans"), 0);
}

static void test_task_due_in_working_days_for_the_town(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    struct ms_err err = MS_ERR_INIT;
    struct ms_calendar cal = MS_CALENDAR_INIT;
    int32_t scan, due;
    seed_two_alerts(st);
    /* 2026-09-30: the National Day holiday follows, so calendar days differ */
    assert_int_equal(monitor_scan(st, NULL, "2026-09-30", &test_actor, &r, &err), 0);
    assert_int_equal(ms_calendar_load_default(&cal, &err), 0);
    assert_int_equal(ms_date_parse("2026-09-30", &scan, &err), 0);
    char sql[300], expect[MS_DATE_BUF];
    /* disability (medium): monitor.task.verify_workdays = 10 */
    ms_date_format(ms_calendar_add_workdays(&cal, scan, 10), expect);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_tasks t JOIN monitor_alerts a ON a.id = t.alert_id"
             " WHERE a.rule_id = 'disability_severe_new' AND t.due_on = '%s'",
             expect);
    assert_int_equal(count_rows(st, sql), 2);
    assert_int_equal(ms_date_parse(expect, &due, &err), 0);
    assert_true(due - scan > 14); /* a week of holiday in between */
    assert_int_equal(ms_calendar_workdays_between(&cal, scan, due), 10);
    /* pension after death (high): monitor.task.urgent_workdays = 2 */
    ms_date_format(ms_calendar_add_workdays(&cal, scan, 2), expect);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_tasks t JOIN monitor_alerts a ON a.id = t.alert_id"
             " WHERE a.rule_id = 'pension_after_death' AND t.due_on = '%s'",
             expect);
    assert_int_equal(count_rows(st, sql), 1);
    /* the town: the 9-digit prefix of the subject's residence */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_tasks WHERE town_code = '500110002'"
             " AND region_code = '%s'",
             DONGLIN);
    assert_int_equal(count_rows(st, sql), 1);
    ms_calendar_release(&cal);
}

static int64_t task_of(struct store *st, int64_t rid)
{
    char sql[300];
    snprintf(sql, sizeof(sql),
             "SELECT t.id FROM monitor_tasks t JOIN monitor_alerts a ON a.id = t.alert_id"
             " WHERE a.subject_id = %lld",
             (long long)rid);
    return count_rows(st, sql);
}

static void test_outcome_is_decided_once(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    seed_two_alerts(st);
    scan_rule(st, NULL, &r);
    int64_t t = task_of(st, people[0].rid);
    struct monitor_outcome no_reason = {"dismiss", "", NULL, 0};
    struct monitor_outcome bad = {"approve", NULL, NULL, 0};
    struct monitor_outcome refer = {"refer", NULL, NULL, 0};
    struct monitor_outcome ok = {"dismiss", "入户核实：已享受重度残疾人护理补贴", NULL, 0};
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT, e3 = MS_ERR_INIT, e4 = MS_ERR_INIT,
                  e5 = MS_ERR_INIT, e6 = MS_ERR_INIT;
    assert_int_equal(monitor_task_decide(st, "", t, &no_reason, &test_actor, &e1), MS_EMISSING);
    assert_string_equal(e1.field, "reason");
    assert_int_equal(monitor_task_decide(st, "", t, &bad, &test_actor, &e2), MS_EFIELD);
    assert_int_equal(monitor_task_decide(st, "", t, &refer, &test_actor, &e3), MS_EMISSING);
    assert_string_equal(e3.field, "department");
    /* a town cannot decide another town's task: not found */
    assert_int_equal(monitor_task_decide(st, "500110002", t, &ok, &test_actor, &e4), MS_ENOTFOUND);
    assert_int_equal(monitor_task_decide(st, "500110101", t, &ok, &test_actor, &e5), 0);
    assert_int_equal(monitor_task_decide(st, "", t, &ok, &test_actor, &e6), MS_ECONFLICT);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_tasks WHERE status = 'decided'"),
                     1);
    assert_int_equal(
        count_rows(st, "SELECT count(*) FROM audit_log WHERE action = 'monitor.task.decide'"), 1);
}

/* The outcome stop (rules.md §2 分类处置): an assisted household found with
 * a vehicle has its 低保 stopped through the assistance module's change
 * flow, in the same transaction as the task's decision; only with the
 * district's permission, only with a reason, and only if something is
 * being paid. */
static void test_stop_outcome_stops_the_benefit(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    char sql[400];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,"
             " amount_fen, start_period, status, created_at, created_by) VALUES (%lld, 'dibao',"
             " %lld, 50000, '2026-01', 'active', 'x', 'test')",
             (long long)households[0].id, (long long)people[0].rid);
    fixture_exec(st, sql);
    int64_t v = add_batch(st, "vehicle", "done");
    add_record(st, v, "vehicle", people[1].rid, "2026-07-01", "", 0, "", "normal");
    assert_int_equal(scan_rule(st, "assisted_vehicle_business", &r)->alerts_new, 1);
    int64_t t = one_id(st, "SELECT id FROM monitor_tasks");
    struct monitor_outcome town = {"stop", "入户核实：家庭有机动车", NULL, 0};
    struct monitor_outcome no_reason = {"stop", "", NULL, 1};
    struct monitor_outcome stop = {"stop", "入户核实：家庭成员名下有正常使用的机动车，不符合低保条件", NULL, 1};
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT, e3 = MS_ERR_INIT, e4 = MS_ERR_INIT;
    assert_int_equal(monitor_task_decide(st, "", t, &town, &test_actor, &e1), MS_EFORBIDDEN);
    assert_int_equal(monitor_task_decide(st, "", t, &no_reason, &test_actor, &e2), MS_EMISSING);
    assert_int_equal(monitor_task_decide(st, "", t, &stop, &test_actor, &e3), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments WHERE status ="
                                    " 'stopped' AND end_period <> ''"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_tasks t JOIN"
                                    " assistance_changes c ON c.id = t.change_id WHERE t.outcome ="
                                    " 'stop' AND c.kind = 'stop' AND c.reason_zh LIKE '入户核实%'"),
                     1);
    /* Decided once. A task about a household with nothing being paid has
     * nothing to stop: refused, and the task stays open. */
    assert_int_equal(monitor_task_decide(st, "", t, &stop, &test_actor, &e4), MS_ECONFLICT);
    seed_two_alerts(st);
    scan_rule(st, "disability_severe_new", &r);
    int64_t other = task_of(st, people[4].rid);
    struct ms_err e5 = MS_ERR_INIT;
    assert_int_equal(monitor_task_decide(st, "", other, &stop, &test_actor, &e5), MS_ECONFLICT);
    assert_string_equal(e5.field, "outcome");
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM monitor_tasks WHERE id = %lld AND status ="
                               " 'open' AND change_id IS NULL", (long long)other);
    assert_int_equal(count_rows(st, sql), 1);
}

static void test_lists_are_scoped_to_the_town(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    struct ms_arena a;
    struct monitor_alert *alerts;
    struct monitor_task *tasks;
    struct audit_entry read;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    seed_two_alerts(st);
    scan_rule(st, NULL, &r);
    ms_arena_init(&a, 0);
    assert_int_equal(monitor_alert_list(st, "500110002", NULL, NULL, 1, 20, &a, &alerts, &n, &read, &err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(alerts[0].subject_code, people[4].code);
    assert_int_equal(monitor_alert_list(st, "500110101", NULL, NULL, 1, 20, &a, &alerts, &n, &read, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(
        monitor_alert_list(st, "", "pension_after_death", NULL, 1, 20, &a, &alerts, &n, &read, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(
        monitor_task_list(st, "500110101", MONITOR_TASKS_MINE, 1, 20, &a, &tasks, &n, &read, &err),
        0);
    assert_int_equal(n, 2);
    /* scanned on 2026-11-29; due dates have not passed unless today is later */
    fixture_exec(st,
                 "UPDATE monitor_tasks SET due_on = '2000-01-01' WHERE town_code = '500110002'");
    assert_int_equal(
        monitor_task_list(st, "", MONITOR_TASKS_OVERDUE, 1, 20, &a, &tasks, &n, &read, &err), 0);
    assert_true(n >= 1);
    assert_string_equal(tasks[0].town_code, "500110002");
    assert_int_equal(monitor_task_list(st, "500110101", MONITOR_TASKS_OVERDUE, 1, 20, &a, &tasks,
                                       &n, &read, &err),
                     0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tasks[i].town_code, "500110101");
    ms_arena_release(&a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, assistance_setup, fixture_teardown)

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_rules_are_valid),
        cmocka_unit_test(test_rule_file_refuses_unknown_keys_and_bad_queries),
        T(test_pension_in_death_month_silent_month_after_fires),
        T(test_assistance_after_death_fires_after_the_month),
        T(test_medical_just_under_silent_over_fires),
        T(test_new_severe_disability_fires_grade_three_silent),
        T(test_assisted_household_with_vehicle_fires_others_silent),
        T(test_second_scan_adds_nothing),
        T(test_unknown_rule_is_not_found),
        T(test_task_due_in_working_days_for_the_town),
        T(test_outcome_is_decided_once),
        T(test_stop_outcome_stops_the_benefit),
        T(test_lists_are_scoped_to_the_town),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
