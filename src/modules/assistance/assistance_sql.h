/*
 * assistance_sql.h - the assistance module's statements (assistance_sql.c).
 */
#ifndef MS_ASSISTANCE_SQL_H
#define MS_ASSISTANCE_SQL_H

extern const char assistance_sql_scheme_exists[];
extern const char assistance_sql_household_in_scope[];
extern const char assistance_sql_resident_by_code[];
extern const char assistance_sql_case_insert[];
extern const char assistance_sql_member_insert[];
extern const char assistance_sql_counted_insert[];
extern const char assistance_sql_counted_release[];
extern const char assistance_sql_income_insert[];
extern const char assistance_sql_asset_insert[];
extern const char assistance_sql_expense_insert[];
extern const char assistance_sql_event_insert[];
extern const char assistance_sql_transition[];
extern const char assistance_sql_case_set_status[];
extern const char assistance_sql_case_get[];
extern const char assistance_sql_case_list[];
extern const char assistance_sql_members_get[];
extern const char assistance_sql_incomes_get[];
extern const char assistance_sql_assets_get[];
extern const char assistance_sql_decision_get[];
extern const char assistance_sql_enrolment_of_case[];
extern const char assistance_sql_case_set_result[];
extern const char assistance_sql_decision_insert[];
extern const char assistance_sql_decision_for_enrol[];
extern const char assistance_sql_enrolment_insert[];
extern const char assistance_sql_life_event_insert[];
extern const char assistance_sql_means[];
extern const char assistance_sql_means_declared[];
extern const char assistance_sql_run_insert[];
extern const char assistance_sql_run_get[];
extern const char assistance_sql_due[];
extern const char assistance_sql_chunk_end[];
extern const char assistance_sql_chunk_insert[];
extern const char assistance_sql_run_finish[];
extern const char assistance_sql_run_lines[];
extern const char assistance_sql_pending_count[];
extern const char assistance_sql_export_insert[];
extern const char assistance_sql_export_mark[];
extern const char assistance_sql_export_lines[];
extern const char assistance_sql_export_done[];
extern const char assistance_sql_line_get[];
extern const char assistance_sql_line_set_status[];
extern const char assistance_sql_reissue_insert[];
extern const char assistance_sql_recoveries_insert[];
extern const char assistance_sql_roll_enrolment_insert[];
extern const char assistance_sql_roll_run_insert[];
extern const char assistance_sql_roll_lines_insert[];
extern const char assistance_sql_roll_runs_finish[];
extern const char assistance_sql_roll_history_total[];
extern const char assistance_sql_public_list[];
extern const char assistance_sql_indicators[];
extern const char assistance_sql_town_names[];

#endif
