/*
 * registry_sql.c - every statement the registry module runs.
 *
 * Scope is always the first pair of parameters after the key it filters:
 * `region_code >= ? AND region_code < ?`, the range of codes that start with
 * the caller's prefix (registry__scope_range() computes it). Search filters
 * are ranges too (an unset filter binds a range that holds every value), so
 * one statement text serves every combination and no SQL is built at run
 * time.
 */
#include "modules/registry/registry_sql.h"

#define RESIDENT_COLUMNS                                                                         \
    "r.id, r.code, r.name, r.name_pinyin, r.name_initials, r.sex, r.birth_date,"                 \
    " r.id_number_sealed, r.phone_sealed, r.ethnicity, r.hukou_type, r.hukou_region_code,"       \
    " r.hukou_place_id, r.hukou_address, r.region_code, r.place_id, r.address, r.household_id," \
    " coalesce(h.number, ''), r.relation, r.status, r.status_date, r.version, r.created_at,"     \
    " r.updated_at FROM residents r LEFT JOIN households h ON h.id = r.household_id"

/* Used in registry__seal() to find "<db>.key" next to a SQLite database. */
const char registry_sql_sqlite_file[] = "PRAGMA database_list";

/* Used in registry_resident_create(): the duplicate check by blind index. */
const char registry_sql_bidx_exists[] = "SELECT 1 FROM residents WHERE id_number_bidx = ?";

/* Used in registry_resident_create() when drawing a new code. */
const char registry_sql_code_exists[] = "SELECT 1 FROM residents WHERE code = ?";

/* Used in registry_resident_create() to check the household is in scope. */
const char registry_sql_household_in_scope[] =
    "SELECT id FROM households WHERE id = ? AND region_code >= ? AND region_code < ?";

/* Used in registry_resident_create(). */
const char registry_sql_resident_insert[] =
    "INSERT INTO residents (code, name, name_pinyin, name_initials, sex, birth_date,"
    " id_number_sealed, id_number_bidx, phone_sealed, phone_bidx, ethnicity, hukou_type,"
    " hukou_region_code, hukou_place_id, hukou_address, region_code, place_id, address,"
    " household_id, relation, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in registry_resident_create() for a resident registered as head. */
const char registry_sql_household_set_head[] =
    "UPDATE households SET head_id = ?, updated_at = ? WHERE id = ?";

/* Used in registry_resident_get(), _update(), _reveal_id(), registry_event_*(). */
const char registry_sql_resident_get[] =
    "SELECT " RESIDENT_COLUMNS " WHERE r.code = ? AND r.region_code >= ? AND r.region_code < ?";

/* Used in registry_resident_update(): the version guard makes a lost update
 * impossible on both engines (docs/store.md, Transactions). The phone's
 * columns are bound NULL when the phone does not change. */
const char registry_sql_resident_update[] =
    "UPDATE residents SET name = ?, name_pinyin = ?, name_initials = ?,"
    " phone_sealed = coalesce(?, phone_sealed), phone_bidx = coalesce(?, phone_bidx), ethnicity = ?, hukou_type = ?, hukou_region_code = ?, hukou_place_id = ?,"
    " hukou_address = ?, region_code = ?, place_id = ?, address = ?, version = version + 1,"
    " updated_at = ? WHERE id = ? AND version = ? RETURNING version";

/* Used in registry_event_add() for death, move_out and move_in. */
const char registry_sql_resident_set_status[] =
    "UPDATE residents SET status = ?, status_date = ?, version = version + 1, updated_at = ?"
    " WHERE id = ?";

#define SEARCH_FILTERS                                                                           \
    " WHERE r.region_code >= ? AND r.region_code < ? AND r.birth_date > ? AND r.birth_date <= ?" \
    " AND r.status >= ? AND r.status <= ? AND r.hukou_type >= ? AND r.hukou_type <= ?"
/* The match as a union of single-index look-ups: written as one OR, both
 * planners walked the region index over the whole district instead (0.2-0.4 s
 * on 270,000 residents; this form takes about 5 ms). */
#define SEARCH_MATCH                                                                             \
    " AND r.id IN (SELECT id FROM residents WHERE name >= ? AND name < ?"                        \
    " UNION SELECT id FROM residents WHERE name_pinyin >= ? AND name_pinyin < ?"                 \
    " UNION SELECT id FROM residents WHERE name_initials >= ? AND name_initials < ?"             \
    " UNION SELECT id FROM residents WHERE code = ?"                                             \
    " UNION SELECT id FROM residents WHERE id_number_bidx = ?"                                   \
    " UNION SELECT id FROM residents WHERE phone_bidx = ?)"
/* Newest registrations first. By id, a page of a broad search reads its 20
 * rows and stops; sorted by name it had to read and sort every match (0.2-0.4
 * s for the whole district at 270,000 residents). */
#define SEARCH_ORDER " ORDER BY r.id DESC LIMIT ? OFFSET ?"
/* The unfiltered listing walks the primary key in that order and checks the
 * scope on each row: `|| ''` keeps both planners off the region index, which
 * for a district-wide scope would hand them every row to sort. */
#define SEARCH_FILTERS_SCAN                                                                      \
    " WHERE (r.region_code || '') >= ? AND (r.region_code || '') < ? AND r.birth_date > ?"       \
    " AND r.birth_date <= ? AND r.status >= ? AND r.status <= ? AND r.hukou_type >= ?"           \
    " AND r.hukou_type <= ?"

/* Used in registry_resident_search() without q. The counts stop at a cap
 * (the last parameter): a page says "1000+" rather than count a district. */
const char registry_sql_search_all_count[] =
    "SELECT count(*) FROM (SELECT 1 FROM residents r" SEARCH_FILTERS " LIMIT ?) capped";
const char registry_sql_search_all_page[] =
    "SELECT " RESIDENT_COLUMNS SEARCH_FILTERS_SCAN SEARCH_ORDER;

/* Used in registry_resident_search() with q: every term is an indexed
 * equality or range, unused ones bound to NULL. */
const char registry_sql_search_match_count[] =
    "SELECT count(*) FROM (SELECT 1 FROM residents r" SEARCH_FILTERS SEARCH_MATCH " LIMIT ?) capped";
const char registry_sql_search_match_page[] =
    "SELECT " RESIDENT_COLUMNS SEARCH_FILTERS SEARCH_MATCH SEARCH_ORDER;

/* Used in registry_household_create(). */
const char registry_sql_household_insert[] =
    "INSERT INTO households (number, region_code, place_id, address, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in registry_household_get(). */
const char registry_sql_household_get[] =
    "SELECT h.id, h.number, coalesce(r.code, ''), h.region_code, h.place_id, h.address"
    " FROM households h LEFT JOIN residents r ON r.id = h.head_id"
    " WHERE h.id = ? AND h.region_code >= ? AND h.region_code < ?";

/* Used in registry_household_get(): the members in the caller's scope, head
 * first. */
const char registry_sql_household_members[] =
    "SELECT " RESIDENT_COLUMNS " WHERE r.household_id = ? AND r.region_code >= ?"
    " AND r.region_code < ? ORDER BY CASE WHEN r.relation = 'head' THEN 0 ELSE 1 END, r.id";

/* Used in registry_event_add(). */
const char registry_sql_event_insert[] =
    "INSERT INTO life_events (resident_id, kind, event_date, source_module, detail_json,"
    " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

/* Used in registry_event_list(). */
const char registry_sql_event_list[] =
    "SELECT id, kind, event_date, source_module, detail_json, created_at, created_by"
    " FROM life_events WHERE resident_id = ? ORDER BY event_date, id";

/* --- bulk loading --------------------------------------------------------------- */

/* Used in registry_bulk_resident(): like registry_sql_resident_insert, with
 * the status (generated districts include the recently deceased). The code
 * check, household insert, head update and event insert reuse the
 * statements above. */
const char registry_sql_bulk_resident_insert[] =
    "INSERT INTO residents (code, name, name_pinyin, name_initials, sex, birth_date,"
    " id_number_sealed, id_number_bidx, phone_sealed, phone_bidx, ethnicity, hukou_type,"
    " hukou_region_code, hukou_place_id, hukou_address, region_code, place_id, address,"
    " household_id, relation, status, status_date, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
