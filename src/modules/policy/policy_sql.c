/*
 * policy_sql.c - every statement the policy module runs.
 */
#include "modules/policy/policy_sql.h"

/* Used in policy_get(): the value in force on a date. Served by the
 * UNIQUE (key, effective_from) index. */
const char policy_sql_get[] =
    "SELECT key, value, effective_from, source, note, created_at, created_by FROM policy_values"
    " WHERE key = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1";

/* Used in policy_history() and policy_set(). */
const char policy_sql_def[] =
    "SELECT key, kind, unit, title_zh, title_en, min_value, max_value FROM policy_keys"
    " WHERE key = ?";

/* Used in policy_list(): each key with its value in force on a date. */
const char policy_sql_list[] =
    "SELECT k.key, k.kind, k.unit, k.title_zh, k.title_en, k.min_value, k.max_value, v.value,"
    " v.effective_from, v.source, v.note, v.created_at, v.created_by FROM policy_keys k"
    " LEFT JOIN policy_values v ON v.key = k.key AND v.effective_from = ("
    "  SELECT MAX(effective_from) FROM policy_values w"
    "  WHERE w.key = k.key AND w.effective_from <= ?)"
    " ORDER BY k.key";

/* Used in policy_history(). */
const char policy_sql_history[] =
    "SELECT key, value, effective_from, source, note, created_at, created_by FROM policy_values"
    " WHERE key = ? ORDER BY effective_from DESC";

/* Used in policy_set(). */
const char policy_sql_insert[] =
    "INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)";
