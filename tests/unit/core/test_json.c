/*
 * test_json.c - src/core/json.c: strict reading of untrusted JSON (duplicate
 * keys, invalid UTF-8, unknown keys), typed getters with bounds counted in
 * characters, the UTF-8 validator, and compact writing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

#include "core/banned.h"

static json_t *parse_ok(const char *text)
{
    struct ms_err err = MS_ERR_INIT;
    json_t *v = NULL;
    assert_int_equal(ms_json_parse(text, strlen(text), &v, &err), 0);
    assert_non_null(v);
    return v;
}

static int parse_code(const char *text, size_t len)
{
    struct ms_err err = MS_ERR_INIT;
    json_t *v = NULL;
    int rc = ms_json_parse(text, len, &v, &err);
    assert_int_equal(rc, err.code);
    assert_null(v);
    return rc;
}

static void test_json_parse_accepts_an_object(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"name\":\"张三\",\"n\":3}");
    assert_true(json_is_object(v));
    json_decref(v);
}

static void test_json_parse_refuses_duplicate_keys(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    json_t *v = NULL;
    const char *text = "{\"amount\":1,\"amount\":2}";
    assert_int_equal(ms_json_parse(text, strlen(text), &v, &err), MS_EJSON);
    assert_non_null(strstr(err.message, "duplicate"));
}

static void test_json_parse_refuses_invalid_utf8_with_eutf8(void **state)
{
    (void)state;
    const char bad[] = "{\"name\":\"\xe5\xbc\"}";   /* truncated 张 */
    const char overlong[] = "{\"k\":\"\xc0\xaf\"}"; /* overlong '/' */
    assert_int_equal(parse_code(bad, sizeof(bad) - 1), MS_EUTF8);
    assert_int_equal(parse_code(overlong, sizeof(overlong) - 1), MS_EUTF8);
}

static void test_json_parse_refuses_nul_and_syntax_errors(void **state)
{
    (void)state;
    const char *nul = "{\"k\":\"a\\u0000b\"}";
    assert_true(parse_code(nul, strlen(nul)) < 0);
    assert_int_equal(parse_code("{\"k\":", 5), MS_EJSON);
    assert_int_equal(parse_code("{'k':1}", 7), MS_EJSON);
    assert_int_equal(parse_code("", 0), MS_EJSON);
    assert_int_equal(parse_code("{} trailing", 11), MS_EJSON);
}

static void test_json_object_check_refuses_unknown_keys(void **state)
{
    (void)state;
    static const char *const allowed[] = {"name", "id_number", NULL};
    json_t *ok = parse_ok("{\"name\":\"a\",\"id_number\":\"b\"}");
    json_t *typo = parse_ok("{\"name\":\"a\",\"id_numbr\":\"b\"}");
    json_t *array = parse_ok("[1]");
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_json_object_check(ok, allowed, &err), 0);
    assert_int_equal(ms_json_object_check(typo, allowed, &err), MS_EFIELD);
    assert_non_null(strstr(err.message, "id_numbr"));
    assert_true(err.message_zh[0] != '\0');
    ms_err_init(&err);
    assert_int_equal(ms_json_object_check(array, allowed, &err), MS_EJSON);
    json_decref(ok);
    json_decref(typo);
    json_decref(array);
}

static void test_json_get_str_counts_characters_not_bytes(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"name\":\"万盛经开区\"}"); /* 5 characters, 15 bytes */
    struct ms_err err = MS_ERR_INIT;
    const char *s = NULL;
    assert_int_equal(ms_json_get_str(v, "name", 1, 5, &s, &err), 0);
    assert_string_equal(s, "万盛经开区");
    assert_int_equal(ms_json_get_str(v, "name", 1, 4, &s, &err), MS_EFIELD);
    assert_string_equal(err.field, "name");
    assert_non_null(strstr(err.message, "5 characters"));
    assert_int_equal(ms_utf8_chars("万盛经开区"), 5);
    assert_int_equal(ms_utf8_chars("ab"), 2);
    json_decref(v);
}

static void test_json_get_str_missing_and_wrong_type(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"n\":1,\"empty\":\"\",\"nul\":null}");
    struct ms_err err = MS_ERR_INIT;
    const char *s = "x";
    assert_int_equal(ms_json_get_str(v, "absent", 0, 10, &s, &err), 0);
    assert_null(s);
    assert_int_equal(ms_json_get_str(v, "nul", 0, 10, &s, &err), 0);
    assert_null(s);
    assert_int_equal(ms_json_get_str(v, "absent", 1, 10, &s, &err), MS_EMISSING);
    assert_string_equal(err.field, "absent");
    ms_err_init(&err);
    assert_int_equal(ms_json_get_str(v, "empty", 1, 10, &s, &err), MS_EMISSING);
    ms_err_init(&err);
    assert_int_equal(ms_json_get_str(v, "n", 1, 10, &s, &err), MS_EFIELD);
    assert_string_equal(err.field, "n");
    json_decref(v);
}

static void test_json_get_int_checks_bounds(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"lo\":-5,\"hi\":100,\"big\":9223372036854775807,\"f\":1.5,"
                         "\"s\":\"7\"}");
    struct ms_err err = MS_ERR_INIT;
    int64_t n = 0;
    int present = -1;
    assert_int_equal(ms_json_get_int(v, "hi", 1, 0, 100, &n, &present, &err), 0);
    assert_int_equal(n, 100);
    assert_int_equal(present, 1);
    assert_int_equal(ms_json_get_int(v, "lo", 1, -5, 0, &n, NULL, &err), 0);
    assert_int_equal(n, -5);
    assert_int_equal(ms_json_get_int(v, "hi", 1, 0, 99, &n, NULL, &err), MS_EFIELD);
    assert_string_equal(err.field, "hi");
    assert_non_null(strstr(err.message, "between 0 and 99"));
    ms_err_init(&err);
    assert_int_equal(ms_json_get_int(v, "lo", 1, -4, 0, &n, NULL, &err), MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(ms_json_get_int(v, "big", 1, INT64_MIN, INT64_MAX, &n, NULL, &err), 0);
    assert_true(n == INT64_MAX);
    assert_int_equal(ms_json_get_int(v, "f", 1, 0, 10, &n, NULL, &err), MS_EFIELD);
    ms_err_init(&err);
    assert_int_equal(ms_json_get_int(v, "s", 1, 0, 10, &n, NULL, &err), MS_EFIELD);
    json_decref(v);
}

static void test_json_get_int_absent_optional_leaves_value(void **state)
{
    (void)state;
    json_t *v = parse_ok("{}");
    struct ms_err err = MS_ERR_INIT;
    int64_t n = 77;
    int present = -1;
    assert_int_equal(ms_json_get_int(v, "x", 0, 0, 10, &n, &present, &err), 0);
    assert_int_equal(n, 77);
    assert_int_equal(present, 0);
    assert_int_equal(ms_json_get_int(v, "x", 1, 0, 10, &n, &present, &err), MS_EMISSING);
    json_decref(v);
}

static void test_json_out_of_range_integers_are_refused_by_the_parser(void **state)
{
    (void)state;
    const char *text = "{\"n\":9223372036854775808}";
    assert_int_equal(parse_code(text, strlen(text)), MS_EJSON);
}

static void test_json_get_bool(void **state)
{
    (void)state;
    json_t *v = parse_ok("{\"t\":true,\"f\":false,\"n\":1}");
    struct ms_err err = MS_ERR_INIT;
    int b = -1;
    assert_int_equal(ms_json_get_bool(v, "t", 1, &b, &err), 0);
    assert_int_equal(b, 1);
    assert_int_equal(ms_json_get_bool(v, "f", 1, &b, &err), 0);
    assert_int_equal(b, 0);
    assert_int_equal(ms_json_get_bool(v, "n", 1, &b, &err), MS_EFIELD);
    json_decref(v);
}

static void test_json_utf8_validator_refuses_bad_sequences(void **state)
{
    (void)state;
    assert_true(ms_utf8_is_valid("张三 abc", strlen("张三 abc")));
    assert_true(ms_utf8_is_valid("\xf0\x9f\x98\x80", 4)); /* U+1F600 */
    assert_true(ms_utf8_is_valid("", 0));
    assert_false(ms_utf8_is_valid("\xe5\xbc", 2));         /* truncated */
    assert_false(ms_utf8_is_valid("\xc0\x80", 2));         /* overlong NUL */
    assert_false(ms_utf8_is_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(ms_utf8_is_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(ms_utf8_is_valid("\x80", 1));             /* stray continuation */
    assert_false(ms_utf8_is_valid("a\0b", 3));             /* NUL byte */
}

static void test_json_dump_writes_compact_json_in_insertion_order(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s,s:i,s:[b,n]}", "name", "张三", "n", 3, "a", 1);
    struct ms_str out = MS_STR_INIT;
    ms_json_dump(v, &out);
    assert_string_equal(out.buf, "{\"name\":\"张三\",\"n\":3,\"a\":[true,null]}");
    ms_str_release(&out);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse_accepts_an_object),
        cmocka_unit_test(test_json_parse_refuses_duplicate_keys),
        cmocka_unit_test(test_json_parse_refuses_invalid_utf8_with_eutf8),
        cmocka_unit_test(test_json_parse_refuses_nul_and_syntax_errors),
        cmocka_unit_test(test_json_object_check_refuses_unknown_keys),
        cmocka_unit_test(test_json_get_str_counts_characters_not_bytes),
        cmocka_unit_test(test_json_get_str_missing_and_wrong_type),
        cmocka_unit_test(test_json_get_int_checks_bounds),
        cmocka_unit_test(test_json_get_int_absent_optional_leaves_value),
        cmocka_unit_test(test_json_out_of_range_integers_are_refused_by_the_parser),
        cmocka_unit_test(test_json_get_bool),
        cmocka_unit_test(test_json_utf8_validator_refuses_bad_sequences),
        cmocka_unit_test(test_json_dump_writes_compact_json_in_insertion_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
