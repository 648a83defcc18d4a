/*
 * str.c - the string builder. Growth doubles; the limit is checked before any
 * byte is written so a refused append leaves the contents as they were.
 */
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

char ms_str_empty[1];

void ms_str_init(struct ms_str *s, size_t limit)
{
    s->buf = ms_str_empty;
    s->len = 0;
    s->alloc = 0;
    s->limit = limit;
    s->is_too_big = 0;
}

/* Makes room for n more bytes plus the NUL; 0 on success, -1 past the limit. */
static int grow(struct ms_str *s, size_t n)
{
    if (s->is_too_big)
        return -1;
    if (n > (size_t)-1 / 2 - s->len || (s->limit && s->len + n > s->limit)) {
        s->is_too_big = 1;
        return -1;
    }
    size_t need = s->len + n + 1;
    if (need <= s->alloc)
        return 0;
    size_t alloc = s->alloc ? s->alloc : 64;
    while (alloc < need)
        alloc *= 2;
    if (s->alloc) {
        s->buf = ms_xrealloc(s->buf, alloc);
    } else {
        s->buf = ms_xmalloc(alloc);
        s->buf[0] = '\0';
    }
    s->alloc = alloc;
    return 0;
}

void ms_str_add(struct ms_str *s, const void *data, size_t n)
{
    if (grow(s, n) < 0)
        return;
    if (n)
        memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void ms_str_adds(struct ms_str *s, const char *text)
{
    ms_str_add(s, text, strlen(text));
}

void ms_str_addch(struct ms_str *s, char c)
{
    ms_str_add(s, &c, 1);
}

void ms_str_vaddf(struct ms_str *s, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || grow(s, (size_t)n) < 0)
        return;
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
}

void ms_str_addf(struct ms_str *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_str_vaddf(s, fmt, ap);
    va_end(ap);
}

void ms_str_reset(struct ms_str *s)
{
    s->len = 0;
    if (s->alloc)
        s->buf[0] = '\0';
    s->is_too_big = 0;
}

void ms_str_release(struct ms_str *s)
{
    if (s->alloc)
        free(s->buf);
    ms_str_init(s, s->limit);
}

char *ms_str_detach(struct ms_str *s, size_t *len_out)
{
    char *out = s->alloc ? s->buf : ms_xstrdup("");
    if (len_out)
        *len_out = s->len;
    ms_str_init(s, s->limit);
    return out;
}
