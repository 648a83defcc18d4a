/*
 * test_accounts.c - users, passwords, login, lock-out, sessions, the
 * three-role separation, and changing a role's permissions.
 */
#include "module_fixture.h"

#include <string.h>

#include "modules/accounts/accounts.h"
#include "modules/audit/audit.h"
#include "core/banned.h"

#define GOOD_PW "correct-horse-42"

static void add_user(struct store *st, const char *name, const char *role)
{
    struct ms_err err = MS_ERR_INIT;
    struct accounts_user_new in = {name, NULL, role, NULL, GOOD_PW, 0};
    if (accounts_user_add(st, &in, &test_actor, NULL, &err) != 0)
        fail_msg("add %s: %s", name, err.message);
}

static int login(struct store *st, struct ms_arena *a, const char *name, const char *pw,
                 struct accounts_session *s, struct ms_err *err)
{
    struct accounts_login_in in = {name, pw, "127.0.0.1", "test", "req"};
    return accounts_login(st, &in, a, s, err);
}

static void test_user_add_validates_input(void **state)
{
    struct store *st = *state;
    struct {
        const char *name, *role, *scope, *pw, *field;
        int code;
    } cases[] = {
        {"A b", "admin", NULL, GOOD_PW, "username", MS_EFIELD},
        {"x", "admin", NULL, GOOD_PW, "username", MS_EFIELD},
        {"robert'); drop table users;--", "admin", NULL, GOOD_PW, "username", MS_EFIELD},
        {"alice", "king", NULL, GOOD_PW, "role", MS_EFIELD},
        {"alice", "admin", "50011x", GOOD_PW, "scope", MS_EFIELD},
        {"alice", "admin", NULL, "short1", "password", MS_EPASSWORD},
        {"alice", "admin", NULL, "onlyletterslong", "password", MS_EPASSWORD},
        {"alice", "admin", NULL, "123456789012345", "password", MS_EPASSWORD},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        struct accounts_user_new in = {cases[i].name, NULL, cases[i].role, cases[i].scope,
                                       cases[i].pw, 0};
        assert_int_equal(accounts_user_add(st, &in, &test_actor, NULL, &err), cases[i].code);
        assert_string_equal(err.field, cases[i].field);
        assert_true(err.message_zh[0] != '\0');
    }
    struct ms_arena a;
    struct accounts_user *users;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    assert_int_equal(accounts_user_list(st, &a, &users, &n, &err), 0);
    assert_int_equal(n, 0);
    ms_arena_release(&a);
}

static void test_user_add_twice_is_already_exists(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    add_user(st, "alice", "admin");
    struct accounts_user_new in = {"alice", NULL, "auditor", NULL, GOOD_PW, 0};
    assert_int_equal(accounts_user_add(st, &in, &test_actor, NULL, &err), MS_EEXISTS);
}

static void test_login_gives_token_that_resolves(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s, r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "auditor");
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s, &err), 0);
    assert_int_equal(strlen(s.token), 43);
    assert_int_equal(accounts_session_resolve(st, s.token, &a, &r, &err), 0);
    assert_string_equal(r.user.username, "alice");
    assert_string_equal(r.user.role, "auditor");
    int has_audit = 0;
    for (size_t i = 0; i < r.n_permissions; i++)
        has_audit |= strcmp(r.permissions[i], "audit:read") == 0;
    assert_true(has_audit);
    ms_arena_release(&a);
}

static void test_login_wrong_password_and_unknown_user_look_alike(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s;
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "admin");
    assert_int_equal(login(st, &a, "alice", "wrong-pass-123", &s, &e1), MS_ECRED);
    assert_int_equal(login(st, &a, "nobody", "wrong-pass-123", &s, &e2), MS_ECRED);
    assert_string_equal(e1.message, e2.message);
    ms_arena_release(&a);
}

static void test_login_locks_after_five_failures(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "admin");
    for (int i = 0; i < 4; i++) {
        ms_err_init(&err);
        assert_int_equal(login(st, &a, "alice", "wrong-pass-123", &s, &err), MS_ECRED);
    }
    ms_err_init(&err);
    assert_int_equal(login(st, &a, "alice", "wrong-pass-123", &s, &err), MS_ELOCKED);
    ms_err_init(&err);
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s, &err), MS_ELOCKED);
    ms_arena_release(&a);
}

static void test_disable_revokes_sessions_at_once(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s, r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "admin");
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s, &err), 0);
    assert_int_equal(accounts_user_disable(st, "alice", &test_actor, &err), 0);
    assert_int_equal(accounts_session_resolve(st, s.token, &a, &r, &err), MS_EAUTH);
    ms_err_init(&err);
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s, &err), MS_EDISABLED);
    ms_err_init(&err);
    assert_int_equal(accounts_user_disable(st, "nobody", &test_actor, &err), MS_ENOTFOUND);
    ms_arena_release(&a);
}

static void test_logout_and_password_change_revoke(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s1, s2, r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "admin");
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s1, &err), 0);
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s2, &err), 0);
    assert_int_equal(accounts_logout(st, s1.id, &test_actor, &err), 0);
    assert_int_equal(accounts_session_resolve(st, s1.token, &a, &r, &err), MS_EAUTH);
    ms_err_init(&err);
    assert_int_equal(accounts_session_resolve(st, s2.token, &a, &r, &err), 0);
    assert_int_equal(accounts_user_set_password(st, "alice", "another-good-77", &test_actor, &err),
                     0);
    assert_int_equal(accounts_session_resolve(st, s2.token, &a, &r, &err), MS_EAUTH);
    ms_err_init(&err);
    assert_int_equal(login(st, &a, "alice", "another-good-77", &s1, &err), 0);
    assert_true(s1.user.must_change_password);
    ms_arena_release(&a);
}

static void test_malformed_token_is_refused_without_lookup(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session r;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    assert_int_equal(accounts_session_resolve(st, "' OR 1=1 --", &a, &r, &err), MS_EAUTH);
    ms_err_init(&err);
    assert_int_equal(accounts_session_resolve(st, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &a,
                                              &r, &err),
                     MS_EAUTH);
    ms_arena_release(&a);
}

static void test_builtin_roles_keep_three_role_separation(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(accounts_check_separation(st, &err), 0);
    fixture_exec(st, "INSERT INTO role_permissions (role, permission)"
                     " VALUES ('security_admin', 'audit:read')");
    assert_int_equal(accounts_check_separation(st, &err), MS_EINTEGRITY);
}

static void test_every_account_change_is_audited(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct accounts_session s;
    struct ms_err err = MS_ERR_INIT;
    struct audit_verify_result res;
    ms_arena_init(&a, 0);
    add_user(st, "alice", "admin");                                   /* 1 */
    assert_int_equal(login(st, &a, "alice", "bad-password-1", &s, &err), MS_ECRED); /* 2 */
    ms_err_init(&err);
    assert_int_equal(login(st, &a, "alice", GOOD_PW, &s, &err), 0); /* 3 */
    assert_int_equal(accounts_user_disable(st, "alice", &test_actor, &err), 0); /* 4 */
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 4);
    ms_arena_release(&a);
}

/* A business role of the test's own, so the built-in grants stay as they are. */
static void add_clerk_role(struct store *st)
{
    fixture_exec(st, "INSERT INTO roles (name, title_zh, title_en) VALUES ('test_clerk', '测试', 'Test')");
    fixture_exec(st, "INSERT INTO role_permissions (role, permission) VALUES ('test_clerk', 'policy:read')");
}

static int set_clerk(struct store *st, const struct ms_actor *actor, const char *const *perms,
                     size_t n, int *changed, struct ms_err *err)
{
    struct ms_arena a;
    ms_arena_init(&a, 0);
    struct accounts_role_change in = {"test_clerk", perms, n, "test"};
    int rc = accounts_role_set_permissions(st, &in, actor, &a, changed, err);
    ms_arena_release(&a);
    return rc;
}

static void test_role_change_replaces_the_set_and_is_audited(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct audit_verify_result res;
    int changed;
    const char *const perms[] = {"places:read", "registry:resident:read"};
    add_clerk_role(st);
    assert_int_equal(set_clerk(st, &test_actor, perms, 2, &changed, &err), 0);
    assert_true(changed);
    assert_int_equal(set_clerk(st, &test_actor, perms, 2, &changed, &err), 0);
    assert_false(changed); /* the same set: nothing written */
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 1);
}

static void test_role_change_never_touches_own_or_system_roles(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    int changed;
    const char *const perms[] = {"places:read"};
    const struct ms_actor clerk = {8, "clerk", "test_clerk", "127.0.0.1", "req-2"};
    add_clerk_role(st);
    assert_int_equal(set_clerk(st, &clerk, perms, 1, &changed, &err), MS_ECONFLICT);
    ms_err_init(&err);
    ms_arena_init(&a, 0);
    struct accounts_role_change in = {"auditor", perms, 1, "test"};
    assert_int_equal(accounts_role_set_permissions(st, &in, &test_actor, &a, &changed, &err),
                     MS_ECONFLICT);
    ms_arena_release(&a);
}

static void test_role_change_refuses_reserved_and_keeps_separation(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct accounts_roles all;
    struct ms_arena a;
    int changed;
    const char *const reserved[] = {"places:read", "audit:read"};
    const char *const fine[] = {"places:read"};
    add_clerk_role(st);
    assert_int_equal(set_clerk(st, &test_actor, reserved, 2, &changed, &err), MS_EFIELD);
    assert_string_equal(err.field, "permissions[1]");
    /* A broken separation elsewhere stops any change, and nothing is kept. */
    fixture_exec(st, "INSERT INTO role_permissions (role, permission)"
                     " VALUES ('security_admin', 'audit:read')");
    ms_err_init(&err);
    assert_int_equal(set_clerk(st, &test_actor, fine, 1, &changed, &err), MS_EINTEGRITY);
    ms_arena_init(&a, 0);
    ms_err_init(&err);
    assert_int_equal(accounts_role_list(st, &a, &all, &err), 0);
    for (size_t i = 0; i < all.n_roles; i++)
        if (!strcmp(all.roles[i].name, "test_clerk")) {
            assert_int_equal(all.roles[i].n_permissions, 1);
            assert_string_equal(all.roles[i].permissions[0], "policy:read");
        }
    ms_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
        T(test_user_add_validates_input),
        T(test_user_add_twice_is_already_exists),
        T(test_login_gives_token_that_resolves),
        T(test_login_wrong_password_and_unknown_user_look_alike),
        T(test_login_locks_after_five_failures),
        T(test_disable_revokes_sessions_at_once),
        T(test_logout_and_password_change_revoke),
        T(test_malformed_token_is_refused_without_lookup),
        T(test_builtin_roles_keep_three_role_separation),
        T(test_every_account_change_is_audited),
        T(test_role_change_replaces_the_set_and_is_audited),
        T(test_role_change_never_touches_own_or_system_roles),
        T(test_role_change_refuses_reserved_and_keeps_separation),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
