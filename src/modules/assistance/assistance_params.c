/*
 * assistance_params.c - the policy values the computation needs, read from
 * the versioned policy table as in force on one date (rules.md: "every
 * number is a policy parameter with an effective date, never a constant").
 */
#include "modules/assistance/assistance_calc.h"
#include "modules/assistance/assistance_linshi.h"
#include "modules/assistance/assistance_tekun.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/money.h"
#include "modules/policy/policy.h"

#include "core/banned.h"

static int get_int(struct store *st, const char *key, const char *date, int64_t *out,
                   struct ms_err *err)
{
    if (policy_get_int(st, key, date, out, err) == 0)
        return 0;
    if (err && err->code == MS_ENOTFOUND) {
        snprintf(err->field, sizeof(err->field), "%s", key);
        ms_err_zh(err, "政策参数 %s 在 %s 没有生效的取值", key, date ? date : "");
    }
    return err ? err->code : MS_ENOTFOUND;
}

static int get_ratio(struct store *st, const char *key, const char *date, int64_t *ppm,
                     struct ms_err *err)
{
    struct ms_arena a;
    struct policy_value v;
    ms_arena_init(&a, 512);
    int rc = policy_get(st, key, date, &a, &v, err);
    if (rc == 0 && ms_money_parse_ratio(v.value, ppm, NULL) < 0)
        rc = ms_err_set(err, MS_EINTEGRITY, "policy '%s' value '%s' is not a ratio", key, v.value);
    ms_arena_release(&a);
    return rc;
}

int assistance_params_load(struct store *st, const char *area, const char *date,
                           struct assistance_params *out, struct ms_err *err)
{
    int is_urban = area && !strcmp(area, "urban");
    int64_t excl = 0, agri = 0, sev = 0, age = 0, pre = 0;
    struct assistance_params p;
    memset(&p, 0, sizeof(p));
    if (get_int(st, is_urban ? "cq.dibao.standard.urban" : "cq.dibao.standard.rural", date,
                &p.standard_fen, err) < 0 ||
        get_ratio(st, "nat.dibao.marginal_multiplier", date, &p.marginal_ppm, err) < 0 ||
        get_int(st, "assistance.income.exclude_resident_pension", date, &excl, err) < 0 ||
        get_int(st, "cq.dibao.agri_income_months", date, &agri, err) < 0 ||
        get_int(st, "assistance.asset.deposit_months", date, &p.deposit_months, err) < 0 ||
        get_int(st, "assistance.asset.max_houses", date, &p.max_houses, err) < 0 ||
        get_int(st, "assistance.asset.max_vehicles", date, &p.max_vehicles, err) < 0 ||
        get_int(st, is_urban ? "cq.dibao.topup.key.urban" : "cq.dibao.topup.key.rural", date,
                &p.topup_key_fen, err) < 0 ||
        get_int(st, "cq.dibao.topup.disabled", date, &p.topup_disabled_fen, err) < 0 ||
        get_int(st, "cq.dibao.topup.severe_disability_grade", date, &sev, err) < 0 ||
        get_int(st, "cq.dibao.topup.age_min", date, &age, err) < 0 ||
        get_int(st, "cq.dibao.topup.preschool_age_below", date, &pre, err) < 0)
        return err ? err->code : MS_ENOTFOUND;
    /* The keys' bounds (migration 001) keep these small. */
    p.exclude_resident_pension = excl != 0;
    p.agri_income_months = (int)agri;
    p.severe_disability_grade = (int)sev;
    p.topup_age_min = (int)age;
    p.preschool_age_below = (int)pre;
    *out = p;
    return 0;
}

/* --- 特困 and 临时救助 (assistance_tekun.h, assistance_linshi.h) --- */

struct int_param {
    const char *key;
    int64_t *out;
};

static int get_ints(struct store *st, const struct int_param *list, size_t n, const char *date,
                    struct ms_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (get_int(st, list[i].key, date, list[i].out, err) < 0)
            return err ? err->code : MS_ENOTFOUND;
    return 0;
}

static const char *standard_key(const char *area)
{
    return area && !strcmp(area, "urban") ? "cq.dibao.standard.urban" : "cq.dibao.standard.rural";
}

int assistance_tekun_params_load(struct store *st, const char *area, const char *date,
                                 struct assistance_tekun_params *out, struct ms_err *err)
{
    struct assistance_tekun_params p;
    int64_t v[12];
    memset(&p, 0, sizeof(p));
    const struct int_param list[] = {
        {"cq.tekun.basic", &p.basic_fen},
        {standard_key(area), &p.dibao_standard_fen},
        {"cq.tekun.care.self", &p.care_fen[ASSISTANCE_CARE_SELF]},
        {"cq.tekun.care.partial", &p.care_fen[ASSISTANCE_CARE_PARTIAL]},
        {"cq.tekun.care.full", &p.care_fen[ASSISTANCE_CARE_FULL]},
        {"assistance.tekun.asset.deposit_months", &p.assets.deposit_months},
        {"assistance.tekun.asset.max_houses", &p.assets.max_houses},
        {"assistance.tekun.asset.max_vehicles", &p.assets.max_vehicles},
        {"nat.rigid.income_ceiling", &p.disposable_income_fen},
        {"assistance.tekun.adl_full_loss_min", &v[0]},
        {"assistance.tekun.age_elderly_min", &v[1]},
        {"assistance.tekun.age_minor_below", &v[2]},
        {"assistance.tekun.minor_until_age", &v[3]},
        {"assistance.tekun.disability.intellectual_max_grade", &v[4]},
        {"assistance.tekun.disability.mental_max_grade", &v[5]},
        {"assistance.tekun.disability.physical_max_grade", &v[6]},
        {"assistance.tekun.disability.visual_max_grade", &v[7]},
        {"assistance.tekun.supporter.dibao_age_min", &v[8]},
        {"assistance.tekun.supporter.age_min", &v[9]},
    };
    if (get_ints(st, list, sizeof(list) / sizeof(list[0]), date, err) < 0)
        return err ? err->code : MS_ENOTFOUND;
    /* The keys' bounds (migration 003) keep these small. */
    p.adl_full_loss_min = (int)v[0];
    p.age_elderly_min = (int)v[1];
    p.age_minor_below = (int)v[2];
    p.minor_until_age = (int)v[3];
    p.max_grade_intellectual = (int)v[4];
    p.max_grade_mental = (int)v[5];
    p.max_grade_physical = (int)v[6];
    p.max_grade_visual = (int)v[7];
    p.supporter_dibao_age_min = (int)v[8];
    p.supporter_age_min = (int)v[9];
    p.assets.standard_fen = p.dibao_standard_fen;
    *out = p;
    return 0;
}

int assistance_linshi_params_load(struct store *st, const char *area, const char *date,
                                  struct assistance_linshi_params *out, struct ms_err *err)
{
    static const char *const kinds[] = {"emergency", "expenditure"};
    static const char *const severities[] = {"general", "serious", "critical"};
    struct assistance_linshi_params p;
    int64_t months = 0, excl = 0;
    char key[64];
    memset(&p, 0, sizeof(p));
    const struct int_param list[] = {
        {"cq.dibao.standard.urban", &p.urban_standard_fen},
        {standard_key(area), &p.assets.standard_fen},
        {"assistance.asset.deposit_months", &p.assets.deposit_months},
        {"assistance.asset.max_houses", &p.assets.max_houses},
        {"assistance.asset.max_vehicles", &p.assets.max_vehicles},
        {"nat.rigid.income_ceiling", &p.disposable_income_fen},
        {"assistance.income.exclude_resident_pension", &excl},
        {"assistance.linshi.max_months", &months},
    };
    if (get_ints(st, list, sizeof(list) / sizeof(list[0]), date, err) < 0 ||
        get_ratio(st, "assistance.linshi.cap_multiple", date, &p.cap_ppm, err) < 0 ||
        get_ratio(st, "assistance.linshi.town_limit_multiple", date, &p.town_limit_ppm, err) < 0)
        return err ? err->code : MS_ENOTFOUND;
    for (size_t k = 0; k < ASSISTANCE_LINSHI_KINDS; k++)
        for (size_t s = 0; s < ASSISTANCE_LINSHI_SEVERITIES; s++) {
            snprintf(key, sizeof(key), "assistance.linshi.tier.%s.%s", kinds[k], severities[s]);
            if (get_ratio(st, key, date, &p.tier_ppm[k][s], err) < 0)
                return err ? err->code : MS_ENOTFOUND;
        }
    p.max_months = (int)months;
    p.exclude_resident_pension = excl != 0;
    *out = p;
    return 0;
}
