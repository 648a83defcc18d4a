/*
 * audit_sql.c - every statement the audit module runs.
 */
#include "modules/audit/audit_sql.h"

/* Used in append_batch(): reserve n sequence numbers and lock the head row
 * until commit (the UPDATE takes the row lock on PostgreSQL; SQLite already
 * holds the write lock). Returns the new last seq and the previous hash. */
const char audit_sql_head_advance[] =
    "UPDATE audit_head SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq, last_hash";

/* Used in append_batch(). */
const char audit_sql_head_set_hash[] = "UPDATE audit_head SET last_hash = ? WHERE id = 1";

/* Used in audit_verify(). */
const char audit_sql_head_get[] = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";

/* Used in append_batch(). */
const char audit_sql_insert[] =
    "INSERT INTO audit_log (seq, ts, actor_user_id, actor, actor_role, ip, request_id, action,"
    " object_type, object_id, subject, purpose, result, detail, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Used in audit_verify(): the whole chain in order. */
const char audit_sql_walk[] =
    "SELECT seq, ts, actor_user_id, actor, actor_role, ip, request_id, action, object_type,"
    " object_id, subject, purpose, result, detail, prev_hash, hash FROM audit_log ORDER BY seq";

/* Used in audit_query(): optional filters, newest first, keyset paging. */
const char audit_sql_query[] =
    "SELECT seq, ts, actor, actor_role, ip, request_id, action, object_type, object_id, subject,"
    " purpose, result, detail, hash FROM audit_log"
    " WHERE (CAST(? AS TEXT) IS NULL OR actor = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR action = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR object_type = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR object_id = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR ts >= ?)"
    " AND (CAST(? AS TEXT) IS NULL OR ts < ?)"
    " AND seq < ?"
    " ORDER BY seq DESC LIMIT ?";

/* Used in audit_login_query(): the session events, with the same WHERE as the
 * partial index audit_log_logins (migration 003). "Whose" event it is: the
 * actor of a login or logout (for a failed login, the name tried), the
 * subject of a revocation. Binds: from x2, to x2, user x3, action x2,
 * result x4. */
#define LOGIN_WHERE                                                                              \
    " FROM audit_log WHERE action IN ('session.login', 'session.logout', 'session.revoke')"     \
    " AND (CAST(? AS TEXT) IS NULL OR ts >= ?)"                                                  \
    " AND (CAST(? AS TEXT) IS NULL OR ts < ?)"                                                   \
    " AND (CAST(? AS TEXT) IS NULL OR (action = 'session.revoke' AND subject = ?)"               \
    "      OR (action <> 'session.revoke' AND actor = ?))"                                       \
    " AND (CAST(? AS TEXT) IS NULL OR action = ?)"                                               \
    " AND (CAST(? AS TEXT) IS NULL OR (CAST(? AS TEXT) = 'ok' AND result = 'ok')"                \
    "      OR (CAST(? AS TEXT) = 'failed' AND result <> 'ok')"                                   \
    "      OR (CAST(? AS TEXT) = 'locked' AND (result = 'denied:locked'"                         \
    "          OR detail = 'account locked')))"

/* Used in audit_login_query(). */
const char audit_sql_logins_count[] = "SELECT count(*)" LOGIN_WHERE;

/* Used in audit_login_query(): newest first. */
const char audit_sql_logins[] =
    "SELECT seq, ts, action, actor, subject, ip, request_id, result, detail, object_id"
    LOGIN_WHERE " ORDER BY seq DESC LIMIT ? OFFSET ?";
