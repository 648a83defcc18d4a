/*
 * test_checkpoint.c - servers' SQLite connections leave checkpoints to the
 * background checkpointer, which keeps the write-ahead log from growing
 * without bound even while readers are always inside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "core/banned.h"

static char dir[64], db[96], wal[100];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ms-ckpt.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/t.db", dir);
    snprintf(wal, sizeof(wal), "%s/t.db-wal", dir);
    return 0;
}

static int teardown(void **state)
{
    char path[128];
    (void)state;
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static void insert_pages(struct store *st, int rows)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    static char blob[4000];
    memset(blob, 'x', sizeof(blob));
    for (int i = 0; i < rows; i++) {
        assert_int_equal(store_begin(st, &err), 0);
        assert_int_equal(store_prepare(st, "INSERT INTO t (v) VALUES (?)", &s, &err), 0);
        store_bind_blob(s, 1, blob, sizeof(blob));
        assert_int_equal(store_step(s, &err), STORE_DONE);
        store_reset(s);
        assert_int_equal(store_commit(st, &err), 0);
    }
}

static long long wal_bytes(void)
{
    struct stat sb;
    return stat(wal, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Frames in the log now, asked without checkpointing anything. */
static int64_t log_frames(struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    /* A PASSIVE checkpoint reports the log size; the log is restarted only
     * by a writer, so asking does not shrink it. */
    assert_int_equal(store_prepare(st, "PRAGMA wal_checkpoint(PASSIVE)", &s, &err), 0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    int64_t n = store_col_int64(s, 1);
    store_reset(s);
    return n;
}

static void test_server_connections_do_not_checkpoint_on_commit(void **state)
{
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    (void)state;
    assert_int_equal(store_open(db, STORE_CREATE | STORE_BACKGROUND_CHECKPOINT, &st, &err), 0);
    assert_int_equal(store_exec(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)", &err), 0);
    insert_pages(st, 1500);
    /* SQLite's default would have reset the log at 1000 pages (~4 MiB). */
    assert_true(wal_bytes() > 5LL * 1024 * 1024);
    store_close(st);
}

static void test_checkpointer_keeps_the_log_short(void **state)
{
    struct store *st, *reader;
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *r;
    (void)state;
    assert_int_equal(store_open(db, STORE_CREATE | STORE_BACKGROUND_CHECKPOINT, &st, &err), 0);
    assert_int_equal(store_open(db, STORE_BACKGROUND_CHECKPOINT, &reader, &err), 0);
    assert_int_equal(store_exec(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)", &err), 0);
    assert_int_equal(store_checkpointer_start(db, 20, &err), 0);
    /* Past the restart threshold (16 MiB), with a reader coming and going. */
    for (int round = 0; round < 6; round++) {
        insert_pages(st, 1000);
        assert_int_equal(store_prepare(reader, "SELECT count(*) FROM t", &r, &err), 0);
        assert_int_equal(store_step(r, &err), STORE_ROW);
        store_reset(r);
    }
    usleep(300 * 1000);
    insert_pages(st, 1); /* the first write after a restart starts the log over */
    assert_true(log_frames(st) < 1000);
    store_checkpointer_stop();
    /* journal_size_limit keeps the file at 64 MiB at most. */
    assert_true(wal_bytes() <= 64LL * 1024 * 1024);
    store_close(reader);
    store_close(st);
}

static void test_checkpointer_ignores_postgres(void **state)
{
    struct ms_err err = MS_ERR_INIT;
    (void)state;
    assert_int_equal(store_checkpointer_start("postgresql://nobody@127.0.0.1:1/none", 20, &err), 0);
    store_checkpointer_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_server_connections_do_not_checkpoint_on_commit,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpointer_keeps_the_log_short, setup, teardown),
        cmocka_unit_test(test_checkpointer_ignores_postgres),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
