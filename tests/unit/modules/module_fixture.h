/*
 * module_fixture.h - a fresh, fully migrated database for module tests, on
 * the engine MS_TEST_ENGINE selects (see unit/store/test_support.h).
 */
#ifndef MS_TEST_MODULE_FIXTURE_H
#define MS_TEST_MODULE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

#endif
