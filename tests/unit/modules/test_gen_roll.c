/*
 * test_gen_roll.c - the demo's assistance roll (gen_roll.c, through
 * assistance_roll_*): shares of dibao and tekun within bounds, more in
 * rural households; enrolments without a case at the standard in force,
 * split where the standard changed; bank accounts sealed; the history's
 * lines paid and reconciled with their runs; the planted payees paid after
 * death in truth.csv and found by the rule's query; the same seed gives the
 * same roll whatever the chunk size, and the district is the same with or
 * without it; the feeds over the roll plant and tag the rules that read it.
 */
#include "module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"
#include "core/seal.h"
#include "modules/assistance/assistance.h"
#include "modules/gen/gen.h"
#include "modules/placenames/placenames.h"
#include "modules/registry/registry.h"

/* History 2025-10 .. 2026-09; the standards changed 2024-07 and 2025-07. */
#define AS_OF "2026-10-15"

static char tmp_dir[256];
static char key_path[300];

/* A street with a community (mostly urban) and a town of villages (mostly rural). */
static void places(struct store *st)
{
    static const struct {
        const char *kind, *name, *code;
        int parent; /* index in this table, -1 for none */
    } t[] = {
        {"district", "测试区", "500110000000", -1}, {"street", "测试街道", "500110001000", 0},
        {"community", "东社区", "500110001001", 1}, {"town", "测试镇", "500110101000", 0},
        {"village", "南村", "500110101201", 3},     {"village", "北村", "500110101202", 3},
    };
    int64_t id[6];
    for (size_t i = 0; i < 6; i++) {
        struct ms_err err = MS_ERR_INIT;
        struct place_in in = {.kind = t[i].kind,
                              .name = t[i].name,
                              .region_code = t[i].code,
                              .parent_id = t[i].parent < 0 ? 0 : id[t[i].parent],
                              .is_synthetic = 1};
        if (placenames_add(st, &in, &test_actor, &id[i], &err) != 0)
            fail_msg("place %s: %s", t[i].name, err.message);
    }
}

/* Generates n residents with the roll (or without: out NULL). */
static void generate(struct store *st, uint64_t seed, size_t n, size_t chunk,
                     struct gen_roll_stats *out, const char *truth_dir)
{
    struct ms_err err = MS_ERR_INIT;
    struct gen_roll *roll = NULL;
    places(st);
    if (out && gen_roll_open(seed, 0, &roll, &err) != 0)
        fail_msg("roll: %s", err.message);
    struct gen_options o = {
        .seed = seed, .residents = n, .as_of = AS_OF, .chunk_residents = chunk, .roll = roll};
    if (gen_district(st, &o, &test_actor, NULL, &err) != 0)
        fail_msg("gen: %s (%s)", err.message, err.field);
    if (roll) {
        gen_roll_stats(roll, out);
        if (truth_dir && gen_roll_write_truth(roll, truth_dir, &err) != 0)
            fail_msg("truth: %s", err.message);
    }
    gen_roll_free(roll);
}

#define count fixture_count

/* Reads a whole file (NUL-terminated); NULL if it cannot. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The planted payees (generated with truth in tmp_dir). */
static void check_plants(struct store *st, const struct gen_roll_stats *ps)
{
    struct gen_roll_stats rs = *ps;
    char path[400];
    snprintf(path, sizeof(path), "%s/truth.csv", tmp_dir);
    assert_true(rs.planted >= 1);
    assert_true(rs.planted_lines >= rs.planted);
    /* The rule assistance_after_death finds exactly the planted payees,
     * and their lines after the death month are the planted lines. */
    assert_int_equal(
        count(st, "SELECT count(DISTINCT r.id) FROM assistance_payment_lines l JOIN"
                  " assistance_enrolments e ON e.id = l.enrolment_id JOIN residents r ON r.id ="
                  " e.payee_resident_id WHERE l.status <> 'failed' AND r.status = 'deceased' AND"
                  " l.period > substr(r.status_date, 1, 7)"),
        (int64_t)rs.planted);
    assert_int_equal(
        count(st, "SELECT count(*) FROM assistance_payment_lines l JOIN assistance_enrolments e"
                  " ON e.id = l.enrolment_id JOIN residents r ON r.id = e.payee_resident_id WHERE"
                  " r.status = 'deceased' AND l.period > substr(r.status_date, 1, 7)"),
        (int64_t)rs.planted_lines);
    char *truth = slurp(path);
    assert_non_null(truth);
    size_t lines = 0;
    for (char *line = truth, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        char household[32], scheme[8], period[8], code[16];
        size_t row;
        assert_int_equal(sscanf(line,
                                "assistance_payment,%zu,%31[0-9]|%7[a-z]|%7[0-9-],%15[0-9A-Z],"
                                "clean,1,,paid_after_death",
                                &row, household, scheme, period, code),
                         5);
        assert_int_equal(row, ++lines);
        char sql[600];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM assistance_payment_lines l JOIN households h ON h.id ="
                 " l.household_id JOIN assistance_enrolments e ON e.id = l.enrolment_id JOIN"
                 " residents r ON r.id = e.payee_resident_id WHERE h.number = '%s' AND l.scheme ="
                 " '%s' AND l.period = '%s' AND r.code = '%s' AND l.status = 'paid' AND"
                 " r.status = 'deceased' AND l.period > substr(r.status_date, 1, 7)",
                 household, scheme, period, code);
        assert_int_equal(count(st, sql), 1);
    }
    assert_int_equal(lines, rs.planted_lines);
    free(truth);
    unlink(path);
}

static void test_shares_history_and_seals(void **state)
{
    struct store *st = *state;
    struct gen_roll_stats rs;
    char truth[400];
    snprintf(truth, sizeof(truth), "%s/truth.csv", tmp_dir);
    unlink(truth);
    generate(st, 2, 12000, 0, &rs, tmp_dir);
    size_t urban = rs.residents_area[1], rural = rs.residents_area[0];
    double dibao = (double)rs.persons[0] / 12000, tekun = (double)rs.persons[1] / 12000;
    print_message("dibao %.2f%% (urban %.2f%%, rural %.2f%%), tekun %.2f%%\n", 100 * dibao,
                  100.0 * (double)rs.persons_area[0][1] / (double)urban,
                  100.0 * (double)rs.persons_area[0][0] / (double)rural, 100 * tekun);
    /* Roughly 2-4% on dibao and 0.3-0.6% on tekun; wider bounds for a small district. */
    assert_true(dibao > 0.015 && dibao < 0.05);
    assert_true(tekun > 0.0015 && tekun < 0.01);
    /* More in rural households. */
    assert_true((double)rs.persons_area[0][0] / (double)rural >
                1.3 * (double)rs.persons_area[0][1] / (double)urban);
    assert_true(rs.former > 0);

    /* Enrolments without a case; open ones active, ended ones stopped. */
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_enrolments"), (int64_t)rs.rows);
    assert_int_equal(
        count(st, "SELECT count(*) FROM assistance_enrolments WHERE case_id IS NOT NULL"), 0);
    assert_int_equal(
        count(st, "SELECT count(*) FROM assistance_enrolments WHERE status = 'active'"),
        (int64_t)(rs.households[0] + rs.households[1]));
    assert_int_equal(count(st,
                           "SELECT count(*) FROM assistance_enrolments WHERE (status = 'active')"
                           " <> (end_period = '')"),
                     0);
    /* Tekun at the standard in force (1001 yuan from 2025-07); an enrolment
     * that began before 2025-07 has a row stopped 2025-06 at 975 yuan. */
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_enrolments WHERE scheme = 'tekun'"
                               " AND status = 'active' AND amount_fen % 100100 <> 0"),
                     0);
    assert_true(count(st, "SELECT count(*) FROM assistance_enrolments WHERE scheme = 'tekun'"
                          " AND end_period = '2025-06' AND amount_fen % 97500 = 0") > 0);
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_enrolments a JOIN"
                               " assistance_enrolments b ON a.household_id = b.household_id AND"
                               " a.id < b.id AND b.start_period <= a.end_period"),
                     0);

    /* Bank accounts sealed: never in clear, and they open to 19 digits. */
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_enrolments WHERE"
                               " bank_account_sealed = '' OR bank_account_sealed LIKE '%8888%'"),
                     0);
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    const struct ms_seal *seal;
    const char *plain = NULL;
    struct ms_arena a;
    ms_arena_init(&a, 1024);
    assert_int_equal(registry_seal(st, &seal, &err), 0);
    assert_int_equal(store_prepare(st,
                                   "SELECT bank_account_sealed FROM assistance_enrolments"
                                   " ORDER BY id LIMIT 1",
                                   &s, &err),
                     0);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    assert_int_equal(ms_seal_decrypt(seal, "bank_account", store_col_text(s, 0), &a, &plain, &err),
                     0);
    store_reset(s);
    assert_int_equal(strlen(plain), 19);
    assert_memory_equal(plain, "8888", 4);
    ms_arena_release(&a);

    /* The history: twelve months before the as-of month, every line paid,
     * runs done and reconciled with their lines; the as-of month unpaid. */
    assert_int_equal(rs.history_lines, count(st, "SELECT count(*) FROM assistance_payment_lines"));
    assert_true(rs.history_lines > 0);
    assert_int_equal(count(st,
                           "SELECT count(*) FROM assistance_payment_lines WHERE status <> 'paid'"
                           " OR period < '2025-10' OR period > '2026-09'"),
                     0);
    assert_int_equal(
        count(st, "SELECT count(*) FROM assistance_payment_runs WHERE status = 'done'"), 24);
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_payment_runs r WHERE r.lines <>"
                               " (SELECT count(*) FROM assistance_payment_lines l WHERE l.run_id ="
                               " r.id) OR r.total_fen <> (SELECT coalesce(sum(amount_fen), 0) FROM"
                               " assistance_payment_lines l WHERE l.run_id = r.id)"),
                     0);
    /* Someone to pay this month: the open enrolments. */
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_payment_lines l JOIN"
                               " assistance_enrolments e ON e.id = l.enrolment_id WHERE l.period"
                               " = '2026-09' AND e.status = 'active'"),
                     (int64_t)(rs.households[0] + rs.households[1]));
    check_plants(st, &rs);
}

static const char roll_sql[] =
    "SELECT h.number, e.scheme, r.code, e.amount_fen, e.start_period, e.end_period, e.status,"
    " (SELECT count(*) || ':' || coalesce(sum(l.amount_fen), 0) FROM assistance_payment_lines l"
    " WHERE l.enrolment_id = e.id) FROM assistance_enrolments e JOIN households h ON h.id ="
    " e.household_id JOIN residents r ON r.id = e.payee_resident_id ORDER BY h.number, e.scheme,"
    " e.start_period";
static const char people_sql[] =
    "SELECT r.code, r.name, r.birth_date, r.status, h.number FROM residents r JOIN households h"
    " ON h.id = r.household_id ORDER BY r.id";

static void test_same_seed_same_roll_and_district(void **state)
{
    struct store *st = *state, *st2 = fixture_open_another(), *st3 = fixture_open_another();
    struct gen_roll_stats rs;
    unsigned char a[32], b[32], pa[32], pb[32], pc[32];
    generate(st, 42, 3000, 300, &rs, NULL);
    generate(st2, 42, 3000, 1000, &rs, NULL); /* other chunks */
    generate(st3, 42, 3000, 300, NULL, NULL); /* no roll */
    fixture_digest(st, roll_sql, a);
    fixture_digest(st2, roll_sql, b);
    assert_memory_equal(a, b, 32);
    assert_true(count(st, "SELECT count(*) FROM assistance_enrolments") > 0);
    assert_int_equal(count(st3, "SELECT count(*) FROM assistance_enrolments"), 0);
    fixture_digest(st, people_sql, pa);
    fixture_digest(st2, people_sql, pb);
    fixture_digest(st3, people_sql, pc);
    assert_memory_equal(pa, pb, 32);
    assert_memory_equal(pa, pc, 32);
    test_store_close(st2);
    test_store_close(st3);
}

/* One truth.csv line's fields (feed,row,key,code,status,id_usable,noise,plant). */
static int truth_fields(char *line, char **f)
{
    int n = 0;
    for (char *p = line; n < 8; n++) {
        f[n] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            return n + 1;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/*
 * The feeds over the roll (gen_feeds_set_roll()): every kind planted around
 * the roll (cases and near misses) and a planted fall under the
 * near-allowance line in a district of 3,000; every line tagged with a rule
 * over the roll is a clean row of a living member of a household on the
 * roll, and every line of the fall one of a living member of a household
 * that is not. A line of benefit_two_regions is also a month the roll paid
 * the household (its key, KQYYYYMM..., carries the month).
 */
static void test_feeds_plant_and_tag_the_roll_rules(void **state)
{
    static const char *const plants[] = {"assisted_vehicle_business", "assisted_wage_above",
                                         "unemployed_assisted_member", "edge_income_no_assistance",
                                         "benefit_two_regions"};
    enum { N_PLANTS = sizeof(plants) / sizeof(plants[0]), FALL = 3 };
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct gen_roll *roll = NULL;
    struct gen_feeds *fx = NULL;
    struct gen_feeds_stats fs;
    char dir[400], path[600], line[1024];
    snprintf(dir, sizeof(dir), "%s/feeds", tmp_dir);
    places(st);
    if (gen_roll_open(5, 0, &roll, &err) != 0 || gen_feeds_open(dir, 5, 12, &fx, &err) != 0)
        fail_msg("open: %s", err.message);
    gen_feeds_set_roll(fx, roll);
    struct gen_options o = {.seed = 5,
                            .residents = 3000,
                            .as_of = AS_OF,
                            .after_chunk = gen_feeds_chunk,
                            .hook_ctx = fx,
                            .roll = roll};
    if (gen_district(st, &o, &test_actor, NULL, &err) != 0)
        fail_msg("gen: %s (%s)", err.message, err.field);
    gen_feeds_stats(fx, &fs);
    for (int k = 0; k < GEN_ROLL_PLANTS; k++)
        assert_true(fs.roll_plants[k] >= 1);
    assert_true(fs.edge_falls >= 1);
    assert_int_equal(gen_feeds_finish(fx, 1, &err), 0);
    gen_roll_free(roll);

    size_t tagged[N_PLANTS] = {0};
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        char *fl[8], sql[400];
        line[strcspn(line, "\n")] = '\0';
        if (truth_fields(line, fl) != 8)
            continue;
        for (int k = 0; k < N_PLANTS; k++) {
            if (strcmp(fl[7], plants[k]) != 0)
                continue;
            tagged[k]++;
            assert_string_equal(fl[4], "clean");
            snprintf(sql, sizeof(sql),
                     "SELECT count(*) FROM residents r JOIN assistance_enrolments e ON"
                     " e.household_id = r.household_id AND e.status = 'active' WHERE r.code ="
                     " '%s' AND r.status = 'alive'",
                     fl[3]);
            if (k != FALL)
                assert_true(count(st, sql) >= 1);
            else
                assert_int_equal(count(st, sql), 0);
            if (strcmp(fl[7], "benefit_two_regions") == 0) {
                assert_string_equal(fl[0], "remote_benefit");
                snprintf(sql, sizeof(sql),
                         "SELECT count(*) FROM residents r JOIN assistance_payment_lines l ON"
                         " l.household_id = r.household_id AND l.status <> 'failed' WHERE"
                         " r.code = '%s' AND l.period = '%.4s-%.2s'",
                         fl[3], fl[2] + 2, fl[2] + 6);
                assert_int_equal(count(st, sql), 1);
            }
        }
    }
    fclose(f);
    for (int k = 0; k < N_PLANTS; k++)
        assert_true(tagged[k] >= 1);
    char file[64];
    for (size_t i = 0; i < GEN_FEEDS; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, gen_feeds_file(i, file, sizeof(file)));
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/truth_registry.csv", dir);
    unlink(path);
    rmdir(dir);
}

/* assistance_roll_add() refuses what the roll must never hold, naming the
 * field, and writes nothing. */
static void test_roll_add_refuses_bad_entries(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct assistance_roll *r;
    generate(st, 3, 50, 0, NULL, NULL);
    int64_t hh = count(st, "SELECT min(household_id) FROM residents");
    int64_t payee = count(st, "SELECT min(id) FROM residents");
    assert_int_equal(assistance_roll_open(st, AS_OF, &r, &err), 0);
    struct {
        const char *scheme, *start, *end, *account;
        int persons, income;
        const char *field;
    } bad[] = {
        {"linshi", "2026-01", "", "88880000000000000001", 1, 0, "scheme"},
        {"dibao", "2026-01", "", "88880000000000000001", 0, 0, "persons"},
        {"dibao", "2026-01", "", "88880000000000000001", 1, 950, "income_permille"},
        {"dibao", "2026-01", "", "8888x", 1, 0, "bank_account"},
        {"dibao", "2026-13", "", "88880000000000000001", 1, 0, "start_period"},
        {"dibao", "2026-05", "2026-04", "88880000000000000001", 1, 0, "end_period"},
        {"dibao", "2026-05", "2027-01", "88880000000000000001", 1, 0, "end_period"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct assistance_roll_entry e = {.household_id = hh,
                                          .payee_id = payee,
                                          .scheme = bad[i].scheme,
                                          .persons = bad[i].persons,
                                          .income_permille = bad[i].income,
                                          .start_period = bad[i].start,
                                          .end_period = bad[i].end,
                                          .bank_account = bad[i].account};
        int64_t amount;
        int rows;
        ms_err_init(&err);
        assert_int_equal(assistance_roll_add(r, st, &e, &test_actor, &amount, &rows, &err),
                         MS_EFIELD);
        assert_string_equal(err.field, bad[i].field);
    }
    assistance_roll_free(r);
    assert_int_equal(count(st, "SELECT count(*) FROM assistance_enrolments"), 0);
}

int main(void)
{
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/ms-gen-roll-test-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", tmp_dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shares_history_and_seals, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_roll_and_district, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_roll_add_refuses_bad_entries, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_feeds_plant_and_tag_the_roll_rules, fixture_setup,
                                        fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(key_path);
    rmdir(tmp_dir);
    return rc;
}
