/*
 * test_placenames.c - standard place names: validation naming each field,
 * search by hanzi, pinyin, initials and region code, children, the CSV import
 * (idempotent, all or nothing), audit entries and the GeoJSON layer.
 */
#include "module_fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"
#include "modules/audit/audit.h"
#include "modules/placenames/placenames.h"

#define SQUARE "[[[106.9,28.9],[106.95,28.9],[106.95,28.95],[106.9,28.95],[106.9,28.9]]]"

struct seed {
    int64_t district, town, village, community, road, street;
};

static int64_t add(struct store *st, const char *kind, const char *name, const char *code,
                   int64_t parent)
{
    struct ms_err err = MS_ERR_INIT;
    struct place_in in = {.kind = kind,
                          .name = name,
                          .region_code = code,
                          .parent_id = parent,
                          .has_coords = 1,
                          .lng_microdeg = 106900000,
                          .lat_microdeg = 28950000,
                          .is_synthetic = 1};
    int64_t id = 0;
    if (placenames_add(st, &in, &test_actor, &id, &err) != 0)
        fail_msg("add %s: %s (%s)", name, err.message, err.field);
    return id;
}

static void seed(struct store *st, struct seed *s)
{
    s->district = add(st, "district", "万盛经开区", "500110000000", 0);
    s->town = add(st, "town", "万东镇", "500110101000", s->district);
    s->village = add(st, "village", "青山村", "500110101201", s->town);
    s->community = add(st, "community", "红岩社区", "500110101001", s->town);
    s->road = add(st, "road", "建设路", NULL, s->town);
    s->street = add(st, "street", "万盛街道", "500110001000", s->district);
}

static int64_t audit_count(struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    struct audit_verify_result res;
    assert_int_equal(audit_verify(st, &res, &err), 0);
    return res.entries;
}

static void test_add_names_the_field_at_fault(void **state)
{
    struct store *st = *state;
    struct seed s;
    seed(st, &s);
    int64_t before = audit_count(st);
    const char *long_name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                            "一二三四五六七八九十一二三四五六七八九十一";
    struct {
        struct place_in in;
        int code;
        const char *field;
    } cases[] = {
        {{.name = "甲"}, MS_EMISSING, "kind"},
        {{.kind = "city", .name = "甲"}, MS_EFIELD, "kind"},
        {{.kind = "village", .name = "", .parent_id = s.town}, MS_EMISSING, "name"},
        {{.kind = "village", .name = long_name, .parent_id = s.town}, MS_EFIELD, "name"},
        {{.kind = "town", .name = "甲镇", .region_code = "5001", .parent_id = s.district},
         MS_EFIELD,
         "region_code"},
        {{.kind = "town", .name = "甲镇", .region_code = "500222101000", .parent_id = s.district},
         MS_EFIELD,
         "region_code"},
        {{.kind = "village", .name = "甲村", .region_code = "500110101000", .parent_id = s.town},
         MS_EFIELD,
         "region_code"},
        {{.kind = "road", .name = "甲路", .region_code = "500110101301", .parent_id = s.town},
         MS_EFIELD,
         "region_code"},
        {{.kind = "village", .name = "甲村"}, MS_EMISSING, "parent_id"},
        {{.kind = "village", .name = "甲村", .parent_id = s.district}, MS_EFIELD, "kind"},
        {{.kind = "village", .name = "甲村", .parent_id = 99999}, MS_ENOTFOUND, "parent_id"},
        {{.kind = "village",
          .name = "甲村",
          .parent_id = s.town,
          .has_coords = 1,
          .lng_microdeg = 200000000,
          .lat_microdeg = 28950000},
         MS_EFIELD,
         "lng"},
        {{.kind = "village",
          .name = "甲村",
          .parent_id = s.town,
          .has_coords = 1,
          .lng_microdeg = 106900000,
          .lat_microdeg = 60000000},
         MS_EFIELD,
         "lat"},
        {{.kind = "village",
          .name = "甲村",
          .parent_id = s.town,
          .outline = "[[[106.9,28.9],[106.95,28.9],[106.95,28.95],[106.9,28.95]]]"},
         MS_EFIELD,
         "outline"},
        {{.kind = "village", .name = "甲村", .parent_id = s.town, .outline = "{\"a\":1}"},
         MS_EFIELD,
         "outline"},
        {{.kind = "village", .name = "甲村", .region_code = "500110101201", .parent_id = s.town},
         MS_EEXISTS,
         "region_code"},
        {{.kind = "village", .name = "青山村", .parent_id = s.town}, MS_EEXISTS, "name"},
        {{.kind = "district", .name = "万盛经开区"}, MS_EEXISTS, "name"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        int64_t id;
        int rc = placenames_add(st, &cases[i].in, &test_actor, &id, &err);
        if (rc != cases[i].code || strcmp(err.field, cases[i].field) != 0)
            fail_msg("case %zu: got %d '%s' (%s), want %d '%s'", i, rc, err.field, err.message,
                     cases[i].code, cases[i].field);
        assert_true(err.message_zh[0] != '\0');
    }
    assert_int_equal(audit_count(st), before);
}

static void test_each_add_is_audited_with_scope_inherited(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct seed s;
    struct place p;
    seed(st, &s);
    assert_int_equal(audit_count(st), 6);
    ms_arena_init(&a, 0);
    assert_int_equal(placenames_get(st, s.road, &a, &p, &err), 0);
    assert_string_equal(p.region_code, "");
    assert_string_equal(p.scope_code, "500110101000");
    assert_int_equal(p.lng_microdeg, 106900000);
    assert_string_equal(p.pinyin, "jianshelu");
    assert_string_equal(p.pinyin_initials, "jsl");
    assert_int_equal(placenames_get_by_code(st, "500110101201", &a, &p, &err), 0);
    assert_int_equal(p.id, s.village);
    assert_int_equal(placenames_get_by_ref(st, "500110101000", &a, &p, &err), 0);
    assert_int_equal(p.id, s.town);

    struct audit_filter f = {.action = "place.add", .limit = 10};
    struct audit_row *rows;
    size_t n;
    assert_int_equal(audit_query(st, &f, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 6);
    assert_string_equal(rows[0].object_type, "place");
    assert_string_equal(rows[0].actor, "tester");
    ms_arena_release(&a);
}

static size_t search(struct store *st, const char *q, const char *kind, const char *under,
                     struct ms_arena *a, struct place **v)
{
    struct ms_err err = MS_ERR_INIT;
    struct placenames_query query = {q, kind, under, 0};
    size_t n = 0;
    if (placenames_search(st, &query, a, v, &n, &err) != 0)
        fail_msg("search '%s': %s", q, err.message);
    return n;
}

static void test_search_by_hanzi_pinyin_initials_and_code(void **state)
{
    struct store *st = *state;
    struct ms_arena a;
    struct place *v;
    struct seed s;
    seed(st, &s);
    ms_arena_init(&a, 0);

    assert_int_equal(search(st, "青山", NULL, NULL, &a, &v), 1); /* hanzi prefix */
    assert_int_equal(v[0].id, s.village);
    assert_int_equal(search(st, "东", NULL, NULL, &a, &v), 1); /* hanzi substring */
    assert_int_equal(v[0].id, s.town);
    assert_int_equal(search(st, "qingsh", NULL, NULL, &a, &v), 1); /* pinyin prefix */
    assert_int_equal(v[0].id, s.village);
    assert_int_equal(search(st, "WanDong", NULL, NULL, &a, &v), 1); /* case ignored */
    assert_int_equal(v[0].id, s.town);
    assert_int_equal(search(st, "hysq", NULL, NULL, &a, &v), 1); /* initials */
    assert_int_equal(v[0].id, s.community);
    assert_int_equal(search(st, "wdz", NULL, NULL, &a, &v), 1);
    /* "wan" starts three pinyin keys; the shortest comes first. */
    assert_int_equal(search(st, "wan", NULL, NULL, &a, &v), 3);
    assert_int_equal(v[0].id, s.town);
    assert_int_equal(search(st, "500110101", NULL, NULL, &a, &v), 3); /* code prefix */
    assert_string_equal(v[0].region_code, "500110101000");
    assert_int_equal(search(st, "", "village", "500110101", &a, &v), 1);
    assert_int_equal(search(st, "", NULL, "500110101", &a, &v), 4); /* the road too */
    assert_int_equal(search(st, "", NULL, "500110001", &a, &v), 1);
    assert_int_equal(search(st, "%", NULL, NULL, &a, &v), 0); /* LIKE wildcards escaped */
    assert_int_equal(search(st, "不存在", NULL, NULL, &a, &v), 0);

    struct ms_err err = MS_ERR_INIT;
    struct placenames_query bad = {"x", NULL, "5001x", 0};
    size_t n;
    assert_int_equal(placenames_search(st, &bad, &a, &v, &n, &err), MS_EFIELD);
    assert_string_equal(err.field, "under");
    ms_arena_release(&a);
}

static void test_children_and_ancestors(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct place *v, p;
    size_t n;
    struct seed s;
    seed(st, &s);
    ms_arena_init(&a, 0);
    assert_int_equal(placenames_children(st, s.town, &a, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].name, "青山村"); /* villages, then communities, then roads */
    assert_string_equal(v[1].name, "红岩社区");
    assert_string_equal(v[2].name, "建设路");
    assert_int_equal(placenames_get(st, s.road, &a, &p, &err), 0);
    assert_int_equal(placenames_ancestors(st, &p, &a, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, s.district);
    assert_int_equal(v[1].id, s.town);
    assert_int_equal(placenames_children(st, 99999, &a, &v, &n, &err), MS_ENOTFOUND);

    int *depths;
    assert_int_equal(placenames_tree(st, "500110101", &a, &v, &depths, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, s.town);
    assert_int_equal(depths[0], 0);
    assert_int_equal(depths[3], 1);
    ms_arena_release(&a);
}

static void test_update_renames_and_guards_codes(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct place p;
    struct seed s;
    seed(st, &s);
    ms_arena_init(&a, 0);
    struct place_patch rename = {.name = "青松村", .aliases = " 老青山村 | 青山 "};
    assert_int_equal(placenames_update(st, s.village, &rename, &test_actor, &err), 0);
    assert_int_equal(placenames_get(st, s.village, &a, &p, &err), 0);
    assert_string_equal(p.pinyin, "qingsongcun");
    assert_string_equal(p.aliases, "老青山村|青山");
    assert_int_equal(p.version, 2);
    struct place *v;
    assert_int_equal(search(st, "老青", NULL, NULL, &a, &v), 1); /* found by alias */

    int64_t entries = audit_count(st);
    assert_int_equal(placenames_update(st, s.village, &rename, &test_actor, &err), 0);
    assert_int_equal(audit_count(st), entries); /* no change, no entry */

    struct place_patch recode = {.region_code = "500110102000"};
    assert_int_equal(placenames_update(st, s.town, &recode, &test_actor, &err), MS_ECONFLICT);
    assert_string_equal(err.field, "region_code");
    ms_err_init(&err);
    struct place_patch bad = {.region_code = "500110102201"};
    assert_int_equal(placenames_update(st, s.village, &bad, &test_actor, &err), MS_EFIELD);
    assert_string_equal(err.field, "region_code");
    ms_arena_release(&a);
}

static FILE *temp_csv(const char *text)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    fflush(f);
    return f;
}

static const char good_csv[] =
    "\xEF\xBB\xBFkind,name,region_code,parent_code,parent_name,aliases,lng,lat,outline,"
    "is_synthetic\n"
    "district,万盛经开区,500110000000,,,万盛,106.9,28.95,,1\n"
    "镇,万东镇,500110101000,500110000000,,,106.93,28.97,\"" SQUARE "\",1\n"
    "village,青山村,500110101201,500110101000,,,106.931,28.971,,1\n"
    "\n"
    "road,建设路,,500110101000,,,,,,1\n"
    "building,\"建设路1号, 东楼\",,500110101000,建设路,,106.932,28.972,,1\n";

static void test_import_twice_changes_nothing(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct placenames_import_stats stats;
    FILE *f = temp_csv(good_csv);
    assert_int_equal(placenames_import_csv(st, f, "good.csv", &test_actor, &stats, &err), 0);
    assert_int_equal(stats.rows, 5);
    assert_int_equal(stats.added, 5);
    int64_t entries = audit_count(st);
    assert_int_equal(entries, 6); /* five place.add and one place.import */

    assert_int_equal(placenames_import_csv(st, f, "good.csv", &test_actor, &stats, &err), 0);
    assert_int_equal(stats.rows, 5);
    assert_int_equal(stats.added, 0);
    assert_int_equal(stats.updated, 0);
    assert_int_equal(stats.unchanged, 5);
    assert_int_equal(audit_count(st), entries);
    fclose(f);

    /* A changed coordinate updates that row only. */
    f = temp_csv("kind,name,region_code,parent_code,lng,lat,is_synthetic\n"
                 "village,青山村,500110101201,500110101000,106.935,28.971,1\n");
    assert_int_equal(placenames_import_csv(st, f, "fix.csv", &test_actor, &stats, &err), 0);
    assert_int_equal(stats.updated, 1);
    fclose(f);

    struct ms_arena a;
    struct place p, *v;
    ms_arena_init(&a, 0);
    assert_int_equal(placenames_get_by_code(st, "500110101201", &a, &p, &err), 0);
    assert_int_equal(p.lng_microdeg, 106935000);
    assert_int_equal(search(st, "建设路1号", NULL, NULL, &a, &v), 1);
    assert_string_equal(v[0].name, "建设路1号, 东楼");
    assert_string_equal(v[0].scope_code, "500110101000");
    ms_arena_release(&a);
}

static void test_bad_row_aborts_the_whole_file(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct placenames_import_stats stats;
    struct ms_arena a;
    struct place *v;
    FILE *f = temp_csv("kind,name,region_code,parent_code\n"
                       "district,万盛经开区,500110000000,\n"
                       "town,万东镇,500110101000,500110000000\n"
                       "village,青山村,50011010120,500110101000\n");
    assert_int_equal(placenames_import_csv(st, f, "bad.csv", &test_actor, &stats, &err), MS_EFIELD);
    assert_string_equal(err.field, "row 4, column region_code");
    assert_non_null(strstr(err.message, "row 4"));
    assert_non_null(strstr(err.message_zh, "第 4 行"));
    fclose(f);
    ms_arena_init(&a, 0);
    assert_int_equal(search(st, "", NULL, NULL, &a, &v), 0);
    ms_arena_release(&a);
    assert_int_equal(audit_count(st), 0);

    static const struct {
        const char *csv, *field;
    } cases[] = {
        {"kind,name,colour\n", "row 1, column colour"},
        {"name\n", "row 1, column kind"},
        {"kind,name,parent_code\nvillage,甲村,500110999000\n", "row 2, column parent_code"},
        {"kind,name,lng,lat\ntown,甲镇,106.9,\n", "row 2, column lat"},
        {"kind,name,lng,lat\ntown,甲镇,east,28.9\n", "row 2, column lng"},
        {"类别,名称,是否虚构\n镇,甲镇,maybe\n", "row 2, column 是否虚构"},
        {"kind,name\ntown,\"\xff\xfe\"\n", "row 2, column name"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ms_err_init(&err);
        f = temp_csv(cases[i].csv);
        assert_true(placenames_import_csv(st, f, "bad.csv", &test_actor, &stats, &err) < 0);
        if (strcmp(err.field, cases[i].field) != 0)
            fail_msg("case %zu: field '%s' (%s), want '%s'", i, err.field, err.message,
                     cases[i].field);
        fclose(f);
    }
    ms_err_init(&err);
    f = temp_csv("kind,name\ntown,\"unterminated\n");
    assert_true(placenames_import_csv(st, f, "bad.csv", &test_actor, &stats, &err) < 0);
    fclose(f);
}

static void test_geojson_is_a_feature_collection(void **state)
{
    struct store *st = *state;
    struct ms_err err = MS_ERR_INIT;
    struct placenames_import_stats stats;
    struct ms_str out = MS_STR_INIT;
    FILE *f = temp_csv(good_csv);
    assert_int_equal(placenames_import_csv(st, f, "good.csv", &test_actor, &stats, &err), 0);
    fclose(f);
    assert_int_equal(placenames_geojson(st, "town", NULL, &out, &err), 0);
    json_error_t jerr;
    json_t *fc = json_loads(out.buf, 0, &jerr);
    if (!fc)
        fail_msg("geojson does not parse: %s in %s", jerr.text, out.buf);
    assert_string_equal(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
    json_t *features = json_object_get(fc, "features");
    assert_int_equal(json_array_size(features), 1);
    json_t *feat = json_array_get(features, 0);
    json_t *props = json_object_get(feat, "properties");
    assert_string_equal(json_string_value(json_object_get(props, "name")), "万东镇");
    assert_string_equal(json_string_value(json_object_get(props, "region_code")), "500110101000");
    json_t *geom = json_object_get(feat, "geometry");
    assert_string_equal(json_string_value(json_object_get(geom, "type")), "Polygon");
    assert_int_equal(json_array_size(json_array_get(json_object_get(geom, "coordinates"), 0)), 5);
    assert_non_null(strstr(out.buf, "[106.95,28.95]")); /* exact decimals */
    json_decref(fc);
    ms_str_reset(&out);
    ms_str_reset(&out);
    assert_int_equal(placenames_geojson(st, "township", "500110", &out, &err), 0);
    assert_non_null(strstr(out.buf, "\"name\":\"万东镇\""));
    ms_str_reset(&out);
    assert_int_equal(placenames_geojson(st, "village", "500110001", &out, &err), 0);
    assert_string_equal(out.buf, "{\"type\":\"FeatureCollection\",\"features\":[]}");
    ms_str_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
        T(test_add_names_the_field_at_fault),
        T(test_each_add_is_audited_with_scope_inherited),
        T(test_search_by_hanzi_pinyin_initials_and_code),
        T(test_children_and_ancestors),
        T(test_update_renames_and_guards_codes),
        T(test_import_twice_changes_nothing),
        T(test_bad_row_aborts_the_whole_file),
        T(test_geojson_is_a_feature_collection),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
