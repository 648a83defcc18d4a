/*
 * registry_int.h - shared between the registry module's files.
 */
#ifndef MS_REGISTRY_INT_H
#define MS_REGISTRY_INT_H

#include "modules/module.h"
#include "modules/registry/registry.h"

struct store_stmt;
struct ms_seal;

extern const struct http_route registry_http_routes[];
extern const struct cli_command registry_cli_commands[];
extern const struct store_migration registry_migrations[];

/* Field names that seal and blind-index their values (the AEAD's associated
 * data and the index's domain). Never change them: stored values depend on
 * them. */
#define REGISTRY_FIELD_ID    REGISTRY_SEAL_ID_NUMBER
#define REGISTRY_FIELD_PHONE REGISTRY_SEAL_PHONE

/* A scope prefix as a range of region codes: lo <= code < hi. */
struct registry_range {
    char lo[16];
    char hi[16];
};

/* The process's seal, loaded (or created) on first use. */
int registry__seal(struct store *st, const struct ms_seal **out, struct ms_err *err);

/* MS_EFIELD (field "scope") unless scope is at most 12 digits. */
int registry__scope_range(const char *scope, struct registry_range *out, struct ms_err *err);

/* 1 if the 12-digit region code lies in the scope prefix. */
int registry__in_scope(const char *scope, const char *region_code);

/* Reads a row of RESIDENT_COLUMNS, opening and masking the ID and phone
 * numbers. MS_EINTEGRITY if a sealed value does not open. */
int registry__read_resident(struct store_stmt *s, const struct ms_seal *seal,
                            struct ms_arena *arena, struct registry_resident *out,
                            struct ms_err *err);

/* The resident with code (as typed: normalised here) in scope, or
 * MS_ENOTFOUND (the same for "no such code" and "outside your scope").
 * sealed_id (if not NULL) gets the sealed ID number. */
int registry__load(struct store *st, const char *scope, const char *code, struct ms_arena *arena,
                   struct registry_resident *out, const char **sealed_id, struct ms_err *err);

/* Sets err to the not-found error for code. */
int registry__not_found(struct ms_err *err, const char *code);

/* Field validation, each MS_EFIELD naming the field, in English and Chinese. */
int registry__check_region(const char *field, const char *code, struct ms_err *err);
int registry__check_text(const char *field, const char *zh_name, const char *text,
                         size_t max_chars, struct ms_err *err);
int registry__check_date(const char *field, const char *text, struct ms_err *err);
struct ms_idcard;
int registry__check_name(const char *name, struct ms_err *err);
int registry__check_phone(const char *phone, struct ms_err *err);
/* Parses an ID number, upgrading a 15-digit one first. */
int registry__parse_id(const char *text, struct ms_idcard *id, struct ms_err *err);
int registry__bad_field(struct ms_err *err, int code, const char *field, const char *zh,
                        const char *en);

/* Called with each resident an export writes; r lives until the next call. */
typedef int registry__row_fn(void *ctx, const struct registry_resident *r, struct ms_err *err);

/*
 * The residents in scope that match query (its filters and q, checked as
 * registry_resident_search() checks them; page and page_size are ignored),
 * in search order: *total gets their number and *matched_by how q matched
 * (in arena or static). If *total is at most max_rows, fn is called with
 * each of them; otherwise it is not called at all. (registry_search.c)
 */
int registry__search_each(struct store *st, const char *scope, const struct registry_query *query,
                          int64_t max_rows, struct ms_arena *arena, registry__row_fn *fn,
                          void *ctx, int64_t *total, const char **matched_by, struct ms_err *err);

/* What registry_resident_create() and the bulk path derive from a new
 * resident (code, search keys, sealed numbers) before storing it. */
struct registry__row {
    const char *code, *pinyin, *initials, *sex, *birth;
    const char *id_sealed, *id_bidx, *phone_sealed, *phone_bidx;
};

/* Binds a place id, or NULL for none (0). */
void registry__bind_place(struct store_stmt *s, int idx, int64_t place_id);

/* Binds parameters 1-20, the columns registry_sql_resident_insert and
 * registry_sql_bulk_resident_insert share; the caller binds the rest. */
void registry__bind_resident(struct store_stmt *s, const struct registry_resident_new *in,
                             const struct registry__row *row);

#endif
