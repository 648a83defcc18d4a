/*
 * portal_sql.c - every statement the portal module runs, each naming the
 * function that uses it. Look-ups go through indexes created in
 * migrations/001_portal.sql (or the registry's UNIQUE id_number_bidx).
 */
#include "modules/portal/portal_sql.h"
#include "core/banned.h"

/* Used in portal_otp_request() and portal_login(): the number's owner. */
const char portal_sql_resident_by_bidx[] =
    "SELECT id, code, status FROM residents WHERE id_number_bidx = ?";

/* Used in portal_otp_request(): requests in the window, per number and per address. */
const char portal_sql_count_by_bidx[] =
    "SELECT count(*) FROM portal_otp_requests WHERE id_bidx = ? AND created_ms > ?";
const char portal_sql_count_by_ip[] =
    "SELECT count(*) FROM portal_otp_requests WHERE ip = ? AND created_ms > ?";

/* Used in portal_otp_request(). */
const char portal_sql_request_insert[] =
    "INSERT INTO portal_otp_requests (id_bidx, ip, created_ms) VALUES (?, ?, ?)";

/* Used in portal_otp_request(): the ledger keeps a day. */
const char portal_sql_request_purge[] = "DELETE FROM portal_otp_requests WHERE created_ms < ?";

/* Used in portal_otp_request(): a new code supersedes the open ones. */
const char portal_sql_challenge_supersede[] =
    "UPDATE portal_otp_challenges SET used_ms = ? WHERE resident_id = ? AND used_ms = 0";

/* Used in portal_otp_request(). */
const char portal_sql_challenge_insert[] =
    "INSERT INTO portal_otp_challenges (resident_id, salt, code_hash, created_ms, expires_ms)"
    " VALUES (?, ?, ?, ?, ?)";

/* Used in portal_login(): the newest open code. */
const char portal_sql_challenge_open[] =
    "SELECT id, salt, code_hash, expires_ms, attempts FROM portal_otp_challenges"
    " WHERE resident_id = ? AND used_ms = 0 ORDER BY id DESC LIMIT 1";

/* Used in portal_login(): a try is counted before the comparison, in SQL,
 * so concurrent guesses all count; no row means none was left. */
const char portal_sql_challenge_try[] =
    "UPDATE portal_otp_challenges SET attempts = attempts + 1"
    " WHERE id = ? AND used_ms = 0 AND attempts < ? RETURNING attempts";

/* Used in portal_login(): the right code is used up. */
const char portal_sql_challenge_use[] = "UPDATE portal_otp_challenges SET used_ms = ? WHERE id = ?";

/* Used in portal_login(). */
const char portal_sql_session_insert[] =
    "INSERT INTO portal_sessions (token_hash, resident_id, created_ms, last_seen_ms, expires_ms,"
    " ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in portal_session_resolve(). */
const char portal_sql_session_resolve[] =
    "SELECT s.id, s.last_seen_ms, s.expires_ms, r.id, r.code, r.status"
    " FROM portal_sessions s JOIN residents r ON r.id = s.resident_id"
    " WHERE s.token_hash = ? AND s.revoked_ms = 0";

/* Used in portal_session_resolve(), at most once a minute per session. */
const char portal_sql_session_touch[] = "UPDATE portal_sessions SET last_seen_ms = ? WHERE id = ?";

/* Used in portal_logout(). */
const char portal_sql_session_revoke[] =
    "UPDATE portal_sessions SET revoked_ms = ? WHERE id = ? AND revoked_ms = 0";

/* Used in portal_me_get(): the resident's code and household. */
const char portal_sql_me[] = "SELECT code, household_id FROM residents WHERE id = ?";
