/*
 * portal_sql.h - the portal module's statements (portal_sql.c).
 */
#ifndef MS_PORTAL_SQL_H
#define MS_PORTAL_SQL_H

extern const char portal_sql_resident_by_bidx[];
extern const char portal_sql_count_by_bidx[];
extern const char portal_sql_count_by_ip[];
extern const char portal_sql_request_insert[];
extern const char portal_sql_request_purge[];
extern const char portal_sql_challenge_supersede[];
extern const char portal_sql_challenge_insert[];
extern const char portal_sql_challenge_open[];
extern const char portal_sql_challenge_try[];
extern const char portal_sql_challenge_use[];
extern const char portal_sql_session_insert[];
extern const char portal_sql_session_resolve[];
extern const char portal_sql_session_touch[];
extern const char portal_sql_session_revoke[];
extern const char portal_sql_me[];

#endif
