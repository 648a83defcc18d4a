/*
 * test_assistance_schemes.c - 特困 and 临时救助 cases through the domain
 * functions (assistance_scheme.c and the flow's dispatch): what the
 * application declares and what is refused, the computation on the
 * policy rows of migration 003, the start month, the one-off payment of
 * 临时救助 made exactly once, and the documents owed by a case paid
 * first; on SQLite and PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include "modules/audit/audit.h"
#include "store/store.h"

#include "core/banned.h"

/* What walk_case() saw. */
struct walk {
    struct assistance_calc calc; /* the computation on the decision date */
    int decide_rc;               /* the decision's result code */
    int enrol_rc;                /* the enrolment's (approved cases only) */
    char start[8];               /* the first month paid */
};

/* The one place this file walks a case through the domain functions:
 * create, compute on decided_on, decide (approve or refuse) on decided_on
 * and, once approved, enrol. Creating and computing must succeed; what the
 * decision and the enrolment answer is in *w. The procedure's steps before
 * the decision are fixture_decidable_case()'s. */
static int64_t walk_case(struct store *st, const struct assistance_case_new *in,
                         const char *decided_on, const char *decision, struct walk *w)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0;
    struct assistance_decision_in d = {decision, "不符合条件", decided_on};
    memset(w, 0, sizeof(*w));
    if (assistance_case_create(st, "", in, &test_actor, &id, &err) != 0)
        fail_msg("walk: %s (%s)", err.message, err.field);
    fixture_decidable_case(st, id, decided_on);
    if (assistance_case_compute(st, "", id, decided_on, &test_actor, &w->calc, &err) != 0)
        fail_msg("walk: %s (%s)", err.message, err.field);
    w->decide_rc = assistance_case_decide(st, "", id, &d, &test_actor, &err);
    if (w->decide_rc == 0 && !strcmp(decision, "approve")) {
        ms_err_init(&err);
        w->enrol_rc = assistance_case_enrol(st, "", id, &test_actor, NULL, w->start, &err);
    }
    return id;
}

/* A case that must reach enrolment. */
static int64_t enrolled_case(struct store *st, const struct assistance_case_new *in,
                             const char *decided_on, struct walk *w)
{
    int64_t id = walk_case(st, in, decided_on, "approve", w);
    if (w->decide_rc != 0 || w->enrol_rc != 0)
        fail_msg("case %lld not enrolled: decide %d, enrol %d", (long long)id, w->decide_rc,
                 w->enrol_rc);
    return id;
}

/* --- 特困 ------------------------------------------------------------------------------ */

static const char *const four_items[] = {"feeding", "dressing", "toilet", "bathing"};
static struct assistance_member_new old_man[] = {{NULL, "self", 1, NULL, 0, 0, 0}};
static struct assistance_member_tekun_new old_man_tekun[] = {{"", four_items, 4}};

/* 韦试己 (people[5], born 1940, rural) alone, four ADL items not met, a
 * son in prison and a daughter aged 72 on a low income. */
static struct assistance_supporter_new supporters[] = {
    {"child", 50, 0, 0, 0, 0, 0, 0, 1, 3000000},
    {"child", 72, 0, 0, 0, 1, 0, 0, 0, 2000000},
};

static struct assistance_case_new tekun_case(void)
{
    old_man[0].resident_code = people[5].code;
    struct assistance_case_new in = {.scheme = "tekun",
                                     .household_id = households[1].id,
                                     .applicant_code = people[5].code,
                                     .applied_on = "2026-01-05",
                                     .is_single_person = 1,
                                     .bank_account = "6217000099990001",
                                     .members = old_man,
                                     .n_members = 1,
                                     .member_tekun = old_man_tekun,
                                     .supporters = supporters,
                                     .n_supporters = 2};
    return in;
}

/* 1001 元 basic + the (placeholder) full-loss care subsidy of 600 元, paid
 * from the month after the decision by the monthly run. */
static void test_tekun_enrolled_and_paid_monthly(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = tekun_case();
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    struct assistance_run run;
    struct walk w;
    int64_t id = enrolled_case(st, &in, "2026-01-20", &w);
    assert_string_equal(w.start, "2026-02");
    ms_arena_init(&a, 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_int_equal(c.amount_fen, 160100);
    assert_int_equal(c.standard_fen, 100100);
    assert_int_equal(c.enrolment_amount_fen, 160100);
    assert_int_equal(c.n_tekun_members, 1);
    assert_string_equal(c.tekun_members[0].care_level, "full");
    assert_int_equal(c.tekun_members[0].adl_not_met, 1u | 2u | 8u | 32u);
    assert_int_equal(c.tekun_members[0].care_fen, 60000);
    assert_int_equal(c.n_supporters, 2);
    assert_true(c.supporters[0].is_in_prison);
    assert_null(c.linshi);
    ms_arena_release(&a);
    assert_int_equal(
        assistance_pay_run(st, "tekun", "2026-01", 0, &test_actor, NULL, NULL, &run, &err), 0);
    assert_int_equal(run.lines, 0);
    for (int month = 2; month <= 3; month++) {
        char period[8];
        snprintf(period, sizeof(period), "2026-%02d", month);
        assert_int_equal(
            assistance_pay_run(st, "tekun", period, 0, &test_actor, NULL, NULL, &run, &err), 0);
        assert_int_equal(run.lines, 1);
        assert_int_equal(run.total_fen, 160100);
        assert_true(run.is_reconciled);
    }
}

/* An able supporter: computed not eligible, and approval is refused. */
static void test_tekun_with_an_able_supporter_is_not_approved(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = tekun_case();
    struct assistance_supporter_new able[] = {{"child", 45, 0, 0, 0, 0, 0, 0, 0, 9000000}};
    struct walk w;
    in.supporters = able, in.n_supporters = 1;
    walk_case(st, &in, "2026-01-20", "approve", &w);
    assert_false(w.calc.is_eligible);
    assert_string_equal(w.calc.reasons[0].code, "supporter_able");
    assert_int_equal(w.decide_rc, MS_ECONFLICT);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 0);
}

/* Before 2026 the disposable income has no value: computing names the key. */
static void test_tekun_without_the_disposable_income_names_the_key(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = tekun_case();
    struct ms_err err = MS_ERR_INIT;
    struct assistance_calc calc;
    int64_t id = 0;
    in.applied_on = "2025-08-01";
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &id, &err), 0);
    fixture_step(st, id, "investigate", "2025-08-01", NULL);
    assert_int_equal(assistance_case_compute(st, "", id, "2025-08-10", &test_actor, &calc, &err),
                     MS_ENOTFOUND);
    assert_string_equal(err.field, "nat.rigid.income_ceiling");
    assert_int_equal(
        count_rows(st, "SELECT count(*) FROM assistance_cases WHERE computed_on <> ''"), 0);
}

static void expect_create_refused(struct store *st, const struct assistance_case_new *in, int code,
                                  const char *field)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t before = count_rows(st, "SELECT count(*) FROM assistance_cases");
    assert_int_equal(assistance_case_create(st, "", in, &test_actor, NULL, &err), code);
    assert_string_equal(err.field, field);
    assert_true(err.message_zh[0]);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases"), before);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_tekun_supporters"), 0);
}

static void test_tekun_bad_declarations_are_refused(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = tekun_case(), x;
    const char *const unknown[] = {"feeding", "dancing"};
    const char *const twice[] = {"toilet", "toilet"};
    struct assistance_member_tekun_new bad_item[] = {{"", unknown, 2}};
    struct assistance_member_tekun_new dup_item[] = {{"", twice, 2}};
    struct assistance_member_tekun_new bad_type[] = {{"tall", NULL, 0}};
    struct assistance_supporter_new bad_rel[] = {{"friend", 40, 0, 0, 0, 0, 0, 0, 0, 0}};
    struct assistance_supporter_new neg[] = {{"child", 40, 0, 0, 0, 0, 0, 0, 0, -1}};
    x = in, x.member_tekun = bad_item;
    expect_create_refused(st, &x, MS_EFIELD, "members[0].adl_not_met[1]");
    x = in, x.member_tekun = dup_item;
    expect_create_refused(st, &x, MS_EFIELD, "members[0].adl_not_met[1]");
    x = in, x.member_tekun = bad_type;
    expect_create_refused(st, &x, MS_EFIELD, "members[0].disability_type");
    x = in, x.supporters = bad_rel, x.n_supporters = 1;
    expect_create_refused(st, &x, MS_EFIELD, "supporters[0].relation");
    x = in, x.supporters = neg, x.n_supporters = 1;
    expect_create_refused(st, &x, MS_EFIELD, "supporters[0].annual_income_fen");
    /* Parts of another scheme are refused, not dropped. */
    x = in, x.scheme = "dibao";
    expect_create_refused(st, &x, MS_EFIELD, "supporters");
    x = in, x.scheme = "dibao", x.n_supporters = 0;
    expect_create_refused(st, &x, MS_EFIELD, "members[0].adl_not_met");
    struct assistance_linshi_new l = {"emergency", "fire", "general", 1, 0};
    x = in, x.linshi = &l;
    expect_create_refused(st, &x, MS_EFIELD, "linshi");
    /* The 特困 income kinds are taken for tekun only. */
    struct assistance_income_new allowance[] = {{NULL, "elderly_allowance", 10000, 1}};
    allowance[0].resident_code = people[5].code;
    x = in, x.scheme = "dibao", x.n_supporters = 0, x.member_tekun = NULL;
    x.incomes = allowance, x.n_incomes = 1;
    expect_create_refused(st, &x, MS_EFIELD, "incomes[0].kind");
}

/* --- 临时救助 ------------------------------------------------------------------------- */

static struct assistance_member_new family[] = {
    {NULL, "self", 1, NULL, 0, 0, 0},
    {NULL, "spouse", 1, NULL, 0, 0, 0},
    {NULL, "child", 1, NULL, 0, 0, 0},
};

static struct assistance_case_new linshi_case(const struct assistance_linshi_new *l)
{
    for (int i = 0; i < 3; i++)
        family[i].resident_code = people[i].code;
    struct assistance_case_new in = {.scheme = "linshi",
                                     .household_id = households[0].id,
                                     .applicant_code = people[0].code,
                                     .applied_on = "2026-01-05",
                                     .bank_account = "6217000099990002",
                                     .members = family,
                                     .n_members = 3,
                                     .linshi = l};
    return in;
}

/* A fire, paid first: 1 × 770 × 2 = 1540 元, within the town limit. One
 * line for the decision month, exactly once; nothing the month after. */
static void test_linshi_paid_once_for_the_decision_month(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "fire", "general", 2, 1};
    struct assistance_case_new in = linshi_case(&l);
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run run;
    struct walk w;
    enrolled_case(st, &in, "2026-01-20", &w);
    assert_string_equal(w.start, "2026-01");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments WHERE scheme ="
                                    " 'linshi' AND end_period = '2026-01' AND amount_fen = 154000"),
                     1);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            assistance_pay_run(st, "linshi", "2026-01", 0, &test_actor, NULL, NULL, &run, &err), 0);
        assert_int_equal(run.lines_new, i == 0 ? 1 : 0);
        assert_int_equal(run.lines, 1);
        assert_int_equal(run.total_fen, 154000);
        assert_true(run.is_reconciled);
    }
    assert_int_equal(
        assistance_pay_run(st, "linshi", "2026-02", 0, &test_actor, NULL, NULL, &run, &err), 0);
    assert_int_equal(run.lines, 0);
    /* The members are free for the next hardship; a second one the same
     * month would be a second line of the month: refused at enrolment. */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 0);
    struct assistance_linshi_new again = {"emergency", "traffic_accident", "serious", 1, 0};
    struct assistance_case_new in2 = linshi_case(&again);
    in2.applied_on = "2026-01-21";
    walk_case(st, &in2, "2026-01-31", "approve", &w); /* after its 7-day publicity */
    assert_int_equal(w.calc.amount_fen, 154000);
    assert_int_equal(w.decide_rc, 0);
    assert_int_equal(w.enrol_rc, MS_ECONFLICT);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 1);
}

static int documents_owed(struct store *st, int64_t id)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    ms_arena_init(&a, 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_non_null(c.linshi);
    int owed = c.linshi->is_documents_owed;
    ms_arena_release(&a);
    return owed;
}

static void test_linshi_paid_first_owes_documents_until_completed(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "major_illness", "general", 1, 1};
    struct assistance_case_new in = linshi_case(&l);
    struct ms_err err = MS_ERR_INIT;
    struct walk w;
    int64_t id = enrolled_case(st, &in, "2026-01-20", &w);
    assert_true(documents_owed(st, id));
    assert_int_equal(
        assistance_linshi_documents_complete(st, "", id, "2026-01-01", &test_actor, &err),
        MS_EFIELD);
    assert_string_equal(err.field, "completed_on");
    ms_err_init(&err);
    assert_int_equal(
        assistance_linshi_documents_complete(st, "", id, "2026-02-03", &test_actor, &err), 0);
    assert_false(documents_owed(st, id));
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_case_events"
                                    " WHERE action = 'documents_complete'"),
                     1);
    assert_int_equal(
        assistance_linshi_documents_complete(st, "", id, "2026-02-04", &test_actor, &err),
        MS_ECONFLICT);
    /* A case outside the scope is not found. */
    ms_err_init(&err);
    assert_int_equal(
        assistance_linshi_documents_complete(st, "500110002", id, NULL, &test_actor, &err),
        MS_ENOTFOUND);
}

/* Over the town limit, pay-first is not allowed; over the cap, 一事一议. */
/* 小额先行救助: a pay-first case goes from acceptance straight to the
 * district, which approves without a publicity; a case not declared so may
 * not take that move. */
static void test_linshi_pay_first_skips_the_procedure(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_step_out out;
    int64_t plain, first;
    struct assistance_linshi_new no = {"emergency", "fire", "general", 1, 0};
    struct assistance_case_new in = linshi_case(&no);
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &plain, &err), 0);
    struct assistance_step_in step = {.action = "pay_first", .on = "2026-01-06"};
    assert_int_equal(assistance_case_step(st, "", plain, &step, &test_actor, &out, &err),
                     MS_ECONFLICT);
    assert_string_equal(err.field, "action");
    /* Refused and freed, so the family can apply the other way. */
    struct assistance_decision_in refuse = {"refuse", "改为先行救助", "2026-01-20"};
    ms_err_init(&err);
    fixture_decidable_case(st, plain, "2026-01-20");
    assert_int_equal(assistance_case_decide(st, "", plain, &refuse, &test_actor, &err), 0);

    struct assistance_linshi_new yes = {"emergency", "fire", "general", 1, 1};
    in = linshi_case(&yes);
    in.applied_on = "2026-01-21";
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &first, &err), 0);
    step.on = "2026-01-21";
    assert_int_equal(assistance_case_step(st, "", first, &step, &test_actor, &out, &err), 0);
    assert_string_equal(out.status, "district_review");
    struct assistance_decision_in approve = {"approve", "火灾，先行救助", "2026-01-21"};
    assert_int_equal(assistance_case_decide(st, "", first, &approve, &test_actor, &err), 0);
    assert_true(documents_owed(st, first));
}

static void test_linshi_limits_on_the_policy_rows(void **state)
{
    struct store *st = *state;
    struct walk w;
    struct assistance_linshi_new first = {"emergency", "fire", "critical", 1, 1};
    struct assistance_case_new in = linshi_case(&first);
    walk_case(st, &in, "2026-01-20", "refuse", &w);
    assert_false(w.calc.is_eligible);
    assert_string_equal(w.calc.reasons[0].code, "pay_first_over_town_limit");
    assert_int_equal(w.decide_rc, 0);

    struct assistance_linshi_new big = {"emergency", "fire", "critical", 6, 0};
    in = linshi_case(&big);
    walk_case(st, &in, "2026-01-20", "approve", &w);
    assert_true(w.calc.is_eligible);
    assert_int_equal(w.calc.amount_fen, 924000); /* the cap, 12 × 770 */
    assert_int_equal(w.enrol_rc, 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"
                                    " WHERE amount_fen = 924000"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_linshi WHERE"
                                    " needs_collective_decision = 1 AND tier_fen = 1386000"),
                     1);
}

static void test_linshi_bad_declarations_are_refused(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"expenditure", "medical", "serious", 3, 0};
    struct assistance_case_new in = linshi_case(&l), x;
    struct assistance_expense_new no_receipt[] = {{NULL, "medical", 500000, ""}};
    struct assistance_expense_new neg[] = {{NULL, "medical", -1, "R-1"}};
    struct assistance_expense_new huge[] = {{NULL, "medical", INT64_MAX, "R-1"},
                                            {NULL, "medical", 1, "R-2"}};
    struct assistance_linshi_new bad_kind = {"lottery", "fire", "general", 1, 0};
    struct assistance_linshi_new bad_cause = {"emergency", "education", "general", 1, 0};
    struct assistance_linshi_new bad_sev = {"emergency", "fire", "mild", 1, 0};
    struct assistance_linshi_new first = {"expenditure", "medical", "general", 1, 1};
    x = in;
    expect_create_refused(st, &x, MS_EMISSING, "expenses");
    x = in, x.expenses = no_receipt, x.n_expenses = 1;
    expect_create_refused(st, &x, MS_EMISSING, "expenses[0].receipt_ref");
    x = in, x.expenses = neg, x.n_expenses = 1;
    expect_create_refused(st, &x, MS_EFIELD, "expenses[0].amount_fen");
    x = in, x.expenses = huge, x.n_expenses = 2;
    expect_create_refused(st, &x, MS_EFIELD, "expenses[1].amount_fen");
    x = in, x.linshi = &bad_kind;
    expect_create_refused(st, &x, MS_EFIELD, "linshi.kind");
    x = in, x.linshi = &bad_cause;
    expect_create_refused(st, &x, MS_EFIELD, "linshi.cause");
    x = in, x.linshi = &bad_sev;
    expect_create_refused(st, &x, MS_EFIELD, "linshi.severity");
    x = in, x.linshi = &first;
    expect_create_refused(st, &x, MS_EFIELD, "linshi.pay_first");
    x = in, x.linshi = NULL;
    expect_create_refused(st, &x, MS_EMISSING, "linshi");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_linshi"), 0);
}

/* 支出型 with receipts: at most the spending, on the household's income. */
static void test_linshi_expenditure_computed(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"expenditure", "medical", "serious", 3, 0};
    struct assistance_case_new in = linshi_case(&l);
    struct assistance_expense_new bills[] = {{NULL, "medical", 100000, "R-1"},
                                             {NULL, "medical", 50000, "R-2"}};
    struct ms_err err = MS_ERR_INIT;
    struct assistance_calc calc;
    int64_t id = 0;
    in.expenses = bills, in.n_expenses = 2;
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &id, &err), 0);
    fixture_step(st, id, "investigate", "2026-01-05", NULL);
    assert_int_equal(assistance_case_compute(st, "", id, "2026-01-20", &test_actor, &calc, &err),
                     0);
    assert_true(calc.is_eligible);
    assert_int_equal(calc.amount_fen, 150000);
}

/* --- one application, several schemes (社会救助一件事) --------------------------------- */

static const char *const with_dibao[] = {"dibao"};
static const char *const with_linshi[] = {"linshi"};

/* The family of three, 1000 元 of wages: dibao 3 × 770 − 1000 = 1310 元. */
static struct assistance_income_new wages[1];

static struct assistance_case_new family_case(const char *scheme, const char *const *more,
                                              const struct assistance_linshi_new *l)
{
    struct assistance_case_new in = linshi_case(l);
    wages[0] = (struct assistance_income_new){people[0].code, "wage", 100000, 1};
    in.scheme = scheme;
    in.more_schemes = more;
    in.n_more_schemes = 1;
    in.incomes = wages;
    in.n_incomes = 1;
    return in;
}

/* The determination of scheme in case id: its status and amount. */
static int64_t determination_amount(struct store *st, int64_t id, const char *scheme,
                                    const char *status)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(sum(amount_fen), -1) FROM assistance_determinations"
             " WHERE case_id = %lld AND scheme = '%s' AND status = '%s'",
             (long long)id, scheme, status);
    return count_rows(st, sql);
}

/* A payment run of scheme for period: its lines and total. */
static void expect_run(struct store *st, const char *scheme, const char *period, int64_t lines,
                       int64_t total_fen)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_run run;
    if (assistance_pay_run(st, scheme, period, 0, &test_actor, NULL, NULL, &run, &err) != 0)
        fail_msg("run %s %s: %s", scheme, period, err.message);
    assert_int_equal(run.lines, lines);
    assert_int_equal(run.total_fen, total_fen);
    assert_true(run.is_reconciled);
}

/* 低保 + 临时救助 after a fire: dibao 1310 元 a month from the next month,
 * linshi 1 × 770 × 2 = 1540 元 once, in the decision month; the members are
 * freed for linshi only; the notice lists both. */
static void test_dibao_and_linshi_each_computed_and_paid(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "fire", "general", 2, 0};
    struct assistance_case_new in = family_case("dibao", with_linshi, &l);
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct assistance_notice notice;
    struct audit_entry read;
    struct walk w;
    int64_t id = enrolled_case(st, &in, "2026-01-20", &w);
    assert_int_equal(w.calc.amount_fen, 131000);
    assert_int_equal(determination_amount(st, id, "dibao", "approved"), 131000);
    assert_int_equal(determination_amount(st, id, "linshi", "approved"), 154000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments WHERE scheme ="
                                    " 'dibao' AND start_period = '2026-02' AND status = 'active'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments WHERE scheme ="
                                    " 'linshi' AND start_period = '2026-01' AND end_period ="
                                    " '2026-01' AND amount_fen = 154000"),
                     1);
    /* One-off linshi frees the members for linshi only: dibao still holds them. */
    assert_int_equal(
        count_rows(st, "SELECT count(*) FROM assistance_counted WHERE scheme = 'dibao'"), 3);
    assert_int_equal(
        count_rows(st, "SELECT count(*) FROM assistance_counted WHERE scheme = 'linshi'"), 0);
    expect_run(st, "dibao", "2026-01", 0, 0);
    expect_run(st, "linshi", "2026-01", 1, 154000);
    expect_run(st, "linshi", "2026-01", 1, 154000); /* a rerun adds nothing */
    expect_run(st, "dibao", "2026-02", 1, 131000);
    expect_run(st, "linshi", "2026-02", 0, 0);
    /* The read view shows the linshi part though linshi is second. */
    ms_arena_init(&a, 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_non_null(c.linshi);
    assert_string_equal(c.linshi->cause, "fire");
    assert_int_equal(c.linshi->tier_fen, 154000);
    assert_int_equal(c.n_tekun_members, 0);
    assert_int_equal(assistance_case_notice(st, "", id, &a, &notice, &read, &err), 0);
    assert_non_null(strstr(notice.text_zh, "最低生活保障：准予享受，每月 1310.00 元，自 2026-02"));
    assert_non_null(
        strstr(notice.text_zh, "临时救助：准予救助，一次性发放 1540.00 元，于 2026-01"));
    /* The resident's progress view: both schemes, linshi paid once. */
    struct assistance_portal_app p;
    assert_int_equal(assistance_portal_get(st, people[0].rid, id, &a, &p, &read, &err), 0);
    assert_int_equal(p.n_schemes, 2);
    assert_string_equal(p.schemes[1], "linshi");
    assert_int_equal(p.n_benefits, 2);
    assert_int_equal(p.benefits[0].amount_fen, 131000);
    assert_false(p.benefits[0].is_one_off);
    assert_string_equal(p.benefits[1].scheme, "linshi");
    assert_int_equal(p.benefits[1].amount_fen, 154000);
    assert_true(p.benefits[1].is_one_off);
    ms_arena_release(&a);
    /* Free for the next hardship, but not twice in one month (one line per key). */
    struct assistance_linshi_new again = {"emergency", "traffic_accident", "general", 1, 0};
    struct assistance_case_new in2 = linshi_case(&again);
    in2.applied_on = "2026-01-21";
    walk_case(st, &in2, "2026-01-31", "approve", &w);
    assert_int_equal(w.decide_rc, 0);
    assert_int_equal(w.enrol_rc, MS_ECONFLICT);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 2);
}

/* 特困 + 临时救助 for the old man after an illness: tekun 1601 元 a month,
 * linshi 2 × 770 = 1540 元 once; both parts stored and read. */
static void test_tekun_and_linshi_each_computed(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "major_illness", "serious", 1, 0};
    struct assistance_case_new in = tekun_case();
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    struct walk w;
    in.more_schemes = with_linshi, in.n_more_schemes = 1, in.linshi = &l;
    int64_t id = enrolled_case(st, &in, "2026-01-20", &w);
    assert_int_equal(w.calc.amount_fen, 160100);
    assert_int_equal(determination_amount(st, id, "tekun", "approved"), 160100);
    assert_int_equal(determination_amount(st, id, "linshi", "approved"), 154000);
    expect_run(st, "linshi", "2026-01", 1, 154000);
    expect_run(st, "tekun", "2026-01", 0, 0);
    expect_run(st, "tekun", "2026-02", 1, 160100);
    ms_arena_init(&a, 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_int_equal(c.n_tekun_members, 1);
    assert_string_equal(c.tekun_members[0].care_level, "full");
    assert_int_equal(c.n_supporters, 2);
    assert_non_null(c.linshi);
    assert_string_equal(c.linshi->severity, "serious");
    ms_arena_release(&a);
}

/* 临时救助 (支出型, with receipts) first and 低保 second: at most the
 * spending, 1500 元; dibao 1310 元. */
static void test_linshi_then_dibao_each_computed(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"expenditure", "medical", "serious", 3, 0};
    struct assistance_case_new in = family_case("linshi", with_dibao, &l);
    struct assistance_expense_new bills[] = {{NULL, "medical", 100000, "R-1"},
                                             {NULL, "medical", 50000, "R-2"}};
    struct walk w;
    in.expenses = bills, in.n_expenses = 2;
    int64_t id = enrolled_case(st, &in, "2026-01-20", &w);
    assert_int_equal(w.calc.amount_fen, 150000);
    assert_int_equal(determination_amount(st, id, "linshi", "approved"), 150000);
    assert_int_equal(determination_amount(st, id, "dibao", "approved"), 131000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 2);
    assert_int_equal(
        count_rows(st, "SELECT count(*) FROM assistance_counted WHERE scheme = 'dibao'"), 3);
}

/* 特困's own income kinds are taken when tekun is asked for; dibao leaves
 * them out (not counted, not refused): the old man's 200 元 pension gives
 * 630 − 200 + 30 (key member, 70 and over) = 460 元 whatever his 高龄津贴
 * and medical insurance. */
static void test_tekun_income_kinds_left_out_of_dibao(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = tekun_case();
    struct assistance_income_new incomes[] = {{NULL, "pension", 20000, 1},
                                              {NULL, "elderly_allowance", 10000, 1},
                                              {NULL, "medical_insurance", 5000, 1}};
    static const char *const with_tekun[] = {"tekun"};
    struct walk w;
    for (int i = 0; i < 3; i++)
        incomes[i].resident_code = people[5].code;
    in.scheme = "dibao", in.more_schemes = with_tekun, in.n_more_schemes = 1;
    in.incomes = incomes, in.n_incomes = 3;
    int64_t id = walk_case(st, &in, "2026-01-20", "approve", &w);
    assert_true(w.calc.is_eligible);
    assert_int_equal(w.calc.income_fen, 20000);
    assert_int_equal(w.calc.amount_fen, 46000);
    assert_int_equal(determination_amount(st, id, "dibao", "approved"), 46000);
    assert_int_equal(determination_amount(st, id, "tekun", "approved"), 160100);
}

/* A part for no scheme asked for is refused naming it; a listed scheme's
 * part is required and checked whatever its position; pay-first is for a
 * linshi application alone. */
static void test_parts_belong_to_a_listed_scheme(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "fire", "general", 1, 0};
    struct assistance_linshi_new first = {"emergency", "fire", "general", 1, 1};
    struct assistance_linshi_new spent = {"expenditure", "medical", "general", 1, 0};
    struct assistance_expense_new no_receipt[] = {{NULL, "medical", 500000, ""}};
    static const char *const with_tekun[] = {"tekun"};
    struct assistance_case_new in = family_case("dibao", with_linshi, &l), x;
    x = in, x.supporters = supporters, x.n_supporters = 1;
    expect_create_refused(st, &x, MS_EFIELD, "supporters");
    x = in, x.linshi = NULL;
    expect_create_refused(st, &x, MS_EMISSING, "linshi");
    x = in, x.linshi = &first;
    expect_create_refused(st, &x, MS_EFIELD, "linshi.pay_first");
    x = in, x.linshi = &spent;
    expect_create_refused(st, &x, MS_EMISSING, "expenses");
    x = in, x.linshi = &spent, x.expenses = no_receipt, x.n_expenses = 1;
    expect_create_refused(st, &x, MS_EMISSING, "expenses[0].receipt_ref");
    x = in, x.more_schemes = with_tekun;
    expect_create_refused(st, &x, MS_EFIELD, "linshi");
    /* A tekun-only kind with no tekun asked for. */
    struct assistance_income_new allowance[] = {{NULL, "elderly_allowance", 10000, 1}};
    allowance[0].resident_code = people[0].code;
    x = in, x.incomes = allowance;
    expect_create_refused(st, &x, MS_EFIELD, "incomes[0].kind");
    /* tekun second: its checks run too. */
    const char *const unknown[] = {"dancing"};
    struct assistance_member_tekun_new bad_item[] = {
        {"", unknown, 1}, {"", NULL, 0}, {"", NULL, 0}};
    x = in, x.more_schemes = with_tekun, x.linshi = NULL, x.member_tekun = bad_item;
    expect_create_refused(st, &x, MS_EFIELD, "members[0].adl_not_met[0]");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_linshi"), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_tekun_members"), 0);
}

/* A case taken before this change with linshi second has no linshi part:
 * it is read, computed and decided without it, its determination stays
 * "unavailable" with the reason scheme_details_missing. */
static void test_second_scheme_without_its_part_is_unavailable(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "fire", "general", 2, 0};
    struct assistance_case_new in = family_case("dibao", with_linshi, &l);
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    int64_t id = 0;
    char sql[128];
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &id, &err), 0);
    snprintf(sql, sizeof(sql), "DELETE FROM assistance_linshi WHERE case_id = %lld", (long long)id);
    assert_int_equal(store_exec(st, sql, &err), 0);
    fixture_enrol_case(st, id, "2026-01-20");
    assert_int_equal(determination_amount(st, id, "dibao", "approved"), 131000);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_determinations WHERE"
                                    " scheme = 'linshi' AND status = 'unavailable'"
                                    " AND reasons_json LIKE '%scheme_details_missing%'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 1);
    ms_arena_init(&a, 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_null(c.linshi);
    ms_arena_release(&a);
}

/* The pay-first move skips the procedure for the whole application: a
 * pay-first linshi case asking for another scheme too (only possible in
 * data taken before the refusal at application) may not take it. */
static void test_pay_first_move_refused_with_another_scheme(void **state)
{
    struct store *st = *state;
    struct assistance_linshi_new l = {"emergency", "fire", "general", 1, 1};
    struct assistance_case_new in = linshi_case(&l);
    struct ms_err err = MS_ERR_INIT;
    struct assistance_step_out out;
    int64_t id = 0;
    char sql[160];
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &id, &err), 0);
    snprintf(sql, sizeof(sql),
             "INSERT INTO assistance_determinations (case_id, scheme, status)"
             " VALUES (%lld, 'dibao', 'pending')",
             (long long)id);
    assert_int_equal(store_exec(st, sql, &err), 0);
    struct assistance_step_in step = {.action = "pay_first", .on = "2026-01-06"};
    assert_int_equal(assistance_case_step(st, "", id, &step, &test_actor, &out, &err),
                     MS_ECONFLICT);
    assert_string_equal(err.field, "schemes");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases WHERE status = 'draft'"),
                     1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, assistance_setup, fixture_teardown)

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        T(test_tekun_enrolled_and_paid_monthly),
        T(test_tekun_with_an_able_supporter_is_not_approved),
        T(test_tekun_bad_declarations_are_refused),
        T(test_tekun_without_the_disposable_income_names_the_key),
        T(test_linshi_paid_once_for_the_decision_month),
        T(test_linshi_paid_first_owes_documents_until_completed),
        T(test_linshi_pay_first_skips_the_procedure),
        T(test_linshi_limits_on_the_policy_rows),
        T(test_linshi_bad_declarations_are_refused),
        T(test_linshi_expenditure_computed),
        T(test_dibao_and_linshi_each_computed_and_paid),
        T(test_tekun_and_linshi_each_computed),
        T(test_linshi_then_dibao_each_computed),
        T(test_tekun_income_kinds_left_out_of_dibao),
        T(test_parts_belong_to_a_listed_scheme),
        T(test_second_scheme_without_its_part_is_unavailable),
        T(test_pay_first_move_refused_with_another_scheme),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
