/*
 * fuzz_json.c - request bodies: ms_json_parse(), ms_json_object_check() and
 * the field getters (src/core/json.h).
 *
 * Invariants: a parsed value dumps to JSON that parses again to an equal
 * value (json_equal), and dumping that gives the same bytes; a parsed body
 * never holds invalid UTF-8 in a string; the getters either succeed with a
 * value in bounds or fail with an error code.
 */
#include <jansson.h>

#include "core/json.h"
#include "core/str.h"
#include "fuzz.h"

#include "core/banned.h"

static const char *const allowed[] = {"name", "age", "flag", "items", "id_number", NULL};

static void walk_strings(json_t *v, int depth)
{
    if (depth > 64)
        return;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        /* ms_json_parse refuses NUL characters, so the C string is whole. */
        FUZZ_CHECK(strlen(s) == n);
        FUZZ_CHECK(ms_utf8_is_valid(s, n));
        (void)ms_utf8_chars(s);
    } else if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member) {
            FUZZ_CHECK(ms_utf8_is_valid(key, strlen(key)));
            walk_strings(member, depth + 1);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *member;
        json_array_foreach(v, i, member) walk_strings(member, depth + 1);
    }
}

static void getters(json_t *v)
{
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_json_object_check(v, allowed, &err);
    FUZZ_CHECK(rc == 0 || (rc < 0 && err.code == rc));
    if (!json_is_object(v))
        return;

    const char *s = NULL;
    ms_err_init(&err);
    rc = ms_json_get_str(v, "name", 0, 8, &s, &err);
    if (rc == 0 && s)
        FUZZ_CHECK(ms_utf8_chars(s) <= 8);
    FUZZ_CHECK(rc == 0 || err.code == rc);
    ms_err_init(&err);
    rc = ms_json_get_str(v, "id_number", 1, 18, &s, &err);
    FUZZ_CHECK(rc == 0 ? s != NULL : err.code == rc);

    int64_t n = 7;
    int present = -1;
    ms_err_init(&err);
    rc = ms_json_get_int(v, "age", 0, 0, 150, &n, &present, &err);
    if (rc == 0 && present)
        FUZZ_CHECK(n >= 0 && n <= 150);
    FUZZ_CHECK(rc == 0 || err.code == rc);
    ms_err_init(&err);
    rc = ms_json_get_int(v, "items", 1, INT64_MIN, INT64_MAX, &n, NULL, &err);
    FUZZ_CHECK(rc == 0 || err.code == rc);

    int b = 5;
    ms_err_init(&err);
    rc = ms_json_get_bool(v, "flag", 0, &b, &err);
    if (rc == 0)
        FUZZ_CHECK(b == 0 || b == 1 || b == 5);
    FUZZ_CHECK(rc == 0 || err.code == rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    (void)ms_utf8_is_valid(text, size);

    json_t *v = NULL;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_json_parse(text, size, &v, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == MS_EJSON || rc == MS_EUTF8);
        FUZZ_CHECK(err.code == rc && v == NULL);
        free(text);
        return 0;
    }
    FUZZ_CHECK(v != NULL);
    walk_strings(v, 0);
    getters(v);

    struct ms_str out1 = MS_STR_INIT, out2 = MS_STR_INIT;
    ms_json_dump(v, &out1);
    FUZZ_CHECK(!out1.is_too_big && out1.len > 0);
    json_t *w = NULL;
    struct ms_err err2 = MS_ERR_INIT;
    rc = ms_json_parse(out1.buf, out1.len, &w, &err2);
    if (rc != 0)
        fprintf(stderr, "re-parse of our own dump failed: %s\n", err2.message);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(json_equal(v, w));
    ms_json_dump(w, &out2);
    FUZZ_CHECK(out1.len == out2.len && memcmp(out1.buf, out2.buf, out1.len) == 0);

    ms_str_release(&out1);
    ms_str_release(&out2);
    json_decref(w);
    json_decref(v);
    free(text);
    return 0;
}
