/*
 * linkage.c - the Fellegi-Sunter model of linkage.h: the field and role
 * tables, level labels, comparing two prepared records, weights, posterior
 * probabilities and decisions, and EM's starting values.
 *
 * Preparing records is in linkage_rec.c, EM in linkage_em.c, the JSON forms
 * in linkage_json.c. Everything here is a pure function of its arguments.
 */
#include "modules/exchange/linkage.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Threshold of ADDRESS level 1 (linkage.h): Jaro-Winkler on the lower-cased
 * text. Looser than names' 0.92 because addresses are long and a typo or an
 * abbreviation changes a small share of them. */
#define ADDRESS_JW_MIN 0.90

enum label_set { LS_NAME, LS_ID, LS_DATE, LS_BINARY, LS_REGION, LS_ADDRESS, LS_PHONE };

/* clang-format off */
static const struct {
    const char *name;     /* stable: stored with models and written in PAIRS.csv */
    int levels;
    enum label_set labels;
} fields[LINK_F_COUNT] = {
    [LINK_F_NAME]     = {"name",        MS_SIM_NAME_LEVELS,   LS_NAME},
    [LINK_F_FAMILY]   = {"family_name", MS_SIM_NAME_LEVELS,   LS_NAME},
    [LINK_F_GIVEN]    = {"given_name",  MS_SIM_NAME_LEVELS,   LS_NAME},
    [LINK_F_ID]       = {"id_number",   MS_SIM_ID_LEVELS,     LS_ID},
    [LINK_F_BIRTH]    = {"birth_date",  MS_SIM_DATE_LEVELS,   LS_DATE},
    [LINK_F_SEX]      = {"sex",         2,                    LS_BINARY},
    [LINK_F_REGION]   = {"region",      MS_SIM_REGION_LEVELS, LS_REGION},
    [LINK_F_TOWN]     = {"town",        2,                    LS_BINARY},
    [LINK_F_POSTCODE] = {"postcode",    2,                    LS_BINARY},
    [LINK_F_ADDRESS]  = {"address",     3,                    LS_ADDRESS},
    [LINK_F_PHONE]    = {"phone",       MS_SIM_PHONE_LEVELS,  LS_PHONE},
};

/* Labels per level, English and Chinese (docs/linkage.md). */
static const char *const labels_en[][LINK_MAX_LEVELS] = {
    [LS_NAME]    = {"different", "similar", "fuzzy_pinyin", "homophone", "exact"},
    [LS_ID]      = {"different", "transposed", "one_digit", "exact"},
    [LS_DATE]    = {"different", "one_digit", "day_month_swapped", "exact"},
    [LS_BINARY]  = {"different", "exact"},
    [LS_REGION]  = {"different", "same_county", "same_township", "exact"},
    [LS_ADDRESS] = {"different", "similar", "exact"},
    [LS_PHONE]   = {"different", "same_last8", "exact"},
};
static const char *const labels_zh[][LINK_MAX_LEVELS] = {
    [LS_NAME]    = {"不同", "拼音相近", "模糊音相同", "同音字", "完全相同"},
    [LS_ID]      = {"不同", "相邻两位颠倒", "一位不同", "完全相同"},
    [LS_DATE]    = {"不同", "一位数字不同", "日月颠倒", "完全相同"},
    [LS_BINARY]  = {"不同", "相同"},
    [LS_REGION]  = {"不同", "同区县", "同乡镇街道", "同村社区"},
    [LS_ADDRESS] = {"不同", "相近", "完全相同"},
    [LS_PHONE]   = {"不同", "后8位相同", "完全相同"},
};

static const char *const role_names[LINK_ROLE_COUNT] = {
    [LINK_ROLE_FULL_NAME]   = "full_name",
    [LINK_ROLE_FAMILY_NAME] = "family_name",
    [LINK_ROLE_GIVEN_NAME]  = "given_name",
    [LINK_ROLE_ID_NUMBER]   = "id_number",
    [LINK_ROLE_BIRTH_DATE]  = "birth_date",
    [LINK_ROLE_SEX]         = "sex",
    [LINK_ROLE_REGION]      = "region",
    [LINK_ROLE_TOWN]        = "town",
    [LINK_ROLE_POSTCODE]    = "postcode",
    [LINK_ROLE_ADDRESS]     = "address",
    [LINK_ROLE_PHONE]       = "phone",
};

/* EM's starting u of the top level: roughly how often two random people
 * agree exactly (a birth date 1 in ~100 within a few birth cohorts; sex 1 in
 * 2; a region code 1 in ~10 in a district). */
static const double u_top_start[LINK_F_COUNT] = {
    [LINK_F_NAME]     = 0.01,
    [LINK_F_FAMILY]   = 0.05,
    [LINK_F_GIVEN]    = 0.01,
    [LINK_F_ID]       = 0.001,
    [LINK_F_BIRTH]    = 0.01,
    [LINK_F_SEX]      = 0.5,
    [LINK_F_REGION]   = 0.1,
    [LINK_F_TOWN]     = 0.1,
    [LINK_F_POSTCODE] = 0.1,
    [LINK_F_ADDRESS]  = 0.01,
    [LINK_F_PHONE]    = 0.01,
};
/* clang-format on */

static int field_ok(enum link_field f)
{
    return (int)f >= 0 && f < LINK_F_COUNT;
}

int link_field_levels(enum link_field f)
{
    return field_ok(f) ? fields[f].levels : 0;
}

const char *link_field_name(enum link_field f)
{
    return field_ok(f) ? fields[f].name : "?";
}

int link_field_from_name(const char *name)
{
    for (int f = 0; name && f < LINK_F_COUNT; f++)
        if (strcmp(name, fields[f].name) == 0)
            return f;
    return -1;
}

const char *link_level_label(enum link_field f, int level)
{
    if (level == LINK_MISSING)
        return "missing";
    if (!field_ok(f) || level < 0 || level >= fields[f].levels)
        return "?";
    return labels_en[fields[f].labels][level];
}

const char *link_level_label_zh(enum link_field f, int level)
{
    if (level == LINK_MISSING)
        return "缺失";
    if (!field_ok(f) || level < 0 || level >= fields[f].levels)
        return "?";
    return labels_zh[fields[f].labels][level];
}

const char *link_role_name(enum link_role r)
{
    return (int)r >= 0 && r < LINK_ROLE_COUNT ? role_names[r] : "?";
}

int link_role_from_name(const char *name)
{
    for (int r = 0; name && r < LINK_ROLE_COUNT; r++)
        if (strcmp(name, role_names[r]) == 0)
            return r;
    return -1;
}

void link_model_init(struct link_model *m, uint32_t fields_used, double jw_min)
{
    memset(m, 0, sizeof(*m));
    m->fields = fields_used & ((1u << LINK_F_COUNT) - 1);
    m->jw_min = jw_min;
    m->lambda = 0.01;
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int top = fields[f].levels - 1;
        double ut = u_top_start[f];
        /* Matches mostly agree exactly; the rest spread evenly. Non-matches
         * reach each partial level about as often as the exact one, and the
         * bulk disagree. */
        for (int l = 0; l < top; l++) {
            m->m[f][l] = 0.1 / top;
            m->u[f][l] = l == 0 ? 1.0 - ut * top : ut;
        }
        m->m[f][top] = 0.9;
        m->u[f][top] = ut;
    }
}

void link_counts_to_probs(const double counts[LINK_F_COUNT][LINK_MAX_LEVELS], double floor,
                          double table[LINK_F_COUNT][LINK_MAX_LEVELS])
{
    for (int f = 0; f < LINK_F_COUNT; f++) {
        int n = fields[f].levels;
        double total = 0;
        for (int l = 0; l < n; l++)
            total += counts[f][l];
        if (total == 0)
            continue; /* never observed: keep what the table holds */
        for (int l = 0; l < n; l++) {
            double p = (counts[f][l] + 0.5) / (total + 0.5 * n);
            table[f][l] = p < floor ? floor : p;
        }
    }
}

int link_fields_parse(const char *list, uint32_t *out, struct ms_err *err)
{
    uint32_t set = 0;
    const char *p = list ? list : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char name[32];
        while (n > 0 && isspace((unsigned char)*p))
            p++, n--;
        while (n > 0 && isspace((unsigned char)p[n - 1]))
            n--;
        if (n == 0 || n >= sizeof(name))
            return ms_err_field(err, MS_EFIELD, "fields", "empty or overlong field name in '%.60s'",
                                list);
        memcpy(name, p, n);
        name[n] = '\0';
        int f = link_field_from_name(name);
        if (f < 0) {
            ms_err_field(err, MS_EFIELD, "fields", "unknown field '%s'", name);
            ms_err_zh(err, "未知的比对字段“%s”", name);
            return MS_EFIELD;
        }
        set |= 1u << f;
        p = end ? end + 1 : p + strlen(p);
    }
    if (!set)
        return ms_err_field(err, MS_EFIELD, "fields", "no field named");
    *out = set;
    return 0;
}

/* Case-folded text equality (ASCII letters only; hanzi have no case). */
static int text_level(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0 ? 1 : 0;
}

static int address_level(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 2;
    return ms_sim_jaro_winkler(a, b) >= ADDRESS_JW_MIN ? 1 : 0;
}

static int name_level(const char *full_a, const char *full_b, const char *text_a,
                      const char *text_b, double jw_min)
{
    if (!*full_a || !*full_b)
        return LINK_MISSING;
    return ms_sim_name_level(full_a, full_b, text_a, text_b, jw_min);
}

#define BOTH(x) (*a->x && *b->x)

static int compare_field(enum link_field f, const struct link_model *m, const struct link_rec *a,
                         const struct link_rec *b)
{
    switch (f) {
    case LINK_F_NAME:
        return name_level(a->name_full, b->name_full, a->name, b->name, m->jw_min);
    case LINK_F_FAMILY:
        return name_level(a->family_full, b->family_full, a->family, b->family, m->jw_min);
    case LINK_F_GIVEN:
        return name_level(a->given_full, b->given_full, a->given, b->given, m->jw_min);
    case LINK_F_ID:
        if (!BOTH(id_number))
            return LINK_MISSING;
        return m->id_validated ? ms_sim_id_level_validated(a->id_number, b->id_number)
                               : ms_sim_id_level(a->id_number, b->id_number);
    case LINK_F_BIRTH:
        return a->has_birth && b->has_birth ? ms_sim_date_level(a->birth, b->birth) : LINK_MISSING;
    case LINK_F_SEX:
        return a->sex && b->sex ? a->sex == b->sex : LINK_MISSING;
    case LINK_F_REGION:
        return BOTH(region) ? ms_sim_region_level(a->region, b->region) : LINK_MISSING;
    case LINK_F_TOWN:
        return BOTH(town) ? text_level(a->town, b->town) : LINK_MISSING;
    case LINK_F_POSTCODE:
        return BOTH(postcode) ? text_level(a->postcode, b->postcode) : LINK_MISSING;
    case LINK_F_ADDRESS:
        return BOTH(address) ? address_level(a->address, b->address) : LINK_MISSING;
    case LINK_F_PHONE:
        return BOTH(phone) ? ms_sim_phone_level(a->phone, b->phone) : LINK_MISSING;
    case LINK_F_COUNT:
        break;
    }
    return LINK_MISSING;
}

#undef BOTH

void link_compare(const struct link_model *m, const struct link_rec *a, const struct link_rec *b,
                  int8_t levels[LINK_F_COUNT])
{
    for (int f = 0; f < LINK_F_COUNT; f++)
        levels[f] = (int8_t)((m->fields >> f & 1u) ? compare_field((enum link_field)f, m, a, b)
                                                   : LINK_MISSING);
}

double link_weight(const struct link_model *m, const int8_t levels[LINK_F_COUNT],
                   double per_field[LINK_F_COUNT])
{
    double total = 0;
    for (int f = 0; f < LINK_F_COUNT; f++) {
        double w = 0;
        int l = levels[f];
        if ((m->fields >> f & 1u) && l >= 0 && l < fields[f].levels)
            w = log2(m->m[f][l] / m->u[f][l]);
        if (per_field)
            per_field[f] = w;
        total += w;
    }
    return total;
}

double link_probability(const struct link_model *m, double weight)
{
    /* Posterior odds = prior odds * likelihood ratio, in log2 so that huge
     * weights neither overflow nor lose the small side. */
    double lambda = m->lambda > 0 && m->lambda < 1 ? m->lambda : 0.5;
    double log_odds = weight + log2(lambda / (1 - lambda));
    return 1.0 / (1.0 + exp2(-log_odds));
}

enum link_decision link_decide(double weight, double lower, double upper)
{
    if (weight >= upper)
        return LINK_MATCH;
    return weight < lower ? LINK_NONMATCH : LINK_REVIEW;
}

const char *link_decision_name(enum link_decision d)
{
    switch (d) {
    case LINK_MATCH:
        return "match";
    case LINK_REVIEW:
        return "review";
    case LINK_NONMATCH:
        break;
    }
    return "nonmatch";
}
