/*
 * linkage_json.c - the JSON forms of linkage.h: the evidence of one
 * comparison (shown to clerks in the review queue and kept with a link) and
 * a model (kept with a batch or a feed, read back strictly).
 */
#include "modules/exchange/linkage.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/banned.h"

static int uses(const struct link_model *m, int f)
{
    return (int)(m->fields >> f & 1u);
}

void *link_evidence_json(const struct link_model *m, const int8_t levels[LINK_F_COUNT])
{
    double per_field[LINK_F_COUNT];
    double total = link_weight(m, levels, per_field);
    json_t *fields = json_object();
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!uses(m, f))
            continue;
        int l = levels[f];
        json_object_set_new(fields, link_field_name((enum link_field)f),
                            json_pack("{s:o, s:s, s:s, s:f}", "level",
                                      l == LINK_MISSING ? json_null() : json_integer(l), "label",
                                      link_level_label((enum link_field)f, l), "label_zh",
                                      link_level_label_zh((enum link_field)f, l), "weight",
                                      per_field[f]));
    }
    return json_pack("{s:f, s:o}", "weight", total, "fields", fields);
}

static json_t *levels_array(const double *p, int levels)
{
    json_t *a = json_array();
    for (int l = 0; l < levels; l++)
        json_array_append_new(a, json_real(p[l]));
    return a;
}

void *link_model_to_json(const struct link_model *m)
{
    json_t *names = json_array(), *jm = json_object(), *ju = json_object();
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!uses(m, f))
            continue;
        const char *name = link_field_name((enum link_field)f);
        int levels = link_field_levels((enum link_field)f);
        json_array_append_new(names, json_string(name));
        json_object_set_new(jm, name, levels_array(m->m[f], levels));
        json_object_set_new(ju, name, levels_array(m->u[f], levels));
    }
    json_t *o = json_pack("{s:o, s:f, s:f, s:o, s:o}", "fields", names, "jw_min", m->jw_min,
                          "lambda", m->lambda, "m", jm, "u", ju);
    if (m->id_validated)
        json_object_set_new(o, "id_validated", json_true());
    return o;
}

static int number(const json_t *obj, const char *key, double lo, double hi, double *out,
                  struct ms_err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return ms_err_field(err, MS_EFIELD, key, "'%s' must be a number", key);
    double x = json_number_value(v);
    if (!(x > lo && x <= hi))
        return ms_err_field(err, MS_EFIELD, key, "'%s' must be in (%g, %g]", key, lo, hi);
    *out = x;
    return 0;
}

/* One m or u table: an object with exactly the model's fields, each an
 * array of that field's number of probabilities in (0, 1] summing to 1. */
static int read_table(const json_t *obj, const char *key, const struct link_model *m,
                      double table[LINK_F_COUNT][LINK_MAX_LEVELS], struct ms_err *err)
{
    const json_t *t = json_object_get(obj, key);
    char where[64];
    if (!json_is_object(t) || json_object_size(t) != (size_t)__builtin_popcount(m->fields))
        return ms_err_field(err, MS_EFIELD, key, "'%s' must hold one array per field", key);
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!uses(m, f))
            continue;
        const char *name = link_field_name((enum link_field)f);
        int levels = link_field_levels((enum link_field)f);
        const json_t *a = json_object_get(t, name);
        double sum = 0;
        snprintf(where, sizeof(where), "%s.%s", key, name);
        if (!json_is_array(a) || json_array_size(a) != (size_t)levels)
            return ms_err_field(err, MS_EFIELD, where, "'%s' must be an array of %d numbers",
                                where, levels);
        for (int l = 0; l < levels; l++) {
            const json_t *v = json_array_get(a, (size_t)l);
            double x = json_is_number(v) ? json_number_value(v) : -1;
            if (!(x > 0 && x <= 1))
                return ms_err_field(err, MS_EFIELD, where, "'%s' holds a value outside (0, 1]",
                                    where);
            table[f][l] = x;
            sum += x;
        }
        if (fabs(sum - 1) > 1e-6)
            return ms_err_field(err, MS_EFIELD, where, "'%s' does not sum to 1", where);
    }
    return 0;
}

int link_model_from_json(const void *json, struct link_model *out, struct ms_err *err)
{
    static const char *const keys[] = {"fields", "jw_min", "lambda", "m", "u", "id_validated",
                                       NULL};
    json_t *obj = (json_t *)(uintptr_t)json; /* jansson's getters take non-const */
    struct link_model m;
    size_t i;
    json_t *v;
    int rc;
    memset(&m, 0, sizeof(m));
    if ((rc = ms_json_object_check(obj, keys, err)) < 0)
        return rc;
    const json_t *names = json_object_get(obj, "fields");
    if (!json_is_array(names) || json_array_size(names) == 0)
        return ms_err_field(err, MS_EFIELD, "fields", "'fields' must be a non-empty array");
    json_array_foreach(names, i, v)
    {
        int f = link_field_from_name(json_string_value(v));
        if (f < 0 || uses(&m, f))
            return ms_err_field(err, MS_EFIELD, "fields", "unknown or repeated field '%.40s'",
                                json_is_string(v) ? json_string_value(v) : "?");
        m.fields |= 1u << f;
    }
    if ((rc = number(obj, "jw_min", 0, 1, &m.jw_min, err)) < 0 ||
        (rc = number(obj, "lambda", 0, 1, &m.lambda, err)) < 0 ||
        (rc = read_table(obj, "m", &m, m.m, err)) < 0 || (rc = read_table(obj, "u", &m, m.u, err)) < 0)
        return rc;
    if (m.lambda >= 1)
        return ms_err_field(err, MS_EFIELD, "lambda", "'lambda' must be below 1");
    m.id_validated = json_is_true(json_object_get(obj, "id_validated"));
    *out = m;
    return 0;
}
