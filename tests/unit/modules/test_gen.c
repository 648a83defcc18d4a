/*
 * test_gen.c - the synthetic-district generator: the invariants of a small
 * district (valid ID numbers agreeing with birth date and sex, adult heads,
 * plausible ages, real villages and communities, the sex ratio and the 60+
 * share, elderly people living alone, deaths with their events, one audit
 * entry per chunk) and determinism (same seed, same district; another seed,
 * another district).
 *
 * The places are a small synthetic district added here, so the test does not
 * depend on the demo data's file.
 */
#include "module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/gen/gen.h"
#include "modules/placenames/placenames.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

#define AS_OF     "2025-12-31"
#define RESIDENTS 2000

static char key_dir[256];
static char key_path[300];

static void add_place(struct store *st, const char *kind, const char *name, const char *code,
                      int64_t parent, int64_t *id)
{
    struct ms_err err = MS_ERR_INIT;
    struct place_in in = {
        .kind = kind, .name = name, .region_code = code, .parent_id = parent, .is_synthetic = 1};
    if (placenames_add(st, &in, &test_actor, id, &err) != 0)
        fail_msg("place %s: %s", name, err.message);
}

/* A district with a street (two communities) and two towns (a community
 * and villages), plus a road, which must never receive residents. */
static void add_places(struct store *st)
{
    int64_t d, s, t1, t2, id;
    add_place(st, "district", "样例区", "500110000000", 0, &d);
    add_place(st, "street", "样例街道", "500110001000", d, &s);
    add_place(st, "community", "甲社区", "500110001001", s, &id);
    add_place(st, "community", "乙社区", "500110001002", s, &id);
    add_place(st, "town", "样例一镇", "500110101000", d, &t1);
    add_place(st, "community", "丙社区", "500110101001", t1, &id);
    add_place(st, "village", "丁村", "500110101201", t1, &id);
    add_place(st, "village", "戊村", "500110101202", t1, &id);
    add_place(st, "town", "样例二镇", "500110102000", d, &t2);
    add_place(st, "village", "己村", "500110102201", t2, &id);
    add_place(st, "village", "庚村", "500110102202", t2, &id);
    add_place(st, "road", "样例路", NULL, t2, &id);
}

static void generate(struct store *st, uint64_t seed, size_t n, size_t chunk,
                     struct gen_stats *stats)
{
    struct ms_err err = MS_ERR_INIT;
    struct gen_options o = {.seed = seed, .residents = n, .as_of = AS_OF, .chunk_residents = chunk};
    if (gen_district(st, &o, &test_actor, stats, &err) != 0)
        fail_msg("gen: %s (%s)", err.message, err.field);
}

static int64_t count(struct store *st, const char *sql)
{
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare '%s': %s", sql, err.message);
    int rc = store_step(s, &err);
    if (rc != STORE_ROW)
        fail_msg("step '%s': %s", sql, err.message);
    int64_t n = store_col_int64(s, 0);
    store_reset(s);
    return n;
}

static void test_every_id_is_valid_and_agrees_with_birth_and_sex(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct gen_stats stats;
    struct ms_seal *seal;
    struct ms_arena a;
    struct store_stmt *s;
    add_places(st);
    generate(st, 42, RESIDENTS, 700, &stats);
    assert_int_equal(stats.residents, RESIDENTS);
    assert_int_equal(count(st, "SELECT count(*) FROM residents"), RESIDENTS);
    assert_int_equal(ms_seal_open(key_path, &seal, &err), 0);
    ms_arena_init(&a, 0);
    int32_t as_of;
    ms_date_parse(AS_OF, &as_of, NULL);
    assert_int_equal(
        store_prepare(st, "SELECT id_number_sealed, birth_date, sex FROM residents", &s, &err), 0);
    size_t n = 0, local = 0;
    while (store_step(s, &err) == STORE_ROW) {
        const char *plain;
        struct ms_idcard id;
        char birth[MS_DATE_BUF];
        assert_int_equal(ms_seal_decrypt(seal, "id_number", store_col_text(s, 0), &a, &plain, &err),
                         0);
        assert_int_equal(ms_idcard_parse(plain, as_of, &id, &err), 0);
        ms_date_format(id.birth, birth);
        assert_string_equal(birth, store_col_text(s, 1));
        assert_int_equal(id.sex, store_col_text(s, 2)[0]);
        local += strncmp(plain, "500110", 6) == 0;
        n++;
    }
    store_reset(s);
    assert_int_equal(n, RESIDENTS);
    assert_true(local > n * 7 / 10 && local < n); /* mostly 500110, some migrants */
    ms_arena_release(&a);
    ms_seal_free(seal);
}

static void test_households_places_and_ages_are_plausible(void **state)
{
    struct store *st = *state;
    struct gen_stats stats;
    add_places(st);
    generate(st, 7, RESIDENTS, 0, &stats);
    /* Every household has one head, an adult (18+ on the as-of date). */
    assert_int_equal(count(st, "SELECT count(*) FROM households h WHERE (SELECT count(*) FROM "
                               "residents r WHERE r.household_id = h.id AND r.relation = 'head')"
                               " <> 1"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM residents WHERE relation = 'head' AND "
                               "birth_date > '2007-12-31'"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM households h JOIN residents r ON r.id = "
                               "h.head_id WHERE r.relation <> 'head'"),
                     0);
    /* Ages 0-105. */
    assert_int_equal(count(st, "SELECT count(*) FROM residents WHERE birth_date <= '1919-12-31'"
                               " OR birth_date > '" AS_OF "'"),
                     0);
    /* Everyone lives in a village or community, and its code is theirs. */
    assert_int_equal(count(st, "SELECT count(*) FROM residents r LEFT JOIN places p ON p.id = "
                               "r.place_id WHERE p.id IS NULL OR p.kind NOT IN ('village', "
                               "'community') OR p.region_code <> r.region_code"),
                     0);
    assert_true(count(st, "SELECT count(DISTINCT place_id) FROM residents") >= 7);
    /* Street communities mostly urban hukou, villages mostly rural. */
    int64_t street =
        count(st, "SELECT count(*) FROM residents WHERE region_code LIKE '500110001%'");
    int64_t street_urban = count(st, "SELECT count(*) FROM residents WHERE region_code LIKE "
                                     "'500110001%' AND hukou_type = 'urban'");
    int64_t village = count(st, "SELECT count(*) FROM residents WHERE substr(region_code, 10, 1)"
                                " = '2'");
    int64_t village_rural = count(st, "SELECT count(*) FROM residents WHERE substr(region_code, "
                                      "10, 1) = '2' AND hukou_type = 'rural'");
    assert_true(street_urban * 10 > street * 7);
    assert_true(village_rural * 10 > village * 8);
    /* Sex ratio (men per 100 women) 90-112; 60+ share 17-29%. */
    int64_t men = count(st, "SELECT count(*) FROM residents WHERE sex = 'M'");
    int64_t women = RESIDENTS - men;
    assert_true(men * 100 >= women * 90 && men * 100 <= women * 112);
    int64_t old = count(st, "SELECT count(*) FROM residents WHERE birth_date <= '1965-12-31'");
    assert_true(old * 100 >= RESIDENTS * 17 && old * 100 <= RESIDENTS * 29);
    /* Some elderly people live alone. */
    assert_true(count(st, "SELECT count(*) FROM households h WHERE (SELECT count(*) FROM "
                          "residents r WHERE r.household_id = h.id) = 1 AND (SELECT min("
                          "birth_date) FROM residents r WHERE r.household_id = h.id) <= "
                          "'1960-12-31'") > 5);
}

static void test_deaths_births_and_marriages_have_events(void **state)
{
    struct store *st = *state;
    struct gen_stats stats;
    add_places(st);
    generate(st, 11, RESIDENTS, 0, &stats);
    assert_true(stats.deceased > 0);
    assert_int_equal(count(st, "SELECT count(*) FROM residents WHERE status = 'deceased'"),
                     stats.deceased);
    assert_int_equal(count(st, "SELECT count(*) FROM residents r WHERE status = 'deceased' AND "
                               "(status_date < '2022-12-31' OR status_date > '" AS_OF "' OR NOT "
                               "EXISTS (SELECT 1 FROM life_events e WHERE e.resident_id = r.id "
                               "AND e.kind = 'death' AND e.event_date = r.status_date))"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM residents r WHERE birth_date > "
                               "'2020-12-31' AND NOT EXISTS (SELECT 1 FROM life_events e WHERE "
                               "e.resident_id = r.id AND e.kind = 'birth')"),
                     0);
    /* Marriages link two spouses of one household, both sides. */
    assert_true(stats.marriages > 0);
    assert_int_equal(count(st, "SELECT count(*) FROM life_events WHERE kind = 'marriage'"),
                     2 * stats.marriages);
    assert_int_equal(count(st, "SELECT count(*) FROM life_events e JOIN residents a ON a.id = "
                               "e.resident_id WHERE e.kind = 'marriage' AND NOT EXISTS (SELECT 1 "
                               "FROM residents b WHERE b.household_id = a.household_id AND "
                               "b.sex <> a.sex AND e.detail_json = '{\"spouse\":\"' || b.code "
                               "|| '\"}')"),
                     0);
    /* One audit entry per chunk, none per resident. */
    int64_t chunks = count(st, "SELECT count(*) FROM audit_log WHERE action = 'registry.generate'");
    assert_true(chunks >= 1 && chunks <= 2);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'resident.create'"),
                     0);
}

/* A digest of what the seed decides: codes, names, blind indexes, birth
 * dates, sexes, households, relations, statuses and events. */
static void digest(struct store *st, unsigned char out[32])
{
    static const char *const sql[] = {
        "SELECT r.code, r.name, r.id_number_bidx, r.phone_bidx, r.birth_date, r.sex, "
        "h.number, r.relation, r.status, r.status_date, r.address FROM residents r JOIN "
        "households h ON h.id = r.household_id ORDER BY r.id",
        "SELECT r.code, e.kind, e.event_date, e.detail_json FROM life_events e JOIN residents r "
        "ON r.id = e.resident_id ORDER BY e.id",
    };
    unsigned char part[2][32];
    for (size_t q = 0; q < 2; q++)
        fixture_digest(st, sql[q], part[q]);
    crypto_generichash(out, 32, part[0], sizeof(part), NULL, 0);
}

static void test_same_seed_same_district_other_seed_another(void **state)
{
    struct store *st = *state;
    unsigned char a[32], b[32], c[32];
    struct gen_stats stats;
    add_places(st);
    generate(st, 2026, 1000, 300, &stats);
    digest(st, a);

    struct store *st2 = test_store_open();
    struct ms_err err = MS_ERR_INIT;
    size_t applied;
    assert_non_null(st2);
    assert_int_equal(store_migrate_apply(st2, ms_modules_migrations(), &applied, NULL, NULL, &err),
                     0);
    add_places(st2);
    generate(st2, 2026, 1000, 450, &stats); /* other chunks, same district */
    digest(st2, b);
    test_store_close(st2);
    assert_memory_equal(a, b, 32);

    struct store *st3 = test_store_open();
    assert_non_null(st3);
    assert_int_equal(store_migrate_apply(st3, ms_modules_migrations(), &applied, NULL, NULL, &err),
                     0);
    add_places(st3);
    generate(st3, 2027, 1000, 300, &stats);
    digest(st3, c);
    test_store_close(st3);
    assert_memory_not_equal(a, c, 32);
}

static void test_refuses_without_places_or_into_a_full_registry(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct gen_options o = {.seed = 1, .residents = 10, .as_of = AS_OF};
    assert_int_equal(gen_district(st, &o, &test_actor, NULL, &err), MS_ENOTFOUND);
    assert_non_null(strstr(err.message, "places import"));
    add_places(st);
    struct gen_stats stats;
    generate(st, 1, 10, 0, &stats);
    ms_err_init(&err);
    assert_int_equal(gen_district(st, &o, &test_actor, NULL, &err), MS_ECONFLICT);
    o.residents = 0;
    ms_err_init(&err);
    assert_int_equal(gen_district(st, &o, &test_actor, NULL, &err), MS_EFIELD);
    assert_string_equal(err.field, "residents");
}

/* Not the generator's own behaviour, but it is the easy way to a registry of
 * more than REGISTRY_TOTAL_CAP residents: a page says "1000+" instead of
 * counting the district, newest registrations first. */
static void test_search_total_stops_at_the_cap(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct ms_err err = MS_ERR_INIT;
    struct gen_stats stats;
    struct registry_page page;
    struct audit_entry read;
    add_places(st);
    generate(st, 7, 1500, 500, &stats);
    ms_arena_init(&a, 0);
    struct registry_query all = {.age_min = -1, .age_max = -1, .page = 1, .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &all, &a, &page, &read, &err), 0);
    assert_int_equal(page.total, REGISTRY_TOTAL_CAP);
    assert_true(page.is_total_capped);
    assert_int_equal(page.n, 20);
    /* newest first: the first row has the highest internal id */
    assert_int_equal(page.items[0].id, count(st, "SELECT max(id) FROM residents"));
    struct registry_query few = {.age_min = 100, .age_max = -1, .page = 1, .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &few, &a, &page, &read, &err), 0);
    assert_false(page.is_total_capped);
    assert_true(page.total < REGISTRY_TOTAL_CAP);
    ms_arena_release(&a);
}

int main(void)
{
    snprintf(key_dir, sizeof(key_dir), "/tmp/ms-gen-test-XXXXXX");
    if (!mkdtemp(key_dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", key_dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_id_is_valid_and_agrees_with_birth_and_sex,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_households_places_and_ages_are_plausible,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_deaths_births_and_marriages_have_events, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_district_other_seed_another,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_total_stops_at_the_cap, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refuses_without_places_or_into_a_full_registry,
                                        fixture_setup, fixture_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    unlink(key_path);
    rmdir(key_dir);
    return failed;
}
