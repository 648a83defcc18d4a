/*
 * test_audit.c - the hash-chained audit log: appends chain, verification
 * catches an edited, a deleted and an inserted row, and the table refuses
 * UPDATE and DELETE.
 */
#include "module_fixture.h"

#include <string.h>

#include "modules/audit/audit.h"
#include "core/banned.h"

static void append_n(struct store *st, int n)
{
    struct ms_err err = MS_ERR_INIT;
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof(id), "obj%d", i + 1);
        struct audit_entry e = {.action = "test.write", .object_type = "thing", .object_id = id,
                                .result = "ok", .detail = "第一条 | with | bars"};
        assert_int_equal(audit_record(st, &test_actor, &e, &err), 0);
    }
}

/* Lets the test change audit_log as an attacker with database access would. */
static void drop_guards(struct store *st)
{
    if (store_engine(st) == STORE_SQLITE)
        fixture_exec(st, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
    else
        fixture_exec(st, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
}

static void verify_fails_at(struct store *st, int64_t seq)
{
    struct audit_verify_result res;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(audit_verify(st, &res, &err), MS_EINTEGRITY);
    assert_int_equal(res.first_bad, seq);
    assert_true(strlen(res.reason) > 0);
}

static void test_audit_chain_verifies_when_intact(void **state)
{
    struct store *st = *state;
    struct audit_verify_result res;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 0);
    append_n(st, 5);
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 5);
    assert_int_equal(res.first_bad, 0);
}

static void test_audit_verify_catches_edited_row(void **state)
{
    struct store *st = *state;
    append_n(st, 5);
    drop_guards(st);
    fixture_exec(st, "UPDATE audit_log SET action = 'test.other' WHERE seq = 3");
    verify_fails_at(st, 3);
}

static void test_audit_verify_catches_deleted_middle_row(void **state)
{
    struct store *st = *state;
    append_n(st, 5);
    drop_guards(st);
    fixture_exec(st, "DELETE FROM audit_log WHERE seq = 2");
    verify_fails_at(st, 3);
}

static void test_audit_verify_catches_deleted_last_row(void **state)
{
    struct store *st = *state;
    append_n(st, 5);
    drop_guards(st);
    fixture_exec(st, "DELETE FROM audit_log WHERE seq = 5");
    verify_fails_at(st, 5);
}

static void test_audit_verify_catches_inserted_row(void **state)
{
    struct store *st = *state;
    append_n(st, 3);
    /* A forged entry that even links to the real last hash. */
    fixture_exec(st, "INSERT INTO audit_log SELECT 4, ts, actor_user_id, actor, actor_role, ip,"
                     " request_id, 'forged', object_type, object_id, subject, purpose, result,"
                     " detail, hash, hash FROM audit_log WHERE seq = 3");
    verify_fails_at(st, 4);
}

static void test_audit_log_refuses_update_and_delete(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    append_n(st, 2);
    assert_int_not_equal(store_exec(st, "UPDATE audit_log SET action = 'x' WHERE seq = 1", &err),
                         0);
    ms_err_init(&err);
    assert_int_not_equal(store_exec(st, "DELETE FROM audit_log WHERE seq = 1", &err), 0);
    struct audit_verify_result res;
    ms_err_init(&err);
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 2);
}

static void test_audit_append_rolls_back_with_its_transaction(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    append_n(st, 1);
    assert_int_equal(store_begin(st, &err), 0);
    struct audit_entry e = {.action = "test.lost", .object_type = "thing", .object_id = "x",
                            .result = "ok"};
    assert_int_equal(audit_append(st, &test_actor, &e, &err), 0);
    store_rollback(st);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 1);
    append_n(st, 1); /* the sequence continues without a gap */
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.entries, 2);
}

static void test_audit_query_filters_newest_first(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct audit_row *rows;
    size_t n;
    append_n(st, 4);
    ms_arena_init(&a, 0);
    struct audit_filter f = {.action = "test.write", .limit = 2};
    assert_int_equal(audit_query(st, &f, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].seq, 4);
    assert_int_equal(rows[1].seq, 3);
    f.before_seq = 3;
    assert_int_equal(audit_query(st, &f, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].seq, 2);
    struct audit_filter g = {.object_id = "obj1", .limit = 10};
    assert_int_equal(audit_query(st, &g, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].actor, "tester");
    assert_string_equal(rows[0].detail, "第一条 | with | bars");
    ms_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
        T(test_audit_chain_verifies_when_intact),
        T(test_audit_verify_catches_edited_row),
        T(test_audit_verify_catches_deleted_middle_row),
        T(test_audit_verify_catches_deleted_last_row),
        T(test_audit_verify_catches_inserted_row),
        T(test_audit_log_refuses_update_and_delete),
        T(test_audit_append_rolls_back_with_its_transaction),
        T(test_audit_query_filters_newest_first),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
