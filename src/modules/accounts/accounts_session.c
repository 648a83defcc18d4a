/*
 * accounts_session.c - logging in and out, and resolving a token on every
 * authenticated request.
 *
 * Resolution is on the hot path: one indexed join and one small permission
 * query, policy limits from the process cache, and a write only when the
 * session's last-seen time is more than TOUCH_EVERY_MS old, so idle
 * tracking costs at most one write a minute per session.
 */
#include "modules/accounts/accounts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "modules/accounts/accounts_int.h"
#include "modules/accounts/accounts_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "store/store.h"
#include "core/banned.h"

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* base64url without padding */
#define TOKEN_HASH_HEX 64
#define TOUCH_EVERY_MS 60000

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int accounts__load_permissions(struct store *st, const char *role, struct ms_arena *arena,
                               const char ***perms, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    if (store_prepare(st, accounts_sql_role_permissions, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, role);
    *perms = ms_arena_calloc(arena, cap, sizeof(char *));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            const char **bigger = ms_arena_calloc(arena, cap * 2, sizeof(char *));
            memcpy(bigger, *perms, cap * sizeof(char *));
            *perms = bigger;
            cap *= 2;
        }
        (*perms)[(*n)++] = ms_arena_strdup(arena, store_col_text(s, 0));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    /* Sorted in C: the engines' collations may differ. */
    qsort(*perms, *n, sizeof(char *), cmp_str);
    return 0;
}

/*
 * Each worker thread keeps its roles' permissions and the session limits for
 * CACHE_TTL_MS, so resolving a session is one indexed query. A change to a
 * role's permissions or to the auth.* policy therefore takes effect within
 * that time; disabling an account or revoking a session is immediate (it is
 * in the session query).
 */
#define CACHE_TTL_MS 5000.0
#define ROLE_CACHE_SLOTS 8

struct role_cache {
    char role[64];
    char **perms; /* malloc'd: the thread's cache owns them */
    size_t n;
    double expires_ms;
};

static __thread struct role_cache role_cache[ROLE_CACHE_SLOTS];
static __thread size_t role_cache_next;

/* Runs when a thread that used the cache exits (pthread key destructor). */
static void role_cache_release(void *unused)
{
    (void)unused;
    for (size_t i = 0; i < ROLE_CACHE_SLOTS; i++) {
        for (size_t j = 0; j < role_cache[i].n; j++)
            free(role_cache[i].perms[j]);
        free(role_cache[i].perms);
        memset(&role_cache[i], 0, sizeof(role_cache[i]));
    }
}

static pthread_key_t role_cache_key;
static pthread_once_t role_cache_once = PTHREAD_ONCE_INIT;

static void role_cache_make_key(void)
{
    pthread_key_create(&role_cache_key, role_cache_release);
}

static void role_cache_put(const char *role, const char *const *perms, size_t n)
{
    if (strlen(role) >= sizeof(role_cache[0].role))
        return;
    pthread_once(&role_cache_once, role_cache_make_key);
    pthread_setspecific(role_cache_key, role_cache); /* non-NULL: run the destructor */
    struct role_cache *c = &role_cache[role_cache_next++ % ROLE_CACHE_SLOTS];
    for (size_t i = 0; i < c->n; i++)
        free(c->perms[i]);
    free(c->perms);
    c->perms = ms_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        c->perms[i] = ms_xstrdup(perms[i]);
    c->n = n;
    snprintf(c->role, sizeof(c->role), "%s", role);
    c->expires_ms = ms_clock_mono_ms() + CACHE_TTL_MS;
}

/* The role's permissions from this thread's cache, copied into arena. */
static int role_cache_get(const char *role, struct ms_arena *arena, const char ***perms,
                          size_t *n)
{
    double now = ms_clock_mono_ms();
    for (size_t i = 0; i < ROLE_CACHE_SLOTS; i++) {
        struct role_cache *c = &role_cache[i];
        if (c->expires_ms > now && strcmp(c->role, role) == 0) {
            /* The strings stay the cache's: a slot is only replaced by this
             * thread's next miss, never during this request. */
            *perms = ms_arena_memdup(arena, c->perms, (c->n ? c->n : 1) * sizeof(char *));
            *n = c->n;
            return 1;
        }
    }
    return 0;
}

static void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, TOKEN_HASH_HEX + 1, h, sizeof(h));
}

static int is_token_shaped(const char *t)
{
    size_t n = 0;
    for (; t[n]; n++) {
        char c = t[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return n == TOKEN_CHARS;
}

struct limits {
    int64_t lock_failures, lock_ms, idle_ms, max_ms;
};

static int read_limits(struct store *st, struct limits *l, struct ms_err *err)
{
    int64_t fails, lock_min, idle_min, max_h;
    if (policy_get_int(st, "auth.lockout_failures", NULL, &fails, err) < 0 ||
        policy_get_int(st, "auth.lockout_minutes", NULL, &lock_min, err) < 0 ||
        policy_get_int(st, "auth.session_idle_minutes", NULL, &idle_min, err) < 0 ||
        policy_get_int(st, "auth.session_max_hours", NULL, &max_h, err) < 0)
        return err->code;
    l->lock_failures = fails;
    l->lock_ms = lock_min * 60000;
    l->idle_ms = idle_min * 60000;
    l->max_ms = max_h * 3600000;
    return 0;
}

/* The outcome of a login attempt, decided outside the transaction (the
 * password check is slow) and recorded inside it. */
enum login_outcome { LOGIN_OK, LOGIN_UNKNOWN, LOGIN_BAD_PASSWORD, LOGIN_LOCKED, LOGIN_DISABLED };

struct login_ctx {
    const struct accounts_login_in *in;
    enum login_outcome outcome;
    struct limits limits;
    struct accounts_session *out;
    const char *token_hash;
    int64_t now_ms;
    int is_now_locked;
};

static int record_failure(struct store *st, struct login_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_login_failed, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->user.id);
    int rc = store_step(s, err);
    int64_t fails = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (fails < c->limits.lock_failures)
        return 0;
    if (store_prepare(st, accounts_sql_login_lock, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->now_ms + c->limits.lock_ms);
    store_bind_int64(s, 2, c->out->user.id);
    rc = store_step(s, err);
    store_reset(s);
    c->is_now_locked = 1;
    return rc < 0 ? rc : 0;
}

static int open_session(struct store *st, struct login_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    char now[MS_TS_LEN + 1];
    ms_clock_format(c->now_ms, now);
    if (store_prepare(st, accounts_sql_login_ok, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_int64(s, 2, c->out->user.id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (store_prepare(st, accounts_sql_session_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->token_hash);
    store_bind_int64(s, 2, c->out->user.id);
    store_bind_int64(s, 3, c->now_ms);
    store_bind_int64(s, 4, c->now_ms);
    store_bind_int64(s, 5, c->out->expires_ms);
    store_bind_text(s, 6, c->in->ip ? c->in->ip : "");
    store_bind_textn(s, 7, c->in->user_agent ? c->in->user_agent : "",
                     c->in->user_agent ? strnlen(c->in->user_agent, 200) : 0);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->out->id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int login_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct login_ctx *c = ctx;
    static const char *results[] = {"ok", "failed:unknown_user", "failed:bad_password",
                                    "denied:locked", "denied:disabled"};
    int rc = 0;
    c->is_now_locked = 0;
    if (c->outcome == LOGIN_BAD_PASSWORD)
        rc = record_failure(st, c, err);
    else if (c->outcome == LOGIN_OK)
        rc = open_session(st, c, err);
    if (rc < 0)
        return rc;
    struct ms_actor actor = {c->outcome == LOGIN_UNKNOWN ? 0 : c->out->user.id, c->in->username,
                             c->outcome == LOGIN_UNKNOWN ? "" : c->out->user.role,
                             c->in->ip ? c->in->ip : "",
                             c->in->request_id ? c->in->request_id : ""};
    struct audit_entry e = {.action = "session.login", .object_type = "user",
                            .object_id = c->in->username, .result = results[c->outcome],
                            .detail = c->is_now_locked ? "account locked" : NULL};
    return audit_append(st, &actor, &e, err);
}

/* Looks the user up and checks the password, without writing. */
static int login_decide(struct store *st, struct login_ctx *c, struct ms_arena *arena,
                        struct ms_err *err)
{
    struct store_stmt *s;
    char hash[ACCOUNTS_HASH_MAX] = "";
    int64_t locked_until = 0;
    if (store_prepare(st, accounts_sql_user_for_login, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->in->username);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        accounts__read_user(s, arena, c->now_ms, &c->out->user);
        locked_until = c->out->user.is_locked ? 1 : 0;
        snprintf(hash, sizeof(hash), "%s", store_col_text(s, 11));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW) {
        accounts__verify_password(NULL, c->in->password); /* same cost as a real check */
        c->outcome = LOGIN_UNKNOWN;
    } else if (locked_until) {
        c->outcome = LOGIN_LOCKED;
    } else if (!accounts__verify_password(hash, c->in->password)) {
        c->outcome = LOGIN_BAD_PASSWORD;
    } else if (c->out->user.is_disabled) {
        c->outcome = LOGIN_DISABLED;
    } else {
        c->outcome = LOGIN_OK;
    }
    sodium_memzero(hash, sizeof(hash));
    return 0;
}

static int login_error(struct login_ctx *c, struct ms_err *err)
{
    int rc;
    switch (c->outcome) {
    case LOGIN_OK:
        return 0;
    case LOGIN_LOCKED:
        rc = ms_err_set(err, MS_ELOCKED, "account locked after repeated failed logins");
        ms_err_zh(err, "登录失败次数过多，账号已锁定 %lld 分钟，请稍后再试或联系安全管理员",
                  (long long)(c->limits.lock_ms / 60000));
        return rc;
    case LOGIN_DISABLED:
        return ms_err_set(err, MS_EDISABLED, "account disabled");
    default:
        if (c->is_now_locked) {
            rc = ms_err_set(err, MS_ELOCKED, "wrong password; account now locked");
            ms_err_zh(err, "密码错误次数过多，账号已锁定 %lld 分钟",
                      (long long)(c->limits.lock_ms / 60000));
            return rc;
        }
        return ms_err_set(err, MS_ECRED, "wrong username or password");
    }
}

int accounts_login(struct store *st, const struct accounts_login_in *in, struct ms_arena *arena,
                   struct accounts_session *out, struct ms_err *err)
{
    unsigned char raw[TOKEN_BYTES];
    char *token = ms_arena_alloc(arena, TOKEN_CHARS + 1);
    char hash[TOKEN_HASH_HEX + 1];
    struct login_ctx c = {.in = in, .out = out, .now_ms = ms_clock_now_ms()};

    memset(out, 0, sizeof(*out));
    if (read_limits(st, &c.limits, err) < 0 || login_decide(st, &c, arena, err) < 0)
        return err->code;
    if (c.outcome == LOGIN_OK) {
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(token, TOKEN_CHARS + 1, raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        token_hash(token, hash);
        c.token_hash = hash;
        out->token = token;
        out->expires_ms = c.now_ms + c.limits.max_ms;
        out->idle_timeout_ms = c.limits.idle_ms;
    }
    if (store_tx(st, login_tx, &c, err) < 0)
        return err->code;
    if (c.outcome != LOGIN_OK)
        return login_error(&c, err);
    return accounts__load_permissions(st, out->user.role, arena, &out->permissions,
                                      &out->n_permissions, err);
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
    if (store_prepare(st, accounts_sql_session_revoke, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, ms_clock_now_ms());
    store_bind_int64(s, 2, c->session_id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)c->session_id);
    struct audit_entry e = {.action = "session.logout", .object_type = "session",
                            .object_id = id, .result = "ok"};
    return audit_append(st, c->actor, &e, err);
}

int accounts_logout(struct store *st, int64_t session_id, const struct ms_actor *actor,
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
    if (store_prepare(st, accounts_sql_session_touch, &s, &err) < 0)
        return;
    store_bind_int64(s, 1, now_ms);
    store_bind_int64(s, 2, session_id);
    /* Best effort: a busy database only delays the idle clock by a minute. */
    if (store_step(s, &err) < 0)
        ms_log(MS_LOG_DEBUG, "accounts.touch_failed", "{s:s}", "detail", err.message);
    store_reset(s);
}

int accounts_session_resolve(struct store *st, const char *token, struct ms_arena *arena,
                             struct accounts_session *out, struct ms_err *err)
{
    char hash[TOKEN_HASH_HEX + 1];
    struct store_stmt *s;
    struct limits limits;
    int64_t now = ms_clock_now_ms();

    memset(out, 0, sizeof(*out));
    if (!is_token_shaped(token))
        return session_invalid(err, "malformed session token");
    if (read_limits(st, &limits, err) < 0)
        return err->code;
    token_hash(token, hash);
    if (store_prepare(st, accounts_sql_session_resolve, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, hash);
    int rc = store_step(s, err);
    int64_t last_seen = 0;
    if (rc == STORE_ROW) {
        out->id = store_col_int64(s, 0);
        last_seen = store_col_int64(s, 1);
        out->expires_ms = store_col_int64(s, 2);
        out->user.id = store_col_int64(s, 3);
        out->user.username = ms_arena_strdup(arena, store_col_text(s, 4));
        out->user.display_name = ms_arena_strdup(arena, store_col_text(s, 5));
        out->user.role = ms_arena_strdup(arena, store_col_text(s, 6));
        out->user.scope = ms_arena_strdup(arena, store_col_text(s, 7));
        out->user.is_disabled = store_col_int64(s, 8) != 0;
        out->user.must_change_password = store_col_int64(s, 9) != 0;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return session_invalid(err, "unknown or revoked session");
    if (now >= out->expires_ms)
        return session_invalid(err, "session expired");
    if (now - last_seen >= limits.idle_ms)
        return session_invalid(err, "session idle for too long");
    if (out->user.is_disabled)
        return ms_err_set(err, MS_EDISABLED, "account disabled");
    out->idle_timeout_ms = limits.idle_ms;
    if (now - last_seen > TOUCH_EVERY_MS)
        touch(st, out->id, now);
    if (role_cache_get(out->user.role, arena, &out->permissions, &out->n_permissions))
        return 0;
    if (accounts__load_permissions(st, out->user.role, arena, &out->permissions,
                                   &out->n_permissions, err) < 0)
        return err->code;
    role_cache_put(out->user.role, out->permissions, out->n_permissions);
    return 0;
}
