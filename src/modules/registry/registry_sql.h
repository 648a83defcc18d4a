/*
 * registry_sql.h - the registry module's statements (registry_sql.c).
 */
#ifndef MS_REGISTRY_SQL_H
#define MS_REGISTRY_SQL_H

extern const char registry_sql_sqlite_file[];
extern const char registry_sql_bidx_exists[];
extern const char registry_sql_code_exists[];
extern const char registry_sql_household_in_scope[];
extern const char registry_sql_resident_insert[];
extern const char registry_sql_household_set_head[];
extern const char registry_sql_resident_get[];
extern const char registry_sql_resident_update[];
extern const char registry_sql_resident_set_status[];
extern const char registry_sql_search_all_count[];
extern const char registry_sql_search_all_page[];
extern const char registry_sql_search_match_count[];
extern const char registry_sql_search_match_page[];
extern const char registry_sql_household_insert[];
extern const char registry_sql_household_get[];
extern const char registry_sql_household_members[];
extern const char registry_sql_event_insert[];
extern const char registry_sql_event_list[];

/* Bulk loading (registry_bulk.c). */
extern const char registry_sql_bulk_resident_insert[];

/* Column positions of RESIDENT_COLUMNS. */
enum registry_col {
    RC_ID, RC_CODE, RC_NAME, RC_PINYIN, RC_INITIALS, RC_SEX, RC_BIRTH, RC_ID_SEALED,
    RC_PHONE_SEALED, RC_ETHNICITY, RC_HUKOU_TYPE, RC_HUKOU_REGION, RC_HUKOU_PLACE,
    RC_HUKOU_ADDRESS, RC_REGION, RC_PLACE, RC_ADDRESS, RC_HOUSEHOLD_ID, RC_HOUSEHOLD_NUMBER,
    RC_RELATION, RC_STATUS, RC_STATUS_DATE, RC_VERSION, RC_CREATED, RC_UPDATED
};

#endif
