/*
 * test_assistance.c - applications and their flow (assistance_case.c,
 * assistance_read.c), the parameters from the policy table on the
 * decision date, and the means check over linked department data, on
 * SQLite and PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include "core/date.h"
#include "core/money.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"

#include "core/banned.h"

/* The family of three (people 0-2), all counted, wage 90000 fen a month. */
static struct assistance_member_new family_members[] = {
    {NULL, "self", 1, NULL, 0, 0, 0},
    {NULL, "spouse", 1, NULL, 0, 0, 0},
    {NULL, "child", 1, NULL, 0, 0, 0},
};
static struct assistance_income_new family_incomes[] = {
    {NULL, "wage", 60000, 1},
    {NULL, "wage", 30000, 1},
    {NULL, "social_assistance", 20000, 1}, /* excluded (§1.2) */
};

static struct assistance_case_new family_case(void)
{
    for (int i = 0; i < 3; i++)
        family_members[i].resident_code = people[i].code;
    family_incomes[0].resident_code = people[0].code;
    family_incomes[1].resident_code = people[1].code;
    family_incomes[2].resident_code = people[2].code;
    struct assistance_case_new in = {.scheme = "dibao",
                                     .household_id = households[0].id,
                                     .applicant_code = people[0].code,
                                     .applied_on = "2025-08-01",
                                     .bank_account = "6217000012345678",
                                     .bank_name = "测试银行",
                                     .members = family_members,
                                     .n_members = 3,
                                     .incomes = family_incomes,
                                     .n_incomes = 3};
    return in;
}

static int64_t create_family(struct store *st)
{
    struct assistance_case_new in = family_case();
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0;
    if (assistance_case_create(st, "", &in, &test_actor, &id, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.field);
    return id;
}

/* rules.md §1.7: the standard in force on the date decides; 特困 = 1.3 ×
 * urban in both years, as the policy rows say. */
static void test_params_follow_the_policy_dates(void **state)
{
    struct store *st = *state;
    struct assistance_params p;
    struct ms_err err = MS_ERR_INIT;
    int64_t tekun, ppm, computed;
    assert_int_equal(assistance_params_load(st, "urban", "2025-06-30", &p, &err), 0);
    assert_int_equal(p.standard_fen, 75000);
    assert_int_equal(assistance_params_load(st, "urban", "2025-07-01", &p, &err), 0);
    assert_int_equal(p.standard_fen, 77000);
    assert_int_equal(p.marginal_ppm, 1500000);
    assert_int_equal(p.topup_key_fen, 4500);
    assert_int_equal(assistance_params_load(st, "rural", "2025-07-01", &p, &err), 0);
    assert_int_equal(p.standard_fen, 63000);
    assert_int_equal(p.topup_key_fen, 3000);
    const char *dates[] = {"2024-07-01", "2025-07-01"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(assistance_params_load(st, "urban", dates[i], &p, &err), 0);
        assert_int_equal(policy_get_int(st, "cq.tekun.basic", dates[i], &tekun, &err), 0);
        struct ms_arena a;
        struct policy_value v;
        ms_arena_init(&a, 512);
        assert_int_equal(
            policy_get(st, "nat.tekun.multiplier_of_urban_dibao", dates[i], &a, &v, &err), 0);
        assert_int_equal(ms_money_parse_ratio(v.value, &ppm, NULL), 0);
        ms_arena_release(&a);
        assert_int_equal(ms_money_apply_ratio(p.standard_fen, ppm, &computed), 0);
        assert_int_equal(computed, tekun);
    }
    /* before any standard is in force there is nothing to compute with */
    assert_int_equal(assistance_params_load(st, "urban", "2020-01-01", &p, &err), MS_ENOTFOUND);
    assert_string_equal(err.field, "cq.dibao.standard.urban");
}

/* Application to enrolment: the worked example of §1.4 end to end, every
 * move audited and recorded, the start month from the policy. */
static void test_case_flow_create_compute_decide_enrol(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_calc calc;
    int64_t id = create_family(st), enrolment = 0;
    char start[8];
    assert_true(id > 0);
    fixture_step(st, id, "investigate", "2025-08-01", NULL);
    assert_int_equal(assistance_case_compute(st, "", id, "2025-08-01", &test_actor, &calc, &err),
                     0);
    assert_true(calc.is_eligible);
    assert_int_equal(calc.income_fen, 90000);
    assert_int_equal(calc.excluded_fen, 20000);
    assert_int_equal(calc.amount_fen, 141000);
    /* on a date before the 2025-07 standard the same household gets less */
    assert_int_equal(assistance_case_compute(st, "", id, "2025-06-30", &test_actor, &calc, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "as_of"); /* before the application */
    ms_err_init(&err);
    fixture_step(st, id, "visit", "2025-08-04", "入户核实");
    fixture_step(st, id, "town_review", "2025-08-05", "符合条件，同意上报");
    fixture_step(st, id, "publish", "2025-08-06", NULL);
    fixture_step(st, id, "close_publicity", "2025-08-13", NULL);
    struct assistance_decision_in d = {
        "approve", "经审核，家庭人均收入低于城市低保标准，予以批准。", "2025-08-15"};
    assert_int_equal(assistance_case_decide(st, "", id, &d, &test_actor, &err), 0);
    assert_int_equal(assistance_case_enrol(st, "", id, &test_actor, &enrolment, start, &err), 0);
    assert_true(enrolment > 0);
    /* 审核确认办法: from the month after the decision (policy from 2021-07-01) */
    assert_string_equal(start, "2025-09");

    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_string_equal(c.status, "enrolled");
    assert_string_equal(c.area, "urban");
    assert_string_equal(c.income_period, "2025-07");
    assert_string_equal(c.bank_account_masked, "**** **** 5678");
    assert_int_equal(c.amount_fen, 141000);
    assert_int_equal(c.enrolment_amount_fen, 141000);
    assert_string_equal(c.decision, "approve");
    assert_int_equal(c.n_members, 3);
    assert_string_equal(read.action, "assistance.case.read");
    ms_arena_release(&a);
    /* the sealed account is not the account in clear */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases"
                                    " WHERE bank_account_sealed LIKE '%6217000012345678%'"),
                     0);
    /* create, investigate, compute, visit, town review, publish, close, approve, enrol */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_case_events"), 9);
    /* and on the applicant's timeline */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM life_events"
                                    " WHERE kind = 'assistance_enrolled'"
                                    " AND source_module = 'assistance'"
                                    " AND event_date = '2025-08-15'"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM audit_log"
                                    " WHERE action LIKE 'assistance.case.%'"),
                     9);
}

/* The Chongqing 2016 rule ("from the month of approval") as a later policy
 * row: the start follows the row in force on the decision date. */
static void test_start_month_follows_the_policy(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct policy_set_in ps = {"assistance.dibao.start_months_after_decision", "0", "2025-08-01",
                               "test: 从批准的当月起", NULL};
    assert_int_equal(policy_set(st, &ps, &test_actor, &err), 0);
    int64_t id = create_family(st);
    assert_true(fixture_enrol_case(st, id, "2025-08-20") > 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"
                                    " WHERE start_period = '2025-08'"),
                     1);
}

/* No skipping: decide, enrol or compute before the investigation; a
 * refused case goes nowhere. */
static void test_transitions_cannot_be_skipped(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = create_family(st);
    struct assistance_decision_in approve = {"approve", "批准", "2025-08-15"};
    struct assistance_decision_in refuse = {"refuse", "家庭人均收入高于标准，不予批准。",
                                            "2025-08-15"};
    assert_int_equal(assistance_case_decide(st, "", id, &approve, &test_actor, &err), MS_ECONFLICT);
    assert_true(err.message_zh[0]);
    ms_err_init(&err);
    assert_int_equal(assistance_case_enrol(st, "", id, &test_actor, NULL, NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(assistance_case_compute(st, "", id, "2025-08-02", &test_actor, NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    fixture_decidable_case(st, id, "2025-08-15");
    struct assistance_decision_in no_reason = {"refuse", NULL, NULL};
    assert_int_equal(assistance_case_decide(st, "", id, &no_reason, &test_actor, &err),
                     MS_EMISSING);
    assert_string_equal(err.field, "reason_zh");
    ms_err_init(&err);
    assert_int_equal(assistance_case_decide(st, "", id, &refuse, &test_actor, &err), 0);
    assert_int_equal(assistance_case_decide(st, "", id, &approve, &test_actor, &err), MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(assistance_case_enrol(st, "", id, &test_actor, NULL, NULL, &err),
                     MS_ECONFLICT);
    ms_err_init(&err);
    assert_int_equal(assistance_case_compute(st, "", id, NULL, &test_actor, NULL, &err),
                     MS_ECONFLICT);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 0);
}

/* A household whose income is not below the standard cannot be approved. */
static void test_approval_needs_eligibility_on_the_decision_date(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_case_new in = family_case();
    struct assistance_income_new rich[] = {{people[0].code, "wage", 300000, 1}};
    in.incomes = rich;
    in.n_incomes = 1;
    int64_t id = 0;
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &id, &err), 0);
    fixture_decidable_case(st, id, "2025-08-15");
    struct assistance_decision_in d = {"approve", "批准", "2025-08-15"};
    assert_int_equal(assistance_case_decide(st, "", id, &d, &test_actor, &err), MS_ECONFLICT);
    assert_non_null(strstr(err.message_zh, "不符合条件"));
}

static void expect_create_refused(struct store *st, const char *scope,
                                  const struct assistance_case_new *in, int code, const char *field)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t before = count_rows(st, "SELECT count(*) FROM assistance_cases");
    assert_int_equal(assistance_case_create(st, scope, in, &test_actor, NULL, &err), code);
    assert_string_equal(err.field, field);
    assert_true(err.message_zh[0]);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases"), before);
}

static void test_bad_applications_are_refused_and_change_nothing(void **state)
{
    struct store *st = *state;
    struct assistance_case_new in = family_case();
    struct assistance_income_new neg[] = {{people[0].code, "wage", -100, 1}};
    struct assistance_income_new big[] = {{people[0].code, "wage", INT64_MAX, 1},
                                          {people[1].code, "pension", 1, 1}};
    struct assistance_income_new odd[] = {{people[0].code, "lottery", 1, 1}};
    struct assistance_income_new stranger[] = {{people[3].code, "wage", 1, 1}};
    struct assistance_member_new twice[] = {{people[0].code, "self", 1, NULL, 0, 0, 0},
                                            {people[0].code, "spouse", 1, NULL, 0, 0, 0}};
    struct assistance_member_new no_reason[] = {{people[0].code, "self", 1, NULL, 0, 0, 0},
                                                {people[1].code, "spouse", 0, NULL, 0, 0, 0}};

    struct assistance_case_new x = in;
    x.incomes = neg, x.n_incomes = 1;
    expect_create_refused(st, "", &x, MS_EFIELD, "incomes[0].amount_fen");
    x = in, x.incomes = big, x.n_incomes = 2;
    expect_create_refused(st, "", &x, MS_EFIELD, "incomes[1].amount_fen");
    x = in, x.incomes = odd, x.n_incomes = 1;
    expect_create_refused(st, "", &x, MS_EFIELD, "incomes[0].kind");
    x = in, x.incomes = stranger, x.n_incomes = 1;
    expect_create_refused(st, "", &x, MS_EFIELD, "incomes[0].resident");
    x = in, x.members = twice, x.n_members = 2;
    expect_create_refused(st, "", &x, MS_EFIELD, "members[1].resident");
    x = in, x.members = no_reason, x.n_members = 2, x.n_incomes = 0;
    expect_create_refused(st, "", &x, MS_EMISSING, "members[1].exclusion_reason");
    x = in, x.applied_on = "2999-01-01";
    expect_create_refused(st, "", &x, MS_EFIELD, "applied_on");
    x = in, x.applied_on = "2025-02-30";
    expect_create_refused(st, "", &x, MS_EFIELD, "applied_on");
    x = in, x.scheme = "pension";
    expect_create_refused(st, "", &x, MS_EFIELD, "scheme");
    static const char *const dup_schemes[] = {"tekun", "dibao"};
    x = in, x.more_schemes = dup_schemes, x.n_more_schemes = 2;
    expect_create_refused(st, "", &x, MS_EFIELD, "schemes[2]");
    x = in, x.has_near_relative = 1;
    expect_create_refused(st, "", &x, MS_EMISSING, "near_relative_note");
    x = in, x.bank_account = "12ab";
    expect_create_refused(st, "", &x, MS_EFIELD, "bank_account");
    x = in, x.household_id = 999999;
    expect_create_refused(st, "", &x, MS_EFIELD, "household_id");
    x = in, x.applicant_code = people[3].code;
    expect_create_refused(st, "", &x, MS_EFIELD, "applicant");
}

/* rules.md §1.1 data: a dead applicant cannot apply; nor be counted. */
static void test_dead_applicant_is_refused(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t ev;
    /* the registry says why in Chinese too: "该居民已死亡" */
    assert_int_equal(registry_event_add(st, "", people[5].code, "death", "2025-06-01", NULL,
                                        &test_actor, &ev, &err),
                     0);
    struct assistance_member_new m[] = {{people[5].code, "self", 1, NULL, 0, 0, 0}};
    struct assistance_case_new in = {.scheme = "dibao",
                                     .household_id = households[1].id,
                                     .applicant_code = people[5].code,
                                     .applied_on = "2025-08-01",
                                     .members = m,
                                     .n_members = 1};
    expect_create_refused(st, "", &in, MS_EFIELD, "applicant");
    struct assistance_member_new two[] = {{people[3].code, "self", 1, NULL, 0, 0, 0},
                                          {people[5].code, "spouse", 1, NULL, 0, 0, 0}};
    in.applicant_code = people[3].code;
    in.members = two;
    in.n_members = 2;
    expect_create_refused(st, "", &in, MS_EFIELD, "members[1].resident");
}

/* One person counts in one open case of a scheme: a second application
 * counting them is refused until the first is refused. */
static void test_member_cannot_count_in_two_households(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t first = create_family(st), second = 0;
    struct assistance_member_new m[] = {{people[3].code, "self", 1, NULL, 0, 0, 0},
                                        {people[2].code, "grandchild", 1, NULL, 0, 0, 0}};
    struct assistance_case_new in = {.scheme = "dibao",
                                     .household_id = households[1].id,
                                     .applicant_code = people[3].code,
                                     .applied_on = "2025-08-01",
                                     .members = m,
                                     .n_members = 2};
    expect_create_refused(st, "", &in, MS_ECONFLICT, "members[1].resident");
    /* listed but not counted (e.g. lives elsewhere) is fine */
    m[1].is_counted = 0;
    m[1].exclusion_reason = "长期在外居住，不共同生活";
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &second, &err), 0);
    assert_true(second > first);
    /* once the first is refused, the person may count elsewhere */
    struct assistance_decision_in refuse = {"refuse", "不予批准。", "2025-08-15"};
    fixture_decidable_case(st, first, "2025-08-15");
    assert_int_equal(assistance_case_decide(st, "", first, &refuse, &test_actor, &err), 0);
    m[1].is_counted = 1;
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &second, &err),
                     MS_ECONFLICT); /* people[3] counts in `second` already */
    ms_err_init(&err);
    m[0].resident_code = people[2].code; /* the grandchild alone, 单人保 */
    m[0].relation = "self";
    in.applicant_code = people[2].code;
    in.n_members = 1;
    in.is_single_person = 1;
    assert_int_equal(assistance_case_create(st, "", &in, &test_actor, &second, &err), 0);
}

/* Data scope: a town sees and changes only its own cases. */
static void test_town_scope(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = create_family(st);
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_case_get(st, "500110101", id, &a, &c, &read, &err), 0);
    assert_int_equal(assistance_case_get(st, "500110002", id, &a, &c, &read, &err), MS_ENOTFOUND);
    ms_err_init(&err);
    assert_int_equal(assistance_case_compute(st, "500110002", id, NULL, &test_actor, NULL, &err),
                     MS_ENOTFOUND);
    /* the list too */
    ms_err_init(&err);
    struct assistance_case_item *items;
    size_t n;
    assert_int_equal(
        assistance_case_list(st, "500110101", NULL, 1, 20, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, id);
    assert_string_equal(items[0].applicant_name, "韦试甲");
    assert_int_equal(
        assistance_case_list(st, "500110002", NULL, 1, 20, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_case_list(st, "", "enrolled", 1, 20, &a, &items, &n, &read, &err),
                     0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_case_list(st, "", "nope", 1, 20, &a, &items, &n, &read, &err),
                     MS_EFIELD);
    ms_err_init(&err);
    ms_arena_release(&a);
    struct assistance_case_new in = family_case();
    expect_create_refused(st, "500110002", &in, MS_EFIELD, "household_id");
    /* a 东林 household cannot list 万东 residents either */
    struct assistance_member_new m[] = {{people[4].code, "self", 1, NULL, 0, 0, 0},
                                        {people[3].code, "other", 1, NULL, 0, 0, 0}};
    struct assistance_case_new dl = {.scheme = "dibao",
                                     .household_id = households[2].id,
                                     .applicant_code = people[4].code,
                                     .members = m,
                                     .n_members = 2};
    expect_create_refused(st, "500110002", &dl, MS_EFIELD, "members[1].resident");
}

/* Linked department rows for a member: three months of pension in the
 * window (one outside it), a wage above what was declared, a vehicle in use
 * and a deregistered one. */
static void add_dated(struct store *st, int64_t batch, const char *feed, int64_t rid,
                      const char *period, const char *fact_date, int64_t fen, const char *category,
                      const char *status)
{
    static int n;
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    char key[32];
    snprintf(key, sizeof(key), "k%d", ++n);
    assert_int_equal(store_prepare(st,
                                   "INSERT INTO exchange_records (feed, batch_id, row_no,"
                                   " natural_key, period, amount_fen, category, status,"
                                   " resident_id, fact_date, link_method, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', 'x')",
                                   &s, &err),
                     0);
    store_bind_text(s, 1, feed);
    store_bind_int64(s, 2, batch);
    store_bind_int64(s, 3, n);
    store_bind_text(s, 4, key);
    store_bind_text(s, 5, period);
    if (fen >= 0)
        store_bind_int64(s, 6, fen);
    else
        store_bind_null(s, 6);
    store_bind_text(s, 7, category);
    store_bind_text(s, 8, status);
    store_bind_int64(s, 9, rid);
    store_bind_text(s, 10, fact_date);
    if (store_step(s, &err) < 0)
        fail_msg("insert record: %s", err.message);
    store_reset(s);
}

static void add_record(struct store *st, int64_t batch, const char *feed, int64_t rid,
                       const char *period, int64_t fen, const char *category, const char *status)
{
    add_dated(st, batch, feed, rid, period, "", fen, category, status);
}

static int64_t new_batch(struct store *st)
{
    fixture_exec(st, "INSERT INTO exchange_batches (feed, file_name, content_hash, status,"
                     " created_at, created_by) VALUES ('mixed', 'f', 'h', 'done', 'x', 'test')");
    return count_rows(st, "SELECT max(id) FROM exchange_batches");
}

static void test_means_check_shows_linked_data_beside_declared(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t batch = new_batch(st);
    int64_t id = create_family(st); /* income period 2025-07; window 2024-08..2025-07 */
    add_record(st, batch, "pension_payment", people[0].rid, "2025-05", 100000, "employee_pension",
               "");
    add_record(st, batch, "pension_payment", people[0].rid, "2025-06", 100000, "employee_pension",
               "");
    add_record(st, batch, "pension_payment", people[0].rid, "2025-07", 100000, "employee_pension",
               "");
    add_record(st, batch, "pension_payment", people[0].rid, "2024-07", 999999, "employee_pension",
               "");
    add_record(st, batch, "contribution_wage", people[1].rid, "2025-07", 480000, "", "");
    add_record(st, batch, "vehicle", people[1].rid, "", 5000000, "car", "normal");
    add_record(st, batch, "vehicle", people[2].rid, "", 300000, "motorcycle", "deregistered");
    add_record(st, batch, "business_registration", people[2].rid, "", -1, "individual", "active");
    add_record(st, batch, "pension_payment", people[3].rid, "2025-07", 50000, "resident_pension",
               "");

    struct ms_arena a;
    struct assistance_means m;
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_means_check(st, id, "2025-07", &a, &m, &err), 0);
    assert_string_equal(m.from_period, "2024-08");
    assert_string_equal(m.to_period, "2025-07");
    assert_int_equal(m.n, 4); /* people[3] is not a member; the deregistered car is not a flag */
    int seen = 0;
    for (size_t i = 0; i < m.n; i++) {
        const struct assistance_means_row *r = &m.rows[i];
        if (!strcmp(r->feed, "pension_payment")) {
            assert_string_equal(r->code, people[0].code);
            assert_int_equal(r->records, 3);
            assert_int_equal(r->total_fen, 300000);
            assert_int_equal(r->monthly_fen, 25000);
            assert_int_equal(r->declared_fen, 0);
            assert_true(r->is_flag);
            seen |= 1;
        } else if (!strcmp(r->feed, "contribution_wage")) {
            assert_string_equal(r->code, people[1].code);
            assert_int_equal(r->monthly_fen, 40000);
            assert_int_equal(r->declared_fen, 30000);
            assert_true(r->is_flag);
            seen |= 2;
        } else if (!strcmp(r->feed, "vehicle")) {
            assert_string_equal(r->code, people[1].code);
            assert_true(r->is_flag);
            seen |= 4;
        } else if (!strcmp(r->feed, "business_registration")) {
            assert_string_equal(r->code, people[2].code);
            seen |= 8;
        }
    }
    assert_int_equal(seen, 15);
    /* the case's detail carries it */
    struct assistance_case c;
    struct audit_entry read;
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_int_equal(c.means.n, 4);
    ms_arena_release(&a);
}

static const struct assistance_means_row *means_row(const struct assistance_means *m,
                                                    const char *code, const char *feed,
                                                    const char *category)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].code, code) && !strcmp(m->rows[i].feed, feed) &&
            !strcmp(m->rows[i].category, category))
            return &m->rows[i];
    fail_msg("no means row %s %s %s", code, feed, category);
    return NULL;
}

/* Medical costs: self-paid settlements in the window beside the declared
 * medical expenses, per member; declared above found is flagged, found far
 * above declared is noted. Houses: residential properties in force against
 * the declared houses and the limit; another property is a flag. */
static void test_means_check_medical_costs_and_houses(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t batch = new_batch(st);
    struct assistance_expense_new x[] = {
        {people[0].code, "medical", 300000, "R1"},
        {people[0].code, "education", 900000, "R2"}, /* not medical: not compared */
        {people[1].code, "rehabilitation", 100000, "R3"},
        {people[2].code, "medical", 200000, "R4"},
        {NULL, "medical", 50000, "R5"},
    };
    struct assistance_asset_new house[] = {{NULL, "house", 20000000, 1, 0, ""}};
    struct assistance_case_new in = family_case();
    in.expenses = x;
    in.n_expenses = 5;
    in.assets = house;
    in.n_assets = 1;
    int64_t id = 0;
    if (assistance_case_create(st, "", &in, &test_actor, &id, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.field);
    /* window 2024-08-01 .. 2025-07-31 */
    add_dated(st, batch, "medical_settlement", people[0].rid, "", "2025-07-31", 60000, "inpatient",
              "");
    add_dated(st, batch, "medical_settlement", people[0].rid, "", "2024-08-01", 40000,
              "outpatient_chronic", "");
    add_dated(st, batch, "medical_settlement", people[0].rid, "", "2024-07-31", 900000, "inpatient",
              "");
    add_dated(st, batch, "medical_settlement", people[0].rid, "", "2025-08-01", 900000, "inpatient",
              "");
    add_dated(st, batch, "medical_settlement", people[1].rid, "", "2025-01-10", 800000, "inpatient",
              "");
    add_dated(st, batch, "real_estate", people[0].rid, "", "2018-05-02", -1, "residential",
              "active");
    add_dated(st, batch, "real_estate", people[1].rid, "", "2020-05-02", -1, "residential",
              "active");
    add_dated(st, batch, "real_estate", people[1].rid, "", "2012-05-02", -1, "residential",
              "cancelled");
    add_dated(st, batch, "real_estate", people[1].rid, "", "2021-05-02", -1, "commercial",
              "active");
    add_dated(st, batch, "real_estate", people[3].rid, "", "2021-05-02", -1, "residential",
              "active"); /* not a member */

    struct ms_arena a;
    struct assistance_means m;
    ms_arena_init(&a, 8192);
    assert_int_equal(assistance_means_check(st, id, "2025-07", &a, &m, &err), 0);
    assert_int_equal(m.medical_note_fen, 500000);
    assert_int_equal(m.n, 7);
    /* declared 3,000 yuan, settlements of 1,000 in the window: not backed */
    const struct assistance_means_row *r = means_row(&m, people[0].code, "medical_settlement", "");
    assert_int_equal(r->records, 2);
    assert_int_equal(r->total_fen, 100000);
    assert_int_equal(r->declared_fen, 300000);
    assert_true(r->is_flag);
    assert_string_equal(r->reason, "medical_not_backed");
    assert_string_equal(r->note, "");
    /* 8,000 found, nothing medical declared: a note, not a flag */
    r = means_row(&m, people[1].code, "medical_settlement", "");
    assert_int_equal(r->total_fen, 800000);
    assert_int_equal(r->declared_fen, 0);
    assert_false(r->is_flag);
    assert_string_equal(r->note, "medical_undeclared");
    /* declared, no settlement at all: a row of its own, flagged */
    r = means_row(&m, people[2].code, "medical_settlement", "");
    assert_int_equal(r->records, 0);
    assert_int_equal(r->declared_fen, 200000);
    assert_string_equal(r->reason, "medical_not_backed");
    /* declared for no member */
    r = means_row(&m, "", "medical_settlement", "");
    assert_int_equal(r->declared_fen, 50000);
    assert_string_equal(r->reason, "medical_no_member");
    /* two houses in force found, one declared */
    assert_int_equal(m.houses.found, 2);
    assert_int_equal(m.houses.declared, 1);
    assert_int_equal(m.houses.max, 1);
    assert_true(m.houses.is_flag);
    r = means_row(&m, people[1].code, "real_estate", "residential");
    assert_int_equal(r->records, 1); /* the cancelled one is not counted */
    assert_string_equal(r->reason, "houses_above_declared");
    assert_string_equal(means_row(&m, people[0].code, "real_estate", "residential")->reason,
                        "houses_above_declared");
    r = means_row(&m, people[1].code, "real_estate", "commercial");
    assert_true(r->is_flag);
    assert_string_equal(r->reason, "property_non_residential");
    /* sorted by member, feed, category */
    for (size_t i = 1; i < m.n; i++)
        assert_true(strcmp(m.rows[i - 1].code, m.rows[i].code) <= 0);

    /* both declared: within what was declared, but above the limit */
    fixture_exec(st, "UPDATE assistance_assets SET quantity = 2 WHERE kind = 'house'");
    assert_int_equal(assistance_means_check(st, id, "2025-07", &a, &m, &err), 0);
    assert_string_equal(means_row(&m, people[1].code, "real_estate", "residential")->reason,
                        "houses_above_limit");
    /* a limit of two in force: nothing to flag (policy_set() clears the
     * process's cache; the last test, so the cached 2 touches no other) */
    struct policy_set_in two = {"assistance.asset.max_houses", "2", "2020-01-01", "test", NULL};
    assert_int_equal(policy_set(st, &two, &test_actor, &err), 0);
    assert_int_equal(assistance_means_check(st, id, "2025-07", &a, &m, &err), 0);
    assert_false(m.houses.is_flag);
    assert_false(means_row(&m, people[1].code, "real_estate", "residential")->is_flag);
    ms_arena_release(&a);
}

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_params_follow_the_policy_dates, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_case_flow_create_compute_decide_enrol,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_start_month_follows_the_policy, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_transitions_cannot_be_skipped, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_approval_needs_eligibility_on_the_decision_date,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_applications_are_refused_and_change_nothing,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_dead_applicant_is_refused, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_member_cannot_count_in_two_households,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_town_scope, assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_means_check_shows_linked_data_beside_declared,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_means_check_medical_costs_and_houses,
                                        assistance_setup, fixture_teardown),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
