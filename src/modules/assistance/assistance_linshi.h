/*
 * assistance_linshi.h - the 临时救助 (temporary assistance) computation as a
 * pure function (rules.md §1.10; 社会救助暂行办法 第四十七、四十八条;
 * 临时救助意见): the kind (急难型 emergency, 支出型 expenditure), its
 * conditions, and a one-off amount from policy tiers, capped, with the
 * flags that say who may approve it and whether 一事一议 is needed.
 *
 * No database and no clock: the caller loads the policy values in force on
 * the decision date (assistance_linshi_params_load()). Chongqing's tiers,
 * cap and town approval limit were not found (rules.md Appendix B): the
 * seeded values are placeholders. Money is int64_t fen, checked.
 */
#ifndef MS_ASSISTANCE_LINSHI_H
#define MS_ASSISTANCE_LINSHI_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "modules/assistance/assistance_calc.h"

struct store;

#define ASSISTANCE_LINSHI_KINDS      2 /* emergency expenditure */
#define ASSISTANCE_LINSHI_SEVERITIES 3 /* general serious critical */

/* The index of kind ("emergency" 急难型, "expenditure" 支出型), or -1. */
int assistance_linshi_kind(const char *kind);

/* 1 if cause belongs to kind: emergency fire traffic_accident other_accident
 * major_illness other; expenditure medical education other. */
int assistance_linshi_cause_known(const char *kind, const char *cause);

/* The index of severity ("general" 一般, "serious" 较重, "critical" 严重), or -1. */
int assistance_linshi_severity(const char *severity);

/* Policy values in force on one date. */
struct assistance_linshi_params {
    int64_t urban_standard_fen; /* cq.dibao.standard.urban: amounts are multiples of it */
    int64_t tier_ppm[ASSISTANCE_LINSHI_KINDS][ASSISTANCE_LINSHI_SEVERITIES];
    /* assistance.linshi.tier.<kind>.<severity>: × urban standard per month */
    int max_months;                /* assistance.linshi.max_months */
    int64_t cap_ppm;               /* assistance.linshi.cap_multiple: × urban standard */
    int64_t town_limit_ppm;        /* assistance.linshi.town_limit_multiple: × urban standard */
    int64_t disposable_income_fen; /* nat.rigid.income_ceiling: per person and year */
    int exclude_resident_pension;  /* assistance.income.exclude_resident_pension */
    struct assistance_asset_limits assets; /* assistance.asset.* on the area's dibao standard */
};

/*
 * Loads the parameters in force on date; the asset limit uses area's
 * ("urban" or "rural") dibao standard. MS_ENOTFOUND naming the key.
 */
int assistance_linshi_params_load(struct store *st, const char *area, const char *date,
                                  struct assistance_linshi_params *out, struct ms_err *err);

struct assistance_linshi_in {
    const char *kind, *cause, *severity;
    int months;       /* how long the hardship lasts, 1..12; capped at max_months */
    int is_pay_first; /* 小金额先行救助: pay first, documents after (emergency only) */
    int64_t expenditure_fen; /* 支出型: the necessary spending, with receipts */
    const struct assistance_calc_member *members; /* is_counted is used */
    size_t n_members;
    const struct assistance_calc_income *incomes; /* months 1..12, averaged */
    size_t n_incomes;
    const struct assistance_calc_asset *assets;
    size_t n_assets;
    struct assistance_linshi_params params;
};

struct assistance_linshi_result {
    /* The common outcome the case flow stores: standard_fen the urban
     * standard, base_fen the tier amount, amount_fen the one-off amount. */
    struct assistance_calc outcome;
    int64_t multiple_ppm;   /* the tier's multiple */
    int months;             /* months counted (at most max_months) */
    int64_t tier_fen;       /* multiple × standard × months (expenditure: at most the spending) */
    int64_t cap_fen;        /* cap_multiple × standard */
    int64_t town_limit_fen; /* town_limit_multiple × standard */
    int needs_collective_decision; /* the tier amount is over the cap: 一事一议 */
    int is_within_town_limit;      /* the town may approve it (暂行办法 第四十八条) */
};

/*
 * Computes 临时救助:
 *
 *   tier     = tier multiple (kind, severity) × urban standard × min(months, max_months)
 *              (expenditure: at most the expenditure)
 *   amount   = min(tier, cap); needs_collective_decision = tier > cap
 *   eligible = emergency: always; expenditure: spending > 0, per-capita income × 12
 *              below last year's per-capita disposable income, assets within limits;
 *              pay-first: emergency and amount within the town limit
 *
 * Errors (MS_EFIELD naming the field, English and Chinese): an unknown
 * kind, cause or severity, months outside 1..12, a negative expenditure,
 * income or asset, an unknown income kind, no counted member, a parameter
 * out of range, any product or sum that would overflow. out is filled only
 * on success.
 */
int assistance_linshi(const struct assistance_linshi_in *in, struct assistance_linshi_result *out,
                      struct ms_err *err);

#endif
