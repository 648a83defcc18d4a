/*
 * assistance_fixture.h - a migrated database with a tiny synthetic registry
 * for the assistance tests: households in 万东镇 (500110101) and 东林街道
 * (500110002) and made-up people whose ID numbers carry computed check
 * characters. Nothing here is real data.
 */
#ifndef MS_TEST_ASSISTANCE_FIXTURE_H
#define MS_TEST_ASSISTANCE_FIXTURE_H

#include "unit/modules/module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/idcard.h"
#include "modules/assistance/assistance.h"
#include "modules/registry/registry.h"

#define WANDONG "500110101201"
#define DONGLIN "500110002001"

struct person {
    const char *name, *birth8, *seq, *hukou, *region;
    int household; /* index into households[], -1 none */
    char id[19];
    char code[MS_RESCODE_LEN + 1];
    int64_t rid;
};

/* 0-2: an urban family of three in 万东镇; 3: a rural widow there; 4: a man
 * in 东林街道; 5: an old man in 万东镇 who dies in a test. */
static struct person people[] = {
    {"韦试甲", "19800101", "011", "urban", WANDONG, 0, "", "", 0},
    {"韦试乙", "19820315", "022", "urban", WANDONG, 0, "", "", 0},
    {"韦试丙", "20040620", "031", "urban", WANDONG, 0, "", "", 0},
    {"韦试丁", "19500707", "042", "rural", WANDONG, 1, "", "", 0},
    {"韦试戊", "19700909", "051", "urban", DONGLIN, 2, "", "", 0},
    {"韦试己", "19400404", "061", "rural", WANDONG, 1, "", "", 0},
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static struct {
    const char *number, *region;
    int64_t id;
} households[] = {{"WD0001", WANDONG, 0}, {"WD0002", WANDONG, 0}, {"DL0001", DONGLIN, 0}};
#define N_HOUSEHOLDS (sizeof(households) / sizeof(households[0]))

static char fixture_dir[256];

static void make_id(const char *birth8, const char *seq3, char out[19])
{
    snprintf(out, 19, "500110%s%s", birth8, seq3);
    out[17] = ms_idcard_check_char(out);
    out[18] = '\0';
}

static int64_t resident_rowid(struct store *st, const char *code)
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

/* Two active staff users, the investigators of the fixture's visits. */
static inline void fixture_add_investigators(struct store *st)
{
    fixture_exec(st, "INSERT INTO users (username, display_name, role, scope, password_hash,"
                     " created_at, updated_at, password_changed_at) VALUES"
                     " ('inv_a', '调查员甲', 'town_caseworker', '', 'x', '2026-01-01', '2026-01-01', '2026-01-01'),"
                     " ('inv_b', '调查员乙', 'town_caseworker', '', 'x', '2026-01-01', '2026-01-01', '2026-01-01')");
}

static int assistance_setup(void **state)
{
    fixture_setup(state);
    struct store *st = *state;
    for (size_t i = 0; i < N_HOUSEHOLDS; i++) {
        struct ms_err err = MS_ERR_INIT;
        struct registry_household_new h = {households[i].number, {households[i].region, 0, ""}};
        if (registry_household_create(st, "", &h, &test_actor, &households[i].id, &err) != 0)
            fail_msg("household: %s", err.message);
    }
    for (size_t i = 0; i < N_PEOPLE; i++) {
        struct ms_err err = MS_ERR_INIT;
        make_id(people[i].birth8, people[i].seq, people[i].id);
        struct registry_resident_new in = {
            .name = people[i].name,
            .id_number = people[i].id,
            .hukou_type = people[i].hukou,
            .residence = {people[i].region, 0, "测试地址"},
            .household_id = people[i].household >= 0 ? households[people[i].household].id : 0,
            .relation = "other"};
        if (registry_resident_create(st, "", &in, &test_actor, people[i].code, &err) != 0)
            fail_msg("create %s: %s", people[i].name, err.message);
        people[i].rid = resident_rowid(st, people[i].code);
    }
    fixture_add_investigators(st);
    return 0;
}

/* One step of the procedure by the fixture's actor (district rights), or fail. */
static inline void fixture_step(struct store *st, int64_t case_id, const char *action, const char *on,
                         const char *text_zh)
{
    static const char *const investigators[] = {"inv_a", "inv_b"};
    struct ms_err err = MS_ERR_INIT;
    struct assistance_step_in in = {.action = action,
                                    .on = on,
                                    .text_zh = text_zh,
                                    .investigators = investigators,
                                    .n_investigators = 2,
                                    .family_signed = 1,
                                    .may_decide = 1};
    if (!strcmp(action, "investigate") || !strcmp(action, "publish") ||
        !strcmp(action, "close_publicity") || !strcmp(action, "notify"))
        in.n_investigators = 0;
    if (assistance_case_step(st, "", case_id, &in, &test_actor, NULL, &err) != 0)
        fail_msg("%s: %s (%s)", action, err.message, err.field);
}

/*
 * Walks a created case through the procedure up to the district's review,
 * ready for assistance_case_decide() on decided_on: investigation, home
 * visit (inv_a, inv_b, signed), computation, town review and the 7-day
 * publicity all dated decided_on - 8 days (which must not be before the
 * application), the publicity closed on decided_on. Needs
 * fixture_add_investigators() once (assistance_setup() does it).
 */
static inline void fixture_decidable_case(struct store *st, int64_t case_id, const char *decided_on)
{
    struct ms_err err = MS_ERR_INIT;
    int32_t d;
    char early[11];
    if (ms_date_parse(decided_on, &d, &err) != 0)
        fail_msg("decided_on: %s", err.message);
    ms_date_format(d - 8, early);
    fixture_step(st, case_id, "investigate", early, NULL);
    fixture_step(st, case_id, "visit", early, "入户核实");
    if (assistance_case_compute(st, "", case_id, early, &test_actor, NULL, &err) != 0)
        fail_msg("compute: %s (%s)", err.message, err.field);
    fixture_step(st, case_id, "town_review", early, "符合条件，同意上报");
    fixture_step(st, case_id, "publish", early, NULL);
    fixture_step(st, case_id, "close_publicity", decided_on, NULL);
}

/*
 * Walks a created case through the whole procedure to "enrolled": the
 * steps of fixture_decidable_case(), approval on decided_on (the household
 * must be eligible on that date's standard) and enrolment. Returns the
 * enrolment's id. For tests that need an enrolled case in one call.
 */
static inline int64_t fixture_enrol_case(struct store *st, int64_t case_id, const char *decided_on)
{
    struct ms_err err = MS_ERR_INIT;
    int64_t enrolment = 0;
    fixture_decidable_case(st, case_id, decided_on);
    struct assistance_decision_in d = {"approve", "经审核，符合条件，予以批准。", decided_on};
    if (assistance_case_decide(st, "", case_id, &d, &test_actor, &err) != 0)
        fail_msg("approve: %s (%s)", err.message, err.field);
    if (assistance_case_enrol(st, "", case_id, &test_actor, &enrolment, NULL, &err) != 0)
        fail_msg("enrol: %s (%s)", err.message, err.field);
    return enrolment;
}

static int64_t count_rows(struct store *st, const char *sql)
{
    struct store_stmt *s;
    struct ms_err err = MS_ERR_INIT;
    int64_t n = -1;
    if (store_prepare(st, sql, &s, &err) != 0)
        fail_msg("prepare %s: %s", sql, err.message);
    if (store_step(s, &err) == STORE_ROW)
        n = store_col_int64(s, 0);
    store_reset(s);
    return n;
}

static void fixture_key_init(void)
{
    snprintf(fixture_dir, sizeof(fixture_dir), "/tmp/ms_assist_test_XXXXXX");
    if (!mkdtemp(fixture_dir))
        abort();
    char key[300];
    snprintf(key, sizeof(key), "%s/test.key", fixture_dir);
    registry_set_key_file(key);
}

static int fixture_key_done(int rc)
{
    char cmd[300];
    registry_unload_key();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixture_dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}

#endif
