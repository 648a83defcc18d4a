/*
 * monitor_sql.h - the monitor module's statements (monitor_sql.c).
 */
#ifndef MS_MONITOR_SQL_H
#define MS_MONITOR_SQL_H

extern const char monitor_sql_scan_insert[];
extern const char monitor_sql_scan_finish[];
extern const char monitor_sql_scan_marks_now[];
extern const char monitor_sql_scan_marks_last[];
extern const char *const monitor_sql_touched_setup[];
extern const char *const monitor_sql_touched_analyze[];
extern const char monitor_sql_touched_residents[];
extern const char monitor_sql_touched_households[];
extern const char monitor_sql_touched_members[];
extern const char monitor_sql_rule_count_person_touched_tail[];
extern const char monitor_sql_rule_count_household_touched_tail[];
extern const char monitor_sql_rule_count_head[];
extern const char monitor_sql_rule_count_tail[];
extern const char monitor_sql_task_insert[];
extern const char monitor_sql_alert_list[];
extern const char monitor_sql_task_list[];
extern const char monitor_sql_task_decide[];
extern const char monitor_sql_task_status[];
extern const char monitor_sql_eval_create[];
extern const char monitor_sql_eval_clear[];
extern const char monitor_sql_eval_insert[];
extern const char monitor_sql_eval_planted[];
extern const char monitor_sql_eval_alerted[];
extern const char monitor_sql_eval_found[];

extern const char monitor_sql_rule_defs[];
extern const char monitor_sql_rule_def_insert[];
extern const char monitor_sql_rule_def_upsert[];

extern const char monitor_sql_hits_create[];
extern const char monitor_sql_hits_clear[];
extern const char monitor_sql_hits_insert_head[];
extern const char monitor_sql_hits_alert_person[];
extern const char monitor_sql_hits_alert_household[];

extern const char monitor_sql_task_set_change[];
extern const char monitor_sql_task_subject[];

extern const char monitor_sql_chain_household[];
extern const char monitor_sql_chain_alerts[];

#endif
