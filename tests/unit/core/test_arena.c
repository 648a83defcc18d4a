/*
 * test_arena.c - src/core/arena.c: alignment, big allocations in their own
 * blocks, reuse of the first block after reset, and cleanups run newest
 * first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"

#include "core/banned.h"

static int setup(void **state)
{
    static struct ms_arena a;
    ms_arena_init(&a, 1024);
    *state = &a;
    return 0;
}

static int teardown(void **state)
{
    ms_arena_release(*state);
    return 0;
}

static void test_arena_allocations_are_16_byte_aligned(void **state)
{
    struct ms_arena *a = *state;
    for (size_t n = 0; n < 100; n++) {
        void *p = ms_arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    assert_int_equal((uintptr_t)ms_arena_alloc(a, 5000) % 16, 0);
}

static void test_arena_zero_size_gives_a_valid_pointer(void **state)
{
    struct ms_arena *a = *state;
    assert_non_null(ms_arena_alloc(a, 0));
    assert_non_null(ms_arena_calloc(a, 0, 8));
}

static void test_arena_big_allocation_is_usable_and_keeps_small_space(void **state)
{
    struct ms_arena *a = *state;
    char *small1 = ms_arena_alloc(a, 16);
    char *big = ms_arena_alloc(a, 100000);
    memset(big, 0xab, 100000);
    char *small2 = ms_arena_alloc(a, 16);
    /* The big request went to its own block: the small ones stay adjacent. */
    assert_ptr_equal(small2, small1 + 16);
    assert_int_equal((unsigned char)big[99999], 0xab);
    assert_true(a->total_bytes >= 100000 + 32);
}

static void test_arena_many_allocations_do_not_overlap(void **state)
{
    struct ms_arena *a = *state;
    unsigned char *ptrs[500];
    for (int i = 0; i < 500; i++) {
        ptrs[i] = ms_arena_alloc(a, 40);
        memset(ptrs[i], i & 0xff, 40);
    }
    for (int i = 0; i < 500; i++)
        for (int j = 0; j < 40; j++)
            assert_int_equal(ptrs[i][j], i & 0xff);
}

static void test_arena_calloc_zero_fills(void **state)
{
    struct ms_arena *a = *state;
    unsigned char *p = ms_arena_alloc(a, 64);
    memset(p, 0xff, 64);
    ms_arena_reset(a);
    unsigned char *q = ms_arena_calloc(a, 8, 8);
    for (int i = 0; i < 64; i++)
        assert_int_equal(q[i], 0);
}

static void test_arena_reset_keeps_reusing_the_first_block(void **state)
{
    struct ms_arena *a = *state;
    ms_arena_alloc(a, 100);
    ms_arena_alloc(a, 900); /* a second block */
    ms_arena_alloc(a, 900); /* a third */
    ms_arena_alloc(a, 100000);
    ms_arena_reset(a);
    assert_int_equal(a->total_bytes, 0);
    void *start = ms_arena_alloc(a, 100);
    for (int round = 0; round < 5; round++) {
        /* Fill the kept block again, short of needing another one. */
        char *p = ms_arena_alloc(a, 900);
        memset(p, round, 900);
        ms_arena_reset(a);
        assert_int_equal(a->total_bytes, 0);
        assert_ptr_equal(ms_arena_alloc(a, 100), start);
    }
}

static void test_arena_strdup_and_printf_copy_into_the_arena(void **state)
{
    struct ms_arena *a = *state;
    char src[] = "万盛 wansheng";
    char *copy = ms_arena_strdup(a, src);
    src[0] = 'X';
    assert_string_equal(copy, "万盛 wansheng");
    assert_string_equal(ms_arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(ms_arena_printf(a, "%s-%04d", "period", 2026), "period-2026");
    int n[3] = {1, 2, 3};
    int *m = ms_arena_memdup(a, n, sizeof(n));
    assert_int_equal(m[2], 3);
}

static char order[16];

static void record(void *data)
{
    size_t len = strlen(order);
    order[len] = *(const char *)data;
    order[len + 1] = '\0';
}

static void test_arena_cleanups_run_in_reverse_order(void **state)
{
    struct ms_arena *a = *state;
    static char tags[] = "abc";
    order[0] = '\0';
    ms_arena_on_cleanup(a, record, &tags[0]);
    ms_arena_on_cleanup(a, record, &tags[1]);
    ms_arena_on_cleanup(a, record, &tags[2]);
    ms_arena_reset(a);
    assert_string_equal(order, "cba");
    /* They ran once: a second reset runs nothing. */
    ms_arena_reset(a);
    assert_string_equal(order, "cba");
}

static void test_arena_release_runs_cleanups_and_allows_reuse(void **state)
{
    struct ms_arena *a = *state;
    static char tag = 'r';
    order[0] = '\0';
    ms_arena_on_cleanup(a, record, &tag);
    ms_arena_release(a);
    assert_string_equal(order, "r");
    assert_null(a->head);
    assert_non_null(ms_arena_alloc(a, 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arena_allocations_are_16_byte_aligned, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arena_zero_size_gives_a_valid_pointer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arena_big_allocation_is_usable_and_keeps_small_space,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_arena_many_allocations_do_not_overlap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arena_calloc_zero_fills, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arena_reset_keeps_reusing_the_first_block, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arena_strdup_and_printf_copy_into_the_arena, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_arena_cleanups_run_in_reverse_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arena_release_runs_cleanups_and_allows_reuse, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
