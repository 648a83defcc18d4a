/*
 * accounts_sql.h - the accounts module's statements (accounts_sql.c).
 */
#ifndef MS_ACCOUNTS_SQL_H
#define MS_ACCOUNTS_SQL_H

extern const char accounts_sql_role_exists[];
extern const char accounts_sql_user_insert[];
extern const char accounts_sql_user_list[];
extern const char accounts_sql_user_get[];
extern const char accounts_sql_user_for_login[];
extern const char accounts_sql_user_hash_by_id[];
extern const char accounts_sql_user_set_password[];
extern const char accounts_sql_user_disable[];
extern const char accounts_sql_login_failed[];
extern const char accounts_sql_login_lock[];
extern const char accounts_sql_login_ok[];
extern const char accounts_sql_session_insert[];
extern const char accounts_sql_session_resolve[];
extern const char accounts_sql_session_touch[];
extern const char accounts_sql_session_revoke[];
extern const char accounts_sql_sessions_revoke_user[];
extern const char accounts_sql_sessions_count[];
extern const char accounts_sql_sessions_list[];
extern const char accounts_sql_session_owner[];
extern const char accounts_sql_role_permissions[];
extern const char accounts_sql_separation[];
extern const char accounts_sql_roles_list[];
extern const char accounts_sql_role_grants[];
extern const char accounts_sql_role_scopes[];
extern const char accounts_sql_permissions_list[];
extern const char accounts_sql_role_grants_clear[];
extern const char accounts_sql_role_grant[];

#endif
