/*
 * test_store.c - the store API, run once on SQLite and once on PostgreSQL
 * (test_store_pg, MS_TEST_ENGINE=pg): both engines must give the same
 * answers to the same SQL, so every test here runs unchanged on both, except
 * the few that pin an engine-only behaviour and skip on the other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h> /* after the three it needs */

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "store/store.h"
#include "store/store_int.h"
#include "unit/store/test_support.h"

#include "core/banned.h"

/* --- helpers ------------------------------------------------------------------- */

static int setup(void **state)
{
    *state = test_store_open();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    test_store_close(*state);
    return 0;
}

/* Runs sql after translating the dialect words ({{pk}}, {{blob}}, blocks). */
static void exec_ok(struct store *st, const char *sql)
{
    struct ms_err err = MS_ERR_INIT;
    char *translated = store_migrate_translate(st, sql);
    int rc = store_exec(st, translated, &err);
    free(translated);
    if (rc != 0)
        fail_msg("exec '%s': %s", sql, err.message);
}

static struct store_stmt *prepare_ok(struct store *st, const char *sql)
{
    struct store_stmt *s = NULL;
    struct ms_err err = MS_ERR_INIT;
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare '%s': %s", sql, err.message);
    return s;
}

/* The first column of the only row of sql. */
static int64_t query_int(struct store *st, const char *sql)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s = prepare_ok(st, sql);
    int rc = store_step(s, &err);
    if (rc != STORE_ROW)
        fail_msg("query '%s': rc %d: %s", sql, rc, err.message);
    int64_t v = store_col_int64(s, 0);
    store_reset(s);
    return v;
}

/* Runs a prepared statement to its end with one text parameter (or none). */
static int run_text(struct store *st, const char *sql, const char *param, struct ms_err *err)
{
    struct store_stmt *s;
    int rc = store_prepare(st, sql, &s, err);
    if (rc < 0)
        return rc;
    if (param)
        store_bind_text(s, 1, param);
    while ((rc = store_step(s, err)) == STORE_ROW)
        ;
    store_reset(s);
    return rc;
}

static void create_kv(struct store *st)
{
    exec_ok(st, "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)");
}

static void insert_kv(struct store *st, const char *k, int64_t v)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s = prepare_ok(st, "INSERT INTO kv (k, v) VALUES (?, ?)");
    store_bind_text(s, 1, k);
    store_bind_int64(s, 2, v);
    if (store_step(s, &err) != STORE_DONE)
        fail_msg("insert kv: %s", err.message);
    store_reset(s);
}

/* --- values ------------------------------------------------------------------------ */

static void test_columns_of_every_type_round_trip(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE t (i BIGINT, s TEXT, b {{blob}}, n TEXT)");

    struct store_stmt *s = prepare_ok(st, "INSERT INTO t (i, s, b, n) VALUES (?, ?, ?, ?)");
    store_bind_int64(s, 1, 42);
    store_bind_text(s, 2, "hello");
    store_bind_blob(s, 3, "\x01\x02\x03", 3);
    store_bind_null(s, 4);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);

    s = prepare_ok(st, "SELECT i, s, b, n FROM t");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(store_col_count(s), 4);
    assert_string_equal(store_col_name(s, 0), "i");
    assert_string_equal(store_col_name(s, 3), "n");
    assert_int_equal(store_col_int64(s, 0), 42);
    assert_string_equal(store_col_text(s, 1), "hello");
    size_t len = 0;
    const void *b = store_col_blob(s, 2, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(b, "\x01\x02\x03", 3);
    assert_false(store_col_is_null(s, 0));
    assert_true(store_col_is_null(s, 3));
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);
}

static void test_null_reads_as_zero_null_text_and_empty_blob(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE t (i BIGINT, s TEXT, b {{blob}})");
    struct store_stmt *s = prepare_ok(st, "INSERT INTO t (i, s, b) VALUES (?, ?, ?)");
    store_bind_null(s, 1);
    store_bind_text(s, 2, NULL);
    store_bind_null(s, 3);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);

    s = prepare_ok(st, "SELECT i, s, b FROM t");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    for (int col = 0; col < 3; col++)
        assert_true(store_col_is_null(s, col));
    assert_int_equal(store_col_int64(s, 0), 0);
    assert_null(store_col_text(s, 1));
    size_t len = 99;
    assert_non_null(store_col_blob(s, 2, &len));
    assert_int_equal(len, 0);
    store_reset(s);
}

static void test_unbound_parameter_is_null(void **state)
{
    struct store *st = *state;
    exec_ok(st, "CREATE TABLE t (s TEXT)");
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(run_text(st, "INSERT INTO t (s) VALUES (?)", NULL, &err), STORE_DONE);
    assert_int_equal(query_int(st, "SELECT count(*) FROM t WHERE s IS NULL"), 1);
}

static void test_chinese_text_round_trips(void **state)
{
    static const char text[] = "民生服务：低保、特困 ✓ 𠮷";
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE t (s TEXT NOT NULL)");
    assert_int_equal(run_text(st, "INSERT INTO t (s) VALUES (?)", text, &err), STORE_DONE);

    struct store_stmt *s = prepare_ok(st, "SELECT s, length(s) FROM t WHERE s LIKE ?");
    store_bind_text(s, 1, "民生%");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_string_equal(store_col_text(s, 0), text);
    assert_int_equal(store_col_int64(s, 1), 14); /* characters, not bytes */
    store_reset(s);
}

static void test_blob_with_zero_bytes_round_trips(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)(i * 7 % 256); /* starts with 0, has '\\' and 0xff */
    exec_ok(st, "CREATE TABLE t (id BIGINT PRIMARY KEY, b {{blob}})");
    struct store_stmt *s = prepare_ok(st, "INSERT INTO t (id, b) VALUES (?, ?)");
    store_bind_int64(s, 1, 1);
    store_bind_blob(s, 2, bytes, sizeof(bytes));
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);
    s = prepare_ok(st, "INSERT INTO t (id, b) VALUES (?, ?)");
    store_bind_int64(s, 1, 2);
    store_bind_blob(s, 2, "", 0);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);

    s = prepare_ok(st, "SELECT b, b FROM t ORDER BY id");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    size_t len = 0;
    const void *b = store_col_blob(s, 0, &len);
    assert_int_equal(len, sizeof(bytes));
    assert_memory_equal(b, bytes, sizeof(bytes));
    b = store_col_blob(s, 1, &len); /* a second column of the same row stays valid */
    assert_int_equal(len, sizeof(bytes));
    assert_memory_equal(store_col_blob(s, 0, &len), b, sizeof(bytes));
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_false(store_col_is_null(s, 0)); /* an empty blob is not NULL */
    store_col_blob(s, 0, &len);
    assert_int_equal(len, 0);
    store_reset(s);
}

static void test_int64_extremes_round_trip(void **state)
{
    static const int64_t values[] = {INT64_MIN, INT64_MAX, 0, -1, 2147483648LL, -2147483649LL};
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE t (v BIGINT NOT NULL)");
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        struct store_stmt *s = prepare_ok(st, "INSERT INTO t (v) VALUES (?)");
        store_bind_int64(s, 1, values[i]);
        assert_int_equal(store_step(s, &err), STORE_DONE);
        store_reset(s);

        s = prepare_ok(st, "SELECT CAST(? AS BIGINT)");
        store_bind_int64(s, 1, values[i]);
        assert_int_equal(store_step(s, &err), STORE_ROW);
        assert_true(store_col_int64(s, 0) == values[i]);
        store_reset(s);
    }
    assert_true(query_int(st, "SELECT min(v) FROM t") == INT64_MIN);
    assert_true(query_int(st, "SELECT max(v) FROM t") == INT64_MAX);
}

static void test_boolean_expressions_read_as_one_and_zero(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s = prepare_ok(st, "SELECT 1 = 1, 1 = 2, 42");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(store_col_int64(s, 0), 1);
    assert_int_equal(store_col_int64(s, 1), 0);
    assert_string_equal(store_col_text(s, 2), "42"); /* integers read as text too */
    store_reset(s);
}

static void test_rows_come_in_order_then_done_stays_done(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    insert_kv(st, "b", 2);
    insert_kv(st, "a", 1);
    insert_kv(st, "c", 3);
    struct store_stmt *s = prepare_ok(st, "SELECT k, v FROM kv ORDER BY k");
    const char *want[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_step(s, &err), STORE_ROW);
        assert_string_equal(store_col_text(s, 0), want[i]);
        assert_int_equal(store_col_int64(s, 1), i + 1);
    }
    assert_int_equal(store_step(s, &err), STORE_DONE);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    assert_null(store_col_text(s, 0)); /* no current row */
    store_reset(s);

    s = prepare_ok(st, "INSERT INTO kv (k, v) VALUES ('d', 4)");
    assert_int_equal(store_step(s, &err), STORE_DONE);
    assert_int_equal(store_step(s, &err), STORE_DONE); /* not run twice */
    store_reset(s);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 4);
}

/* --- statements ------------------------------------------------------------------- */

static void test_prepare_same_text_returns_same_statement_with_bindings_cleared(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    char copy[] = "SELECT CAST(? AS BIGINT)";
    struct store_stmt *s1 = prepare_ok(st, "SELECT CAST(? AS BIGINT)");
    store_bind_int64(s1, 1, 5);
    assert_int_equal(store_step(s1, &err), STORE_ROW);
    assert_int_equal(store_col_int64(s1, 0), 5);

    /* The same text from another buffer, while s1 still has a row. */
    struct store_stmt *s2 = prepare_ok(st, copy);
    assert_ptr_equal(s1, s2);
    assert_int_equal(store_step(s2, &err), STORE_ROW);
    assert_true(store_col_is_null(s2, 0));
    store_reset(s2);

    struct store_stmt *other = prepare_ok(st, "SELECT CAST(? AS BIGINT) + 1");
    assert_ptr_not_equal(other, s1);
    store_reset(other);
}

static void test_many_statements_stay_cached(void **state)
{
    struct store *st = *state;
    struct store_stmt *first[100];
    char sql[64];
    for (int i = 0; i < 100; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d", i);
        first[i] = prepare_ok(st, sql);
        assert_int_equal(query_int(st, sql), i);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d", i);
        assert_ptr_equal(prepare_ok(st, sql), first[i]);
        store_reset(first[i]);
    }
}

static void test_question_mark_in_string_literal_is_not_a_placeholder(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s = prepare_ok(st, "SELECT 'what?' AS a, CAST(? AS BIGINT) AS b, \"q?\"\n"
                                          "FROM (SELECT 7 AS \"q?\") AS x /* really? */ -- why?");
    store_bind_int64(s, 1, 42);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_string_equal(store_col_text(s, 0), "what?");
    assert_int_equal(store_col_int64(s, 1), 42);
    assert_int_equal(store_col_int64(s, 2), 7);
    store_reset(s);
}

static void test_placeholders_are_numbered_outside_quotes_and_comments(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out;
        int n;
    } cases[] = {
        {"SELECT ?, ?", "SELECT $1, $2", 2},
        {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
        {"SELECT E'a\\'?', ?", "SELECT E'a\\'?', $1", 1},
        {"SELECT \"a?\"\"b\" FROM t WHERE x = ?", "SELECT \"a?\"\"b\" FROM t WHERE x = $1", 1},
        {"SELECT 1 -- ?\n, ?", "SELECT 1 -- ?\n, $1", 1},
        {"SELECT /* ? /* ? */ ? */ ?", "SELECT /* ? /* ? */ ? */ $1", 1},
        {"SELECT $$ ? $$, $q$ ?$$ $q$, ?", "SELECT $$ ? $$, $q$ ?$$ $q$, $1", 1},
        {"SELECT a$b, ?", "SELECT a$b, $1", 1},
        {"SELECT 'open ?", "SELECT 'open ?", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = -1;
        char *out = store__pg_placeholders(cases[i].in, &n);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, cases[i].n);
        free(out);
    }
}

static void test_returning_gives_the_inserted_row(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE t (id {{pk}}, name TEXT NOT NULL)");
    for (int64_t want = 1; want <= 2; want++) {
        struct store_stmt *s = prepare_ok(st, "INSERT INTO t (name) VALUES (?) RETURNING id, name");
        store_bind_text(s, 1, "张三");
        assert_int_equal(store_step(s, &err), STORE_ROW);
        assert_int_equal(store_col_int64(s, 0), want);
        assert_string_equal(store_col_text(s, 1), "张三");
        assert_int_equal(store_step(s, &err), STORE_DONE);
        assert_int_equal(store_changes(s), 1);
        store_reset(s);
    }
}

static void test_on_conflict_do_nothing_skips_the_duplicate(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    for (int i = 0; i < 2; i++) {
        struct store_stmt *s =
            prepare_ok(st, "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING");
        store_bind_text(s, 1, "a");
        store_bind_int64(s, 2, 10 + i);
        assert_int_equal(store_step(s, &err), STORE_DONE);
        assert_int_equal(store_changes(s), i == 0 ? 1 : 0);
        store_reset(s);
    }
    assert_int_equal(query_int(st, "SELECT v FROM kv WHERE k = 'a'"), 10);
}

static void test_on_conflict_do_update_changes_the_row(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    for (int i = 0; i < 2; i++) {
        struct store_stmt *s = prepare_ok(st, "INSERT INTO kv (k, v) VALUES (?, ?)"
                                              " ON CONFLICT (k) DO UPDATE SET v = excluded.v"
                                              " RETURNING v");
        store_bind_text(s, 1, "a");
        store_bind_int64(s, 2, 10 + i);
        assert_int_equal(store_step(s, &err), STORE_ROW);
        assert_int_equal(store_col_int64(s, 0), 10 + i);
        assert_int_equal(store_step(s, &err), STORE_DONE);
        assert_int_equal(store_changes(s), 1);
        store_reset(s);
    }
    assert_int_equal(query_int(st, "SELECT v FROM kv WHERE k = 'a'"), 11);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 1);
}

static void test_changes_counts_rows_of_the_last_run(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    insert_kv(st, "a", 1);
    insert_kv(st, "b", 2);
    insert_kv(st, "c", 3);

    struct store_stmt *s = prepare_ok(st, "UPDATE kv SET v = v + 1");
    assert_int_equal(store_step(s, &err), STORE_DONE);
    assert_int_equal(store_changes(s), 3);
    store_reset(s);

    s = prepare_ok(st, "SELECT k FROM kv");
    while (store_step(s, &err) == STORE_ROW)
        ;
    assert_int_equal(store_changes(s), 0); /* reading changes nothing */
    store_reset(s);

    s = prepare_ok(st, "DELETE FROM kv WHERE v >= ?");
    store_bind_int64(s, 1, 3);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    assert_int_equal(store_changes(s), 2);
    store_reset(s);
}

static void test_exec_runs_several_statements(void **state)
{
    struct store *st = *state;
    exec_ok(st, "CREATE TABLE a (x BIGINT); CREATE TABLE b (y BIGINT);\n"
                "INSERT INTO a (x) VALUES (1); INSERT INTO b (y) VALUES (2);");
    assert_int_equal(query_int(st, "SELECT x + (SELECT y FROM b) FROM a"), 3);
}

static void test_prepare_of_two_statements_fails(void **state)
{
    struct store *st = *state;
    struct store_stmt *s = NULL;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(store_prepare(st, "SELECT 1; SELECT 2", &s, &err), MS_EDB);
    assert_null(s);
    /* A trailing semicolon or comment is not a second statement. */
    assert_int_equal(query_int(st, "SELECT 3; -- done"), 3);
}

static void test_bind_index_out_of_range_fails_at_step(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s = prepare_ok(st, "SELECT CAST(? AS BIGINT)");
    store_bind_int64(s, 1, 1);
    store_bind_int64(s, 2, 2);
    assert_int_equal(store_step(s, &err), MS_EDB);
    assert_non_null(strstr(err.message, "bind index 2"));
    store_reset(s);
    /* Reset clears the fault; the statement works again. */
    store_bind_int64(s, 1, 9);
    ms_err_init(&err);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(store_col_int64(s, 0), 9);
    store_reset(s);
}

/* --- errors ----------------------------------------------------------------------- */

static void test_unique_violation_maps_to_eexists(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE u (id {{pk}}, name TEXT NOT NULL UNIQUE)");
    assert_int_equal(run_text(st, "INSERT INTO u (name) VALUES (?)", "a", &err), STORE_DONE);
    assert_int_equal(run_text(st, "INSERT INTO u (name) VALUES (?)", "a", &err), MS_EEXISTS);
    assert_int_equal(err.code, MS_EEXISTS);
    assert_true(err.message[0] != '\0');
}

static void test_primary_key_violation_maps_to_eexists(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    insert_kv(st, "a", 1);
    assert_int_equal(run_text(st, "INSERT INTO kv (k, v) VALUES (?, 2)", "a", &err), MS_EEXISTS);

    exec_ok(st, "CREATE TABLE t (id {{pk}})");
    ms_err_init(&err);
    assert_int_equal(run_text(st, "INSERT INTO t (id) VALUES (1)", NULL, &err), STORE_DONE);
    assert_int_equal(run_text(st, "INSERT INTO t (id) VALUES (1)", NULL, &err), MS_EEXISTS);
}

static void test_check_not_null_and_foreign_key_violations_map_to_econflict(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE p (id BIGINT PRIMARY KEY);"
                "CREATE TABLE c (id BIGINT PRIMARY KEY, p_id BIGINT NOT NULL REFERENCES p (id),"
                " n BIGINT NOT NULL CHECK (n >= 0))");
    exec_ok(st, "INSERT INTO p (id) VALUES (1)");
    assert_int_equal(run_text(st, "INSERT INTO c (id, p_id, n) VALUES (1, 1, -1)", NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(run_text(st, "INSERT INTO c (id, p_id, n) VALUES (1, NULL, 1)", NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(run_text(st, "INSERT INTO c (id, p_id, n) VALUES (1, 2, 1)", NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(run_text(st, "INSERT INTO c (id, p_id, n) VALUES (1, 1, 1)", NULL, &err),
                     STORE_DONE);
}

static void test_trigger_abort_maps_to_econflict(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    exec_ok(st, "CREATE TABLE log (x BIGINT);\n"
                "--@sqlite\n"
                "CREATE TRIGGER log_no_delete BEFORE DELETE ON log\n"
                "BEGIN SELECT RAISE(ABORT, 'log is append-only'); END;\n"
                "--@end\n"
                "--@postgres\n"
                "CREATE FUNCTION log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN RAISE EXCEPTION 'log is append-only' USING ERRCODE = '23000'; END; $$;\n"
                "CREATE TRIGGER log_no_delete BEFORE DELETE ON log\n"
                "    FOR EACH ROW EXECUTE FUNCTION log_refuse();\n"
                "--@end\n"
                "INSERT INTO log (x) VALUES (1);");
    assert_int_equal(run_text(st, "DELETE FROM log", NULL, &err), MS_ECONFLICT);
    assert_non_null(strstr(err.message, "append-only"));
    assert_int_equal(query_int(st, "SELECT count(*) FROM log"), 1);
}

static void test_syntax_error_maps_to_edb_with_the_engine_message(void **state)
{
    struct store *st = *state;
    struct store_stmt *s = NULL;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(store_prepare(st, "SELEC 1", &s, &err), MS_EDB);
    assert_non_null(strstr(err.message, "syntax error"));
    ms_err_init(&err);
    assert_int_equal(store_exec(st, "CREATE TABLE (", &err), MS_EDB);
    assert_non_null(strstr(err.message, "syntax error"));
}

static void test_failures_are_counted_in_stats(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stats before, after;
    create_kv(st);
    insert_kv(st, "a", 1);
    store_stats_get(&before);
    assert_int_equal(run_text(st, "INSERT INTO kv (k, v) VALUES (?, 1)", "a", &err), MS_EEXISTS);
    store_stats_get(&after);
    assert_true(after.errors == before.errors + 1);
    assert_true(after.busy == before.busy);
}

/* --- transactions ------------------------------------------------------------------- */

static void test_rollback_discards_and_commit_keeps(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    assert_int_equal(store_begin(st, &err), 0);
    assert_true(store_in_tx(st));
    insert_kv(st, "a", 1);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 1); /* own writes visible */
    store_rollback(st);
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 0);

    assert_int_equal(store_begin(st, &err), 0);
    insert_kv(st, "b", 2);
    assert_int_equal(store_commit(st, &err), 0);
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 1);
}

/* SQLite will not commit while a writing statement has rows left unread;
 * the store finishes it (its changes are made) instead of failing. */
static void test_commit_keeps_a_partly_read_returning(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    assert_int_equal(store_begin(st, &err), 0);
    struct store_stmt *s =
        prepare_ok(st, "INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2), ('c', 3) RETURNING k");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(store_commit(st, &err), 0);
    store_reset(s);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 3);
}

static void test_uncommitted_rows_are_invisible_to_other_connections(void **state)
{
    (void)state;
    char url[TEST_STORE_URL_MAX];
    struct ms_err err = MS_ERR_INIT;
    struct store *st = test_store_open_shared(url, sizeof(url));
    assert_non_null(st);
    struct store *other = test_store_connect(url);
    assert_non_null(other);
    create_kv(st);

    assert_int_equal(store_begin(st, &err), 0);
    insert_kv(st, "a", 1);
    assert_int_equal(query_int(other, "SELECT count(*) FROM kv"), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(query_int(other, "SELECT count(*) FROM kv"), 1);

    store_close(other);
    test_store_close(st);
}

struct tx_probe {
    int calls;
    int busy_calls; /* fail with MS_EBUSY on this many calls first */
    int fail_code;  /* then fail with this, or 0 to succeed */
};

static int probe_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct tx_probe *p = ctx;
    p->calls++;
    insert_kv(st, p->calls == 1 ? "first" : "again", p->calls);
    if (p->calls <= p->busy_calls)
        return ms_err_set(err, MS_EBUSY, "simulated busy %d", p->calls);
    if (p->fail_code)
        return ms_err_set(err, p->fail_code, "simulated failure");
    return 0;
}

static void test_tx_commits_when_fn_succeeds(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct tx_probe p = {0, 0, 0};
    create_kv(st);
    assert_int_equal(store_tx(st, probe_tx, &p, &err), 0);
    assert_int_equal(p.calls, 1);
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT v FROM kv WHERE k = 'first'"), 1);
}

static void test_tx_rolls_back_on_error(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct tx_probe p = {0, 0, MS_ECONFLICT};
    create_kv(st);
    assert_int_equal(store_tx(st, probe_tx, &p, &err), MS_ECONFLICT);
    assert_int_equal(err.code, MS_ECONFLICT);
    assert_int_equal(p.calls, 1); /* other errors are not retried */
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 0);
}

static int insert_twice_tx(struct store *st, void *ctx, struct ms_err *err)
{
    (void)ctx;
    insert_kv(st, "a", 1);
    return run_text(st, "INSERT INTO kv (k, v) VALUES (?, 2)", "a", err);
}

static void test_tx_rolls_back_when_a_statement_fails(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    create_kv(st);
    assert_int_equal(store_tx(st, insert_twice_tx, NULL, &err), MS_EEXISTS);
    assert_false(store_in_tx(st));
    /* The connection is usable again (PostgreSQL: no longer "aborted"). */
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 0);
}

static void test_tx_retries_busy_until_success(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stats before, after;
    struct tx_probe p = {0, 2, 0};
    create_kv(st);
    store_stats_get(&before);
    assert_int_equal(store_tx(st, probe_tx, &p, &err), 0);
    store_stats_get(&after);
    assert_int_equal(p.calls, 3); /* the third call commits */
    assert_int_equal(err.code, 0);
    assert_true(after.retries == before.retries + 2);
    /* Only the committed attempt left rows: the busy ones were rolled back. */
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 1);
    assert_int_equal(query_int(st, "SELECT v FROM kv"), 3);
}

static void test_tx_gives_up_after_ten_busy_attempts(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct tx_probe p = {0, 1000, 0};
    create_kv(st);
    assert_int_equal(store_tx(st, probe_tx, &p, &err), MS_EBUSY);
    assert_int_equal(p.calls, 10);
    assert_int_equal(err.code, MS_EBUSY);
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 0);
}

struct counter_worker {
    const char *url;
    int failures;
    char message[MS_ERR_MSG_MAX];
};

static int increment_tx(struct store *st, void *ctx, struct ms_err *err)
{
    (void)ctx;
    int rc = run_text(st, "UPDATE counter SET n = n + 1 WHERE id = 1", NULL, err);
    return rc < 0 ? rc : 0;
}

static void *counter_worker_run(void *arg)
{
    struct counter_worker *w = arg;
    struct store *st = test_store_connect(w->url);
    if (!st) {
        w->failures = 200;
        return NULL;
    }
    for (int i = 0; i < 200; i++) {
        struct ms_err err = MS_ERR_INIT;
        if (store_tx(st, increment_tx, NULL, &err) != 0) {
            w->failures++;
            snprintf(w->message, sizeof(w->message), "%s", err.message);
        }
    }
    store_close(st);
    return NULL;
}

/* Two connections, one per thread, on a real file (SQLite) or database. */
static void test_concurrent_increments_in_tx_reach_400(void **state)
{
    (void)state;
    char url[TEST_STORE_URL_MAX];
    struct store *st = test_store_open_shared(url, sizeof(url));
    assert_non_null(st);
    exec_ok(st, "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
                "INSERT INTO counter (id, n) VALUES (1, 0)");
    struct counter_worker workers[2] = {{url, 0, ""}, {url, 0, ""}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, counter_worker_run, &workers[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < 2; i++)
        if (workers[i].failures)
            fail_msg("worker %d: %d failures: %s", i, workers[i].failures, workers[i].message);
    assert_int_equal(query_int(st, "SELECT n FROM counter WHERE id = 1"), 400);
    test_store_close(st);
}

/* --- engine-specific ------------------------------------------------------------------ */

static int swallow_error_tx(struct store *st, void *ctx, struct ms_err *err)
{
    (void)ctx;
    struct ms_err ignored = MS_ERR_INIT;
    (void)err;
    insert_kv(st, "a", 1);
    run_text(st, "INSERT INTO kv (k, v) VALUES (?, 2)", "a", &ignored);
    return 0; /* a bug: the error is dropped */
}

static void test_commit_of_an_aborted_transaction_fails_on_pg(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    if (store_engine(st) != STORE_POSTGRES)
        skip();
    create_kv(st);
    assert_int_equal(store_tx(st, swallow_error_tx, NULL, &err), MS_EDB);
    assert_non_null(strstr(err.message, "aborted"));
    assert_false(store_in_tx(st));
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 0);
}

static void test_pg_reconnects_after_the_connection_is_lost(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    if (store_engine(st) != STORE_POSTGRES)
        skip();
    assert_int_equal(query_int(st, "SELECT CAST(41 AS BIGINT) + 1"), 42);
    assert_true(store_exec(st, "SELECT pg_terminate_backend(pg_backend_pid())", &err) < 0);
    /* The cached statement is prepared again on the new session. */
    assert_int_equal(query_int(st, "SELECT CAST(41 AS BIGINT) + 1"), 42);
    create_kv(st);
    insert_kv(st, "a", 1);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kv"), 1);
}

static void test_sqlite_file_opens_in_wal_mode_only_with_create(void **state)
{
    (void)state;
    char path[] = "/tmp/ms-test-wal-XXXXXX";
    char db[64];
    struct store *st = NULL;
    struct ms_err err = MS_ERR_INIT;
    assert_non_null(mkdtemp(path));
    snprintf(db, sizeof(db), "%s/new.db", path);
    assert_int_equal(store_open(db, 0, &st, &err), MS_EDB);
    assert_null(st);
    assert_non_null(strstr(err.message, "new.db"));

    assert_int_equal(store_open(db, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_engine(st), STORE_SQLITE);
    assert_string_equal(store_engine_name(st), "sqlite");
    struct store_stmt *s = prepare_ok(st, "PRAGMA journal_mode");
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_string_equal(store_col_text(s, 0), "wal");
    store_reset(s);
    assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 5000);
    store_close(st);
    char wal[80];
    unlink(db);
    snprintf(wal, sizeof(wal), "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", db);
    unlink(wal);
    rmdir(path);
}

static void test_pg_connect_failure_does_not_show_the_password(void **state)
{
    (void)state;
    struct store *st = NULL;
    struct ms_err err = MS_ERR_INIT;
    int rc =
        store_open("postgresql://u:Sup3rSecretPw@127.0.0.1:1/x?connect_timeout=2", 0, &st, &err);
    assert_int_equal(rc, MS_EDB);
    assert_null(st);
    assert_non_null(strstr(err.message, "cannot connect to postgres"));
    assert_null(strstr(err.message, "Sup3rSecretPw"));

    /* libpq quotes the host back; a password that happens to match it is
     * masked all the same. */
    ms_err_init(&err);
    rc = store_open("postgresql://u:nosuchhost.invalid@nosuchhost.invalid/x?connect_timeout=2", 0,
                    &st, &err);
    assert_int_equal(rc, MS_EDB);
    assert_non_null(strstr(err.message, "cannot connect to postgres"));
    assert_null(strstr(err.message, "nosuchhost"));
}

static void test_url_selects_the_engine(void **state)
{
    (void)state;
    assert_true(store_url_is_postgres("postgresql://h/db"));
    assert_true(store_url_is_postgres("postgres://h/db"));
    assert_false(store_url_is_postgres("/var/lib/minsheng/db.sqlite"));
    assert_false(store_url_is_postgres(":memory:"));
    assert_false(store_url_is_postgres("postgresql.db"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_columns_of_every_type_round_trip),
        T(test_null_reads_as_zero_null_text_and_empty_blob),
        T(test_unbound_parameter_is_null),
        T(test_chinese_text_round_trips),
        T(test_blob_with_zero_bytes_round_trips),
        T(test_int64_extremes_round_trip),
        T(test_boolean_expressions_read_as_one_and_zero),
        T(test_rows_come_in_order_then_done_stays_done),
        T(test_prepare_same_text_returns_same_statement_with_bindings_cleared),
        T(test_many_statements_stay_cached),
        T(test_question_mark_in_string_literal_is_not_a_placeholder),
        cmocka_unit_test(test_placeholders_are_numbered_outside_quotes_and_comments),
        T(test_returning_gives_the_inserted_row),
        T(test_on_conflict_do_nothing_skips_the_duplicate),
        T(test_on_conflict_do_update_changes_the_row),
        T(test_changes_counts_rows_of_the_last_run),
        T(test_exec_runs_several_statements),
        T(test_prepare_of_two_statements_fails),
        T(test_bind_index_out_of_range_fails_at_step),
        T(test_unique_violation_maps_to_eexists),
        T(test_primary_key_violation_maps_to_eexists),
        T(test_check_not_null_and_foreign_key_violations_map_to_econflict),
        T(test_trigger_abort_maps_to_econflict),
        T(test_syntax_error_maps_to_edb_with_the_engine_message),
        T(test_failures_are_counted_in_stats),
        T(test_rollback_discards_and_commit_keeps),
        T(test_commit_keeps_a_partly_read_returning),
        cmocka_unit_test(test_uncommitted_rows_are_invisible_to_other_connections),
        T(test_tx_commits_when_fn_succeeds),
        T(test_tx_rolls_back_on_error),
        T(test_tx_rolls_back_when_a_statement_fails),
        T(test_tx_retries_busy_until_success),
        T(test_tx_gives_up_after_ten_busy_attempts),
        cmocka_unit_test(test_concurrent_increments_in_tx_reach_400),
        T(test_commit_of_an_aborted_transaction_fails_on_pg),
        T(test_pg_reconnects_after_the_connection_is_lost),
        cmocka_unit_test(test_sqlite_file_opens_in_wal_mode_only_with_create),
        cmocka_unit_test(test_pg_connect_failure_does_not_show_the_password),
        cmocka_unit_test(test_url_selects_the_engine),
    };
    return cmocka_run_group_tests_name(test_store_is_pg() ? "store (postgres)" : "store (sqlite)",
                                       tests, NULL, NULL);
}
