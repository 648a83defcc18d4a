/*
 * assistance_params.c - the policy values the computation needs, read from
 * the versioned policy table as in force on one date (rules.md: "every
 * number is a policy parameter with an effective date, never a constant").
 */
#include "modules/assistance/assistance_calc.h"

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
