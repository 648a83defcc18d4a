/*
 * gen_int.h - shared between the generator's files: the random number
 * generator, the name tables (gen_names.c) and the module's tables.
 */
#ifndef MS_GEN_INT_H
#define MS_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/str.h"
#include "modules/gen/gen.h"
#include "modules/module.h"

extern const struct cli_command gen_cli_commands[];

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64: fast, and
 * the same on every platform, which is all a synthetic district needs. */
struct gen_rng {
    uint64_t s[4];
};

void gen__rng_seed(struct gen_rng *r, uint64_t seed);
uint64_t gen__rng_next(struct gen_rng *r);
/* Uniform in [0, 1). */
double gen__rng_unit(struct gen_rng *r);
/* Uniform integer in [lo, hi] (lo <= hi). */
int gen__rng_range(struct gen_rng *r, int lo, int hi);

/* A weighted table entry: text and a relative weight. */
struct gen_weighted {
    const char *text;
    unsigned weight;
};

/* Birth cohorts for given names, by year of birth. */
enum gen_cohort {
    GEN_COHORT_1920S_50S, /* before 1960: 建国, 秀英, 淑芬 */
    GEN_COHORT_60S_70S,   /* 1960-1979: 卫东, 红梅 */
    GEN_COHORT_80S_90S,   /* 1980-1999: 伟, 婷婷 */
    GEN_COHORT_2000S,     /* 2000-2012: 浩然, 欣怡 */
    GEN_COHORT_2013_ON,   /* 2013 on: 梓轩, 语桐 */
    GEN_COHORT_COUNT
};

enum gen_cohort gen__cohort(int birth_year);

/* Writes "surname + given name" into out (size bytes): a surname by
 * frequency, and a given name of the person's cohort and sex, either a whole
 * common name or two characters from the cohort's pools. Never one of a
 * short list of famous people's names. */
void gen__name(struct gen_rng *r, int is_male, int birth_year, char *out, size_t size);

/* A surname by frequency (for a child, the father's is used instead). */
const char *gen__surname(struct gen_rng *r);
/* A given name only. */
void gen__given_name(struct gen_rng *r, int is_male, int birth_year, char *out, size_t size);
/* 1 if "surname+given" is on the list of famous names to avoid. */
int gen__is_famous(const char *full_name);

/* A road name for an urban address ("人民路"). */
const char *gen__road(struct gen_rng *r);

/* --- department feeds (gen_feeds.c, gen_feed_out.c, gen_noise.c) ------------------- */

/* Who a feed row is about: a registry resident as planted, or a synthetic
 * person who is not in the registry (p and hh NULL, code ""). */
struct gen_subject {
    const struct gen_person *p;     /* the resident, or NULL */
    const struct gen_household *hh; /* their household, or NULL */
    const char *code;               /* resident code, "" when absent */
    char name[40];
    char id_number[19];
    char phone[12];
    char sex;         /* 'M' or 'F' */
    int32_t birth;    /* date.h day number */
    int32_t death;    /* 0 if alive */
    char region[13];  /* 12-digit code of the residence */
    const char *town; /* town or street name, or NULL */
    int is_urban;
    const char *hh_type; /* "single_parent", ... or "" */
    int employer;        /* index in the employer pool, or -1 */
    int has_employer_history;
    int32_t wage_end; /* 0, or the first month without wages (a planted fall) */
};

/* Identity fields a feed carries (bits), so noise is drawn for those only. */
enum {
    GEN_F_ID = 1,
    GEN_F_NAME = 2,
    GEN_F_SEX = 4,
    GEN_F_BIRTH = 8,
    GEN_F_PHONE = 16,
    GEN_F_REGION = 32,
    /* Not a field: the ID number was checked against the police's records
     * when the row was made (a real-estate registration), so it is rarely
     * wrong (gen_noise.c, id_certified_*). */
    GEN_F_ID_CERTIFIED = 64,
};

/* An identity as one department recorded it: the fields of a subject after
 * noise, and what the noise did (docs/gen.md, "Department feeds"). */
struct gen_ident {
    char id_number[19]; /* "" when empty; 15 characters for the old form */
    char name[48];      /* "" when empty */
    char sex;           /* 'M', 'F' or 0 when empty */
    int has_birth;
    int32_t birth;
    char phone[12];
    char region[13];
    char tags[192]; /* "id:transposed;name:homophone", "" when clean */
    int id_usable;  /* id_number (a 15-digit one upgraded) is the registered one */
};

/* The subject's identity exactly (absent people and the noise's start). */
void gen__ident_exact(const struct gen_subject *s, struct gen_ident *out);

/* Draws the default noise for the fields in mask (GEN_F_*) of a resident's
 * identity; as_of bounds changed birth dates. */
void gen__ident_noisy(struct gen_rng *r, const struct gen_subject *s, unsigned mask, int32_t as_of,
                      struct gen_ident *out);

/* The replacement tables of the name noise, for tests: groups of given-name
 * characters with the same toneless pinyin (each a string of 3-byte UTF-8
 * characters), and pairs confused only by Chongqing fuzzy pinyin (n/l, f/h,
 * z/zh, c/ch, s/sh, en/eng, in/ing). NULL-terminated. */
extern const char *const gen__homophones[];
extern const char *const gen__fuzzy_pairs[][2];

/* A standard normal variate (Box-Muller). */
double gen__rng_normal(struct gen_rng *r);

/* The feeds, in the order of the definitions (gen__feed_defs[]). */
enum gen_feed_id {
    GEN_FEED_DEATH_POLICE,
    GEN_FEED_DEATH_CERTIFICATE,
    GEN_FEED_CREMATION,
    GEN_FEED_HUKOU_CHANGE,
    GEN_FEED_INSURANCE_ENROLMENT,
    GEN_FEED_PENSION_PAYMENT,
    GEN_FEED_UNEMPLOYMENT_REGISTRATION,
    GEN_FEED_UNEMPLOYMENT_BENEFIT,
    GEN_FEED_CONTRIBUTION_WAGE,
    GEN_FEED_MEDICAL_SETTLEMENT,
    GEN_FEED_DISABILITY_CERTIFICATE,
    GEN_FEED_BUSINESS_REGISTRATION,
    GEN_FEED_VEHICLE,
    GEN_FEED_STUDENT_AID,
    GEN_FEED_MEAL_SUBSIDY,
    GEN_FEED_REMOTE_BENEFIT,
    GEN_FEED_REAL_ESTATE, /* the first feed added after the sixteen: its own steering counters */
    GEN_FEED_COUNT
};

#define GEN_FEED_MAX_COLS  12
#define GEN_FEED_VALUE_MAX 128 /* bytes of one value, NUL included */

enum gen_feed_format {
    GEN_FEED_CSV,     /* UTF-8, LF */
    GEN_FEED_CSV_GBK, /* GB18030 (a superset of GBK), CRLF: a Windows export */
    GEN_FEED_JSONL,   /* UTF-8, one object per line */
};

/* What a column holds, for identity noise and deliberately bad rows. */
enum gen_col_role {
    GEN_COL_OTHER,
    GEN_COL_ID,
    GEN_COL_NAME,
    GEN_COL_SEX,
    GEN_COL_BIRTH,
    GEN_COL_PHONE,
    GEN_COL_REGION,
    GEN_COL_FACT_DATE, /* the row's required date */
    GEN_COL_PERIOD,    /* a required month, when the row has no date */
    GEN_COL_MONEY,
    GEN_COL_ENUM, /* a required enum */
    GEN_COL_USCC,
};

/* One feed as src/modules/exchange/feeds/<name>.json defines it. */
struct gen_feed_def {
    const char *name;
    enum gen_feed_format format;
    int compact_dates;                      /* YYYYMMDD rather than YYYY-MM-DD */
    const char *cols[GEN_FEED_MAX_COLS];    /* the `source` names, NULL-terminated */
    unsigned char roles[GEN_FEED_MAX_COLS]; /* enum gen_col_role */
    signed char key[2];                     /* natural key columns, -1 unused */
};

extern const struct gen_feed_def gen__feed_defs[GEN_FEED_COUNT];

/* Leaves a feed's maker out of every person's turn (tests: a feed added
 * later must leave the other feeds' rows and truth as they were). */
struct gen_feeds;
void gen__feeds_leave_out(struct gen_feeds *fx, int feed);

/* The output side (gen_feed_out.c): one file per feed and truth.csv. A
 * chunk's rows wait in memory until gen__out_flush(), so a chunk whose
 * transaction is retried can be dropped (gen__out_rollback()) and made
 * again. */
struct gen_feed_out;

/* Creates dir if needed and the files with their headers. On error too,
 * release *out with gen__out_close(*out, 0, ...). */
int gen__out_open(struct gen_feed_out **out, const char *dir, struct ms_err *err);
/* Appends a data row (n values, in column order) to a feed. */
void gen__out_row(struct gen_feed_out *o, int feed, char (*values)[GEN_FEED_VALUE_MAX]);
/* Appends one truth.csv line (the fields, already joined, without newline). */
void gen__out_truth(struct gen_feed_out *o, const char *line);
/* One line of truth_registry.csv (same columns; feed "registry"): a case a
 * monitoring rule finds in the registry alone (docs/gen.md). */
void gen__out_registry_truth(struct gen_feed_out *o, const char *line);
/* Appends text to a field-joining buffer, quoted the RFC 4180 way if needed. */
void gen__csv_field(struct ms_str *s, const char *value);
void gen__out_rollback(struct gen_feed_out *o);
int gen__out_flush(struct gen_feed_out *o, struct ms_err *err);
/* Flushes (if is_complete) and closes everything; frees o. */
int gen__out_close(struct gen_feed_out *o, int is_complete, struct ms_err *err);

/* --- the assistance roll (gen_roll.c) ------------------------------------------------ */

/* What the roll did with a household of the pending chunk: on the roll at
 * some time (enrolled), still on it on the as-of date (active), the scheme
 * (0 dibao, 1 tekun), the first month and the first month of the row in
 * force now (a new standard starts a new row). */
struct gen_roll_hh {
    int enrolled, active, scheme;
    int32_t start, active_start; /* first days of months */
};

/* The roll's view of the pending chunk's household h (its index in the
 * chunk), or NULL without a roll. The roll runs before the feeds' hook in
 * each chunk, so the feeds can tag and plant the rules over the roll. */
const struct gen_roll_hh *gen__roll_household(const struct gen_roll *roll, size_t h);

/* In each chunk's transaction, after its residents (gen.c: chunk_tx()). */
int gen__roll_chunk(struct gen_roll *roll, struct store *st, const struct gen_chunk *chunk,
                    const struct ms_actor *actor, struct ms_err *err);
/* After the last chunk: the paid history (gen.c: the "roll" step). */
int gen__roll_history(struct gen_roll *roll, struct store *st, const struct ms_actor *actor,
                      struct ms_err *err);

/* The feeds' view of people without writing feeds (gen_feeds.c): a probe
 * of the feeds of seed (free() it); whether they give p an employer or an
 * employee pension (cheap); and the feeds p appears in as themselves, a
 * bit per enum gen_feed_id (p's rows are made and dropped: the same stream
 * as the real feeds, except that which kind a rare bad row gets depends on
 * the run so far). */
struct gen_feeds *gen__feeds_probe(uint64_t seed, int months, int32_t as_of);
int gen__feeds_employee(struct gen_feeds *fx, const struct gen_household *hh,
                        const struct gen_person *p);
unsigned gen__feeds_person(struct gen_feeds *fx, const struct gen_household *hh,
                           const struct gen_person *p);

#endif
