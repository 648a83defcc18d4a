/*
 * test_assistance_change.c - change and review of an enrolment
 * (assistance_change.c, assistance_review.c): the review frequency of
 * rules.md §1.6 branch by branch, recalculation on a change, stops, the
 * pending lines a change cancels and the paid ones it sends to recovery,
 * three refusals of work and the transition period (§1.5), on SQLite and
 * PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include <pthread.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/policy/policy.h"

#include "core/banned.h"

/* --- the frequency, a pure function ----------------------------------------------------- */

static const struct assistance_review_params cq = {
    .is_national = 0,
    .cq_severe_stable = 12,
    .cq_stable = 6,
    .cq_unemployed_urban = 1,
    .cq_unemployed_rural = 3,
    .nat_stable = 12,
    .nat_unstable = 6,
    .working_age_min = 16,
    .working_age_below = 60,
    .severe_disability_grade = 2,
};

static struct assistance_review_freq freq_of(const struct assistance_review_member *m, size_t n,
                                             int is_rural, int is_changed, int is_national)
{
    struct assistance_review_params p = cq;
    struct assistance_review_facts f = {is_rural, is_changed, m, n};
    struct assistance_review_freq out;
    p.is_national = is_national;
    assistance_review_frequency(&f, &p, &out);
    return out;
}

static void test_frequency_chongqing_2016(void **state)
{
    (void)state;
    /* counted, age, grade, illness, student, work income */
    struct assistance_review_member idle[] = {{1, 40, 0, 0, 0, 0}, {1, 70, 0, 0, 0, 0}};
    struct assistance_review_member working[] = {{1, 40, 0, 0, 0, 1}, {1, 10, 0, 0, 1, 0}};
    struct assistance_review_member ill[] = {{1, 50, 0, 1, 0, 0}, {1, 75, 0, 0, 0, 0}};
    struct assistance_review_member disabled[] = {{1, 45, 1, 0, 0, 0}};
    struct assistance_review_member mild[] = {{1, 45, 4, 0, 0, 0}}; /* grade 4: able */
    struct assistance_review_member old[] = {{1, 60, 0, 0, 0, 0}, {0, 30, 0, 0, 0, 0}};
    struct assistance_review_freq r = freq_of(idle, 2, 0, 0, 0);
    assert_int_equal(r.months, 1); /* urban, able but unemployed: monthly */
    assert_string_equal(r.basis, "unemployed_ablebodied");
    assert_string_equal(r.rule, "cq2016");
    r = freq_of(idle, 2, 1, 0, 0);
    assert_int_equal(r.months, 3); /* rural: quarterly */
    r = freq_of(working, 2, 0, 0, 0);
    assert_int_equal(r.months, 6); /* stable */
    assert_string_equal(r.basis, "stable");
    r = freq_of(ill, 2, 0, 0, 0);
    assert_int_equal(r.months, 12); /* seriously ill, income unchanged: yearly */
    assert_string_equal(r.basis, "severe_stable");
    r = freq_of(ill, 2, 0, 1, 0);
    assert_int_equal(r.months, 6); /* ... but its income changed */
    r = freq_of(disabled, 1, 1, 0, 0);
    assert_int_equal(r.months, 12);
    r = freq_of(mild, 1, 0, 0, 0);
    assert_int_equal(r.months, 1); /* a mild disability leaves them able to work */
    r = freq_of(old, 2, 0, 0, 0);
    assert_int_equal(r.months, 6); /* 60 is past working age; the other is not counted */
}

static void test_frequency_national_2021(void **state)
{
    (void)state;
    struct assistance_review_member idle[] = {{1, 40, 0, 0, 0, 0}};
    struct assistance_review_member working[] = {{1, 40, 0, 0, 0, 1}};
    struct assistance_review_member old[] = {{1, 70, 0, 0, 0, 0}, {1, 8, 0, 0, 1, 0}};
    struct assistance_review_freq r = freq_of(old, 2, 0, 0, 1);
    assert_int_equal(r.months, 12);
    assert_string_equal(r.basis, "stable");
    assert_string_equal(r.rule, "nat2021");
    r = freq_of(old, 2, 0, 1, 1);
    assert_int_equal(r.months, 6);
    assert_string_equal(r.basis, "unstable");
    r = freq_of(working, 1, 0, 0, 1);
    assert_int_equal(r.months, 6); /* members able to work, employed or not */
    assert_string_equal(r.basis, "able_to_work");
    r = freq_of(idle, 1, 1, 0, 1);
    assert_int_equal(r.months, 6);
}

static void test_rule_is_a_policy_parameter(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_review_params p;
    assert_int_equal(assistance_review_params_load(st, "2025-08-01", &p, &err), 0);
    assert_false(p.is_national);
    assert_int_equal(p.cq_unemployed_urban, 1);
    assert_int_equal(p.cq_unemployed_rural, 3);
    struct policy_set_in ps = {"assistance.review.rule", "nat2021", "2025-09-01",
                               "test: the bureau adopts the national rule", NULL};
    assert_int_equal(policy_set(st, &ps, &test_actor, &err), 0);
    assert_int_equal(assistance_review_params_load(st, "2025-09-01", &p, &err), 0);
    assert_true(p.is_national);
    assert_int_equal(p.nat_stable, 12);
    assert_int_equal(p.nat_unstable, 6);
}

/* --- an enrolled household ------------------------------------------------------------------ */

/*
 * The family of three (people 0-2, urban, wages 60000 + 30000 fen) through
 * create -> compute -> decide (2025-08-15) -> enrol: 141000 fen a month
 * from 2025-09. The one place these tests walk the case flow.
 */
static int64_t enrolled_family(struct store *st)
{
    static struct assistance_member_new members[3];
    static struct assistance_income_new incomes[2];
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0, enrolment = 0;
    const char *rel[] = {"self", "spouse", "child"};
    for (int i = 0; i < 3; i++) {
        struct assistance_member_new m = {people[i].code, rel[i], 1, NULL, 0, 0, 0};
        members[i] = m;
    }
    struct assistance_income_new w0 = {people[0].code, "wage", 60000, 1};
    struct assistance_income_new w1 = {people[1].code, "wage", 30000, 1};
    incomes[0] = w0;
    incomes[1] = w1;
    struct assistance_case_new in = {.scheme = "dibao",
                                     .household_id = households[0].id,
                                     .applicant_code = people[0].code,
                                     .applied_on = "2025-08-01",
                                     .bank_account = "6217000012345678",
                                     .bank_name = "测试银行",
                                     .members = members,
                                     .n_members = 3,
                                     .incomes = incomes,
                                     .n_incomes = 2};
    if (assistance_case_create(st, "", &in, &test_actor, &id, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.field);
    enrolment = fixture_enrol_case(st, id, "2025-08-15");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"
                                    " WHERE start_period = '2025-09'"),
                     1);
    return enrolment;
}

static int64_t case_of(struct store *st)
{
    return count_rows(st, "SELECT max(id) FROM assistance_cases");
}

static void pay(struct store *st, const char *period, int64_t lines, int64_t total)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run r;
    if (assistance_pay_run(st, "dibao", period, 0, &test_actor, NULL, NULL, &r, &err) != 0)
        fail_msg("pay %s: %s", period, err.message);
    assert_int_equal(r.lines, lines);
    assert_int_equal(r.total_fen, total);
    assert_true(r.is_reconciled);
}

static void export_period(struct store *st, const char *period)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_bank_file out;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(assistance_bank_export(st, "dibao", period, f, &test_actor, &out, &err), 0);
    fclose(f);
}

static void mark_paid(struct store *st, const char *period)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_return_summary sum;
    char sql[160], text[64];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM assistance_payment_lines WHERE period = '%s' AND status = 'exported'",
             period);
    snprintf(text, sizeof(text), "%lld,paid,\n", (long long)count_rows(st, sql));
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    assert_int_equal(assistance_bank_return(st, f, &test_actor, &sum, &err), 0);
    fclose(f);
    assert_int_equal(sum.paid, 1);
}

static struct assistance_change_out change(struct store *st, int64_t enrolment,
                                           struct assistance_change_in *in, int code,
                                           const char *field)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_change_out out;
    memset(&out, 0, sizeof(out));
    int rc = assistance_enrolment_change(st, "", enrolment, in, &test_actor, &out, &err);
    if (rc != code)
        fail_msg("change: %d, expected %d: %s (%s)", rc, code, err.message, err.field);
    if (field)
        assert_string_equal(err.field, field);
    if (code)
        assert_true(err.message_zh[0]);
    return out;
}

static int64_t amount_of(struct store *st, int64_t enrolment)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT amount_fen FROM assistance_enrolments WHERE id = %lld",
             (long long)enrolment);
    return count_rows(st, sql);
}

/* --- the schedule --------------------------------------------------------------------------- */

/* Enrolment schedules the first review: the child (21, no work income) is
 * able to work but unemployed, so the Chongqing rule reviews an urban
 * household monthly from the decision date. */
static void test_enrolment_schedules_a_review(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_review_due *items;
    size_t n;
    int64_t e = enrolled_family(st);
    ms_arena_init(&a, 4096);
    assert_int_equal(assistance_reviews_due(st, "", NULL, "2025-09-14", 0, &a, &items, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_reviews_due(st, "", NULL, "2025-09-15", 0, &a, &items, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].reason, "review_due");
    assert_string_equal(items[0].due_on, "2025-09-15");
    assert_string_equal(items[0].basis, "unemployed_ablebodied");
    assert_int_equal(items[0].enrolment_id, e);
    /* another town sees nothing; a region prefix narrows the scope */
    assert_int_equal(assistance_reviews_due(st, "500110002", NULL, "2025-12-31", 0, &a, &items, &n,
                                            &err),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_reviews_due(st, "", "500110002", "2025-12-31", 0, &a, &items, &n,
                                            &err),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_reviews_due(st, "", "500110101", "2025-12-31", 0, &a, &items, &n,
                                            &err),
                     0);
    assert_int_equal(n, 1);

    /* an unchanged review keeps the amount and schedules the next */
    struct assistance_review_in rin = {"2025-09-16", "unchanged", "入户核查，家庭情况无变化。",
                                       NULL};
    struct assistance_review_out rout;
    assert_int_equal(assistance_review_record(st, "", e, &rin, &test_actor, &rout, &err), 0);
    assert_string_equal(rout.next_due_on, "2025-10-16");
    assert_int_equal(rout.next_months, 1);
    assert_int_equal(amount_of(st, e), 141000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_reviews"
                                    " WHERE status = 'done' AND outcome = 'unchanged'"),
                     1);
    /* a changed review goes through the change flow: the child finds work */
    struct assistance_income_new now_working[] = {{people[0].code, "wage", 60000, 1},
                                                  {people[1].code, "wage", 30000, 1},
                                                  {people[2].code, "wage", 40000, 1}};
    struct assistance_change_in ch = {.kind = "income", .incomes = now_working, .n_incomes = 3};
    struct assistance_review_in rin2 = {"2025-10-16", "changed", "核查发现子女已就业。", &ch};
    assert_int_equal(assistance_review_record(st, "", e, &rin2, &test_actor, &rout, &err), 0);
    assert_string_equal(rout.change.outcome, "recalculated");
    assert_int_equal(rout.change.new_amount_fen, 231000 - 130000);
    /* everyone counted now works or earns: stable, but its income changed: 6 months */
    assert_string_equal(rout.next_due_on, "2026-04-16");
    assert_string_equal(rout.basis, "stable");
    /* a changed outcome without the change, or with an unknown outcome */
    struct assistance_review_in bad = {"2025-10-20", "changed", "有变化", NULL};
    assert_int_equal(
        assistance_review_record(st, "", rout.change.enrolment_id, &bad, &test_actor, NULL, &err),
        MS_EMISSING);
    assert_string_equal(err.field, "change");
    ms_arena_release(&a);
}

/* --- recalculation ------------------------------------------------------------------------ */

static void test_income_down_raises_the_amount_from_the_next_month(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    struct assistance_income_new less[] = {{people[0].code, "wage", 60000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-10-10",
                                      .reason_zh = "配偶失业，家庭收入减少。",
                                      .incomes = less,
                                      .n_incomes = 1};
    pay(st, "2025-09", 1, 141000);
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "recalculated");
    assert_string_equal(out.effective_period, "2025-11");
    assert_int_equal(out.old_amount_fen, 141000);
    assert_int_equal(out.new_amount_fen, 231000 - 60000);
    assert_true(out.has_calc);
    /* the old period ends, keeping its amount; the new one starts */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_enrolments WHERE id = %lld AND end_period = '2025-10'"
             " AND amount_fen = 141000 AND status = 'stopped'",
             (long long)e);
    assert_int_equal(count_rows(st, sql), 1);
    pay(st, "2025-10", 1, 141000);
    pay(st, "2025-11", 1, 171000);
    /* the monitor finds the period to change from the household */
    struct ms_err err = MS_ERR_INIT;
    int64_t current = 0;
    assert_int_equal(
        assistance_enrolment_current(st, households[0].id, "dibao", &current, &err), 0);
    assert_int_equal(current, out.enrolment_id);
    assert_int_equal(
        assistance_enrolment_current(st, households[1].id, "dibao", &current, &err),
        MS_ENOTFOUND);
    /* the old period id is history now: a change on it is stale */
    in.changed_on = "2025-11-02";
    change(st, e, &in, MS_ESTALE, NULL);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes"), 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log"
                                    " WHERE action = 'assistance.enrolment.change'"),
                     1);
}

/* Income up: a cut. The pending lines of the months from the effective
 * month are cancelled and written again at the new amount; an exported one
 * goes to recovery for the part above it; the paid month before is kept. */
static void test_cut_cancels_pending_and_recovers_exported(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    pay(st, "2025-10", 1, 141000);
    pay(st, "2025-11", 1, 141000);
    pay(st, "2025-12", 1, 141000);
    export_period(st, "2025-09");
    mark_paid(st, "2025-09");
    export_period(st, "2025-10");
    struct assistance_income_new more[] = {{people[0].code, "wage", 100000, 1},
                                           {people[1].code, "wage", 50000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-09-20",
                                      .reason_zh = "申请人工资上涨，按新收入重新核定。",
                                      .incomes = more,
                                      .n_incomes = 2};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_int_equal(out.new_amount_fen, 231000 - 150000);
    assert_int_equal(out.lines_cancelled, 2); /* November and December */
    assert_int_equal(out.lines_replaced, 2);
    assert_int_equal(out.recoveries, 1); /* October was sent to the bank */
    assert_int_equal(out.recovered_fen, 141000 - 81000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_recoveries"
                                    " WHERE reason = 'paid_above_change' AND period = '2025-10'"
                                    " AND amount_fen = 60000"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_line_cancellations"
                                    " WHERE replaced_by IS NOT NULL AND amount_fen = 141000"),
                     2);
    assert_int_equal(count_rows(st, "SELECT sum(amount_fen) FROM assistance_payment_lines"
                                    " WHERE period IN ('2025-11', '2025-12')"),
                     162000);
    /* September, paid, is untouched; runs still reconcile, once each */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE period = '2025-09' AND status = 'paid'"
                                    " AND amount_fen = 141000"),
                     1);
    pay(st, "2025-11", 1, 81000);
    pay(st, "2025-12", 1, 81000);
    assert_int_equal(count_rows(st, "SELECT lines FROM assistance_payment_runs"
                                    " WHERE period = '2025-12'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT total_fen FROM assistance_payment_runs"
                                    " WHERE period = '2025-12'"),
                     81000);
}

static void test_member_leaves(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    struct assistance_change_in in = {.kind = "member_leaves",
                                      .changed_on = "2025-10-01",
                                      .reason_zh = "子女外出务工并已分户。",
                                      .resident_code = people[2].code};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_int_equal(out.calc.members_counted, 2);
    assert_int_equal(out.new_amount_fen, 154000 - 90000);
    /* they no longer count in the case: free to count elsewhere */
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM assistance_counted WHERE resident_id = %lld",
             (long long)people[2].rid);
    assert_int_equal(count_rows(st, sql), 0);
    /* the member is gone from the new period: leaving again is unknown */
    in.changed_on = "2025-10-20";
    change(st, out.enrolment_id, &in, MS_EFIELD, "resident");
    /* and one joins again: counted, with an income of their own */
    struct assistance_member_new back = {people[2].code, "child", 1, NULL, 0, 0, 0};
    struct assistance_change_in join = {.kind = "member_joins",
                                        .changed_on = "2025-11-03",
                                        .reason_zh = "子女返乡，重新计入。",
                                        .member = &back};
    struct assistance_change_out out2 = change(st, out.enrolment_id, &join, 0, NULL);
    assert_int_equal(out2.calc.members_counted, 3);
    assert_int_equal(out2.new_amount_fen, 141000);
    assert_int_equal(count_rows(st, sql), 1);
}

/* A member's death found by the registry is proposed, not applied; the
 * change removes them. */
static void test_death_of_a_member(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_review_due *items;
    size_t n;
    int64_t ev, e = enrolled_family(st);
    assert_int_equal(registry_event_add(st, "", people[1].code, "death", "2025-10-05", NULL,
                                        &test_actor, &ev, &err),
                     0);
    ms_arena_init(&a, 4096);
    assert_int_equal(assistance_reviews_due(st, "", NULL, "2025-09-01", 0, &a, &items, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].reason, "member_deceased");
    assert_string_equal(items[0].resident_code, people[1].code);
    assert_string_equal(items[0].death_date, "2025-10-05");
    assert_int_equal(amount_of(st, e), 141000); /* nothing applied */
    /* an income change cannot pass over the death */
    struct assistance_income_new none[1];
    struct assistance_change_in inc = {.kind = "income",
                                       .changed_on = "2025-10-06",
                                       .reason_zh = "收入变化",
                                       .incomes = NULL,
                                       .n_incomes = 0};
    change(st, e, &inc, MS_EMISSING, "incomes"); /* absent is not "no income" */
    inc.incomes = none;
    change(st, e, &inc, MS_ECONFLICT, "members");
    struct assistance_change_in in = {.kind = "death",
                                      .changed_on = "2025-10-05",
                                      .reason_zh = "配偶因病去世，减少保障人口。",
                                      .resident_code = people[1].code};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "recalculated");
    assert_string_equal(out.effective_period, "2025-11"); /* the month of death is due */
    assert_int_equal(out.new_amount_fen, 154000 - 60000);
    assert_int_equal(assistance_reviews_due(st, "", NULL, "2025-09-01", 0, &a, &items, &n, &err), 0);
    assert_int_equal(n, 0);
    ms_arena_release(&a);
}

/* The death of the payee stops the benefit: pending lines cancelled and not
 * replaced, paid ones to recovery, the case stopped, no more reviews. */
static void test_death_of_the_payee_stops(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t ev, e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    pay(st, "2025-10", 1, 141000);
    pay(st, "2025-11", 1, 141000);
    export_period(st, "2025-10");
    mark_paid(st, "2025-10");
    assert_int_equal(registry_event_add(st, "", people[0].code, "death", "2025-09-12", NULL,
                                        &test_actor, &ev, &err),
                     0);
    struct assistance_change_in in = {.kind = "death",
                                      .changed_on = "2025-09-12",
                                      .reason_zh = "户主（领款人）去世，停止发放。",
                                      .resident_code = people[0].code};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "stopped");
    assert_int_equal(out.enrolment_id, 0);
    assert_int_equal(out.new_amount_fen, 0);
    assert_int_equal(out.lines_cancelled, 1); /* November, pending */
    assert_int_equal(out.lines_replaced, 0);
    assert_int_equal(out.recoveries, 1); /* October, paid */
    assert_int_equal(out.recovered_fen, 141000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_recoveries"
                                    " WHERE reason = 'paid_after_stop' AND change_id IS NOT NULL"),
                     1);
    /* death detection later finds the same line: once per line */
    int64_t found = 0, fen = 0;
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 0);
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM assistance_cases WHERE id = %lld"
             " AND status = 'stopped'", (long long)case_of(st));
    assert_int_equal(count_rows(st, sql), 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_reviews"
                                    " WHERE status = 'scheduled'"),
                     0);
    pay(st, "2025-11", 0, 0);
    pay(st, "2025-12", 0, 0);
    /* a stopped benefit takes no further change */
    struct assistance_change_in exit = {.kind = "exit", .changed_on = "2025-10-01",
                                        .reason_zh = "自愿退出"};
    change(st, e, &exit, MS_ECONFLICT, "enrolment");
}

/* Every line sent to the bank comes back paid. */
static void mark_all_paid(struct store *st, int64_t expected)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_return_summary sum;
    struct store_stmt *s;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(store_prepare(st, "SELECT id FROM assistance_payment_lines"
                                       " WHERE status = 'exported' ORDER BY id",
                                   &s, &err),
                     0);
    while (store_step(s, &err) == STORE_ROW)
        fprintf(f, "%lld,paid,\n", (long long)store_col_int64(s, 0));
    store_reset(s);
    rewind(f);
    assert_int_equal(assistance_bank_return(st, f, &test_actor, &sum, &err), 0);
    fclose(f);
    assert_int_equal(sum.paid, expected);
}

static struct assistance_bank_file export_file(struct store *st, const char *period)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_bank_file out;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(assistance_bank_export(st, "dibao", period, f, &test_actor, &out, &err), 0);
    fclose(f);
    return out;
}

/* What the months hold, net: every line not failed less every recovery. */
static int64_t net_of(struct store *st, const char *period)
{
    char sql[320];
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT coalesce(sum(amount_fen), 0) FROM assistance_payment_lines"
             " WHERE period = '%s' AND status <> 'failed') - (SELECT coalesce(sum(amount_fen), 0)"
             " FROM assistance_recoveries WHERE period = '%s')",
             period, period);
    return count_rows(st, sql);
}

/* The ledger the raise test leaves (two cuts of 90000, two stops of 81000)
 * read and followed up: each row once, a waiver with its reasons, in scope. */
static void follow_the_ledger_up(struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_recovery *items;
    size_t n;
    int64_t total, fen;
    struct assistance_recovery_filter all = {0}, open = {.status = "open"};
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_recoveries_list(st, "", &all, &a, &items, &n, &total, &fen, &err),
                     0);
    assert_int_equal(n, 4);
    assert_int_equal(total, 4);
    assert_int_equal(fen, 2 * 90000 + 2 * 81000);
    assert_string_equal(items[0].reason, "paid_after_stop"); /* newest first */
    assert_string_equal(items[0].household_number, households[0].number);
    assert_true(items[0].change_id > 0);
    /* another town sees none; a bad filter names itself */
    assert_int_equal(
        assistance_recoveries_list(st, "500110002", &all, &a, &items, &n, &total, &fen, &err), 0);
    assert_int_equal(n, 0);
    struct assistance_recovery_filter bad = {.status = "lost"};
    ms_err_init(&err);
    assert_int_equal(assistance_recoveries_list(st, "", &bad, &a, &items, &n, &total, &fen, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "status");
    assert_int_equal(assistance_recoveries_list(st, "", &all, &a, &items, &n, &total, &fen, &err),
                     0);
    int64_t first = items[0].id, second = items[1].id;
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", first, "recovered", "2025-12-01", NULL,
                                                 &test_actor, &err),
                     0);
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", first, "waived", "2025-12-02", "家庭困难",
                                                 &test_actor, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", second, "waived", NULL, NULL,
                                                 &test_actor, &err),
                     MS_EMISSING);
    assert_string_equal(err.field, "note_zh");
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", second, "paid", NULL, NULL, &test_actor,
                                                 &err),
                     MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", second, "recovered", "2999-01-01", NULL,
                                                 &test_actor, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "on");
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "500110002", second, "recovered", NULL, NULL,
                                                 &test_actor, &err),
                     MS_ENOTFOUND);
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", 999999, "recovered", NULL, NULL,
                                                 &test_actor, &err),
                     MS_ENOTFOUND);
    ms_err_init(&err);
    assert_int_equal(assistance_recovery_resolve(st, "", second, "waived", NULL,
                                                 "经区民政局批准，家庭确有困难，免于追回。",
                                                 &test_actor, &err),
                     0);
    assert_int_equal(
        assistance_recoveries_list(st, "", &open, &a, &items, &n, &total, &fen, &err), 0);
    assert_int_equal(total, 2);
    assert_int_equal(fen, 2 * 90000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_recoveries"
                                    " WHERE status = 'waived' AND note_zh <> ''"
                                    " AND resolved_on <> '' AND resolved_by <> ''"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log"
                                    " WHERE action = 'assistance.recovery.resolve'"),
                     2);
    ms_arena_release(&a);
}

/*
 * 补发: income falls, recorded after October was sent at the old amount.
 * October gets an arrears line of the difference, which goes out with
 * November's file. Then two later changes of the same months: a cut claims
 * back what the month was given above the new amount, arrears included,
 * and a stop claims the rest; each month ends holding exactly what it is
 * owed, and the death detection finds nothing more.
 */
static void test_raise_for_months_sent_pays_arrears(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t ev, e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    pay(st, "2025-10", 1, 141000);
    export_period(st, "2025-09");
    export_period(st, "2025-10");
    mark_all_paid(st, 2);
    struct assistance_income_new less[] = {{people[0].code, "wage", 60000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-09-20",
                                      .reason_zh = "配偶九月失业，家庭收入减少。",
                                      .incomes = less,
                                      .n_incomes = 1};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.effective_period, "2025-10");
    assert_int_equal(out.new_amount_fen, 171000);
    assert_int_equal(out.arrears, 1);
    assert_int_equal(out.arrears_fen, 30000);
    assert_int_equal(out.recoveries, 0);
    char sql[240];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_payment_lines WHERE kind = 'arrears'"
             " AND period = '2025-10' AND amount_fen = 30000 AND status = 'pending'"
             " AND issue_no = 2 AND change_id = %lld AND enrolment_id = %lld",
             (long long)out.change_id, (long long)out.enrolment_id);
    assert_int_equal(count_rows(st, sql), 1);
    assert_int_equal(count_rows(st, "SELECT arrears_fen FROM assistance_changes"), 30000);
    /* the run of October is unchanged and still reconciles: arrears are not its lines */
    pay(st, "2025-10", 1, 141000);
    /* November's file carries November's line and October's arrears; once */
    pay(st, "2025-11", 1, 171000);
    struct assistance_bank_file nov = export_file(st, "2025-11");
    assert_int_equal(nov.lines, 2);
    assert_int_equal(nov.total_fen, 201000);
    assert_int_equal(export_file(st, "2025-11").export_no, 0);
    mark_all_paid(st, 2);
    assert_int_equal(net_of(st, "2025-10"), 171000);
    /* indicators: October counts the household once, its money with the arrears */
    struct ms_arena a;
    struct assistance_indicators ind;
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_indicators(st, "", "2025-10", "2025-10", "dibao", NULL, &a, &ind,
                                           &err),
                     0);
    assert_int_equal(ind.n, 1);
    assert_int_equal(ind.series[0].households[0], 1);
    assert_int_equal(ind.series[0].persons[0], 3);
    assert_int_equal(ind.series[0].issued_fen[0], 171000);
    /* the household's history names the arrears line as such */
    struct assistance_chain_item *items;
    size_t n_items, arrears_items = 0;
    assert_int_equal(assistance_household_chain(st, households[0].id, 100, &a, &items, &n_items,
                                                &err),
                     0);
    for (size_t i = 0; i < n_items; i++)
        arrears_items += !strcmp(items[i].kind, "arrears") && items[i].amount_fen == 30000;
    assert_int_equal(arrears_items, 1);
    ms_arena_release(&a);

    /* a raise of wages recorded late: both months were given 171000 */
    struct assistance_income_new more[] = {{people[0].code, "wage", 100000, 1},
                                           {people[1].code, "wage", 50000, 1}};
    struct assistance_change_in cut = {.kind = "income",
                                       .changed_on = "2025-09-25",
                                       .reason_zh = "核实申请人九月起工资上涨。",
                                       .incomes = more,
                                       .n_incomes = 2};
    out = change(st, out.enrolment_id, &cut, 0, NULL);
    assert_int_equal(out.new_amount_fen, 81000);
    assert_int_equal(out.arrears, 0);
    assert_int_equal(out.recoveries, 2);
    assert_int_equal(out.recovered_fen, 2 * 90000);
    assert_int_equal(net_of(st, "2025-10"), 81000);
    assert_int_equal(net_of(st, "2025-11"), 81000);
    /* the same months cut again are claimed again: one recovery per change and month */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_recoveries"
                                    " WHERE period = '2025-10'"),
                     1);

    /* the payee died in September: the months are claimed back whole */
    assert_int_equal(registry_event_add(st, "", people[0].code, "death", "2025-09-28", NULL,
                                        &test_actor, &ev, &err),
                     0);
    struct assistance_change_in death = {.kind = "death",
                                         .changed_on = "2025-09-28",
                                         .reason_zh = "领款人去世，停止发放。",
                                         .resident_code = people[0].code};
    out = change(st, out.enrolment_id, &death, 0, NULL);
    assert_string_equal(out.outcome, "stopped");
    assert_int_equal(out.recoveries, 2);
    assert_int_equal(out.recovered_fen, 2 * 81000);
    assert_int_equal(net_of(st, "2025-10"), 0);
    assert_int_equal(net_of(st, "2025-11"), 0);
    assert_int_equal(net_of(st, "2025-09"), 141000);
    int64_t found = -1, fen = -1;
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 0);
    follow_the_ledger_up(st);
}

/* A failed arrears line is issued again as arrears, under the month's next
 * issue number (the regular re-issue takes the one after). */
static void test_failed_arrears_are_reissued(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_return_summary sum;
    int64_t e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    export_period(st, "2025-09");
    mark_all_paid(st, 1);
    struct assistance_income_new less[] = {{people[0].code, "wage", 60000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-08-20",
                                      .reason_zh = "配偶八月失业。",
                                      .incomes = less,
                                      .n_incomes = 1};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.effective_period, "2025-09");
    assert_int_equal(out.arrears_fen, 30000);
    assert_int_equal(export_file(st, "2025-09").lines, 1);
    int64_t line = count_rows(st, "SELECT id FROM assistance_payment_lines WHERE kind = 'arrears'");
    char text[64];
    snprintf(text, sizeof(text), "%lld,failed,账户冻结\n", (long long)line);
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    assert_int_equal(assistance_bank_return(st, f, &test_actor, &sum, &err), 0);
    fclose(f);
    assert_int_equal(sum.reissued, 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE kind = 'arrears' AND status = 'pending'"
                                    " AND issue_no = 3 AND amount_fen = 30000"),
                     1);
    assert_int_equal(net_of(st, "2025-09"), 171000);
}

/* The payee dies and the spouse takes over with an account of her own: the
 * benefit goes on for two, recomputed; October, sent at the old amount to
 * the old account, is settled by the change and not claimed again by the
 * death detection; November is paid to the new payee. */
static void test_new_payee_after_the_payees_death(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t ev, e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    pay(st, "2025-10", 1, 141000);
    export_period(st, "2025-09");
    export_period(st, "2025-10");
    mark_all_paid(st, 2);
    assert_int_equal(registry_event_add(st, "", people[0].code, "death", "2025-09-12", NULL,
                                        &test_actor, &ev, &err),
                     0);
    struct assistance_payee_new spouse = {people[1].code, "6222000099998888", "测试农商银行"};
    struct assistance_change_in in = {.kind = "death",
                                      .changed_on = "2025-09-12",
                                      .reason_zh = "户主去世，由配偶领取。",
                                      .resident_code = people[0].code,
                                      .payee = &spouse};
    /* bad requests first: they change nothing */
    struct assistance_payee_new stranger = {people[3].code, "6222000099998888", "测试农商银行"};
    struct assistance_payee_new no_account = {people[1].code, "62220", "测试农商银行"};
    struct assistance_payee_new no_bank = {people[1].code, "6222000099998888", ""};
    in.payee = &stranger;
    change(st, e, &in, MS_EFIELD, "payee.resident");
    in.payee = &no_account;
    change(st, e, &in, MS_EFIELD, "payee.bank_account");
    in.payee = &no_bank;
    change(st, e, &in, MS_EMISSING, "payee.bank_name");
    struct assistance_change_in not_payee = {.kind = "death",
                                             .changed_on = "2025-09-12",
                                             .reason_zh = "成员去世",
                                             .resident_code = people[2].code,
                                             .payee = &spouse};
    change(st, e, &not_payee, MS_EFIELD, "payee");
    struct assistance_income_new none[] = {{people[1].code, "wage", 30000, 1}};
    struct assistance_change_in income = {.kind = "income",
                                          .changed_on = "2025-09-12",
                                          .reason_zh = "收入变化",
                                          .incomes = none,
                                          .n_incomes = 1,
                                          .payee = &spouse};
    change(st, e, &income, MS_EFIELD, "payee");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes"), 0);

    in.payee = &spouse;
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "recalculated");
    assert_int_equal(out.new_amount_fen, 2 * 77000 - 30000);
    assert_int_equal(out.recoveries, 1); /* October, above the new amount */
    assert_int_equal(out.recovered_fen, 141000 - 124000);
    char sql[240];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_enrolments WHERE id = %lld"
             " AND payee_resident_id = %lld AND bank_account_last4 = '8888'"
             " AND bank_name = '测试农商银行' AND bank_account_sealed <> ''",
             (long long)out.enrolment_id, (long long)people[1].rid);
    assert_int_equal(count_rows(st, sql), 1);
    int64_t found = -1, fen = -1;
    assert_int_equal(assistance_detect_recoveries(st, &test_actor, &found, &fen, &err), 0);
    assert_int_equal(found, 0);
    assert_int_equal(net_of(st, "2025-10"), 124000);
    /* November goes to the spouse's account */
    pay(st, "2025-11", 1, 124000);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_payment_lines l JOIN assistance_enrolments e"
             " ON e.id = l.enrolment_id WHERE l.period = '2025-11' AND e.payee_resident_id = %lld",
             (long long)people[1].rid);
    assert_int_equal(count_rows(st, sql), 1);
    /* the case goes on: the spouse still counts, the deceased does not */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 2);
}

/* 变更收款账户: the same amount to another account from the next month;
 * every line not yet sent, this month's included, moves to it; a line
 * already sent keeps the account it went to. */
static void test_account_change_moves_what_is_not_sent(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    pay(st, "2025-09", 1, 141000);
    export_period(st, "2025-09");
    pay(st, "2025-10", 1, 141000); /* pending */
    char sql[240];
    struct assistance_payee_new same = {people[0].code, "6222000055556666", "测试邮储银行"};
    struct assistance_change_in in = {.kind = "account",
                                      .changed_on = "2025-10-08",
                                      .reason_zh = "原银行卡挂失，改用新账户。",
                                      .payee = &same};
    /* bad requests first */
    struct assistance_change_in no_payee = {.kind = "account", .changed_on = "2025-10-08",
                                            .reason_zh = "换卡"};
    change(st, e, &no_payee, MS_EMISSING, "payee");
    struct assistance_payee_new stranger = {people[3].code, "6222000055556666", "测试邮储银行"};
    in.payee = &stranger;
    change(st, e, &in, MS_EFIELD, "payee.resident");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes"), 0);

    in.payee = &same;
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "payee_changed");
    assert_int_equal(out.new_amount_fen, 141000);
    assert_int_equal(out.recoveries + out.arrears, 0);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_enrolments WHERE id = %lld AND amount_fen = 141000"
             " AND bank_account_last4 = '6666' AND bank_name = '测试邮储银行'"
             " AND payee_resident_id = %lld",
             (long long)out.enrolment_id, (long long)people[0].rid);
    assert_int_equal(count_rows(st, sql), 1);
    /* October, pending, moved; September, sent, kept the old account */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines l"
                                    " JOIN assistance_enrolments e ON e.bank_account_sealed ="
                                    " l.bank_account_sealed WHERE l.period = '2025-10'"
                                    " AND e.bank_account_last4 = '6666'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE period = '2025-09' AND bank_name = '测试银行'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE period = '2025-10' AND bank_name = '测试邮储银行'"),
                     1);
    pay(st, "2025-11", 1, 141000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_payment_lines"
                                    " WHERE period = '2025-11' AND bank_name = '测试邮储银行'"),
                     1);
    /* the spouse may take over the payment with her own account */
    struct assistance_payee_new spouse = {people[1].code, "6222000077778888", "测试农商银行"};
    struct assistance_change_in to_spouse = {.kind = "account",
                                             .changed_on = "2025-11-02",
                                             .reason_zh = "户主外出务工，由配偶代领。",
                                             .payee = &spouse};
    out = change(st, out.enrolment_id, &to_spouse, 0, NULL);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_enrolments WHERE id = %lld"
             " AND payee_resident_id = %lld AND bank_account_last4 = '8888'",
             (long long)out.enrolment_id, (long long)people[1].rid);
    assert_int_equal(count_rows(st, sql), 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 3);
}

/* Members leave one by one; the death of the sole member left stops it. */
static void test_death_of_the_sole_member_stops(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t ev, e = enrolled_family(st);
    struct assistance_change_in leave = {.kind = "member_leaves", .changed_on = "2025-09-01",
                                         .reason_zh = "成员分户", .resident_code = people[1].code};
    struct assistance_change_out out = change(st, e, &leave, 0, NULL);
    leave.resident_code = people[2].code;
    out = change(st, out.enrolment_id, &leave, 0, NULL);
    assert_int_equal(out.calc.members_counted, 1);
    assert_int_equal(out.new_amount_fen, 77000 - 60000);
    assert_int_equal(registry_event_add(st, "", people[0].code, "death", "2025-09-20", NULL,
                                        &test_actor, &ev, &err),
                     0);
    struct assistance_change_in death = {.kind = "death", .changed_on = "2025-09-20",
                                         .reason_zh = "唯一保障对象去世，停止保障。",
                                         .resident_code = people[0].code};
    out = change(st, out.enrolment_id, &death, 0, NULL);
    assert_string_equal(out.outcome, "stopped");
    pay(st, "2025-09", 1, 141000);
    pay(st, "2025-10", 0, 0);
}

static void test_bad_changes_are_refused_and_change_nothing(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    int64_t before = count_rows(st, "SELECT count(*) FROM assistance_enrolments");
    struct assistance_change_in in = {.kind = "member_leaves", .changed_on = "2025-10-01",
                                      .reason_zh = NULL, .resident_code = people[2].code};
    change(st, e, &in, MS_EMISSING, "reason_zh");
    in.reason_zh = "";
    change(st, e, &in, MS_EMISSING, "reason_zh");
    in.reason_zh = "分户";
    in.changed_on = "2025-07-20"; /* effective 2025-08, before the enrolment's 2025-09 */
    change(st, e, &in, MS_EFIELD, "changed_on");
    in.changed_on = "2999-01-01";
    change(st, e, &in, MS_EFIELD, "changed_on");
    in.changed_on = "2025-10-01";
    in.resident_code = people[4].code; /* not a member */
    change(st, e, &in, MS_EFIELD, "resident");
    in.kind = "work_refusals"; /* only the refusals make this one */
    change(st, e, &in, MS_EFIELD, "kind");
    in.kind = "holiday";
    change(st, e, &in, MS_EFIELD, "kind");
    struct assistance_income_new odd[] = {{people[0].code, "lottery", 1, 1}};
    struct assistance_change_in inc = {.kind = "income", .changed_on = "2025-10-01",
                                       .reason_zh = "收入变化", .incomes = odd, .n_incomes = 1};
    change(st, e, &inc, MS_EFIELD, "incomes[0].kind");
    /* outside the caller's scope: not found */
    struct ms_err err = MS_ERR_INIT;
    struct assistance_change_in exit = {.kind = "exit", .changed_on = "2025-10-01",
                                        .reason_zh = "退出"};
    assert_int_equal(assistance_enrolment_change(st, "500110002", e, &exit, &test_actor, NULL,
                                                 &err),
                     MS_ENOTFOUND);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), before);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes"), 0);
}

/* --- three refusals of work and the transition period (§1.5) ------------------------------- */

static int offer(struct store *st, int64_t e, const char *on, int accepted, int good,
                 int64_t *change_id)
{
    struct ms_err err = MS_ERR_INIT;
    int streak = -1;
    struct assistance_work_offer_in in = {people[2].code, on, accepted, good, "街道推荐保洁岗位"};
    if (assistance_work_offer_record(st, "", e, &in, &test_actor, &streak, change_id, &err) != 0)
        fail_msg("offer: %s (%s)", err.message, err.field);
    return streak;
}

static void test_three_refusals_cut_the_members_share(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st), change_id = 0;
    assert_int_equal(offer(st, e, "2025-09-02", 0, 0, &change_id), 1);
    assert_int_equal(offer(st, e, "2025-09-09", 0, 0, &change_id), 2);
    assert_int_equal(offer(st, e, "2025-09-16", 1, 0, &change_id), 0); /* accepted: reset */
    assert_int_equal(offer(st, e, "2025-09-23", 0, 0, &change_id), 1);
    assert_int_equal(offer(st, e, "2025-09-25", 0, 1, &change_id), 0); /* a good reason */
    assert_int_equal(offer(st, e, "2025-10-01", 0, 0, &change_id), 1);
    assert_int_equal(offer(st, e, "2025-10-08", 0, 0, &change_id), 2);
    assert_int_equal(change_id, 0);
    assert_int_equal(amount_of(st, e), 141000);
    assert_int_equal(offer(st, e, "2025-10-15", 0, 0, &change_id), 3);
    assert_true(change_id > 0);
    /* from the next month, without the member's share */
    int64_t next = count_rows(st, "SELECT max(id) FROM assistance_enrolments");
    assert_int_equal(amount_of(st, next), 154000 - 90000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes WHERE"
                                    " kind = 'work_refusals' AND effective_period = '2025-11'"
                                    " AND reason_zh LIKE '%第三十四条%'"),
                     1);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_period_members WHERE resident_id = %lld"
             " AND is_counted = 0 AND exclusion_reason <> ''",
             (long long)people[2].rid);
    assert_int_equal(count_rows(st, sql), 1);
    /* on the old period the offer is stale */
    struct ms_err err = MS_ERR_INIT;
    struct assistance_work_offer_in in = {people[2].code, "2025-10-20", 0, 0, NULL};
    assert_int_equal(assistance_work_offer_record(st, "", e, &in, &test_actor, NULL, NULL, &err),
                     MS_ESTALE);
}

/* Income above the standard through work: paid as before for the
 * transition months, then nothing. Without work, it stops at once. */
static void test_transition_period(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    struct assistance_income_new work[] = {{people[0].code, "wage", 120000, 1},
                                           {people[1].code, "wage", 60000, 1},
                                           {people[2].code, "wage", 60000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-10-05",
                                      .reason_zh = "家庭成员均已就业，收入超过低保标准，给予渐退期。",
                                      .incomes = work,
                                      .n_incomes = 3,
                                      .is_employment = 1};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "transition");
    assert_false(out.calc.is_eligible);
    assert_string_equal(out.transition_end_period, "2026-04"); /* 6 months (placeholder) */
    assert_int_equal(out.new_amount_fen, 141000);
    pay(st, "2025-11", 1, 141000);
    pay(st, "2026-04", 1, 141000);
    pay(st, "2026-05", 0, 0);
    /* the case is stopped now and its members free; no reviews in the transition */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases"
                                    " WHERE status = 'stopped'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_reviews"
                                    " WHERE status = 'scheduled'"),
                     0);
    /* in the transition only a stop is recorded */
    struct assistance_change_in leave = {.kind = "member_leaves", .changed_on = "2025-12-01",
                                         .reason_zh = "分户", .resident_code = people[2].code};
    change(st, out.enrolment_id, &leave, MS_ECONFLICT, "kind");
    struct assistance_change_in exit = {.kind = "exit", .changed_on = "2026-01-10",
                                        .reason_zh = "本户申请提前退出。"};
    struct assistance_change_out out2 = change(st, out.enrolment_id, &exit, 0, NULL);
    assert_string_equal(out2.outcome, "stopped");
    assert_int_equal(out2.lines_cancelled, 1); /* April's pending line */
    pay(st, "2026-03", 0, 0);
}

static void test_income_above_without_work_stops(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    struct assistance_income_new rent[] = {{people[0].code, "property", 300000, 1}};
    struct assistance_change_in in = {.kind = "income",
                                      .changed_on = "2025-10-05",
                                      .reason_zh = "家庭新增房屋出租收入，超过低保标准。",
                                      .incomes = rent,
                                      .n_incomes = 1};
    struct assistance_change_out out = change(st, e, &in, 0, NULL);
    assert_string_equal(out.outcome, "stopped");
    pay(st, "2025-10", 1, 141000);
    pay(st, "2025-11", 0, 0);
}

/* --- two changes at once --------------------------------------------------------------- */

static char shared_url[TEST_STORE_URL_MAX];

/* The fixture's households and people on a database two connections share. */
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
    for (size_t i = 0; i < N_HOUSEHOLDS; i++) {
        struct registry_household_new h = {households[i].number, {households[i].region, 0, ""}};
        if (registry_household_create(st, "", &h, &test_actor, &households[i].id, &err) != 0)
            fail_msg("household: %s", err.message);
    }
    for (size_t i = 0; i < 3; i++) {
        make_id(people[i].birth8, people[i].seq, people[i].id);
        struct registry_resident_new in = {.name = people[i].name,
                                           .id_number = people[i].id,
                                           .hukou_type = "urban",
                                           .residence = {WANDONG, 0, ""},
                                           .household_id = households[0].id,
                                           .relation = "other"};
        if (registry_resident_create(st, "", &in, &test_actor, people[i].code, &err) != 0)
            fail_msg("resident: %s", err.message);
        people[i].rid = resident_rowid(st, people[i].code);
    }
    fixture_add_investigators(st);
    return 0;
}

struct racer {
    struct store *st;
    int64_t enrolment;
    const char *resident;
    int rc;
    struct ms_err err;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    struct assistance_change_in in = {.kind = "member_leaves",
                                      .changed_on = "2025-10-01",
                                      .reason_zh = "成员分户",
                                      .resident_code = x->resident};
    ms_err_init(&x->err);
    x->rc = assistance_enrolment_change(x->st, "", x->enrolment, &in, &test_actor, NULL, &x->err);
    return NULL;
}

/* Two clerks change the same period at once: one wins, the other is told
 * it changed meanwhile; one successor, one change row. */
static void test_two_changes_at_once(void **state)
{
    struct store *st = *state;
    int64_t e = enrolled_family(st);
    struct racer a = {.st = test_store_connect(shared_url), .enrolment = e,
                      .resident = people[1].code},
                 b = {.st = test_store_connect(shared_url), .enrolment = e,
                      .resident = people[2].code};
    assert_non_null(a.st);
    assert_non_null(b.st);
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    store_close(a.st);
    store_close(b.st);
    assert_true((a.rc == 0 && b.rc == MS_ESTALE) || (a.rc == MS_ESTALE && b.rc == 0));
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_changes"), 1);
    char sql[120];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM assistance_enrolments WHERE predecessor_id = %lld",
             (long long)e);
    assert_int_equal(count_rows(st, sql), 1);
}

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frequency_chongqing_2016),
        cmocka_unit_test(test_frequency_national_2021),
        cmocka_unit_test_setup_teardown(test_rule_is_a_policy_parameter, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_enrolment_schedules_a_review, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_income_down_raises_the_amount_from_the_next_month,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cut_cancels_pending_and_recovers_exported,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_member_leaves, assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_death_of_a_member, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_death_of_the_payee_stops, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_death_of_the_sole_member_stops, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_raise_for_months_sent_pays_arrears, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_failed_arrears_are_reissued, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_new_payee_after_the_payees_death, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_account_change_moves_what_is_not_sent,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_changes_are_refused_and_change_nothing,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_three_refusals_cut_the_members_share,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_transition_period, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_income_above_without_work_stops, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_two_changes_at_once, shared_setup, fixture_teardown),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
