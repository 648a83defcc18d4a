/*
 * placenames_sql.c - every statement the placenames module runs.
 *
 * Prefix searches are ranges (`col >= prefix AND col < next`, the bounds
 * computed in C by placenames__next_prefix()), not `LIKE 'p%'`: a plain index
 * serves a range on both engines, while PostgreSQL uses an index for LIKE
 * only with text_pattern_ops or the C collation. Hanzi substrings cannot use
 * an index on either engine; a district holds a few thousand places, a city
 * some hundred thousand, which a scan of one table still answers in
 * milliseconds. Optional filters are written `(CAST(? AS TEXT) = '' OR ...)`
 * so one text serves every combination.
 */
#include "modules/placenames/placenames_sql.h"

#define FILTERS                               \
    " AND (CAST(? AS TEXT) = '' OR kind = ?)" \
    " AND (CAST(? AS TEXT) = '' OR (scope_code >= ? AND scope_code < ?))"

/* Used in placenames_get() and the writes that reload a place. */
const char placenames_sql_get[] = "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE id = ?";

/* Used in placenames_get_by_code() and the uniqueness checks. The extra
 * condition lets both engines use the partial unique index. */
const char placenames_sql_get_by_code[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE region_code = ? AND region_code <> ''";

/* Used in placenames__find_child(): import matching and the name check.
 * Served by places_parent_name. */
const char placenames_sql_find_child[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE parent_id = ? AND name = ?";

/* Used in placenames__find_child() for roots (NULL parents are distinct in
 * a unique index, so the check is ours). */
const char placenames_sql_find_root[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE parent_id IS NULL AND name = ?";

/* Used in placenames_children(); sorted in C (kind, code, pinyin). */
const char placenames_sql_children[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE parent_id = ? ORDER BY id";

/* Used in placenames_update(): a code may change only without children. */
const char placenames_sql_count_children[] = "SELECT count(*) FROM places WHERE parent_id = ?";

/* Used in placenames__insert(). */
const char placenames_sql_insert[] =
    "INSERT INTO places (kind, name, region_code, scope_code, parent_id, pinyin,"
    " pinyin_initials, aliases, lng_microdeg, lat_microdeg, outline, is_synthetic, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in placenames__update(); guarded by version (docs/store.md: no
 * read-modify-write without a guard on PostgreSQL). */
const char placenames_sql_update[] =
    "UPDATE places SET name = ?, region_code = ?, scope_code = ?, pinyin = ?,"
    " pinyin_initials = ?, aliases = ?, lng_microdeg = ?, lat_microdeg = ?, outline = ?,"
    " is_synthetic = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?";

/* Used in placenames_search() for hanzi: part of the name or an alias.
 * Parameters: like, like, kind, kind, under, lo, hi, exact name, prefix like,
 * limit. */
const char placenames_sql_search_name[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places"
    " WHERE (name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\')" FILTERS
    " ORDER BY CASE WHEN name = ? THEN 0 WHEN name LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END,"
    " scope_code, id LIMIT ?";

/* Used in placenames_search() for ASCII letters: a prefix of the joined
 * pinyin or of the initials (places_pinyin, places_initials). Parameters:
 * lo, hi, lo, hi, kind, kind, under, lo, hi, q, q, limit. */
const char placenames_sql_search_pinyin[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places"
    " WHERE ((pinyin >= ? AND pinyin < ?)"
    " OR (pinyin_initials >= ? AND pinyin_initials < ?))" FILTERS
    " ORDER BY CASE WHEN pinyin = ? OR pinyin_initials = ? THEN 0 ELSE 1 END,"
    " length(pinyin), scope_code, id LIMIT ?";

/* Used in placenames_search() for digits: a region-code prefix
 * (places_region_code). Parameters: lo, hi, kind, kind, under, lo, hi, limit. */
const char placenames_sql_search_code[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE region_code >= ? AND region_code < ?" FILTERS
    " ORDER BY region_code, id LIMIT ?";

/* Used in placenames_search() without q: browse by kind and scope. */
const char placenames_sql_search_all[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places WHERE 1 = 1" FILTERS
    " ORDER BY scope_code, id LIMIT ?";

/* Used in placenames_tree(): every place under a scope prefix. */
const char placenames_sql_tree[] =
    "SELECT " PLACENAMES_SQL_COLS " FROM places"
    " WHERE (CAST(? AS TEXT) = '' OR (scope_code >= ? AND scope_code < ?)) ORDER BY id";

/* Used in placenames_geojson(): places with an outline (places_kind_scope). */
const char placenames_sql_geojson[] =
    "SELECT id, name, kind, region_code, outline, is_synthetic FROM places"
    " WHERE outline <> ''" FILTERS " ORDER BY scope_code, id";

/* Used in placenames_geojson() for kind "township": towns and streets, the
 * layer the console colours by an indicator. */
const char placenames_sql_geojson_township[] =
    "SELECT id, name, kind, region_code, outline, is_synthetic FROM places"
    " WHERE outline <> '' AND kind IN ('town', 'street')"
    " AND (CAST(? AS TEXT) = '' OR (scope_code >= ? AND scope_code < ?))"
    " ORDER BY scope_code, id";
