/*
 * test_policy.c - versioned policy parameters: the value in force on a date,
 * adding values, and refusing what does not fit.
 */
#include "module_fixture.h"

#include <string.h>

#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "core/banned.h"

static void test_value_in_force_follows_effective_date(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t v;
    /* rules.md §1.7: 750 元 until 2025-06-30, 770 元 from 2025-07-01. */
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.urban", "2025-06-30", &v, &err), 0);
    assert_int_equal(v, 75000);
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.urban", "2025-07-01", &v, &err), 0);
    assert_int_equal(v, 77000);
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.rural", "2026-11-29", &v, &err), 0);
    assert_int_equal(v, 63000);
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.urban", "2020-01-01", &v, &err),
                     MS_ENOTFOUND);
}

static void test_set_adds_a_version_and_audits_it(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct audit_verify_result res;
    int64_t v;
    struct policy_set_in in = {"cq.dibao.standard.urban", "79000", "2026-07-01", "test notice",
                               NULL};
    assert_int_equal(policy_set(st, &in, &test_actor, &err), 0);
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.urban", "2026-06-30", &v, &err), 0);
    assert_int_equal(v, 77000);
    assert_int_equal(policy_get_int(st, "cq.dibao.standard.urban", "2026-07-01", &v, &err), 0);
    assert_int_equal(v, 79000);
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 1);

    struct ms_arena a;
    struct policy_def def;
    struct policy_value *hist;
    size_t n;
    ms_arena_init(&a, 0);
    assert_int_equal(policy_history(st, "cq.dibao.standard.urban", &a, &def, &hist, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(hist[0].value, "79000");
    assert_string_equal(hist[0].created_by, "tester");
    assert_string_equal(def.kind, "fen");
    ms_arena_release(&a);
}

static void test_set_refuses_bad_values(void **state)
{
    struct store *st = *state;
    struct {
        struct policy_set_in in;
        int code;
        const char *field;
    } cases[] = {
        {{"cq.dibao.standard.urban", "770.00", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
        {{"auth.lockout_failures", "-1", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
        {{"nat.dibao.marginal_multiplier", "1,5", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
        {{"nat.dibao.marginal_multiplier", "1.5", "2026-02-30", "s", NULL}, MS_EFIELD,
         "effective_from"},
        {{"nat.dibao.marginal_multiplier", "1.5", "2026-07-01", "", NULL}, MS_EMISSING, "source"},
        {{"no.such.key", "1", "2026-07-01", "s", NULL}, MS_ENOTFOUND, "key"},
        {{"cq.dibao.standard.urban", "1", "2025-07-01", "s", NULL}, MS_EEXISTS, "effective_from"},
        /* issue 2 review: an overflowing or zero timeout would lock everyone out */
        {{"auth.session_idle_minutes", "99999999999999999999", "2026-07-01", "s", NULL}, MS_EFIELD,
         "value"},
        {{"auth.session_idle_minutes", "0", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
        {{"auth.session_idle_minutes", "1441", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
        {{"cq.dibao.standard.urban", "-5", "2026-07-01", "s", NULL}, MS_EFIELD, "value"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        assert_int_equal(policy_set(st, &cases[i].in, &test_actor, &err), cases[i].code);
        assert_string_equal(err.field, cases[i].field);
    }
    struct audit_verify_result res;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 0);
}

static void test_list_shows_keys_without_value(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct policy_item *items;
    size_t n;
    int seen_gap = 0, seen_std = 0;
    ms_arena_init(&a, 0);
    assert_int_equal(policy_list(st, "2025-07-01", &a, &items, &n, &err), 0);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].def.key, "nat.rigid.income_ceiling") == 0)
            seen_gap = !items[i].has_value;
        if (strcmp(items[i].def.key, "cq.dibao.standard.urban") == 0)
            seen_std = items[i].has_value && strcmp(items[i].value.value, "77000") == 0 &&
                       strcmp(items[i].value.key, "cq.dibao.standard.urban") == 0;
    }
    assert_true(seen_gap);
    assert_true(seen_std);
    ms_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
        T(test_value_in_force_follows_effective_date),
        T(test_set_adds_a_version_and_audits_it),
        T(test_set_refuses_bad_values),
        T(test_list_shows_keys_without_value),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
