/*
 * linkage.h - Fellegi-Sunter record linkage (issue #4; docs/linkage.md).
 *
 * Two person records are compared field by field with the comparators of
 * core/similarity.h; each field gives a level (or LINK_MISSING when either
 * value is absent). A model holds, per field and level, m = P(level | same
 * person) and u = P(level | different people); the weight of a pair is the
 * sum over fields of log2(m/u) for its levels (missing fields add 0). Pairs
 * at or above the upper threshold are links, below the lower one non-links,
 * and in between go to clerical review. m and u are estimated by EM from the
 * comparison vectors of the candidate pairs themselves (no training data).
 *
 * This file is pure computation: no store, no HTTP, no files. The exchange
 * module uses it against the registry (candidates from SQL blocking); the
 * `minsheng link` command uses it on two CSV files (linkage_files.h).
 *
 * Everything here is thread-safe on distinct objects; nothing keeps global
 * state apart from the pinyin cache of core/pinyin.h.
 */
#ifndef MS_LINKAGE_H
#define MS_LINKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/similarity.h"

/* The compared fields. Numbers are stored with models: never renumber. */
enum link_field {
    LINK_F_NAME = 0, /* full name (hanzi or Latin): ms_sim_name_level, 5 levels */
    LINK_F_FAMILY,   /* family name alone, same comparator (Latin-name files) */
    LINK_F_GIVEN,    /* given name alone, same comparator */
    LINK_F_ID,       /* ID number: ms_sim_id_level, 4 levels */
    LINK_F_BIRTH,    /* birth date: ms_sim_date_level, 4 levels */
    LINK_F_SEX,      /* 0 differ, 1 equal */
    LINK_F_REGION,   /* 12-digit region code of the address: ms_sim_region_level, 4 */
    LINK_F_TOWN,     /* town / suburb as text: 0 differ, 1 equal (case-folded) */
    LINK_F_POSTCODE, /* 0 differ, 1 equal */
    LINK_F_ADDRESS,  /* free-text address: 0, 1 Jaro-Winkler >= 0.90, 2 equal */
    LINK_F_PHONE,    /* ms_sim_phone_level, 3 levels */
    LINK_F_COUNT
};

#define LINK_MAX_LEVELS 5
#define LINK_MISSING    (-1) /* either value absent: no evidence either way */

/* Number of levels of a field; its stable English name ("name", "id_number",
 * "birth_date", "sex", "region", "town", "postcode", "address", "phone",
 * "family_name", "given_name"); a short label of one level ("homophone",
 * "one_digit", "day_month_swapped", ...; "missing" for LINK_MISSING), and
 * the same label in Chinese ("同音字", "一位数字不同", ...). */
int link_field_levels(enum link_field f);
const char *link_field_name(enum link_field f);
int link_field_from_name(const char *name); /* -1 if unknown */
const char *link_level_label(enum link_field f, int level);
const char *link_level_label_zh(enum link_field f, int level);

/*
 * A prepared record: values normalised once so comparing is cheap. All
 * buffers are inside the struct (no allocation); an empty string, has_birth
 * 0 or sex 0 means missing. (birth 0 cannot mean missing: it is 1970-01-01.)
 */
struct link_rec {
    char name[64];                    /* as given, trimmed, NFC not required */
    char name_full[MS_SIM_MAX_BYTES + 1]; /* pinyin "zhang san" or lower-cased Latin words */
    char family[48], family_full[96];
    char given[48], given_full[160];
    char id_number[19]; /* 18 characters as recorded (x -> X); 15-digit numbers upgraded */
    int id_valid;       /* 1 if the 18 characters pass ms_idcard_parse() */
    int32_t birth;      /* date.h day number, valid only if has_birth */
    int has_birth;
    char sex;           /* 'M', 'F' or 0 */
    char region[13];    /* 6, 9 or 12 digits as given, "" if missing */
    char town[64];
    char postcode[16];
    char address[192];
    char phone[32];
};

/* Roles a value can be given in (a column's role in a file, or a feed's
 * identity field). */
enum link_role {
    LINK_ROLE_FULL_NAME,
    LINK_ROLE_FAMILY_NAME,
    LINK_ROLE_GIVEN_NAME,
    LINK_ROLE_ID_NUMBER,
    LINK_ROLE_BIRTH_DATE,
    LINK_ROLE_SEX,
    LINK_ROLE_REGION,
    LINK_ROLE_TOWN,
    LINK_ROLE_POSTCODE,
    LINK_ROLE_ADDRESS,
    LINK_ROLE_PHONE,
    LINK_ROLE_COUNT
};
const char *link_role_name(enum link_role r); /* "full_name", "birth_date", ... */
int link_role_from_name(const char *name);    /* -1 if unknown */

void link_rec_init(struct link_rec *r);

/*
 * Sets one value. Empty (or all-space) text leaves the field missing and
 * returns 0. Names: hanzi get their pinyin (core/pinyin.h), Latin names are
 * lower-cased with runs of spaces, dots and hyphens made single spaces; a
 * full name given when family/given are not also gets split only if it is
 * hanzi (surname rules of pinyin.h). ID numbers: 15 digits are upgraded,
 * 18 characters kept as recorded (a wrong check character is kept: it is
 * evidence, see similarity.h), anything else is an error. Birth dates:
 * date_format is NULL or "YYYY-MM-DD" (also YYYYMMDD, YYYY/MM/DD,
 * YYYY.MM.DD), "DD/MM/YYYY", "MM/DD/YYYY" or "YYYYMMDD". Sex: M/F, 男/女,
 * 1/2 (GB/T 2261.1), male/female, any case. Region: 6, 9 or 12 digits.
 * Returns 0 or MS_EFIELD (field = the role's name) with a Chinese message;
 * on error the field stays missing.
 */
int link_rec_set(struct link_rec *r, enum link_role role, const char *value,
                 const char *date_format, struct ms_err *err);

/* A model: which fields take part, their m/u, and the name threshold. */
struct link_model {
    uint32_t fields;   /* bit (1u << field) set for each field used */
    int id_validated;  /* compare ID numbers with ms_sim_id_level_validated() */
    double jw_min;     /* ms_sim_name_level's threshold (policy) */
    double lambda;     /* share of matches among the candidate pairs */
    double m[LINK_F_COUNT][LINK_MAX_LEVELS];
    double u[LINK_F_COUNT][LINK_MAX_LEVELS];
};

/* Starting values for EM for the given fields: m high at the top level,
 * u from the level's rough frequency among random pairs; lambda 0.01. */
void link_model_init(struct link_model *m, uint32_t fields, double jw_min);

/*
 * Level counts of a set of pairs (counts[field][level]), as link_compare()
 * gives them, to probabilities with additive smoothing: each of a field's
 * levels gets (count + 0.5) / (total + 0.5 * levels), at least floor.
 * Fields never observed keep their values in table. For u measured on
 * random or candidate pairs.
 */
void link_counts_to_probs(const double counts[LINK_F_COUNT][LINK_MAX_LEVELS], double floor,
                          double table[LINK_F_COUNT][LINK_MAX_LEVELS]);

/* The fields of a model as a bit set from names "name,birth_date,sex". */
int link_fields_parse(const char *list, uint32_t *out, struct ms_err *err);

/* Compares two records on the model's fields; levels[f] is the level or
 * LINK_MISSING (also for fields not in the model). */
void link_compare(const struct link_model *m, const struct link_rec *a, const struct link_rec *b,
                  int8_t levels[LINK_F_COUNT]);

/* Total weight (log2 likelihood ratio) of a comparison vector; per_field
 * (may be NULL) receives each field's part (0 for missing / unused). */
double link_weight(const struct link_model *m, const int8_t levels[LINK_F_COUNT],
                   double per_field[LINK_F_COUNT]);

/* Posterior match probability of a weight under the model's lambda. */
double link_probability(const struct link_model *m, double weight);

enum link_decision { LINK_NONMATCH = 0, LINK_REVIEW = 1, LINK_MATCH = 2 };
enum link_decision link_decide(double weight, double lower, double upper);
const char *link_decision_name(enum link_decision d); /* "nonmatch", "review", "match" */

/*
 * EM over comparison vectors (Fellegi-Sunter with conditional independence,
 * Winkler 1988). Vectors are counted by pattern, so memory grows with the
 * number of distinct patterns (a few thousand at most), not with the pairs.
 */
struct link_em;
struct link_em *link_em_new(const struct link_model *start);
void link_em_add(struct link_em *e, const int8_t levels[LINK_F_COUNT]);
size_t link_em_pairs(const struct link_em *e);

/* Keeps u at the start model's values, so EM estimates m and lambda only.
 * Use it when u was measured on random pairs (linkage_files.c does): u is then
 * P(level | two random people) and not biased by the blocking, which makes
 * the candidate pairs anything but random (Splink does the same). */
void link_em_fix_u(struct link_em *e);

struct link_em_result {
    int iterations;
    int converged;      /* 1 if the change in log-likelihood fell below tol */
    double loglik;
    size_t pairs, patterns;
};
/* Runs EM from the start model into *out (fields and jw_min copied), for at
 * most max_iter steps or until the log-likelihood per pair changes by less
 * than tol (res->converged; per pair so that tol does not depend on how many
 * pairs there are). m and u
 * are kept at least 1e-6 (no level is ever impossible). The match class is
 * the one that agrees: if EM lands on the mirror solution (most fields with
 * the top level's m below its u) the classes are swapped; a field whose top
 * level's m still does not exceed its u then gets m = u, so it carries no
 * weight rather than weight against agreement. Errors: MS_EINVAL when no
 * pair was added. */
int link_em_run(struct link_em *e, int max_iter, double tol, struct link_model *out,
                struct link_em_result *res, struct ms_err *err);
void link_em_free(struct link_em *e);

/*
 * Evidence of one comparison as a JSON object (jansson json_t *, returned
 * as void * so this header does not need jansson):
 *   {"weight": 21.3, "fields": {"name": {"level": 3, "label": "homophone",
 *    "label_zh": "同音字", "weight": 5.12}, ...}}
 * Missing fields appear with level null and weight 0. The caller owns it.
 */
void *link_evidence_json(const struct link_model *m, const int8_t levels[LINK_F_COUNT]);

/* The model as JSON ({"fields":[...],"jw_min":..,"lambda":..,"m":{"name":[..]},
 * "u":{..}}) and back, to store a model with a batch or a feed. */
void *link_model_to_json(const struct link_model *m);
int link_model_from_json(const void *json, struct link_model *out, struct ms_err *err);

#endif
