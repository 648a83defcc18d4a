/*
 * test_assistance_online.c - online applications (assistance_case.c,
 * assistance_online_apply()) and the resident's progress view
 * (assistance_portal.c): submitted until the town accepts it, limits from
 * the acceptance, a version guard on the accept, declining frees the
 * household, one open application per household and scheme, and the steps
 * as the resident sees them, on SQLite and PostgreSQL.
 */
#include "unit/assistance/assistance_fixture.h"

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/audit/audit.h"
#include "store/store.h"

#include "core/banned.h"

/* The fixture's urban family of three (people 0-2, household 0): in the
 * household's order (no head: by registration) they are places 0, 1, 2. */
static struct assistance_member_new members[2];
static struct assistance_income_new incomes[1];
static const int member_places[] = {0, 1};
static const int income_places[] = {1};

static int apply(struct store *st, const char *scheme, int64_t *id, struct ms_err *err)
{
    members[0] = (struct assistance_member_new){NULL, "self", 1, NULL, 0, 0, 0};
    members[1] = (struct assistance_member_new){NULL, "spouse", 1, NULL, 0, 0, 0};
    incomes[0] = (struct assistance_income_new){NULL, "wage", 50000, 1};
    struct assistance_online_new in = {.app = {.scheme = scheme,
                                               .members = members,
                                               .n_members = 2,
                                               .incomes = incomes,
                                               .n_incomes = 1},
                                       .member_index = member_places,
                                       .income_index = income_places,
                                       .household_size = 3,
                                       .statement_zh = "失业在家，孩子上学",
                                       .contact_phone = "13900000001"};
    struct ms_actor resident = {.username = people[0].code, .role = "resident"};
    return assistance_online_apply(st, people[0].rid, &in, &resident, id, err);
}

static const char *today(char buf[MS_DATE_BUF])
{
    ms_date_format(ms_date_today_cst(), buf);
    return buf;
}

static void test_submitted_until_accepted_then_limits_count_from_acceptance(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_case c;
    struct audit_entry read;
    char now[MS_DATE_BUF];
    int64_t id = 0;
    ms_arena_init(&a, 4096);
    assert_int_equal(apply(st, "dibao", &id, &err), 0);
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_string_equal(c.status, "submitted");
    assert_string_equal(c.channel, "online");
    assert_string_equal(c.accepted_on, "");
    assert_string_equal(c.contact_phone_masked, "*******0001");
    assert_int_equal(c.n_members, 2);
    assert_string_equal(c.members[1].code, people[1].code);
    assert_string_equal(c.incomes[0].code, people[1].code);
    /* Nothing of the procedure before the acceptance. */
    struct assistance_step_in inv = {.action = "investigate"};
    assert_int_equal(assistance_case_step(st, "", id, &inv, &test_actor, NULL, &err), MS_ECONFLICT);
    ms_err_init(&err);
    struct assistance_step_in acc = {.action = "accept"};
    struct assistance_step_out out;
    assert_int_equal(assistance_case_step(st, "", id, &acc, &test_actor, &out, &err), 0);
    assert_string_equal(out.status, "draft");
    assert_int_equal(assistance_case_get(st, "", id, &a, &c, &read, &err), 0);
    assert_string_equal(c.accepted_on, today(now));
    assert_true(c.due_on[0] != '\0');
    ms_arena_release(&a);
}

struct stale_ctx {
    int64_t id;
};

static int stale_accept_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct stale_ctx *c = ctx;
    struct assistance__row row;
    char now[MS_DATE_BUF];
    if (assistance__case_load(st, "", c->id, &row, err) < 0)
        return err->code;
    row.version--; /* as read before another clerk's move */
    struct assistance__move m = {.action = "accept", .on = today(now), .note = ""};
    return assistance__case_move(st, &row, &m, &test_actor, err);
}

static void test_accept_is_versioned(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0;
    assert_int_equal(apply(st, "dibao", &id, &err), 0);
    /* A submitted case read at an older version cannot be accepted. */
    fixture_exec(st, "UPDATE assistance_cases SET version = version + 1");
    struct stale_ctx c = {id};
    assert_int_equal(store_tx(st, stale_accept_tx, &c, &err), MS_ESTALE);
}

static void test_decline_needs_reasons_and_frees_the_household(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0, again = 0;
    assert_int_equal(apply(st, "dibao", &id, &err), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 2);
    /* one open application per household and scheme */
    assert_int_equal(apply(st, "dibao", &again, &err), MS_ECONFLICT);
    assert_string_equal(err.field, "schemes");
    ms_err_init(&err);
    struct assistance_step_in dec = {.action = "decline"};
    assert_int_equal(assistance_case_step(st, "", id, &dec, &test_actor, NULL, &err), MS_EMISSING);
    assert_string_equal(err.field, "reason_zh");
    ms_err_init(&err);
    dec.text_zh = "材料不全，请补充后再申请";
    assert_int_equal(assistance_case_step(st, "", id, &dec, &test_actor, NULL, &err), 0);
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_counted"), 0);
    assert_int_equal(apply(st, "dibao", &again, &err), 0);
    assert_true(again > id);
}

static void test_refusals_name_the_household_place(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0;
    static const int beyond[] = {0, 5};
    members[0] = (struct assistance_member_new){NULL, "self", 1, NULL, 0, 0, 0};
    members[1] = (struct assistance_member_new){NULL, "child", 1, NULL, 0, 0, 0};
    struct assistance_online_new in = {
        .app = {.scheme = "dibao", .members = members, .n_members = 2},
        .member_index = beyond,
        .statement_zh = "困难",
        .contact_phone = "13900000001"};
    assert_int_equal(assistance_online_apply(st, people[0].rid, &in, &test_actor, &id, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "members[1].member");
    ms_err_init(&err);
    in.contact_phone = "1390000";
    assert_int_equal(assistance_online_apply(st, people[0].rid, &in, &test_actor, &id, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "contact_phone");
    ms_err_init(&err);
    /* The resident in 东林街道 has a household of their own: their place 1 does not exist. */
    in.contact_phone = "13900000001";
    assert_int_equal(assistance_online_apply(st, people[4].rid, &in, &test_actor, &id, &err),
                     MS_EFIELD);
    assert_string_equal(err.field, "members[1].member");
    assert_int_equal(count_rows(st, "SELECT count(*) FROM assistance_cases"), 0);
}

static void test_progress_steps_for_the_resident_only(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_portal_app x, *items;
    struct audit_entry read;
    size_t n = 0;
    int64_t id = 0;
    ms_arena_init(&a, 4096);
    assert_int_equal(apply(st, "dibao", &id, &err), 0);
    assert_int_equal(assistance_portal_get(st, people[0].rid, id, &a, &x, &read, &err), 0);
    assert_string_equal(x.steps[0].state, "done");
    assert_string_equal(x.steps[1].step, "accepted");
    assert_string_equal(x.steps[1].state, "current");
    assert_string_equal(read.action, "assistance.portal.read");
    assert_string_equal(read.subject, people[0].code);
    struct assistance_step_in acc = {.action = "accept"};
    assert_int_equal(assistance_case_step(st, "", id, &acc, &test_actor, NULL, &err), 0);
    char now[MS_DATE_BUF];
    fixture_step(st, id, "investigate", today(now), NULL);
    fixture_step(st, id, "visit", today(now), "入户核实");
    assert_int_equal(assistance_portal_get(st, people[0].rid, id, &a, &x, &read, &err), 0);
    assert_string_equal(x.status, "visited");
    assert_string_equal(x.steps[3].step, "home_visit");
    assert_string_equal(x.steps[3].state, "done");
    assert_string_equal(x.steps[3].on, now);
    assert_string_equal(x.steps[4].step, "town_review");
    assert_string_equal(x.steps[4].state, "current");
    assert_string_equal(x.steps[5].state, "pending");
    assert_null(x.decision);
    /* The spouse, a member of the case, is not its applicant: not theirs to read. */
    assert_int_equal(assistance_portal_get(st, people[1].rid, id, &a, &x, &read, &err),
                     MS_ENOTFOUND);
    assert_int_equal(assistance_portal_list(st, people[1].rid, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(assistance_portal_list(st, people[0].rid, &a, &items, &n, &read, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].current_step, "town_review");
    ms_arena_release(&a);
}

int main(void)
{
    fixture_key_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_submitted_until_accepted_then_limits_count_from_acceptance, assistance_setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_accept_is_versioned, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_decline_needs_reasons_and_frees_the_household,
                                        assistance_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_name_the_household_place, assistance_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_progress_steps_for_the_resident_only, assistance_setup,
                                        fixture_teardown),
    };
    return fixture_key_done(cmocka_run_group_tests(tests, NULL, NULL));
}
