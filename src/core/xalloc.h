/*
 * xalloc.h - malloc that never returns NULL (git's wrapper.c).
 *
 * Out of memory is not an error a caller can act on here: it is logged and
 * the process aborts. Input limits keep attackers from reaching it.
 */
#ifndef MS_XALLOC_H
#define MS_XALLOC_H

#include <stddef.h>

void *ms_xmalloc(size_t n);
void *ms_xcalloc(size_t count, size_t size);
void *ms_xrealloc(void *p, size_t n);
char *ms_xstrdup(const char *s);

/* Aborts after printing msg: for broken invariants ("our bug"). */
_Noreturn void ms_die(const char *msg);

#define MS_BUG(msg) ms_die("BUG: " __FILE__ ": " msg)

#endif
