/*
 * test_err.c - src/core/err.c: the first error wins, fields and Chinese
 * text, and the code table (names, HTTP statuses, default messages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h"

/* Every code of the table, from the table itself. */
#define CODE_(name, num, code, status, zh, en) MS_##name,
static const int all_codes[] = {MS_ERRNO_MAP(CODE_)};
#undef CODE_
#define N_CODES (sizeof(all_codes) / sizeof(all_codes[0]))

static void test_err_set_returns_the_code_and_fills_the_message(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(ms_err_set(&err, MS_ENOTFOUND, "resident '%s' not found", "r42"),
                     MS_ENOTFOUND);
    assert_int_equal(err.code, MS_ENOTFOUND);
    assert_string_equal(err.message, "resident 'r42' not found");
    assert_string_equal(err.field, "");
    assert_string_equal(err.message_zh, "");
}

static void test_err_first_error_wins(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    ms_err_field(&err, MS_EFIELD, "id_number", "first");
    ms_err_zh(&err, "第一个");
    assert_int_equal(ms_err_set(&err, MS_EDB, "second"), MS_EDB); /* returns its own code */
    ms_err_field(&err, MS_EMISSING, "other", "third");
    ms_err_zh(&err, "第二个");
    assert_int_equal(err.code, MS_EFIELD);
    assert_string_equal(err.message, "first");
    assert_string_equal(err.field, "id_number");
    assert_string_equal(err.message_zh, "第一个");
}

static void test_err_zh_needs_an_error_first(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    ms_err_zh(&err, "没有错误");
    assert_string_equal(err.message_zh, "");
    assert_int_equal(err.code, 0);
}

static void test_err_null_err_is_allowed(void **state)
{
    (void)state;
    assert_int_equal(ms_err_set(NULL, MS_EIO, "x"), MS_EIO);
    assert_int_equal(ms_err_field(NULL, MS_EFIELD, "f", "x"), MS_EFIELD);
    ms_err_zh(NULL, "x");
}

static void test_err_init_clears_a_used_err(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    ms_err_field(&err, MS_EFIELD, "f", "m");
    ms_err_zh(&err, "z");
    ms_err_init(&err);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.message, "");
    assert_string_equal(err.message_zh, "");
    assert_string_equal(err.field, "");
    ms_err_set(&err, MS_EIO, "now this");
    assert_string_equal(err.message, "now this");
}

static void test_err_long_messages_are_cut_not_overflowed(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    char big[1000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ms_err_field(&err, MS_EFIELD, big, "%s", big);
    assert_int_equal(strlen(err.message), MS_ERR_MSG_MAX - 1);
    assert_int_equal(strlen(err.field), MS_ERR_FIELD_MAX - 1);
}

static void test_err_every_code_has_a_name_status_and_messages(void **state)
{
    (void)state;
    assert_true(N_CODES >= 26);
    for (size_t i = 0; i < N_CODES; i++) {
        int code = all_codes[i];
        assert_true(code < 0);
        assert_true(ms_err_http_status(code) >= 400);
        assert_true(ms_err_http_status(code) <= 599);
        assert_true(ms_err_code_name(code)[0] != '\0');
        assert_true(ms_err_default_zh(code)[0] != '\0');
        assert_true(ms_err_default_en(code)[0] != '\0');
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal(code, all_codes[j]);
            assert_string_not_equal(ms_err_code_name(code), ms_err_code_name(all_codes[j]));
        }
    }
}

static void test_err_table_lookups_give_known_values(void **state)
{
    (void)state;
    assert_int_equal(MS_EINVAL, -1);
    assert_string_equal(ms_err_code_name(MS_EFIELD), "invalid_field");
    assert_int_equal(ms_err_http_status(MS_EFIELD), 400);
    assert_int_equal(ms_err_http_status(MS_EAUTH), 401);
    assert_int_equal(ms_err_http_status(MS_EFORBIDDEN), 403);
    assert_int_equal(ms_err_http_status(MS_ENOTFOUND), 404);
    assert_int_equal(ms_err_http_status(MS_ECONFLICT), 409);
    assert_int_equal(ms_err_http_status(MS_ETOOBIG), 413);
    assert_int_equal(ms_err_http_status(MS_ERATE), 429);
    assert_int_equal(ms_err_http_status(MS_EDB), 500);
    assert_string_equal(ms_err_default_zh(MS_ENOTFOUND), "请求的资源不存在");
    assert_string_equal(ms_err_default_en(MS_EUTF8), "text is not valid UTF-8");
}

static void test_err_unknown_codes_map_to_internal_error(void **state)
{
    (void)state;
    assert_string_equal(ms_err_code_name(-9999), "internal_error");
    assert_int_equal(ms_err_http_status(-9999), 500);
    assert_string_equal(ms_err_code_name(0), "internal_error");
    assert_string_equal(ms_err_default_en(12345), "internal error");
}

static void test_err_display_prefers_specific_text(void **state)
{
    (void)state;
    struct ms_err err = MS_ERR_INIT;
    ms_err_set(&err, MS_ENOTFOUND, "resident 'r1' not found");
    assert_string_equal(ms_err_display(&err, 0), "请求的资源不存在");
    assert_string_equal(ms_err_display(&err, 1), "resident 'r1' not found");
    ms_err_zh(&err, "未找到该居民");
    assert_string_equal(ms_err_display(&err, 0), "未找到该居民");
    struct ms_err bare = MS_ERR_INIT;
    bare.code = MS_EIO;
    assert_string_equal(ms_err_display(&bare, 1), "input/output error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_set_returns_the_code_and_fills_the_message),
        cmocka_unit_test(test_err_first_error_wins),
        cmocka_unit_test(test_err_zh_needs_an_error_first),
        cmocka_unit_test(test_err_null_err_is_allowed),
        cmocka_unit_test(test_err_init_clears_a_used_err),
        cmocka_unit_test(test_err_long_messages_are_cut_not_overflowed),
        cmocka_unit_test(test_err_every_code_has_a_name_status_and_messages),
        cmocka_unit_test(test_err_table_lookups_give_known_values),
        cmocka_unit_test(test_err_unknown_codes_map_to_internal_error),
        cmocka_unit_test(test_err_display_prefers_specific_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
