/*
 * assistance_linshi.c - the 临时救助 computation (rules.md §1.10), pure: no
 * database, no clock. The amount is a policy tier (kind, severity) as a
 * multiple of the urban dibao standard per month of hardship, capped; the
 * tiers, the cap and the town's approval limit are placeholders until
 * Chongqing's are found (rules.md Appendix B).
 */
#include "modules/assistance/assistance_linshi.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"

#include "core/banned.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kinds[ASSISTANCE_LINSHI_KINDS] = {"emergency", "expenditure"};
static const char *const severities[ASSISTANCE_LINSHI_SEVERITIES] = {"general", "serious",
                                                                     "critical"};
/* 急难型: 火灾、交通事故等意外事件，突发重大疾病，其他; 支出型: 医疗、教育，其他. */
static const char *const emergency_causes[] = {"fire", "traffic_accident", "other_accident",
                                               "major_illness", "other"};
static const char *const expenditure_causes[] = {"medical", "education", "other"};

static int index_of(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(list[i], s))
            return (int)i;
    return -1;
}

int assistance_linshi_kind(const char *kind)
{
    return index_of(kinds, N_ELEMS(kinds), kind);
}

int assistance_linshi_severity(const char *severity)
{
    return index_of(severities, N_ELEMS(severities), severity);
}

int assistance_linshi_cause_known(const char *kind, const char *cause)
{
    switch (assistance_linshi_kind(kind)) {
    case 0:
        return index_of(emergency_causes, N_ELEMS(emergency_causes), cause) >= 0;
    case 1:
        return index_of(expenditure_causes, N_ELEMS(expenditure_causes), cause) >= 0;
    default:
        return 0;
    }
}

#define bad      assistance_calc_bad
#define overflow assistance_calc_overflow

static int check_in(const struct assistance_linshi_in *in, struct ms_err *err)
{
    const struct assistance_linshi_params *p = &in->params;
    if (p->urban_standard_fen <= 0 || p->max_months < 1 || p->cap_ppm < 0 ||
        p->town_limit_ppm < 0 || p->disposable_income_fen < 0 || p->assets.deposit_months < 0 ||
        p->assets.max_houses < 0 || p->assets.max_vehicles < 0)
        return bad(err, "params", "政策参数超出允许范围", "a policy parameter is out of range");
    for (size_t k = 0; k < ASSISTANCE_LINSHI_KINDS; k++)
        for (size_t s = 0; s < ASSISTANCE_LINSHI_SEVERITIES; s++)
            if (p->tier_ppm[k][s] < 0)
                return bad(err, "params", "救助档次倍数不能为负数", "a tier multiple is negative");
    if (assistance_linshi_kind(in->kind) < 0)
        return bad(err, "linshi.kind",
                   "临时救助类型应为 emergency（急难型）或 expenditure（支出型）",
                   "kind must be emergency or expenditure");
    if (!assistance_linshi_cause_known(in->kind, in->cause))
        return bad(err, "linshi.cause", "困难原因与救助类型不符", "unknown cause for this kind");
    if (assistance_linshi_severity(in->severity) < 0)
        return bad(err, "linshi.severity", "困难程度应为 general、serious 或 critical",
                   "severity must be general, serious or critical");
    if (in->months < 1 || in->months > 12)
        return bad(err, "linshi.months", "困难持续月数应为 1 至 12", "months must be 1-12");
    if (in->expenditure_fen < 0)
        return bad(err, "expenses", "支出金额不能为负数", "an expenditure cannot be negative");
    return 0;
}

/* 支出型 (§1.10): spending declared, per-capita income below last year's
 * per-capita disposable income, assets within the limits. */
static int check_expenditure(const struct assistance_linshi_in *in, struct assistance_calc *o,
                             struct ms_err *err)
{
    char a[MS_MONEY_BUF], b[MS_MONEY_BUF], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    int64_t yearly;
    int ok = 1;
    if (assistance_assets_check(in->assets, in->n_assets, &in->params.assets, o->members_counted, o,
                                err) < 0)
        return err->code;
    ok = o->is_assets_ok;
    if (in->expenditure_fen == 0) {
        assistance_reason_add(o, "no_expenditure", "支出型临时救助须申报有票据的必需支出",
                              "expenditure assistance needs the spending, with receipts");
        ok = 0;
    }
    if (ms_money_mul(o->per_capita_fen, 12, &yearly) < 0)
        return overflow(err, "incomes");
    if (yearly >= in->params.disposable_income_fen) {
        ms_money_format(yearly, a);
        ms_money_format(in->params.disposable_income_fen, b);
        snprintf(zh, sizeof(zh), "人均年收入 %s 元，不低于上年度人均可支配收入 %s 元", a, b);
        snprintf(en, sizeof(en),
                 "per-capita income %s yuan a year is not below last year's per-capita "
                 "disposable income of %s yuan",
                 a, b);
        assistance_reason_add(o, "income_not_below_disposable", zh, en);
        ok = 0;
    }
    return ok;
}

/* The tier amount, the cap and the town limit (§1.10). */
static int compute_amount(const struct assistance_linshi_in *in, struct assistance_linshi_result *r,
                          struct ms_err *err)
{
    const struct assistance_linshi_params *p = &in->params;
    int64_t monthly;
    r->multiple_ppm =
        p->tier_ppm[assistance_linshi_kind(in->kind)][assistance_linshi_severity(in->severity)];
    r->months = in->months < p->max_months ? in->months : p->max_months;
    if (ms_money_mul(p->urban_standard_fen, r->months, &monthly) < 0 ||
        ms_money_apply_ratio(monthly, r->multiple_ppm, &r->tier_fen) < 0 ||
        ms_money_apply_ratio(p->urban_standard_fen, p->cap_ppm, &r->cap_fen) < 0 ||
        ms_money_apply_ratio(p->urban_standard_fen, p->town_limit_ppm, &r->town_limit_fen) < 0)
        return overflow(err, "params");
    if (assistance_linshi_kind(in->kind) == 1 && in->expenditure_fen < r->tier_fen)
        r->tier_fen = in->expenditure_fen;
    r->needs_collective_decision = r->tier_fen > r->cap_fen;
    r->outcome.base_fen = r->tier_fen;
    r->outcome.amount_fen = r->needs_collective_decision ? r->cap_fen : r->tier_fen;
    r->is_within_town_limit = r->outcome.amount_fen <= r->town_limit_fen;
    return 0;
}

static void explain(const struct assistance_linshi_in *in, struct assistance_linshi_result *r)
{
    char a[MS_MONEY_BUF], b[MS_MONEY_BUF], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    struct assistance_calc *o = &r->outcome;
    if (o->is_eligible) {
        ms_money_format(o->amount_fen, a);
        snprintf(zh, sizeof(zh), "救助金额 %s 元（%d 个月）", a, r->months);
        snprintf(en, sizeof(en), "amount %s yuan (%d months)", a, r->months);
        assistance_reason_add(o, "amount", zh, en);
    }
    if (r->needs_collective_decision) {
        ms_money_format(r->tier_fen, a);
        ms_money_format(r->cap_fen, b);
        snprintf(zh, sizeof(zh), "按档次应为 %s 元，超过上限 %s 元，须“一事一议”", a, b);
        snprintf(en, sizeof(en),
                 "the tier gives %s yuan, over the cap of %s yuan: needs a collective decision", a,
                 b);
        assistance_reason_add(o, "needs_collective_decision", zh, en);
    }
    if (in->is_pay_first && !r->is_within_town_limit) {
        ms_money_format(r->town_limit_fen, b);
        snprintf(zh, sizeof(zh), "小金额先行救助不能超过乡镇审批额度 %s 元，请按一般程序申请", b);
        snprintf(en, sizeof(en),
                 "pay-first is only for amounts within the town limit of %s yuan: apply the usual "
                 "way",
                 b);
        assistance_reason_add(o, "pay_first_over_town_limit", zh, en);
    }
}

int assistance_linshi(const struct assistance_linshi_in *in, struct assistance_linshi_result *out,
                      struct ms_err *err)
{
    struct assistance_linshi_result r;
    memset(&r, 0, sizeof(r));
    if (check_in(in, err) < 0)
        return err->code;
    for (size_t i = 0; i < in->n_members; i++)
        r.outcome.members_counted += in->members[i].is_counted ? 1 : 0;
    if (r.outcome.members_counted == 0)
        return bad(err, "members", "申请中没有计入的成员", "no member counts");
    if (in->is_pay_first && assistance_linshi_kind(in->kind) != 0)
        return bad(err, "linshi.pay_first", "只有急难型临时救助可以小金额先行救助",
                   "only emergency assistance may be paid first");
    r.outcome.standard_fen = in->params.urban_standard_fen;
    r.outcome.is_assets_ok = 1;
    int ok = 1;
    if (assistance_incomes_sum(in->incomes, in->n_incomes, in->members, in->n_members,
                               assistance_income_effect, in->params.exclude_resident_pension,
                               &r.outcome, err) < 0 ||
        compute_amount(in, &r, err) < 0)
        return err->code;
    r.outcome.per_capita_fen = r.outcome.income_fen / r.outcome.members_counted;
    if (assistance_linshi_kind(in->kind) == 1 && (ok = check_expenditure(in, &r.outcome, err)) < 0)
        return err->code;
    r.outcome.is_eligible =
        ok && r.outcome.amount_fen > 0 && (!in->is_pay_first || r.is_within_town_limit);
    explain(in, &r);
    if (!r.outcome.is_eligible)
        r.outcome.amount_fen = 0;
    *out = r;
    return 0;
}
