/*
 * json.c - strict reading of request JSON and compact writing.
 */
#include "json.h"

#include <string.h>

#include "banned.h"

int ms_json_parse(const char *buf, size_t len, json_t **out, struct ms_err *err)
{
    json_error_t jerr;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        if (json_error_code(&jerr) == json_error_invalid_utf8)
            return ms_err_set(err, MS_EUTF8, "request body is not valid UTF-8 (byte %d)",
                              jerr.position);
        if (json_error_code(&jerr) == json_error_duplicate_key)
            return ms_err_set(err, MS_EJSON, "duplicate key in JSON: %s", jerr.text);
        return ms_err_set(err, MS_EJSON, "invalid JSON at line %d column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    }
    *out = v;
    return 0;
}

int ms_json_object_check(json_t *value, const char *const *allowed, struct ms_err *err)
{
    if (!json_is_object(value))
        return ms_err_set(err, MS_EJSON, "request body must be a JSON object");
    const char *key;
    json_t *member;
    json_object_foreach(value, key, member) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) {
            if (strcmp(*a, key) == 0) {
                ok = 1;
                break;
            }
        }
        if (!ok) {
            /* Do not echo a huge or binary key back; cut it. */
            int ret = ms_err_field(err, MS_EFIELD, "", "unknown field '%.40s'", key);
            ms_err_zh(err, "未知字段“%.40s”", key);
            return ret;
        }
    }
    return 0;
}

static int missing(const char *key, struct ms_err *err)
{
    int ret = ms_err_field(err, MS_EMISSING, key, "field '%s' is required", key);
    ms_err_zh(err, "缺少必填字段“%s”", key);
    return ret;
}

static int wrong_type(const char *key, const char *want, const char *want_zh, struct ms_err *err)
{
    int ret = ms_err_field(err, MS_EFIELD, key, "field '%s' must be %s", key, want);
    ms_err_zh(err, "字段“%s”应为%s", key, want_zh);
    return ret;
}

size_t ms_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int ms_utf8_is_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t need;
        unsigned min;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return 0;
        }
        if ((size_t)(end - p) <= need)
            return 0;
        for (size_t i = 1; i <= need; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += need + 1;
    }
    return 1;
}

int ms_json_get_str(const json_t *obj, const char *key, int required, size_t max_chars,
                    const char **out, struct ms_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *out = NULL;
        return required ? missing(key, err) : 0;
    }
    if (!json_is_string(v))
        return wrong_type(key, "a string", "字符串", err);
    const char *s = json_string_value(v);
    if (required && !*s)
        return missing(key, err);
    size_t chars = ms_utf8_chars(s);
    if (chars > max_chars) {
        int ret = ms_err_field(err, MS_EFIELD, key, "field '%s' is too long (%zu characters, at most %zu)",
                               key, chars, max_chars);
        ms_err_zh(err, "字段“%s”过长（最多 %zu 个字符）", key, max_chars);
        return ret;
    }
    *out = s;
    return 0;
}

int ms_json_get_int(const json_t *obj, const char *key, int required, int64_t min, int64_t max,
                    int64_t *out, int *present, struct ms_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (present)
        *present = 0;
    if (!v || json_is_null(v))
        return required ? missing(key, err) : 0;
    if (!json_is_integer(v))
        return wrong_type(key, "an integer", "整数", err);
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        int ret = ms_err_field(err, MS_EFIELD, key, "field '%s' must be between %lld and %lld", key,
                               (long long)min, (long long)max);
        ms_err_zh(err, "字段“%s”应在 %lld 到 %lld 之间", key, (long long)min, (long long)max);
        return ret;
    }
    *out = n;
    if (present)
        *present = 1;
    return 0;
}

int ms_json_get_bool(const json_t *obj, const char *key, int required, int *out,
                     struct ms_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return required ? missing(key, err) : 0;
    if (!json_is_boolean(v))
        return wrong_type(key, "true or false", "true 或 false", err);
    *out = json_is_true(v);
    return 0;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    ms_str_add(data, buffer, size);
    return 0;
}

void ms_json_dump(const json_t *value, struct ms_str *out)
{
    json_dump_callback(value, dump_cb, out, JSON_COMPACT | JSON_ENCODE_ANY);
}
