/*
 * catalog.h - what tables a database holds, asked the way each engine
 * answers it (sqlite_master; pg_tables in the current schema).
 */
#ifndef MS_STORE_CATALOG_H
#define MS_STORE_CATALOG_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

struct store;

/* The names of the user tables, sorted, in arena. */
int store_tables(struct store *st, struct ms_arena *arena, const char ***names, size_t *n,
                 struct ms_err *err);

#endif
