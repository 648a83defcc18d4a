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
    return 0;
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
