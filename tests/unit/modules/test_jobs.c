/*
 * test_jobs.c - src/modules/jobs: jobs appear disabled, schedules are
 * checked, a due job runs once however late, a claimed or running job is
 * not started twice, a dead run is taken over and logged interrupted, and
 * a failing job is logged failed and released. The jobs are the modules'
 * own (a scan of an empty district succeeds quickly; one with a policy
 * value missing fails, as a misconfigured district would).
 */
#include "unit/modules/module_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "modules/jobs/jobs.h"

#include "core/banned.h"

static char *text_of(struct store *st, const char *sql)
{
    static char buf[256];
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    buf[0] = '\0';
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare %s: %s", sql, err.message);
    if (store_step(s, &err) == STORE_ROW && store_col_text(s, 0))
        snprintf(buf, sizeof(buf), "%s", store_col_text(s, 0));
    store_reset(s);
    return buf;
}

static int64_t now_ms(void)
{
    return ms_clock_now_ms();
}

static const struct jobs_job *find(const struct jobs_job *j, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(j[i].name, name) == 0)
            return &j[i];
    fail_msg("job %s not listed", name);
    abort(); /* fail_msg does not return */
}

static void test_jobs_appear_disabled_and_do_not_run(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct jobs_job *j;
    size_t n;
    ms_arena_init(&arena, 4096);
    assert_int_equal(jobs_list(st, &arena, &j, &n, &err), 0);
    assert_true(n >= 4);
    const struct jobs_job *scan = find(j, n, "monitor.scan");
    assert_int_equal(scan->is_enabled, 0);
    assert_string_equal(scan->schedule, "0 2 * * *");
    assert_string_equal(scan->next_run_at, "");
    assert_int_equal(scan->last_run_id, 0);
    find(j, n, "assistance.pay");
    find(j, n, "exchange.dedup");
    /* Even a time long after every schedule runs nothing disabled. */
    assert_int_equal(jobs_run_due(st, now_ms() + 400LL * 86400000, &err), 0);
    assert_string_equal(text_of(st, "SELECT count(*) FROM job_runs"), "0");
    ms_arena_release(&arena);
}

static void test_jobs_schedules_are_checked(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(jobs_update(st, "monitor.scan", "0 25 * * *", 1, &test_actor, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "schedule");
    assert_string_equal(text_of(st, "SELECT is_enabled || schedule FROM jobs WHERE name = "
                                    "'monitor.scan'"),
                        "00 2 * * *");
    ms_err_init(&err);
    assert_int_equal(jobs_update(st, "monitor.scan", "0 0 31 2 *", -1, &test_actor, &err),
                     MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(jobs_update(st, "no.such", NULL, 1, &test_actor, &err), MS_ENOTFOUND);
    ms_err_init(&err);
    assert_int_equal(jobs_update(st, "monitor.scan", "30 1 * * *", 1, &test_actor, &err), 0);
    const char *next = text_of(st, "SELECT next_run_at FROM jobs WHERE name = 'monitor.scan'");
    int64_t next_ms;
    assert_int_equal(ms_clock_parse(next, &next_ms), 0);
    assert_true(next_ms > now_ms() && next_ms <= now_ms() + 86400000);
    /* 01:30 China time is 17:30 UTC. */
    assert_memory_equal(next + 11, "17:30:00.000Z", 13);
    assert_string_equal(text_of(st, "SELECT count(*) FROM audit_log WHERE action = 'job.update'"),
                        "1");
    /* Disabling clears the next run. */
    assert_int_equal(jobs_update(st, "monitor.scan", NULL, 0, &test_actor, &err), 0);
    assert_string_equal(text_of(st, "SELECT next_run_at FROM jobs WHERE name = 'monitor.scan'"),
                        "");
}

static void make_due(struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(jobs_update(st, "monitor.scan", "*/10 * * * *", 1, &test_actor, &err), 0);
    fixture_exec(st, "UPDATE jobs SET next_run_at = '2000-01-01T00:00:00.000Z'"
                     " WHERE name = 'monitor.scan'");
}

static void test_jobs_a_due_job_runs_once_however_late(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    make_due(st);
    assert_int_equal(jobs_run_due(st, now_ms(), &err), 1);
    assert_string_equal(text_of(st, "SELECT kind || ' ' || status || ' ' || started_by"
                                    " FROM job_runs"),
                        "schedule succeeded system:scheduler");
    assert_non_null(strstr(text_of(st, "SELECT summary FROM job_runs"), "条规则"));
    assert_string_equal(text_of(st, "SELECT running_since FROM jobs WHERE name = "
                                    "'monitor.scan'"),
                        "");
    /* The next run is the next ten minutes from now, not 2000's backlog. */
    int64_t next_ms;
    assert_int_equal(ms_clock_parse(text_of(st, "SELECT next_run_at FROM jobs WHERE name = "
                                                "'monitor.scan'"),
                                    &next_ms),
                     0);
    assert_true(next_ms > now_ms() && next_ms <= now_ms() + 600000);
    assert_int_equal(jobs_run_due(st, now_ms(), &err), 0);
    assert_string_equal(text_of(st, "SELECT count(*) FROM job_runs"), "1");
    assert_string_equal(text_of(st, "SELECT result FROM audit_log WHERE action = 'job.run'"),
                        "ok");
}

static void test_jobs_never_start_twice(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    char now[MS_TS_LEN + 1], sql[200];
    int64_t run_id = 0;
    int ok = -1;
    make_due(st);
    /* Another server is running it: the scheduler leaves it, still due. */
    ms_clock_format(now_ms(), now);
    snprintf(sql, sizeof(sql), "UPDATE jobs SET running_since = '%s' WHERE name = 'monitor.scan'",
             now);
    fixture_exec(st, sql);
    assert_int_equal(jobs_run_due(st, now_ms(), &err), 0);
    assert_string_equal(text_of(st, "SELECT next_run_at FROM jobs WHERE name = "
                                    "'monitor.scan'"),
                        "2000-01-01T00:00:00.000Z");
    /* And a manual run is refused. */
    assert_int_equal(jobs_run_now(st, "monitor.scan", &test_actor, &run_id, &ok, &err),
                     MS_ECONFLICT);
    assert_string_equal(text_of(st, "SELECT count(*) FROM job_runs"), "0");
}

static void test_jobs_a_dead_run_is_taken_over(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    char then[MS_TS_LEN + 1], sql[300];
    int64_t run_id = 0;
    int ok = -1;
    assert_int_equal(jobs_sync(st, &err), 0);
    ms_clock_format(now_ms() - 7LL * 3600 * 1000, then);
    snprintf(sql, sizeof(sql),
             "UPDATE jobs SET running_since = '%s' WHERE name = 'monitor.scan';"
             "INSERT INTO job_runs (job, kind, status, started_at, started_by)"
             " VALUES ('monitor.scan', 'schedule', 'running', '%s', 'system:scheduler')",
             then, then);
    fixture_exec(st, sql);
    assert_int_equal(jobs_run_now(st, "monitor.scan", &test_actor, &run_id, &ok, &err), 0);
    assert_int_equal(ok, 1);
    assert_string_equal(text_of(st, "SELECT status FROM job_runs ORDER BY id LIMIT 1"),
                        "interrupted");
    assert_string_equal(text_of(st, "SELECT status FROM job_runs ORDER BY id DESC LIMIT 1"),
                        "succeeded");
}

static void test_jobs_a_failing_job_is_logged_and_released(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t run_id = 0;
    int ok = -1;
    /* A district whose medical threshold was never set: the scan cannot run. */
    fixture_exec(st, "DELETE FROM policy_values WHERE key = 'monitor.medical.oop_threshold_fen'");
    assert_int_equal(jobs_run_now(st, "monitor.scan", &test_actor, &run_id, &ok, &err), 0);
    assert_int_equal(ok, 0);
    assert_true(run_id > 0);
    assert_string_equal(text_of(st, "SELECT status FROM job_runs"), "failed");
    assert_non_null(strstr(text_of(st, "SELECT error FROM job_runs"), "monitor.medical"));
    assert_string_equal(text_of(st, "SELECT running_since FROM jobs WHERE name = "
                                    "'monitor.scan'"),
                        "");
    assert_string_equal(text_of(st, "SELECT result FROM audit_log WHERE action = 'job.run'"),
                        "failed");
    /* Nothing of the failed scan's work was left half-done. */
    assert_string_equal(text_of(st, "SELECT count(*) FROM monitor_alerts"), "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: policy values are cached per thread for seconds, and the
         * other tests' scans would leave the deleted value in the cache. */
        cmocka_unit_test_setup_teardown(test_jobs_a_failing_job_is_logged_and_released,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jobs_appear_disabled_and_do_not_run, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jobs_schedules_are_checked, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jobs_a_due_job_runs_once_however_late,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jobs_never_start_twice, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jobs_a_dead_run_is_taken_over, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
