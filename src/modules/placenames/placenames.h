/*
 * placenames.h - standard place names (标准地名): the district, its towns and
 * streets, villages and communities, roads, buildings and landmarks, as one
 * tree (docs/placenames.md).
 *
 * A place has a kind, a name (1-50 characters, unique under its parent), a
 * parent (none for a root), and where it has one a 12-digit statistical region
 * code (统计用区划代码: 6 county + 3 township + 3 village digits, unique).
 * Roads, buildings and landmarks have no code. Every place also carries a
 * scope code: its own region code, else the nearest coded ancestor's; the
 * resident registry's data scope (a town user sees the town's 9-digit prefix)
 * and the `under` filters compare against it, so a road inside a village is
 * "under" the village's code.
 *
 * Search keys (toneless pinyin, joined and initials, core/pinyin.h in its
 * plain, non-surname mode) are computed at write time. Coordinates are whole
 * microdegrees (1e-6 degree), so both engines store the same integers; an
 * outline is a GeoJSON Polygon's "coordinates" array, stored canonically.
 *
 * Every change is audited in its own transaction (place.add, place.update,
 * place.import). Reads are not: place names are public data.
 *
 * Memory: results that take a `struct ms_arena` live in that arena.
 * Errors: 0 or a negative MS_E* code with err filled, naming the field.
 */
#ifndef MS_PLACENAMES_H
#define MS_PLACENAMES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

struct store;
struct ms_module;

#define PLACENAMES_NAME_MAX    50    /* characters */
#define PLACENAMES_ALIASES_MAX 200   /* characters, all aliases together */
#define PLACENAMES_CODE_LEN    12    /* digits of a statistical region code */
#define PLACENAMES_OUTLINE_MAX 65536 /* bytes of outline text */
#define PLACENAMES_SEARCH_MAX  200   /* most results of one search */

struct place {
    int64_t id;
    const char *kind; /* "district", "town", "street", "village", ... */
    const char *name;
    const char *region_code;     /* 12 digits, or "" */
    const char *scope_code;      /* own code, else the nearest coded ancestor's, or "" */
    int64_t parent_id;           /* 0 for a root */
    const char *pinyin;          /* joined, "wandongzhen" */
    const char *pinyin_initials; /* "wdz" */
    const char *aliases;         /* other names, separated by '|'; "" if none */
    int has_coords;
    int64_t lng_microdeg, lat_microdeg;
    const char *outline; /* GeoJSON polygon coordinates, or "" */
    int is_synthetic;    /* invented for the demo, not an official name */
    int64_t version;     /* 1 on insert, +1 on each update */
    const char *created_at, *updated_at;
};

/* What placenames_add() takes. Strings are borrowed for the call. */
struct place_in {
    const char *kind;        /* required; see placenames_kind_ok() */
    const char *name;        /* required */
    const char *region_code; /* NULL or "" for none */
    int64_t parent_id;       /* 0: a root (district, town or street only) */
    const char *aliases;     /* NULL or '|'-separated */
    int has_coords;
    int64_t lng_microdeg, lat_microdeg;
    const char *outline; /* NULL, "" or "[[[lng,lat],...]]" */
    int is_synthetic;
};

/* What placenames_update() changes: NULL strings and unset flags keep the
 * stored value. Kind and parent never change (move a place by adding it
 * again). The region code may change only while the place has no children,
 * since theirs must share its prefix. */
struct place_patch {
    const char *name, *region_code, *aliases, *outline;
    int set_coords; /* 1: take has_coords and the values below */
    int has_coords; /* with set_coords: 0 clears the coordinates */
    int64_t lng_microdeg, lat_microdeg;
    int set_synthetic;
    int is_synthetic;
};

/* 1 if kind is one of the kinds above. label_zh (may be NULL) gets its
 * Chinese label ("镇"). */
int placenames_kind_ok(const char *kind, const char **label_zh);

/* Adds a place (audited as place.add) and returns its id. Errors (field):
 * MS_EMISSING / MS_EFIELD for kind, name, region_code, parent_id, lng, lat,
 * aliases, outline; MS_ENOTFOUND for parent_id; MS_EEXISTS for a region code
 * already used (region_code) or a name already under the parent (name). */
int placenames_add(struct store *st, const struct place_in *in, const struct ms_actor *actor,
                   int64_t *id_out, struct ms_err *err);

/* Changes a place (audited as place.update, with the changed fields). No
 * change at all is success without an entry. Errors as placenames_add(),
 * MS_ENOTFOUND for the id, MS_ECONFLICT for a code change of a place with
 * children, MS_ESTALE if another writer changed it at the same moment. */
int placenames_update(struct store *st, int64_t id, const struct place_patch *p,
                      const struct ms_actor *actor, struct ms_err *err);

/* One place by id, or by its 12-digit region code. MS_ENOTFOUND. */
int placenames_get(struct store *st, int64_t id, struct ms_arena *arena, struct place *out,
                   struct ms_err *err);
int placenames_get_by_code(struct store *st, const char *region_code, struct ms_arena *arena,
                           struct place *out, struct ms_err *err);

/* "12" or "500110101000": a decimal id, or a 12-digit region code. */
int placenames_get_by_ref(struct store *st, const char *ref, struct ms_arena *arena,
                          struct place *out, struct ms_err *err);

/* The direct children of a place, by kind then name. MS_ENOTFOUND if the
 * place does not exist. */
int placenames_children(struct store *st, int64_t id, struct ms_arena *arena, struct place **out,
                        size_t *n, struct ms_err *err);

/* The ancestors of a place, root first (empty for a root). */
int placenames_ancestors(struct store *st, const struct place *p, struct ms_arena *arena,
                         struct place **out, size_t *n, struct ms_err *err);

struct placenames_query {
    const char *q;     /* NULL or "": every place (with the filters below) */
    const char *kind;  /* NULL or "": any kind */
    const char *under; /* NULL or "": anywhere; else 1-12 digits of a scope code */
    int limit;         /* 1..PLACENAMES_SEARCH_MAX; 0 means 20 */
};

/*
 * Finds places. q is read as:
 *   digits only          a region-code prefix ("500110101");
 *   ASCII letters only   a pinyin prefix or an initials prefix
 *                        ("wans" finds 万盛街道, "wdz" 万东镇; case ignored);
 *   anything else        part of the name or of an alias ("万东", "青山").
 * Exact names come first, then name prefixes, then the rest by scope code.
 * Errors: MS_EFIELD for q (too long, bad UTF-8), kind, under, limit.
 */
int placenames_search(struct store *st, const struct placenames_query *q, struct ms_arena *arena,
                      struct place **out, size_t *n, struct ms_err *err);

/* Every place whose scope code starts with under ("" or NULL: all), in tree
 * order (each place followed by its children, by kind then name); depths[i]
 * is out[i]'s depth below the shallowest place listed (0 at the top). */
int placenames_tree(struct store *st, const char *under, struct ms_arena *arena, struct place **out,
                    int **depths, size_t *n, struct ms_err *err);

/* Appends a GeoJSON FeatureCollection of the places of kind (NULL: any;
 * "township": towns and streets, the layer a district map colours) under
 * a scope prefix (NULL: anywhere) that have an outline: each a Polygon
 * Feature with properties id, name, kind, region_code, is_synthetic. Numbers
 * are written exactly, in degrees. */
int placenames_geojson(struct store *st, const char *kind, const char *under, struct ms_str *out,
                       struct ms_err *err);

struct placenames_import_stats {
    size_t rows; /* data rows read (header not counted) */
    size_t added, updated, unchanged;
};

/*
 * Imports places from CSV (UTF-8, optional BOM, header row; the columns are
 * in docs/placenames.md) read from f, which must be seekable (a retried
 * transaction reads it again). The whole file is one transaction: any bad
 * row aborts it, with err naming the row and column ("row 7, column
 * region_code"; the header is row 1) in English and Chinese. A row is matched
 * to an existing place by region code, else by parent and name, so
 * importing the same file again changes nothing. source_name (the file name)
 * is recorded in the audit entry.
 */
int placenames_import_csv(struct store *st, FILE *f, const char *source_name,
                          const struct ms_actor *actor, struct placenames_import_stats *stats,
                          struct ms_err *err);

extern const struct ms_module placenames_module;

#endif
