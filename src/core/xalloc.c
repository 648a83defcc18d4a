/*
 * xalloc.c - allocation that aborts instead of returning NULL.
 */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

_Noreturn void ms_die(const char *msg)
{
    fprintf(stderr, "minsheng: fatal: %s\n", msg);
    abort();
}

void *ms_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        ms_die("out of memory");
    return p;
}

void *ms_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        ms_die("out of memory");
    return p;
}

void *ms_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        ms_die("out of memory");
    return q;
}

char *ms_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ms_xmalloc(n);
    memcpy(p, s, n);
    return p;
}
