/*
 * assistance_tekun.h - the 特困 (extreme poverty support) computation as a
 * pure function (rules.md §1.7, §1.8; 特困人员认定办法): who qualifies, the
 * care level from the six daily-living (ADL) items, and the monthly amount.
 *
 * No database and no clock, like assistance_calc.h: the caller loads the
 * policy values in force on the decision date (assistance_tekun_params_load())
 * and the members' ages on that date. Money is int64_t fen, checked; an
 * input that would overflow is refused, never wrapped. Results are written
 * into the caller's struct; nothing is allocated.
 */
#ifndef MS_ASSISTANCE_TEKUN_H
#define MS_ASSISTANCE_TEKUN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "modules/assistance/assistance_calc.h"

struct store;

/* The six ADL items (特困认定办法 第二十一条), bit i of a member's adl_not_met. */
#define ASSISTANCE_ADL_ITEMS 6

/* The bit of an ADL item by name ("feeding" "dressing" "bed_transfer" "toilet"
 * "indoor_walking" "bathing"), or -1 for an unknown name. */
int assistance_adl_item(const char *name);

/* The name of ADL item bit i (0..5), or NULL. */
const char *assistance_adl_item_name(int i);

/* 1 if type is a disability type a member may declare ("" for none). */
int assistance_disability_type_known(const char *type);

/* 1 if kind is an income kind the 特困 computation knows: the dibao kinds
 * plus medical_insurance and elderly_allowance (rules.md §1.8 exclusions). */
int assistance_tekun_income_kind_known(const char *kind);

enum assistance_care_level {
    ASSISTANCE_CARE_SELF,    /* 具备生活自理能力: every item met */
    ASSISTANCE_CARE_PARTIAL, /* 部分丧失: 1 .. full_loss_min - 1 items not met */
    ASSISTANCE_CARE_FULL,    /* 完全丧失: full_loss_min or more items not met */
};

/* "self" "partial" "full". */
const char *assistance_care_level_name(enum assistance_care_level level);

/* The care level of a member whose ADL items not met are the bits of
 * adl_not_met (rules.md §1.7: 0 self-care, 1-3 partial, 4+ full). */
enum assistance_care_level assistance_care_level(unsigned adl_not_met, int full_loss_min);

/* Policy values in force on one date for one area. */
struct assistance_tekun_params {
    int64_t basic_fen;          /* cq.tekun.basic: 基本生活标准 per person and month */
    int64_t dibao_standard_fen; /* cq.dibao.standard.<area>: the income line (§1.8) */
    int64_t care_fen[3];        /* cq.tekun.care.self|partial|full (placeholders, [U]) */
    int adl_full_loss_min;      /* assistance.tekun.adl_full_loss_min (4) */
    int age_elderly_min;        /* assistance.tekun.age_elderly_min (60) */
    int age_minor_below;        /* assistance.tekun.age_minor_below (16) */
    int minor_until_age;        /* assistance.tekun.minor_until_age (18) */
    int max_grade_intellectual; /* assistance.tekun.disability.intellectual_max_grade (3) */
    int max_grade_mental;       /* assistance.tekun.disability.mental_max_grade (3) */
    int max_grade_physical;     /* assistance.tekun.disability.physical_max_grade (2) */
    int max_grade_visual;       /* assistance.tekun.disability.visual_max_grade (1) */
    struct assistance_asset_limits assets; /* assistance.tekun.asset.* on the dibao standard */
    int supporter_dibao_age_min;           /* assistance.tekun.supporter.dibao_age_min (60) */
    int supporter_age_min;                 /* assistance.tekun.supporter.age_min (70) */
    int64_t disposable_income_fen;         /* nat.rigid.income_ceiling: last year's per-capita
                                              disposable income, per year */
};

/*
 * Loads the parameters in force on date for area ("urban" or "rural").
 * MS_ENOTFOUND (field naming the policy key) if one has no value then.
 */
int assistance_tekun_params_load(struct store *st, const char *area, const char *date,
                                 struct assistance_tekun_params *out, struct ms_err *err);

struct assistance_tekun_member {
    int is_counted;              /* the person applying (and any other counted member) */
    int age;                     /* full years on the decision date */
    const char *disability_type; /* "" or NULL none; see assistance_disability_type_known() */
    int disability_grade;        /* 0 none, 1 (most severe) .. 4 */
    unsigned adl_not_met;        /* bits of the ADL items not met */
};

/* A legal supporter (法定赡养、抚养、扶养义务人) as declared. */
struct assistance_tekun_supporter {
    int age;
    int is_tekun; /* is 特困 themself */
    int is_dibao; /* a 低保 recipient */
    int is_severely_disabled;
    int64_t annual_income_fen; /* their family's per-capita income over the last year */
    int has_low_assets;        /* assets within the low-income limits */
    int is_incapacitated;      /* 无民事行为能力 or limited capacity */
    int is_missing;            /* 宣告失踪 */
    int is_in_prison;
};

struct assistance_tekun_in {
    const struct assistance_tekun_member *members;
    size_t n_members;
    const struct assistance_calc_income *incomes; /* months 1..12, averaged */
    size_t n_incomes;
    const struct assistance_calc_asset *assets;
    size_t n_assets;
    const struct assistance_tekun_supporter *supporters;
    size_t n_supporters;
    struct assistance_tekun_params params;
};

#define ASSISTANCE_TEKUN_MAX_MEMBERS 30

struct assistance_tekun_person {
    int is_counted;
    int is_unable_to_work;                   /* by age or disability */
    int adl_not_met;                         /* how many items */
    enum assistance_care_level care;         /* from the ADL items */
    int64_t basic_fen, care_fen, amount_fen; /* 0 unless the case is eligible */
};

struct assistance_tekun_result {
    /* The common outcome the case flow stores: standard_fen is the basic
     * standard, base_fen Σ basic, topup_fen Σ care subsidies, amount_fen
     * the monthly total; income_fen and per_capita_fen against the dibao
     * standard; the reasons in Chinese and English. */
    struct assistance_calc outcome;
    int is_unable_to_work;  /* every counted member */
    int is_without_living;  /* income below the dibao standard, assets within the limits */
    int is_without_support; /* no legal supporter able to support */
    struct assistance_tekun_person people[ASSISTANCE_TEKUN_MAX_MEMBERS]; /* by member index */
    size_t n_people;
};

/* 1 if the member cannot work (§1.8): age >= age_elderly_min or < age_minor_below,
 * or a disability of a listed type within its grade bound. */
int assistance_tekun_unable_to_work(const struct assistance_tekun_member *m,
                                    const struct assistance_tekun_params *p);

/* 1 if the supporter counts as unable to support (无履行义务能力, §1.8). */
int assistance_tekun_supporter_unable(const struct assistance_tekun_supporter *s,
                                      const struct assistance_tekun_params *p);

/*
 * 1 if a person who qualified as a minor still qualifies by age at age
 * (rules.md §1.8): under minor_until_age (18), or older while in school
 * (compulsory, high-school or secondary vocational education). For the
 * reviews of enrolled cases.
 */
int assistance_tekun_minor_continues(int age, int is_in_school,
                                     const struct assistance_tekun_params *p);

/*
 * Computes 特困 for the counted members:
 *
 *   eligible = every counted member unable to work
 *              and income (per counted member, §1.8 exclusions) < dibao standard
 *              and assets within the 特困 limits
 *              and every legal supporter unable to support
 *   amount   = Σ (basic standard + care subsidy of the member's care level)
 *
 * Errors (MS_EFIELD naming the field, English and Chinese): a negative
 * amount or age, an unknown kind or disability type, a grade outside 0..4,
 * unknown ADL bits, months outside 1..12, a member index out of range, no
 * counted member, more than ASSISTANCE_TEKUN_MAX_MEMBERS members, a
 * parameter out of range, any sum that would overflow. out is filled only
 * on success.
 */
int assistance_tekun(const struct assistance_tekun_in *in, struct assistance_tekun_result *out,
                     struct ms_err *err);

#endif
