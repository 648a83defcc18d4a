/*
 * str.h - a growable string builder, after git's strbuf and sqlite3_str.
 *
 * Invariants: buf is always NUL-terminated and len excludes the NUL; buf is
 * never NULL (it points at a static empty string until the first append).
 * A builder has a byte limit set at init: an append that would pass it sets
 * the sticky `is_too_big` flag and is dropped, as are all appends after it, so
 * a caller feeding it input checks once at the end. Ownership: the buffer is
 * the builder's until ms_str_detach() hands it to the caller (who free()s it);
 * ms_str_release() frees it.
 */
#ifndef MS_STR_H
#define MS_STR_H

#include <stdarg.h>
#include <stddef.h>

struct ms_str {
    char *buf;
    size_t len;
    size_t alloc;     /* 0 while buf points at the static empty string */
    size_t limit;     /* maximum len; 0 means no limit */
    int is_too_big;   /* sticky: an append passed the limit */
};

extern char ms_str_empty[];

#define MS_STR_INIT {ms_str_empty, 0, 0, 0, 0}

/* Sets up an empty builder that refuses to grow past limit bytes (0: none). */
void ms_str_init(struct ms_str *s, size_t limit);

void ms_str_add(struct ms_str *s, const void *data, size_t n);
void ms_str_adds(struct ms_str *s, const char *text);
void ms_str_addch(struct ms_str *s, char c);
void ms_str_addf(struct ms_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ms_str_vaddf(struct ms_str *s, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Empties the builder, keeping its buffer and clearing the sticky flag. */
void ms_str_reset(struct ms_str *s);

/* Frees the buffer and re-initialises with the same limit. */
void ms_str_release(struct ms_str *s);

/* Returns the buffer (caller frees) and re-initialises the builder. */
char *ms_str_detach(struct ms_str *s, size_t *len_out);

#endif
