/*
 * jobs_sql.h - every statement the jobs module runs (jobs_sql.c).
 */
#ifndef MS_JOBS_SQL_H
#define MS_JOBS_SQL_H

extern const char jobs_sql_insert[];
extern const char jobs_sql_get[];
extern const char jobs_sql_update[];
extern const char jobs_sql_claim[];
extern const char jobs_sql_claim_due[];
extern const char jobs_sql_release[];
extern const char jobs_sql_due[];
extern const char jobs_sql_run_insert[];
extern const char jobs_sql_run_finish[];
extern const char jobs_sql_runs_interrupt[];
extern const char jobs_sql_runs[];

#endif
