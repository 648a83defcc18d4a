/*
 * registry.h - residents, households and life events: "one resident, one
 * code, one file" (一人一码一档).
 *
 * A resident has an internal id (never shown) and a public resident code
 * (core/rescode.h: random, stable, with a check symbol), which is what URLs,
 * QR codes and the audit log name. The ID number and the phone number are
 * sealed at rest (core/seal.h) with a keyed blind index beside each for exact
 * look-up; every read shows them masked (core/mask.h), and the full ID number
 * only through registry_resident_reveal_id(), with a stated purpose that the
 * audit log keeps.
 *
 * Data scope. Every function takes the caller's scope, a region-code prefix
 * ("" = the whole district, "500110101" = one town), and applies it inside
 * its SQL as a range on the resident's residence region code (a household's
 * own region code for households). A resident outside the scope is
 * MS_ENOTFOUND, exactly as one that does not exist: a town's staff cannot
 * learn that a resident of another town exists, let alone see or change them.
 *
 * Audit. Changes append their entry in their own transaction. Reads of
 * personal data return the entry to record in *read; the caller records it
 * (HTTP: audit_http_reply_when_recorded(); CLI: audit_record_read()) before
 * showing anything. Entries name residents by their code, never by ID or
 * phone number.
 *
 * Errors carry English and Chinese text and the field at fault. Results live
 * in the given arena.
 */
#ifndef MS_REGISTRY_H
#define MS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rescode.h"

struct store;
struct ms_module;
struct audit_entry;

/*
 * The key file for sealed fields in this process: a --key-file argument, or
 * NULL for MINSHENG_KEY_FILE, else "<sqlite file>.key" (PostgreSQL needs one
 * of the first two). The key is loaded (and created, mode 0600) on first use
 * and kept for the life of the process; call this before that.
 */
void registry_set_key_file(const char *path);

/* Loads the key now (so a command can refuse to start on a bad key file).
 * Errors as for ms_seal_open() and ms_seal_key_path(). */
int registry_load_key(struct store *st, struct ms_err *err);

/* Wipes and frees the process's key (tests, shutdown). */
void registry_unload_key(void);

/* The process's seal (loaded on first use), for modules that keep personal
 * data of their own (feed rows): sealing a number under the field names
 * below gives the same blind index as the registry's, so an exact look-up
 * across the two is one indexed equality. */
struct ms_seal;
int registry_seal(struct store *st, const struct ms_seal **out, struct ms_err *err);
/* A data scope (region-code prefix, "" for all) as the range of codes
 * lo <= code < hi that other modules put in their SQL. MS_EFIELD unless the
 * scope is at most 12 digits. */
int registry_scope_bounds(const char *scope, char lo[16], char hi[16], struct ms_err *err);

#define REGISTRY_SEAL_ID_NUMBER "id_number"
#define REGISTRY_SEAL_PHONE     "phone"

struct registry_address {
    const char *region_code; /* 12-digit statistical region code (rules.md §11.3) */
    int64_t place_id;        /* a standard place name (placenames), 0 if none */
    const char *detail;      /* "新华路 12 号 3 单元 2-1", at most 100 characters */
};

/* Relations to the household head (户主). */
#define REGISTRY_RELATIONS "head spouse child parent grandchild grandparent sibling other"

struct registry_resident {
    int64_t id;               /* internal; never shown */
    const char *code;         /* the resident code, stored form */
    const char *name;
    const char *name_pinyin;  /* joined: "zhangsanfeng" */
    const char *name_initials; /* "zsf" */
    const char *sex;          /* "M" or "F" */
    const char *birth_date;   /* YYYY-MM-DD */
    int age;                  /* full years today (China time) */
    const char *id_number_masked; /* "500110********123X" */
    const char *phone_masked;     /* "138****5678", "" if none */
    const char *ethnicity;
    const char *hukou_type;   /* "urban" or "rural" */
    struct registry_address hukou;
    struct registry_address residence; /* its region code is the data scope */
    int64_t household_id;     /* 0 if none */
    const char *household_number; /* "" if none */
    const char *relation;     /* to the household head; "" if none */
    const char *status;       /* "alive", "deceased", "moved_out" */
    const char *status_date;  /* when the status took effect; "" for alive since created */
    int64_t version;          /* for optimistic concurrency */
    const char *created_at, *updated_at;
};

struct registry_resident_new {
    const char *name;       /* 1-30 characters: Han, letters, middle dot */
    const char *id_number;  /* 18 characters (a 15-digit number is upgraded) */
    const char *sex;        /* "M"/"F", or NULL: from the ID number; must agree with it */
    const char *birth_date; /* or NULL: from the ID number; must agree with it */
    const char *phone;      /* 11-digit mobile or "023-12345678", or NULL */
    const char *ethnicity;  /* "汉族", or NULL */
    const char *hukou_type; /* "urban" or "rural" */
    struct registry_address hukou;     /* region NULL: the residence address */
    struct registry_address residence; /* region required, inside the caller's scope */
    int64_t household_id;   /* 0: none */
    const char *relation;   /* with a household: one of REGISTRY_RELATIONS */
};

/*
 * Registers a resident and writes its new code into code_out. Errors:
 * MS_EFIELD / MS_EMISSING naming the field (an invalid ID number; a sex or
 * birth date that disagrees with it; a bad name, phone, region code, ...; a
 * residence outside the caller's scope), MS_EEXISTS (field "id_number": the
 * ID number is registered already, found through its blind index).
 */
int registry_resident_create(struct store *st, const char *scope,
                             const struct registry_resident_new *in, const struct ms_actor *actor,
                             char code_out[MS_RESCODE_LEN + 1], struct ms_err *err);

/* A change: NULL fields (region_code NULL for addresses) stay as they are.
 * The ID number, sex and birth date are not changed here. */
struct registry_resident_patch {
    const char *name;
    const char *phone;      /* "" removes it */
    const char *ethnicity;
    const char *hukou_type;
    struct registry_address hukou;
    struct registry_address residence;
};

/*
 * Applies patch to the resident with code if its version is still
 * expected_version, and bumps the version (written to *new_version).
 * Errors: MS_ENOTFOUND (no such resident in scope), MS_ESTALE (changed
 * since it was read), MS_EFIELD as for create.
 */
int registry_resident_update(struct store *st, const char *scope, const char *code,
                             const struct registry_resident_patch *patch,
                             int64_t expected_version, const struct ms_actor *actor,
                             int64_t *new_version, struct ms_err *err);

/* One resident, ID and phone masked. MS_ENOTFOUND outside the scope. */
int registry_resident_get(struct store *st, const char *scope, const char *code,
                          struct ms_arena *arena, struct registry_resident *out,
                          struct audit_entry *read, struct ms_err *err);

/*
 * The full ID number of a resident, for a stated purpose (1-200
 * characters; MS_EMISSING, field "purpose", if blank), which the audit
 * entry in *read carries. The caller must hold
 * registry:resident:view_full_id (the route checks it).
 */
int registry_resident_reveal_id(struct store *st, const char *scope, const char *code,
                                const char *purpose, struct ms_arena *arena,
                                const char **id_number, struct audit_entry *read,
                                struct ms_err *err);

struct registry_query {
    const char *q;          /* hanzi name prefix, pinyin prefix or initials, resident
                               code, exact ID number or exact phone; NULL: all */
    const char *town;       /* 9-digit township code (a region prefix), or NULL */
    const char *village;    /* 12-digit village code, or NULL */
    int age_min, age_max;   /* -1: no bound */
    const char *status;     /* NULL or a status */
    const char *hukou_type; /* NULL, "urban" or "rural" */
    int page;               /* from 1 */
    int page_size;          /* 1..100 */
};

/* Searches count their matches up to this many ("1000+"): counting a whole
 * district for every page costs more than the page. */
#define REGISTRY_TOTAL_CAP 1000

struct registry_page {
    struct registry_resident *items;
    size_t n;
    int64_t total;          /* matches across all pages, at most REGISTRY_TOTAL_CAP */
    int is_total_capped;    /* there are more than REGISTRY_TOTAL_CAP */
    const char *matched_by; /* "all", "name", "pinyin", "code", "id_number", "phone" */
};

/*
 * Finds residents in scope. An ID or phone number is looked up through its
 * blind index and never written to the audit log (the entry says only
 * "by=id_number"). Ordered by pinyin, then id. Errors: MS_EFIELD naming the
 * argument ("q", "page_size", ...).
 */
int registry_resident_search(struct store *st, const char *scope,
                             const struct registry_query *query, struct ms_arena *arena,
                             struct registry_page *out, struct audit_entry *read,
                             struct ms_err *err);

struct registry_household {
    int64_t id;
    const char *number;     /* 户号 */
    const char *head_code;  /* "" until a head is registered */
    struct registry_address address;
    struct registry_resident *members; /* those in the caller's scope */
    size_t n_members;
};

struct registry_household_new {
    const char *number;     /* 1-20 letters and digits, unique */
    struct registry_address address; /* inside the caller's scope */
};

int registry_household_create(struct store *st, const char *scope,
                              const struct registry_household_new *in,
                              const struct ms_actor *actor, int64_t *id_out, struct ms_err *err);

/* A household with its members. MS_ENOTFOUND outside the scope. */
int registry_household_get(struct store *st, const char *scope, int64_t id,
                           struct ms_arena *arena, struct registry_household *out,
                           struct audit_entry *read, struct ms_err *err);

/*
 * Life events: a person's timeline. The registry's kinds are birth,
 * marriage, divorce, death, move_in and move_out; other modules add theirs
 * (assistance granted, insurance enrolled, ...) with their own kind and
 * source_module, in the same table.
 */
struct registry_event {
    int64_t id;
    const char *kind;
    const char *date;          /* YYYY-MM-DD */
    const char *source_module; /* "registry", "assistance", ... */
    const char *detail_json;   /* an object, "{}" if nothing more */
    const char *created_at, *created_by;
};

/*
 * Records an event of the registry's kinds. death sets the status to
 * deceased, move_out to moved_out and move_in back to alive (with the event's
 * date as status_date), bumping the version. detail_json: NULL or a JSON
 * object of at most 2000 bytes.
 */
int registry_event_add(struct store *st, const char *scope, const char *code, const char *kind,
                       const char *date, const char *detail_json, const struct ms_actor *actor,
                       int64_t *id_out, struct ms_err *err);

/* The resident's timeline, oldest first. */
int registry_event_list(struct store *st, const char *scope, const char *code,
                        struct ms_arena *arena, struct registry_event **events, size_t *n,
                        struct audit_entry *read, struct ms_err *err);

/* --- bulk loading (registry_bulk.c) ------------------------------------------------
 *
 * For the synthetic-district generator (modules/gen) and, later, batch
 * imports: thousands of residents in one transaction, one prepared INSERT
 * reused per row, and ONE audit entry for the whole batch instead of one per
 * resident. The caller owns the transaction: open it (store_begin() or
 * store_tx()), registry_bulk_begin(), add rows, registry_bulk_end() (which
 * appends the audit entry), then commit. registry_bulk_release() frees the
 * scratch memory on every path.
 *
 * Rows are validated as registry_resident_create() validates them (name; ID
 * number valid and agreeing with sex and birth date; phone; hukou type;
 * region codes; relation), except that scope is not checked (bulk loading is
 * for whole-district jobs) and a duplicate ID number is left to the UNIQUE
 * constraint: MS_EEXISTS, which aborts the batch. Codes are drawn with
 * ms_rescode_from_seed() from *code_state when it is not NULL (synthetic
 * data: the same seed gives the same codes), else at random, and redrawn on
 * a clash with a code already stored.
 */
struct registry_bulk {
    struct store *st;
    const struct ms_seal *seal;
    const struct ms_actor *actor;
    uint64_t *code_state;      /* NULL: random codes */
    int32_t today;             /* ID numbers with a later birth date are refused */
    size_t n_residents, n_households, n_events;
    char now[32];              /* created_at of every row */
    struct ms_arena scratch;   /* per row, reset after each */
};

/* Starts a batch inside the caller's open transaction. Loads the key.
 * Errors: as registry_load_key(). */
int registry_bulk_begin(struct registry_bulk *b, struct store *st, const struct ms_actor *actor,
                        uint64_t *code_state, struct ms_err *err);

/* Adds a household (number 1-20 digits or capitals, unique). */
int registry_bulk_household(struct registry_bulk *b, const struct registry_household_new *in,
                            int64_t *id_out, struct ms_err *err);

/*
 * Adds a resident: status NULL or "alive", or "deceased" with status_date.
 * A resident with relation "head" becomes its household's head. Writes the
 * internal id and the code drawn.
 */
int registry_bulk_resident(struct registry_bulk *b, const struct registry_resident_new *in,
                           const char *status, const char *status_date, int64_t *id_out,
                           char code_out[MS_RESCODE_LEN + 1], struct ms_err *err);

/* Adds a life event (source_module "registry") to the timeline of the
 * resident with internal id resident_id; detail_json NULL or an object. */
int registry_bulk_event(struct registry_bulk *b, int64_t resident_id, const char *kind,
                        const char *date, const char *detail_json, struct ms_err *err);

/* Appends the batch's one audit entry: action (e.g. "registry.generate"),
 * object_type "resident", detail "N residents, H households, E events". */
int registry_bulk_end(struct registry_bulk *b, const char *action, struct ms_err *err);

/* Frees the scratch memory. Safe to call twice. */
void registry_bulk_release(struct registry_bulk *b);

/* --- export (registry_export.c) ----------------------------------------------------- */

struct registry_export {
    char *xlsx;           /* the workbook's bytes; caller frees with free() */
    size_t xlsx_len;
    int64_t rows;         /* residents in it */
    const char *filename; /* "residents-YYYYMMDD.xlsx" (Beijing date), in arena */
};

/*
 * Writes the residents in scope that match query (filters and q checked as
 * registry_resident_search() checks them; page and page_size are ignored),
 * in search order, into an .xlsx workbook: a sheet of residents with the ID
 * and phone numbers masked (the full numbers never enter the file), and a
 * sheet "说明" with actor, time, filters and row count. purpose: NULL, or up
 * to 200 characters kept in the audit entry. More matches than the policy
 * registry.export_max_rows is MS_EINVAL, asking in Chinese to narrow the
 * filters. On success *read holds the entry to record (action
 * "registry.export"; detail: row count and filters, never q) before the
 * bytes are handed out; on failure out holds nothing to free.
 */
int registry_resident_export(struct store *st, const char *scope,
                             const struct registry_query *query, const char *purpose,
                             const struct ms_actor *actor, struct ms_arena *arena,
                             struct registry_export *out, struct audit_entry *read,
                             struct ms_err *err);

extern const struct ms_module registry_module;

#endif
