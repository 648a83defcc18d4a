/*
 * placenames_int.h - what the placenames module's files share: the module
 * table's parts, and the write steps the import reuses inside its own
 * transaction.
 */
#ifndef MS_PLACENAMES_INT_H
#define MS_PLACENAMES_INT_H

#include "modules/module.h"
#include "modules/placenames/placenames.h"

extern const struct http_route placenames_http_routes[];
extern const struct cli_command placenames_cli_commands[];
extern const struct store_migration placenames_migrations[];

/* Inside an open transaction: validates and inserts in, audits place.add
 * (detail_extra, e.g. "import row 7", is appended to the entry's detail). */
int placenames__insert(struct store *st, const struct place_in *in, const struct ms_actor *actor,
                       const char *detail_extra, int64_t *id_out, struct ms_err *err);

/* Inside an open transaction: applies p to cur and audits place.update;
 * *changed is 0 (and nothing is written) when p changes nothing. */
int placenames__update(struct store *st, const struct place *cur, const struct place_patch *p,
                       const struct ms_actor *actor, const char *detail_extra, int *changed,
                       struct ms_err *err);

/* Looks up the place named name under parent_id (0: a root). *found is 0 when
 * there is none (not an error). */
int placenames__find_child(struct store *st, int64_t parent_id, const char *name,
                           struct ms_arena *arena, struct place *out, int *found,
                           struct ms_err *err);

/* The same by region code. */
int placenames__find_code(struct store *st, const char *code, struct ms_arena *arena,
                          struct place *out, int *found, struct ms_err *err);

/* Parses decimal degrees ("106.912345", at most 9 decimals) into whole
 * microdegrees, rounding half away from zero. 0 or -1. */
int placenames__parse_degrees(const char *text, int64_t *microdeg);

/* Writes microdegrees as exact decimal degrees, without trailing zeros. */
void placenames__format_degrees(int64_t microdeg, char buf[32]);

/* The exclusive upper bound of the range of strings starting with prefix
 * (digits or lower-case letters), in arena. */
const char *placenames__next_prefix(const char *prefix, struct ms_arena *arena);

#endif
