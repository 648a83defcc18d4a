/*
 * audit_sql.h - the audit module's statements (defined in audit_sql.c).
 */
#ifndef MS_AUDIT_SQL_H
#define MS_AUDIT_SQL_H

extern const char audit_sql_head_advance[];
extern const char audit_sql_head_set_hash[];
extern const char audit_sql_head_get[];
extern const char audit_sql_insert[];
extern const char audit_sql_walk[];
extern const char audit_sql_query[];

extern const char audit_sql_logins_count[];
extern const char audit_sql_logins[];

#endif
