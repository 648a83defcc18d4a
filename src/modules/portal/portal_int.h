/*
 * portal_int.h - what the portal module's files share.
 */
#ifndef MS_PORTAL_INT_H
#define MS_PORTAL_INT_H

#include "core/idcard.h"
#include "core/seal.h"
#include "modules/module.h"

extern const struct http_route portal_http_routes[];
extern const struct store_migration portal_migrations[];

/* The portal's limits, from the policy table (ms). */
struct portal__limits {
    int64_t otp_ttl_ms, otp_max_attempts, per_id_per_hour, per_ip_per_hour;
    int64_t idle_ms, max_ms;
};
int portal__read_limits(struct store *st, struct portal__limits *l, struct ms_err *err);

/* Validates an ID number as typed (a 15-digit one is upgraded) into the
 * 18-character form. Errors name the field "id_number" and never the number. */
int portal__parse_id(const char *text, char out[MS_IDCARD_BUF], struct ms_err *err);

/* The registry's blind index of a normalised ID number. */
int portal__id_bidx(struct store *st, const char *id18, char out[MS_SEAL_INDEX_BUF],
                    struct ms_err *err);

/* The keyed hash a code is stored as: the blind index of "salt.code". */
void portal__code_hash(const struct ms_seal *seal, const char *salt, const char *code,
                       char out[MS_SEAL_INDEX_BUF]);

/* Opens a session for resident_id inside the caller's transaction: a new
 * token in out->token (arena), its hash stored. */
struct portal_session;
int portal__session_open(struct store *st, const struct portal__limits *l, int64_t resident_id,
                         const char *ip, const char *user_agent, int64_t now_ms,
                         struct ms_arena *arena, struct portal_session *out, struct ms_err *err);

/* The process's sender. */
const struct portal_sender *portal__sender(void);

#endif
