/*
 * test_dedup.c - src/modules/exchange/exchange_dedup.c: registry
 * de-duplication into the review queue, on a small registry of synthetic
 * people (made-up ID numbers with computed check characters, 154 phones)
 * with planted duplicates and near-misses that must stay out of the queue.
 *
 * The registry is far too small to measure u on its candidate pairs (fewer
 * than 500), so these tests exercise the documented fallback: u from
 * random pairs, with the fixed m of exchange_dedup.c.
 */
#include "unit/modules/module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/idcard.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange_dedup.h"
#include "modules/exchange/exchange_review.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

#define VILLAGE  "500110101201"
#define VILLAGE2 "500110102203"

static char dir[256];
static char key_path[300];

struct person {
    const char *name, *birth8, *seq, *phone, *village;
    char id[19];
    char code[MS_RESCODE_LEN + 1];
    int64_t id_db;
};

/* The ID number's body; the check character is computed. A "_swap" entry
 * gets the body of another with two digits exchanged (see below). */
static struct person people[] = {
    /* 0, 1: the same man registered twice, the second time with one digit
     * of the sequence mistyped (so a different, still valid, number). */
    {"张国强", "19600315", "131", "15400000001", VILLAGE, "", "", 0},
    {"张国强", "19600315", "171", "", VILLAGE2, "", "", 0},
    /* 2, 3: the same woman, a homophone surname (刘/柳) and the first two
     * digits of the sequence transposed. */
    {"刘秀英", "19550722", "242", "15400000002", VILLAGE, "", "", 0},
    {"柳秀英", "19550722", "422", "", VILLAGE, "", "", 0},
    /* 4, 5: twin brothers: same birth date, consecutive sequence numbers
     * (one digit apart), the household's phone, different given names. */
    {"王志强", "19880520", "111", "15400000003", VILLAGE, "", "", 0},
    {"王海波", "19880520", "113", "15400000003", VILLAGE, "", "", 0},
    /* 6, 7: two different men with a common name, born years apart. */
    {"李伟", "19700101", "151", "15400000004", VILLAGE, "", "", 0},
    {"李伟", "19850612", "173", "15400000005", VILLAGE2, "", "", 0},
    /* Others, so that random pairs are mostly different people. */
    {"陈静", "19760904", "264", "15400000006", VILLAGE, "", "", 0},
    {"赵军", "19921130", "335", "15400000007", VILLAGE2, "", "", 0},
    {"孙丽", "19810218", "426", "", VILLAGE, "", "", 0},
    {"周明", "19670627", "517", "15400000008", VILLAGE2, "", "", 0},
    {"吴芳", "20010409", "608", "15400000009", VILLAGE, "", "", 0},
    {"郑勇", "19590812", "719", "15400000010", VILLAGE2, "", "", 0},
    {"何兰", "19730505", "822", "", VILLAGE, "", "", 0},
    {"马超", "19990101", "913", "15400000011", VILLAGE2, "", "", 0},
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static void make_id(const char *birth8, const char *seq3, char out[19])
{
    snprintf(out, 19, "500110%s%s", birth8, seq3);
    out[17] = ms_idcard_check_char(out);
    out[18] = '\0';
}

static int64_t count(struct store *st, const char *sql)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    int64_t n = -1;
    assert_int_equal(store_prepare(st, sql, &s, &err), 0);
    if (store_step(s, &err) == STORE_ROW)
        n = store_col_int64(s, 0);
    store_reset(s);
    return n;
}

static int64_t resident_id(struct store *st, const char *code)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    int64_t id = 0;
    assert_int_equal(store_prepare(st, "SELECT id FROM residents WHERE code = ?", &s, &err), 0);
    store_bind_text(s, 1, code);
    if (store_step(s, &err) == STORE_ROW)
        id = store_col_int64(s, 0);
    store_reset(s);
    return id;
}

static int setup(void **state)
{
    fixture_setup(state);
    struct store *st = *state;
    for (size_t i = 0; i < N_PEOPLE; i++) {
        struct ms_err err = MS_ERR_INIT;
        struct person *p = &people[i];
        make_id(p->birth8, p->seq, p->id);
        struct registry_resident_new in = {.name = p->name,
                                           .id_number = p->id,
                                           .phone = *p->phone ? p->phone : NULL,
                                           .ethnicity = "汉族",
                                           .hukou_type = "rural",
                                           .residence = {p->village, 0, "幸福村 3 组"}};
        if (registry_resident_create(st, "", &in, &test_actor, p->code, &err) != 0)
            fail_msg("create %s: %s", p->name, err.message);
        p->id_db = resident_id(st, p->code);
    }
    return 0;
}

/* The weight of the queued item for residents a and b, or -1e9 if none. */
static int64_t queued_weight(struct store *st, size_t a, size_t b, char *evidence, size_t size)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    int64_t w = INT64_MIN, lo = people[a].id_db, hi = people[b].id_db;
    if (lo > hi)
        lo = people[b].id_db, hi = people[a].id_db;
    assert_int_equal(store_prepare(st,
                                   "SELECT weight_mb, evidence FROM exchange_reviews WHERE"
                                   " kind = 'duplicate' AND left_resident = ? AND resident_id = ?"
                                   " AND record_id IS NULL",
                                   &s, &err),
                     0);
    store_bind_int64(s, 1, lo);
    store_bind_int64(s, 2, hi);
    if (store_step(s, &err) == STORE_ROW) {
        w = store_col_int64(s, 0);
        if (evidence)
            snprintf(evidence, size, "%s", store_col_text(s, 1));
    }
    store_reset(s);
    return w;
}

/* The level of field in an evidence object, -1 if missing or null. */
static int level_of(const char *evidence, const char *field)
{
    json_t *j = json_loads(evidence, 0, NULL);
    json_t *lv = json_object_get(json_object_get(json_object_get(j, "fields"), field), "level");
    int level = json_is_integer(lv) ? (int)json_integer_value(lv) : -1;
    json_decref(j);
    return level;
}

static void run(struct store *st, struct exchange_dedup_stats *stats)
{
    struct ms_err err = MS_ERR_INIT;
    if (exchange_dedup_registry(st, &test_actor, NULL, stats, &err) != 0)
        fail_msg("dedup: %s", err.message);
}

static void test_planted_duplicates_are_queued_with_evidence(void **state)
{
    struct store *st = *state;
    struct exchange_dedup_stats stats;
    char ev[4096];
    run(st, &stats);
    assert_int_equal(stats.residents, N_PEOPLE);
    assert_true(stats.pairs >= 4);
    assert_int_equal(stats.is_u_from_candidates, 0); /* far below 500 pairs */
    /* the mistyped number: same name, birth date and sex */
    assert_true(queued_weight(st, 0, 1, ev, sizeof(ev)) >= 4000);
    assert_int_equal(level_of(ev, "id_number"), 2); /* one_digit */
    assert_int_equal(level_of(ev, "name"), 4);      /* exact */
    assert_int_equal(level_of(ev, "birth_date"), 3);
    assert_int_equal(level_of(ev, "phone"), -1); /* the second record has none */
    /* the homophone with transposed digits */
    assert_true(queued_weight(st, 2, 3, ev, sizeof(ev)) >= 4000);
    assert_int_equal(level_of(ev, "name"), 3);      /* homophone */
    assert_int_equal(level_of(ev, "id_number"), 1); /* transposed */
    assert_non_null(strstr(ev, "同音字"));
    /* twins and namesakes are not */
    assert_int_equal(queued_weight(st, 4, 5, NULL, 0), INT64_MIN);
    assert_int_equal(queued_weight(st, 6, 7, NULL, 0), INT64_MIN);
    assert_int_equal(stats.queued, 2);
    assert_int_equal(stats.already_queued, 0);
    assert_true(stats.name_disagrees >= 1); /* the twins weigh enough, their names do not */
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_reviews WHERE kind = 'duplicate'"
                               " AND status = 'open' AND left_resident < resident_id"),
                     2);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_reviews WHERE kind = 'duplicate'"
                               " AND levels LIKE '[%'"),
                     2);
    /* one audit entry with the counts; nobody was changed */
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'exchange.dedup'"
                               " AND detail LIKE '%queued 2,%'"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM residents WHERE version <> 1"), 0);
}

static void test_second_run_adds_nothing_and_rejected_pair_stays_rejected(void **state)
{
    struct store *st = *state;
    struct exchange_dedup_stats stats;
    struct exchange_page_query q = {.kind = "duplicate", .page = 1, .page_size = 20};
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    json_t *list, *out;
    int64_t reject_id = 0, accept_id = 0;
    run(st, &stats);
    ms_arena_init(&a, 4096);
    assert_int_equal(exchange_reviews_list(st, "", &q, &a, &list, &read, &err), 0);
    json_t *items = json_object_get(list, "items");
    assert_int_equal(json_array_size(items), 2);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        const char *left = json_string_value(json_object_get(json_object_get(it, "left"), "code"));
        const char *right =
            json_string_value(json_object_get(json_object_get(it, "resident"), "code"));
        assert_string_equal(json_string_value(json_object_get(it, "kind")), "duplicate");
        assert_non_null(json_object_get(json_object_get(it, "evidence"), "fields"));
        /* both sides masked */
        char *text = json_dumps(it, 0);
        assert_null(strstr(text, people[0].id));
        assert_null(strstr(text, people[1].id));
        free(text);
        if (!strcmp(left, people[0].code) && !strcmp(right, people[1].code))
            accept_id = json_integer_value(json_object_get(it, "id"));
        if (!strcmp(left, people[2].code) && !strcmp(right, people[3].code))
            reject_id = json_integer_value(json_object_get(it, "id"));
    }
    assert_true(accept_id > 0 && reject_id > 0);
    json_decref(list);
    assert_int_equal(exchange_review_decide(st, "", reject_id, "reject", "两人为不同人（核实户籍档案）",
                                            &test_actor, &a, &out, &err),
                     0);
    json_decref(out);
    assert_int_equal(exchange_review_decide(st, "", accept_id, "accept", NULL, &test_actor, &a,
                                            &out, &err),
                     0);
    assert_string_equal(json_string_value(json_object_get(out, "kind")), "duplicate");
    json_decref(out);
    /* again: nothing new, the decided pairs stay as decided */
    run(st, &stats);
    assert_int_equal(stats.queued, 0);
    assert_int_equal(stats.already_queued, 2);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_reviews WHERE kind = 'duplicate'"),
                     2);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_reviews WHERE kind = 'duplicate'"
                               " AND status = 'open'"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'exchange.dedup'"),
                     2);
    /* accepting records the decision only: both residents are unchanged */
    assert_int_equal(count(st, "SELECT count(*) FROM residents WHERE version <> 1"), 0);
    ms_arena_release(&a);
}

static void test_town_scope_sees_only_its_pairs(void **state)
{
    struct store *st = *state;
    struct exchange_dedup_stats stats;
    struct exchange_page_query q = {.kind = "duplicate", .page = 1, .page_size = 20};
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    json_t *list;
    run(st, &stats);
    ms_arena_init(&a, 4096);
    /* the candidate (right) resident decides the scope, as for feed pairs:
     * 张国强's second record lives in VILLAGE2's town */
    assert_int_equal(exchange_reviews_list(st, "500110102", &q, &a, &list, &read, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    ms_arena_release(&a);
}

static void test_empty_registry_queues_nothing_and_audits(void **state)
{
    struct store *st = *state;
    struct exchange_dedup_stats stats;
    run(st, &stats);
    assert_int_equal(stats.residents, 0);
    assert_int_equal(stats.pairs, 0);
    assert_int_equal(stats.queued, 0);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'exchange.dedup'"),
                     1);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ms_dedup_test_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_planted_duplicates_are_queued_with_evidence, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_second_run_adds_nothing_and_rejected_pair_stays_rejected, setup,
            fixture_teardown),
        cmocka_unit_test_setup_teardown(test_town_scope_sees_only_its_pairs, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_empty_registry_queues_nothing_and_audits,
                                        fixture_setup, fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
