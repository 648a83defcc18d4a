/*
 * assistance_calc.c - the dibao computation (rules.md §1.2-1.4, §1.9), pure:
 * no database, no clock. The income kinds and what each does are a table
 * (which kinds count, which are excluded, which are deducted), so the rule
 * reads as data; the policy values come in through struct assistance_params.
 */
#include "modules/assistance/assistance_calc.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"

#include "core/banned.h"

enum income_effect {
    INCOME_COUNTS,           /* part of household income */
    INCOME_EXCLUDED,         /* never counted (§1.2 exclusions) */
    INCOME_RESIDENT_PENSION, /* excluded while assistance.income.exclude_resident_pension is 1 */
    INCOME_DEDUCTED,         /* taken off household income (§1.2 deductions, transfer outgoings) */
};

/* clang-format off */
static const struct {
    const char *kind;
    enum income_effect effect;
} income_kinds[] = {
    /* 工资性收入 */
    { "wage",                INCOME_COUNTS },
    /* 经营净收入; farming is averaged over cq.dibao.agri_income_months (重庆低保条例 第十二条) */
    { "business",            INCOME_COUNTS },
    { "agriculture",         INCOME_COUNTS },
    /* 财产净收入 */
    { "property",            INCOME_COUNTS },
    /* 转移净收入, income side */
    { "pension",             INCOME_COUNTS },
    { "support",             INCOME_COUNTS },   /* 赡养费、抚养费、扶养费 */
    { "unemployment",        INCOME_COUNTS },
    { "compensation",        INCOME_COUNTS },
    { "other",               INCOME_COUNTS },
    /* 城乡居民基本养老保险基础养老金: a dated exclusion (§1.2, 十四五) */
    { "resident_pension",    INCOME_RESIDENT_PENSION },
    /* excluded from income (审核确认办法 第十三条) */
    { "veteran_benefit",     INCOME_EXCLUDED }, /* 优待抚恤金 */
    { "family_planning",     INCOME_EXCLUDED },
    { "scholarship",         INCOME_EXCLUDED },
    { "heroism_reward",      INCOME_EXCLUDED }, /* 见义勇为奖励 */
    { "social_assistance",   INCOME_EXCLUDED }, /* so dibao never counts against itself */
    /* deductions: rigid extra costs of disability or illness, costs of
     * working, and transfer outgoings (taxes, contributions, support paid) */
    { "deduction_medical",   INCOME_DEDUCTED },
    { "deduction_work_cost", INCOME_DEDUCTED },
    { "transfer_out",        INCOME_DEDUCTED },
};

static const struct {
    const char *kind;
    int is_financial;       /* counts against the deposit limit */
} asset_kinds[] = {
    { "deposit", 1 }, { "securities", 1 }, { "insurance", 1 }, { "claim", 1 },
    { "internet_finance", 1 }, { "house", 0 }, { "vehicle", 0 }, { "other", 0 },
};
/* clang-format on */

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int income_kind(const char *kind)
{
    for (size_t i = 0; kind && i < N_ELEMS(income_kinds); i++)
        if (!strcmp(income_kinds[i].kind, kind))
            return (int)i;
    return -1;
}

static int asset_kind(const char *kind)
{
    for (size_t i = 0; kind && i < N_ELEMS(asset_kinds); i++)
        if (!strcmp(asset_kinds[i].kind, kind))
            return (int)i;
    return -1;
}

int assistance_income_kind_known(const char *kind)
{
    return income_kind(kind) >= 0;
}

int assistance_asset_kind_known(const char *kind)
{
    return asset_kind(kind) >= 0;
}

int assistance_income_effect(const char *kind, int exclude_resident_pension)
{
    int k = income_kind(kind);
    if (k < 0)
        return -1;
    switch (income_kinds[k].effect) {
    case INCOME_COUNTS:
        return ASSISTANCE_INCOME_COUNTS;
    case INCOME_RESIDENT_PENSION:
        return exclude_resident_pension ? ASSISTANCE_INCOME_EXCLUDED : ASSISTANCE_INCOME_COUNTS;
    case INCOME_EXCLUDED:
        return ASSISTANCE_INCOME_EXCLUDED;
    case INCOME_DEDUCTED:
        return ASSISTANCE_INCOME_DEDUCTED;
    }
    return -1;
}

int assistance_calc_bad(struct ms_err *err, const char *field, const char *zh, const char *en)
{
    int ret = ms_err_field(err, MS_EFIELD, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

int assistance_calc_overflow(struct ms_err *err, const char *field)
{
    return assistance_calc_bad(err, field, "金额过大，超出可计算范围",
                               "amount too large to compute");
}

#define bad      assistance_calc_bad
#define overflow assistance_calc_overflow

int assistance_incomes_sum(const struct assistance_calc_income *incomes, size_t n_incomes,
                           const struct assistance_calc_member *members, size_t n_members,
                           assistance_income_effect_fn *effect, int flag,
                           struct assistance_calc *out, struct ms_err *err)
{
    int64_t counted = 0, excluded = 0, deducted = 0;
    char f[64];
    for (size_t i = 0; i < n_incomes; i++) {
        const struct assistance_calc_income *x = &incomes[i];
        int e = effect(x->kind, flag);
        snprintf(f, sizeof(f), "incomes[%zu].kind", i);
        if (e < 0)
            return bad(err, f, "收入类型无效", "unknown income kind");
        snprintf(f, sizeof(f), "incomes[%zu].member", i);
        if (x->member >= n_members)
            return bad(err, f, "收入所属成员不在申请家庭中", "no such member");
        snprintf(f, sizeof(f), "incomes[%zu].months", i);
        if (x->months < 1 || x->months > 12)
            return bad(err, f, "收入计算月数应为 1 至 12", "months must be 1-12");
        snprintf(f, sizeof(f), "incomes[%zu].amount_fen", i);
        if (x->amount_fen < 0)
            return bad(err, f, "收入金额不能为负数", "an income cannot be negative");
        if (!members[x->member].is_counted)
            continue;
        int64_t *sum = e == ASSISTANCE_INCOME_COUNTS     ? &counted
                       : e == ASSISTANCE_INCOME_EXCLUDED ? &excluded
                                                         : &deducted;
        if (ms_money_add(*sum, x->amount_fen / x->months, sum) < 0)
            return overflow(err, f);
    }
    out->excluded_fen = excluded;
    out->deducted_fen = deducted;
    out->income_fen = counted > deducted ? counted - deducted : 0;
    return 0;
}

void assistance_reason_add(struct assistance_calc *out, const char *code, const char *zh,
                           const char *en)
{
    if (out->n_reasons >= ASSISTANCE_REASONS_MAX)
        return;
    struct assistance_reason *r = &out->reasons[out->n_reasons++];
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->zh, sizeof(r->zh), "%s", zh);
    snprintf(r->en, sizeof(r->en), "%s", en);
}

static int check_params(const struct assistance_params *p, struct ms_err *err)
{
    if (p->standard_fen <= 0)
        return bad(err, "standard_fen", "低保标准必须大于零", "the standard must be positive");
    if (p->marginal_ppm < 0 || p->agri_income_months < 1 || p->agri_income_months > 12 ||
        p->deposit_months < 0 || p->max_houses < 0 || p->max_vehicles < 0 || p->topup_key_fen < 0 ||
        p->topup_disabled_fen < 0)
        return bad(err, "params", "政策参数超出允许范围", "a policy parameter is out of range");
    return 0;
}

/* Sums incomes into out (income, excluded, deducted). */
static int sum_incomes(const struct assistance_calc_in *in, struct assistance_calc *out,
                       struct ms_err *err)
{
    int64_t counted = 0, excluded = 0, deducted = 0;
    char field[64];
    for (size_t i = 0; i < in->n_incomes; i++) {
        const struct assistance_calc_income *x = &in->incomes[i];
        int k = income_kind(x->kind);
        snprintf(field, sizeof(field), "incomes[%zu].kind", i);
        if (k < 0)
            return bad(err, field, "收入类型无效", "unknown income kind");
        snprintf(field, sizeof(field), "incomes[%zu].member", i);
        if (x->member >= in->n_members)
            return bad(err, field, "收入所属成员不在申请家庭中", "no such member");
        snprintf(field, sizeof(field), "incomes[%zu].amount_fen", i);
        if (x->amount_fen < 0)
            return bad(err, field, "收入金额不能为负数", "an income cannot be negative");
        int want_months = strcmp(x->kind, "agriculture") ? 1 : in->params.agri_income_months;
        snprintf(field, sizeof(field), "incomes[%zu].months", i);
        if (x->months != want_months) {
            ms_err_field(err, MS_EFIELD, field, "months must be %d for %s", want_months, x->kind);
            ms_err_zh(err, "该类收入的计算月数应为 %d", want_months);
            return err ? err->code : MS_EFIELD;
        }
        if (!in->members[x->member].is_counted)
            continue; /* a member who does not count brings no income either (§1.1) */
        /* Farming income: the months' total ÷ months, rounded down to the fen. */
        int64_t monthly = x->amount_fen / x->months;
        enum income_effect e = income_kinds[k].effect;
        if (e == INCOME_RESIDENT_PENSION)
            e = in->params.exclude_resident_pension ? INCOME_EXCLUDED : INCOME_COUNTS;
        int64_t *sum = e == INCOME_COUNTS ? &counted : e == INCOME_EXCLUDED ? &excluded : &deducted;
        snprintf(field, sizeof(field), "incomes[%zu].amount_fen", i);
        if (ms_money_add(*sum, monthly, sum) < 0)
            return overflow(err, field);
    }
    out->excluded_fen = excluded;
    out->deducted_fen = deducted;
    out->income_fen = counted > deducted ? counted - deducted : 0;
    return 0;
}

/* rules.md §1.3: financial assets within deposit_months × standard per
 * counted member; houses and non-exempt vehicles within their counts. */
int assistance_assets_check(const struct assistance_calc_asset *assets, size_t n_assets,
                            const struct assistance_asset_limits *lim, int members,
                            struct assistance_calc *out, struct ms_err *err)
{
    int64_t financial = 0, houses = 0, vehicles = 0, limit;
    char field[64], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    char a[MS_MONEY_BUF], b[MS_MONEY_BUF];
    for (size_t i = 0; i < n_assets; i++) {
        const struct assistance_calc_asset *x = &assets[i];
        int k = asset_kind(x->kind);
        snprintf(field, sizeof(field), "assets[%zu].kind", i);
        if (k < 0)
            return bad(err, field, "资产类型无效", "unknown asset kind");
        snprintf(field, sizeof(field), "assets[%zu].value_fen", i);
        if (x->value_fen < 0 || x->quantity < 0)
            return bad(err, field, "资产金额和数量不能为负数", "an asset cannot be negative");
        if (x->is_exempt)
            continue;
        if (asset_kinds[k].is_financial && ms_money_add(financial, x->value_fen, &financial) < 0)
            return overflow(err, field);
        if (!strcmp(x->kind, "house"))
            houses += x->quantity;
        if (!strcmp(x->kind, "vehicle"))
            vehicles += x->quantity;
    }
    out->is_assets_ok = 1;
    if (ms_money_mul(lim->standard_fen, lim->deposit_months, &limit) < 0 ||
        ms_money_mul(limit, members, &limit) < 0)
        return overflow(err, "params");
    if (financial > limit) {
        ms_money_format(financial, a);
        ms_money_format(limit, b);
        snprintf(zh, sizeof(zh), "存款等金融资产 %s 元，超过上限 %s 元", a, b);
        snprintf(en, sizeof(en), "financial assets %s yuan exceed the limit of %s yuan", a, b);
        assistance_reason_add(out, "assets_financial", zh, en);
        out->is_assets_ok = 0;
    }
    if (houses > lim->max_houses) {
        snprintf(zh, sizeof(zh), "住房 %lld 套，超过 %lld 套", (long long)houses,
                 (long long)lim->max_houses);
        snprintf(en, sizeof(en), "%lld houses, more than %lld", (long long)houses,
                 (long long)lim->max_houses);
        assistance_reason_add(out, "assets_houses", zh, en);
        out->is_assets_ok = 0;
    }
    if (vehicles > lim->max_vehicles) {
        snprintf(zh, sizeof(zh), "机动车 %lld 辆（不含残疾人代步车），超过 %lld 辆",
                 (long long)vehicles, (long long)lim->max_vehicles);
        snprintf(en, sizeof(en), "%lld motor vehicles, more than %lld", (long long)vehicles,
                 (long long)lim->max_vehicles);
        assistance_reason_add(out, "assets_vehicles", zh, en);
        out->is_assets_ok = 0;
    }
    return 0;
}

static int check_assets(const struct assistance_calc_in *in, struct assistance_calc *out,
                        struct ms_err *err)
{
    struct assistance_asset_limits lim = {in->params.standard_fen, in->params.deposit_months,
                                          in->params.max_houses, in->params.max_vehicles};
    return assistance_assets_check(in->assets, in->n_assets, &lim, out->members_counted, out, err);
}

/* rules.md §1.4 分类施保: one key-member top-up (severe disability, major
 * illness, old age, pre-school child, student), else the disabled top-up.
 * They do not stack: the old Chongqing text does not say they do [U]. */
static int64_t member_topup(const struct assistance_params *p,
                            const struct assistance_calc_member *m)
{
    int severe = m->disability_grade >= 1 && m->disability_grade <= p->severe_disability_grade;
    if (severe || m->has_major_illness || m->age >= p->topup_age_min ||
        m->age < p->preschool_age_below || m->is_student)
        return p->topup_key_fen;
    if (m->disability_grade > 0)
        return p->topup_disabled_fen;
    return 0;
}

static int compute_amount(const struct assistance_calc_in *in, struct assistance_calc *out,
                          struct ms_err *err)
{
    int64_t total_standard, topups = 0;
    char a[MS_MONEY_BUF], b[MS_MONEY_BUF], zh[ASSISTANCE_REASON_TEXT], en[ASSISTANCE_REASON_TEXT];
    if (ms_money_mul(in->params.standard_fen, out->members_counted, &total_standard) < 0)
        return overflow(err, "members");
    out->per_capita_fen = out->income_fen / out->members_counted;
    ms_money_format(out->per_capita_fen, a);
    ms_money_format(in->params.standard_fen, b);
    /* per-capita < standard  <=>  income < standard × members, without rounding */
    if (out->income_fen >= total_standard) {
        snprintf(zh, sizeof(zh), "家庭人均收入 %s 元，不低于低保标准 %s 元", a, b);
        snprintf(en, sizeof(en), "per-capita income %s yuan is not below the standard of %s yuan",
                 a, b);
        assistance_reason_add(out, "income_not_below_standard", zh, en);
        /* §1.9: below 1.5 × the standard, and assets within the limits too */
        int64_t marginal;
        if (ms_money_apply_ratio(total_standard, in->params.marginal_ppm, &marginal) == 0 &&
            out->income_fen < marginal && out->is_assets_ok)
            out->is_marginal = 1;
        return 0;
    }
    snprintf(zh, sizeof(zh), "家庭人均收入 %s 元，低于低保标准 %s 元", a, b);
    snprintf(en, sizeof(en), "per-capita income %s yuan is below the standard of %s yuan", a, b);
    assistance_reason_add(out, "income_below_standard", zh, en);
    if (!out->is_assets_ok)
        return 0;
    /* (standard − per-capita) × members = standard × members − income, exactly. */
    out->base_fen = total_standard - out->income_fen;
    for (size_t i = 0; i < in->n_members; i++)
        if (in->members[i].is_counted &&
            ms_money_add(topups, member_topup(&in->params, &in->members[i]), &topups) < 0)
            return overflow(err, "members");
    out->topup_fen = topups;
    if (ms_money_add(out->base_fen, topups, &out->amount_fen) < 0)
        return overflow(err, "members");
    out->is_eligible = 1;
    return 0;
}

int assistance_calc(const struct assistance_calc_in *in, struct assistance_calc *out,
                    struct ms_err *err)
{
    struct assistance_calc r;
    memset(&r, 0, sizeof(r));
    if (check_params(&in->params, err) < 0)
        return err->code;
    for (size_t i = 0; i < in->n_members; i++)
        r.members_counted += in->members[i].is_counted ? 1 : 0;
    if (r.members_counted == 0)
        return bad(err, "members", "申请家庭中没有计入的成员", "no member counts in the household");
    r.standard_fen = in->params.standard_fen;
    if (sum_incomes(in, &r, err) < 0 || check_assets(in, &r, err) < 0 ||
        compute_amount(in, &r, err) < 0)
        return err->code;
    *out = r;
    return 0;
}
