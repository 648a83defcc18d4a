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
