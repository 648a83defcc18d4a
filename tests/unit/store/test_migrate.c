/*
 * test_migrate.c - numbered migrations: applying, re-applying, checking and
 * translating, on SQLite and (test_migrate_pg) on PostgreSQL. The migration
 * lists here are small made-up modules; the real modules' migrations are
 * applied by their own tests (tests/unit/modules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h> /* after the three it needs */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "store/store.h"
#include "unit/store/test_support.h"

#include "core/banned.h"

/* clang-format off */
static const struct store_migration demo_v1[] = {
    {"demo", 1, "items", "CREATE TABLE items (id {{pk}}, name TEXT NOT NULL);\n"},
    {"demo", 2, "tags",
     "CREATE TABLE tags (item_id BIGINT NOT NULL REFERENCES items (id), tag TEXT NOT NULL);\n"},
    {NULL, 0, NULL, NULL},
};
static const struct store_migration demo_v2[] = {
    {"demo", 1, "items", "CREATE TABLE items (id {{pk}}, name TEXT NOT NULL);\n"},
    {"demo", 2, "tags",
     "CREATE TABLE tags (item_id BIGINT NOT NULL REFERENCES items (id), tag TEXT NOT NULL);\n"},
    {"demo", 3, "photos", "CREATE TABLE photos (item_id BIGINT NOT NULL, data {{blob}});\n"},
    {NULL, 0, NULL, NULL},
};
/* demo_v1 with 001 edited after it was applied. */
static const struct store_migration demo_edited[] = {
    {"demo", 1, "items", "CREATE TABLE items (id {{pk}}, name TEXT NOT NULL, note TEXT);\n"},
    {"demo", 2, "tags",
     "CREATE TABLE tags (item_id BIGINT NOT NULL REFERENCES items (id), tag TEXT NOT NULL);\n"},
    {NULL, 0, NULL, NULL},
};
static const struct store_migration demo_broken[] = {
    {"demo", 1, "items", "CREATE TABLE items (id {{pk}}, name TEXT NOT NULL);\n"},
    {"demo", 2, "broken",
     "CREATE TABLE half (x BIGINT);\n"
     "INSERT INTO half (x) VALUES (1);\n"
     "INSERT INTO nowhere (x) VALUES (1);\n"},
    {NULL, 0, NULL, NULL},
};
static const struct store_migration other_v1[] = {
    {"other", 1, "links", "CREATE TABLE links (item_id BIGINT NOT NULL REFERENCES items (id));\n"},
    {NULL, 0, NULL, NULL},
};
static const struct store_migration guarded[] = {
    {"guarded", 1, "log",
     "CREATE TABLE log (x BIGINT NOT NULL);\n"
     "--@sqlite\n"
     "CREATE TRIGGER log_no_update BEFORE UPDATE ON log\n"
     "BEGIN\n"
     "    SELECT RAISE(ABORT, 'log is append-only');\n"
     "END;\n"
     "--@end\n"
     "--@postgres\n"
     "CREATE FUNCTION log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN\n"
     "    RAISE EXCEPTION 'log is append-only' USING ERRCODE = '23000';\n"
     "END;\n"
     "$$;\n"
     "CREATE TRIGGER log_no_update BEFORE UPDATE ON log\n"
     "    FOR EACH ROW EXECUTE FUNCTION log_refuse();\n"
     "--@end\n"},
    {NULL, 0, NULL, NULL},
};
/* A CHECK widened on a table another references: SQLite copies the table,
 * with foreign keys off (--@sqlite-rebuild); PostgreSQL alters it. */
#define KINDS_BASE                                                                      \
    {"kinds", 1, "base",                                                                \
     "CREATE TABLE kinds (id {{pk}}, kind TEXT NOT NULL CHECK (kind IN ('a')));\n"     \
     "CREATE TABLE uses (kind_id BIGINT NOT NULL REFERENCES kinds (id));\n"            \
     "INSERT INTO kinds (kind) VALUES ('a');\n"                                        \
     "INSERT INTO uses (kind_id) VALUES (1);\n"}
static const struct store_migration kinds_widened[] = {
    KINDS_BASE,
    {"kinds", 2, "widen",
     "--@sqlite-rebuild\n"
     "--@sqlite\n"
     "CREATE TABLE kinds_new (id {{pk}}, kind TEXT NOT NULL CHECK (kind IN ('a', 'b')));\n"
     "INSERT INTO kinds_new (id, kind) SELECT id, kind FROM kinds;\n"
     "DROP TABLE kinds;\n"
     "ALTER TABLE kinds_new RENAME TO kinds;\n"
     "--@end\n"
     "--@postgres\n"
     "ALTER TABLE kinds DROP CONSTRAINT kinds_kind_check;\n"
     "ALTER TABLE kinds ADD CONSTRAINT kinds_kind_check CHECK (kind IN ('a', 'b'));\n"
     "--@end\n"},
    {NULL, 0, NULL, NULL},
};
/* A rebuild that loses the row another table references (SQLite only). */
static const struct store_migration kinds_lossy[] = {
    KINDS_BASE,
    {"kinds", 2, "lossy",
     "--@sqlite-rebuild\n"
     "CREATE TABLE kinds_new (id {{pk}}, kind TEXT NOT NULL CHECK (kind IN ('a', 'b')));\n"
     "DROP TABLE kinds;\n"
     "ALTER TABLE kinds_new RENAME TO kinds;\n"},
    {NULL, 0, NULL, NULL},
};
static const struct store_migration unterminated[] = {
    {"bad", 1, "open_block", "CREATE TABLE a (x BIGINT);\n--@sqlite\nCREATE TABLE b (x BIGINT);\n"},
    {NULL, 0, NULL, NULL},
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(name, ...)                                                        \
    static const struct store_migration *const name##_lists[] = {__VA_ARGS__}; \
    static const struct store_migration_list name = {name##_lists, COUNT(name##_lists)}

LIST(ml_v1, demo_v1);
LIST(ml_v2, demo_v2);
LIST(ml_edited, demo_edited);
LIST(ml_broken, demo_broken);
LIST(ml_two_modules, demo_v1, other_v1);
LIST(ml_guarded, guarded);
LIST(ml_unterminated, unterminated);
LIST(ml_kinds_widened, kinds_widened);
LIST(ml_kinds_lossy, kinds_lossy);

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

static size_t apply_ok(struct store *st, const struct store_migration_list *ml)
{
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 99;
    if (store_migrate_apply(st, ml, &applied, NULL, NULL, &err) != 0)
        fail_msg("apply: %s", err.message);
    return applied;
}

static int64_t query_int(struct store *st, const char *sql)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    if (store_prepare(st, sql, &s, &err) != 0 || store_step(s, &err) != STORE_ROW)
        fail_msg("query '%s': %s", sql, err.message);
    int64_t v = store_col_int64(s, 0);
    store_reset(s);
    return v;
}

/* Whether the table can be read (it exists). */
static int table_readable(struct store *st, const char *table)
{
    char sql[128];
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    int rc = store_prepare(st, sql, &s, &err);
    if (rc == 0) {
        rc = store_step(s, &err);
        store_reset(s);
    }
    return rc >= 0;
}

/* --- applying ---------------------------------------------------------------------- */

static void test_apply_from_scratch_applies_every_migration(void **state)
{
    struct store *st = *state;
    assert_int_equal(apply_ok(st, &ml_v1), 2);
    assert_true(table_readable(st, "items"));
    assert_true(table_readable(st, "tags"));
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), 2);

    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(store_prepare(st,
                                   "SELECT module, version, name, checksum, applied_at"
                                   " FROM schema_migrations ORDER BY version",
                                   &s, &err),
                     0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_string_equal(store_col_text(s, 0), "demo");
    assert_int_equal(store_col_int64(s, 1), 1);
    assert_string_equal(store_col_text(s, 2), "items");
    assert_int_equal(strlen(store_col_text(s, 3)), 16);
    assert_int_equal(strlen(store_col_text(s, 4)), 24); /* 2026-11-29T03:38:17.123Z */
    store_reset(s);
}

static void test_second_apply_applies_nothing(void **state)
{
    struct store *st = *state;
    assert_int_equal(apply_ok(st, &ml_v1), 2);
    assert_int_equal(apply_ok(st, &ml_v1), 0);
    assert_int_equal(apply_ok(st, &ml_v2), 1); /* only the new one */
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), 3);
}

static void progress_count(const struct store_migration *m, void *ctx)
{
    int *calls = ctx;
    assert_int_equal(m->version, *calls + 1);
    (*calls)++;
}

static void test_progress_reports_each_applied_migration(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    int calls = 0;
    assert_int_equal(store_migrate_apply(st, &ml_v2, &applied, progress_count, &calls, &err), 0);
    assert_int_equal(applied, 3);
    assert_int_equal(calls, 3);
}

static void test_modules_apply_in_list_order(void **state)
{
    struct store *st = *state;
    /* other 001 references demo's items table: it must run after demo. */
    assert_int_equal(apply_ok(st, &ml_two_modules), 3);
    assert_true(table_readable(st, "links"));
}

static void test_failing_migration_leaves_no_trace(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    assert_int_equal(store_migrate_apply(st, &ml_broken, &applied, NULL, NULL, &err), MS_EDB);
    assert_int_equal(applied, 1); /* 001 went in before 002 failed */
    assert_true(strncmp(err.message, "demo 002_broken: ", 17) == 0);
    assert_non_null(strstr(err.message, "nowhere"));
    assert_false(store_in_tx(st));
    assert_false(table_readable(st, "half")); /* its first statements were rolled back */
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), 1);

    size_t pending = 0;
    ms_err_init(&err);
    assert_int_equal(store_migrate_check(st, &ml_broken, &pending, &err), 0);
    assert_int_equal(pending, 1);
}

static void test_unterminated_engine_block_is_refused(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    assert_int_equal(store_migrate_apply(st, &ml_unterminated, &applied, NULL, NULL, &err),
                     MS_EINVAL);
    assert_non_null(strstr(err.message, "bad 001_open_block"));
    assert_false(table_readable(st, "a"));
}

/* --- checking ------------------------------------------------------------------------ */

static void test_check_on_an_empty_database_reports_all_pending(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t pending = 0;
    assert_int_equal(store_migrate_check(st, &ml_v2, &pending, &err), 0);
    assert_int_equal(pending, 3);
    assert_false(table_readable(st, "schema_migrations")); /* checking writes nothing */
}

static void test_check_reports_pending_migrations(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t pending = 99;
    apply_ok(st, &ml_v1);
    assert_int_equal(store_migrate_check(st, &ml_v2, &pending, &err), 0);
    assert_int_equal(pending, 1);
    apply_ok(st, &ml_v2);
    assert_int_equal(store_migrate_check(st, &ml_v2, &pending, &err), 0);
    assert_int_equal(pending, 0);
}

static void test_changed_migration_text_is_an_integrity_error(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t pending = 0, applied = 0;
    apply_ok(st, &ml_v1);
    assert_int_equal(store_migrate_check(st, &ml_edited, &pending, &err), MS_EINTEGRITY);
    assert_string_equal(err.message, "migration demo 001 was changed after it was applied");
    ms_err_init(&err);
    assert_int_equal(store_migrate_apply(st, &ml_edited, &applied, NULL, NULL, &err),
                     MS_EINTEGRITY);
    assert_int_equal(applied, 0);
}

static void test_unknown_newer_migration_is_an_integrity_error(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t pending = 0, applied = 0;
    apply_ok(st, &ml_v2);
    assert_int_equal(store_migrate_check(st, &ml_v1, &pending, &err), MS_EINTEGRITY);
    assert_non_null(strstr(err.message, "database is newer than this binary"));
    assert_non_null(strstr(err.message, "demo 003_photos"));
    ms_err_init(&err);
    assert_int_equal(store_migrate_apply(st, &ml_v1, &applied, NULL, NULL, &err), MS_EINTEGRITY);
}

/* The record's checksum is FNV-1a 64 of the text as written, before the
 * dialect words are translated, so it is the same on both engines. */
static void test_checksum_is_fnv1a_of_the_untranslated_text(void **state)
{
    struct store *st = *state;
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)demo_v1[0].sql; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    char want[17];
    snprintf(want, sizeof(want), "%016" PRIx64, h);
    apply_ok(st, &ml_v1);

    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(
        store_prepare(st, "SELECT checksum FROM schema_migrations WHERE version = 1", &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_string_equal(store_col_text(s, 0), want);
    store_reset(s);
}

/* --- the dialect ------------------------------------------------------------------------ */

static void test_pk_gives_increasing_ids(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    apply_ok(st, &ml_v1);
    int64_t last = 0;
    for (int i = 0; i < 5; i++) {
        struct store_stmt *s;
        assert_int_equal(
            store_prepare(st, "INSERT INTO items (name) VALUES (?) RETURNING id", &s, &err), 0);
        store_bind_text(s, 1, "item");
        assert_int_equal(store_step(s, &err), STORE_ROW);
        int64_t id = store_col_int64(s, 0);
        store_reset(s);
        assert_true(id > last);
        last = id;
    }
    assert_true(last >= 5);
}

static void test_blob_word_makes_a_binary_column(void **state)
{
    static const unsigned char data[] = {0, 1, 0, 0xff, '\\', 'x', 0};
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    apply_ok(st, &ml_v2);
    assert_int_equal(
        store_prepare(st, "INSERT INTO photos (item_id, data) VALUES (1, ?)", &s, &err), 0);
    store_bind_blob(s, 1, data, sizeof(data));
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);
    assert_int_equal(store_prepare(st, "SELECT data FROM photos", &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    size_t len = 0;
    const void *got = store_col_blob(s, 0, &len);
    assert_int_equal(len, sizeof(data));
    assert_memory_equal(got, data, sizeof(data));
    store_reset(s);
}

static void test_translate_keeps_only_this_engines_blocks(void **state)
{
    struct store *st = *state;
    int is_sqlite = store_engine(st) == STORE_SQLITE;
    char *out = store_migrate_translate(st, "CREATE TABLE t (id {{pk}}, b {{blob}});\n"
                                            "--@sqlite\n"
                                            "-- sqlite only\n"
                                            "--@end\n"
                                            "  --@postgres  \r\n"
                                            "-- postgres only\n"
                                            "--@end\n"
                                            "-- both");
    assert_null(strstr(out, "--@"));
    assert_null(strstr(out, "{{"));
    assert_int_equal(strstr(out, "sqlite only") != NULL, is_sqlite);
    assert_int_equal(strstr(out, "postgres only") != NULL, !is_sqlite);
    assert_non_null(strstr(out, "-- both"));
    if (is_sqlite)
        assert_non_null(strstr(out, "id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB)"));
    else
        assert_non_null(
            strstr(out, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA)"));
    free(out);
}

static void test_engine_block_trigger_is_applied(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    apply_ok(st, &ml_guarded);
    assert_int_equal(store_exec(st, "INSERT INTO log (x) VALUES (1)", &err), 0);
    assert_int_equal(store_prepare(st, "UPDATE log SET x = 2", &s, &err), 0);
    assert_int_equal(store_step(s, &err), MS_ECONFLICT);
    store_reset(s);
    assert_int_equal(query_int(st, "SELECT x FROM log"), 1);
}

/* --@sqlite-rebuild: the referenced table is copied with a wider CHECK; the
 * references hold, and are enforced again after it. */
static void test_rebuild_widens_a_referenced_table(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(apply_ok(st, &ml_kinds_widened), 2);
    assert_int_equal(store_exec(st, "INSERT INTO kinds (kind) VALUES ('b')", &err), 0);
    assert_int_equal(query_int(st, "SELECT count(*) FROM uses u JOIN kinds k ON k.id = u.kind_id"),
                     1);
    ms_err_init(&err);
    assert_true(store_exec(st, "INSERT INTO uses (kind_id) VALUES (99)", &err) < 0);
    ms_err_init(&err);
    assert_true(store_exec(st, "INSERT INTO kinds (kind) VALUES ('c')", &err) < 0);
    if (!test_store_is_pg())
        assert_int_equal(query_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'uses'"
                                       " AND sql LIKE '%REFERENCES kinds (id)%'"),
                         1);
}

/* A rebuild that leaves a reference without its row is refused whole, and
 * foreign keys are on again after it. */
static void test_rebuild_losing_a_referenced_row_is_refused(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    if (test_store_is_pg())
        skip(); /* the marker means nothing there */
    assert_int_equal(store_migrate_apply(st, &ml_kinds_lossy, &applied, NULL, NULL, &err),
                     MS_EINTEGRITY);
    assert_non_null(strstr(err.message, "kinds 002_lossy"));
    assert_non_null(strstr(err.message, "uses"));
    assert_int_equal(applied, 1);
    assert_int_equal(query_int(st, "SELECT count(*) FROM kinds"), 1);
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), 1);
    ms_err_init(&err);
    assert_true(store_exec(st, "INSERT INTO uses (kind_id) VALUES (99)", &err) < 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_apply_from_scratch_applies_every_migration),
        T(test_second_apply_applies_nothing),
        T(test_progress_reports_each_applied_migration),
        T(test_modules_apply_in_list_order),
        T(test_failing_migration_leaves_no_trace),
        T(test_unterminated_engine_block_is_refused),
        T(test_check_on_an_empty_database_reports_all_pending),
        T(test_check_reports_pending_migrations),
        T(test_changed_migration_text_is_an_integrity_error),
        T(test_unknown_newer_migration_is_an_integrity_error),
        T(test_checksum_is_fnv1a_of_the_untranslated_text),
        T(test_pk_gives_increasing_ids),
        T(test_blob_word_makes_a_binary_column),
        T(test_translate_keeps_only_this_engines_blocks),
        T(test_engine_block_trigger_is_applied),
        T(test_rebuild_widens_a_referenced_table),
        T(test_rebuild_losing_a_referenced_row_is_refused),
    };
    return cmocka_run_group_tests_name(
        test_store_is_pg() ? "migrate (postgres)" : "migrate (sqlite)", tests, NULL, NULL);
}
