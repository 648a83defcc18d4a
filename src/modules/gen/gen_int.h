/*
 * gen_int.h - shared between the generator's files: the random number
 * generator, the name tables (gen_names.c) and the module's tables.
 */
#ifndef MS_GEN_INT_H
#define MS_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

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

#endif
