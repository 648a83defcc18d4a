/*
 * test_monitor_rules.c - the rest of the rule list (issue #6 item 1), one
 * table: each case seeds its rule's firing case and its near misses, scans
 * that rule alone on 2026-11-29 and expects exactly the listed subjects;
 * then incremental scans (item 4). On SQLite and PostgreSQL. Synthetic
 * people only (the assistance fixture's).
 *
 * The fixture: households[0] = people 0-2 (urban, 万东), households[1] =
 * people 3 and 5 (rural, 万东), households[2] = person 4 alone (urban, 东林).
 */
#include "unit/monitor/monitor_fixture.h"

#include "modules/policy/policy.h"

#include "core/banned.h"

/* Sets a column of person p's registry row (a fixture shortcut). */
static void set_col(struct store *st, int p, const char *col, const char *value)
{
    char sql[400];
    snprintf(sql, sizeof(sql), "UPDATE residents SET %s = '%s' WHERE id = %lld", col, value,
             (long long)people[p].rid);
    fixture_exec(st, sql);
}

static void born(struct store *st, int p, const char *date)
{
    set_col(st, p, "birth_date", date);
}

static void head(struct store *st, int p)
{
    set_col(st, p, "relation", "head");
}

static void enrol(struct store *st, int h, int payee, const char *start)
{
    char sql[500];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,"
             " amount_fen, start_period, status, created_at, created_by) VALUES (%lld, 'dibao',"
             " %lld, 50000, '%s', 'active', 'x', 'test')",
             (long long)households[h].id, (long long)people[payee].rid, start);
    fixture_exec(st, sql);
}

/* --- one seeding function per rule: the case that fires and its near misses --------- */

/* 80 alone fires; 79 alone, and 96 living with others, are silent. */
static void seed_elderly(struct store *st)
{
    born(st, 4, "1946-11-29");             /* 80 on the scan date, alone in households[2] */
    born(st, 3, "1946-11-30");             /* 79 for one more day ... */
    dies(st, people[5].rid, "2025-01-01"); /* ... and alone since her husband died */
    born(st, 0, "1930-01-01");             /* 96, with two others */
}

/* A working-age head who died within 180 days, with someone left: fires.
 * A head who died 273 days ago, a head of 86, a head living alone: silent. */
static void seed_earner(struct store *st)
{
    for (int p = 0; p < 6; p += 3)
        head(st, p);
    head(st, 4);
    dies(st, people[0].rid, "2026-10-01"); /* 46, households[0] */
    born(st, 3, "1970-05-05");
    dies(st, people[3].rid, "2026-03-01"); /* households[1]: too long ago */
    dies(st, people[4].rid, "2026-10-01"); /* households[2]: nobody left */
    dies(st, people[1].rid, "2026-11-01"); /* not the head */
}

/* The assisted household's member newly registered: fires; another household's
 * member, and a registration 120 days old: silent. */
static void seed_unemployed(struct store *st)
{
    int64_t b = add_batch(st, "unemployment_registration", "done");
    enrol(st, 0, 0, "2026-01");
    add_record(st, b, "unemployment_registration", people[1].rid, "2026-10-01", "", 0, "", "");
    add_record(st, b, "unemployment_registration", people[2].rid, "2026-08-01", "", 0, "", "");
    add_record(st, b, "unemployment_registration", people[4].rid, "2026-10-01", "", 0, "", "");
}

/* The line: 1.5 x the standard (urban 77,000, rural 63,000 fen) for each
 * member over 6 months, 2026-05..10 against 2025-11..2026-04. households[1]
 * (rural, two) fell from 1,134,000 fen to 100,000: fires. households[2]
 * (urban, one) fell to exactly the line, 693,000: silent. households[0]
 * fell but is enrolled: silent. */
static void seed_edge(struct store *st)
{
    int64_t b = add_batch(st, "pension_payment", "done");
    int64_t w = add_batch(st, "contribution_wage", "done");
    add_record(st, b, "pension_payment", people[5].rid, "", "2026-01", 1134000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "", "2026-06", 100000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "", "2026-11", 9000000, "", "");
    add_record(st, w, "contribution_wage", people[4].rid, "", "2025-11", 2000000, "", "");
    add_record(st, w, "contribution_wage", people[4].rid, "", "2026-10", 693000, "", "");
    add_record(st, w, "contribution_wage", people[0].rid, "", "2026-01", 9000000, "", "");
    add_record(st, w, "contribution_wage", people[0].rid, "", "2026-06", 10000, "", "");
    enrol(st, 0, 0, "2026-01");
}

/* Under the line before as well as now: no change, silent; just under
 * the line before: silent. */
static void seed_edge_always_under(struct store *st)
{
    int64_t b = add_batch(st, "pension_payment", "done");
    add_record(st, b, "pension_payment", people[5].rid, "", "2026-01", 200000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "", "2026-06", 100000, "", "");
    add_record(st, b, "pension_payment", people[4].rid, "", "2026-01", 692999, "", "");
    add_record(st, b, "pension_payment", people[4].rid, "", "2026-06", 100000, "", "");
}

/* A near-allowance student entering university: fires; a senior-school
 * pupil, a dibao student, an enrolment 454 days old: silent. */
static void seed_student(struct store *st)
{
    static const char edge[] = "{\"difficulty\":\"near_dibao\",\"school\":\"x\"}";
    int64_t b = add_batch(st, "student_aid", "done");
    add_row(st, b, "student_aid", people[2].rid, "2026-09-01", "", 0, "university", "", "", edge);
    add_row(st, b, "student_aid", people[1].rid, "2026-09-01", "", 0, "senior", "", "", edge);
    add_row(st, b, "student_aid", people[4].rid, "2026-09-01", "", 0, "college", "", "",
            "{\"difficulty\":\"dibao\"}");
    add_row(st, b, "student_aid", people[0].rid, "2025-09-01", "", 0, "college", "", "", edge);
}

/* An assisted member's wage above 4,200 yuan: fires; exactly 4,200, before
 * the enrolment, or in a household not assisted: silent. */
static void seed_wage(struct store *st)
{
    int64_t w = add_batch(st, "contribution_wage", "done");
    enrol(st, 0, 0, "2026-01");
    enrol(st, 1, 3, "2026-01");
    add_record(st, w, "contribution_wage", people[0].rid, "", "2026-03", 420001, "", "");
    add_record(st, w, "contribution_wage", people[3].rid, "", "2026-03", 420000, "", "");
    add_record(st, w, "contribution_wage", people[5].rid, "", "2025-12", 500000, "", "");
    add_record(st, w, "contribution_wage", people[4].rid, "", "2026-03", 900000, "", "");
}

/* Two pensions for one month: fires; one a month: silent. */
static void seed_double(struct store *st)
{
    int64_t b = add_batch(st, "pension_payment", "done");
    add_row(st, b, "pension_payment", people[3].rid, "2026-03-10", "2026-03", 250000,
            "employee_pension", "", "", "{}");
    add_row(st, b, "pension_payment", people[3].rid, "2026-03-10", "2026-03", 20000,
            "resident_pension", "", "", "{}");
    add_record(st, b, "pension_payment", people[5].rid, "2026-03-10", "2026-03", 20000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "2026-04-10", "2026-04", 20000, "", "");
}

/* Benefit and wage in the same month: fires; in adjacent months: silent. */
static void seed_benefit(struct store *st)
{
    int64_t u = add_batch(st, "unemployment_benefit", "done");
    int64_t w = add_batch(st, "contribution_wage", "done");
    add_record(st, u, "unemployment_benefit", people[1].rid, "2026-05-15", "2026-05", 170000, "",
               "");
    add_record(st, w, "contribution_wage", people[1].rid, "", "2026-05", 450000, "", "");
    add_record(st, u, "unemployment_benefit", people[4].rid, "2026-05-15", "2026-05", 170000, "",
               "");
    add_record(st, w, "contribution_wage", people[4].rid, "", "2026-04", 450000, "", "");
}

/* Wages at 15 and a pension at 39 fire; wages from the month of the 16th
 * birthday and a pension at 40 are silent. */
static void seed_age(struct store *st)
{
    int64_t w = add_batch(st, "contribution_wage", "done");
    int64_t p = add_batch(st, "pension_payment", "done");
    add_record(st, w, "contribution_wage", people[1].rid, "", "1998-02", 300000, "",
               ""); /* 1982-03 */
    add_record(st, w, "contribution_wage", people[2].rid, "", "2020-06", 300000, "",
               ""); /* 2004-06 */
    add_record(st, p, "pension_payment", people[0].rid, "", "2019-12", 300000, "",
               ""); /* 1980-01 */
    add_record(st, p, "pension_payment", people[4].rid, "", "2010-09", 300000, "",
               ""); /* 1970-09 */
}

/* A meal subsidy for the month after the death month: fires; for the death
 * month itself, and for a living person: silent. */
static void seed_meal(struct store *st)
{
    int64_t b = add_batch(st, "meal_subsidy", "done");
    dies(st, people[3].rid, "2026-05-20");
    dies(st, people[4].rid, "2026-07-15");
    add_record(st, b, "meal_subsidy", people[3].rid, "2026-06-05", "2026-05", 3600, "", "");
    add_record(st, b, "meal_subsidy", people[3].rid, "2026-07-05", "2026-06", 4000, "", "");
    add_record(st, b, "meal_subsidy", people[4].rid, "2026-08-05", "2026-07", 2000, "", "");
    add_record(st, b, "meal_subsidy", people[1].rid, "2026-09-05", "2026-08", 4400, "", "");
}

/* Rigid spending: 12 complete months (2025-11..2026-10), at least 1,000,000
 * fen self-paid, over 50% of the feeds' income, that income under
 * 3,759,500 fen a person a year. households[0] (three): 1,100,000 of two
 * members against a wage of 2,000,000: fires. households[1] (two):
 * 1,500,000 against 3,000,000, exactly the share: silent. households[2]
 * (one, no income): 999,999 in the window, with 500,000 before it and
 * 500,000 in the scan month not counted: silent. */
static void seed_rigid(struct store *st)
{
    int64_t m = add_batch(st, "medical_settlement", "done");
    int64_t w = add_batch(st, "contribution_wage", "done");
    add_record(st, m, "medical_settlement", people[1].rid, "2026-03-10", "", 600000, "", "");
    add_record(st, m, "medical_settlement", people[2].rid, "2026-10-31", "", 500000, "", "");
    add_record(st, w, "contribution_wage", people[0].rid, "", "2026-01", 2000000, "", "");
    add_record(st, m, "medical_settlement", people[3].rid, "2026-05-01", "", 1500000, "", "");
    add_record(st, w, "pension_payment", people[5].rid, "2026-02-10", "2026-02", 3000000, "", "");
    add_record(st, m, "medical_settlement", people[4].rid, "2025-11-01", "", 999999, "", "");
    add_record(st, m, "medical_settlement", people[4].rid, "2025-10-31", "", 500000, "", "");
    add_record(st, m, "medical_settlement", people[4].rid, "2026-11-02", "", 500000, "", "");
}

/* The same costs in an enrolled household: silent; income of exactly
 * 3,759,500 a person: silent; exactly 1,000,000 with no income: fires. */
static void seed_rigid_more(struct store *st)
{
    seed_rigid(st);
    enrol(st, 0, 0, "2026-01");
    int64_t m = add_batch(st, "medical_settlement", "done");
    int64_t w = add_batch(st, "contribution_wage", "done");
    add_record(st, m, "medical_settlement", people[3].rid, "2026-06-01", "", 3500000, "", "");
    add_record(st, w, "contribution_wage", people[3].rid, "", "2026-03", 4519000, "", "");
    add_record(st, m, "medical_settlement", people[4].rid, "2026-09-01", "", 1, "", "");
}

/* Sets the account (社保个人编号) of person p's pension rows of a batch. */
static void account(struct store *st, int64_t batch, int p, const char *no)
{
    char sql[300];
    snprintf(sql, sizeof(sql),
             "UPDATE exchange_records SET ref_code = '%s' WHERE batch_id = %lld AND resident_id ="
             " %lld AND feed = 'pension_payment'",
             no, (long long)batch, (long long)people[p].rid);
    fixture_exec(st, sql);
}

/* One account paid to person 0, then to person 1: fires on person 1. One
 * account of person 3 in two schemes, rows without an account (people 4
 * and 5), and an account whose second resident's row is in a batch still
 * loading: silent. */
static void seed_identity(struct store *st)
{
    int64_t b = add_batch(st, "pension_payment", "done");
    int64_t loading = add_batch(st, "pension_payment", "loading");
    add_record(st, b, "pension_payment", people[0].rid, "2026-01-10", "2026-01", 300000, "", "");
    add_record(st, b, "pension_payment", people[0].rid, "2026-02-10", "2026-02", 300000, "", "");
    add_record(st, b, "pension_payment", people[1].rid, "2026-03-10", "2026-03", 300000, "", "");
    account(st, b, 0, "50010000000000001");
    account(st, b, 1, "50010000000000001");
    add_row(st, b, "pension_payment", people[3].rid, "2026-03-10", "2026-03", 250000,
            "employee_pension", "", "", "{}");
    add_row(st, b, "pension_payment", people[3].rid, "2026-03-10", "2026-03", 20000,
            "resident_pension", "", "", "{}");
    account(st, b, 3, "50010000000000003");
    add_record(st, b, "pension_payment", people[4].rid, "2026-03-10", "2026-03", 20000, "", "");
    add_record(st, b, "pension_payment", people[5].rid, "2026-03-10", "2026-03", 20000, "", "");
    add_record(st, loading, "pension_payment", people[2].rid, "2026-04-10", "2026-04", 20000, "",
               "");
    account(st, loading, 2, "50010000000000003");
}

/* A benefit of household h's dibao enrolment paid for period (a line). */
static void paid(struct store *st, int h, const char *period, const char *status)
{
    char sql[700];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_payment_runs (scheme, period, status, started_at,"
             " started_by) VALUES ('dibao', '%s', 'done', 'x', 'test')",
             period);
    fixture_exec(st, sql);
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme,"
             " period, amount_fen, status, created_at, updated_at) SELECT r.id, e.id,"
             " e.household_id, 'dibao', r.period, 50000, '%s', 'x', 'x' FROM"
             " assistance_payment_runs r, assistance_enrolments e WHERE r.period = '%s'"
             " AND e.household_id = %lld",
             status, period, (long long)households[h].id);
    fixture_exec(st, sql);
}

/* A remote_benefit row: person p paid benefit kind for period by region. */
static void remote(struct store *st, int64_t b, int p, const char *kind, const char *period,
                   const char *region)
{
    char sql[300];
    add_row(st, b, "remote_benefit", people[p].rid, "2026-11-10", period, 60000, kind, "", "",
            "{}");
    snprintf(sql, sizeof(sql),
             "UPDATE exchange_records SET ref_code = '%s' WHERE id = (SELECT max(id) FROM"
             " exchange_records)",
             region);
    fixture_exec(st, sql);
}

/* Paid here and elsewhere in one month: a member (not the payee) of an
 * enrolled household with dibao from 500222 fires, as does a pensioner with
 * a pension from 500101 for a month paid here; silent: dibao paid by this
 * district's own code, for a month whose line failed or with no line, a
 * pension there while dibao here, a pension there in another month than
 * here, dibao there for a household not enrolled here. */
static void seed_two_regions(struct store *st)
{
    int64_t b = add_batch(st, "remote_benefit", "done");
    int64_t p = add_batch(st, "pension_payment", "done");
    enrol(st, 0, 0, "2026-01");
    paid(st, 0, "2026-05", "paid");
    paid(st, 0, "2026-06", "failed");
    remote(st, b, 1, "dibao", "2026-05", "500222100000");
    remote(st, b, 2, "dibao", "2026-05", "500110101000");
    remote(st, b, 2, "dibao", "2026-06", "500222100000");
    remote(st, b, 2, "dibao", "2026-07", "500222100000");
    remote(st, b, 2, "pension", "2026-05", "500222100000");
    add_record(st, p, "pension_payment", people[3].rid, "2026-03-10", "2026-03", 250000, "", "");
    add_record(st, p, "pension_payment", people[5].rid, "2026-03-10", "2026-03", 20000, "", "");
    remote(st, b, 3, "pension", "2026-03", "500101001000");
    remote(st, b, 5, "pension", "2026-04", "500101001000");
    remote(st, b, 4, "dibao", "2026-05", "500222100000");
}

struct rule_case {
    const char *rule;
    void (*seed)(struct store *st);
    int subjects[3]; /* people[] (person rules) or households[] indexes; -1 ends */
};

static const struct rule_case cases[] = {
    {"elderly_alone_80", seed_elderly, {4, -1}},
    {"earner_death", seed_earner, {0, -1}},
    {"unemployed_assisted_member", seed_unemployed, {1, -1}},
    {"edge_income_no_assistance", seed_edge, {1, -1}},
    {"edge_income_no_assistance", seed_edge_always_under, {-1}},
    {"student_edge_university", seed_student, {2, -1}},
    {"assisted_wage_above", seed_wage, {0, -1}},
    {"pension_double", seed_double, {3, -1}},
    {"unemployment_while_employed", seed_benefit, {1, -1}},
    {"impossible_age", seed_age, {0, 1, -1}},
    {"meal_subsidy_after_death", seed_meal, {3, -1}},
    {"rigid_expenditure_hardship", seed_rigid, {0, -1}},
    {"rigid_expenditure_hardship", seed_rigid_more, {2, -1}},
    {"pension_identity_change", seed_identity, {1, -1}},
    {"benefit_two_regions", seed_two_regions, {1, 3, -1}},
};

static int64_t subject_id(const struct monitor_rule *rule, int i)
{
    return strcmp(rule->subject, "household") == 0 ? households[i].id : people[i].rid;
}

static const struct monitor_rule *rule_named(const char *id)
{
    const struct monitor_rule *rules;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(monitor_rules(&rules, &n, &err), 0);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    fail_msg("no rule %s", id);
    return &rules[0];
}

/* Runs check on each case, each on a fresh, seeded database. */
static void for_each_case(void (*check)(struct store *st, const struct rule_case *k))
{
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        void *db;
        assistance_setup(&db);
        cases[c].seed(db);
        check(db, &cases[c]);
        fixture_teardown(&db);
    }
}

/* Exactly the case's subjects, and a second scan adds nothing. */
static void fires_on_its_case_only(struct store *st, const struct rule_case *k)
{
    const struct monitor_rule *rule = rule_named(k->rule);
    struct monitor_scan_result r;
    int64_t expected = 0;
    const struct monitor_rule_result *x = scan_rule(st, k->rule, &r);
    for (int i = 0; k->subjects[i] >= 0; i++, expected++) {
        char sql[300];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM monitor_alerts a JOIN monitor_tasks t ON t.alert_id ="
                 " a.id WHERE a.rule_id = '%s' AND a.subject_id = %lld",
                 k->rule, (long long)subject_id(rule, k->subjects[i]));
        if (count_rows(st, sql) != 1)
            fail_msg("%s: subject %d has no alert", k->rule, k->subjects[i]);
    }
    if (x->alerts_new != expected || alerts_of(st, k->rule) != expected)
        fail_msg("%s: %lld alerts, expected %lld", k->rule, (long long)alerts_of(st, k->rule),
                 (long long)expected);
    assert_int_equal(scan_rule(st, k->rule, &r)->alerts_new, 0);
}

static void test_each_rule_fires_on_its_case_only(void **state)
{
    (void)state;
    for_each_case(fires_on_its_case_only);
}

/* --- incremental scans ----------------------------------------------------------------- */

static const struct monitor_rule_result *result_of(const struct monitor_scan_result *r,
                                                   const char *rule)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rules[i].rule_id, rule) == 0)
            return &r->rules[i];
    fail_msg("rule %s did not run", rule);
    return &r->rules[0];
}

static void incremental(struct store *st, struct monitor_scan_result *r)
{
    struct ms_err err = MS_ERR_INIT;
    if (monitor_scan_incremental(st, NULL, "2026-11-29", &test_actor, r, &err) != 0)
        fail_msg("incremental scan: %s", err.message);
}

static void test_incremental_scan_runs_over_touched_subjects(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    fixture_exec(st, "UPDATE residents SET updated_at = '2026-01-01T00:00:00.000Z'");
    int64_t b1 = add_batch(st, "disability_certificate", "done");
    add_record(st, b1, "disability_certificate", people[0].rid, "2026-11-01", "", 0, "1", "");
    scan_rule(st, NULL, &r);
    assert_int_equal(alerts_of(st, "disability_severe_new"), 1);

    /* a new batch touches person 4; a row of person 1 slipped into the old
     * batch (as a clerk's late link would) is not touched */
    int64_t b2 = add_batch(st, "disability_certificate", "done");
    add_record(st, b2, "disability_certificate", people[4].rid, "2026-11-02", "", 0, "2", "");
    add_record(st, b1, "disability_certificate", people[1].rid, "2026-11-02", "", 0, "2", "");
    /* a batch still loading is not scanned, nor anything after it */
    int64_t b3 = add_batch(st, "disability_certificate", "loading");
    add_record(st, b3, "disability_certificate", people[3].rid, "2026-11-03", "", 0, "1", "");
    incremental(st, &r);
    assert_true(r.is_incremental);
    assert_int_equal(r.batch_from, b1);
    assert_int_equal(r.batch_to, b2);
    const struct monitor_rule_result *d = result_of(&r, "disability_severe_new");
    assert_int_equal(d->rows_found, 1);
    assert_int_equal(d->alerts_new, 1);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM monitor_alerts WHERE rule_id = 'disability_severe_new'"
             " AND subject_id = %lld",
             (long long)people[4].rid);
    assert_int_equal(count_rows(st, sql), 1);
    assert_int_equal(alerts_of(st, "disability_severe_new"), 2);

    /* the loading batch finishes: the next incremental scan takes it */
    fixture_exec(st, "UPDATE exchange_batches SET status = 'done'");
    incremental(st, &r);
    assert_int_equal(r.batch_from, b2);
    assert_int_equal(r.batch_to, b3);
    assert_int_equal(result_of(&r, "disability_severe_new")->alerts_new, 1);
    assert_int_equal(alerts_of(st, "disability_severe_new"), 3);

    /* a registry change touches a resident without a batch: a death makes the
     * pension already paid after it an alert */
    add_record(st, b1, "pension_payment", people[5].rid, "2026-09-10", "2026-09", 20000, "", "");
    incremental(st, &r);
    assert_int_equal(result_of(&r, "pension_after_death")->rows_found, 0);
    fixture_exec(st, "UPDATE residents SET status = 'deceased', status_date = '2026-07-01',"
                     " updated_at = '2999-01-01T00:00:00.000Z' WHERE relation = 'other'"
                     " AND birth_date = '1940-04-04'");
    incremental(st, &r);
    assert_int_equal(result_of(&r, "pension_after_death")->alerts_new, 1);
    /* nothing touched since: nothing found; the full scan still finds person 1 */
    incremental(st, &r);
    assert_int_equal(result_of(&r, "disability_severe_new")->rows_found, 0);
    scan_rule(st, NULL, &r);
    assert_int_equal(result_of(&r, "disability_severe_new")->alerts_new, 1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_scans WHERE mode ="
                                    " 'incremental' AND status = 'done'"),
                     5);
}

/* Each case, incrementally: the first incremental scan (nothing scanned
 * before: everything touched) alerts exactly what a full scan would, and
 * one after it, with nothing touched since, finds no row in any rule: every
 * rule's marks narrow it to the touched subjects. */
static void incremental_agrees_with_full(struct store *st, const struct rule_case *k)
{
    struct monitor_scan_result r;
    int64_t expected = 0;
    while (k->subjects[expected] >= 0)
        expected++;
    incremental(st, &r);
    if (alerts_of(st, k->rule) != expected)
        fail_msg("%s: incremental %lld alerts, expected %lld", k->rule,
                 (long long)alerts_of(st, k->rule), (long long)expected);
    assert_int_equal(scan_rule(st, k->rule, &r)->alerts_new, 0);
    incremental(st, &r);
    assert_int_equal(r.touched_residents, 0);
    for (size_t i = 0; i < r.n; i++)
        if (r.rules[i].rows_found != 0)
            fail_msg("%s (case %s): %lld rows with nothing touched", r.rules[i].rule_id, k->rule,
                     (long long)r.rules[i].rows_found);
}

static void test_each_rule_incremental_agrees_with_full(void **state)
{
    (void)state;
    for_each_case(incremental_agrees_with_full);
}

/* New assistance data touches too: an enrolment makes its household's
 * earlier unemployment registration an alert, and a payment line paid
 * after the payee's death makes one, in incremental scans without a batch. */
static void test_incremental_scan_sees_new_enrolments_and_payment_lines(void **state)
{
    struct store *st = *state;
    struct monitor_scan_result r;
    int64_t b = add_batch(st, "unemployment_registration", "done");
    add_record(st, b, "unemployment_registration", people[1].rid, "2026-10-01", "", 0, "", "");
    dies(st, people[3].rid, "2026-05-20");
    scan_rule(st, NULL, &r);
    assert_int_equal(alerts_of(st, "unemployed_assisted_member"), 0);

    enrol(st, 0, 0, "2026-01");
    incremental(st, &r);
    assert_true(r.enrolment_to > r.enrolment_from);
    assert_int_equal(result_of(&r, "unemployed_assisted_member")->alerts_new, 1);

    enrol(st, 1, 3, "2026-01");
    fixture_exec(st, "INSERT INTO assistance_payment_runs (scheme, period, status, started_at,"
                     " started_by) VALUES ('dibao', '2026-06', 'done', 'x', 'test')");
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme,"
             " period, amount_fen, status, created_at, updated_at) SELECT r.id, e.id,"
             " e.household_id, 'dibao', '2026-06', 50000, 'paid', 'x', 'x' FROM"
             " assistance_payment_runs r, assistance_enrolments e WHERE e.household_id = %lld",
             (long long)households[1].id);
    fixture_exec(st, sql);
    incremental(st, &r);
    assert_true(r.line_to > r.line_from);
    assert_int_equal(result_of(&r, "assistance_after_death")->alerts_new, 1);
    /* and nothing again */
    incremental(st, &r);
    assert_int_equal(result_of(&r, "assistance_after_death")->rows_found, 0);
    assert_int_equal(result_of(&r, "unemployed_assisted_member")->rows_found, 0);
}

/* --- rules through the API --------------------------------------------------------------- */

#define RULE_OPEN                                                                  \
    "{\"id\":\"%s\",\"title_zh\":\"测试\",\"title_en\":\"test\",\"department\":" \
    "\"civil_affairs\",\"severity\":\"%s\",\"subject\":\"person\",\"source\":\"test\","

/* Marks are checked when a rule is read: only the three sets, a column, a
 * closing brace; braces inside quotes are text. */
static void test_rule_marks_are_checked(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE"
        " {touched_people:r.id}",
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE"
        " {touched_residents:}",
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE"
        " {touched_residents:r.id OR 1 = 1}",
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE"
        " {touched_residents:R.ID}",
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE"
        " {touched_residents:r.id",
        "SELECT r.id AS subject_id, '' AS period, '' AS detail FROM residents r WHERE 1 = 1}",
    };
    struct ms_arena arena;
    struct monitor_rule rule;
    char text[700];
    ms_arena_init(&arena, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        snprintf(text, sizeof(text), RULE_OPEN "\"parameters\":[],\"query\":\"%s\"}", "x", "low",
                 bad[i]);
        if (monitor_rule_parse(text, &arena, &rule, &err) != MS_EFIELD ||
            strcmp(err.field, "query") != 0)
            fail_msg("accepted: %s", bad[i]);
    }
    struct ms_err err = MS_ERR_INIT;
    snprintf(text, sizeof(text), RULE_OPEN "\"parameters\":[],\"query\":\"%s\"}", "x", "low",
             "SELECT r.id AS subject_id, '{not a mark}' AS period, '' AS detail FROM residents r"
             " WHERE {touched_members:r.id} AND {touched_households:r.household_id}");
    assert_int_equal(monitor_rule_parse(text, &arena, &rule, &err), 0);
    assert_int_equal(rule.has_touch_marks, 2);
    ms_arena_release(&arena);
}

static int save(struct store *st, const char *path_id, const char *id, const char *severity,
                const char *params, const char *query, int64_t *version, struct ms_err *err)
{
    char body[2000];
    struct ms_arena a;
    snprintf(body, sizeof(body), RULE_OPEN "\"parameters\":%s,\"query\":\"%s\"}", id, severity,
             params, query);
    ms_arena_init(&a, 0);
    int rc = monitor_rule_save(st, path_id, body, &test_actor, &a, version, err);
    ms_arena_release(&a);
    return rc;
}

#define BORN_BEFORE                                                                        \
    "SELECT r.id AS subject_id, '2026' AS period, r.birth_date AS detail FROM residents r" \
    " WHERE r.birth_date < CAST(? AS TEXT)"
#define DATE_PARAM "[{\"key\":\"scan_date\",\"use\":\"value\"}]"

static void test_rule_through_the_api_is_validated_then_scanned(void **state)
{
    struct store *st = *state;
    int64_t version = 0;
    struct ms_err e1 = MS_ERR_INIT, e2 = MS_ERR_INIT, e3 = MS_ERR_INIT, e4 = MS_ERR_INIT,
                  e5 = MS_ERR_INIT, e6 = MS_ERR_INIT, e7 = MS_ERR_INIT;
    /* a parameter the policy table does not have */
    assert_int_equal(save(st, NULL, "born_early", "low",
                          "[{\"key\":\"no.such.key\",\"use\":"
                          "\"value\"}]",
                          BORN_BEFORE, &version, &e1),
                     MS_EFIELD);
    assert_string_equal(e1.field, "parameters");
    /* a query that does not compile */
    assert_int_equal(save(st, NULL, "born_early", "low", "[]",
                          "SELECT nothing AS subject_id FROM nowhere", &version, &e2),
                     MS_EFIELD);
    assert_string_equal(e2.field, "query");
    /* a query that runs too long is interrupted at the policy's time limit */
    struct policy_set_in limit = {"monitor.rule.validate_timeout_ms", "100", "2020-01-02", "test",
                                  NULL};
    assert_int_equal(policy_set(st, &limit, &test_actor, &e3), 0);
    assert_int_equal(save(st, NULL, "slow", "low", "[]",
                          "SELECT c.n AS subject_id, 'p' AS period, '' AS detail FROM (WITH"
                          " RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE"
                          " n < 2000000000) SELECT n FROM c) c WHERE c.n = 0",
                          &version, &e3),
                     MS_EFIELD);
    assert_string_equal(e3.field, "query");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM monitor_rule_defs"), 0);

    /* a good rule is stored, listed, scanned */
    assert_int_equal(save(st, NULL, "born_early", "low", DATE_PARAM, BORN_BEFORE, &version, &e4),
                     0);
    assert_int_equal(version, 1);
    assert_int_equal(save(st, NULL, "born_early", "low", DATE_PARAM, BORN_BEFORE, &version, &e5),
                     MS_ECONFLICT);
    /* a shipped rule is overridden by PUT, not added twice by POST */
    assert_int_equal(
        save(st, NULL, "pension_double", "low", DATE_PARAM, BORN_BEFORE, &version, &e6),
        MS_ECONFLICT);
    assert_int_equal(
        save(st, "pension_double", "other_id", "low", DATE_PARAM, BORN_BEFORE, &version, &e7),
        MS_EFIELD);
    struct ms_err e8 = MS_ERR_INIT;
    assert_int_equal(
        save(st, "pension_double", "pension_double", "low", DATE_PARAM, BORN_BEFORE, &version, &e8),
        0);
    struct ms_arena a;
    struct monitor_rule *rules;
    const char **origins;
    size_t n;
    ms_arena_init(&a, 0);
    assert_int_equal(monitor_rule_set(st, &a, &rules, &origins, &n, &e8), 0);
    assert_int_equal(n, 19);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rules[i].id, "pension_double") == 0) {
            assert_string_equal(origins[i], "database_override");
            assert_string_equal(rules[i].severity, "low");
        }
        if (strcmp(rules[i].id, "born_early") == 0)
            assert_string_equal(origins[i], "database");
    }
    ms_arena_release(&a);
    struct monitor_scan_result r;
    scan_rule(st, "born_early", &r);
    assert_int_equal(alerts_of(st, "born_early"), (int64_t)N_PEOPLE);
    scan_rule(st, "pension_double", &r);
    assert_int_equal(alerts_of(st, "pension_double"), (int64_t)N_PEOPLE);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log WHERE action LIKE"
                                    " 'monitor.rule.%'"),
                     2);
}

static int try_write(struct store *st, void *ctx, struct ms_err *err)
{
    (void)ctx;
    return store_exec(st, "UPDATE residents SET name = '改' WHERE 1 = 1", err);
}

/* The read-only transaction refuses a write and leaves the store writable. */
static void test_readonly_transaction_refuses_writes(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_not_equal(store_tx_readonly(st, 1000, try_write, NULL, &err), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM residents WHERE name = '改'"), 0);
    fixture_exec(st, "UPDATE residents SET relation = 'other' WHERE 1 = 1");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, assistance_setup, fixture_teardown)

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_rule_fires_on_its_case_only),
        cmocka_unit_test(test_each_rule_incremental_agrees_with_full),
        T(test_incremental_scan_runs_over_touched_subjects),
        T(test_incremental_scan_sees_new_enrolments_and_payment_lines),
        cmocka_unit_test(test_rule_marks_are_checked),
        T(test_rule_through_the_api_is_validated_then_scanned),
        T(test_readonly_transaction_refuses_writes),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
