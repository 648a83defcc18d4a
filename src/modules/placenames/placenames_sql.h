/*
 * placenames_sql.h - the placenames module's statements (placenames_sql.c).
 */
#ifndef MS_PLACENAMES_SQL_H
#define MS_PLACENAMES_SQL_H

/* The columns every place-reading statement selects, in read_place() order. */
#define PLACENAMES_SQL_COLS                                                                     \
    "id, kind, name, region_code, scope_code, coalesce(parent_id, 0), pinyin, pinyin_initials," \
    " aliases, lng_microdeg, lat_microdeg, outline, is_synthetic, version, created_at, updated_at"

extern const char placenames_sql_get[];
extern const char placenames_sql_get_by_code[];
extern const char placenames_sql_find_child[];
extern const char placenames_sql_find_root[];
extern const char placenames_sql_children[];
extern const char placenames_sql_count_children[];
extern const char placenames_sql_insert[];
extern const char placenames_sql_update[];
extern const char placenames_sql_search_name[];
extern const char placenames_sql_search_pinyin[];
extern const char placenames_sql_search_code[];
extern const char placenames_sql_search_all[];
extern const char placenames_sql_tree[];
extern const char placenames_sql_geojson[];
extern const char placenames_sql_geojson_township[];

#endif
