/*
 * accounts_sql.c - every statement the accounts module runs.
 */
#include "modules/accounts/accounts_sql.h"

/* Used in accounts_user_add(). */
const char accounts_sql_role_exists[] = "SELECT 1 FROM roles WHERE name = ?";

/* Used in accounts_user_add(). */
const char accounts_sql_user_insert[] =
    "INSERT INTO users (username, display_name, role, scope, password_hash, must_change_password,"
    " created_at, updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";

#define USER_COLUMNS                                                                              \
    "id, username, display_name, role, scope, is_disabled, must_change_password, failed_logins," \
    " locked_until_ms, created_at, last_login_at"

/* Used in accounts_user_list(). */
const char accounts_sql_user_list[] = "SELECT " USER_COLUMNS " FROM users ORDER BY username";

/* Used in accounts_user_get(). */
const char accounts_sql_user_get[] = "SELECT " USER_COLUMNS " FROM users WHERE username = ?";

/* Used in accounts_login(): the user's columns and then the password hash. */
const char accounts_sql_user_for_login[] =
    "SELECT " USER_COLUMNS ", password_hash FROM users WHERE username = ?";

/* Used in accounts_change_own_password(). */
const char accounts_sql_user_hash_by_id[] =
    "SELECT username, password_hash FROM users WHERE id = ?";

/* Used in accounts_user_set_password() and accounts_change_own_password(). */
const char accounts_sql_user_set_password[] =
    "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?,"
    " updated_at = ?, failed_logins = 0, locked_until_ms = 0 WHERE username = ? RETURNING id";

/* Used in accounts_user_disable(). */
const char accounts_sql_user_disable[] =
    "UPDATE users SET is_disabled = 1, updated_at = ? WHERE username = ? RETURNING id";

/* Used in accounts_login(): counted in SQL so concurrent failures all count. */
const char accounts_sql_login_failed[] =
    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins";

/* Used in accounts_login() when the failures reach the limit. */
const char accounts_sql_login_lock[] =
    "UPDATE users SET failed_logins = 0, locked_until_ms = ? WHERE id = ?";

/* Used in accounts_login(). */
const char accounts_sql_login_ok[] =
    "UPDATE users SET failed_logins = 0, locked_until_ms = 0, last_login_at = ? WHERE id = ?";

/* Used in accounts_login(). */
const char accounts_sql_session_insert[] =
    "INSERT INTO sessions (token_hash, user_id, created_ms, last_seen_ms, expires_ms, ip,"
    " user_agent) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in accounts_session_resolve(), on every authenticated request. */
const char accounts_sql_session_resolve[] =
    "SELECT s.id, s.last_seen_ms, s.expires_ms, u.id, u.username, u.display_name, u.role,"
    " u.scope, u.is_disabled, u.must_change_password FROM sessions s"
    " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.revoked_ms = 0";

/* Used in accounts_session_resolve(), at most once a minute per session. */
const char accounts_sql_session_touch[] = "UPDATE sessions SET last_seen_ms = ? WHERE id = ?";

/* Used in accounts_logout(). */
const char accounts_sql_session_revoke[] =
    "UPDATE sessions SET revoked_ms = ? WHERE id = ? AND revoked_ms = 0";

/* Used when a password changes or an account is disabled; keeps one
 * session (id) open, or none with id 0. */
const char accounts_sql_sessions_revoke_user[] =
    "UPDATE sessions SET revoked_ms = ? WHERE user_id = ? AND revoked_ms = 0 AND id <> ?";

/* The live sessions (not revoked, not expired, not idle too long, account
 * enabled) of one user or of everyone: binds now, idle cut-off, username
 * twice (NULL: everyone). Uses sessions_live (migration 002). */
#define LIVE_SESSIONS                                                                             \
    " FROM sessions s JOIN users u ON u.id = s.user_id"                                          \
    " WHERE s.revoked_ms = 0 AND s.expires_ms > ? AND s.last_seen_ms > ? AND u.is_disabled = 0" \
    " AND (CAST(? AS TEXT) IS NULL OR u.username = ?)"

/* Used in accounts_session_list(). */
const char accounts_sql_sessions_count[] = "SELECT count(*)" LIVE_SESSIONS;

/* Used in accounts_session_list(): newest first; never the token hash. */
const char accounts_sql_sessions_list[] =
    "SELECT s.id, u.username, u.display_name, u.role, u.scope, s.ip, s.user_agent, s.created_ms,"
    " s.last_seen_ms, s.expires_ms" LIVE_SESSIONS " ORDER BY s.id DESC LIMIT ? OFFSET ?";

/* Used in accounts_session_revoke(): whose session it is, if it is open. */
const char accounts_sql_session_owner[] =
    "SELECT u.username, s.expires_ms, s.last_seen_ms FROM sessions s"
    " JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.revoked_ms = 0";

/* Used in accounts_session_resolve() and accounts_login(). */
const char accounts_sql_role_permissions[] =
    "SELECT permission FROM role_permissions WHERE role = ?";

/* Used in accounts_check_separation(). */
const char accounts_sql_separation[] =
    "SELECT a.role FROM role_permissions a JOIN role_permissions b ON a.role = b.role"
    " WHERE (a.permission LIKE 'system:user:%' OR a.permission LIKE 'system:role:%')"
    " AND b.permission LIKE 'audit:%' LIMIT 1";

/* Used in accounts_role_list(): every role, builtin ones first. */
const char accounts_sql_roles_list[] =
    "SELECT name, title_zh, title_en, is_builtin FROM roles ORDER BY is_builtin DESC, name";

/* Used in accounts_role_list(): every grant, to be shared out by role. */
const char accounts_sql_role_grants[] =
    "SELECT role, permission FROM role_permissions ORDER BY role, permission";

/* Used in accounts_role_list(): the data scopes of each role's enabled users. */
const char accounts_sql_role_scopes[] =
    "SELECT role, scope, count(*) FROM users WHERE is_disabled = 0"
    " GROUP BY role, scope ORDER BY role, scope";

/* Used in accounts_role_list() and accounts_role_set_permissions(). */
const char accounts_sql_permissions_list[] =
    "SELECT name, title_zh, title_en FROM permissions ORDER BY name";

/* Used in accounts_role_set_permissions(). */
const char accounts_sql_role_grants_clear[] = "DELETE FROM role_permissions WHERE role = ?";

/* Used in accounts_role_set_permissions(). */
const char accounts_sql_role_grant[] =
    "INSERT INTO role_permissions (role, permission) VALUES (?, ?)";
