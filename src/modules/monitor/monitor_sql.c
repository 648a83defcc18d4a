/*
 * monitor_sql.c - every statement the monitor module runs. A rule's own
 * query comes from its file (rules/NAME.json, shipped with the code, never
 * from a request); the scan wraps it in the *_fmt statements below, whose
 * placeholders come first, so the rule's parameters bind after them.
 */
#include "modules/monitor/monitor_sql.h"

#include <stddef.h>

#include "core/banned.h"

/* monitor_scan() */
const char monitor_sql_scan_insert[] =
    "INSERT INTO monitor_scans (rule_filter, scan_date, status, started_at, created_by, mode,"
    " batch_mark, registry_mark, enrolment_mark, payment_line_mark)"
    " VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* monitor_scan(): the high-water marks now: the highest batch id below any
 * batch not yet done (a batch still loading keeps its id and everything
 * after it for the next scan), the latest registry change, and the last
 * assistance enrolment and payment line. */
const char monitor_sql_scan_marks_now[] =
    "SELECT COALESCE((SELECT min(id) - 1 FROM exchange_batches WHERE status <> 'done'),"
    " (SELECT max(id) FROM exchange_batches), 0),"
    " COALESCE((SELECT max(updated_at) FROM residents), ''),"
    " COALESCE((SELECT max(id) FROM assistance_enrolments), 0),"
    " COALESCE((SELECT max(id) FROM assistance_payment_lines), 0)";

/* monitor_scan_incremental(): the marks of the last finished scan of every rule. */
const char monitor_sql_scan_marks_last[] =
    "SELECT batch_mark, registry_mark, enrolment_mark, payment_line_mark FROM monitor_scans"
    " WHERE status = 'done' AND rule_filter = '' ORDER BY id DESC LIMIT 1";

/* monitor_scan_incremental(): the touched subjects, into temporary tables of
 * the connection, filled once per scan: the residents of the batches
 * (?, ?], changed in the registry after ?, payees of the enrolments (?, ?]
 * and of the payment lines (?, ?]; their households and those of the
 * enrolments and lines; and every resident of those households. */
const char *const monitor_sql_touched_setup[] = {
    "CREATE TEMP TABLE IF NOT EXISTS monitor_touched_residents (id BIGINT PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS monitor_touched_households (id BIGINT PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS monitor_touched_members (id BIGINT PRIMARY KEY)",
    "DELETE FROM monitor_touched_residents",
    "DELETE FROM monitor_touched_households",
    "DELETE FROM monitor_touched_members",
    NULL};
/* After the fill: the planner learns how few ids there are (PostgreSQL
 * never analyzes temporary tables itself). */
const char *const monitor_sql_touched_analyze[] = {
    "ANALYZE monitor_touched_residents", "ANALYZE monitor_touched_households",
    "ANALYZE monitor_touched_members", NULL};
const char monitor_sql_touched_residents[] =
    "INSERT INTO monitor_touched_residents (id)"
    " SELECT tx.resident_id FROM exchange_records tx WHERE tx.batch_id > CAST(? AS BIGINT)"
    " AND tx.batch_id <= CAST(? AS BIGINT) AND tx.resident_id IS NOT NULL"
    " UNION SELECT tr.id FROM residents tr WHERE tr.updated_at > CAST(? AS TEXT)"
    " UNION SELECT te.payee_resident_id FROM assistance_enrolments te"
    " WHERE te.id > CAST(? AS BIGINT) AND te.id <= CAST(? AS BIGINT)"
    " UNION SELECT le.payee_resident_id FROM assistance_payment_lines tl"
    " JOIN assistance_enrolments le ON le.id = tl.enrolment_id"
    " WHERE tl.id > CAST(? AS BIGINT) AND tl.id <= CAST(? AS BIGINT)";
const char monitor_sql_touched_households[] =
    "INSERT INTO monitor_touched_households (id)"
    " SELECT r.household_id FROM monitor_touched_residents t JOIN residents r ON r.id = t.id"
    " WHERE r.household_id IS NOT NULL"
    " UNION SELECT te.household_id FROM assistance_enrolments te"
    " WHERE te.id > CAST(? AS BIGINT) AND te.id <= CAST(? AS BIGINT)"
    " UNION SELECT tl.household_id FROM assistance_payment_lines tl"
    " WHERE tl.id > CAST(? AS BIGINT) AND tl.id <= CAST(? AS BIGINT)";
const char monitor_sql_touched_members[] =
    "INSERT INTO monitor_touched_members (id)"
    " SELECT r.id FROM monitor_touched_households h JOIN residents r ON r.household_id = h.id";

/* monitor_scan() */
const char monitor_sql_scan_finish[] =
    "UPDATE monitor_scans SET status = 'done', rules_run = ?, rows_found = ?, alerts_new = ?,"
    " finished_at = ? WHERE id = ?";

/* monitor_scan(): the rows a rule finds: head, the rule's query, tail. */
const char monitor_sql_rule_count_head[] = "SELECT count(*) FROM (";
const char monitor_sql_rule_count_tail[] = ") q";

/* monitor_scan_incremental(): a rule without marks, restricted around its
 * query to the touched subjects. */
const char monitor_sql_rule_count_person_touched_tail[] =
    ") q WHERE q.subject_id IN (SELECT id FROM monitor_touched_residents)";
const char monitor_sql_rule_count_household_touched_tail[] =
    ") q WHERE q.subject_id IN (SELECT id FROM monitor_touched_households)";

/* monitor_scan(): a rule's query runs once per scan, into monitor_hits (a
 * temporary table of the connection): hits_insert_head, the rule's query,
 * and the count's tail (restricted to touched subjects or not). The rows
 * found are the rows inserted, and the alerts come from the table. */
const char monitor_sql_hits_create[] =
    "CREATE TEMP TABLE IF NOT EXISTS monitor_hits (subject_id BIGINT NOT NULL,"
    " period TEXT NOT NULL, detail TEXT NOT NULL)";
const char monitor_sql_hits_clear[] = "DELETE FROM monitor_hits";
const char monitor_sql_hits_insert_head[] =
    "INSERT INTO monitor_hits (subject_id, period, detail)"
    " SELECT q.subject_id, q.period, q.detail FROM (";
#define HITS_ALERT_HEAD                                                                    \
    "INSERT INTO monitor_alerts (rule_id, subject_type, subject_id, period, detail, severity," \
    " department, region_code, scan_id, created_at)"                                         \
    " SELECT CAST(? AS TEXT), CAST(? AS TEXT), q.subject_id, q.period, q.detail,"            \
    " CAST(? AS TEXT), CAST(? AS TEXT), s.region_code, CAST(? AS BIGINT), CAST(? AS TEXT)"   \
    " FROM monitor_hits q"
const char monitor_sql_hits_alert_person[] =
    HITS_ALERT_HEAD " JOIN residents s ON s.id = q.subject_id WHERE 1 = 1"
    " ON CONFLICT (rule_id, subject_id, period) DO NOTHING";
const char monitor_sql_hits_alert_household[] =
    HITS_ALERT_HEAD " JOIN households s ON s.id = q.subject_id WHERE 1 = 1"
    " ON CONFLICT (rule_id, subject_id, period) DO NOTHING";

/* monitor_scan(): a task for each alert this scan added for a rule. */
const char monitor_sql_task_insert[] =
    "INSERT INTO monitor_tasks (alert_id, town_code, region_code, due_on, status, created_at)"
    " SELECT a.id, substr(a.region_code, 1, 9), a.region_code, CAST(? AS TEXT), 'open',"
    " CAST(? AS TEXT) FROM monitor_alerts a WHERE a.scan_id = ? AND a.rule_id = ?"
    " ON CONFLICT (alert_id) DO NOTHING";

/* monitor_alert_list() */
const char monitor_sql_alert_list[] =
    "SELECT a.id, a.rule_id, a.subject_type, a.subject_id, COALESCE(r.code, h.number, ''),"
    " a.period, a.detail, a.severity, a.department, a.region_code, a.created_at,"
    " COALESCE(t.id, 0), COALESCE(t.status, ''), COALESCE(t.due_on, ''),"
    " COALESCE(h.id, r.household_id, 0)"
    " FROM monitor_alerts a LEFT JOIN monitor_tasks t ON t.alert_id = a.id"
    " LEFT JOIN residents r ON a.subject_type = 'person' AND r.id = a.subject_id"
    " LEFT JOIN households h ON a.subject_type = 'household' AND h.id = a.subject_id"
    " WHERE a.region_code >= ? AND a.region_code < ?"
    " AND (CAST(? AS TEXT) = '' OR a.rule_id = CAST(? AS TEXT))"
    " AND (CAST(? AS TEXT) = '' OR COALESCE(r.code, h.number) = CAST(? AS TEXT))"
    " ORDER BY a.id DESC LIMIT ? OFFSET ?";

/* monitor_task_list(): open_only 0/1, and due before the date given. */
const char monitor_sql_task_list[] =
    "SELECT t.id, t.alert_id, a.rule_id, COALESCE(r.code, h.number, ''), a.period, a.detail,"
    " t.town_code, t.due_on, t.status, t.outcome, t.reason, t.department, t.decided_by,"
    " COALESCE(h.id, r.household_id, 0)"
    " FROM monitor_tasks t JOIN monitor_alerts a ON a.id = t.alert_id"
    " LEFT JOIN residents r ON a.subject_type = 'person' AND r.id = a.subject_id"
    " LEFT JOIN households h ON a.subject_type = 'household' AND h.id = a.subject_id"
    " WHERE t.region_code >= ? AND t.region_code < ?"
    " AND (CAST(? AS BIGINT) = 0 OR t.status = 'open') AND t.due_on < CAST(? AS TEXT)"
    " ORDER BY t.due_on, t.id LIMIT ? OFFSET ?";

/* monitor_task_decide(): only an open task in scope is decided. */
const char monitor_sql_task_decide[] =
    "UPDATE monitor_tasks SET status = 'decided', outcome = ?, reason = ?, department = ?,"
    " decided_at = ?, decided_by = ? WHERE id = ? AND status = 'open'"
    " AND region_code >= ? AND region_code < ?";

/* monitor_task_subject(): the household and the person, in scope (also the
 * household whose assistance a stop outcome ends). */
const char monitor_sql_task_subject[] =
    "SELECT CASE WHEN a.subject_type = 'household' THEN a.subject_id"
    " ELSE COALESCE(r.household_id, 0) END, COALESCE(r.code, '')"
    " FROM monitor_tasks t JOIN monitor_alerts a ON a.id = t.alert_id"
    " LEFT JOIN residents r ON a.subject_type = 'person' AND r.id = a.subject_id"
    " WHERE t.id = ? AND t.region_code >= ? AND t.region_code < ?";
const char monitor_sql_task_set_change[] = "UPDATE monitor_tasks SET change_id = ? WHERE id = ?";

/* monitor_task_decide(): why nothing was decided (not found or decided). */
const char monitor_sql_task_status[] =
    "SELECT t.status, a.rule_id, a.subject_id FROM monitor_tasks t"
    " JOIN monitor_alerts a ON a.id = t.alert_id"
    " WHERE t.id = ? AND t.region_code >= ? AND t.region_code < ?";

/* monitor_evaluate(): the planted residents per rule, in a temporary table. */
const char monitor_sql_eval_create[] =
    "CREATE TEMP TABLE IF NOT EXISTS monitor_eval_planted (rule TEXT NOT NULL, code TEXT NOT NULL,"
    " PRIMARY KEY (rule, code))";
const char monitor_sql_eval_clear[] = "DELETE FROM monitor_eval_planted";
const char monitor_sql_eval_insert[] =
    "INSERT INTO monitor_eval_planted (rule, code) VALUES (?, ?) ON CONFLICT (rule, code) DO NOTHING";

/* The planted subjects of rule ?2 whose subject is ?1: residents, or their households. */
#define PLANTED_SUBJECTS                                                                    \
    "SELECT CASE WHEN CAST(? AS TEXT) = 'household' THEN r.household_id ELSE r.id END AS s" \
    " FROM monitor_eval_planted t JOIN residents r ON r.code = t.code WHERE t.rule = CAST(? AS TEXT)"
const char monitor_sql_eval_planted[] = "SELECT count(DISTINCT p.s) FROM (" PLANTED_SUBJECTS ") p";
const char monitor_sql_eval_alerted[] =
    "SELECT count(DISTINCT subject_id) FROM monitor_alerts WHERE rule_id = ?";
const char monitor_sql_eval_found[] =
    "SELECT count(DISTINCT a.subject_id) FROM monitor_alerts a WHERE a.rule_id = ?"
    " AND a.subject_id IN (" PLANTED_SUBJECTS ")";

/* monitor_rule_set(): the rules written through the API. */
const char monitor_sql_rule_defs[] = "SELECT id, body FROM monitor_rule_defs ORDER BY id";

/* monitor_rule_save(): a new rule (a second with the same id is refused),
 * or a new version of one. */
const char monitor_sql_rule_def_insert[] =
    "INSERT INTO monitor_rule_defs (id, body, created_at, created_by, updated_at, updated_by)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING version";
const char monitor_sql_rule_def_upsert[] =
    "INSERT INTO monitor_rule_defs (id, body, created_at, created_by, updated_at, updated_by)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body,"
    " version = monitor_rule_defs.version + 1, updated_at = excluded.updated_at,"
    " updated_by = excluded.updated_by RETURNING version";

/* monitor_household_chain(): the household, in scope. */
const char monitor_sql_chain_household[] =
    "SELECT number, region_code FROM households WHERE id = ? AND region_code >= ?"
    " AND region_code < ?";

/* monitor_household_chain(): the alerts on the household or its members,
 * with their tasks, oldest first. */
const char monitor_sql_chain_alerts[] =
    "SELECT a.id, a.rule_id, COALESCE(r.code, ''), a.period, a.detail, a.severity, a.created_at,"
    " COALESCE(t.id, 0), COALESCE(t.status, ''), COALESCE(t.due_on, ''), COALESCE(t.outcome, ''),"
    " COALESCE(t.reason, ''), COALESCE(t.decided_at, ''), COALESCE(t.decided_by, ''),"
    " COALESCE(t.change_id, 0)"
    " FROM monitor_alerts a LEFT JOIN monitor_tasks t ON t.alert_id = a.id"
    " LEFT JOIN residents r ON a.subject_type = 'person' AND r.id = a.subject_id"
    " WHERE (a.subject_type = 'household' AND a.subject_id = ?)"
    " OR (a.subject_type = 'person' AND a.subject_id IN"
    " (SELECT m.id FROM residents m WHERE m.household_id = ?))"
    " ORDER BY a.created_at, a.id LIMIT 500";
