/*
 * linkage_files_config.c - the JSON config of `minsheng link` (strict: an
 * unknown key is an error naming it, so a typo never becomes a silent
 * default), and the default blocking rules for the roles a config maps.
 */
#include "modules/exchange/linkage_files.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/banned.h"

#define CONFIG_MAX_BYTES (1 << 20)

static const char *const part_names[LINK_KEY_COUNT] = {
    [LINK_KEY_ID_NUMBER] = "id_number",     [LINK_KEY_NAME_INITIALS] = "name_initials",
    [LINK_KEY_FUZZY_NAME] = "fuzzy_name",   [LINK_KEY_BIRTH_YEAR] = "birth_year",
    [LINK_KEY_BIRTH_DATE] = "birth_date",   [LINK_KEY_SEX] = "sex",
    [LINK_KEY_PHONE_LAST8] = "phone_last8", [LINK_KEY_POSTCODE] = "postcode",
    [LINK_KEY_TOWN] = "town",               [LINK_KEY_REGION] = "region",
};

/* The defaults (docs/linkage.md): each catches pairs the others miss when
 * one field is wrong; a rule is used only if both files give its parts. */
static const char *const default_rules[] = {
    "id_number",        "name_initials+birth_year", "fuzzy_name+sex",
    "phone_last8",      "birth_date+sex",           "postcode+birth_year",
    "town+birth_year",
};

/* Prefixes the field and message of an error set inside a nested object
 * with where it is ("thresholds" + "upper" -> "thresholds.upper"). */
static int nested(struct ms_err *err, const char *where, int rc)
{
    if (err && err->code == rc) {
        char field[MS_ERR_FIELD_MAX], msg[MS_ERR_MSG_MAX];
        /* Cut, not failed, when too long: the message is still useful. */
        if (snprintf(field, sizeof(field), "%s%s%s", where, err->field[0] ? "." : "",
                     err->field) >= (int)sizeof(field))
            field[sizeof(field) - 1] = '\0';
        if (snprintf(msg, sizeof(msg), "%s: %s", where, err->message) >= (int)sizeof(msg))
            msg[sizeof(msg) - 1] = '\0';
        memcpy(err->field, field, sizeof(field));
        memcpy(err->message, msg, sizeof(msg));
    }
    return rc;
}

static int get_number(const json_t *obj, const char *key, double lo, double hi, double *out,
                      struct ms_err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi)) {
        int rc = ms_err_field(err, MS_EFIELD, key, "'%s' must be a number from %g to %g", key, lo,
                              hi);
        ms_err_zh(err, "配置项“%s”应为 %g 到 %g 之间的数", key, lo, hi);
        return rc;
    }
    *out = json_number_value(v);
    return 0;
}

static int read_columns(const json_t *cols, struct link_files_side *s, int is_right,
                        struct ms_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(cols))
        return ms_err_field(err, MS_EFIELD, "columns", "'columns' must be an object");
    json_object_foreach((json_t *)(uintptr_t)cols, key, v)
    {
        int r = link_role_from_name(key);
        if (r < 0) {
            int rc = ms_err_field(err, MS_EFIELD, key,
                                  "unknown role '%.40s' (full_name, family_name, given_name, "
                                  "birth_date, sex, address, town, postcode, region, phone, "
                                  "id_number)",
                                  key);
            ms_err_zh(err, "未知的列角色“%.40s”", key);
            return rc;
        }
        /* null in "right.columns": the right file has no such column. */
        if (is_right && json_is_null(v)) {
            s->columns[r] = NULL;
            continue;
        }
        if (!json_is_string(v) || !*json_string_value(v))
            return ms_err_field(err, MS_EFIELD, key, "'%s' must name a column", key);
        s->columns[r] = json_string_value(v);
    }
    return 0;
}

/* "id", "columns", "birth_date_format" of one side. */
static int read_side(const json_t *obj, struct link_files_side *s, int is_right,
                     struct ms_err *err)
{
    const char *id = NULL, *fmt = NULL;
    int rc;
    if ((rc = ms_json_get_str(obj, "id", !is_right, 128, &id, err)) < 0 ||
        (rc = ms_json_get_str(obj, "birth_date_format", 0, 16, &fmt, err)) < 0)
        return rc;
    if (id)
        s->id_column = id;
    if (fmt) {
        static const char *const formats[] = {"YYYY-MM-DD", "YYYYMMDD", "DD/MM/YYYY",
                                              "MM/DD/YYYY"};
        int ok = 0;
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
            ok |= strcmp(fmt, formats[i]) == 0;
        if (!ok)
            return ms_err_field(err, MS_EFIELD, "birth_date_format",
                                "'birth_date_format' must be YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or "
                                "MM/DD/YYYY");
        s->date_format = fmt;
    }
    const json_t *cols = json_object_get(obj, "columns");
    if (cols && (rc = read_columns(cols, s, is_right, err)) < 0)
        return nested(err, "columns", rc);
    if (!cols && !is_right)
        return ms_err_field(err, MS_EMISSING, "columns", "'columns' is required");
    return 0;
}

static int parse_rule(const char *text, struct link_block_rule *r)
{
    memset(r, 0, sizeof(*r));
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "+");
        int found = -1;
        for (int k = 0; k < LINK_KEY_COUNT && found < 0; k++)
            if (strlen(part_names[k]) == n && memcmp(p, part_names[k], n) == 0)
                found = k;
        if (found < 0 || r->n_parts == LINK_FILES_MAX_PARTS)
            return -1;
        r->parts[r->n_parts++] = (enum link_key_part)found;
        p += n;
        if (*p == '+' && *++p == '\0')
            return -1;
    }
    return r->n_parts > 0 ? 0 : -1;
}

static int read_blocking(const json_t *a, struct link_files_config *cfg, struct ms_err *err)
{
    size_t i;
    json_t *v;
    if (!json_is_array(a) || json_array_size(a) == 0 ||
        json_array_size(a) > LINK_FILES_MAX_RULES)
        return ms_err_field(err, MS_EFIELD, "blocking",
                            "'blocking' must be a list of 1 to %d rules", LINK_FILES_MAX_RULES);
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || parse_rule(json_string_value(v), &cfg->rules[i]) < 0) {
            char field[32];
            snprintf(field, sizeof(field), "blocking[%zu]", i);
            int rc = ms_err_field(err, MS_EFIELD, field,
                                  "%s: a rule is parts joined by '+', from id_number, "
                                  "name_initials, fuzzy_name, birth_year, birth_date, sex, "
                                  "phone_last8, postcode, town, region",
                                  field);
            ms_err_zh(err, "分块规则 %s 无效", field);
            return rc;
        }
    }
    cfg->n_rules = (int)json_array_size(a);
    return 0;
}

static int read_tuning(json_t *root, struct link_files_config *cfg, struct ms_err *err)
{
    static const char *const th_keys[] = {"upper", "lower", NULL};
    static const char *const em_keys[] = {"max_iterations", "tolerance", "u_sample", "fix_u",
                                          NULL};
    int64_t u_sample;
    int has_u_sample = 0;
    json_t *th = json_object_get(root, "thresholds"), *em = json_object_get(root, "em");
    int64_t n;
    int present, rc;
    if (th && ((rc = ms_json_object_check(th, th_keys, err)) < 0 ||
               (rc = get_number(th, "upper", -1000, 1000, &cfg->upper, err)) < 0 ||
               (rc = get_number(th, "lower", -1000, 1000, &cfg->lower, err)) < 0))
        return nested(err, "thresholds", rc);
    if (cfg->lower > cfg->upper)
        return ms_err_field(err, MS_EFIELD, "thresholds.lower",
                            "thresholds.lower must not be above thresholds.upper");
    if (em && ((rc = ms_json_object_check(em, em_keys, err)) < 0 ||
               (rc = get_number(em, "tolerance", 1e-15, 0.1, &cfg->em_tol, err)) < 0 ||
               (rc = ms_json_get_bool(em, "fix_u", 0, &cfg->em_fix_u, err)) < 0 ||
               (rc = ms_json_get_int(em, "u_sample", 0, 0, 100000000, &u_sample, &has_u_sample,
                                     err)) < 0 ||
               (rc = ms_json_get_int(em, "max_iterations", 0, 0, 100000, &n, &present, err)) < 0))
        return nested(err, "em", rc);
    if (has_u_sample)
        cfg->u_sample = (size_t)u_sample;
    if (em && present)
        cfg->em_max_iter = (int)n;
    if ((rc = get_number(root, "jw_min", 0.5, 1, &cfg->jw_min, err)) < 0 ||
        (rc = ms_json_get_int(root, "max_block", 0, 2, 10000000, &n, &present, err)) < 0)
        return rc;
    if (present)
        cfg->max_block = (size_t)n;
    return 0;
}

static int parse_root(json_t *root, struct link_files_config *cfg, struct ms_err *err)
{
    static const char *const keys[] = {"id",         "columns", "birth_date_format", "right",
                                       "blocking",   "max_block", "thresholds",      "jw_min",
                                       "em",         NULL};
    static const char *const right_keys[] = {"id", "columns", "birth_date_format", NULL};
    int rc;
    if ((rc = ms_json_object_check(root, keys, err)) < 0 ||
        (rc = read_side(root, &cfg->side[0], 0, err)) < 0)
        return rc;
    cfg->side[1] = cfg->side[0];
    json_t *right = json_object_get(root, "right");
    if (right && ((rc = ms_json_object_check(right, right_keys, err)) < 0 ||
                  (rc = read_side(right, &cfg->side[1], 1, err)) < 0))
        return nested(err, "right", rc);
    json_t *blocking = json_object_get(root, "blocking");
    if (blocking && (rc = read_blocking(blocking, cfg, err)) < 0)
        return rc;
    if ((rc = read_tuning(root, cfg, err)) < 0)
        return rc;
    for (int r = 0; r < LINK_ROLE_COUNT; r++)
        if (cfg->side[0].columns[r])
            return 0;
    return ms_err_field(err, MS_EMISSING, "columns", "'columns' maps no column to a role");
}

int link_files_config_parse(const char *text, size_t len, struct link_files_config *cfg,
                            struct ms_err *err)
{
    json_t *root;
    int rc;
    memset(cfg, 0, sizeof(*cfg));
    cfg->upper = LINK_FILES_DEFAULT_UPPER;
    cfg->lower = LINK_FILES_DEFAULT_LOWER;
    cfg->jw_min = MS_SIM_NAME_JW_MIN;
    cfg->em_max_iter = LINK_FILES_DEFAULT_MAX_ITER;
    cfg->em_tol = LINK_FILES_DEFAULT_TOL;
    cfg->max_block = LINK_FILES_DEFAULT_MAX_BLOCK;
    cfg->u_sample = LINK_FILES_DEFAULT_U_SAMPLE;
    if ((rc = ms_json_parse(text, len, &root, err)) < 0)
        return rc;
    cfg->json = root;
    if ((rc = parse_root(root, cfg, err)) < 0)
        link_files_config_release(cfg);
    return rc;
}

int link_files_config_load(const char *path, struct link_files_config *cfg, struct ms_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ms_err_field(err, MS_EIO, "config", "cannot open config '%.200s': %s", path,
                            strerror(errno));
    char *buf = malloc(CONFIG_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, CONFIG_MAX_BYTES + 1, f) : 0;
    int is_bad = !buf || ferror(f);
    fclose(f);
    int rc;
    if (is_bad)
        rc = ms_err_field(err, MS_EIO, "config", "cannot read config '%.200s'", path);
    else if (n > CONFIG_MAX_BYTES)
        rc = ms_err_field(err, MS_EFIELD, "config", "config '%.200s' is over 1 MiB", path);
    else
        rc = link_files_config_parse(buf, n, cfg, err);
    free(buf);
    return rc;
}

void link_files_config_release(struct link_files_config *cfg)
{
    json_decref(cfg->json);
    memset(cfg, 0, sizeof(*cfg));
}

void link_files_rule_name(const struct link_block_rule *r, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < r->n_parts && n < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? "+" : "", part_names[r->parts[i]]);
        n += w > 0 ? (size_t)w : 0;
    }
}

static int has_role(const struct link_files_config *cfg, int is_dedup, enum link_role r)
{
    return cfg->side[0].columns[r] && (is_dedup || cfg->side[1].columns[r]);
}

uint32_t link_files_fields(const struct link_files_config *cfg, int is_dedup)
{
    static const enum link_field field_of[LINK_ROLE_COUNT] = {
        [LINK_ROLE_FULL_NAME] = LINK_F_NAME,   [LINK_ROLE_FAMILY_NAME] = LINK_F_FAMILY,
        [LINK_ROLE_GIVEN_NAME] = LINK_F_GIVEN, [LINK_ROLE_ID_NUMBER] = LINK_F_ID,
        [LINK_ROLE_BIRTH_DATE] = LINK_F_BIRTH, [LINK_ROLE_SEX] = LINK_F_SEX,
        [LINK_ROLE_REGION] = LINK_F_REGION,    [LINK_ROLE_TOWN] = LINK_F_TOWN,
        [LINK_ROLE_POSTCODE] = LINK_F_POSTCODE, [LINK_ROLE_ADDRESS] = LINK_F_ADDRESS,
        [LINK_ROLE_PHONE] = LINK_F_PHONE,
    };
    uint32_t fields = 0;
    for (int r = 0; r < LINK_ROLE_COUNT; r++)
        if (has_role(cfg, is_dedup, (enum link_role)r))
            fields |= 1u << field_of[r];
    return fields;
}

static int part_available(const struct link_files_config *cfg, int is_dedup, enum link_key_part p)
{
    switch (p) {
    case LINK_KEY_ID_NUMBER:
        return has_role(cfg, is_dedup, LINK_ROLE_ID_NUMBER);
    case LINK_KEY_NAME_INITIALS:
    case LINK_KEY_FUZZY_NAME:
        return has_role(cfg, is_dedup, LINK_ROLE_FULL_NAME) ||
               (has_role(cfg, is_dedup, LINK_ROLE_FAMILY_NAME) &&
                has_role(cfg, is_dedup, LINK_ROLE_GIVEN_NAME));
    case LINK_KEY_BIRTH_YEAR:
    case LINK_KEY_BIRTH_DATE:
        return has_role(cfg, is_dedup, LINK_ROLE_BIRTH_DATE);
    case LINK_KEY_SEX:
        return has_role(cfg, is_dedup, LINK_ROLE_SEX);
    case LINK_KEY_PHONE_LAST8:
        return has_role(cfg, is_dedup, LINK_ROLE_PHONE);
    case LINK_KEY_POSTCODE:
        return has_role(cfg, is_dedup, LINK_ROLE_POSTCODE);
    case LINK_KEY_TOWN:
        return has_role(cfg, is_dedup, LINK_ROLE_TOWN);
    case LINK_KEY_REGION:
        return has_role(cfg, is_dedup, LINK_ROLE_REGION);
    case LINK_KEY_COUNT:
        break;
    }
    return 0;
}

int link_files_rules(const struct link_files_config *cfg, int is_dedup,
                     struct link_block_rule out[LINK_FILES_MAX_RULES])
{
    int n = 0;
    if (cfg->n_rules > 0) {
        memcpy(out, cfg->rules, sizeof(cfg->rules[0]) * (size_t)cfg->n_rules);
        return cfg->n_rules;
    }
    for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
        struct link_block_rule r;
        int ok = parse_rule(default_rules[i], &r) == 0;
        for (int k = 0; ok && k < r.n_parts; k++)
            ok = part_available(cfg, is_dedup, r.parts[k]);
        if (ok)
            out[n++] = r;
    }
    return n;
}
