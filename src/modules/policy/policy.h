/*
 * policy.h - versioned policy parameters (DESIGN "Policy numbers ... live in a
 * versioned policy table with effective dates, never in code").
 *
 * A key is defined once with a kind (int, fen, ratio, text) and a unit; its
 * values are rows with the civil date they take effect from and a source.
 * The value in force on date D is the row with the latest effective_from on
 * or before D. Values are never edited: a change is a new row.
 *
 * Results in `struct ms_arena` live in that arena.
 */
#ifndef MS_POLICY_H
#define MS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"

struct store;
struct ms_module;

struct policy_def {
    const char *key, *kind, *unit, *title_zh, *title_en;
    int has_min, has_max;  /* bounds of int and fen values, if set */
    int64_t min_value, max_value;
};

struct policy_value {
    const char *key, *value, *effective_from, *source, *note, *created_at, *created_by;
};

/* One defined key and its value in force on the list's date (value NULL if
 * none is in force yet). */
struct policy_item {
    struct policy_def def;
    struct policy_value value;
    int has_value;
};

/* The value of key in force on date ("YYYY-MM-DD"; NULL: today in China).
 * MS_ENOTFOUND if the key is unknown or has no value in force. */
int policy_get(struct store *st, const char *key, const char *date, struct ms_arena *arena,
               struct policy_value *out, struct ms_err *err);

/* The value of an int or fen key as an integer. Cached per process for a few
 * seconds (set through this process clears the cache at once). */
int policy_get_int(struct store *st, const char *key, const char *date, int64_t *out,
                   struct ms_err *err);

/* Every defined key with its value in force on date, ordered by key. */
int policy_list(struct store *st, const char *date, struct ms_arena *arena,
                struct policy_item **items, size_t *n, struct ms_err *err);

/* A key's definition and every value it has had, newest first. */
int policy_history(struct store *st, const char *key, struct ms_arena *arena,
                   struct policy_def *def, struct policy_value **values, size_t *n,
                   struct ms_err *err);

struct policy_set_in {
    const char *key;
    const char *value;          /* checked against the key's kind */
    const char *effective_from; /* "YYYY-MM-DD" */
    const char *source;         /* the document it comes from; required */
    const char *note;           /* may be NULL */
};

/* Adds a value (audited as policy.set). MS_EEXISTS if the key already has a
 * value from that date; MS_ENOTFOUND for an undefined key; MS_EFIELD for a
 * value that does not fit the kind. */
int policy_set(struct store *st, const struct policy_set_in *in, const struct ms_actor *actor,
               struct ms_err *err);

extern const struct ms_module policy_module;

#endif
