/*
 * test_assistance_pay.c - payment runs (assistance_pay.c): never twice under
 * a rerun, a partial run and two runs at once; totals to the fen; a period
 * in the future refused; the bank file and the return file with re-issues;
 * the recovery ledger. On SQLite and PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include <pthread.h>

#include "core/seal.h"
#include "store/migrate.h"

#include "core/banned.h"

static char shared_url[TEST_STORE_URL_MAX];

/* n households P1..Pn in 万东镇, each enrolled in dibao from 2025-01 at
 * 10000 + id fen, paid to people[0]. */
static void seed(struct store *st, int64_t n)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(store_prepare(st,
                                   "INSERT INTO households (number, region_code, created_at,"
                                   " updated_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                                   " SELECT i + 1 FROM n WHERE i < ?) SELECT 'P' || i,"
                                   " '500110101201', 'x', 'x' FROM n",
                                   &s, &err),
                     0);
    store_bind_int64(s, 1, n);
    if (store_step(s, &err) < 0)
        fail_msg("households: %s", err.message);
    store_reset(s);
    assert_int_equal(store_prepare(st,
                                   "INSERT INTO assistance_enrolments (household_id, scheme,"
                                   " payee_resident_id, amount_fen, start_period, status,"
                                   " created_at, created_by) SELECT id, 'dibao',"
                                   " CAST(? AS BIGINT), 10000 + id, '2025-01', 'active', 'x',"
                                   " 'test' FROM households WHERE number LIKE 'P%'",
                                   &s, &err),
                     0);
    store_bind_int64(s, 1, people[0].rid);
    if (store_step(s, &err) < 0)
        fail_msg("enrolments: %s", err.message);
    store_reset(s);
}

static int64_t due_total(struct store *st)
{
    return count_rows(st, "SELECT sum(amount_fen) FROM assistance_enrolments");
}

static void assert_once_each(struct store *st, const char *period_sql_filter, int64_t n)
{
    char sql[300];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM (SELECT household_id FROM assistance_payment_lines WHERE %s"
             " GROUP BY household_id HAVING count(*) > 1) t",
             period_sql_filter);
    assert_int_equal(count_rows(st, sql), 0);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM assistance_payment_lines WHERE %s",
             period_sql_filter);
    assert_int_equal(count_rows(st, sql), n);
}

/* The bank file of scheme and period into f; its line count and total. */
static int bank_export(struct store *st, const char *scheme, const char *period, FILE *f,
                       int64_t *lines, int64_t *total, struct ms_err *err)
{
    struct assistance_bank_file out;
    int rc = assistance_bank_export(st, scheme, period, f, &test_actor, &out, err);
    *lines = out.lines;
    *total = out.total_fen;
    return rc;
}

static void test_payment_rerun_pays_nobody_twice(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    seed(st, 250);
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-03", 7, &test_actor, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.lines_new, 250);
    assert_int_equal(r.lines, 250);
    assert_int_equal(r.due, 250);
    assert_int_equal(r.total_fen, due_total(st));
    assert_true(r.is_reconciled);
    int64_t audits = count_rows(st, "SELECT count(*) FROM audit_log");
    /* the rerun adds nothing and writes nothing, not even an audit entry */
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-03", 1000, &test_actor, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.lines_new, 0);
    assert_int_equal(r.lines, 250);
    assert_true(r.is_reconciled);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log"), audits);
    assert_once_each(st, "period = '2025-03'", 250);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_runs"), 1);
    assert_int_equal(count_rows(st, "SELECT lines FROM assistance_payment_runs"), 250);
}

/* What a crash half-way leaves (some chunks committed, the run not
 * finished) is completed by the next run, to the fen. */
static void test_partial_run_is_completed_by_the_next(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    seed(st, 120);
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-04", 10, &test_actor, NULL, NULL, &r, &err), 0);
    fixture_exec(st, "DELETE FROM assistance_payment_lines WHERE household_id % 3 = 0");
    fixture_exec(st, "UPDATE assistance_payment_runs SET status = 'running'");
    int64_t left = count_rows(st, "SELECT count(*) FROM assistance_payment_lines");
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-04", 10, &test_actor, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.lines_new, 120 - left);
    assert_true(r.is_reconciled);
    assert_int_equal(r.total_fen, due_total(st));
    assert_once_each(st, "period = '2025-04'", 120);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_runs"
                                    " WHERE status = 'done'"),
                     1);
}

static void test_future_period_and_unknown_scheme_are_refused(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    seed(st, 3);
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2999-01", 0, &test_actor, NULL, NULL, &r, &err),
        MS_EFIELD);
    assert_string_equal(err.field, "period");
    ms_err_init(&err);
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-13", 0, &test_actor, NULL, NULL, &r, &err),
        MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(
        assistance_pay_run(st, "wubao", "2025-01", 0, &test_actor, NULL, NULL, &r, &err),
        MS_EFIELD);
    assert_string_equal(err.field, "scheme");
    /* an enrolment starting later is not due earlier */
    assert_int_equal(
        assistance_pay_run(st, "dibao", "2024-12", 0, &test_actor, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.lines, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"), 0);
}

/* --- two runs at once ---------------------------------------------------------------- */

struct racer {
    struct store *st;
    struct assistance_run r;
    int rc;
    struct ms_err err;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    ms_err_init(&x->err);
    x->rc =
        assistance_pay_run(x->st, "dibao", "2025-05", 5, &test_actor, NULL, NULL, &x->r, &x->err);
    return NULL;
}

static int shared_setup(void **state)
{
    struct ms_err err = MS_ERR_INIT;
    size_t applied = 0;
    assert_true(sodium_init() >= 0);
    struct store *st = test_store_open_shared(shared_url, sizeof(shared_url));
    assert_non_null(st);
    if (store_migrate_apply(st, ms_modules_migrations(), &applied, NULL, NULL, &err) != 0)
        fail_msg("migrate: %s", err.message);
    *state = st;
    /* the people, on the shared database */
    for (size_t i = 0; i < N_HOUSEHOLDS; i++) {
        struct registry_household_new h = {households[i].number, {households[i].region, 0, ""}};
        if (registry_household_create(st, "", &h, &test_actor, &households[i].id, &err) != 0)
            fail_msg("household: %s", err.message);
    }
    make_id(people[0].birth8, people[0].seq, people[0].id);
    struct registry_resident_new in = {.name = people[0].name,
                                       .id_number = people[0].id,
                                       .hukou_type = "urban",
                                       .residence = {WANDONG, 0, ""}};
    if (registry_resident_create(st, "", &in, &test_actor, people[0].code, &err) != 0)
        fail_msg("resident: %s", err.message);
    people[0].rid = resident_rowid(st, people[0].code);
    return 0;
}

static void test_two_runs_at_once_pay_each_household_once(void **state)
{
    struct store *st = *state;
    seed(st, 400);
    struct racer a = {.st = test_store_connect(shared_url)},
                 b = {.st = test_store_connect(shared_url)};
    assert_non_null(a.st);
    assert_non_null(b.st);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    store_close(a.st);
    store_close(b.st);
    if (a.rc || b.rc)
        fail_msg("runs: %s / %s", a.err.message, b.err.message);
    assert_int_equal(a.r.lines_new + b.r.lines_new, 400);
    assert_true(a.r.is_reconciled && b.r.is_reconciled);
    assert_once_each(st, "period = '2025-05'", 400);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_runs"), 1);
    assert_int_equal(count_rows(st, "SELECT total_fen FROM assistance_payment_runs"),
                     due_total(st));
}

/* --- the bank file, the return file, re-issues --------------------------------------- */

static char *slurp(FILE *f)
{
    static char buf[8192];
    size_t n;
    rewind(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    return buf;
}

static int apply_return(struct store *st, const char *text, struct assistance_return_summary *sum,
                        struct ms_err *err)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    int rc = assistance_bank_return(st, f, &test_actor, sum, err);
    fclose(f);
    return rc;
}

static void test_bank_file_return_file_and_reissue(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    struct assistance_return_summary sum;
    const struct ms_seal *seal;
    int64_t lines = 0, total = 0;
    char text[512];
    seed(st, 3);
    /* one payee's account, sealed as the application would store it */
    struct ms_arena a;
    const char *sealed;
    ms_arena_init(&a, 1024);
    assert_int_equal(registry_seal(st, &seal, &err), 0);
    ms_seal_encrypt(seal, "bank_account", "6217000099990001", &a, &sealed);
    struct store_stmt *s;
    assert_int_equal(store_prepare(st,
                                   "UPDATE assistance_enrolments SET bank_account_sealed = ?,"
                                   " bank_name = '测试银行'",
                                   &s, &err),
                     0);
    store_bind_text(s, 1, sealed);
    assert_int_equal(store_step(s, &err), STORE_DONE);
    store_reset(s);
    ms_arena_release(&a);

    assert_int_equal(
        assistance_pay_run(st, "dibao", "2025-06", 0, &test_actor, NULL, NULL, &r, &err), 0);
    FILE *f = tmpfile();
    assert_int_equal(
        bank_export(st, "dibao", "2025-06", f, &lines, &total, &err), 0);
    assert_int_equal(lines, 3);
    assert_int_equal(total, r.total_fen);
    char *csv = slurp(f);
    fclose(f);
    assert_non_null(
        strstr(csv, "reference,household,payee,account,bank,amount,period,scheme,issue\n"));
    assert_non_null(strstr(csv, ",6217000099990001,测试银行,"));
    assert_non_null(strstr(csv, ",2025-06,dibao,1\n"));
    /* nothing left to export: a second file is empty, so nothing goes twice */
    f = tmpfile();
    assert_int_equal(
        bank_export(st, "dibao", "2025-06", f, &lines, &total, &err), 0);
    assert_int_equal(lines, 0);
    fclose(f);

    /* the file can be fetched again as it was made, and is listed */
    struct assistance_bank_file files[4], again;
    static char made[8192];
    size_t n;
    snprintf(made, sizeof(made), "%s", csv);
    assert_int_equal(assistance_bank_files(st, "dibao", "2025-06", files, 4, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(files[0].lines, 3);
    assert_int_equal(files[0].total_fen, r.total_fen);
    f = tmpfile();
    assert_int_equal(
        assistance_bank_file_write(st, files[0].export_no, f, &test_actor, &again, &err), 0);
    assert_string_equal(slurp(f), made);
    fclose(f);
    assert_string_equal(again.period, "2025-06");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log WHERE action ="
                                    " 'assistance.payment.export_read'"),
                     1);
    f = tmpfile();
    assert_int_equal(assistance_bank_file_write(st, files[0].export_no + 99, f, &test_actor,
                                                &again, &err),
                     MS_ENOTFOUND);
    fclose(f);
    ms_err_init(&err);
    /* nothing pending and no file: export number 0, no file listed */
    struct assistance_bank_file none;
    assert_int_equal(assistance_bank_export(st, "dibao", "2025-06", NULL, &test_actor, &none, &err),
                     0);
    assert_int_equal(none.export_no, 0);
    assert_int_equal(assistance_bank_files(st, "dibao", "2025-06", files, 4, &n, &err), 0);
    assert_int_equal(n, 1);

    int64_t l1 = count_rows(st, "SELECT min(id) FROM assistance_payment_lines");
    int64_t l2 = l1 + 1, l3 = l1 + 2;
    snprintf(text, sizeof(text),
             "reference,result,reason\n%lld,paid,\n%lld,failed,账户已销户\n%lld,paid,\n",
             (long long)l1, (long long)l2, (long long)l3);
    assert_int_equal(apply_return(st, text, &sum, &err), 0);
    assert_int_equal(sum.paid, 2);
    assert_int_equal(sum.failed, 1);
    assert_int_equal(sum.reissued, 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE reissue_of IS NOT NULL AND issue_no = 2"
                                    " AND status = 'pending'"),
                     1);
    /* the same file again changes nothing */
    assert_int_equal(apply_return(st, text, &sum, &err), 0);
    assert_int_equal(sum.unchanged, 3);
    assert_int_equal(sum.paid + sum.failed, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"), 4);
    /* a result that contradicts the record is refused, naming the row */
    snprintf(text, sizeof(text), "%lld,failed,x\n", (long long)l1);
    assert_int_equal(apply_return(st, text, &sum, &err), MS_EFIELD);
    assert_string_equal(err.field, "row 1");
    /* the row named is the file's line, header and blank lines counted */
    ms_err_init(&err);
    snprintf(text, sizeof(text), "reference,result,reason\n\n%lld,paid,\n%lld,failed,x\n",
             (long long)l3, (long long)l1);
    assert_int_equal(apply_return(st, text, &sum, &err), MS_EFIELD);
    assert_string_equal(err.field, "row 4");
    ms_err_init(&err);
    assert_int_equal(apply_return(st, "99999999,paid,\n", &sum, &err), MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(apply_return(st, "abc,paid\n", &sum, &err), MS_EFIELD);
    ms_err_init(&err);
    /* the re-issue goes out in the next file, then is paid */
    f = tmpfile();
    assert_int_equal(
        bank_export(st, "dibao", "2025-06", f, &lines, &total, &err), 0);
    assert_int_equal(lines, 1);
    csv = slurp(f);
    fclose(f);
    assert_non_null(strstr(csv, ",2025-06,dibao,2\n"));
    int64_t l4 = count_rows(st, "SELECT max(id) FROM assistance_payment_lines");
    snprintf(text, sizeof(text), "%lld,paid,\n", (long long)l4);
    assert_int_equal(apply_return(st, text, &sum, &err), 0);
    /* never two live lines, and so never two payments, for one month */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE status = 'paid'"),
                     3);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM (SELECT household_id FROM"
                                    " assistance_payment_lines WHERE status <> 'failed'"
                                    " GROUP BY household_id, period HAVING count(*) > 1) t"),
                     0);
    assert_int_equal(store_prepare(st,
                                   "INSERT INTO assistance_payment_lines (run_id,"
                                   " enrolment_id, household_id, scheme, period, issue_no,"
                                   " amount_fen, status, created_at, updated_at) SELECT run_id,"
                                   " enrolment_id, household_id, scheme, period, 9, amount_fen,"
                                   " 'pending', 'x', 'x' FROM assistance_payment_lines"
                                   " WHERE id = ?",
                                   &s, &err),
                     0);
    store_bind_int64(s, 1, l1);
    assert_int_equal(store_step(s, &err), MS_EEXISTS);
    store_reset(s);
    /* the run still reconciles: issue 1 lines against what was due */
    assert_int_equal(assistance_pay_summary(st, "dibao", "2025-06", &r, &err), 0);
    assert_true(r.is_reconciled);
}

/* A payment for a month after the payee died goes to the recovery ledger,
 * once. */
static void test_paid_after_death_goes_to_recovery(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    struct assistance_return_summary sum;
    int64_t lines, total, found = 0, fen = 0, ev;
    seed(st, 2);
    const char *periods[] = {"2025-03", "2025-04"};
    for (int i = 0; i < 2; i++) {
        FILE *f = tmpfile();
        assert_int_equal(
            assistance_pay_run(st, "dibao", periods[i], 0, &test_actor, NULL, NULL, &r, &err), 0);
        assert_int_equal(
            bank_export(st, "dibao", periods[i], f, &lines, &total, &err),
            0);
        fclose(f);
    }
    int64_t first = count_rows(st, "SELECT min(id) FROM assistance_payment_lines");
    char text[256];
    snprintf(text, sizeof(text), "%lld,paid,\n%lld,paid,\n%lld,paid,\n%lld,paid,\n",
             (long long)first, (long long)first + 1, (long long)first + 2, (long long)first + 3);
    assert_int_equal(apply_return(st, text, &sum, &err), 0);
    assert_int_equal(sum.paid, 4);
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 0);
    assert_int_equal(registry_event_add(st, "", people[0].code, "death", "2025-03-15", NULL,
                                        &test_actor, &ev, &err),
                     0);
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 2); /* April's two lines; March, the month of death, is due */
    assert_int_equal(fen, count_rows(st, "SELECT sum(amount_fen) FROM assistance_payment_lines"
                                         " WHERE period = '2025-04'"));
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_recoveries"
                                    " WHERE death_date = '2025-03-15' AND status = 'open'"),
                     2);
}

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_payment_rerun_pays_nobody_twice, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_partial_run_is_completed_by_the_next, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_future_period_and_unknown_scheme_are_refused,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_two_runs_at_once_pay_each_household_once, shared_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bank_file_return_file_and_reissue, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_paid_after_death_goes_to_recovery, assistance_setup,
                                        fixture_teardown),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
