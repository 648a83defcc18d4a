/*
 * assistance_calc.h - the dibao computation as a pure function (rules.md
 * §1.2-1.4, §1.7, §1.9): members, declared incomes by kind and assets in;
 * eligibility, per-capita income, the amount in fen and the reasons out.
 *
 * No database and no clock: the caller loads the policy values in force on
 * the decision date into struct assistance_params (assistance_params_load())
 * and the members' ages on that date, so the same inputs always give the
 * same answer and every worked example in rules.md is a unit test.
 *
 * Money is int64_t fen throughout, with checked arithmetic (core/money.h):
 * an input that would overflow is refused, never wrapped.
 */
#ifndef MS_ASSISTANCE_CALC_H
#define MS_ASSISTANCE_CALC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;

/* Policy values in force on one date for one area (urban or rural). */
struct assistance_params {
    int64_t standard_fen;         /* cq.dibao.standard.<area> */
    int64_t marginal_ppm;         /* nat.dibao.marginal_multiplier */
    int exclude_resident_pension; /* assistance.income.exclude_resident_pension */
    int agri_income_months;       /* cq.dibao.agri_income_months */
    int64_t deposit_months;       /* assistance.asset.deposit_months */
    int64_t max_houses;           /* assistance.asset.max_houses */
    int64_t max_vehicles;         /* assistance.asset.max_vehicles */
    int64_t topup_key_fen;        /* cq.dibao.topup.key.<area> */
    int64_t topup_disabled_fen;   /* cq.dibao.topup.disabled */
    int severe_disability_grade;  /* cq.dibao.topup.severe_disability_grade */
    int topup_age_min;            /* cq.dibao.topup.age_min */
    int preschool_age_below;      /* cq.dibao.topup.preschool_age_below */
};

/*
 * Loads the parameters in force on date ("YYYY-MM-DD") for area ("urban" or
 * "rural"). MS_ENOTFOUND (field naming the policy key) if one has no value
 * in force then.
 */
int assistance_params_load(struct store *st, const char *area, const char *date,
                           struct assistance_params *out, struct ms_err *err);

struct assistance_calc_member {
    int is_counted;        /* counts in the household (rules.md §1.1) */
    int age;               /* full years on the decision date */
    int disability_grade;  /* 0 none, 1 (most severe) .. 4 */
    int has_major_illness; /* 重特大疾病 */
    int is_student;
};

struct assistance_calc_income {
    size_t member;      /* index into members */
    const char *kind;   /* see assistance_income_kind_known() */
    int64_t amount_fen; /* for the months below; >= 0 */
    int months;         /* 1, or the farming-income months for "agriculture" */
};

struct assistance_calc_asset {
    const char *kind;  /* deposit securities insurance claim internet_finance house vehicle other */
    int64_t value_fen; /* >= 0 */
    int quantity;      /* houses, vehicles */
    int is_exempt;     /* e.g. a disability mobility vehicle (§1.3) */
};

struct assistance_calc_in {
    const struct assistance_calc_member *members;
    size_t n_members;
    const struct assistance_calc_income *incomes;
    size_t n_incomes;
    const struct assistance_calc_asset *assets;
    size_t n_assets;
    struct assistance_params params;
};

#define ASSISTANCE_REASONS_MAX 12
#define ASSISTANCE_REASON_TEXT 200

struct assistance_reason {
    char code[32]; /* stable: "income_below_standard", ... */
    char zh[ASSISTANCE_REASON_TEXT];
    char en[ASSISTANCE_REASON_TEXT];
};

struct assistance_calc {
    int is_eligible;
    int is_marginal; /* not eligible, per-capita below marginal × standard (§1.9) */
    int is_assets_ok;
    int members_counted;
    int64_t standard_fen;
    int64_t income_fen;     /* counted household income per month, after deductions, >= 0 */
    int64_t excluded_fen;   /* declared but not counted (§1.2 exclusions) */
    int64_t deducted_fen;   /* deductions (§1.2) */
    int64_t per_capita_fen; /* income_fen / members_counted, rounded down */
    int64_t base_fen;       /* standard × members − income, if eligible */
    int64_t topup_fen;      /* classified top-ups (§1.4), if eligible */
    int64_t amount_fen;     /* base + top-ups: the monthly benefit */
    struct assistance_reason reasons[ASSISTANCE_REASONS_MAX];
    size_t n_reasons;
};

/* 1 if kind is an income kind assistance_calc() knows. */
int assistance_income_kind_known(const char *kind);

/* 1 if kind is an asset kind assistance_calc() knows. */
int assistance_asset_kind_known(const char *kind);

/* What an income kind does to household income (rules.md §1.2), shared by
 * the 特困 and 临时救助 computations. */
enum assistance_income_effect_kind {
    ASSISTANCE_INCOME_COUNTS,
    ASSISTANCE_INCOME_EXCLUDED,
    ASSISTANCE_INCOME_DEDUCTED,
};

/* The effect of a kind assistance_income_kind_known() knows, -1 for an
 * unknown kind; resident_pension is excluded while the flag is set. */
int assistance_income_effect(const char *kind, int exclude_resident_pension);

/* MS_EFIELD naming field, in English and Chinese; returns the code. */
int assistance_calc_bad(struct ms_err *err, const char *field, const char *zh, const char *en);

/* MS_EFIELD naming field: an amount too large to compute. */
int assistance_calc_overflow(struct ms_err *err, const char *field);

typedef int assistance_income_effect_fn(const char *kind, int flag);

/*
 * Sums the incomes of the counted members per month (an amount over
 * months 1..12 averaged, rounded down) into out->income_fen (counted less
 * deducted, at least 0), excluded_fen and deducted_fen; effect(kind, flag)
 * says what a kind does (assistance_income_effect() and the like). For the
 * 特困 and 临时救助 computations. MS_EFIELD naming "incomes[i]...": an
 * unknown kind, a member out of range, months outside 1..12, a negative
 * amount, an overflow.
 */
int assistance_incomes_sum(const struct assistance_calc_income *incomes, size_t n_incomes,
                           const struct assistance_calc_member *members, size_t n_members,
                           assistance_income_effect_fn *effect, int flag,
                           struct assistance_calc *out, struct ms_err *err);

/* Appends a reason to out (silently dropped past ASSISTANCE_REASONS_MAX). */
void assistance_reason_add(struct assistance_calc *out, const char *code, const char *zh,
                           const char *en);

/* Asset limits (rules.md §1.3): financial assets up to deposit_months ×
 * standard × members; houses and non-exempt vehicles up to their counts. */
struct assistance_asset_limits {
    int64_t standard_fen, deposit_months, max_houses, max_vehicles;
};

/*
 * Checks assets against lim for members people: sets out->is_assets_ok and
 * adds a reason per limit exceeded. MS_EFIELD for an unknown kind, a
 * negative value or an overflow ("assets[i].value_fen").
 */
int assistance_assets_check(const struct assistance_calc_asset *assets, size_t n_assets,
                            const struct assistance_asset_limits *lim, int members,
                            struct assistance_calc *out, struct ms_err *err);

/*
 * Computes the monthly dibao for a household:
 *
 *   income    = Σ counted incomes (farming income over its months) − deductions, at least 0
 *   eligible  = income < standard × counted members  (per-capita < standard), and assets within
 * limits base      = standard × counted members − income  (= (standard − per-capita) × members,
 * exactly) amount    = base + classified top-ups of the counted members
 *
 * Errors (MS_EFIELD, naming the field, English and Chinese): a negative
 * amount ("incomes[2].amount_fen"), an unknown kind, months other than 1
 * (or the farming months), a member index out of range, no counted member,
 * a negative or out-of-range parameter, and any sum that would overflow.
 * out is filled only on success.
 */
int assistance_calc(const struct assistance_calc_in *in, struct assistance_calc *out,
                    struct ms_err *err);

#endif
