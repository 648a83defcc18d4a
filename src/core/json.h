/*
 * json.h - helpers over jansson for reading untrusted JSON and writing ours.
 *
 * Reading: ms_json_parse() refuses duplicate keys, invalid UTF-8 and NUL
 * characters, and ms_json_object_check() refuses keys the caller did not
 * declare, so a typo in a field name is an error rather than a silent default.
 * The field getters check type and bounds and fill `err` naming the field.
 * Strings they return point into the json_t and live as long as it does.
 *
 * Writing: ms_json_dump() appends compact JSON to a string builder.
 */
#ifndef MS_JSON_H
#define MS_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "str.h"

/* Parses len bytes. On success *out is a new reference. Errors: MS_EJSON,
 * MS_EUTF8. */
int ms_json_parse(const char *buf, size_t len, json_t **out, struct ms_err *err);

/* Checks value is an object whose keys are all in the NULL-terminated list
 * `allowed`. Errors: MS_EJSON (not an object), MS_EFIELD (unknown key). */
int ms_json_object_check(json_t *value, const char *const *allowed, struct ms_err *err);

/* Reads a string field of at most max_chars Unicode characters. Absent or
 * null: MS_EMISSING if required, else 0 with *out = NULL. */
int ms_json_get_str(const json_t *obj, const char *key, int required, size_t max_chars,
                    const char **out, struct ms_err *err);

/* Reads an integer field in [min, max]. Absent: MS_EMISSING if required, else
 * 0 with *out unchanged and *present (if not NULL) = 0. */
int ms_json_get_int(const json_t *obj, const char *key, int required, int64_t min, int64_t max,
                    int64_t *out, int *present, struct ms_err *err);

/* Reads a boolean field. Absent and not required: *out unchanged. */
int ms_json_get_bool(const json_t *obj, const char *key, int required, int *out,
                     struct ms_err *err);

/* Number of Unicode characters in a valid UTF-8 string. */
size_t ms_utf8_chars(const char *s);

/* 1 if s (len bytes) is valid UTF-8 without NUL bytes. */
int ms_utf8_is_valid(const char *s, size_t len);

/* Appends value as compact JSON (keys in insertion order). */
void ms_json_dump(const json_t *value, struct ms_str *out);

#endif
