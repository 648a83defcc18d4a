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
extern const char assistance_sql_tekun_member_insert[];
extern const char assistance_sql_supporter_insert[];
extern const char assistance_sql_linshi_insert[];
extern const char assistance_sql_tekun_members_calc[];
extern const char assistance_sql_tekun_members_get[];
extern const char assistance_sql_supporters_get[];
extern const char assistance_sql_expense_amounts[];
extern const char assistance_sql_linshi_get[];
extern const char assistance_sql_tekun_member_result[];
extern const char assistance_sql_linshi_result[];
extern const char assistance_sql_one_off_same_month[];
extern const char assistance_sql_one_off_close[];
extern const char assistance_sql_linshi_documents_complete[];

extern const char assistance_sql_period_get[];
extern const char assistance_sql_facts_case_members[];
extern const char assistance_sql_facts_period_members[];
extern const char assistance_sql_facts_case_incomes[];
extern const char assistance_sql_facts_period_incomes[];
extern const char assistance_sql_resident_in_scope[];
extern const char assistance_sql_period_close[];
extern const char assistance_sql_period_insert[];
extern const char assistance_sql_period_member_insert[];
extern const char assistance_sql_period_income_insert[];
extern const char assistance_sql_change_insert[];
extern const char assistance_sql_change_set_counts[];
extern const char assistance_sql_lines_cancel[];
extern const char assistance_sql_line_replace[];
extern const char assistance_sql_cancellation_insert[];
extern const char assistance_sql_runs_retotal[];
extern const char assistance_sql_change_recoveries[];
extern const char assistance_sql_counted_release_member[];
extern const char assistance_sql_reviews_close[];
extern const char assistance_sql_review_insert[];
extern const char assistance_sql_review_scheduled[];
extern const char assistance_sql_review_done[];
extern const char assistance_sql_review_unscheduled[];
extern const char assistance_sql_review_set_change[];
extern const char assistance_sql_reviews_due[];
extern const char assistance_sql_deceased_due[];
extern const char assistance_sql_offer_last[];
extern const char assistance_sql_offer_insert[];
extern const char assistance_sql_enrolment_current[];

#endif
