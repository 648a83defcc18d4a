/*
 * test_assistance_procedure.c - the procedure's steps and their refusals
 * (assistance_procedure.c, assistance_flow.c): two investigators, the
 * computation before the town review, objection -> re-investigation ->
 * further notice, the near relative's spot visit, going back only with a
 * reason, overdue cases, the written notice and several schemes in one
 * application, on SQLite and PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/audit/audit.h"
#include "store/store.h"

#include "core/banned.h"

static struct assistance_member_new members[1];
static struct assistance_income_new incomes[1];

/* The rural widow (person 3), alone, 20000 fen a month: eligible. */
static int64_t create_case(struct store *st, int near_relative, const char *const *more,
                           size_t n_more)
{
    struct ms_err err = MS_ERR_INIT;
    members[0] = (struct assistance_member_new){people[3].code, "self", 1, NULL, 0, 0, 0};
    incomes[0] = (struct assistance_income_new){people[3].code, "pension", 20000, 1};
    struct assistance_case_new in = {.scheme = "dibao",
                                     .more_schemes = more,
                                     .n_more_schemes = n_more,
                                     .has_near_relative = near_relative,
                                     .near_relative_note =
                                         near_relative ? "侄子为村委会委员" : NULL,
                                     .household_id = households[1].id,
                                     .applicant_code = people[3].code,
                                     .applied_on = "2026-03-02",
                                     .members = members,
                                     .n_members = 1,
                                     .incomes = incomes,
                                     .n_incomes = 1};
    int64_t id = 0;
    if (assistance_case_create(st, "", &in, &test_actor, &id, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.field);
    return id;
}

static int step(struct store *st, int64_t id, struct assistance_step_in in, struct ms_err *err)
{
    ms_err_init(err);
    return assistance_case_step(st, "", id, &in, &test_actor, NULL, err);
}

/* Runs a step expecting code, and the field at fault when field is not NULL. */
static void expect_step(struct store *st, int64_t id, struct assistance_step_in in, int code,
                        const char *field)
{
    struct ms_err err;
    assert_int_equal(step(st, id, in, &err), code);
    if (field)
        assert_string_equal(err.field, field);
}

/* A home visit on `on` by n investigators, signed or not. */
static struct assistance_step_in visit(const char *on, const char *const *names, size_t n,
                                       int is_signed)
{
    return (struct assistance_step_in){"visit", on, NULL, names, n, is_signed, 0};
}

static void test_visit_needs_two_investigators_and_the_signature(void **state)
{
    struct store *st = *state;
    int64_t id = create_case(st, 0, NULL, 0);
    static const char *const one[] = {"inv_a"};
    static const char *const twice[] = {"inv_a", "inv_a"};
    static const char *const ghost[] = {"inv_a", "nobody"};
    static const char *const two[] = {"inv_a", "inv_b"};
    /* skipping the investigation's start */
    expect_step(st, id, visit("2026-03-03", two, 2, 1), MS_ECONFLICT, NULL);
    fixture_step(st, id, "investigate", "2026-03-03", NULL);
    expect_step(st, id, visit("2026-03-04", one, 1, 1), MS_EFIELD, "investigators");
    expect_step(st, id, visit("2026-03-04", twice, 2, 1), MS_EFIELD, "investigators[1]");
    expect_step(st, id, visit("2026-03-04", ghost, 2, 1), MS_EFIELD, "investigators[1]");
    expect_step(st, id, visit("2026-03-04", two, 2, 0), MS_EFIELD, "family_signed");
    /* a step dated before the previous one */
    expect_step(st, id, visit("2026-03-02", two, 2, 1), MS_EFIELD, "on");
    expect_step(st, id, visit("2026-03-04", two, 2, 1), 0, NULL);
    /* the town review needs the computation first */
    expect_step(st, id,
                (struct assistance_step_in){"town_review", "2026-03-05", "同意", NULL, 0, 0, 0},
                MS_ECONFLICT, "computation");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_case_events"
                                    " WHERE action = 'visit' AND detail_json LIKE '%inv_b%'"),
                     1);
}

/* 公示 7 days; an objection sends the case back to re-investigation and a
 * further 3-day notice follows; approval waits for it to end. */
static void test_objection_reinvestigation_and_further_notice(void **state)
{
    struct store *st = *state;
    struct ms_err err;
    int64_t id = create_case(st, 0, NULL, 0);
    fixture_step(st, id, "investigate", "2026-03-03", NULL);
    fixture_step(st, id, "visit", "2026-03-04", NULL);
    assert_int_equal(assistance_case_compute(st, "", id, "2026-03-04", &test_actor, NULL, &err), 0);
    fixture_step(st, id, "town_review", "2026-03-05", "同意上报");
    fixture_step(st, id, "publish", "2026-03-06", NULL);
    /* not over yet: 03-06 .. 03-12 */
    expect_step(st, id,
                (struct assistance_step_in){"close_publicity", "2026-03-12", NULL, NULL, 0, 0, 0},
                MS_ECONFLICT, "publicity_end");
    expect_step(st, id, (struct assistance_step_in){"object", "2026-03-09", NULL, NULL, 0, 0, 0},
                MS_EMISSING, "objection_zh");
    fixture_step(st, id, "object", "2026-03-09", "邻居反映其子女有稳定收入");
    /* the decision cannot come while the objection is open */
    struct assistance_decision_in ok = {"approve", "批准", "2026-03-20"};
    ms_err_init(&err);
    assert_int_equal(assistance_case_decide(st, "", id, &ok, &test_actor, &err), MS_ECONFLICT);
    fixture_step(st, id, "republish", "2026-03-11", "经复查，子女无赡养能力");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases WHERE publicity_start"
                                    " = '2026-03-11' AND publicity_end = '2026-03-13'"
                                    " AND publicity_round = 2 AND status = 'publicity'"),
                     1);
    fixture_step(st, id, "close_publicity", "2026-03-16", NULL);
    assert_int_equal(assistance_case_decide(st, "", id, &ok, &test_actor, &err), 0);
}

/* A declared near relative: the district visits before it decides. Going
 * back needs a reason. */
static void test_near_relative_spot_visit_and_return_with_reason(void **state)
{
    struct store *st = *state;
    struct ms_err err;
    int64_t id = create_case(st, 1, NULL, 0);
    fixture_decidable_case(st, id, "2026-03-20");
    struct assistance_decision_in ok = {"approve", "批准", "2026-03-20"};
    assert_int_equal(assistance_case_decide(st, "", id, &ok, &test_actor, &err), MS_ECONFLICT);
    assert_string_equal(err.field, "spot_visit");
    struct assistance_decision_in no = {"refuse", "不符合", "2026-03-20"};
    ms_err_init(&err);
    assert_int_equal(assistance_case_decide(st, "", id, &no, &test_actor, &err), MS_ECONFLICT);
    assert_string_equal(err.field, "spot_visit");
    /* the district's step needs the district's permission */
    static const char *const two[] = {"inv_a", "inv_b"};
    expect_step(st, id, (struct assistance_step_in){"spot_visit", "2026-03-20", NULL, two, 2, 0, 0},
                MS_EFORBIDDEN, NULL);
    expect_step(st, id, (struct assistance_step_in){"return", "2026-03-20", NULL, NULL, 0, 0, 1},
                MS_EMISSING, "reason_zh");
    fixture_step(st, id, "spot_visit", "2026-03-20", "抽查属实");
    ms_err_init(&err);
    assert_int_equal(assistance_case_decide(st, "", id, &ok, &test_actor, &err), 0);
}

static void test_return_goes_back_and_clears_the_publicity(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = create_case(st, 0, NULL, 0);
    fixture_decidable_case(st, id, "2026-03-20");
    fixture_step(st, id, "return", "2026-03-23", "收入材料不全，退回乡镇重新调查");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases WHERE status ="
                                    " 'investigating' AND publicity_end = '' AND state_since ="
                                    " '2026-03-23'"),
                     1);
    struct assistance_decision_in ok = {"approve", "批准", "2026-03-24"};
    assert_int_equal(assistance_case_decide(st, "", id, &ok, &test_actor, &err), MS_ECONFLICT);
}

/* The dates of this test are in the past: every open case is overdue. */
static void test_overdue_list_and_due_dates(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case_item *items;
    struct audit_entry read;
    size_t n;
    int64_t open = create_case(st, 0, NULL, 0);
    ms_arena_init(&a, 8192);
    /* accepted Mon 2026-03-02: the investigation starts by Thu 03-05 */
    struct assistance_case_filter f = {.only_overdue = 1, .page = 1, .page_size = 20};
    assert_int_equal(assistance_case_list_filtered(st, "", &f, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, open);
    assert_string_equal(items[0].due_on, "2026-03-05");
    assert_true(items[0].is_overdue);
    fixture_enrol_case(st, open, "2026-03-20");
    assert_int_equal(assistance_case_list_filtered(st, "", &f, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 0); /* enrolled: no limit runs */
    struct assistance_case c;
    assert_int_equal(assistance_case_get(st, "", open, &a, &c, &read, &err), 0);
    assert_string_equal(c.due_on, "");
    assert_false(c.is_overdue);
    assert_true(c.n_steps >= 8);
    assert_string_equal(c.steps[1].action, "investigate");
    assert_string_equal(c.steps[1].due_on, "2026-03-05");
    ms_arena_release(&a);
}

/* The notice of case id, which must exist; its kind in *kind. */
static const char *notice_of(struct store *st, int64_t id, struct ms_arena *a, const char **kind)
{
    struct ms_err err = MS_ERR_INIT;
    struct assistance_notice notice;
    struct audit_entry read;
    if (assistance_case_notice(st, "", id, a, &notice, &read, &err) != 0)
        fail_msg("notice: %s", err.message);
    assert_string_equal(read.action, "assistance.case.notice.read");
    *kind = notice.kind;
    return notice.text_zh;
}

static void test_notice_texts(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_notice notice;
    struct audit_entry read;
    const char *kind;
    ms_arena_init(&a, 8192);
    int64_t id = create_case(st, 0, NULL, 0);
    assert_int_equal(assistance_case_notice(st, "", id, &a, &notice, &read, &err), MS_ECONFLICT);
    fixture_enrol_case(st, id, "2026-03-20");
    const char *text = notice_of(st, id, &a, &kind);
    assert_string_equal(kind, "approval");
    /* rural 2025-07 standard 63000 - 20000 + 3000 (key member, aged 70 and over)
     * = 46000 fen, from the next month */
    assert_non_null(strstr(text, "每月 460.00 元，自 2026-04 起"));
    assert_non_null(strstr(text, "韦试丁"));
    ms_arena_release(&a);
}

static void test_refusal_notice(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    const char *kind;
    ms_arena_init(&a, 8192);
    int64_t id = create_case(st, 0, NULL, 0);
    fixture_decidable_case(st, id, "2026-03-20");
    struct assistance_decision_in no = {"refuse", "家庭财产超过规定标准。", "2026-03-20"};
    assert_int_equal(assistance_case_decide(st, "", id, &no, &test_actor, &err), 0);
    /* refused on Fri 03-20: notice due Wed 03-25 */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases WHERE due_on = "
                                    "'2026-03-25'"),
                     1);
    const char *text = notice_of(st, id, &a, &kind);
    assert_string_equal(kind, "refusal");
    assert_non_null(strstr(text, "不予批准。理由：家庭财产超过规定标准。"));
    fixture_step(st, id, "notify", "2026-03-23", NULL);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases WHERE due_on = ''"
                                    " AND notified_on = '2026-03-23'"),
                     1);
    expect_step(st, id, (struct assistance_step_in){"notify", "2026-03-24", NULL, NULL, 0, 0, 1},
                MS_ECONFLICT, NULL);
    ms_arena_release(&a);
}

/* 社会救助一件事: dibao and tekun in one application, tekun second with no
 * part of its own declared (none is required: no supporter declared means
 * none able). Each scheme is computed, approved and enrolled on its own. */
static void test_one_application_several_schemes(void **state)
{
    struct store *st = *state;
    static const char *const more[] = {"tekun"};
    int64_t id = create_case(st, 0, more, 1);
    fixture_enrol_case(st, id, "2026-03-20");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_determinations WHERE"
                                    " scheme = 'dibao' AND status = 'approved' AND amount_fen ="
                                    " 46000"),
                     1);
    /* 75 years old, 200 元 against the rural dibao standard: 1001 元 basic, self-care. */
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_determinations WHERE"
                                    " scheme = 'tekun' AND status = 'approved' AND amount_fen ="
                                    " 100100"),
                     1);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_enrolments"), 2);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"
                                    " WHERE scheme = 'tekun'"),
                     1);
}

/* Two clerks move one case at once: the second, holding the version it
 * read before the first committed, gets MS_ESTALE and changes nothing. */
struct stale_ctx {
    int64_t id;
};

static int stale_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct stale_ctx *c = ctx;
    struct assistance__row row;
    if (assistance__case_load(st, "", c->id, &row, err) < 0)
        return err->code;
    row.version--; /* as read before the other clerk's move */
    struct assistance__move m = {.action = "extend", .on = "2026-03-04", .note = "test"};
    return assistance__case_move(st, &row, &m, &test_actor, err);
}

static void test_concurrent_moves_are_guarded(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = create_case(st, 0, NULL, 0);
    fixture_step(st, id, "investigate", "2026-03-03", NULL);
    int64_t events = count_rows(st, "SELECT count(*) FROM assistance_case_events");
    struct stale_ctx c = {id};
    assert_int_equal(store_tx(st, stale_tx, &c, &err), MS_ESTALE);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_case_events"), events);
}

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_visit_needs_two_investigators_and_the_signature,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_objection_reinvestigation_and_further_notice,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_near_relative_spot_visit_and_return_with_reason,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_return_goes_back_and_clears_the_publicity,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_overdue_list_and_due_dates, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_notice_texts, assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refusal_notice, assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_one_application_several_schemes, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_moves_are_guarded, assistance_setup,
                                        fixture_teardown),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
