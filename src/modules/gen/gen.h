/*
 * gen.h - the synthetic-district generator (issue #3 item 4; docs/gen.md).
 *
 * gen_district() fills an empty registry with a synthetic district built
 * household by household on the places already in the places table
 * (villages and communities): an ageing Chongqing-like age and sex pyramid,
 * household types (elderly living alone, elderly couples, nuclear families,
 * three generations, grandparents with left-behind grandchildren, ...),
 * urban or rural hukou by place, names by frequency and birth cohort, valid
 * ID numbers agreeing with birth date and sex, synthetic phone numbers,
 * addresses, and life events (births of the last five years, marriages,
 * deaths of the last three years with status deceased).
 *
 * Determinism: the same seed, resident count and as-of date over the same
 * places give the same district: the same names, resident codes, ID numbers
 * (hence blind indexes), birth dates, households and events. Nothing depends
 * on time, hash order or threads. Sealed values differ between runs (their
 * nonces are random), and so do created_at timestamps.
 *
 * Streaming: households are generated a chunk at a time (about
 * chunk_residents residents) into an arena that is reset after each commit,
 * so memory stays flat; each chunk is one transaction with one audit entry
 * ("registry.generate", via registry_bulk_end()).
 *
 * Extension points for the department feeds of later issues: the table of
 * steps in gen.c, and struct gen_hooks below, called after each chunk's
 * residents are stored (inside its transaction) with what was planted.
 */
#ifndef MS_GEN_H
#define MS_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/actor.h"
#include "core/err.h"
#include "core/rescode.h"

struct store;
struct ms_module;

#define GEN_MAX_RESIDENTS 20000000
#define GEN_DEFAULT_CHUNK 5000

/* One generated person, as planted (plain text: the ground truth). */
struct gen_person {
    int64_t id;                    /* residents.id once stored */
    char code[MS_RESCODE_LEN + 1]; /* resident code once stored */
    char name[40];
    char id_number[19];
    char phone[12];       /* "" if none */
    char sex;             /* 'M' or 'F' */
    int32_t birth;        /* date.h day number */
    int32_t death;        /* 0 if alive; else the date of death */
    int32_t marriage;     /* 0 if not married in the household */
    int spouse;           /* index of the spouse in the household, or -1 */
    const char *relation; /* to the head */
    const char *ethnicity;
};

/* One generated household with its members. */
struct gen_household {
    int64_t id;              /* households.id once stored */
    char number[24];         /* 户号 */
    const char *type;        /* "elder_alone", "nuclear", ... */
    const char *region_code; /* the village's or community's 12-digit code */
    int64_t place_id;
    const char *town_name, *place_name;
    int is_urban; /* hukou type of its members */
    char address[96];
    struct gen_person *members;
    size_t n;
};

/* What a hook sees: the households of one chunk, stored but not committed. */
struct gen_chunk {
    const struct gen_household *households;
    size_t n_households;
    size_t first_resident; /* residents generated before this chunk */
    int32_t as_of;
};

/* Called after each chunk inside its transaction; an error aborts the run.
 * Later issues add department feeds (deaths reported by the police, pension
 * payments, ...) and the ground-truth file here. */
typedef int gen_chunk_hook_fn(struct store *st, const struct gen_chunk *chunk, void *ctx,
                              struct ms_err *err);

/* Progress: residents done of total; called a few hundred times a run. */
typedef void gen_progress_fn(size_t done, size_t total, void *ctx);

struct gen_options {
    uint64_t seed;
    size_t residents;          /* exactly this many residents, 1..GEN_MAX_RESIDENTS */
    const char *as_of;         /* "YYYY-MM-DD": the generation date; NULL: today (China) */
    size_t chunk_residents;    /* commit about every N residents; 0: GEN_DEFAULT_CHUNK */
    gen_progress_fn *progress; /* or NULL */
    void *progress_ctx;
    gen_chunk_hook_fn *after_chunk; /* or NULL */
    void *hook_ctx;
    FILE *truth; /* reserved: ground truth of what is planted; NULL */
};

struct gen_stats {
    size_t residents, households, events;
    size_t deceased, births, marriages;
    size_t places; /* villages and communities used */
};

/*
 * Generates the district into st (the registry must hold no residents yet).
 * Errors: MS_EFIELD (field "residents", "as_of"), MS_ECONFLICT when the
 * registry is not empty, MS_ENOTFOUND when the places table has no villages
 * or communities (the message says how to import them), and store errors.
 * Chunks committed before an error stay.
 */
int gen_district(struct store *st, const struct gen_options *o, const struct ms_actor *actor,
                 struct gen_stats *stats, struct ms_err *err);

extern const struct ms_module gen_module;

#endif
