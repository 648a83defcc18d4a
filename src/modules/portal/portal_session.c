/*
 * portal_session.c - resident sessions: opening one at login, resolving a
 * token on every portal request, logging out, and the authenticator the
 * HTTP server calls for ROUTE_RESIDENT routes.
 *
 * Shaped like the staff sessions of accounts_session.c (a random token
 * shown once, stored as its BLAKE2b-256 hash; idle and absolute limits from
 * the policy table; the last-seen time written at most once a minute), but
 * in a table of their own, so a resident token can never be resolved to a
 * staff user. Resident tokens start with "r.", which no staff token does
 * (those are exactly 43 base64url characters), so even a token sent to the
 * wrong kind of route is refused before any query.
 */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "modules/audit/audit.h"
#include "modules/portal/portal_int.h"
#include "modules/portal/portal_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define TOKEN_PREFIX   "r."
#define TOKEN_BYTES    32
#define TOKEN_B64      43 /* base64url of 32 bytes, no padding */
#define TOKEN_CHARS    (2 + TOKEN_B64)
#define TOKEN_HASH_HEX 64
#define TOUCH_EVERY_MS 60000

static void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, TOKEN_HASH_HEX + 1, h, sizeof(h));
}

static int is_token_shaped(const char *t)
{
    if (strncmp(t, TOKEN_PREFIX, 2) != 0)
        return 0;
    size_t n = 2;
    for (; t[n]; n++) {
        char c = t[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return n == TOKEN_CHARS;
}

int portal__session_open(struct store *st, const struct portal__limits *l, int64_t resident_id,
                         const char *ip, const char *user_agent, int64_t now_ms,
                         struct ms_arena *arena, struct portal_session *out, struct ms_err *err)
{
    unsigned char raw[TOKEN_BYTES];
    char hash[TOKEN_HASH_HEX + 1];
    char *token = ms_arena_alloc(arena, TOKEN_CHARS + 1);
    memcpy(token, TOKEN_PREFIX, 2);
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token + 2, TOKEN_B64 + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    token_hash(token, hash);
    out->token = token;
    out->expires_ms = now_ms + l->max_ms;
    out->idle_timeout_ms = l->idle_ms;

    struct store_stmt *s;
    if (store_prepare(st, portal_sql_session_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, hash);
    store_bind_int64(s, 2, resident_id);
    store_bind_int64(s, 3, now_ms);
    store_bind_int64(s, 4, now_ms);
    store_bind_int64(s, 5, out->expires_ms);
    store_bind_text(s, 6, ip ? ip : "");
    store_bind_textn(s, 7, user_agent ? user_agent : "", user_agent ? strnlen(user_agent, 200) : 0);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        out->id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct logout_ctx {
    int64_t session_id;
    const struct ms_actor *actor;
};

static int logout_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct logout_ctx *c = ctx;
    struct store_stmt *s;
    char id[24];
    if (store_prepare(st, portal_sql_session_revoke, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, ms_clock_now_ms());
    store_bind_int64(s, 2, c->session_id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)c->session_id);
    struct audit_entry e = {.action = "portal.logout",
                            .object_type = "portal_session",
                            .object_id = id,
                            .subject = c->actor->username,
                            .result = "ok"};
    return audit_append(st, c->actor, &e, err);
}

int portal_logout(struct store *st, int64_t session_id, const struct ms_actor *actor,
                  struct ms_err *err)
{
    struct logout_ctx c = {session_id, actor};
    return store_tx(st, logout_tx, &c, err);
}

static int session_invalid(struct ms_err *err, const char *why)
{
    int ret = ms_err_set(err, MS_EAUTH, "%s", why);
    ms_err_zh(err, "登录已失效，请重新登录");
    return ret;
}

static void touch(struct store *st, int64_t session_id, int64_t now_ms)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    if (store_prepare(st, portal_sql_session_touch, &s, &err) < 0)
        return;
    store_bind_int64(s, 1, now_ms);
    store_bind_int64(s, 2, session_id);
    /* Best effort: a busy database only delays the idle clock by a minute. */
    if (store_step(s, &err) < 0)
        ms_log(MS_LOG_DEBUG, "portal.touch_failed", "{s:s}", "detail", err.message);
    store_reset(s);
}

int portal_session_resolve(struct store *st, const char *token, int64_t now_ms,
                           struct ms_arena *arena, struct portal_session *out, struct ms_err *err)
{
    char hash[TOKEN_HASH_HEX + 1];
    struct portal__limits limits;
    struct store_stmt *s;
    (void)arena;
    memset(out, 0, sizeof(*out));
    if (!now_ms)
        now_ms = ms_clock_now_ms();
    if (!is_token_shaped(token))
        return session_invalid(err, "malformed resident session token");
    if (portal__read_limits(st, &limits, err) < 0)
        return err->code;
    token_hash(token, hash);
    if (store_prepare(st, portal_sql_session_resolve, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, hash);
    int rc = store_step(s, err);
    int64_t last_seen = 0;
    int is_deceased = 0;
    if (rc == STORE_ROW) {
        out->id = store_col_int64(s, 0);
        last_seen = store_col_int64(s, 1);
        out->expires_ms = store_col_int64(s, 2);
        out->resident_id = store_col_int64(s, 3);
        snprintf(out->resident_code, sizeof(out->resident_code), "%s", store_col_text(s, 4));
        is_deceased = strcmp(store_col_text(s, 5), "deceased") == 0;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return session_invalid(err, "unknown or revoked resident session");
    if (now_ms >= out->expires_ms)
        return session_invalid(err, "resident session expired");
    if (now_ms - last_seen >= limits.idle_ms)
        return session_invalid(err, "resident session idle for too long");
    if (is_deceased)
        return session_invalid(err, "resident no longer living");
    out->idle_timeout_ms = limits.idle_ms;
    if (now_ms - last_seen > TOUCH_EVERY_MS)
        touch(st, out->id, now_ms);
    return 0;
}

int portal_http_authenticate(struct store *st, const char *token, struct ms_arena *arena,
                             struct http_principal *out, struct ms_err *err)
{
    static const char *const perms[] = {PORTAL_PERMISSION};
    struct portal_session s;
    if (portal_session_resolve(st, token, 0, arena, &s, err) < 0)
        return err->code;
    out->user_id = 0; /* not a staff user */
    out->resident_id = s.resident_id;
    out->session_id = s.id;
    out->username = ms_arena_strdup(arena, s.resident_code); /* the audit actor */
    out->display_name = "";
    out->role = PORTAL_ROLE;
    /* Not a region prefix: were a resident principal ever handed to a
     * staff function, its scope check would fail instead of meaning
     * "everywhere" as "" does. */
    out->scope = "-";
    out->permissions = perms;
    out->n_permissions = 1;
    return 0;
}
