/*
 * arena.c - a bump allocator over a chain of blocks (nginx's ngx_palloc,
 * h2o's h2o_mem_pool_t). Large requests get a block of their own so a
 * single big allocation does not waste the rest of a normal block.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define MS_ARENA_DEFAULT_BLOCK 8192
#define MS_ARENA_ALIGN 16

struct ms_arena_block {
    struct ms_arena_block *next;
    size_t used;
    size_t size;
    _Alignas(MS_ARENA_ALIGN) unsigned char data[];
};

struct ms_arena_cleanup {
    struct ms_arena_cleanup *next;
    ms_arena_cleanup_fn *fn;
    void *data;
};

void ms_arena_init(struct ms_arena *a, size_t block_size)
{
    a->head = NULL;
    a->cleanups = NULL;
    a->block_size = block_size ? block_size : MS_ARENA_DEFAULT_BLOCK;
    a->total_bytes = 0;
}

static struct ms_arena_block *new_block(size_t size)
{
    struct ms_arena_block *b = ms_xmalloc(sizeof(*b) + size);
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

void *ms_arena_alloc(struct ms_arena *a, size_t n)
{
    size_t need = (n + (MS_ARENA_ALIGN - 1)) & ~(size_t)(MS_ARENA_ALIGN - 1);
    struct ms_arena_block *b = a->head;

    if (need < n)
        ms_die("arena allocation size overflow");
    if (!a->block_size)
        a->block_size = MS_ARENA_DEFAULT_BLOCK;
    if (!b || b->size - b->used < need) {
        if (need > a->block_size / 4) {
            /* A big request gets its own block, placed behind the head so the
             * head's free space stays usable. */
            struct ms_arena_block *big = new_block(need);
            big->used = need;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            a->total_bytes += need;
            return big->data;
        }
        b = new_block(a->block_size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total_bytes += need;
    return p;
}

void *ms_arena_calloc(struct ms_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        ms_die("arena calloc size overflow");
    void *p = ms_arena_alloc(a, count * size);
    memset(p, 0, count * size);
    return p;
}

void *ms_arena_memdup(struct ms_arena *a, const void *p, size_t n)
{
    void *q = ms_arena_alloc(a, n);
    if (n)
        memcpy(q, p, n);
    return q;
}

char *ms_arena_strndup(struct ms_arena *a, const char *s, size_t n)
{
    char *q = ms_arena_alloc(a, n + 1);
    memcpy(q, s, n);
    q[n] = '\0';
    return q;
}

char *ms_arena_strdup(struct ms_arena *a, const char *s)
{
    return ms_arena_strndup(a, s, strlen(s));
}

char *ms_arena_vprintf(struct ms_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        ms_die("arena printf: bad format");
    char *q = ms_arena_alloc(a, (size_t)n + 1);
    vsnprintf(q, (size_t)n + 1, fmt, ap);
    return q;
}

char *ms_arena_printf(struct ms_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *q = ms_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return q;
}

void ms_arena_on_cleanup(struct ms_arena *a, ms_arena_cleanup_fn *fn, void *data)
{
    struct ms_arena_cleanup *c = ms_arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->data = data;
    c->next = a->cleanups;
    a->cleanups = c;
}

static void run_cleanups(struct ms_arena *a)
{
    /* A cleanup may allocate from the arena; take the list first. */
    while (a->cleanups) {
        struct ms_arena_cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->data);
    }
}

void ms_arena_reset(struct ms_arena *a)
{
    run_cleanups(a);
    struct ms_arena_block *keep = NULL;
    struct ms_arena_block *b = a->head;
    while (b) {
        struct ms_arena_block *next = b->next;
        if (!keep && b->size == a->block_size) {
            keep = b;
            keep->next = NULL;
            keep->used = 0;
        } else {
            free(b);
        }
        b = next;
    }
    a->head = keep;
    a->total_bytes = 0;
}

void ms_arena_release(struct ms_arena *a)
{
    run_cleanups(a);
    struct ms_arena_block *b = a->head;
    while (b) {
        struct ms_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total_bytes = 0;
}
