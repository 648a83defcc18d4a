/*
 * portal_otp.c - one-time codes: asking for one, and logging in with it.
 *
 * The rules are in portal.h. Two things shape this file. First, an
 * unregistered number must be indistinguishable from a registered one, so
 * the checks and writes that depend on the number only (validation, rate
 * limits, the request ledger) run first and the same for both, and the
 * registered-only work (the challenge) comes after them. Second, a code's
 * tries are counted in SQL before the comparison, and the outcome of every
 * login, failed or not, is committed with its audit entry before the error
 * is reported, as accounts_login() does.
 */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "modules/portal/portal_int.h"
#include "modules/portal/portal_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define HOUR_MS        3600000
#define LEDGER_KEEP_MS (24 * (int64_t)HOUR_MS)
#define SALT_BYTES     16
#define RESEND_AFTER_S 60 /* what the page's countdown shows; the limits do the guarding */
#define CODE_FIELD     "portal_otp"

int portal__read_limits(struct store *st, struct portal__limits *l, struct ms_err *err)
{
    int64_t ttl, tries, per_id, per_ip, idle, max_h;
    if (policy_get_int(st, "portal.otp_ttl_minutes", NULL, &ttl, err) < 0 ||
        policy_get_int(st, "portal.otp_max_attempts", NULL, &tries, err) < 0 ||
        policy_get_int(st, "portal.otp_per_id_per_hour", NULL, &per_id, err) < 0 ||
        policy_get_int(st, "portal.otp_per_ip_per_hour", NULL, &per_ip, err) < 0 ||
        policy_get_int(st, "portal.session_idle_minutes", NULL, &idle, err) < 0 ||
        policy_get_int(st, "portal.session_max_hours", NULL, &max_h, err) < 0)
        return err->code;
    l->otp_ttl_ms = ttl * 60000;
    l->otp_max_attempts = tries;
    l->per_id_per_hour = per_id;
    l->per_ip_per_hour = per_ip;
    l->idle_ms = idle * 60000;
    l->max_ms = max_h * HOUR_MS;
    return 0;
}

int portal__parse_id(const char *text, char out[MS_IDCARD_BUF], struct ms_err *err)
{
    struct ms_idcard id;
    char upgraded[MS_IDCARD_BUF];
    if (text && strlen(text) == 15) {
        if (ms_idcard_upgrade15(text, upgraded, err) < 0)
            return err->code;
        text = upgraded;
    }
    if (ms_idcard_parse(text ? text : "", ms_date_today_cst(), &id, err) < 0)
        return err->code;
    memcpy(out, id.number, MS_IDCARD_BUF);
    return 0;
}

int portal__id_bidx(struct store *st, const char *id18, char out[MS_SEAL_INDEX_BUF],
                    struct ms_err *err)
{
    const struct ms_seal *seal;
    if (registry_seal(st, &seal, err) < 0)
        return err->code;
    ms_seal_blind_index(seal, REGISTRY_SEAL_ID_NUMBER, id18, out);
    return 0;
}

void portal__code_hash(const struct ms_seal *seal, const char *salt, const char *code,
                       char out[MS_SEAL_INDEX_BUF])
{
    char value[2 * SALT_BYTES + 1 + PORTAL_CODE_LEN + 1];
    snprintf(value, sizeof(value), "%s.%s", salt, code);
    ms_seal_blind_index(seal, CODE_FIELD, value, out);
    sodium_memzero(value, sizeof(value));
}

/* The resident who holds the number: 1 found (living or moved out), 0 not. */
static int find_resident(struct store *st, const char *bidx, int64_t *id,
                         char code[MS_RESCODE_LEN + 1], struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_resident_by_bidx, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, bidx);
    int rc = store_step(s, err);
    int is_found = 0;
    if (rc == STORE_ROW && strcmp(store_col_text(s, 2), "deceased") != 0) {
        *id = store_col_int64(s, 0);
        snprintf(code, MS_RESCODE_LEN + 1, "%s", store_col_text(s, 1));
        is_found = 1;
    }
    store_reset(s);
    return rc < 0 ? rc : is_found;
}

static int count_since(struct store *st, const char *sql, const char *key, int64_t since,
                       int64_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, key);
    store_bind_int64(s, 2, since);
    int rc = store_step(s, err);
    *n = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int exec_bound(struct store *st, const char *sql, int64_t a, int64_t b, int n_args,
                      struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, a);
    if (n_args > 1)
        store_bind_int64(s, 2, b);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct otp_ctx {
    const struct portal_otp_in *in;
    const char *bidx;
    struct portal__limits limits;
    int64_t now_ms;
    int is_limited;      /* set inside the transaction */
    int64_t resident_id; /* 0: not registered */
    char resident_code[MS_RESCODE_LEN + 1];
    char otp[PORTAL_CODE_LEN + 1];
    int64_t expires_ms;
};

/* The per-number and per-address limits, the same for registered or not. */
static int check_rate(struct store *st, struct otp_ctx *c, struct ms_err *err)
{
    int64_t by_id, by_ip, since = c->now_ms - HOUR_MS;
    if (count_since(st, portal_sql_count_by_bidx, c->bidx, since, &by_id, err) < 0 ||
        count_since(st, portal_sql_count_by_ip, c->in->ip, since, &by_ip, err) < 0)
        return err->code;
    c->is_limited = by_id >= c->limits.per_id_per_hour || by_ip >= c->limits.per_ip_per_hour;
    if (c->is_limited)
        return 0;
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_request_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->bidx);
    store_bind_text(s, 2, c->in->ip);
    store_bind_int64(s, 3, c->now_ms);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    return exec_bound(st, portal_sql_request_purge, c->now_ms - LEDGER_KEEP_MS, 0, 1, err);
}

static int open_challenge(struct store *st, struct otp_ctx *c, struct ms_err *err)
{
    const struct ms_seal *seal;
    unsigned char raw[SALT_BYTES];
    char salt[2 * SALT_BYTES + 1], hash[MS_SEAL_INDEX_BUF];
    if (registry_seal(st, &seal, err) < 0)
        return err->code;
    snprintf(c->otp, sizeof(c->otp), "%06u", (unsigned)randombytes_uniform(1000000));
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(salt, sizeof(salt), raw, sizeof(raw));
    portal__code_hash(seal, salt, c->otp, hash);
    c->expires_ms = c->now_ms + c->limits.otp_ttl_ms;
    if (exec_bound(st, portal_sql_challenge_supersede, c->now_ms, c->resident_id, 2, err) < 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_challenge_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->resident_id);
    store_bind_text(s, 2, salt);
    store_bind_text(s, 3, hash);
    store_bind_int64(s, 4, c->now_ms);
    store_bind_int64(s, 5, c->expires_ms);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int otp_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct otp_ctx *c = ctx;
    c->resident_id = 0;
    c->resident_code[0] = '\0';
    if (check_rate(st, c, err) < 0)
        return err->code;
    if (!c->is_limited) {
        int found = find_resident(st, c->bidx, &c->resident_id, c->resident_code, err);
        if (found < 0)
            return found;
        if (found && open_challenge(st, c, err) < 0)
            return err->code;
    }
    /* Who asked is the resident when registered; "-" otherwise, since the
     * number itself never goes into the log. */
    struct ms_actor actor = {0, c->resident_code[0] ? c->resident_code : "-", PORTAL_ROLE,
                             c->in->ip, c->in->request_id ? c->in->request_id : ""};
    struct audit_entry e = {.action = "portal.otp",
                            .object_type = "resident",
                            .object_id = c->resident_code,
                            .subject = c->resident_code,
                            .result = c->is_limited ? "denied:rate" : "ok"};
    return audit_append(st, &actor, &e, err);
}

static void send_code(struct store *st, const struct otp_ctx *c)
{
    const struct portal_sender *sender = portal__sender();
    struct portal_otp_message m = {c->resident_id, c->resident_code, c->otp, c->expires_ms,
                                   c->in->request_id ? c->in->request_id : ""};
    struct ms_err err = MS_ERR_INIT;
    if (sender->send(sender->ctx, st, &m, &err) < 0)
        ms_log(MS_LOG_ERROR, "portal.otp.send_failed", "{s:s,s:s,s:s,s:s}", "sender", sender->name,
               "resident", c->resident_code, "detail", err.message, "request_id", m.request_id);
}

int portal_otp_request(struct store *st, const struct portal_otp_in *in, struct portal_otp_out *out,
                       struct ms_err *err)
{
    char id18[MS_IDCARD_BUF], bidx[MS_SEAL_INDEX_BUF];
    struct otp_ctx c = {
        .in = in, .bidx = bidx, .now_ms = in->now_ms ? in->now_ms : ms_clock_now_ms()};
    if (portal__parse_id(in->id_number, id18, err) < 0 ||
        portal__read_limits(st, &c.limits, err) < 0 || portal__id_bidx(st, id18, bidx, err) < 0)
        return err->code;
    sodium_memzero(id18, sizeof(id18));
    out->ttl_minutes = c.limits.otp_ttl_ms / 60000;
    out->resend_after_s = RESEND_AFTER_S;
    if (store_tx(st, otp_tx, &c, err) < 0)
        return err->code;
    if (c.is_limited) {
        int ret = ms_err_set(err, MS_ERATE, "too many code requests; try again later");
        ms_err_zh(err, "获取验证码过于频繁，请一小时后再试");
        return ret;
    }
    if (c.resident_id)
        send_code(st, &c);
    sodium_memzero(c.otp, sizeof(c.otp));
    return 0;
}

/* --- logging in ------------------------------------------------------------ */

enum login_outcome { LOGIN_OK, LOGIN_NO_CODE, LOGIN_EXPIRED, LOGIN_WRONG, LOGIN_USED_UP };

struct login_ctx {
    const struct portal_login_in *in;
    const char *bidx;
    const struct ms_seal *seal;
    struct portal__limits limits;
    int64_t now_ms;
    struct ms_arena *arena;
    struct portal_session *out;
    enum login_outcome outcome;
    int64_t tries_left;
};

/* Counts a try on the challenge and compares the code. */
static int try_code(struct store *st, struct login_ctx *c, int64_t challenge_id, const char *salt,
                    const char *stored_hash, struct ms_err *err)
{
    char hash[MS_SEAL_INDEX_BUF];
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_challenge_try, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, challenge_id);
    store_bind_int64(s, 2, c->limits.otp_max_attempts);
    int rc = store_step(s, err);
    int64_t attempts = rc == STORE_ROW ? store_col_int64(s, 0) : -1;
    store_reset(s);
    if (rc < 0)
        return rc;
    if (attempts < 0) {
        c->outcome = LOGIN_USED_UP;
        return 0;
    }
    portal__code_hash(c->seal, salt, c->in->code, hash);
    if (sodium_memcmp(hash, stored_hash, MS_SEAL_INDEX_BUF - 1) != 0) {
        c->tries_left = c->limits.otp_max_attempts - attempts;
        c->outcome = c->tries_left > 0 ? LOGIN_WRONG : LOGIN_USED_UP;
        return 0;
    }
    c->outcome = LOGIN_OK;
    if (exec_bound(st, portal_sql_challenge_use, c->now_ms, challenge_id, 2, err) < 0)
        return err->code;
    return portal__session_open(st, &c->limits, c->out->resident_id, c->in->ip, c->in->user_agent,
                                c->now_ms, c->arena, c->out, err);
}

/* Finds the open challenge of the resident and tries the code on it. */
static int check_code(struct store *st, struct login_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_challenge_open, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->resident_id);
    int rc = store_step(s, err);
    if (rc != STORE_ROW) {
        store_reset(s);
        c->outcome = LOGIN_NO_CODE;
        return rc < 0 ? rc : 0;
    }
    int64_t id = store_col_int64(s, 0);
    char *salt = ms_arena_strdup(c->arena, store_col_text(s, 1));
    char *hash = ms_arena_strdup(c->arena, store_col_text(s, 2));
    int64_t expires_ms = store_col_int64(s, 3);
    int64_t attempts = store_col_int64(s, 4);
    store_reset(s);
    if (c->now_ms >= expires_ms) {
        c->outcome = LOGIN_EXPIRED;
        return 0;
    }
    if (attempts >= c->limits.otp_max_attempts) {
        c->outcome = LOGIN_USED_UP;
        return 0;
    }
    return try_code(st, c, id, salt, hash, err);
}

static int login_tx(struct store *st, void *ctx, struct ms_err *err)
{
    static const char *const results[] = {"ok", "failed:no_code", "failed:expired",
                                          "failed:wrong_code", "denied:attempts"};
    struct login_ctx *c = ctx;
    c->out->resident_id = 0;
    c->out->resident_code[0] = '\0';
    c->outcome = LOGIN_NO_CODE;
    int found = find_resident(st, c->bidx, &c->out->resident_id, c->out->resident_code, err);
    if (found < 0)
        return found;
    if (found && check_code(st, c, err) < 0)
        return err->code;
    const char *code = c->out->resident_code;
    struct ms_actor actor = {0, found ? code : "-", PORTAL_ROLE, c->in->ip ? c->in->ip : "",
                             c->in->request_id ? c->in->request_id : ""};
    struct audit_entry e = {.action = "portal.login",
                            .object_type = "resident",
                            .object_id = code,
                            .subject = code,
                            .result = results[c->outcome]};
    return audit_append(st, &actor, &e, err);
}

static int login_error(const struct login_ctx *c, struct ms_err *err)
{
    int rc;
    switch (c->outcome) {
    case LOGIN_OK:
        return 0;
    case LOGIN_USED_UP:
        return ms_err_set(err, MS_EATTEMPTS, "too many wrong codes; request a new code");
    case LOGIN_WRONG:
        rc = ms_err_set(err, MS_ECODE, "wrong code");
        ms_err_zh(err, "验证码错误，还可尝试 %lld 次", (long long)c->tries_left);
        return rc;
    default:
        /* No code, an expired one and an unregistered number read alike. */
        rc = ms_err_set(err, MS_ECODE, "wrong or expired code");
        ms_err_zh(err, "验证码错误或已过期，请重新获取");
        return rc;
    }
}

static int parse_code(const char *code, struct ms_err *err)
{
    if (!code || !*code) {
        int ret = ms_err_field(err, MS_EMISSING, "code", "code is missing");
        ms_err_zh(err, "请输入验证码");
        return ret;
    }
    size_t n = strlen(code);
    int is_digits = n == PORTAL_CODE_LEN;
    for (size_t i = 0; is_digits && i < n; i++)
        is_digits = code[i] >= '0' && code[i] <= '9';
    if (is_digits)
        return 0;
    int ret = ms_err_field(err, MS_EFIELD, "code", "code must be %d digits", PORTAL_CODE_LEN);
    ms_err_zh(err, "验证码为 %d 位数字", PORTAL_CODE_LEN);
    return ret;
}

int portal_login(struct store *st, const struct portal_login_in *in, struct ms_arena *arena,
                 struct portal_session *out, struct ms_err *err)
{
    char id18[MS_IDCARD_BUF], bidx[MS_SEAL_INDEX_BUF];
    struct login_ctx c = {.in = in,
                          .bidx = bidx,
                          .arena = arena,
                          .out = out,
                          .now_ms = in->now_ms ? in->now_ms : ms_clock_now_ms()};
    memset(out, 0, sizeof(*out));
    if (portal__parse_id(in->id_number, id18, err) < 0 || parse_code(in->code, err) < 0 ||
        portal__read_limits(st, &c.limits, err) < 0 || portal__id_bidx(st, id18, bidx, err) < 0 ||
        registry_seal(st, &c.seal, err) < 0)
        return err->code;
    sodium_memzero(id18, sizeof(id18));
    if (store_tx(st, login_tx, &c, err) < 0)
        return err->code;
    if (c.outcome != LOGIN_OK) {
        out->token = NULL;
        return login_error(&c, err);
    }
    return 0;
}
