/*
 * arena.h - region allocator: one per request, per batch chunk, per rule run.
 *
 * Ownership rule: memory from an arena lives until ms_arena_reset() or
 * ms_arena_release() on that arena; nothing allocated here is ever passed to
 * free(). Cleanup callbacks registered with ms_arena_on_cleanup() run, last
 * registered first, when the arena is reset or released, so an arena can
 * also own non-memory resources (a statement, a temporary file).
 *
 * Allocation never returns NULL: on exhaustion the process logs and aborts
 * (input limits are what keep an attacker away from that path). An arena is
 * not thread-safe; give each thread its own.
 */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct ms_arena_block;
struct ms_arena_cleanup;

struct ms_arena {
    struct ms_arena_block *head;       /* current block, newest first */
    struct ms_arena_cleanup *cleanups; /* newest first */
    size_t block_size;                 /* default size of a new block */
    size_t total_bytes;                /* bytes handed out, for metrics */
};

#define MS_ARENA_INIT {NULL, NULL, 0, 0}

typedef void ms_arena_cleanup_fn(void *data);

/* Sets up an empty arena; the first block is allocated on first use. */
void ms_arena_init(struct ms_arena *a, size_t block_size);

/* Returns n bytes aligned for any type. n == 0 returns a valid pointer. */
void *ms_arena_alloc(struct ms_arena *a, size_t n);

/* Like ms_arena_alloc, but zero-filled; checks count * size for overflow. */
void *ms_arena_calloc(struct ms_arena *a, size_t count, size_t size);

/* Copies of strings and byte ranges, NUL-terminated, in the arena. */
char *ms_arena_strdup(struct ms_arena *a, const char *s);
char *ms_arena_strndup(struct ms_arena *a, const char *s, size_t n);
void *ms_arena_memdup(struct ms_arena *a, const void *p, size_t n);

/* printf into the arena. */
char *ms_arena_printf(struct ms_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *ms_arena_vprintf(struct ms_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Registers fn(data) to run when the arena is reset or released. */
void ms_arena_on_cleanup(struct ms_arena *a, ms_arena_cleanup_fn *fn, void *data);

/*
 * Runs the cleanups and forgets every allocation, keeping the first block
 * for reuse so a per-chunk arena does not go back to malloc each time.
 */
void ms_arena_reset(struct ms_arena *a);

/* Runs the cleanups and frees every block. The arena may be reused after. */
void ms_arena_release(struct ms_arena *a);

#endif
