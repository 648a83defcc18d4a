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
 * Department feeds (issue #4): gen_feeds_* below write them in the same
 * pass through the chunk hook, gen_options.after_chunk, which is called
 * after each chunk's residents are stored (inside its transaction) with
 * what was planted.
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
 * When store_tx() retries a busy transaction the hook is called again for
 * the same chunk (same first_resident), so a hook writing outside the
 * database must replace what it wrote, not repeat it (gen_feeds_chunk()). */
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
    struct gen_roll *roll; /* or NULL: no assistance roll (gen_roll_open()) */
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

/* --- department feeds (docs/gen.md, "Department feeds") ------------------------- */

/*
 * With a directory, `gen` also writes the seventeen department feeds of
 * src/modules/exchange/feeds/ as files (<feed>.csv or <feed>.jsonl) with
 * realistic noise, and truth.csv saying which resident each row is about.
 * It runs as the chunk hook: pass gen_feeds_chunk as gen_options.after_chunk
 * and the feeds as hook_ctx. Rows are drawn from a random stream of their
 * own (seeded from the district's seed), so the district is the same with
 * or without feeds, and the same seed, residents and as-of date give
 * byte-identical files. Memory stays one chunk's rows.
 */
struct gen_feeds;

#define GEN_DEFAULT_FEED_MONTHS 12
#define GEN_MAX_FEED_MONTHS     120
#define GEN_FEEDS               17 /* feeds written */

#define GEN_ROLL_PLANTS 8 /* kinds planted around the roll (gen_feeds_set_roll()) */

struct gen_feeds_stats {
    size_t rows[GEN_FEEDS]; /* data rows per feed, in gen_feeds_name() order */
    size_t total, clean, noisy, absent, bad, planted;
    /* Planted around the roll, households: a vehicle, a business, wages
     * above the threshold, a new unemployment registration (cases); a
     * closed business, wages at the threshold, wages before the enrolment's
     * row in force, an old registration (near misses). */
    size_t roll_plants[GEN_ROLL_PLANTS];
    size_t edge_falls; /* households whose earner's wage stops (the planted fall) */
};

/*
 * Creates dir (one level) if missing and the feed files in it, with their
 * headers. months: monthly periods of payments and wages, the last being the
 * month before the as-of date (1..GEN_MAX_FEED_MONTHS). *out must be released
 * with gen_feeds_finish() even when this fails. Errors: MS_EFIELD (field
 * "feed_months"), MS_EIO, MS_EINTERNAL (no iconv GB18030).
 */
int gen_feeds_open(const char *dir, uint64_t seed, int months, struct gen_feeds **out,
                   struct ms_err *err);

struct gen_roll;

/* The assistance roll the district gets (gen_roll_open()), or NULL: the
 * feeds then tag and plant the rules that read the roll (docs/gen.md). The
 * roll must run in the same gen_district() (it does before the hook). */
void gen_feeds_set_roll(struct gen_feeds *fx, const struct gen_roll *roll);

/* The chunk hook (gen_chunk_hook_fn): makes the chunk's rows; a retried
 * chunk replaces its earlier rows. */
int gen_feeds_chunk(struct store *st, const struct gen_chunk *chunk, void *ctx, struct ms_err *err);

/* Counts so far. */
void gen_feeds_stats(const struct gen_feeds *fx, struct gen_feeds_stats *out);

/* The file name of feed i ("death_police.csv"), i < GEN_FEEDS. */
const char *gen_feeds_file(size_t i, char *buf, size_t size);

/*
 * Writes the last chunk's rows when is_complete (the district was made
 * without error), closes the files and frees fx (NULL does nothing).
 * Errors: MS_EIO.
 */
int gen_feeds_finish(struct gen_feeds *fx, int is_complete, struct ms_err *err);

/* --- the assistance roll (gen_roll.c; docs/gen.md, "The assistance roll") --------- */

/*
 * The district's existing recipients of 低保 (dibao) and 特困 (tekun):
 * chosen per household among plausible ones (older, single parents,
 * grandparents with grandchildren; never a household the feeds give a wage
 * or an employee pension), more in rural households, enrolled some months
 * or years before the as-of date on the standard then in force, with their
 * paid lines for the history months, and a few payees who died while the
 * payments went on (planted: paid_after_death). Written through the
 * assistance module's API (assistance_roll_*): enrolments in each chunk's
 * transaction, the payment history set-based at the end. Its random stream
 * is its own (seed and household number), so the district is the same with
 * or without the roll, and the chunk size changes nothing.
 */
struct gen_roll;

#define GEN_ROLL_HISTORY_MONTHS 12 /* paid months before the as-of month */

struct gen_roll_stats {
    size_t households[2], persons[2]; /* on the roll now: [0] dibao, [1] tekun */
    size_t persons_area[2][2];        /* the same persons by [scheme][is_urban] */
    size_t residents_area[2];         /* every resident looked at, [is_urban] */
    size_t rows;                      /* enrolment rows (a new standard adds one) */
    size_t stopped;                   /* ended by the payee's death */
    size_t former;                    /* left the roll in the history window */
    size_t planted, planted_lines;    /* payees paid after their death month */
    int64_t history_lines, history_fen;
    int64_t ms; /* time the roll took, milliseconds */
};

/* seed: the district's; feed_months: as given to gen_feeds_open() (the roll
 * asks the feeds who has a wage or an employee pension). */
int gen_roll_open(uint64_t seed, int feed_months, struct gen_roll **out, struct ms_err *err);
void gen_roll_stats(const struct gen_roll *roll, struct gen_roll_stats *out);
/* Appends the planted lines to dir/truth.csv (feed assistance_payment). */
int gen_roll_write_truth(const struct gen_roll *roll, const char *dir, struct ms_err *err);
void gen_roll_free(struct gen_roll *roll);

extern const struct ms_module gen_module;

#endif
