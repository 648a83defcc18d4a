/*
 * test_registry.c - residents, households and life events: validation
 * against the ID number, sealing and blind indexes, search, data scope,
 * optimistic concurrency, reveal with purpose, and the audit trail.
 *
 * Every ID number here is synthetic: a made-up region, birth date and
 * sequence with its check character computed by ms_idcard_check_char().
 */
#include "module_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/idcard.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

#define TOWN_A   "500110101"
#define TOWN_B   "500110102"
#define VILLAGE_A TOWN_A "201"
#define VILLAGE_B TOWN_B "202"

static char key_dir[256];
static char key_path[300];

/* A synthetic ID number: region + YYYYMMDD + sequence + check. */
static void make_id(const char *region, const char *birth8, const char *seq3, char out[19])
{
    snprintf(out, 19, "%s%s%s", region, birth8, seq3);
    out[17] = ms_idcard_check_char(out);
    out[18] = '\0';
}

static void create(struct store *st, const char *scope, const char *name, const char *id,
                   const char *phone, const char *village, char code[MS_RESCODE_LEN + 1])
{
    struct ms_err err = MS_ERR_INIT;
    struct registry_resident_new in = {.name = name, .id_number = id, .phone = phone,
                                       .ethnicity = "汉族", .hukou_type = "rural",
                                       .residence = {village, 0, "幸福村 3 组 12 号"}};
    if (registry_resident_create(st, scope, &in, &test_actor, code, &err) != 0)
        fail_msg("create %s: %s (%s)", name, err.message, err.field);
}

static void test_create_refuses_id_that_disagrees_with_record(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    make_id("500110", "19800101", "123", id); /* 17th digit 3: male */
    struct {
        const char *id, *sex, *birth, *field;
        int code;
    } cases[] = {
        {id, "F", NULL, "sex", MS_EFIELD},
        {id, NULL, "1980-01-02", "birth_date", MS_EFIELD},
        {id, "M", "1980-13-01", "birth_date", MS_EFIELD},
        {"500110198001011230", NULL, NULL, "id_number", MS_EFIELD}, /* bad check character */
        {"", NULL, NULL, "id_number", MS_EMISSING},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        struct registry_resident_new in = {.name = "张三", .id_number = cases[i].id,
                                           .sex = cases[i].sex, .birth_date = cases[i].birth,
                                           .hukou_type = "urban",
                                           .residence = {VILLAGE_A, 0, NULL}};
        assert_int_equal(registry_resident_create(st, "", &in, &test_actor, code, &err),
                         cases[i].code);
        assert_string_equal(err.field, cases[i].field);
        assert_true(err.message_zh[0] != '\0');
        assert_null(strstr(err.message, id));
    }
    /* Agreeing values are accepted, and so is a record without them. */
    struct ms_err err = MS_ERR_INIT;
    struct registry_resident_new ok = {.name = "张三", .id_number = id, .sex = "M",
                                       .birth_date = "1980-01-01", .hukou_type = "urban",
                                       .residence = {VILLAGE_A, 0, NULL}};
    assert_int_equal(registry_resident_create(st, "", &ok, &test_actor, code, &err), 0);
    assert_int_equal(ms_rescode_check(code, NULL, NULL), 0);
}

static void test_create_validates_name_phone_and_scope(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    make_id("500110", "19900505", "246", id);
    struct {
        const char *name, *phone, *village, *scope, *field;
    } cases[] = {
        {"张3", NULL, VILLAGE_A, "", "name"},
        {"·阿依古丽", NULL, VILLAGE_A, "", "name"},
        {"张三", "12345", VILLAGE_A, "", "phone"},
        {"张三", NULL, "5001101", "", "residence.region_code"},
        {"张三", NULL, VILLAGE_B, TOWN_A, "residence.region_code"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        struct registry_resident_new in = {.name = cases[i].name, .id_number = id,
                                           .phone = cases[i].phone, .hukou_type = "urban",
                                           .residence = {cases[i].village, 0, NULL}};
        assert_int_equal(registry_resident_create(st, cases[i].scope, &in, &test_actor, code,
                                                  &err),
                         MS_EFIELD);
        assert_string_equal(err.field, cases[i].field);
    }
    create(st, "", "阿依古丽·买买提", id, "023-12345678", VILLAGE_A, code);
}

static void test_duplicate_id_number_is_refused(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1], code2[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    make_id("500222", "19700707", "002", id);
    create(st, "", "李四", id, NULL, VILLAGE_A, code);
    struct registry_resident_new again = {.name = "李四", .id_number = id, .hukou_type = "urban",
                                          .residence = {VILLAGE_B, 0, NULL}};
    assert_int_equal(registry_resident_create(st, "", &again, &test_actor, code2, &err),
                     MS_EEXISTS);
    assert_string_equal(err.field, "id_number");
}

static void test_stored_columns_are_sealed_and_round_trip(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    struct store_stmt *s;
    struct ms_seal *seal;
    struct ms_arena a;
    const char *plain;
    char bidx[MS_SEAL_INDEX_BUF];
    make_id("500110", "20010203", "458", id);
    create(st, "", "王五", id, "13812345678", VILLAGE_A, code);

    assert_int_equal(ms_seal_open(key_path, &seal, &err), 0);
    ms_arena_init(&a, 0);
    assert_int_equal(store_prepare(st,
                                   "SELECT id_number_sealed, phone_sealed, id_number_bidx,"
                                   " phone_bidx FROM residents WHERE code = ?",
                                   &s, &err),
                     0);
    store_bind_text(s, 1, code);
    assert_int_equal(store_step(s, &err), STORE_ROW);
    const char *id_sealed = ms_arena_strdup(&a, store_col_text(s, 0));
    const char *phone_sealed = ms_arena_strdup(&a, store_col_text(s, 1));
    const char *id_bidx = ms_arena_strdup(&a, store_col_text(s, 2));
    const char *phone_bidx = ms_arena_strdup(&a, store_col_text(s, 3));
    store_reset(s);

    /* No column holds the number, nor its birth date or tail. */
    const char *cols[] = {id_sealed, phone_sealed, id_bidx, phone_bidx};
    for (size_t i = 0; i < 4; i++) {
        assert_null(strstr(cols[i], id));
        assert_null(strstr(cols[i], "20010203"));
        assert_null(strstr(cols[i], "13812345678"));
        assert_null(strstr(cols[i], "5678"));
    }
    assert_int_equal(strncmp(id_sealed, "x1.", 3), 0);
    assert_int_equal(ms_seal_decrypt(seal, "id_number", id_sealed, &a, &plain, &err), 0);
    assert_string_equal(plain, id);
    assert_int_equal(ms_seal_decrypt(seal, "phone", phone_sealed, &a, &plain, &err), 0);
    assert_string_equal(plain, "13812345678");
    /* Sealed for one field, it does not open as another. */
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(ms_seal_decrypt(seal, "phone", id_sealed, &a, &plain, &err), MS_EINTEGRITY);
    ms_seal_blind_index(seal, "id_number", id, bidx);
    assert_string_equal(bidx, id_bidx);
    ms_seal_blind_index(seal, "phone", "13812345678", bidx);
    assert_string_equal(bidx, phone_bidx);
    ms_arena_release(&a);
    ms_seal_free(seal);
}

static void test_key_file_is_private_and_refused_when_not(void **state)
{
    (void)state;
    char path[320];
    struct stat sb;
    struct ms_seal *seal = NULL;
    struct ms_err err = MS_ERR_INIT;
    snprintf(path, sizeof(path), "%s/fresh.key", key_dir);
    unlink(path);
    assert_int_equal(ms_seal_open(path, &seal, &err), 0);
    ms_seal_free(seal);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(ms_seal_open(path, &seal, &err), MS_EIO);
    assert_string_equal(err.field, "key_file");
    unlink(path);
    /* The default sits next to a SQLite file; PostgreSQL and in-memory
     * databases need an explicit key file. */
    char out[64];
    err = (struct ms_err)MS_ERR_INIT;
    if (!getenv("MINSHENG_KEY_FILE")) {
        assert_int_equal(ms_seal_key_path(NULL, "/srv/ms/district.db", out, sizeof(out), &err),
                         0);
        assert_string_equal(out, "/srv/ms/district.db.key");
        assert_int_equal(ms_seal_key_path(NULL, "", out, sizeof(out), &err), MS_EINVAL);
    }
    assert_int_equal(ms_seal_key_path("/etc/ms.key", "", out, sizeof(out), &err), 0);
}

static struct registry_page search(struct store *st, const char *scope, const char *q,
                                   struct ms_arena *a, struct audit_entry *read)
{
    struct ms_err err = MS_ERR_INIT;
    struct registry_page p;
    struct registry_query query = {.q = q, .age_min = -1, .age_max = -1, .page = 1,
                                   .page_size = 20};
    if (registry_resident_search(st, scope, &query, a, &p, read, &err) != 0)
        fail_msg("search '%s': %s", q, err.message);
    return p;
}

static void test_search_by_name_pinyin_initials_code_phone_and_id(void **state)
{
    struct store *st = *state;
    char id1[19], id2[19], id3[19], c1[MS_RESCODE_LEN + 1], c2[MS_RESCODE_LEN + 1],
        c3[MS_RESCODE_LEN + 1];
    struct ms_arena a;
    struct audit_entry read;
    make_id("500110", "19600101", "011", id1);
    make_id("500110", "19650202", "022", id2);
    make_id("500110", "19700303", "033", id3);
    create(st, "", "张三丰", id1, "13900001111", VILLAGE_A, c1);
    create(st, "", "张无忌", id2, NULL, VILLAGE_A, c2);
    create(st, "", "李莫愁", id3, "13900002222", VILLAGE_B, c3);
    ms_arena_init(&a, 0);

    struct registry_page p = search(st, "", "张", &a, &read);
    assert_int_equal(p.total, 2);
    assert_string_equal(p.matched_by, "name");
    p = search(st, "", "张三", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c1);
    p = search(st, "", "zhangsan", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c1);
    p = search(st, "", "Zhang Wu", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c2);
    p = search(st, "", "zsf", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c1);
    p = search(st, "", "lmc", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c3);
    p = search(st, "", c2, &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c2);
    p = search(st, "", "13900002222", &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c3);
    assert_string_equal(p.matched_by, "phone");
    p = search(st, "", id2, &a, &read);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c2);
    assert_string_equal(p.matched_by, "id_number");
    /* The audit entry says how, never the number. */
    assert_null(strstr(read.detail, id2));
    assert_non_null(strstr(read.detail, "by=id_number"));
    assert_string_equal(read.subject, c2);
    p = search(st, "", NULL, &a, &read);
    assert_int_equal(p.total, 3);

    /* Filters: village, age band, hukou, status; paging with a total. */
    struct ms_err err = MS_ERR_INIT;
    struct registry_query q = {.village = VILLAGE_A, .age_min = -1, .age_max = -1, .page = 1,
                               .page_size = 1};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 2);
    assert_int_equal(p.n, 1);
    /* Ages: born 1960, 1965, 1970; a band that holds only the 1970 birth
     * whatever today's date (the test clock is real). */
    int youngest = p.items[0].age;
    q = (struct registry_query){.age_min = -1, .age_max = -1, .page = 1, .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    youngest = 200;
    for (size_t i = 0; i < p.n; i++)
        youngest = p.items[i].age < youngest ? p.items[i].age : youngest;
    q = (struct registry_query){.age_min = youngest, .age_max = youngest, .page = 1,
                                .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 1);
    assert_string_equal(p.items[0].code, c3);
    q = (struct registry_query){.age_min = youngest + 1, .age_max = -1, .page = 1,
                                .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 2);
    q = (struct registry_query){.hukou_type = "urban", .age_min = -1, .age_max = -1, .page = 1,
                                .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 0);
    q = (struct registry_query){.q = "500110196001010120", .age_min = -1, .age_max = -1,
                                .page = 1, .page_size = 20};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), MS_EFIELD);
    assert_string_equal(err.field, "q");
    err = (struct ms_err)MS_ERR_INIT;
    q = (struct registry_query){.age_min = -1, .age_max = -1, .page = 1, .page_size = 101};
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), MS_EFIELD);
    assert_string_equal(err.field, "page_size");
    ms_arena_release(&a);
}

static void test_scope_cannot_reach_another_town(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_arena a;
    struct audit_entry read;
    struct registry_resident r;
    struct ms_err err = MS_ERR_INIT;
    make_id("500110", "19881111", "135", id);
    create(st, "", "赵六", id, "13700001234", VILLAGE_B, code);
    ms_arena_init(&a, 0);

    /* Town B sees its resident; town A cannot get, find, change or reveal it. */
    assert_int_equal(registry_resident_get(st, TOWN_B, code, &a, &r, &read, &err), 0);
    assert_int_equal(registry_resident_get(st, TOWN_A, code, &a, &r, &read, &err), MS_ENOTFOUND);
    struct ms_err unknown = MS_ERR_INIT;
    assert_int_equal(registry_resident_get(st, TOWN_A, "0000-0000-0000", &a, &r, &read, &unknown),
                     MS_ENOTFOUND);
    const char *qs[] = {"赵", "zhaoliu", "zl", code, id, "13700001234", NULL};
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct registry_page p = search(st, TOWN_A, qs[i], &a, &read);
        assert_int_equal(p.total, 0);
        p = search(st, TOWN_B, qs[i], &a, &read);
        assert_int_equal(p.total, 1);
    }
    struct registry_query q = {.town = TOWN_B, .age_min = -1, .age_max = -1, .page = 1,
                               .page_size = 20};
    struct registry_page p;
    assert_int_equal(registry_resident_search(st, TOWN_A, &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 0);

    struct registry_resident_patch patch = {.name = "赵七"};
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_resident_update(st, TOWN_A, code, &patch, 1, &test_actor, NULL,
                                              &err),
                     MS_ENOTFOUND);
    const char *full;
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_resident_reveal_id(st, TOWN_A, code, "核对", &a, &full, &read,
                                                 &err),
                     MS_ENOTFOUND);
    struct registry_event *ev;
    size_t n;
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_event_list(st, TOWN_A, code, &a, &ev, &n, &read, &err),
                     MS_ENOTFOUND);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_event_add(st, TOWN_A, code, "death", "2026-01-01", NULL,
                                        &test_actor, NULL, &err),
                     MS_ENOTFOUND);
    /* A town user cannot move a resident into another town either. */
    patch = (struct registry_resident_patch){.residence = {VILLAGE_A, 0, NULL}};
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_resident_update(st, TOWN_B, code, &patch, 1, &test_actor, NULL,
                                              &err),
                     MS_EFIELD);
    ms_arena_release(&a);
}

static void test_stale_version_is_refused(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    int64_t v = 0;
    make_id("500110", "19950615", "246", id);
    create(st, "", "钱八", id, NULL, VILLAGE_A, code);
    struct registry_resident_patch p1 = {.name = "钱九", .phone = "13611112222"};
    assert_int_equal(registry_resident_update(st, "", code, &p1, 1, &test_actor, &v, &err), 0);
    assert_int_equal(v, 2);
    struct registry_resident_patch p2 = {.ethnicity = "土家族"};
    assert_int_equal(registry_resident_update(st, "", code, &p2, 1, &test_actor, &v, &err),
                     MS_ESTALE);
    assert_int_equal(ms_err_http_status(MS_ESTALE), 409);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_resident_update(st, "", code, &p2, 2, &test_actor, &v, &err), 0);
    assert_int_equal(v, 3);

    struct ms_arena a;
    struct registry_resident r;
    struct audit_entry read;
    ms_arena_init(&a, 0);
    assert_int_equal(registry_resident_get(st, "", code, &a, &r, &read, &err), 0);
    assert_string_equal(r.name, "钱九");
    assert_string_equal(r.name_pinyin, "qianjiu");
    assert_string_equal(r.phone_masked, "136****2222");
    assert_string_equal(r.ethnicity, "土家族");
    assert_int_equal(r.version, 3);
    struct registry_page p = search(st, "", "qj", &a, &read);
    assert_int_equal(p.total, 1);
    p = search(st, "", "13611112222", &a, &read);
    assert_int_equal(p.total, 1);
    ms_arena_release(&a);
}

static void test_detail_is_masked(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1], masked[19];
    struct ms_arena a;
    struct registry_resident r;
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    make_id("500110", "19751231", "367", id);
    create(st, "", "孙九", id, "13598765432", VILLAGE_A, code);
    ms_arena_init(&a, 0);
    assert_int_equal(registry_resident_get(st, "", code, &a, &r, &read, &err), 0);
    snprintf(masked, sizeof(masked), "500110********%s", id + 14);
    assert_string_equal(r.id_number_masked, masked);
    assert_string_equal(r.phone_masked, "135****5432");
    assert_string_equal(r.sex, "M");
    assert_string_equal(r.birth_date, "1975-12-31");
    assert_string_equal(r.name_initials, "sj");
    assert_string_equal(read.action, "resident.read");
    assert_string_equal(read.subject, code);
    ms_arena_release(&a);
}

static int audit_has(struct store *st, const char *action, const char *purpose,
                     const char *const *never)
{
    struct ms_arena a;
    struct audit_row *rows;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    struct audit_filter f = {.limit = 500};
    int found = 0;
    ms_arena_init(&a, 0);
    assert_int_equal(audit_query(st, &f, &a, &rows, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        const char *fields[] = {rows[i].object_id, rows[i].subject, rows[i].purpose,
                                rows[i].detail};
        for (size_t j = 0; never && never[j]; j++)
            for (size_t k = 0; k < 4; k++)
                assert_null(strstr(fields[k], never[j]));
        if (strcmp(rows[i].action, action) == 0 &&
            (!purpose || strcmp(rows[i].purpose, purpose) == 0))
            found = 1;
    }
    ms_arena_release(&a);
    return found;
}

static void test_reveal_needs_purpose_and_is_audited(void **state)
{
    struct store *st = *state;
    char id[19], code[MS_RESCODE_LEN + 1];
    struct ms_arena a;
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    const char *full = NULL;
    make_id("500110", "19830808", "480", id);
    create(st, "", "周十", id, "13322223333", VILLAGE_A, code);
    ms_arena_init(&a, 0);
    assert_int_equal(registry_resident_reveal_id(st, "", code, "  ", &a, &full, &read, &err),
                     MS_EMISSING);
    assert_string_equal(err.field, "purpose");
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_resident_reveal_id(st, "", code, "低保入户核对", &a, &full, &read,
                                                 &err),
                     0);
    assert_string_equal(full, id);
    assert_int_equal(audit_record_read(st, &test_actor, &read, &err), 0);

    /* Search by ID and by phone too, recorded like the HTTP layer does. */
    struct registry_page p = search(st, "", id, &a, &read);
    assert_int_equal(p.total, 1);
    assert_int_equal(audit_record_read(st, &test_actor, &read, &err), 0);
    p = search(st, "", "13322223333", &a, &read);
    assert_int_equal(audit_record_read(st, &test_actor, &read, &err), 0);

    const char *const never[] = {id, id + 6, "13322223333", "2222333", NULL};
    assert_true(audit_has(st, "resident.reveal_id", "低保入户核对", never));
    assert_true(audit_has(st, "resident.search", NULL, never));
    assert_true(audit_has(st, "resident.create", NULL, never));

    struct audit_verify_result res;
    assert_int_equal(audit_verify(st, &res, &err), 0);
    assert_int_equal(res.first_bad, 0);
    ms_arena_release(&a);
}

static void test_household_members_and_timeline(void **state)
{
    struct store *st = *state;
    char id1[19], id2[19], c1[MS_RESCODE_LEN + 1], c2[MS_RESCODE_LEN + 1];
    struct ms_err err = MS_ERR_INIT;
    int64_t hh = 0;
    struct registry_household_new hn = {"500110101201001", {VILLAGE_A, 0, "幸福村 3 组"}};
    assert_int_equal(registry_household_create(st, TOWN_B, &hn, &test_actor, &hh, &err),
                     MS_EFIELD);
    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_household_create(st, TOWN_A, &hn, &test_actor, &hh, &err), 0);
    make_id("500110", "19500101", "017", id1);
    make_id("500110", "19520202", "028", id2);
    struct registry_resident_new head = {.name = "吴一", .id_number = id1, .hukou_type = "rural",
                                         .residence = {VILLAGE_A, 0, NULL}, .household_id = hh,
                                         .relation = "head"};
    assert_int_equal(registry_resident_create(st, TOWN_A, &head, &test_actor, c1, &err), 0);
    struct registry_resident_new wife = head;
    wife.name = "郑二";
    wife.id_number = id2;
    wife.relation = "spouse";
    assert_int_equal(registry_resident_create(st, TOWN_A, &wife, &test_actor, c2, &err), 0);
    wife.relation = "cousin";
    assert_int_equal(registry_resident_create(st, TOWN_A, &wife, &test_actor, c2, &err),
                     MS_EFIELD);
    err = (struct ms_err)MS_ERR_INIT;

    struct ms_arena a;
    struct registry_household h;
    struct audit_entry read;
    ms_arena_init(&a, 0);
    assert_int_equal(registry_household_get(st, TOWN_A, hh, &a, &h, &read, &err), 0);
    assert_int_equal(h.n_members, 2);
    assert_string_equal(h.head_code, c1);
    assert_string_equal(h.members[0].code, c1);
    assert_string_equal(h.members[0].relation, "head");
    assert_string_equal(h.members[1].household_number, "500110101201001");
    assert_int_equal(registry_household_get(st, TOWN_B, hh, &a, &h, &read, &err), MS_ENOTFOUND);

    err = (struct ms_err)MS_ERR_INIT;
    assert_int_equal(registry_event_add(st, "", c1, "marriage", "1975-05-01", "{\"with\":\"x\"}",
                                        &test_actor, NULL, &err),
                     0);
    assert_int_equal(registry_event_add(st, "", c1, "death", "2026-03-01", NULL, &test_actor,
                                        NULL, &err),
                     0);
    assert_int_equal(registry_event_add(st, "", c1, "knighted", "2026-03-01", NULL, &test_actor,
                                        NULL, &err),
                     MS_EFIELD);
    err = (struct ms_err)MS_ERR_INIT;
    struct registry_event *ev;
    size_t n;
    assert_int_equal(registry_event_list(st, "", c1, &a, &ev, &n, &read, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].kind, "marriage");
    assert_string_equal(ev[1].kind, "death");
    assert_string_equal(ev[1].source_module, "registry");
    struct registry_resident r;
    assert_int_equal(registry_resident_get(st, "", c1, &a, &r, &read, &err), 0);
    assert_string_equal(r.status, "deceased");
    assert_string_equal(r.status_date, "2026-03-01");
    assert_int_equal(r.version, 2);
    struct registry_query q = {.status = "deceased", .age_min = -1, .age_max = -1, .page = 1,
                               .page_size = 20};
    struct registry_page p;
    assert_int_equal(registry_resident_search(st, "", &q, &a, &p, &read, &err), 0);
    assert_int_equal(p.total, 1);
    ms_arena_release(&a);
}

static void remove_key_dir(void)
{
    unlink(key_path);
    rmdir(key_dir);
}

int main(void)
{
    snprintf(key_dir, sizeof(key_dir), "/tmp/ms_registry_test_XXXXXX");
    if (!mkdtemp(key_dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", key_dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_refuses_id_that_disagrees_with_record,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_create_validates_name_phone_and_scope,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_id_number_is_refused, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_stored_columns_are_sealed_and_round_trip,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test(test_key_file_is_private_and_refused_when_not),
        cmocka_unit_test_setup_teardown(test_search_by_name_pinyin_initials_code_phone_and_id,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_scope_cannot_reach_another_town, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_stale_version_is_refused, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_detail_is_masked, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reveal_needs_purpose_and_is_audited, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_household_members_and_timeline, fixture_setup,
                                        fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    remove_key_dir();
    return rc;
}
