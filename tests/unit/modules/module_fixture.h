/*
 * module_fixture.h - a fresh, fully migrated database for module tests, on
 * the engine MS_TEST_ENGINE selects (see unit/store/test_support.h).
 */
#ifndef MS_TEST_MODULE_FIXTURE_H
#define MS_TEST_MODULE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "modules/module.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit/store/test_support.h"

static int fixture_setup(void **state)
{
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    assert_true(sodium_init() >= 0);
    struct store *st = test_store_open();
    assert_non_null(st);
    if (store_migrate_apply(st, ms_modules_migrations(), &applied, NULL, NULL, &err) != 0)
        fail_msg("migrate: %s", err.message);
    *state = st;
    return 0;
}

static int fixture_teardown(void **state)
{
    test_store_close(*state);
    return 0;
}

static const struct ms_actor test_actor = {7, "tester", "admin", "127.0.0.1", "req-1"};

/* Runs sql that takes no parameters, failing the test on error. */
static inline void fixture_exec(struct store *st, const char *sql)
{
    struct ms_err err = MS_ERR_INIT;
    if (store_exec(st, sql, &err) != 0)
        fail_msg("exec '%s': %s", sql, err.message);
}

/* The first column of the first row of sql (no parameters) as an integer,
 * failing the test on error. */
static inline int64_t fixture_count(struct store *st, const char *sql)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare '%s': %s", sql, err.message);
    if (store_step(s, &err) != STORE_ROW)
        fail_msg("step '%s': %s", sql, err.message);
    int64_t v = store_col_int64(s, 0);
    store_reset(s);
    return v;
}

/* A second fresh, fully migrated database (close with test_store_close()). */
static inline struct store *fixture_open_another(void)
{
    void *st = NULL;
    fixture_setup(&st);
    return st;
}

/* A BLAKE2b digest of every value of every row of sql (no parameters), for
 * comparing two databases. */
static inline void fixture_digest(struct store *st, const char *sql, unsigned char out[32])
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare '%s': %s", sql, err.message);
    while (store_step(s, &err) == STORE_ROW)
        for (int c = 0; c < store_col_count(s); c++) {
            const char *t = store_col_text(s, c);
            crypto_generichash_update(&h, (const unsigned char *)(t ? t : ""),
                                      strlen(t ? t : "") + 1);
        }
    store_reset(s);
    crypto_generichash_final(&h, out, 32);
}

#endif
