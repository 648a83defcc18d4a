/*
 * policy_sql.h - the policy module's statements (policy_sql.c).
 */
#ifndef MS_POLICY_SQL_H
#define MS_POLICY_SQL_H

extern const char policy_sql_get[];
extern const char policy_sql_def[];
extern const char policy_sql_list[];
extern const char policy_sql_history[];
extern const char policy_sql_insert[];

#endif
