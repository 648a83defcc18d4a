/*
 * exchange_feed.h - feed definitions: what a department's file looks like
 * and where each of its columns goes (docs/exchange.md, "Feeds").
 *
 * The definitions are data: one JSON file per feed in
 * src/modules/exchange/feeds/, compiled into the binary and parsed once.
 * A column either carries an identity value for linkage (`role`: full_name,
 * id_number, birth_date, sex, region, phone), or a fact: one of the typed
 * record columns (fact_date, period, amount, category, level, status,
 * ref_code) or, under its own field name, a key of the record's data_json.
 */
#ifndef MS_EXCHANGE_FEED_H
#define MS_EXCHANGE_FEED_H

#include <stddef.h>

#include "core/err.h"

enum feed_type {
    FEED_T_IDENTITY, /* a `role` column: checked by link_rec_set() */
    FEED_T_CODE,     /* printable ASCII without spaces, at most 64 bytes */
    FEED_T_TEXT,     /* any text, at most 200 characters */
    FEED_T_DATE,     /* a date in the column's format */
    FEED_T_MONTH,    /* a month: YYYY-MM or YYYYMM */
    FEED_T_MONEY,    /* yuan with at most two decimals, not negative */
    FEED_T_ENUM,     /* one of `values`, stored as its mapped value */
    FEED_T_USCC,     /* a unified social credit code (GB 32100) */
};

/* Where a value goes in exchange_records. */
enum feed_target {
    FEED_TO_DATA, /* data_json[field] */
    FEED_TO_NAME,
    FEED_TO_ID_NUMBER,
    FEED_TO_BIRTH_DATE,
    FEED_TO_SEX,
    FEED_TO_REGION,
    FEED_TO_PHONE,
    FEED_TO_FACT_DATE,
    FEED_TO_PERIOD,
    FEED_TO_AMOUNT,
    FEED_TO_CATEGORY,
    FEED_TO_LEVEL,
    FEED_TO_STATUS,
    FEED_TO_REF_CODE,
};

struct feed_enum {
    const char *from, *to;
};

struct feed_column {
    const char *source;  /* header in the file (or JSON key) */
    const char *field;   /* stable field name */
    enum feed_type type;
    enum feed_target target;
    int role;            /* enum link_role, or -1 */
    const char *format;  /* dates and months: "YYYY-MM-DD", "YYYYMMDD", "YYYYMM", ... */
    int required;
    const struct feed_enum *values;
    size_t n_values;
};

#define FEED_MAX_COLUMNS 32
#define FEED_MAX_KEY     4

struct feed_def {
    const char *name, *title_zh, *title_en, *department, *department_zh;
    const char *fact;
    int is_jsonl; /* else CSV */
    int is_gbk;   /* else UTF-8 */
    const struct feed_column *columns;
    size_t n_columns;
    size_t key[FEED_MAX_KEY]; /* indexes into columns of the natural key */
    size_t n_key;
};

/* Every built-in feed, sorted by name. Parsed on first use (thread-safe);
 * a definition that does not parse is a build defect, reported in err. */
int exchange_feeds(const struct feed_def **out, size_t *n, struct ms_err *err);

/* The feed called name, or NULL (MS_ENOTFOUND in err, naming the feeds). */
const struct feed_def *exchange_feed_find(const char *name, struct ms_err *err);

#endif
