/*
 * assistance_sql.c - every statement the assistance module runs, each with
 * the function that uses it. Scope is a range on the case's region code
 * (registry_scope_bounds()). Parameters whose type PostgreSQL cannot infer
 * (in a SELECT list) are cast (docs/store.md).
 */
#include "modules/assistance/assistance_sql.h"

/* --- applications (assistance_case.c) --- */

/* assistance_case_create() */
const char assistance_sql_scheme_exists[] = "SELECT 1 FROM assistance_schemes WHERE code = ?";

/* assistance_case_create(): the household must be in the caller's scope. */
const char assistance_sql_household_in_scope[] =
    "SELECT region_code FROM households WHERE id = ? AND region_code >= ? AND region_code < ?";

/* assistance_case_create(), assistance_case_compute(): a member by code, in scope. */
const char assistance_sql_resident_by_code[] =
    "SELECT id, status, status_date, birth_date, hukou_type FROM residents"
    " WHERE code = ? AND region_code >= ? AND region_code < ?";

/* assistance_case_create() */
const char assistance_sql_case_insert[] =
    "INSERT INTO assistance_cases (scheme, household_id, applicant_id, region_code, area,"
    " is_single_person, applied_on, income_period, status, bank_account_sealed,"
    " bank_account_last4, bank_name, created_at, created_by, updated_at, channel, accepted_on,"
    " statement_zh, contact_phone_sealed, contact_phone_last4)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* assistance_case_create(), online: a member of the application must live
 * in the applicant's registry household. */
const char assistance_sql_resident_household[] =
    "SELECT coalesce(household_id, 0), code FROM residents WHERE id = ?";

/* assistance_online_apply(): an open case of the household that asks for
 * the scheme (one open application per household and scheme). */
const char assistance_sql_open_case_of_household[] =
    "SELECT c.id FROM assistance_cases c"
    " JOIN assistance_determinations d ON d.case_id = c.id"
    " JOIN assistance_states s ON s.state = c.status"
    " WHERE c.household_id = ? AND d.scheme = ? AND s.is_open = 1 AND c.status <> 'enrolled'"
    " LIMIT 1";

/* assistance_case_create() */
const char assistance_sql_member_insert[] =
    "INSERT INTO assistance_members (case_id, resident_id, relation, is_counted,"
    " exclusion_reason, disability_grade, has_major_illness, is_student)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/* assistance_case_create(): the guard against one person counting in two
 * open cases of a scheme (PRIMARY KEY (resident_id, scheme)). */
const char assistance_sql_counted_insert[] =
    "INSERT INTO assistance_counted (resident_id, scheme, case_id) VALUES (?, ?, ?)";

/* assistance_case_decide() on refuse: the members are free again. */
const char assistance_sql_counted_release[] = "DELETE FROM assistance_counted WHERE case_id = ?";

/* assistance__counted_release_scheme(): a refused determination, a one-off
 * enrolment frees the members for that scheme only. */
const char assistance_sql_counted_release_scheme[] =
    "DELETE FROM assistance_counted WHERE case_id = ? AND scheme = ?";

/* assistance_case_create() */
const char assistance_sql_income_insert[] =
    "INSERT INTO assistance_incomes (case_id, resident_id, kind, amount_fen, months)"
    " VALUES (?, ?, ?, ?, ?)";
const char assistance_sql_asset_insert[] =
    "INSERT INTO assistance_assets (case_id, resident_id, kind, value_fen, quantity, is_exempt,"
    " note) VALUES (?, ?, ?, ?, ?, ?, ?)";
const char assistance_sql_expense_insert[] =
    "INSERT INTO assistance_expenses (case_id, resident_id, kind, amount_fen, receipt_ref)"
    " VALUES (?, ?, ?, ?, ?)";

/* Every transition (assistance_case.c: case__move()). */
const char assistance_sql_event_insert[] =
    "INSERT INTO assistance_case_events (case_id, from_state, to_state, action, note,"
    " created_at, created_by, step_on, due_on, detail_json)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const char assistance_sql_transition[] =
    "SELECT to_state, needs_reason, permission FROM assistance_transitions"
    " WHERE from_state = ? AND action = ?";
/* The status guard makes a concurrent second move fail (MS_ESTALE) on both engines. */
const char assistance_sql_case_set_status[] =
    "UPDATE assistance_cases SET status = ?, version = version + 1, updated_at = ?"
    " WHERE id = ? AND status = ?";

/* assistance_case_get() and every transition: the case in scope. */
const char assistance_sql_case_get[] =
    "SELECT c.id, c.scheme, c.household_id, h.number, c.region_code, c.area, r.code,"
    " c.applied_on, c.income_period, c.status, c.bank_account_last4, c.bank_name,"
    " c.is_single_person, c.computed_on, c.reasons_json, c.standard_fen, c.income_fen,"
    " c.per_capita_fen, c.base_fen, c.topup_fen, c.amount_fen, c.members_counted,"
    " c.is_eligible, c.version, c.applicant_id, c.state_since, c.due_on, c.near_relative,"
    " c.near_relative_note, c.publicity_start, c.publicity_end, c.publicity_round,"
    " c.received_on, c.extension_reason, c.notified_on, r.name, c.channel, c.accepted_on,"
    " c.statement_zh, c.contact_phone_last4"
    " FROM assistance_cases c JOIN households h ON h.id = c.household_id"
    " JOIN residents r ON r.id = c.applicant_id"
    " WHERE c.id = ? AND c.region_code >= ? AND c.region_code < ?";

/* assistance_case_list(): a status filter is a range ('' .. '~' for all),
 * so one text serves both; walks assistance_cases_region. */
const char assistance_sql_case_list[] =
    "SELECT c.id, c.scheme, c.status, h.number, r.code, r.name, c.applied_on, c.amount_fen,"
    " c.is_eligible, c.due_on, c.channel"
    " FROM assistance_cases c JOIN households h ON h.id = c.household_id"
    " JOIN residents r ON r.id = c.applicant_id"
    " WHERE c.region_code >= ? AND c.region_code < ? AND c.status >= ? AND c.status <= ?"
    " AND c.due_on >= ? AND c.due_on < ? AND c.channel >= ? AND c.channel <= ?"
    " ORDER BY c.id DESC LIMIT ? OFFSET ?";

/* assistance_case_get(), assistance_case_compute() */
const char assistance_sql_members_get[] =
    "SELECT r.code, r.name, m.relation, m.exclusion_reason, r.status, m.is_counted,"
    " m.disability_grade, m.has_major_illness, m.is_student, r.birth_date, m.resident_id"
    " FROM assistance_members m JOIN residents r ON r.id = m.resident_id"
    " WHERE m.case_id = ? ORDER BY m.id";
const char assistance_sql_incomes_get[] =
    "SELECT r.code, i.kind, i.amount_fen, i.months, i.resident_id"
    " FROM assistance_incomes i JOIN residents r ON r.id = i.resident_id"
    " WHERE i.case_id = ? ORDER BY i.id";
const char assistance_sql_assets_get[] =
    "SELECT coalesce(r.code, ''), a.kind, a.note, a.value_fen, a.quantity, a.is_exempt"
    " FROM assistance_assets a LEFT JOIN residents r ON r.id = a.resident_id"
    " WHERE a.case_id = ? ORDER BY a.id";
const char assistance_sql_decision_get[] =
    "SELECT decision, reason_zh, decided_on, decided_by FROM assistance_decisions"
    " WHERE case_id = ?";
/* The case's enrolment as its read shows it: the latest period of its
 * first scheme (a further scheme's is in its determination). */
const char assistance_sql_enrolment_of_case[] =
    "SELECT e.id, e.amount_fen, e.start_period, r.code, e.bank_account_last4"
    " FROM assistance_enrolments e"
    " JOIN assistance_cases c ON c.id = e.case_id AND c.scheme = e.scheme"
    " JOIN residents r ON r.id = e.payee_resident_id"
    " WHERE e.case_id = ? ORDER BY e.id DESC LIMIT 1";

/* assistance_case_compute(), assistance_case_decide() */
const char assistance_sql_case_set_result[] =
    "UPDATE assistance_cases SET computed_on = ?, standard_fen = ?, members_counted = ?,"
    " income_fen = ?, per_capita_fen = ?, base_fen = ?, topup_fen = ?, amount_fen = ?,"
    " is_eligible = ?, reasons_json = ? WHERE id = ?";

/* assistance_case_decide() */
const char assistance_sql_decision_insert[] =
    "INSERT INTO assistance_decisions (case_id, decision, reason_zh, decided_on, standard_fen,"
    " amount_fen, decided_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
const char assistance_sql_decision_for_enrol[] =
    "SELECT decided_on, amount_fen FROM assistance_decisions"
    " WHERE case_id = ? AND decision = 'approve'";

/* assistance_case_enrol(): the active-enrolment index refuses a second one. */
const char assistance_sql_enrolment_insert[] =
    "INSERT INTO assistance_enrolments (household_id, scheme, case_id, payee_resident_id,"
    " amount_fen, start_period, status, bank_account_sealed, bank_name, created_at, created_by,"
    " bank_account_last4)"
    " SELECT household_id, CAST(? AS TEXT), id, applicant_id, CAST(? AS BIGINT), CAST(? AS TEXT),"
    " 'active', bank_account_sealed, bank_name, CAST(? AS TEXT), CAST(? AS TEXT),"
    " bank_account_last4 FROM assistance_cases WHERE id = ? RETURNING id";

/* --- the procedure (assistance_flow.c, assistance_procedure.c) --- */

/* assistance__case_move(): guarded by the status and the version read, so a
 * second move of the same case at once fails (MS_ESTALE) on both engines,
 * moves to the same state (compute, spot visit) included. */
const char assistance_sql_case_move[] =
    "UPDATE assistance_cases SET status = ?, state_since = ?, due_on = ?, version = version + 1,"
    " updated_at = ? WHERE id = ? AND status = ? AND version = ?";

/* assistance_case_step(): the procedure's facts, from the row as updated. */
const char assistance_sql_case_set_procedure[] =
    "UPDATE assistance_cases SET publicity_start = ?, publicity_end = ?, publicity_round = ?,"
    " received_on = ?, extension_reason = ?, notified_on = ?, accepted_on = ? WHERE id = ?";

/* assistance_case_create() */
const char assistance_sql_case_set_near_relative[] =
    "UPDATE assistance_cases SET near_relative = 1, near_relative_note = ?, state_since = ?,"
    " due_on = ? WHERE id = ?";
const char assistance_sql_case_set_start[] =
    "UPDATE assistance_cases SET state_since = ?, due_on = ? WHERE id = ?";

/* assistance_case_step(): investigators are platform users, not disabled
 * (the accounts module's table, read only). */
const char assistance_sql_user_active[] =
    "SELECT 1 FROM users WHERE username = ? AND is_disabled = 0";

/* assistance_case_decide(): a declared near relative needs the district's
 * spot visit first (rules.md §1.5). */
const char assistance_sql_spot_visit_exists[] =
    "SELECT count(*) FROM assistance_case_events WHERE case_id = ? AND action = 'spot_visit'";

/* assistance_case_get(): the timeline. */
const char assistance_sql_events_get[] =
    "SELECT action, from_state, to_state, step_on, due_on, note, detail_json, created_by,"
    " created_at FROM assistance_case_events WHERE case_id = ? ORDER BY id";

/* assistance_case_actions(): the moves from a state. */
const char assistance_sql_transitions_from[] =
    "SELECT action, to_state, permission, needs_reason, title_zh, title_en"
    " FROM assistance_transitions WHERE from_state = ? ORDER BY sort_order, action";

/* assistance_case_list(): a status filter names a state. */
const char assistance_sql_state_exists[] = "SELECT 1 FROM assistance_states WHERE state = ?";

/* One application, several schemes: a determination per scheme. */
const char assistance_sql_determination_insert[] =
    "INSERT INTO assistance_determinations (case_id, scheme, status) VALUES (?, ?, 'pending')";
const char assistance_sql_determinations_get[] =
    "SELECT scheme, status, computed_on, is_eligible, standard_fen, amount_fen, reasons_json,"
    " decided_on, reason_zh FROM assistance_determinations WHERE case_id = ? ORDER BY id";
/* assistance__scheme_count(): how many schemes the application asks for. */
const char assistance_sql_determinations_count[] =
    "SELECT count(*) FROM assistance_determinations WHERE case_id = ?";
const char assistance_sql_determination_set_result[] =
    "UPDATE assistance_determinations SET status = ?, computed_on = ?, is_eligible = ?,"
    " standard_fen = ?, amount_fen = ?, reasons_json = ? WHERE case_id = ? AND scheme = ?";
const char assistance_sql_determination_decide[] =
    "UPDATE assistance_determinations SET status = ?, decided_on = ?, reason_zh = ?"
    " WHERE case_id = ? AND scheme = ?";
const char assistance_sql_determinations_approved[] =
    "SELECT scheme, amount_fen, decided_on FROM assistance_determinations"
    " WHERE case_id = ? AND status = 'approved' ORDER BY id";

/* assistance_case_enrol(): the applicant's timeline (registry life_events,
 * which other modules share under their own kinds and source_module). */
const char assistance_sql_life_event_insert[] =
    "INSERT INTO life_events (resident_id, kind, event_date, source_module, detail_json,"
    " created_at, created_by) VALUES (?, 'assistance_enrolled', ?, 'assistance', ?, ?, ?)";

/* --- the means check (assistance_means.c) --- */

/* assistance_means_check(): linked rows of the members, by member, feed and
 * category; payments within the window (periods 2-3), self-paid medical
 * settlements dated within it (days 4-5, the second excluded) as one row a
 * member, vehicles in use, businesses still registered and properties in
 * force whenever they began. Walks exchange_records_resident. */
const char assistance_sql_means[] =
    "SELECT r.code, e.feed, CASE WHEN e.feed = 'medical_settlement' THEN '' ELSE e.category END,"
    " count(*), coalesce(sum(e.amount_fen), 0)"
    " FROM assistance_members m JOIN residents r ON r.id = m.resident_id"
    " JOIN exchange_records e ON e.resident_id = m.resident_id"
    " WHERE m.case_id = ? AND ((e.feed IN ('pension_payment', 'contribution_wage',"
    " 'unemployment_benefit') AND e.period >= ? AND e.period <= ?)"
    " OR (e.feed = 'medical_settlement' AND e.fact_date >= ? AND e.fact_date < ?)"
    " OR (e.feed = 'vehicle' AND e.status = 'normal')"
    " OR (e.feed = 'business_registration' AND e.status = 'active')"
    " OR (e.feed = 'real_estate' AND e.status = 'active'))"
    " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
const char assistance_sql_means_declared[] =
    "SELECT r.code, i.kind, coalesce(sum(i.amount_fen / i.months), 0)"
    " FROM assistance_incomes i JOIN residents r ON r.id = i.resident_id"
    " WHERE i.case_id = ? GROUP BY r.code, i.kind";
/* The declared medical expenses by member ("" for the household's lines). */
const char assistance_sql_means_medical_declared[] =
    "SELECT coalesce(r.code, ''), coalesce(sum(x.amount_fen), 0)"
    " FROM assistance_expenses x LEFT JOIN residents r ON r.id = x.resident_id"
    " WHERE x.case_id = ? AND x.kind = 'medical' GROUP BY 1 ORDER BY 1";
/* The houses declared as assets. */
const char assistance_sql_means_houses_declared[] =
    "SELECT coalesce(sum(quantity), 0) FROM assistance_assets WHERE case_id = ? AND kind = 'house'";

/* --- payments (assistance_pay.c) --- */

/* assistance_pay_run(): one run per scheme and period, shared by reruns. */
const char assistance_sql_run_insert[] =
    "INSERT INTO assistance_payment_runs (scheme, period, status, started_at, started_by)"
    " VALUES (?, ?, 'running', ?, ?) ON CONFLICT (scheme, period) DO NOTHING";
const char assistance_sql_run_get[] =
    "SELECT id, status FROM assistance_payment_runs WHERE scheme = ? AND period = ?";

#define DUE                                                              \
    " FROM assistance_enrolments WHERE scheme = ? AND start_period <= ?" \
    " AND (end_period = '' OR end_period >= ?)"

/* assistance_pay_run(), assistance_pay_summary(): what the period owes. */
const char assistance_sql_due[] = "SELECT count(*), coalesce(sum(amount_fen), 0)" DUE;

/* assistance_pay_run(): the last household of the next chunk. */
const char assistance_sql_chunk_end[] = "SELECT max(household_id) FROM (SELECT household_id" DUE
                                        " AND household_id > ? ORDER BY household_id LIMIT ?) t";

/* assistance_pay_run(): the chunk's lines, issue 1; the UNIQUE key skips
 * those a rerun, an earlier crashed run or a concurrent run wrote. */
const char assistance_sql_chunk_insert[] =
    "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period,"
    " issue_no, amount_fen, bank_account_sealed, bank_name, status, created_at, updated_at)"
    " SELECT CAST(? AS BIGINT), id, household_id, scheme, CAST(? AS TEXT), 1, amount_fen,"
    " bank_account_sealed, bank_name, 'pending', CAST(? AS TEXT), CAST(? AS TEXT)" DUE
    " AND household_id > ? AND household_id <= ? ON CONFLICT DO NOTHING";

/* assistance_pay_run(): totals from the lines themselves, so the last
 * finisher of concurrent runs writes the complete figures. */
const char assistance_sql_run_finish[] =
    "UPDATE assistance_payment_runs SET status = 'done', finished_at = ?,"
    " lines = (SELECT count(*) FROM assistance_payment_lines WHERE run_id = ? AND issue_no = 1),"
    " total_fen = (SELECT coalesce(sum(amount_fen), 0) FROM assistance_payment_lines"
    " WHERE run_id = ? AND issue_no = 1) WHERE id = ?";

/* assistance_pay_run(), assistance_pay_summary() */
const char assistance_sql_run_lines[] =
    "SELECT count(*), coalesce(sum(amount_fen), 0) FROM assistance_payment_lines"
    " WHERE scheme = ? AND period = ? AND issue_no = 1";

/* assistance_pay_run(), assistance_pay_summary(): what the month holds now:
 * households with a live regular line, and the money of every line not
 * failed (regular, re-issued, arrears) less what the recovery ledger claims
 * back; after changes settled the month, what it owes. */
const char assistance_sql_month_held[] =
    "WITH k AS (SELECT CAST(? AS TEXT) AS scheme, CAST(? AS TEXT) AS period)"
    " SELECT (SELECT count(*) FROM assistance_payment_lines l, k WHERE l.scheme = k.scheme"
    " AND l.period = k.period AND l.kind = 'regular' AND l.status <> 'failed'),"
    " (SELECT coalesce(sum(l.amount_fen), 0) FROM assistance_payment_lines l, k"
    " WHERE l.scheme = k.scheme AND l.period = k.period AND l.status <> 'failed')"
    " - (SELECT coalesce(sum(x.amount_fen), 0) FROM assistance_recoveries x, k"
    " WHERE x.scheme = k.scheme AND x.period = k.period)";

/* assistance_bank_export(): a new file number, the pending lines claimed
 * for it, and the file's rows in one query. The file of a month also takes
 * what is still pending for earlier months: re-issues of failed lines and
 * arrears (补发) go out with the next month's payment. */
const char assistance_sql_pending_count[] =
    "SELECT count(*) FROM assistance_payment_lines WHERE scheme = ? AND period <= ?"
    " AND status = 'pending'";
const char assistance_sql_export_insert[] =
    "INSERT INTO assistance_bank_exports (scheme, period, created_at, created_by)"
    " VALUES (?, ?, ?, ?) RETURNING id";
const char assistance_sql_export_mark[] =
    "UPDATE assistance_payment_lines SET status = 'exported', export_no = ?, updated_at = ?"
    " WHERE scheme = ? AND period <= ? AND status = 'pending'";
const char assistance_sql_export_lines[] =
    "SELECT l.id, h.number, r.name, l.bank_account_sealed, l.bank_name, l.amount_fen,"
    " l.period, l.scheme, l.issue_no FROM assistance_payment_lines l"
    " JOIN households h ON h.id = l.household_id"
    " JOIN assistance_enrolments e ON e.id = l.enrolment_id"
    " JOIN residents r ON r.id = e.payee_resident_id WHERE l.export_no = ? ORDER BY l.id";
const char assistance_sql_export_done[] =
    "UPDATE assistance_bank_exports SET lines = ?, total_fen = ? WHERE id = ?";

/* assistance_bank_file_write(), assistance_bank_files() */
#define BANK_FILE_COLUMNS "id, scheme, period, lines, total_fen, created_at, created_by"
const char assistance_sql_export_get[] =
    "SELECT " BANK_FILE_COLUMNS " FROM assistance_bank_exports WHERE id = ?";
const char assistance_sql_export_list[] =
    "SELECT " BANK_FILE_COLUMNS " FROM assistance_bank_exports WHERE scheme = ? AND period = ?"
    " ORDER BY id DESC LIMIT ?";

/* assistance_bank_return(): the guarded update is the common path; the
 * look-up only explains a row it did not change. */
const char assistance_sql_line_get[] =
    "SELECT id, status FROM assistance_payment_lines WHERE id = ?";
const char assistance_sql_line_set_status[] =
    "UPDATE assistance_payment_lines SET status = ?, result_reason = ?, updated_at = ?"
    " WHERE id = ? AND status = ?";
/* The failed line is marked first, so the partial index has room for this
 * one; it takes the month's next issue number (an arrears line may hold the
 * one after the failed line's) and keeps the failed line's kind. */
const char assistance_sql_reissue_insert[] =
    "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period,"
    " issue_no, reissue_of, amount_fen, bank_account_sealed, bank_name, status, created_at,"
    " updated_at, kind, change_id) SELECT l.run_id, l.enrolment_id, l.household_id, l.scheme,"
    " l.period, (SELECT max(n.issue_no) + 1 FROM assistance_payment_lines n"
    " WHERE n.household_id = l.household_id AND n.scheme = l.scheme AND n.period = l.period),"
    " l.id, l.amount_fen, e.bank_account_sealed, e.bank_name, 'pending',"
    " CAST(? AS TEXT), CAST(? AS TEXT), l.kind, l.change_id FROM assistance_payment_lines l"
    " JOIN assistance_enrolments e ON e.id = l.enrolment_id WHERE l.id = ?";

/* assistance_detect_recoveries(): what was paid for a month after the
 * payee's death month, less what the ledger claims for it already (a change
 * may have), against the month's last paid line; a second run finds nothing
 * left to claim (and the partial unique index on line_id guards two at once).
 * A month a later period pays to a living payee (a change named a new
 * payee) is the household's, settled by that change. */
const char assistance_sql_recoveries_insert[] =
    "INSERT INTO assistance_recoveries (line_id, household_id, resident_id, scheme, period,"
    " amount_fen, reason, death_date, status, detected_at, detected_by)"
    " SELECT m.line_id, m.household_id, m.resident_id, m.scheme, m.period, m.paid - m.claimed,"
    " 'paid_after_death', m.death_date, 'open', CAST(? AS TEXT), CAST(? AS TEXT)"
    " FROM (SELECT max(l.id) AS line_id, l.household_id, r.id AS resident_id, l.scheme, l.period,"
    " sum(l.amount_fen) AS paid, r.status_date AS death_date,"
    " (SELECT coalesce(sum(x.amount_fen), 0) FROM assistance_recoveries x"
    " WHERE x.household_id = l.household_id AND x.scheme = l.scheme AND x.period = l.period)"
    " AS claimed FROM assistance_payment_lines l"
    " JOIN assistance_enrolments e ON e.id = l.enrolment_id"
    " JOIN residents r ON r.id = e.payee_resident_id"
    " WHERE l.status = 'paid' AND r.status = 'deceased' AND r.status_date <> ''"
    " AND l.period > substr(r.status_date, 1, 7)"
    " AND NOT EXISTS (SELECT 1 FROM assistance_enrolments n JOIN residents np"
    " ON np.id = n.payee_resident_id WHERE n.household_id = l.household_id"
    " AND n.scheme = l.scheme AND n.start_period <= l.period"
    " AND (n.end_period = '' OR n.end_period >= l.period) AND np.status <> 'deceased')"
    " GROUP BY l.household_id, r.id, l.scheme, l.period, r.status_date) m"
    " WHERE m.paid > m.claimed ON CONFLICT DO NOTHING RETURNING amount_fen";

/* --- the recovery ledger (assistance_recovery.c) --- */

/* assistance_recoveries_list(): the ledger in the region range, by status
 * ('' all) and scheme range, newest first; and its count and sum. */
#define RECOVERY_WHERE                                                                  \
    " FROM assistance_recoveries x JOIN households h ON h.id = x.household_id"         \
    " JOIN residents r ON r.id = x.resident_id"                                         \
    " WHERE h.region_code >= ? AND h.region_code < ? AND x.scheme >= ? AND x.scheme <= ?" \
    " AND (CAST(? AS TEXT) = '' OR x.status = CAST(? AS TEXT))"
const char assistance_sql_recoveries_list[] =
    "SELECT x.id, x.line_id, x.household_id, h.number, h.region_code, r.code, x.scheme,"
    " x.period, x.amount_fen, x.reason, x.death_date, x.status, x.detected_at, x.detected_by,"
    " coalesce(x.change_id, 0), x.resolved_on, x.resolved_by, x.note_zh" RECOVERY_WHERE
    " ORDER BY x.id DESC LIMIT ? OFFSET ?";
const char assistance_sql_recoveries_count[] =
    "SELECT count(*), coalesce(sum(x.amount_fen), 0)" RECOVERY_WHERE;
/* assistance_recovery_resolve(): open -> recovered or waived, once, in scope. */
const char assistance_sql_recovery_resolve[] =
    "UPDATE assistance_recoveries SET status = ?, resolved_on = ?, resolved_by = ?, note_zh = ?"
    " WHERE id = ? AND status = 'open' AND household_id IN (SELECT id FROM households"
    " WHERE region_code >= ? AND region_code < ?) RETURNING amount_fen, period, scheme";
const char assistance_sql_recovery_status[] =
    "SELECT x.status FROM assistance_recoveries x JOIN households h ON h.id = x.household_id"
    " WHERE x.id = ? AND h.region_code >= ? AND h.region_code < ?";

/* --- 特困 and 临时救助 (assistance_scheme.c) --- */

/* The create step of a tekun or linshi application. */
const char assistance_sql_tekun_member_insert[] =
    "INSERT INTO assistance_tekun_members (case_id, resident_id, disability_type, adl_not_met)"
    " VALUES (?, ?, ?, ?)";
const char assistance_sql_supporter_insert[] =
    "INSERT INTO assistance_tekun_supporters (case_id, relation, age, is_tekun, is_dibao,"
    " is_severely_disabled, annual_income_fen, has_low_assets, is_incapacitated, is_missing,"
    " is_in_prison) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const char assistance_sql_linshi_insert[] =
    "INSERT INTO assistance_linshi (case_id, kind, cause, severity, months, is_pay_first)"
    " VALUES (?, ?, ?, ?, ?, ?)";

/* assistance__scheme_has_part(): the scheme's part stored with the case
 * (a tekun part has a row per member). */
const char assistance_sql_tekun_part_count[] =
    "SELECT count(*) FROM assistance_tekun_members WHERE case_id = ?";
const char assistance_sql_linshi_part_count[] =
    "SELECT count(*) FROM assistance_linshi WHERE case_id = ?";

/* The compute step: the 特困 declaration of the members, by resident. */
const char assistance_sql_tekun_members_calc[] =
    "SELECT resident_id, disability_type, adl_not_met FROM assistance_tekun_members"
    " WHERE case_id = ?";
/* assistance_case_get(): the same with the last result, in application order. */
const char assistance_sql_tekun_members_get[] =
    "SELECT r.code, t.disability_type, t.adl_not_met, t.care_level, t.basic_fen, t.care_fen"
    " FROM assistance_tekun_members t JOIN assistance_members m ON m.case_id = t.case_id"
    " AND m.resident_id = t.resident_id JOIN residents r ON r.id = t.resident_id"
    " WHERE t.case_id = ? ORDER BY m.id";
const char assistance_sql_supporters_get[] =
    "SELECT relation, age, is_tekun, is_dibao, is_severely_disabled, annual_income_fen,"
    " has_low_assets, is_incapacitated, is_missing, is_in_prison"
    " FROM assistance_tekun_supporters WHERE case_id = ? ORDER BY id";
const char assistance_sql_expense_amounts[] =
    "SELECT amount_fen FROM assistance_expenses WHERE case_id = ? ORDER BY id";
const char assistance_sql_linshi_get[] =
    "SELECT kind, cause, severity, months, is_pay_first, documents_completed_on,"
    " documents_completed_by, multiple_ppm, tier_fen, cap_fen, town_limit_fen,"
    " needs_collective_decision, is_within_town_limit FROM assistance_linshi WHERE case_id = ?";

/* The compute step: the scheme's own result beside the case's. */
const char assistance_sql_tekun_member_result[] =
    "UPDATE assistance_tekun_members SET care_level = ?, basic_fen = ?, care_fen = ?"
    " WHERE case_id = ? AND resident_id = ?";
const char assistance_sql_linshi_result[] =
    "UPDATE assistance_linshi SET multiple_ppm = ?, tier_fen = ?, cap_fen = ?,"
    " town_limit_fen = ?, needs_collective_decision = ?, is_within_town_limit = ?"
    " WHERE case_id = ?";

/* The enrol step of a one-off scheme: the enrolment covers its start month
 * only and is closed at once, so the household can have the next one; the
 * members are free again. A second one-off of the household for the same
 * month would meet the payment line's UNIQUE key, so it is refused. */
const char assistance_sql_one_off_same_month[] =
    "SELECT count(*) FROM assistance_enrolments e JOIN assistance_enrolments n"
    " ON n.household_id = e.household_id AND n.scheme = e.scheme"
    " AND n.start_period = e.start_period AND n.id <> e.id WHERE e.id = ?";
const char assistance_sql_one_off_close[] =
    "UPDATE assistance_enrolments SET end_period = start_period, status = 'stopped'"
    " WHERE id = ?";

/* assistance_linshi_documents_complete(): guarded, so it happens once. */
const char assistance_sql_linshi_documents_complete[] =
    "UPDATE assistance_linshi SET documents_completed_on = ?, documents_completed_by = ?"
    " WHERE case_id = ? AND is_pay_first = 1 AND documents_completed_on = ''";
/* --- change and review (assistance_change.c, assistance_review.c) --- */

/* assistance__period_load(): a period in scope (the household's region),
 * with its case's area (the payee's hukou type for a case-less roll entry)
 * and whether a later period follows it. */
const char assistance_sql_period_get[] =
    "SELECT e.id, e.household_id, coalesce(e.case_id, 0), e.payee_resident_id, e.amount_fen,"
    " e.scheme, e.start_period, e.end_period, e.status, e.transition_end_period, e.has_facts,"
    " coalesce(c.area, r.hukou_type), coalesce(c.status, ''), r.code,"
    " (SELECT count(*) FROM assistance_enrolments s WHERE s.predecessor_id = e.id)"
    " FROM assistance_enrolments e JOIN households h ON h.id = e.household_id"
    " JOIN residents r ON r.id = e.payee_resident_id"
    " LEFT JOIN assistance_cases c ON c.id = e.case_id"
    " WHERE e.id = ? AND h.region_code >= ? AND h.region_code < ?";

/* assistance__facts_load(): members and incomes of a case, or of a period
 * after a change; the same columns either way. */
const char assistance_sql_facts_case_members[] =
    "SELECT m.resident_id, r.code, m.relation, m.is_counted, m.exclusion_reason,"
    " m.disability_grade, m.has_major_illness, m.is_student, r.birth_date, r.status"
    " FROM assistance_members m JOIN residents r ON r.id = m.resident_id"
    " WHERE m.case_id = ? ORDER BY m.id";
const char assistance_sql_facts_period_members[] =
    "SELECT m.resident_id, r.code, m.relation, m.is_counted, m.exclusion_reason,"
    " m.disability_grade, m.has_major_illness, m.is_student, r.birth_date, r.status"
    " FROM assistance_period_members m JOIN residents r ON r.id = m.resident_id"
    " WHERE m.enrolment_id = ? ORDER BY m.seq";
const char assistance_sql_facts_case_incomes[] =
    "SELECT resident_id, kind, amount_fen, months FROM assistance_incomes WHERE case_id = ?"
    " ORDER BY id";
const char assistance_sql_facts_period_incomes[] =
    "SELECT resident_id, kind, amount_fen, months FROM assistance_period_incomes"
    " WHERE enrolment_id = ? ORDER BY id";

/* assistance_enrolment_change(): a new member must be in scope and alive. */
const char assistance_sql_resident_in_scope[] =
    "SELECT id, status, birth_date FROM residents WHERE code = ? AND region_code >= ?"
    " AND region_code < ?";

/* assistance_enrolment_change(): the current period ends (its end set
 * once, or brought forward by a stop in the transition period), guarded by
 * what was read, so of two changes at once one gets MS_ESTALE. */
const char assistance_sql_period_close[] =
    "UPDATE assistance_enrolments SET end_period = ?, status = 'stopped'"
    " WHERE id = ? AND end_period = ? AND status = ?"
    " AND NOT EXISTS (SELECT 1 FROM assistance_enrolments s WHERE s.predecessor_id = ?)";

/* assistance_enrolment_change(): the successor period, same payee and
 * account unless a new payee is given (NULLs: the same). */
const char assistance_sql_period_insert[] =
    "INSERT INTO assistance_enrolments (household_id, scheme, case_id, amount_fen, start_period,"
    " end_period, status, created_at, created_by, predecessor_id, has_facts,"
    " transition_end_period, payee_resident_id, bank_account_sealed, bank_name,"
    " bank_account_last4)"
    " SELECT household_id, scheme, case_id, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT),"
    " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), id, 1, CAST(? AS TEXT),"
    " coalesce(CAST(? AS BIGINT), payee_resident_id),"
    " coalesce(CAST(? AS TEXT), bank_account_sealed), coalesce(CAST(? AS TEXT), bank_name),"
    " coalesce(CAST(? AS TEXT), bank_account_last4)"
    " FROM assistance_enrolments WHERE id = ? RETURNING id";
const char assistance_sql_period_member_insert[] =
    "INSERT INTO assistance_period_members (enrolment_id, resident_id, seq, relation, is_counted,"
    " exclusion_reason, disability_grade, has_major_illness, is_student)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const char assistance_sql_period_income_insert[] =
    "INSERT INTO assistance_period_incomes (enrolment_id, resident_id, kind, amount_fen, months)"
    " VALUES (?, ?, ?, ?, ?)";

/* assistance_enrolment_change() */
const char assistance_sql_change_insert[] =
    "INSERT INTO assistance_changes (enrolment_id, successor_id, household_id, scheme, kind,"
    " resident_id, changed_on, effective_period, outcome, is_employment, old_amount_fen,"
    " new_amount_fen, standard_fen, members_counted, income_fen, transition_end_period,"
    " reason_zh, created_at, created_by)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
/* ... and, in the same transaction, what it did to the lines. */
const char assistance_sql_change_set_counts[] =
    "UPDATE assistance_changes SET lines_cancelled = ?, lines_replaced = ?, recoveries = ?,"
    " recovered_fen = ?, arrears = ?, arrears_fen = ? WHERE id = ?";

/* assistance_enrolment_change(): the pending lines of the months from the
 * effective month are taken back (they never reached the bank)... */
const char assistance_sql_lines_cancel[] =
    "DELETE FROM assistance_payment_lines WHERE household_id = ? AND scheme = ? AND period >= ?"
    " AND status = 'pending' RETURNING id, run_id, enrolment_id, period, issue_no,"
    " coalesce(reissue_of, 0), amount_fen, bank_account_sealed, bank_name, kind";
/* ... a regular one written again at the amount of the period covering its
 * month (an arrears line is settled afresh, below) ... */
const char assistance_sql_line_replace[] =
    "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period,"
    " issue_no, reissue_of, amount_fen, bank_account_sealed, bank_name, status, created_at,"
    " updated_at) SELECT CAST(? AS BIGINT), e.id, e.household_id, e.scheme, CAST(? AS TEXT),"
    " CAST(? AS INTEGER), CAST(? AS BIGINT), e.amount_fen, e.bank_account_sealed, e.bank_name,"
    " 'pending', CAST(? AS TEXT), CAST(? AS TEXT) FROM assistance_enrolments e"
    " WHERE e.id = ? RETURNING id";
/* ... all of them, after a new payee or account, to the new period's account ... */
const char assistance_sql_lines_move_account[] =
    "UPDATE assistance_payment_lines SET (bank_account_sealed, bank_name) ="
    " (SELECT e.bank_account_sealed, e.bank_name FROM assistance_enrolments e WHERE e.id = ?),"
    " updated_at = ? WHERE household_id = ? AND scheme = ? AND status = 'pending'";
/* ... and kept as they were. */
const char assistance_sql_cancellation_insert[] =
    "INSERT INTO assistance_line_cancellations (line_id, change_id, run_id, enrolment_id,"
    " household_id, scheme, period, issue_no, reissue_of, amount_fen, bank_account_sealed,"
    " bank_name, replaced_by, created_at, kind)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* The runs whose lines changed keep figures true to their lines. */
const char assistance_sql_runs_retotal[] =
    "UPDATE assistance_payment_runs SET"
    " lines = (SELECT count(*) FROM assistance_payment_lines l WHERE l.run_id ="
    " assistance_payment_runs.id AND l.issue_no = 1),"
    " total_fen = (SELECT coalesce(sum(amount_fen), 0) FROM assistance_payment_lines l"
    " WHERE l.run_id = assistance_payment_runs.id AND l.issue_no = 1)"
    " WHERE id IN (SELECT run_id FROM assistance_line_cancellations WHERE change_id = ?)";

/* assistance_enrolment_change(): the months from the effective month that
 * hold lines, each with what was sent to the bank (exported or paid, every
 * kind), what is pending, what the recovery ledger claims back already, the
 * last line sent, the highest issue number and the month's run. */
const char assistance_sql_change_months[] =
    "SELECT l.period,"
    " sum(CASE WHEN l.status IN ('exported', 'paid') THEN l.amount_fen ELSE 0 END),"
    " sum(CASE WHEN l.status = 'pending' THEN l.amount_fen ELSE 0 END),"
    " (SELECT coalesce(sum(x.amount_fen), 0) FROM assistance_recoveries x"
    " WHERE x.household_id = l.household_id AND x.scheme = l.scheme AND x.period = l.period),"
    " max(CASE WHEN l.status IN ('exported', 'paid') THEN l.id ELSE 0 END),"
    " max(l.issue_no), max(l.run_id)"
    " FROM assistance_payment_lines l WHERE l.household_id = ? AND l.scheme = ?"
    " AND l.period >= ? GROUP BY l.household_id, l.scheme, l.period ORDER BY l.period";
/* ... a month paid less than the new amount gets an arrears line (补发), to
 * the account of the period that owes it, in the next bank file ... */
const char assistance_sql_arrears_insert[] =
    "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period,"
    " issue_no, amount_fen, bank_account_sealed, bank_name, status, created_at, updated_at, kind,"
    " change_id) SELECT CAST(? AS BIGINT), e.id, e.household_id, e.scheme, CAST(? AS TEXT),"
    " CAST(? AS INTEGER), CAST(? AS BIGINT), e.bank_account_sealed, e.bank_name, 'pending',"
    " CAST(? AS TEXT), CAST(? AS TEXT), 'arrears', CAST(? AS BIGINT)"
    " FROM assistance_enrolments e WHERE e.id = ?";
/* ... and a month paid more goes to the recovery ledger, against its last
 * line sent: the whole after a stop (paid_after_stop), the part above the
 * new amount after a cut (paid_above_change). Once per change and month. */
const char assistance_sql_change_recovery_insert[] =
    "INSERT INTO assistance_recoveries (line_id, household_id, resident_id, scheme, period,"
    " amount_fen, reason, death_date, status, detected_at, detected_by, change_id)"
    " SELECT l.id, l.household_id, e.payee_resident_id, l.scheme, l.period, CAST(? AS BIGINT),"
    " CAST(? AS TEXT), '', 'open', CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT)"
    " FROM assistance_payment_lines l JOIN assistance_enrolments e ON e.id = l.enrolment_id"
    " WHERE l.id = ?";

/* assistance_enrolment_change(): a member leaving or dying no longer counts
 * in the case (assistance_counted); a joining one is guarded like an
 * applicant's; a stop frees them all. */
const char assistance_sql_counted_release_member[] =
    "DELETE FROM assistance_counted WHERE case_id = ? AND resident_id = ?";

/* assistance_enrolment_change() on a stop, assistance_review_record() */
const char assistance_sql_reviews_close[] =
    "UPDATE assistance_reviews SET status = 'closed' WHERE household_id = ? AND scheme = ?"
    " AND status = 'scheduled'";

/* assistance__review_schedule() */
const char assistance_sql_review_insert[] =
    "INSERT INTO assistance_reviews (household_id, scheme, enrolment_id, due_on, months, rule,"
    " basis, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?)";

/* assistance_review_record(): the scheduled review is done (guarded by its
 * status: two clerks recording it at once, one gets MS_ESTALE)... */
const char assistance_sql_review_scheduled[] =
    "SELECT id FROM assistance_reviews WHERE household_id = ? AND scheme = ?"
    " AND status = 'scheduled'";
const char assistance_sql_review_done[] =
    "UPDATE assistance_reviews SET status = 'done', reviewed_on = ?, outcome = ?, note_zh = ?,"
    " reviewed_by = ? WHERE id = ? AND status = 'scheduled'";
/* ... or, with none scheduled (an entry taken over from the old roll), a
 * review recorded as done. */
const char assistance_sql_review_unscheduled[] =
    "INSERT INTO assistance_reviews (household_id, scheme, enrolment_id, due_on, months, rule,"
    " basis, status, reviewed_on, outcome, note_zh, reviewed_by, created_at)"
    " VALUES (?, ?, ?, ?, 1, '', 'unscheduled', 'done', ?, ?, ?, ?, ?) RETURNING id";
const char assistance_sql_review_set_change[] =
    "UPDATE assistance_reviews SET change_id = ? WHERE id = ?";

/* assistance_reviews_due(): scheduled reviews due by a date, in scope,
 * with the household's latest period. Walks assistance_reviews_due. */
const char assistance_sql_reviews_due[] =
    "SELECT v.id, v.household_id, h.number, h.region_code, v.scheme, v.due_on, v.basis,"
    " coalesce((SELECT max(e.id) FROM assistance_enrolments e WHERE e.household_id ="
    " v.household_id AND e.scheme = v.scheme), 0),"
    " coalesce((SELECT e.amount_fen FROM assistance_enrolments e WHERE e.household_id ="
    " v.household_id AND e.scheme = v.scheme ORDER BY e.id DESC LIMIT 1), 0)"
    " FROM assistance_reviews v JOIN households h ON h.id = v.household_id"
    " WHERE v.status = 'scheduled' AND v.due_on <= ? AND h.region_code >= ?"
    " AND h.region_code < ? ORDER BY v.due_on, v.id LIMIT ?";

/* assistance_reviews_due(): enrolled households whose payee or counted
 * member the registry marks deceased, in periods still paying. */
const char assistance_sql_deceased_due[] =
    "SELECT e.id, e.household_id, h.number, h.region_code, e.scheme, r.code, r.status_date,"
    " e.amount_fen FROM assistance_enrolments e JOIN households h ON h.id = e.household_id"
    " JOIN (SELECT pm.enrolment_id AS eid, pm.resident_id AS rid FROM assistance_period_members pm"
    " WHERE pm.is_counted = 1"
    " UNION SELECT e2.id, cm.resident_id FROM assistance_enrolments e2"
    " JOIN assistance_members cm ON cm.case_id = e2.case_id"
    " WHERE e2.has_facts = 0 AND cm.is_counted = 1"
    " UNION SELECT e3.id, e3.payee_resident_id FROM assistance_enrolments e3) x ON x.eid = e.id"
    " JOIN residents r ON r.id = x.rid"
    " WHERE r.status = 'deceased' AND h.region_code >= ? AND h.region_code < ?"
    " AND (e.status = 'active' OR (e.transition_end_period <> '' AND e.end_period >= ?"
    " AND NOT EXISTS (SELECT 1 FROM assistance_enrolments s WHERE s.predecessor_id = e.id)))"
    " ORDER BY e.id, r.code LIMIT ?";

/* assistance_work_offer_record(): the member's streak so far. */
const char assistance_sql_offer_last[] =
    "SELECT streak FROM assistance_work_offers WHERE household_id = ? AND scheme = ?"
    " AND resident_id = ? ORDER BY id DESC LIMIT 1";
const char assistance_sql_offer_insert[] =
    "INSERT INTO assistance_work_offers (household_id, scheme, enrolment_id, resident_id,"
    " offered_on, is_accepted, has_good_reason, streak, note_zh, change_id, created_at,"
    " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* assistance_enrolment_current(): periods of one household chain by id. */
const char assistance_sql_enrolment_current[] =
    "SELECT max(id) FROM assistance_enrolments WHERE household_id = ? AND scheme = ?";
/* --- the roll taken over from before the platform (assistance_roll.c) --- */

/* assistance_roll_add(): one enrolment row, without a case. */
const char assistance_sql_roll_enrolment_insert[] =
    "INSERT INTO assistance_enrolments (household_id, scheme, case_id, payee_resident_id,"
    " amount_fen, start_period, end_period, status, bank_account_sealed, bank_name, created_at,"
    " created_by) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* assistance_roll_history(): a finished run per scheme and month. */
const char assistance_sql_roll_run_insert[] =
    "INSERT INTO assistance_payment_runs (scheme, period, status, started_at, started_by,"
    " finished_at) VALUES (?, ?, 'done', ?, ?, ?) ON CONFLICT (scheme, period) DO NOTHING";

/* assistance_roll_history(): the months' paid lines, one statement; the
 * runs give the months, the enrolments of the roll (no case) the payees. */
const char assistance_sql_roll_lines_insert[] =
    "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period,"
    " issue_no, amount_fen, bank_account_sealed, bank_name, status, created_at, updated_at)"
    " SELECT r.id, e.id, e.household_id, e.scheme, r.period, 1, e.amount_fen,"
    " e.bank_account_sealed, e.bank_name, 'paid', CAST(? AS TEXT), CAST(? AS TEXT)"
    " FROM assistance_payment_runs r JOIN assistance_enrolments e ON e.scheme = r.scheme"
    " AND e.start_period <= r.period AND (e.end_period = '' OR e.end_period >= r.period)"
    " WHERE r.period >= ? AND r.period <= ? AND e.case_id IS NULL ON CONFLICT DO NOTHING";

/* assistance_roll_history(): the runs' figures from their lines. */
const char assistance_sql_roll_runs_finish[] =
    "UPDATE assistance_payment_runs SET"
    " lines = (SELECT count(*) FROM assistance_payment_lines l WHERE l.run_id ="
    " assistance_payment_runs.id AND l.issue_no = 1),"
    " total_fen = (SELECT coalesce(sum(l.amount_fen), 0) FROM assistance_payment_lines l"
    " WHERE l.run_id = assistance_payment_runs.id AND l.issue_no = 1)"
    " WHERE period >= ? AND period <= ?";
const char assistance_sql_roll_history_total[] =
    "SELECT count(*), coalesce(sum(amount_fen), 0) FROM assistance_payment_lines"
    " WHERE period >= ? AND period <= ? AND status = 'paid'";

/* --- the public list and the indicators (assistance_public.c) --- */

/* The persons of an enrolment: its case's counted members, or for the roll
 * taken over without a case, the household's living residents. */
#define PERSONS                                                                   \
    " coalesce(c.members_counted, (SELECT count(*) FROM residents m"             \
    " WHERE m.household_id = e.household_id AND m.status = 'alive'))"

/* assistance_public_list(): who is paid this month, and only what the
 * notice board shows. Scheme filter as a range ('' .. '~' for all). */
const char assistance_sql_public_list[] =
    "SELECT r.name," PERSONS ", e.amount_fen, e.scheme, s.title_zh FROM assistance_enrolments e"
    " JOIN assistance_schemes s ON s.code = e.scheme JOIN households h ON h.id = e.household_id"
    " JOIN residents r ON r.id = e.payee_resident_id"
    " LEFT JOIN assistance_cases c ON c.id = e.case_id"
    " WHERE e.start_period <= ? AND (e.end_period = '' OR e.end_period >= ?)"
    " AND h.region_code >= ? AND h.region_code < ? AND e.scheme >= ? AND e.scheme <= ?"
    " ORDER BY h.region_code, h.number, e.scheme";

/* assistance_indicators(): households, persons and money of the lines
 * issued (not failed), by scheme, town (first 9 digits) and month. The
 * enrolments in scope with their town and persons are worked out once each
 * (MATERIALIZED: SQLite would otherwise count the persons once per line),
 * then the lines are grouped. */
const char assistance_sql_indicators[] =
    "WITH p AS MATERIALIZED (SELECT e.id, substr(h.region_code, 1, 9) AS town," PERSONS
    " AS persons FROM assistance_enrolments e JOIN households h ON h.id = e.household_id"
    " LEFT JOIN assistance_cases c ON c.id = e.case_id"
    " WHERE h.region_code >= ? AND h.region_code < ?)"
    " SELECT l.scheme, p.town, l.period, sum(CASE WHEN l.kind = 'regular' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN l.kind = 'regular' THEN p.persons ELSE 0 END), sum(l.amount_fen),"
    " sum(CASE WHEN l.status = 'paid' THEN l.amount_fen ELSE 0 END)"
    " FROM assistance_payment_lines l JOIN p ON p.id = l.enrolment_id"
    " WHERE l.status <> 'failed' AND l.period >= ? AND l.period <= ?"
    " AND l.scheme >= ? AND l.scheme <= ?"
    " GROUP BY l.scheme, p.town, l.period ORDER BY 1, 2, 3";

/* assistance_indicators(): the towns' and streets' names. */
const char assistance_sql_town_names[] =
    "SELECT substr(region_code, 1, 9), min(name) FROM places"
    " WHERE kind IN ('town', 'street') AND region_code >= ? AND region_code < ?"
    " GROUP BY substr(region_code, 1, 9)";

/* assistance_household_chain(): the household's history, newest max items,
 * returned oldest first. Dates are YYYY-MM-DD, or YYYY-MM for a month. */
const char assistance_sql_household_chain[] =
    "SELECT on_date, kind, scheme, status, text, amount_fen, ref_id FROM ("
    " SELECT c.applied_on AS on_date, 'application' AS kind, c.scheme AS scheme,"
    " c.status AS status, '' AS text, c.amount_fen AS amount_fen, c.id AS ref_id, c.id AS k"
    " FROM assistance_cases c WHERE c.household_id = ?"
    " UNION ALL SELECT CASE WHEN e.step_on <> '' THEN e.step_on ELSE substr(e.created_at, 1, 10)"
    " END, 'step', c.scheme, e.action, e.note, 0, c.id, e.id"
    " FROM assistance_case_events e JOIN assistance_cases c ON c.id = e.case_id"
    " WHERE c.household_id = ?"
    " UNION ALL SELECT p.start_period, 'period', p.scheme, p.status, p.end_period, p.amount_fen,"
    " p.id, p.id FROM assistance_enrolments p WHERE p.household_id = ?"
    " UNION ALL SELECT g.changed_on, 'change', g.scheme, g.outcome, g.kind || ': ' || g.reason_zh,"
    " g.new_amount_fen, g.id, g.id FROM assistance_changes g WHERE g.household_id = ?"
    " UNION ALL SELECT l.period, CASE l.kind WHEN 'arrears' THEN 'arrears' ELSE 'payment' END,"
    " l.scheme, l.status, '', l.amount_fen, l.id, l.id"
    " FROM assistance_payment_lines l WHERE l.household_id = ?"
    " UNION ALL SELECT r.period, 'recovery', r.scheme, r.status, r.reason, r.amount_fen, r.id, r.id"
    " FROM assistance_recoveries r WHERE r.household_id = ?"
    " ORDER BY 1 DESC, 2, 8 DESC LIMIT ?) q ORDER BY on_date, kind";

/* --- the resident portal (assistance_portal.c) --- */

/* assistance_portal_list(): the resident's own applications, newest first
 * (assistance_cases_applicant). */
const char assistance_sql_portal_cases[] =
    "SELECT c.id, c.scheme, c.status, c.channel, c.applied_on, c.accepted_on, c.due_on,"
    " c.amount_fen FROM assistance_cases c WHERE c.applicant_id = ?"
    " ORDER BY c.id DESC LIMIT ?";

/* assistance_portal_get(): one of them, by id, or nothing. */
const char assistance_sql_portal_case[] =
    "SELECT c.id FROM assistance_cases c WHERE c.id = ? AND c.applicant_id = ?";

/* assistance_portal_get(): the scheme codes asked for. */
const char assistance_sql_portal_schemes[] =
    "SELECT scheme FROM assistance_determinations WHERE case_id = ? ORDER BY id";
