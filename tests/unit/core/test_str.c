/*
 * test_str.c - src/core/str.c: the builder's invariants, the sticky byte
 * limit, formatted appends, and detach as the way to take the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#include "core/banned.h"

static void test_str_init_gives_an_empty_terminated_buffer(void **state)
{
    (void)state;
    struct ms_str s = MS_STR_INIT;
    assert_non_null(s.buf);
    assert_string_equal(s.buf, "");
    assert_int_equal(s.len, 0);
    ms_str_init(&s, 10);
    assert_string_equal(s.buf, "");
    ms_str_release(&s);
}

static void test_str_appends_grow_and_stay_terminated(void **state)
{
    (void)state;
    struct ms_str s = MS_STR_INIT;
    for (int i = 0; i < 1000; i++)
        ms_str_addch(&s, (char)('a' + i % 26));
    assert_int_equal(s.len, 1000);
    assert_int_equal(strlen(s.buf), 1000);
    assert_int_equal(s.buf[25], 'z');
    ms_str_adds(&s, "万盛");
    assert_int_equal(s.len, 1006);
    ms_str_add(&s, "xyz", 2);
    assert_string_equal(s.buf + 1006, "xy");
    ms_str_release(&s);
}

static void test_str_addf_formats(void **state)
{
    (void)state;
    struct ms_str s = MS_STR_INIT;
    ms_str_addf(&s, "%s=%d", "count", 42);
    ms_str_addf(&s, ";%05.1f", 3.14159);
    assert_string_equal(s.buf, "count=42;003.1");
    /* Long enough to need growth inside one call. */
    ms_str_addf(&s, "%300s|", "");
    assert_int_equal(s.len, 14 + 301);
    assert_int_equal(s.buf[s.len - 1], '|');
    ms_str_release(&s);
}

static void test_str_limit_makes_overflow_sticky(void **state)
{
    (void)state;
    struct ms_str s;
    ms_str_init(&s, 8);
    ms_str_adds(&s, "12345");
    assert_false(s.is_too_big);
    ms_str_adds(&s, "6789"); /* would make 9 bytes: refused whole */
    assert_true(s.is_too_big);
    assert_string_equal(s.buf, "12345");
    ms_str_addch(&s, 'x'); /* would fit, but the flag is sticky */
    ms_str_addf(&s, "%d", 1);
    assert_string_equal(s.buf, "12345");
    assert_true(s.is_too_big);
    ms_str_release(&s);
}

static void test_str_limit_allows_exactly_the_limit(void **state)
{
    (void)state;
    struct ms_str s;
    ms_str_init(&s, 8);
    ms_str_adds(&s, "12345678");
    assert_false(s.is_too_big);
    assert_int_equal(s.len, 8);
    ms_str_addf(&s, "%s", "");
    assert_false(s.is_too_big);
    ms_str_release(&s);
}

static void test_str_reset_clears_the_sticky_flag(void **state)
{
    (void)state;
    struct ms_str s;
    ms_str_init(&s, 4);
    ms_str_adds(&s, "too long");
    assert_true(s.is_too_big);
    ms_str_reset(&s);
    assert_false(s.is_too_big);
    ms_str_adds(&s, "ok");
    assert_string_equal(s.buf, "ok");
    ms_str_release(&s);
}

static void test_str_detach_hands_over_the_buffer(void **state)
{
    (void)state;
    struct ms_str s;
    size_t len = 0;
    ms_str_init(&s, 100);
    ms_str_adds(&s, "hello");
    char *out = ms_str_detach(&s, &len);
    assert_string_equal(out, "hello");
    assert_int_equal(len, 5);
    /* The builder is empty again, with its limit, and no longer owns out. */
    assert_int_equal(s.len, 0);
    assert_int_equal(s.limit, 100);
    assert_string_equal(s.buf, "");
    assert_true(s.buf != out);
    free(out);
}

static void test_str_detach_of_an_empty_builder_gives_a_freeable_string(void **state)
{
    (void)state;
    struct ms_str s = MS_STR_INIT;
    char *out = ms_str_detach(&s, NULL);
    assert_string_equal(out, "");
    free(out);
}

static void test_str_release_reinitialises_with_the_same_limit(void **state)
{
    (void)state;
    struct ms_str s;
    ms_str_init(&s, 3);
    ms_str_adds(&s, "abc");
    ms_str_release(&s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.limit, 3);
    ms_str_adds(&s, "abcd");
    assert_true(s.is_too_big);
    ms_str_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_init_gives_an_empty_terminated_buffer),
        cmocka_unit_test(test_str_appends_grow_and_stay_terminated),
        cmocka_unit_test(test_str_addf_formats),
        cmocka_unit_test(test_str_limit_makes_overflow_sticky),
        cmocka_unit_test(test_str_limit_allows_exactly_the_limit),
        cmocka_unit_test(test_str_reset_clears_the_sticky_flag),
        cmocka_unit_test(test_str_detach_hands_over_the_buffer),
        cmocka_unit_test(test_str_detach_of_an_empty_builder_gives_a_freeable_string),
        cmocka_unit_test(test_str_release_reinitialises_with_the_same_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
