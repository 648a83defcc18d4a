/*
 * catalog.c - listing tables on either engine.
 */
#include "store/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "core/banned.h"

static const char sqlite_tables[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
static const char pg_tables[] =
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()";

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int store_tables(struct store *st, struct ms_arena *arena, const char ***names, size_t *n,
                 struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 64;
    int rc;
    if (store_prepare(st, store_engine(st) == STORE_SQLITE ? sqlite_tables : pg_tables, &s, err) <
        0)
        return err->code;
    *names = ms_arena_calloc(arena, cap, sizeof(char *));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            const char **bigger = ms_arena_calloc(arena, cap * 2, sizeof(char *));
            memcpy(bigger, *names, cap * sizeof(char *));
            *names = bigger;
            cap *= 2;
        }
        (*names)[(*n)++] = ms_arena_strdup(arena, store_col_text(s, 0));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    qsort(*names, *n, sizeof(char *), cmp);
    return 0;
}
