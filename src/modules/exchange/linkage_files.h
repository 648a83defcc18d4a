/*
 * linkage_files.h - linking two CSV files of person records, or finding the
 * duplicates within one, with the model of linkage.h (`minsheng link`;
 * docs/linkage.md describes the config, the blocking and PAIRS.csv).
 *
 * The steps: read each file (UTF-8 CSV with a header row) into prepared
 * records; with the engine of linkage_engine.h, block in memory (records sharing a blocking key become candidate
 * pairs, each pair once however many rules bring it); compare every
 * candidate pair; estimate u on random pairs as EM's start (or as u
 * itself, em.fix_u), then m, u and lambda by EM on the candidates;
 * score, decide, optionally keep one partner per record; write PAIRS.csv
 * atomically. Nothing here prints: what the command reports comes back in
 * struct link_files_stats.
 *
 * Ownership: a config owns its strings (they point into its JSON) until
 * link_files_config_release(). Not thread-safe on one config.
 */
#ifndef MS_LINKAGE_FILES_H
#define MS_LINKAGE_FILES_H

#include <stddef.h>

#include "core/err.h"
#include "modules/exchange/linkage.h"
#include "modules/exchange/linkage_engine.h"

/* The blocking rules and their parts live with the engine. */
#define LINK_FILES_MAX_RULES      LINK_MAX_RULES
#define LINK_FILES_MAX_PARTS      LINK_MAX_PARTS
#define LINK_FILES_SKIPPED_LISTED LINK_SKIPPED_LISTED

/* Where each role is found in one file. */
struct link_files_side {
    const char *id_column;
    const char *columns[LINK_ROLE_COUNT]; /* NULL: the file has no such column */
    const char *date_format;              /* NULL: YYYY-MM-DD and its variants */
};

#define LINK_FILES_DEFAULT_UPPER    12.0
#define LINK_FILES_DEFAULT_LOWER    4.0
#define LINK_FILES_DEFAULT_MAX_ITER 200
#define LINK_FILES_DEFAULT_TOL      1e-9
#define LINK_FILES_DEFAULT_MAX_BLOCK 2000
#define LINK_FILES_DEFAULT_U_SAMPLE 300000

struct link_files_config {
    void *json;                         /* the parsed config (json_t *), owned */
    struct link_files_side side[2];     /* [0] the left file, [1] the right */
    struct link_block_rule rules[LINK_FILES_MAX_RULES];
    int n_rules;                        /* 0: the defaults for the configured roles */
    double upper, lower;                /* decision thresholds, log2 weight */
    double jw_min;                      /* name level 1 */
    int em_max_iter;                    /* 0: no EM, score with link_model_init()'s values */
    double em_tol;
    size_t u_sample;                    /* random pairs for EM's starting u (0: none) */
    int em_fix_u;                       /* hold u at the random pairs' values */
    size_t max_block;                   /* records in a block beyond which it is skipped */
};

/*
 * Parses a config (docs/linkage.md). Unknown keys, wrong types and values
 * out of range are refused with err->field naming the key
 * ("thresholds.upper", "columns.sex", "blocking[2]"). On success the caller
 * releases cfg. Errors: MS_EJSON, MS_EUTF8, MS_EFIELD, MS_EMISSING.
 */
int link_files_config_parse(const char *text, size_t len, struct link_files_config *cfg,
                            struct ms_err *err);

/* Reads the file at path and parses it. Errors as above, and MS_EIO when
 * the file cannot be read (err->field "config"). */
int link_files_config_load(const char *path, struct link_files_config *cfg, struct ms_err *err);

void link_files_config_release(struct link_files_config *cfg);

/* Writes "name_initials+birth_year" into buf. */
void link_files_rule_name(const struct link_block_rule *r, char *buf, size_t size);

/* The fields compared: those whose role has a column in both files (in the
 * left one alone when is_dedup). */
uint32_t link_files_fields(const struct link_files_config *cfg, int is_dedup);

/* The rules used: the config's, or the default rules whose parts both files
 * can give. Returns how many were written to out. */
int link_files_rules(const struct link_files_config *cfg, int is_dedup,
                     struct link_block_rule out[LINK_FILES_MAX_RULES]);

struct link_files_options {
    const char *left, *right; /* right NULL: de-duplicate left */
    const char *out;          /* PAIRS.csv, replaced atomically */
    int write_all;            /* also write non-matches */
    int one_to_one;           /* two files: keep each record's best pair only */
};

struct link_files_stats {
    size_t records[2];      /* rows read from left and right */
    size_t pairs;           /* distinct candidate pairs compared */
    size_t blocks_skipped;  /* over max_block */
    struct {
        int rule;           /* index into rules[] */
        size_t records;
    } skipped[LINK_FILES_SKIPPED_LISTED]; /* the first ones, for the report */
    struct link_block_rule rules[LINK_FILES_MAX_RULES];
    int n_rules;
    struct link_em_result em;
    struct link_model model;    /* as estimated */
    size_t decisions[3];        /* per enum link_decision, before one-to-one */
    size_t written;             /* rows of PAIRS.csv */
    size_t dropped_one_to_one;  /* match/review pairs dropped by --one-to-one */
};

/*
 * Runs the whole linkage. Errors: MS_EIO (a file cannot be read or the
 * output written; err->field the path), MS_EFIELD / MS_EUTF8 / MS_EMISSING
 * for bad input, with err->field "FILE row N, column C" (the header is row
 * 1). No candidate pair is not an error: PAIRS.csv then holds its header
 * alone and stats->em.iterations is 0. On error the output file is left as
 * it was.
 */
int link_files_run(const struct link_files_config *cfg, const struct link_files_options *o,
                   struct link_files_stats *stats, struct ms_err *err);

#endif
