/*
 * test_portal.c - the resident portal's one-time-code rules: codes stored
 * only as a keyed hash, expiry, tries, rate limits per number and per
 * address, no enumeration, superseding, sessions' idle and absolute limits,
 * and an audit trail that names residents by code only.
 *
 * Time is passed in (now_ms), so expiry is tested without waiting. Codes
 * are caught by a test sender instead of the log sender. Every ID number is
 * synthetic (check character from ms_idcard_check_char()).
 */
#include "module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/idcard.h"
#include "modules/audit/audit.h"
#include "modules/portal/portal.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

#define T0      ((int64_t)1800000000000) /* 2027-01-15, any fixed instant */
#define MINUTE  ((int64_t)60000)
#define VILLAGE "500110101201"

static char key_dir[256];
static char key_path[300];

/* --- a sender that keeps the last code ------------------------------------ */

static struct {
    int calls;
    char otp[PORTAL_CODE_LEN + 1];
    char resident[MS_RESCODE_LEN + 1];
} sent;

static int test_send(void *ctx, struct store *st, const struct portal_otp_message *m,
                     struct ms_err *err)
{
    (void)ctx;
    (void)st;
    (void)err;
    sent.calls++;
    snprintf(sent.otp, sizeof(sent.otp), "%s", m->otp);
    snprintf(sent.resident, sizeof(sent.resident), "%s", m->resident_code);
    return 0;
}

static const struct portal_sender test_sender = {"test", test_send, NULL};

static int setup(void **state)
{
    memset(&sent, 0, sizeof(sent));
    portal_set_sender(&test_sender);
    return fixture_setup(state);
}

static void make_id(const char *birth8, const char *seq3, char out[19])
{
    snprintf(out, 19, "500110%s%s", birth8, seq3);
    out[17] = ms_idcard_check_char(out);
    out[18] = '\0';
}

static void create(struct store *st, const char *name, const char *id,
                   char code[MS_RESCODE_LEN + 1])
{
    struct ms_err err = MS_ERR_INIT;
    struct registry_resident_new in = {.name = name,
                                       .id_number = id,
                                       .hukou_type = "rural",
                                       .residence = {VILLAGE, 0, "3 组 12 号"}};
    if (registry_resident_create(st, "", &in, &test_actor, code, &err) != 0)
        fail_msg("create %s: %s", name, err.message);
}

static int ask(struct store *st, const char *id, const char *ip, int64_t now, struct ms_err *err)
{
    struct portal_otp_in in = {id, ip, "req-otp", now};
    struct portal_otp_out out;
    return portal_otp_request(st, &in, &out, err);
}

static int login(struct store *st, const char *id, const char *code, int64_t now,
                 struct ms_arena *arena, struct portal_session *s, struct ms_err *err)
{
    struct portal_login_in in = {id, code, "10.0.0.9", "test-agent", "req-login", now};
    return portal_login(st, &in, arena, s, err);
}

static int64_t count(struct store *st, const char *sql)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(store_prepare(st, sql, &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    int64_t n = store_col_int64(s, 0);
    store_reset(s);
    return n;
}

/* A code that is not the one sent. */
static void wrong_code(char out[PORTAL_CODE_LEN + 1])
{
    memcpy(out, sent.otp, PORTAL_CODE_LEN + 1);
    out[0] = out[0] == '9' ? '0' : (char)(out[0] + 1);
}

static void test_code_is_stored_only_as_keyed_hash(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(sent.calls, 1);
    assert_string_equal(sent.resident, code);
    assert_int_equal(strlen(sent.otp), PORTAL_CODE_LEN);

    struct store_stmt *s;
    assert_int_equal(
        store_prepare(st, "SELECT salt, code_hash FROM portal_otp_challenges", &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    const char *salt = store_col_text(s, 0), *hash = store_col_text(s, 1);
    assert_int_equal(strlen(hash), 64);
    assert_null(strstr(hash, sent.otp));
    assert_null(strstr(salt, sent.otp));
    store_reset(s);
    /* The ledger holds the number's blind index, never the number. */
    assert_int_equal(count(st, "SELECT count(*) FROM portal_otp_requests WHERE id_bidx LIKE "
                               "'500110%'"),
                     0);
}

static void test_unregistered_number_gets_same_reply_and_no_code(void **state)
{
    struct store *st = *state;
    char id[19], other[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct portal_otp_out a, b;
    make_id("19750305", "141", id);
    make_id("19850202", "145", other);
    create(st, "门户甲", id, code);
    struct portal_otp_in in1 = {id, "10.0.0.1", "r1", T0}, in2 = {other, "10.0.0.1", "r2", T0};
    assert_int_equal(portal_otp_request(st, &in1, &a, &err), 0);
    assert_int_equal(portal_otp_request(st, &in2, &b, &err), 0);
    assert_int_equal(a.ttl_minutes, b.ttl_minutes);
    assert_int_equal(a.resend_after_s, b.resend_after_s);
    assert_int_equal(sent.calls, 1); /* only the registered one */
    assert_int_equal(count(st, "SELECT count(*) FROM portal_otp_challenges"), 1);
    assert_int_equal(count(st, "SELECT count(*) FROM portal_otp_requests"), 2);

    /* Logging in with it fails exactly as a wrong code does. */
    struct ms_arena arena;
    struct portal_session s;
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT;
    ms_arena_init(&arena, 0);
    assert_int_equal(login(st, other, "123456", T0, &arena, &s, &e1), MS_ECODE);
    /* An unknown number cannot be told from a registered one whose code
     * expired. */
    assert_int_equal(login(st, id, sent.otp, T0 + 6 * MINUTE, &arena, &s, &e2), MS_ECODE);
    assert_string_equal(e1.message_zh, e2.message_zh);
    ms_arena_release(&arena);
}

static void test_malformed_number_is_refused_without_a_trace(void **state)
{
    struct store *st = *state;
    char id[19];
    struct ms_err err = MS_ERR_INIT;
    make_id("19750305", "141", id);
    id[17] = id[17] == '0' ? '1' : '0'; /* wrong check character */
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), MS_EFIELD);
    assert_string_equal(err.field, "id_number");
    assert_null(strstr(err.message, id));
    assert_int_equal(count(st, "SELECT count(*) FROM portal_otp_requests"), 0);
}

static void test_fifteen_digit_number_is_upgraded(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1], old15[16];
    struct ms_err err = MS_ERR_INIT;
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    snprintf(old15, sizeof(old15), "500110750305141");
    assert_int_equal(ask(st, old15, "10.0.0.1", T0, &err), 0);
    assert_int_equal(sent.calls, 1);
}

static void test_code_expires_after_ttl(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    /* portal.otp_ttl_minutes is 5: at exactly 5 minutes it is gone. */
    assert_int_equal(login(st, id, sent.otp, T0 + 5 * MINUTE, &arena, &s, &err), MS_ECODE);

    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(login(st, id, sent.otp, T0 + 5 * MINUTE - 1, &arena, &s, &err), 0);
    assert_string_equal(s.resident_code, code);
    assert_true(strncmp(s.token, "r.", 2) == 0);
    ms_arena_release(&arena);
}

static void test_right_code_works_once(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(login(st, id, sent.otp, T0 + MINUTE, &arena, &s, &err), 0);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(login(st, id, sent.otp, T0 + MINUTE, &arena, &s, &err), MS_ECODE);
    ms_arena_release(&arena);
}

static void test_max_attempts_use_the_code_up(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1], bad[PORTAL_CODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    wrong_code(bad);
    /* portal.otp_max_attempts is 5: four wrong tries say "wrong", the fifth
     * uses the code up, and then even the right code is refused. */
    for (int i = 0; i < 4; i++) {
        err = (struct ms_err)MS_ERR_INIT;
        assert_int_equal(login(st, id, bad, T0, &arena, &s, &err), MS_ECODE);
    }
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(login(st, id, bad, T0, &arena, &s, &err), MS_EATTEMPTS);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(login(st, id, sent.otp, T0, &arena, &s, &err), MS_EATTEMPTS);
    assert_int_equal(count(st, "SELECT count(*) FROM portal_sessions"), 0);
    /* A new code starts afresh. */
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(login(st, id, sent.otp, T0, &arena, &s, &err), 0);
    ms_arena_release(&arena);
}

static void test_new_code_supersedes_the_old(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1], first[PORTAL_CODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    memcpy(first, sent.otp, sizeof(first));
    do {
        assert_int_equal(ask(st, id, "10.0.0.1", T0 + 1, &err), 0);
    } while (strcmp(first, sent.otp) == 0); /* one in a million draws the same */
    assert_int_equal(login(st, id, first, T0 + 2, &arena, &s, &err), MS_ECODE);
    ms_arena_release(&arena);
}

static void test_rate_limit_per_number_is_blind_to_registration(void **state)
{
    struct store *st = *state;
    char id[19], other[19], code[MS_RESCODE_LEN + 1];
    make_id("19750305", "141", id);
    make_id("19850202", "145", other);
    create(st, "门户甲", id, code);
    /* portal.otp_per_id_per_hour is 5, from different addresses too. */
    for (int i = 0; i < 5; i++) {
        char ip[32];
        struct ms_err err = MS_ERR_INIT;
        snprintf(ip, sizeof(ip), "10.0.1.%d", i);
        assert_int_equal(ask(st, id, ip, T0 + i, &err), 0);
        assert_int_equal(ask(st, other, ip, T0 + i, &err), 0);
    }
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT;
    assert_int_equal(ask(st, id, "10.0.2.1", T0 + 10, &e1), MS_ERATE);
    assert_int_equal(ask(st, other, "10.0.2.1", T0 + 10, &e2), MS_ERATE);
    assert_string_equal(e1.message_zh, e2.message_zh);
    assert_int_equal(sent.calls, 5);
    /* An hour after the first, the window has room again. */
    e1 = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(ask(st, id, "10.0.2.1", T0 + 60 * MINUTE + 1, &e1), 0);
}

static void test_rate_limit_per_address(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    /* portal.otp_per_ip_per_hour is 60: 60 different numbers, then no more. */
    for (int i = 0; i < 60; i++) {
        char id[19], seq[4];
        snprintf(seq, sizeof(seq), "%03d", i);
        make_id("19900101", seq, id);
        assert_int_equal(ask(st, id, "10.0.3.3", T0 + i, &err), 0);
    }
    char id[19];
    make_id("19900101", "999", id);
    assert_int_equal(ask(st, id, "10.0.3.3", T0 + 100, &err), MS_ERATE);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(ask(st, id, "10.0.3.4", T0 + 100, &err), 0);
}

static void test_deceased_resident_gets_no_code(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    int64_t ev;
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(
        registry_event_add(st, "", code, "death", "2026-01-01", NULL, &test_actor, &ev, &err), 0);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(sent.calls, 0);
}

static void test_session_idle_and_absolute_limits(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s, r;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(login(st, id, sent.otp, T0, &arena, &s, &err), 0);
    /* Idle: 15 minutes. Active every 14 minutes: alive until 2 hours. */
    assert_int_equal(portal_session_resolve(st, s.token, T0 + 14 * MINUTE, &arena, &r, &err), 0);
    assert_string_equal(r.resident_code, code);
    int64_t t = T0 + 14 * MINUTE;
    while (t + 14 * MINUTE < T0 + 120 * MINUTE) {
        t += 14 * MINUTE;
        assert_int_equal(portal_session_resolve(st, s.token, t, &arena, &r, &err), 0);
    }
    assert_int_equal(portal_session_resolve(st, s.token, T0 + 120 * MINUTE, &arena, &r, &err),
                     MS_EAUTH);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(portal_session_resolve(st, s.token, t + 15 * MINUTE, &arena, &r, &err),
                     MS_EAUTH);
    /* A staff-shaped token (43 characters, no "r.") is not a resident's. */
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(portal_session_resolve(st, s.token + 2, T0, &arena, &r, &err), MS_EAUTH);
    ms_arena_release(&arena);
}

static void test_audit_names_the_resident_by_code_only(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct portal_session s;
    ms_arena_init(&arena, 0);
    make_id("19750305", "141", id);
    create(st, "门户甲", id, code);
    assert_int_equal(ask(st, id, "10.0.0.1", T0, &err), 0);
    assert_int_equal(login(st, id, sent.otp, T0, &arena, &s, &err), 0);

    struct audit_filter f = {.action = "portal.login", .limit = 10};
    struct audit_row *rows;
    size_t n;
    assert_int_equal(audit_query(st, &f, &arena, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].actor, code);
    assert_string_equal(rows[0].actor_role, "resident");
    assert_string_equal(rows[0].result, "ok");
    /* Nothing in the whole log carries the number or the code. */
    struct audit_filter all = {.limit = 500};
    assert_int_equal(audit_query(st, &all, &arena, &rows, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        const char *fields[] = {rows[i].actor, rows[i].object_id, rows[i].subject, rows[i].detail,
                                rows[i].purpose};
        for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
            assert_null(fields[j] ? strstr(fields[j], id) : NULL);
            assert_null(fields[j] ? strstr(fields[j], sent.otp) : NULL);
        }
    }
    ms_arena_release(&arena);
}

static void test_me_masks_and_minimises(void **state)
{
    struct store *st = *state;
    char id[19], id2[19], code[MS_RESCODE_LEN + 1], code2[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    ms_arena_init(&arena, 0);
    int64_t hh;
    struct registry_household_new h = {"P1", {VILLAGE, 0, "3 组 12 号"}};
    assert_int_equal(registry_household_create(st, "", &h, &test_actor, &hh, &err), 0);
    make_id("19750305", "141", id);
    make_id("19780611", "142", id2);
    struct registry_resident_new a = {.name = "门户甲",
                                      .id_number = id,
                                      .phone = "13900001234",
                                      .hukou_type = "rural",
                                      .residence = {VILLAGE, 0, "3 组"},
                                      .household_id = hh,
                                      .relation = "head"};
    struct registry_resident_new b = {.name = "门户配偶",
                                      .id_number = id2,
                                      .hukou_type = "rural",
                                      .residence = {VILLAGE, 0, NULL},
                                      .household_id = hh,
                                      .relation = "spouse"};
    assert_int_equal(registry_resident_create(st, "", &a, &test_actor, code, &err), 0);
    assert_int_equal(registry_resident_create(st, "", &b, &test_actor, code2, &err), 0);

    struct store_stmt *s;
    assert_int_equal(store_prepare(st, "SELECT id FROM residents WHERE code = ?", &s, &err), 0);
    store_bind_text(s, 1, code);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    int64_t rid = store_col_int64(s, 0);
    store_reset(s);

    struct portal_me me;
    struct audit_entry read;
    assert_int_equal(portal_me_get(st, rid, &arena, &me, &read, &err), 0);
    assert_string_equal(me.code, code);
    assert_string_equal(me.name, "门户甲");
    assert_string_equal(me.phone_masked, "139****1234");
    assert_int_equal(strlen(me.id_number_masked), 18);
    assert_null(strstr(me.id_number_masked, "19750305"));
    assert_int_equal(me.n_members, 2);
    for (size_t i = 0; i < me.n_members; i++) {
        if (!me.members[i].is_self) {
            assert_string_equal(me.members[i].name_masked, "门***");
            assert_string_equal(me.members[i].relation, "spouse");
        }
    }
    assert_string_equal(read.action, "portal.me");
    assert_string_equal(read.subject, code);
    ms_arena_release(&arena);
}

static void remove_key_dir(void)
{
    unlink(key_path);
    rmdir(key_dir);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fixture_teardown)

int main(void)
{
    snprintf(key_dir, sizeof(key_dir), "/tmp/ms_portal_test_XXXXXX");
    if (!mkdtemp(key_dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", key_dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        T(test_code_is_stored_only_as_keyed_hash),
        T(test_unregistered_number_gets_same_reply_and_no_code),
        T(test_malformed_number_is_refused_without_a_trace),
        T(test_fifteen_digit_number_is_upgraded),
        T(test_code_expires_after_ttl),
        T(test_right_code_works_once),
        T(test_max_attempts_use_the_code_up),
        T(test_new_code_supersedes_the_old),
        T(test_rate_limit_per_number_is_blind_to_registration),
        T(test_rate_limit_per_address),
        T(test_deceased_resident_gets_no_code),
        T(test_session_idle_and_absolute_limits),
        T(test_audit_names_the_resident_by_code_only),
        T(test_me_masks_and_minimises),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    remove_key_dir();
    return rc;
}
