/*
 * test_exchange.c - feeds, import, quarantine, linkage to residents, the
 * review queue, idempotence and resuming an interrupted import, on a tiny
 * registry of synthetic people (made-up ID numbers with computed check
 * characters).
 */
#include "unit/modules/module_fixture.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/idcard.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange.h"
#include "modules/exchange/exchange_feed.h"
#include "modules/exchange/exchange_review.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry.h"
#include "core/banned.h"

#define VILLAGE "500110101201"

static char dir[256];
static char key_path[300];

struct person {
    const char *name, *birth8, *seq, *phone;
    char id[19];
    char code[MS_RESCODE_LEN + 1];
};

static struct person people[] = {
    {"张三", "19500305", "131", "15400001111", "", ""},
    {"李秀英", "19480712", "242", "", "", ""},
    {"王建国", "19520101", "151", "15400002222", "", ""},
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static void make_id(const char *birth8, const char *seq3, char out[19])
{
    snprintf(out, 19, "500110%s%s", birth8, seq3);
    out[17] = ms_idcard_check_char(out);
    out[18] = '\0';
}

static void add_people(struct store *st)
{
    for (size_t i = 0; i < N_PEOPLE; i++) {
        struct ms_err err = MS_ERR_INIT;
        make_id(people[i].birth8, people[i].seq, people[i].id);
        struct registry_resident_new in = {.name = people[i].name,
                                           .id_number = people[i].id,
                                           .phone = people[i].phone,
                                           .ethnicity = "汉族",
                                           .hukou_type = "rural",
                                           .residence = {VILLAGE, 0, "幸福村 3 组 12 号"}};
        if (registry_resident_create(st, "", &in, &test_actor, people[i].code, &err) != 0)
            fail_msg("create %s: %s", people[i].name, err.message);
    }
}

static int setup(void **state)
{
    fixture_setup(state);
    add_people(*state);
    return 0;
}

static char *write_file(const char *name, const char *text)
{
    static char path[400];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Writes text (UTF-8) as GB18030, with raw bytes `extra` appended verbatim. */
static char *write_gbk(const char *name, const char *text, const char *extra)
{
    static char path[400];
    char out[8192], *o = out, *in = (char *)(uintptr_t)text;
    size_t left = strlen(text), room = sizeof(out);
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &left, &o, &room) != (size_t)-1);
    iconv_close(cd);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(out, 1, (size_t)(o - out), f);
    fputs(extra, f);
    fclose(f);
    return path;
}

static int import(struct store *st, const char *feed, const char *path,
                  const struct exchange_import_opts *o, struct exchange_summary *sum,
                  struct ms_err *err)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    int rc = exchange_import(st, feed, "test.csv", f, &test_actor, o, sum, err);
    fclose(f);
    return rc;
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

static int64_t reason_count(const struct exchange_summary *s, const char *code)
{
    for (size_t i = 0; i < s->n_reasons; i++)
        if (!strcmp(s->reasons[i].code, code))
            return s->reasons[i].n;
    return 0;
}

static void set_policy(struct store *st, const char *key, const char *value)
{
    struct ms_err err = MS_ERR_INIT;
    struct policy_set_in in = {key, value, "2020-01-01", "test", NULL};
    if (policy_set(st, &in, &test_actor, &err) != 0)
        fail_msg("policy_set %s: %s", key, err.message);
}

/* The cremation file of the tests: one exact row, one homophone without an
 * ID number, one without birth date, four bad rows, one duplicate key. */
static char *cremation_file(void)
{
    char text[4096];
    snprintf(text, sizeof(text),
             "火化证号,逝者姓名,证件号码,性别,出生日期,死亡日期,火化日期,家属联系电话\n"
             "C001,张三,%s,男,1950-03-05,2026-10-01,2026-10-03,\n"
             "C002,章三,,男,1950-03-05,2026-10-02,2026-10-04,15400001111\n"
             "C003,李秀英,,女,,2026-09-01,,\n"
             "C004,,,男,1950-01-01,2026-09-01,,\n"
             "C005,王建国,%s,男,1952-01-01,2026-13-01,,\n"
             "C006,王建国,%s,男,1952-01-01,2099-01-01,,\n"
             "C007,赵六,12345,男,1950-01-01,2026-01-01,,\n"
             "C001,张三,%s,男,1950-03-05,2026-10-01,2026-10-03,\n",
             people[0].id, people[2].id, people[2].id, people[0].id);
    return strdup(write_file("cremation.csv", text));
}

static void test_feeds_all_parse(void **state)
{
    const struct feed_def *defs;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    (void)state;
    assert_int_equal(exchange_feeds(&defs, &n, &err), 0);
    assert_int_equal(n, 17);
    for (size_t i = 0; i < n; i++) {
        assert_true(defs[i].n_key >= 1);
        assert_true(defs[i].n_columns >= 4);
        if (i)
            assert_true(strcmp(defs[i - 1].name, defs[i].name) < 0);
    }
    assert_non_null(exchange_feed_find("death_police", &err));
    assert_true(exchange_feed_find("vehicle", &err)->is_gbk);
    assert_true(exchange_feed_find("medical_settlement", &err)->is_jsonl);
    assert_null(exchange_feed_find("nope", &err));
    assert_int_equal(err.code, MS_ENOTFOUND);
}

static void test_import_checks_rows_links_and_quarantines(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    char *path = cremation_file();
    if (import(st, "cremation", path, NULL, &sum, &err) != 0)
        fail_msg("import: %s", err.message);
    assert_int_equal(sum.rows_read, 8);
    assert_int_equal(sum.accepted, 3);
    assert_int_equal(sum.duplicate, 1);
    assert_int_equal(sum.quarantined, 4);
    assert_int_equal(reason_count(&sum, "missing_value"), 1);
    assert_int_equal(reason_count(&sum, "bad_date"), 1);
    assert_int_equal(reason_count(&sum, "date_in_future"), 1);
    assert_int_equal(reason_count(&sum, "bad_id_number"), 1);
    assert_int_equal(sum.linked_exact, 1);
    assert_int_equal(sum.linked_exact + sum.linked_probabilistic + sum.sent_to_review +
                         sum.not_linked,
                     3);
    assert_string_equal(sum.status, "done");
    /* The exact row is linked to 张三, with its evidence kept. */
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records e JOIN residents r"
                               " ON r.id = e.resident_id WHERE e.natural_key = 'C001'"
                               " AND e.link_method = 'exact' AND r.name = '张三'"
                               " AND e.link_evidence LIKE '[4,%' AND e.link_weight_mb IS NULL"),
                     1);
    /* ID numbers are sealed in the records and in the quarantine. */
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records WHERE id_number_sealed"
                               " LIKE '%500110%'"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_quarantine WHERE raw_sealed"
                               " LIKE '%500110%' OR raw_sealed LIKE '%王建国%'"),
                     0);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action = 'exchange.import'"),
                     1);
    /* The same file again changes nothing. */
    int64_t records = count(st, "SELECT count(*) FROM exchange_records");
    struct exchange_summary again;
    assert_int_equal(import(st, "cremation", path, NULL, &again, &err), 0);
    assert_true(again.already_imported);
    assert_int_equal(again.batch_id, sum.batch_id);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records"), records);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_quarantine"), 4);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_batches"), 1);
    free(path);
}

static void test_header_without_required_column_is_refused(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    char *path = write_file("bad_header.csv", "火化证号,姓名\nC1,张三\n");
    assert_int_equal(import(st, "cremation", path, NULL, &sum, &err), MS_EFIELD);
    assert_string_equal(err.field, "逝者姓名");
    assert_non_null(strstr(err.message_zh, "逝者姓名"));
    path = write_file("empty.csv", "");
    ms_err_init(&err);
    assert_int_equal(import(st, "cremation", path, NULL, &sum, &err), MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(import(st, "no_such_feed", path, NULL, &sum, &err), MS_ENOTFOUND);
}

static void test_gbk_file_with_bad_bytes_and_values(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    char text[4096];
    snprintf(text, sizeof(text),
             "发放流水号,姓名,身份证号码,性别,出生日期,险种,发放年月,发放金额,发放日期\r\n"
             "P1,王建国,%s,男,19520101,企业职工基本养老保险,202610,3120.50,20261015\r\n"
             "P2,王建国,%s,男,19520101,企业职工基本养老保险,202613,3120.50,20261015\r\n"
             "P3,王建国,%s,男,19520101,企业职工基本养老保险,202609,-5.00,20260915\r\n"
             "P4,王建国,%s,男,19520101,商业保险,202608,10.00,20260815\r\n",
             people[2].id, people[2].id, people[2].id, people[2].id);
    /* a fifth row whose name is not valid GB18030 */
    char *path = write_gbk("pension.csv", text, "P5,\x81\x30,,,,企业职工基本养老保险,202607,1.00,20260715\r\n");
    if (import(st, "pension_payment", path, NULL, &sum, &err) != 0)
        fail_msg("import: %s", err.message);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.accepted, 1);
    assert_int_equal(reason_count(&sum, "bad_month"), 1);
    assert_int_equal(reason_count(&sum, "negative_amount"), 1);
    assert_int_equal(reason_count(&sum, "bad_enum"), 1);
    assert_int_equal(reason_count(&sum, "bad_encoding"), 1);
    assert_int_equal(sum.linked_exact, 1);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records WHERE period = '2026-10'"
                               " AND amount_fen = 312050 AND category = 'employee_pension'"
                               " AND fact_date = '2026-10-15'"),
                     1);
}

/* A CSV row with more fields than the header, and a JSON Lines line that
 * is not an object, are quarantined; the good lines around them are not. */
static void test_row_shapes_are_quarantined(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    char text[2048];
    snprintf(text, sizeof(text),
             "火化证号,逝者姓名,证件号码,性别,出生日期,死亡日期,火化日期,家属联系电话\n"
             "W1,张三,%s,男,1950-03-05,2026-10-01,2026-10-03,\n"
             "W2,张三,%s,男,1950-03-05,2026-10-01,2026-10-03,,extra\n",
             people[0].id, people[0].id);
    assert_int_equal(import(st, "cremation", write_file("shapes.csv", text), NULL, &sum, &err), 0);
    assert_int_equal(sum.accepted, 1);
    assert_int_equal(reason_count(&sum, "wrong_field_count"), 1);
    snprintf(text, sizeof(text),
             "{\"cert_no\":\"J1\",\"name\":\"王建国\",\"id_number\":\"%s\","
             "\"death_date\":\"2026-10-01\"}\n"
             "not json at all\n"
             "[1,2,3]\n",
             people[2].id);
    assert_int_equal(import(st, "death_certificate", write_file("shapes.jsonl", text), NULL,
                            &sum, &err),
                     0);
    assert_int_equal(sum.rows_read, 3);
    assert_int_equal(sum.accepted, 1);
    assert_int_equal(sum.linked_exact, 1);
    assert_int_equal(reason_count(&sum, "bad_json"), 2);
}

static void test_interrupted_import_resumes(void **state)
{
    struct store *st = *state;
    struct exchange_summary part, sum;
    struct ms_err err = MS_ERR_INIT;
    struct exchange_import_opts o = {.chunk_rows = 2, .pause_after_chunks = 2};
    char *path = cremation_file();
    assert_int_equal(import(st, "cremation", path, &o, &part, &err), 0);
    assert_string_equal(part.status, "loading");
    assert_int_equal(part.rows_read, 4);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records"
                               " WHERE link_method <> 'pending'"),
                     0);
    o.pause_after_chunks = 0;
    assert_int_equal(import(st, "cremation", path, &o, &sum, &err), 0);
    assert_true(sum.resumed);
    assert_int_equal(sum.batch_id, part.batch_id);
    assert_int_equal(sum.rows_read, 8);
    assert_int_equal(sum.accepted, 3);
    assert_int_equal(sum.duplicate, 1);
    assert_int_equal(sum.quarantined, 4);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records"), 3);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_quarantine"), 4);
    free(path);
}

/* With no automatic links allowed, the homophone row waits for a person. */
static void test_review_accept_links_and_is_audited(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    struct exchange_page_query q = {.page = 1, .page_size = 20};
    struct audit_entry read;
    struct ms_arena a;
    json_t *list, *out;
    char *path = cremation_file();
    set_policy(st, "exchange.link_match_probability", "2"); /* never reached */
    set_policy(st, "exchange.link_review_probability", "0");
    assert_int_equal(import(st, "cremation", path, NULL, &sum, &err), 0);
    assert_true(sum.sent_to_review >= 1);
    ms_arena_init(&a, 4096);
    assert_int_equal(exchange_reviews_list(st, "", &q, &a, &list, &read, &err), 0);
    json_t *items = json_object_get(list, "items");
    int64_t review_id = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *rec = json_object_get(it, "record");
        if (!strcmp(json_string_value(json_object_get(rec, "name")), "章三") &&
            !strcmp(json_string_value(json_object_get(json_object_get(it, "resident"), "code")),
                    people[0].code))
            review_id = json_integer_value(json_object_get(it, "id"));
        /* masked on both sides */
        assert_null(strstr(json_string_value(json_object_get(json_object_get(it, "resident"),
                                                             "id_number")),
                           people[0].id));
        assert_non_null(json_object_get(json_object_get(it, "evidence"), "fields"));
    }
    assert_true(review_id > 0);
    assert_string_equal(read.action, "exchange.review.list");
    /* a town outside the village's does not see it */
    json_t *other;
    assert_int_equal(exchange_reviews_list(st, "500110102", &q, &a, &other, &read, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(other, "total")), 0);
    json_decref(other);
    /* reject needs a reason; accept links */
    assert_int_equal((ms_err_init(&err), exchange_review_decide(st, "", review_id, "reject", NULL, &test_actor, &a,
                                            &out, &err)),
                     MS_EMISSING);
    assert_int_equal((ms_err_init(&err), exchange_review_decide(st, "", review_id, "maybe", NULL, &test_actor, &a,
                                            &out, &err)),
                     MS_EFIELD);
    assert_int_equal((ms_err_init(&err), exchange_review_decide(st, "500110102", review_id, "accept", NULL,
                                            &test_actor, &a, &out, &err)),
                     MS_ENOTFOUND);
    assert_int_equal((ms_err_init(&err), exchange_review_decide(st, "", review_id, "accept", NULL, &test_actor, &a,
                                            &out, &err)),
                     0);
    json_decref(out);
    assert_int_equal((ms_err_init(&err), exchange_review_decide(st, "", review_id, "accept", NULL, &test_actor, &a,
                                            &out, &err)),
                     MS_ECONFLICT);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records e JOIN residents r ON"
                               " r.id = e.resident_id WHERE e.natural_key = 'C002' AND"
                               " e.link_method = 'clerical' AND r.name = '张三'"),
                     1);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log"
                               " WHERE action = 'exchange.review.accept'"),
                     1);
    json_decref(list);
    ms_arena_release(&a);
    free(path);
}

static void test_quarantine_resubmit_and_dismiss(void **state)
{
    struct store *st = *state;
    struct exchange_summary sum;
    struct ms_err err = MS_ERR_INIT;
    struct exchange_page_query q = {.status = "open", .page = 1, .page_size = 20};
    struct audit_entry read;
    struct ms_arena a;
    json_t *list, *row, *out, *values;
    int64_t bad_date = 0, future = 0;
    char *path = cremation_file();
    assert_int_equal(import(st, "cremation", path, NULL, &sum, &err), 0);
    assert_int_equal(exchange_quarantine_list(st, &q, &list, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 4);
    json_t *items = json_object_get(list, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        const char *reason = json_string_value(json_object_get(it, "reason_code"));
        if (!strcmp(reason, "bad_date"))
            bad_date = json_integer_value(json_object_get(it, "id"));
        if (!strcmp(reason, "date_in_future"))
            future = json_integer_value(json_object_get(it, "id"));
        assert_string_equal(json_string_value(json_object_get(it, "file_name")), "test.csv");
        assert_true(json_string_length(json_object_get(it, "reason_zh")) > 0);
    }
    assert_true(bad_date && future);
    ms_arena_init(&a, 4096);
    assert_int_equal(exchange_quarantine_get(st, bad_date, &a, &row, &read, &err), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(row, "values"),
                                                          "死亡日期")),
                        "2026-13-01");
    assert_string_equal(read.action, "exchange.quarantine.read");
    json_decref(row);
    /* a correction that is still wrong is refused and changes nothing */
    values = json_pack("{s:s}", "死亡日期", "2026-02-30");
    assert_int_equal((ms_err_init(&err), exchange_quarantine_resubmit(st, bad_date, values, &test_actor, &a, &out,
                                                  &err)),
                     MS_EFIELD);
    assert_string_equal(err.field, "死亡日期");
    json_decref(values);
    values = json_pack("{s:s}", "no such column", "x");
    assert_int_equal((ms_err_init(&err), exchange_quarantine_resubmit(st, bad_date, values, &test_actor, &a, &out,
                                                  &err)),
                     MS_EFIELD);
    json_decref(values);
    /* the right one is stored and linked exactly (王建国 has a valid ID) */
    values = json_pack("{s:s}", "死亡日期", "2026-11-01");
    if ((ms_err_init(&err), exchange_quarantine_resubmit(st, bad_date, values, &test_actor, &a, &out, &err)) != 0)
        fail_msg("resubmit: %s", err.message);
    assert_string_equal(json_string_value(json_object_get(out, "link_method")), "exact");
    json_decref(out);
    assert_int_equal((ms_err_init(&err), exchange_quarantine_resubmit(st, bad_date, values, &test_actor, &a, &out,
                                                  &err)),
                     MS_ECONFLICT);
    json_decref(values);
    assert_int_equal(count(st, "SELECT count(*) FROM exchange_records WHERE natural_key = 'C005'"
                               " AND fact_date = '2026-11-01' AND link_method = 'exact'"),
                     1);
    struct exchange_summary after;
    assert_int_equal(exchange_batch_summary(st, sum.batch_id, &after, &err), 0);
    assert_int_equal(after.accepted, sum.accepted + 1);
    assert_int_equal(after.quarantined, sum.quarantined - 1);
    assert_int_equal(after.linked_exact, sum.linked_exact + 1);
    /* dismissing needs a reason */
    assert_int_equal((ms_err_init(&err), exchange_quarantine_dismiss(st, future, "", &test_actor, &out, &err)),
                     MS_EMISSING);
    assert_int_equal((ms_err_init(&err), exchange_quarantine_dismiss(st, future, "与医院证明重复", &test_actor, &out,
                                                 &err)),
                     0);
    json_decref(out);
    assert_int_equal((ms_err_init(&err), exchange_quarantine_dismiss(st, future, "again", &test_actor, &out, &err)),
                     MS_ECONFLICT);
    assert_int_equal((ms_err_init(&err), exchange_quarantine_dismiss(st, 999999, "x", &test_actor, &out, &err)),
                     MS_ENOTFOUND);
    assert_int_equal(count(st, "SELECT count(*) FROM audit_log WHERE action LIKE"
                               " 'exchange.quarantine.%'"),
                     2);
    json_decref(list);
    ms_arena_release(&a);
    free(path);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ms_exchange_test_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(key_path, sizeof(key_path), "%s/test.key", dir);
    registry_set_key_file(key_path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feeds_all_parse),
        cmocka_unit_test_setup_teardown(test_import_checks_rows_links_and_quarantines, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_header_without_required_column_is_refused, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_gbk_file_with_bad_bytes_and_values, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_row_shapes_are_quarantined, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_import_resumes, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_review_accept_links_and_is_audited, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_quarantine_resubmit_and_dismiss, setup,
                                        fixture_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    registry_unload_key();
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
