/*
 * portal.h - the resident portal: a resident logs in with their ID number
 * and a one-time code, and reads their own record.
 *
 * A resident is not a staff user. Their sessions live in portal_sessions,
 * apart from staff sessions, and resolve (portal_http_authenticate) to a
 * principal with role "resident", the one permission PORTAL_PERMISSION and
 * the resident's internal id; the HTTP server asks this module only on
 * ROUTE_RESIDENT routes, so a resident token never opens a staff route and a
 * staff token never opens a portal route (docs/security.md, "Residents").
 *
 * The one-time code (OTP), rules.md §12.2 身份鉴别 for residents:
 *   - a request names an ID number. It is validated (15 digits upgraded) and
 *     only its blind index is kept. Whether or not it is registered, the
 *     reply is the same and the same limits apply: portal.otp_per_id_per_hour
 *     requests per number and portal.otp_per_ip_per_hour per source address
 *     (MS_ERATE past either), so the portal cannot be used to find out who
 *     is registered;
 *   - for a registered, living resident a 6-digit code is drawn, stored only
 *     as a keyed hash, valid for portal.otp_ttl_minutes, superseding any
 *     earlier open code, and handed to the sender (below) after the commit;
 *   - a login tries the newest open code: each try is counted in SQL before
 *     the comparison, so concurrent guesses all count; a wrong or expired
 *     code, or none, is MS_ECODE (the same for an unregistered number); the
 *     try that uses up portal.otp_max_attempts and every later one is
 *     MS_EATTEMPTS until a new code is requested; a right code is used up
 *     and opens a session (portal.session_idle_minutes idle,
 *     portal.session_max_hours in all).
 *
 * Audit: portal.otp (result "ok" or "denied:rate"), portal.login,
 * portal.logout and portal.me (an audited read). The actor is the resident's
 * code, never the ID number; an unregistered number is the actor "-".
 * Nothing here logs a number or a code, except the log sender, on purpose.
 *
 * Time: functions take now_ms (0: the clock) so tests can move through
 * expiry. Results live in the given arena. Errors carry English and Chinese.
 */
#ifndef MS_PORTAL_H
#define MS_PORTAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/rescode.h"
#include "http/http.h"

struct store;
struct audit_entry;

#define PORTAL_PERMISSION "portal:self"
#define PORTAL_ROLE       "resident"
#define PORTAL_CODE_LEN   6

/* --- the sender: how a code reaches the resident -------------------------- */

/* What a sender gets: whom to send to (code and internal id, to look up a
 * phone number if it sends SMS) and the code. Borrowed for the call. */
struct portal_otp_message {
    int64_t resident_id;
    const char *resident_code;
    const char *otp; /* PORTAL_CODE_LEN digits */
    int64_t expires_ms;
    const char *request_id;
};

/*
 * A way to deliver codes: an SMS gateway later, the log sender now. send()
 * is called after the code's transaction committed, from the request's
 * thread; it should not block for long (queue, then return). An error is
 * logged and the request still gets its ordinary reply (no enumeration).
 */
struct portal_sender {
    const char *name;
    int (*send)(void *ctx, struct store *st, const struct portal_otp_message *m,
                struct ms_err *err);
    void *ctx;
};

/*
 * The demo's sender: writes the code to the server log as one line,
 *     {"level":"warn","event":"portal.otp.demo_code","resident":"<code>","otp":"123456",...}
 * the only log line that ever carries a code. For a demo or a test machine
 * only: anyone who reads the log can log in as the resident.
 */
extern const struct portal_sender portal_log_sender;

/* Sets the process's sender (NULL: back to portal_log_sender). Not
 * thread-safe: call before serving. */
void portal_set_sender(const struct portal_sender *sender);

/* --- codes and sessions ----------------------------------------------------- */

struct portal_otp_in {
    const char *id_number; /* as typed: 18 characters, or 15 digits */
    const char *ip;
    const char *request_id;
    int64_t now_ms; /* 0: the clock */
};

/* What the (always identical) reply says. */
struct portal_otp_out {
    int64_t ttl_minutes;
    int resend_after_s;
};

/* Asks for a code. 0 whether or not the number is registered. Errors:
 * MS_EMISSING / MS_EFIELD (field "id_number": not a valid ID number),
 * MS_ERATE (a limit reached; same for registered and unregistered). */
int portal_otp_request(struct store *st, const struct portal_otp_in *in, struct portal_otp_out *out,
                       struct ms_err *err);

struct portal_login_in {
    const char *id_number;
    const char *code; /* as typed */
    const char *ip;
    const char *user_agent; /* kept, cut to 200 bytes */
    const char *request_id;
    int64_t now_ms; /* 0: the clock */
};

struct portal_session {
    int64_t id;
    const char *token; /* "r." and 43 base64url characters; in arena; shown once */
    int64_t expires_ms;
    int64_t idle_timeout_ms;
    int64_t resident_id;
    char resident_code[MS_RESCODE_LEN + 1];
};

/* Logs in. Errors: MS_EMISSING / MS_EFIELD (id_number, code), MS_ECODE,
 * MS_EATTEMPTS. */
int portal_login(struct store *st, const struct portal_login_in *in, struct ms_arena *arena,
                 struct portal_session *out, struct ms_err *err);

/* Ends the session (audited as portal.logout by actor). */
int portal_logout(struct store *st, int64_t session_id, const struct ms_actor *actor,
                  struct ms_err *err);

/* Resolves a token (now_ms 0: the clock). MS_EAUTH for a malformed,
 * unknown, revoked, expired or idle session, or a resident no longer
 * living. */
int portal_session_resolve(struct store *st, const char *token, int64_t now_ms,
                           struct ms_arena *arena, struct portal_session *out, struct ms_err *err);

/* The authenticator for ROUTE_RESIDENT routes (module table). */
int portal_http_authenticate(struct store *st, const char *token, struct ms_arena *arena,
                             struct http_principal *out, struct ms_err *err);

/* --- the resident's own record ---------------------------------------------- */

struct portal_member {
    const char *name_masked; /* rules.md §11.5: "张**" */
    const char *relation;    /* to the household head, registry's words */
    int is_self;
};

struct portal_event {
    const char *kind, *date, *source_module;
};

struct portal_me {
    const char *code;
    const char *name; /* the resident's own name, in full */
    const char *sex;
    const char *birth_date;
    int age;
    const char *id_number_masked; /* 6+4 */
    const char *phone_masked;     /* "" if none */
    const char *hukou_type;
    const char *status;
    const char *region_code;
    const char *place;             /* "万东镇 / 幸福村", "" if the code names no place */
    const char *address;           /* the detail line */
    struct portal_member *members; /* the household, the resident included */
    size_t n_members;
    struct portal_event *events; /* the timeline, oldest first (kind and date only) */
    size_t n_events;
};

/* The resident's own record, masked, and in *read the audit entry to
 * record before showing it (action portal.me). MS_ENOTFOUND if the resident
 * is gone. */
int portal_me_get(struct store *st, int64_t resident_id, struct ms_arena *arena,
                  struct portal_me *out, struct audit_entry *read, struct ms_err *err);

extern const struct ms_module portal_module;

#endif
