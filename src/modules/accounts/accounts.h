/*
 * accounts.h - users, roles, passwords and sessions.
 *
 * A user has one role; a role is a set of permissions (role_permissions);
 * a user may have a data scope, a region-code prefix that queries apply
 * inside their WHERE clauses. Passwords are argon2id (libsodium, interactive
 * limits: ~90 ms and 64 MiB each, so at most two are computed at once).
 * Session tokens are 32 random bytes in base64url, shown once and stored as
 * their BLAKE2b-256 hash. Idle timeout, absolute lifetime and lock-out come
 * from the policy table (auth.*).
 *
 * Every change, every login attempt and every read of a user record is
 * audited. Results in a `struct ms_arena` live in that arena.
 */
#ifndef MS_ACCOUNTS_H
#define MS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct ms_module;
struct audit_entry;

struct accounts_user {
    int64_t id;
    const char *username;
    const char *display_name;
    const char *role;
    const char *scope;       /* "" for the whole district */
    int is_disabled;
    int is_locked;           /* locked out by failed logins, now */
    int must_change_password;
    int64_t failed_logins;
    const char *created_at;
    const char *last_login_at; /* "" if never */
};

struct accounts_user_new {
    const char *username;     /* [a-z][a-z0-9_.-]{1,31} */
    const char *display_name; /* NULL: the username */
    const char *role;         /* an existing role */
    const char *scope;        /* NULL or digits, at most 12 */
    const char *password;     /* checked against the password policy */
    int must_change_password;
};

int accounts_user_add(struct store *st, const struct accounts_user_new *in,
                      const struct ms_actor *actor, int64_t *id_out, struct ms_err *err);

/* All users, by username. */
int accounts_user_list(struct store *st, struct ms_arena *arena, struct accounts_user **users,
                       size_t *n, struct ms_err *err);

/* One user. A user record is personal data: *read is filled with the audit
 * entry for this read, which the caller must record (audit_record_read(), or
 * audit_http_reply_when_recorded()) before showing the record. */
int accounts_user_get(struct store *st, const char *username, struct ms_arena *arena,
                      struct accounts_user *out, struct audit_entry *read, struct ms_err *err);

/* Sets a new password and revokes all the user's sessions. */
int accounts_user_set_password(struct store *st, const char *username, const char *password,
                               const struct ms_actor *actor, struct ms_err *err);

/* Disables the account and revokes its sessions at once. */
int accounts_user_disable(struct store *st, const char *username, const struct ms_actor *actor,
                          struct ms_err *err);

/* Changes one's own password after checking the old one; revokes the user's
 * other sessions. */
int accounts_change_own_password(struct store *st, int64_t user_id, int64_t session_id,
                                 const char *old_password, const char *new_password,
                                 const struct ms_actor *actor, struct ms_err *err);

/* MS_EPASSWORD unless password meets the policy (length from
 * auth.password_min_length, letters and digits, not the username). */
int accounts_password_check(struct store *st, const char *username, const char *password,
                            struct ms_err *err);

struct accounts_login_in {
    const char *username;
    const char *password;
    const char *ip;
    const char *user_agent;
    const char *request_id;
};

struct accounts_session {
    int64_t id;
    const char *token;       /* only from accounts_login(); never stored */
    int64_t expires_ms;
    int64_t idle_timeout_ms;
    struct accounts_user user;
    const char **permissions; /* sorted */
    size_t n_permissions;
};

/* Checks the password and opens a session. MS_ECRED for an unknown user or a
 * wrong password (the same message for both), MS_ELOCKED while locked out,
 * MS_EDISABLED for a disabled account. Every outcome is audited. */
int accounts_login(struct store *st, const struct accounts_login_in *in, struct ms_arena *arena,
                   struct accounts_session *out, struct ms_err *err);

/* Revokes a session (logout). */
int accounts_logout(struct store *st, int64_t session_id, const struct ms_actor *actor,
                    struct ms_err *err);

/* Resolves a token to its live session: MS_EAUTH if unknown, revoked,
 * expired or idle too long; MS_EDISABLED if the account was disabled. */
int accounts_session_resolve(struct store *st, const char *token, struct ms_arena *arena,
                             struct accounts_session *out, struct ms_err *err);

/* A live session as 在线用户 shows it. Never carries the token or its hash. */
struct accounts_session_info {
    int64_t id;
    const char *username;
    const char *display_name;
    const char *role;
    const char *scope;
    const char *ip;
    const char *user_agent;
    int64_t created_ms;   /* the login */
    int64_t last_seen_ms; /* last request, to within a minute (TOUCH_EVERY_MS) */
    int64_t expires_ms;   /* the absolute end; the idle timeout may come first */
};

struct accounts_session_query {
    const char *username; /* exact, or NULL for everyone */
    int page;             /* from 1 */
    int page_size;        /* 1..100 */
};

/* One page of the live sessions (not revoked, expired, idle too long, or of a
 * disabled account), newest first, and how many there are in all. Rows live
 * in arena. */
int accounts_session_list(struct store *st, const struct accounts_session_query *q,
                          struct ms_arena *arena, struct accounts_session_info **rows,
                          size_t *n, int64_t *total, struct ms_err *err);

/* Force logout: revokes another person's live session at once (its next
 * request gets 401), audited as session.revoke with the session's owner as
 * the subject. MS_ENOTFOUND if no live session has that id; MS_ECONFLICT for
 * own_session_id, the caller's own session (they log out instead). */
int accounts_session_revoke(struct store *st, int64_t session_id, int64_t own_session_id,
                            const struct ms_actor *actor, struct ms_err *err);

/* MS_EINTEGRITY if a role can both manage users and read the audit log. */
int accounts_check_separation(struct store *st, struct ms_err *err);

/*
 * 角色管理 (accounts_roles.c). A role's data scope is not the role's: each
 * user carries their own region prefix, so a role shows the scopes its
 * enabled users hold, with how many users hold each.
 */
struct accounts_permission {
    const char *name; /* "registry:resident:export" */
    const char *title_zh;
    const char *title_en;
    int is_reserved;  /* system:* and audit:*, kept to the three system roles */
};

struct accounts_role_scope {
    const char *scope; /* "" for the whole district */
    int64_t users;
};

struct accounts_role {
    const char *name;
    const char *title_zh;
    const char *title_en;
    int is_builtin;
    int is_editable;          /* not one of admin, security_admin, auditor */
    const char **permissions; /* sorted */
    size_t n_permissions;
    struct accounts_role_scope *scopes;
    size_t n_scopes;
};

struct accounts_roles {
    struct accounts_role *roles;
    size_t n_roles;
    struct accounts_permission *permissions; /* every permission, by name */
    size_t n_permissions;
};

/* Every role with its permissions and its users' scopes, and every
 * permission. Everything lives in arena. */
int accounts_role_list(struct store *st, struct ms_arena *arena, struct accounts_roles *out,
                       struct ms_err *err);

struct accounts_role_change {
    const char *role;
    const char *const *permissions; /* the whole new set */
    size_t n_permissions;
    const char *reason;             /* kept as the audit entry's purpose */
};

/* Replaces a business role's permissions in one transaction, audited as
 * role.set_permissions (detail: what was added and removed). Refused:
 * MS_ENOTFOUND for an unknown role; MS_ECONFLICT for admin, security_admin
 * and auditor (the three-role separation is fixed by migration) and for the
 * actor's own role; MS_EFIELD (field "permissions[i]") for an unknown,
 * repeated or reserved permission. *changed is 0 when the set is the same
 * (nothing is written, not even an audit entry). */
int accounts_role_set_permissions(struct store *st, const struct accounts_role_change *in,
                                  const struct ms_actor *actor, struct ms_arena *arena,
                                  int *changed, struct ms_err *err);

extern const struct ms_module accounts_module;

#endif
