/*
 * accounts.c - users and passwords: validation, argon2id hashing (rationed,
 * since each hash takes ~90 ms and 64 MiB), and the audited changes.
 */
#include "modules/accounts/accounts.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "modules/accounts/accounts_int.h"
#include "modules/accounts/accounts_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "store/store.h"
#include "core/banned.h"

#define HASHES_AT_ONCE 2
#define PASSWORD_MAX_CHARS 128
#define DISPLAY_NAME_MAX_CHARS 64

/* --- password hashing -------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int running;
} hash_gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static char dummy_hash[ACCOUNTS_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void gate_enter(void)
{
    pthread_mutex_lock(&hash_gate.lock);
    while (hash_gate.running >= HASHES_AT_ONCE)
        pthread_cond_wait(&hash_gate.freed, &hash_gate.lock);
    hash_gate.running++;
    pthread_mutex_unlock(&hash_gate.lock);
}

static void gate_leave(void)
{
    pthread_mutex_lock(&hash_gate.lock);
    hash_gate.running--;
    pthread_cond_signal(&hash_gate.freed);
    pthread_mutex_unlock(&hash_gate.lock);
}

int accounts__hash_password(const char *password, char out[ACCOUNTS_HASH_MAX], struct ms_err *err)
{
    gate_enter();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    gate_leave();
    if (rc != 0)
        return ms_err_set(err, MS_EINTERNAL, "password hashing failed (out of memory?)");
    return 0;
}

/* A hash of a random password nobody knows: verifying against it costs what
 * verifying a real user costs, so response time does not reveal usernames. */
static void make_dummy_hash(void)
{
    unsigned char raw[16];
    char random[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(random, sizeof(random), raw, sizeof(raw));
    if (crypto_pwhash_str(dummy_hash, random, strlen(random), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0'; /* verification then fails at once; timing is all we lose */
}

int accounts__verify_password(const char *hash, const char *password)
{
    int is_dummy = !hash || !*hash;
    if (is_dummy) {
        pthread_once(&dummy_once, make_dummy_hash);
        hash = dummy_hash;
    }
    gate_enter();
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    gate_leave();
    return ok && !is_dummy;
}

/* --- validation ---------------------------------------------------------------- */

static int bad_field(struct ms_err *err, int code, const char *field, const char *zh,
                     const char *en)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

static int check_username(const char *u, struct ms_err *err)
{
    size_t n = strlen(u);
    int ok = n >= 2 && n <= 32 && u[0] >= 'a' && u[0] <= 'z';
    for (size_t i = 0; ok && i < n; i++)
        ok = (u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') || u[i] == '_' ||
             u[i] == '.' || u[i] == '-';
    if (ok)
        return 0;
    return bad_field(err, MS_EFIELD, "username",
                     "用户名应为 2 至 32 位小写字母、数字或 _ . -，并以字母开头",
                     "username must be 2-32 characters of a-z, 0-9, _ . - starting with a letter");
}

static int check_scope(const char *scope, struct ms_err *err)
{
    size_t n = strlen(scope);
    int ok = n <= 12;
    for (size_t i = 0; ok && i < n; i++)
        ok = scope[i] >= '0' && scope[i] <= '9';
    if (ok)
        return 0;
    return bad_field(err, MS_EFIELD, "scope", "数据范围应为统计用区划代码前缀（最多 12 位数字）",
                     "scope must be a region-code prefix of at most 12 digits");
}

static int check_display_name(const char *name, struct ms_err *err)
{
    size_t chars = ms_utf8_chars(name);
    int ok = chars >= 1 && chars <= DISPLAY_NAME_MAX_CHARS &&
             ms_utf8_is_valid(name, strlen(name));
    for (const unsigned char *p = (const unsigned char *)name; ok && *p; p++)
        ok = *p >= 0x20 && *p != 0x7f;
    if (ok)
        return 0;
    return bad_field(err, MS_EFIELD, "display_name", "姓名应为 1 至 64 个字符，且不含控制字符",
                     "display name must be 1-64 characters without control characters");
}

int accounts_password_check(struct store *st, const char *username, const char *password,
                            struct ms_err *err)
{
    int64_t min_len = 12;
    if (policy_get_int(st, "auth.password_min_length", NULL, &min_len, err) < 0)
        return err->code;
    size_t chars = ms_utf8_chars(password);
    int has_letter = 0, has_digit = 0;
    for (const char *p = password; *p; p++) {
        has_letter |= isalpha((unsigned char)*p) != 0;
        has_digit |= isdigit((unsigned char)*p) != 0;
    }
    if ((int64_t)chars < min_len || chars > PASSWORD_MAX_CHARS || !has_letter || !has_digit ||
        (username && strcmp(username, password) == 0)) {
        int ret = ms_err_field(err, MS_EPASSWORD, "password",
                               "password must be %lld-%d characters with letters and digits, and "
                               "not the username",
                               (long long)min_len, PASSWORD_MAX_CHARS);
        ms_err_zh(err, "密码应为 %lld 至 %d 位，同时包含字母和数字，且不能与用户名相同",
                  (long long)min_len, PASSWORD_MAX_CHARS);
        return ret;
    }
    return 0;
}

/* --- reading ------------------------------------------------------------------- */

void accounts__read_user(struct store_stmt *s, struct ms_arena *arena, int64_t now_ms,
                         struct accounts_user *out)
{
    out->id = store_col_int64(s, 0);
    out->username = store_col_dup(s, 1, arena);
    out->display_name = store_col_dup(s, 2, arena);
    out->role = store_col_dup(s, 3, arena);
    out->scope = store_col_dup(s, 4, arena);
    out->is_disabled = store_col_int64(s, 5) != 0;
    out->must_change_password = store_col_int64(s, 6) != 0;
    out->failed_logins = store_col_int64(s, 7);
    out->is_locked = store_col_int64(s, 8) > now_ms;
    out->created_at = store_col_dup(s, 9, arena);
    out->last_login_at = store_col_dup(s, 10, arena);
}

static int user_not_found(struct ms_err *err, const char *username)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "user '%.64s' not found", username);
    ms_err_zh(err, "用户“%.64s”不存在", username);
    return ret;
}

int accounts_user_list(struct store *st, struct ms_arena *arena, struct accounts_user **users,
                       size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 32;
    int rc;
    int64_t now = ms_clock_now_ms();
    if (store_prepare(st, accounts_sql_user_list, &s, err) < 0)
        return err->code;
    *users = ms_arena_calloc(arena, cap, sizeof(**users));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct accounts_user *bigger = ms_arena_calloc(arena, cap * 2, sizeof(*bigger));
            memcpy(bigger, *users, cap * sizeof(*bigger));
            *users = bigger;
            cap *= 2;
        }
        accounts__read_user(s, arena, now, &(*users)[(*n)++]);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int accounts_user_get(struct store *st, const char *username, struct ms_arena *arena,
                      struct accounts_user *out, struct audit_entry *read, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_user_get, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, username);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        accounts__read_user(s, arena, ms_clock_now_ms(), out);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return user_not_found(err, username);
    *read = (struct audit_entry){.action = "user.read", .object_type = "user",
                                 .object_id = out->username, .result = "ok"};
    return 0;
}

/* --- changes ------------------------------------------------------------------- */

struct add_ctx {
    const struct accounts_user_new *in;
    const struct ms_actor *actor;
    const char *hash;
    int64_t id;
};

static int add_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct add_ctx *c = ctx;
    const struct accounts_user_new *in = c->in;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    int rc;

    if (store_prepare(st, accounts_sql_role_exists, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->role);
    rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW) {
        rc = ms_err_field(err, MS_EFIELD, "role", "role '%.40s' does not exist", in->role);
        ms_err_zh(err, "角色“%.40s”不存在", in->role);
        return rc;
    }

    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, accounts_sql_user_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->username);
    store_bind_text(s, 2, in->display_name ? in->display_name : in->username);
    store_bind_text(s, 3, in->role);
    store_bind_text(s, 4, in->scope ? in->scope : "");
    store_bind_text(s, 5, c->hash);
    store_bind_int64(s, 6, in->must_change_password);
    store_bind_text(s, 7, now);
    store_bind_text(s, 8, now);
    store_bind_text(s, 9, now);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->id = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        rc = ms_err_field(err, MS_EEXISTS, "username", "user '%s' already exists", in->username);
        ms_err_zh(err, "用户名“%s”已存在", in->username);
        return rc;
    }
    if (rc < 0)
        return rc;

    char detail[128];
    snprintf(detail, sizeof(detail), "role=%s scope=%s", in->role, in->scope ? in->scope : "");
    struct audit_entry e = {.action = "user.add", .object_type = "user",
                            .object_id = in->username, .result = "ok", .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int accounts_user_add(struct store *st, const struct accounts_user_new *in,
                      const struct ms_actor *actor, int64_t *id_out, struct ms_err *err)
{
    char hash[ACCOUNTS_HASH_MAX];
    if (check_username(in->username, err) < 0 ||
        (in->display_name && check_display_name(in->display_name, err) < 0) ||
        (in->scope && check_scope(in->scope, err) < 0) ||
        accounts_password_check(st, in->username, in->password, err) < 0)
        return err->code;
    /* Hash outside the transaction: it takes ~90 ms, and holding the write
     * lock that long would stall every other writer. */
    if (accounts__hash_password(in->password, hash, err) < 0)
        return err->code;
    struct add_ctx ctx = {in, actor, hash, 0};
    int rc = store_tx(st, add_tx, &ctx, err);
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0 && id_out)
        *id_out = ctx.id;
    return rc;
}

int accounts__revoke_sessions(struct store *st, int64_t user_id, int64_t keep_session_id,
                              struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_sessions_revoke_user, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, ms_clock_now_ms());
    store_bind_int64(s, 2, user_id);
    store_bind_int64(s, 3, keep_session_id);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct passwd_ctx {
    const char *username;
    const char *hash;
    int must_change;
    int64_t keep_session_id;
    const char *action;
    const struct ms_actor *actor;
};

static int passwd_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct passwd_ctx *c = ctx;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, accounts_sql_user_set_password, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->hash);
    store_bind_int64(s, 2, c->must_change);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, c->username);
    int rc = store_step(s, err);
    int64_t id = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return user_not_found(err, c->username);
    if (accounts__revoke_sessions(st, id, c->keep_session_id, err) < 0)
        return err->code;
    struct audit_entry e = {.action = c->action, .object_type = "user",
                            .object_id = c->username, .result = "ok"};
    return audit_append(st, c->actor, &e, err);
}

int accounts_user_set_password(struct store *st, const char *username, const char *password,
                               const struct ms_actor *actor, struct ms_err *err)
{
    char hash[ACCOUNTS_HASH_MAX];
    if (accounts_password_check(st, username, password, err) < 0 ||
        accounts__hash_password(password, hash, err) < 0)
        return err->code;
    struct passwd_ctx ctx = {username, hash, 1, 0, "user.passwd", actor};
    int rc = store_tx(st, passwd_tx, &ctx, err);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

int accounts_change_own_password(struct store *st, int64_t user_id, int64_t session_id,
                                 const char *old_password, const char *new_password,
                                 const struct ms_actor *actor, struct ms_err *err)
{
    struct store_stmt *s;
    char username[64] = "", stored[ACCOUNTS_HASH_MAX] = "", hash[ACCOUNTS_HASH_MAX];
    if (store_prepare(st, accounts_sql_user_hash_by_id, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, user_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        snprintf(username, sizeof(username), "%s", store_col_text(s, 0));
        snprintf(stored, sizeof(stored), "%s", store_col_text(s, 1));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (!accounts__verify_password(stored, old_password)) {
        /* 400, not 401: the session is fine, only this field is wrong, and a
         * client that treats 401 as "logged out" must not sign the user out. */
        rc = ms_err_field(err, MS_EFIELD, "old_password", "the current password is wrong");
        ms_err_zh(err, "原密码不正确");
        return rc;
    }
    if (accounts_password_check(st, username, new_password, err) < 0 ||
        accounts__hash_password(new_password, hash, err) < 0)
        return err->code;
    struct passwd_ctx ctx = {username, hash, 0, session_id, "user.change_own_password", actor};
    rc = store_tx(st, passwd_tx, &ctx, err);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

struct disable_ctx {
    const char *username;
    const struct ms_actor *actor;
};

static int disable_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct disable_ctx *c = ctx;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, accounts_sql_user_disable, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_text(s, 2, c->username);
    int rc = store_step(s, err);
    int64_t id = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return user_not_found(err, c->username);
    if (accounts__revoke_sessions(st, id, 0, err) < 0)
        return err->code;
    struct audit_entry e = {.action = "user.disable", .object_type = "user",
                            .object_id = c->username, .result = "ok"};
    return audit_append(st, c->actor, &e, err);
}

int accounts_user_disable(struct store *st, const char *username, const struct ms_actor *actor,
                          struct ms_err *err)
{
    struct disable_ctx ctx = {username, actor};
    return store_tx(st, disable_tx, &ctx, err);
}

int accounts_check_separation(struct store *st, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_separation, &s, err) < 0)
        return err->code;
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        rc = ms_err_set(err, MS_EINTEGRITY,
                        "role '%s' can both manage users and read the audit log; the three-role "
                        "separation forbids it",
                        store_col_text(s, 0));
    store_reset(s);
    return rc < 0 ? rc : 0;
}
