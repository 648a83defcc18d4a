/*
 * accounts_int.h - shared between the accounts module's files.
 */
#ifndef MS_ACCOUNTS_INT_H
#define MS_ACCOUNTS_INT_H

#include <sodium.h>

#include "modules/accounts/accounts.h"
#include "modules/module.h"

struct store_stmt;

extern const struct http_route accounts_http_routes[];
extern const struct cli_command accounts_cli_commands[];
extern const struct store_migration accounts_migrations[];
int accounts_http_authenticate(struct store *st, const char *token, struct ms_arena *arena,
                               struct http_principal *out, struct ms_err *err);

#define ACCOUNTS_HASH_MAX crypto_pwhash_STRBYTES

/* argon2id of password into out; at most two hashes run at once. */
int accounts__hash_password(const char *password, char out[ACCOUNTS_HASH_MAX], struct ms_err *err);

/* 1 if password matches hash. Runs a full hash even for an empty hash, so
 * unknown users take as long as known ones. */
int accounts__verify_password(const char *hash, const char *password);

/* Reads the USER_COLUMNS of accounts_sql.c from the current row. */
void accounts__read_user(struct store_stmt *s, struct ms_arena *arena, int64_t now_ms,
                         struct accounts_user *out);

/* The role's permissions, sorted, in arena. */
int accounts__load_permissions(struct store *st, const char *role, struct ms_arena *arena,
                               const char ***perms, size_t *n, struct ms_err *err);

/* Revokes every session of user_id except keep_session_id (0: all). */
int accounts__revoke_sessions(struct store *st, int64_t user_id, int64_t keep_session_id,
                              struct ms_err *err);

#endif
