/*
 * assistance_tekun.c - the 特困 computation (rules.md §1.7, §1.8), pure: no
 * database, no clock. Three conditions decide (特困人员认定办法 第六至第十条):
 * no ability to work, no source of living, no legal supporter able to
 * support; the amount is the basic standard plus the care subsidy of the
 * care level the six ADL items give. Every bound is a policy value in
 * struct assistance_tekun_params.
 */
#include "modules/assistance/assistance_tekun.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"

#include "core/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* 特困认定办法 第二十一条: 自主吃饭、自主穿衣、自主上下床、自主如厕、室内行走、自主洗澡. */
static const char *const adl_items[ASSISTANCE_ADL_ITEMS] = {
    "feeding", "dressing", "bed_transfer", "toilet", "indoor_walking", "bathing"};

static const char *const disability_types[] = {"",       "intellectual", "mental", "physical",
                                               "visual", "hearing",      "speech", "multiple"};

/* Income kinds 特困 excludes beyond the dibao exclusions (§1.8): 城乡居民基础养老金
 * (always, not only in the 十四五 period), basic medical insurance benefits
 * and 高龄津贴; 优待抚恤金 is excluded for dibao already. */
static const char *const tekun_excluded[] = {"resident_pension", "medical_insurance",
                                             "elderly_allowance"};

int assistance_adl_item(const char *name)
{
    for (int i = 0; name && i < ASSISTANCE_ADL_ITEMS; i++)
        if (!strcmp(adl_items[i], name))
            return i;
    return -1;
}

const char *assistance_adl_item_name(int i)
{
    return i >= 0 && i < ASSISTANCE_ADL_ITEMS ? adl_items[i] : NULL;
}

int assistance_disability_type_known(const char *type)
{
    for (size_t i = 0; type && i < N_ELEMS(disability_types); i++)
        if (!strcmp(disability_types[i], type))
            return 1;
    return 0;
}

static int tekun_excludes(const char *kind)
{
    for (size_t i = 0; kind && i < N_ELEMS(tekun_excluded); i++)
        if (!strcmp(tekun_excluded[i], kind))
            return 1;
    return 0;
}

int assistance_tekun_income_kind_known(const char *kind)
{
    return tekun_excludes(kind) || assistance_income_kind_known(kind);
}

const char *assistance_care_level_name(enum assistance_care_level level)
{
    return level == ASSISTANCE_CARE_FULL      ? "full"
           : level == ASSISTANCE_CARE_PARTIAL ? "partial"
                                              : "self";
}

static int popcount6(unsigned bits)
{
    int n = 0;
    for (int i = 0; i < ASSISTANCE_ADL_ITEMS; i++)
        n += (bits >> i) & 1u;
    return n;
}

enum assistance_care_level assistance_care_level(unsigned adl_not_met, int full_loss_min)
{
    int n = popcount6(adl_not_met);
    if (n == 0)
        return ASSISTANCE_CARE_SELF;
    return n >= full_loss_min ? ASSISTANCE_CARE_FULL : ASSISTANCE_CARE_PARTIAL;
}

/* The grade bound of a disability type that makes a person unable to work
 * (§1.8), 0 for a type that does not. */
static int grade_bound(const char *type, const struct assistance_tekun_params *p)
{
    if (!type)
        return 0;
    if (!strcmp(type, "intellectual"))
        return p->max_grade_intellectual;
    if (!strcmp(type, "mental"))
        return p->max_grade_mental;
    if (!strcmp(type, "physical"))
        return p->max_grade_physical;
    if (!strcmp(type, "visual"))
        return p->max_grade_visual;
    return 0;
}

int assistance_tekun_unable_to_work(const struct assistance_tekun_member *m,
                                    const struct assistance_tekun_params *p)
{
    if (m->age >= p->age_elderly_min || m->age < p->age_minor_below)
        return 1;
    return m->disability_grade >= 1 && m->disability_grade <= grade_bound(m->disability_type, p);
}

int assistance_tekun_supporter_unable(const struct assistance_tekun_supporter *s,
                                      const struct assistance_tekun_params *p)
{
    if (s->is_tekun || s->is_incapacitated || s->is_missing || s->is_in_prison)
        return 1;
    if (s->is_dibao && s->age >= p->supporter_dibao_age_min)
        return 1;
    return (s->age >= p->supporter_age_min || s->is_severely_disabled) &&
           s->annual_income_fen < p->disposable_income_fen && s->has_low_assets;
}

int assistance_tekun_minor_continues(int age, int is_in_school,
                                     const struct assistance_tekun_params *p)
{
    return age < p->minor_until_age || is_in_school;
}

/* --- the computation ---------------------------------------------------------------- */

#define bad      assistance_calc_bad
#define overflow assistance_calc_overflow

static int check_params(const struct assistance_tekun_params *p, struct ms_err *err)
{
    if (p->basic_fen <= 0 || p->dibao_standard_fen <= 0)
        return bad(err, "params", "特困供养标准和低保标准必须大于零",
                   "the basic and dibao standards must be positive");
    for (size_t i = 0; i < N_ELEMS(p->care_fen); i++)
        if (p->care_fen[i] < 0)
            return bad(err, "params", "照料护理补贴不能为负数", "a care subsidy is negative");
    if (p->adl_full_loss_min < 1 || p->adl_full_loss_min > ASSISTANCE_ADL_ITEMS ||
        p->age_elderly_min < 0 || p->age_minor_below < 0 || p->minor_until_age < 0 ||
        p->assets.deposit_months < 0 || p->assets.max_houses < 0 || p->assets.max_vehicles < 0 ||
        p->disposable_income_fen < 0)
        return bad(err, "params", "政策参数超出允许范围", "a policy parameter is out of range");
    return 0;
}

static int check_members(const struct assistance_tekun_in *in, struct ms_err *err)
{
    char f[64];
    if (in->n_members > ASSISTANCE_TEKUN_MAX_MEMBERS)
        return bad(err, "members", "成员过多", "too many members");
    for (size_t i = 0; i < in->n_members; i++) {
        const struct assistance_tekun_member *m = &in->members[i];
        snprintf(f, sizeof(f), "members[%zu].age", i);
        if (m->age < 0)
            return bad(err, f, "年龄不能为负数", "an age cannot be negative");
        snprintf(f, sizeof(f), "members[%zu].disability_type", i);
        if (m->disability_type && !assistance_disability_type_known(m->disability_type))
            return bad(err, f, "残疾类别无效", "unknown disability type");
        snprintf(f, sizeof(f), "members[%zu].disability_grade", i);
        if (m->disability_grade < 0 || m->disability_grade > 4)
            return bad(err, f, "残疾等级应为 0 至 4", "disability grade must be 0-4");
        snprintf(f, sizeof(f), "members[%zu].adl_not_met", i);
        if (m->adl_not_met >> ASSISTANCE_ADL_ITEMS)
            return bad(err, f, "生活自理能力评估项目无效", "unknown ADL item");
    }
    for (size_t i = 0; i < in->n_supporters; i++) {
        snprintf(f, sizeof(f), "supporters[%zu]", i);
        if (in->supporters[i].age < 0 || in->supporters[i].annual_income_fen < 0)
            return bad(err, f, "赡养（抚养、扶养）义务人的年龄和收入不能为负数",
                       "a supporter's age and income cannot be negative");
    }
    return 0;
}

/* What an income kind does for 特困 (§1.2, with the §1.8 exclusions). */
static int tekun_effect(const char *kind, int flag)
{
    (void)flag;
    return tekun_excludes(kind) ? ASSISTANCE_INCOME_EXCLUDED : assistance_income_effect(kind, 1);
}

/* Income per month of the counted members. */
static int sum_incomes(const struct assistance_tekun_in *in, struct assistance_calc *out,
                       struct ms_err *err)
{
    struct assistance_calc_member m[ASSISTANCE_TEKUN_MAX_MEMBERS];
    memset(m, 0, sizeof(m));
    for (size_t i = 0; i < in->n_members; i++)
        m[i].is_counted = in->members[i].is_counted;
    return assistance_incomes_sum(in->incomes, in->n_incomes, m, in->n_members, tekun_effect, 0,
                                  out, err);
}

/* 无劳动能力: every counted member; a reason names each who can work. */
static void check_work(const struct assistance_tekun_in *in, struct assistance_tekun_result *r)
{
    char zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    r->is_unable_to_work = 1;
    for (size_t i = 0; i < in->n_members; i++) {
        struct assistance_tekun_person *p = &r->people[i];
        p->is_counted = in->members[i].is_counted;
        p->is_unable_to_work = assistance_tekun_unable_to_work(&in->members[i], &in->params);
        p->adl_not_met = popcount6(in->members[i].adl_not_met);
        p->care = assistance_care_level(in->members[i].adl_not_met, in->params.adl_full_loss_min);
        if (!p->is_counted || p->is_unable_to_work)
            continue;
        r->is_unable_to_work = 0;
        snprintf(zh, sizeof(zh),
                 "成员 %zu 年满 %d 周岁且未满 %d 周岁，且无符合条件的残疾，具有劳动能力", i + 1,
                 in->params.age_minor_below, in->params.age_elderly_min);
        snprintf(en, sizeof(en),
                 "member %zu is aged %d to under %d and has no qualifying disability: able to work",
                 i + 1, in->params.age_minor_below, in->params.age_elderly_min);
        assistance_reason_add(&r->outcome, "able_to_work", zh, en);
    }
}

/* 无生活来源: income below the dibao standard, assets within the 特困 limits. */
static int check_living(const struct assistance_tekun_in *in, struct assistance_tekun_result *r,
                        struct ms_err *err)
{
    struct assistance_calc *o = &r->outcome;
    char a[MS_MONEY_BUF], b[MS_MONEY_BUF], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    int64_t line;
    if (sum_incomes(in, o, err) < 0 ||
        assistance_assets_check(in->assets, in->n_assets, &in->params.assets, o->members_counted, o,
                                err) < 0)
        return err->code;
    if (ms_money_mul(in->params.dibao_standard_fen, o->members_counted, &line) < 0)
        return overflow(err, "members");
    o->per_capita_fen = o->income_fen / o->members_counted;
    ms_money_format(o->per_capita_fen, a);
    ms_money_format(in->params.dibao_standard_fen, b);
    if (o->income_fen < line) {
        r->is_without_living = o->is_assets_ok;
        return 0;
    }
    snprintf(zh, sizeof(zh), "人均收入 %s 元，不低于低保标准 %s 元，有生活来源", a, b);
    snprintf(en, sizeof(en),
             "per-capita income %s yuan is not below the dibao standard of %s yuan: "
             "has a source of living",
             a, b);
    assistance_reason_add(o, "income_not_below_standard", zh, en);
    return 0;
}

/* 无法定义务人或义务人无履行能力: every supporter declared is unable. */
static void check_supporters(const struct assistance_tekun_in *in,
                             struct assistance_tekun_result *r)
{
    char zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    r->is_without_support = 1;
    for (size_t i = 0; i < in->n_supporters; i++) {
        if (assistance_tekun_supporter_unable(&in->supporters[i], &in->params))
            continue;
        r->is_without_support = 0;
        snprintf(zh, sizeof(zh), "法定义务人 %zu 具有履行赡养、抚养或扶养义务的能力", i + 1);
        snprintf(en, sizeof(en), "legal supporter %zu is able to support", i + 1);
        assistance_reason_add(&r->outcome, "supporter_able", zh, en);
    }
}

static int compute_amount(const struct assistance_tekun_in *in, struct assistance_tekun_result *r,
                          struct ms_err *err)
{
    struct assistance_calc *o = &r->outcome;
    char a[MS_MONEY_BUF], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    static const char *const care_zh[] = {"具备生活自理能力", "部分丧失生活自理能力",
                                          "完全丧失生活自理能力"};
    for (size_t i = 0; i < in->n_members; i++) {
        struct assistance_tekun_person *p = &r->people[i];
        if (!p->is_counted)
            continue;
        p->basic_fen = in->params.basic_fen;
        p->care_fen = in->params.care_fen[p->care];
        if (ms_money_add(p->basic_fen, p->care_fen, &p->amount_fen) < 0 ||
            ms_money_add(o->base_fen, p->basic_fen, &o->base_fen) < 0 ||
            ms_money_add(o->topup_fen, p->care_fen, &o->topup_fen) < 0 ||
            ms_money_add(o->amount_fen, p->amount_fen, &o->amount_fen) < 0)
            return overflow(err, "members");
        ms_money_format(p->amount_fen, a);
        snprintf(zh, sizeof(zh), "成员 %zu：%d 项日常生活活动不能自理，%s，每月 %s 元", i + 1,
                 p->adl_not_met, care_zh[p->care], a);
        snprintf(en, sizeof(en), "member %zu: %d ADL items not met, care level %s, %s yuan a month",
                 i + 1, p->adl_not_met, assistance_care_level_name(p->care), a);
        assistance_reason_add(o, "care_level", zh, en);
    }
    return 0;
}

int assistance_tekun(const struct assistance_tekun_in *in, struct assistance_tekun_result *out,
                     struct ms_err *err)
{
    struct assistance_tekun_result r;
    memset(&r, 0, sizeof(r));
    if (check_params(&in->params, err) < 0 || check_members(in, err) < 0)
        return err->code;
    for (size_t i = 0; i < in->n_members; i++)
        r.outcome.members_counted += in->members[i].is_counted ? 1 : 0;
    if (r.outcome.members_counted == 0)
        return bad(err, "members", "申请中没有计入的成员", "no member counts");
    r.n_people = in->n_members;
    r.outcome.standard_fen = in->params.basic_fen;
    check_work(in, &r);
    if (check_living(in, &r, err) < 0)
        return err->code;
    check_supporters(in, &r);
    r.outcome.is_eligible = r.is_unable_to_work && r.is_without_living && r.is_without_support;
    if (r.outcome.is_eligible && compute_amount(in, &r, err) < 0)
        return err->code;
    *out = r;
    return 0;
}
