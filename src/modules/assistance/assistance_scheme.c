/*
 * assistance_scheme.c - what differs between 低保, 特困 and 临时救助, as one
 * table (schemes[]) the case flow dispatches on: what an application
 * declares for the scheme and where it is stored, how a stored case is
 * computed (the pure functions of assistance_calc.c, assistance_tekun.c and
 * assistance_linshi.c on the policy values in force on the date), when
 * payment starts, and whether it is paid once.
 *
 * Also here: the scheme's part of a case read, the one-off enrolment of
 * 临时救助 and the completion of the documents of a case paid first.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_linshi.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/assistance/assistance_tekun.h"
#include "store/store.h"

#include "core/banned.h"

static const char *const supporter_relations[] = {"spouse",     "child",       "parent", "sibling",
                                                  "grandchild", "grandparent", "other",  NULL};

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* --- what an application declares ------------------------------------------------- */

static int check_adl(const struct assistance_member_tekun_new *m, size_t i, struct ms_err *err)
{
    char f[64];
    unsigned seen = 0;
    snprintf(f, sizeof(f), "members[%zu].disability_type", i);
    if (m->disability_type && !assistance_disability_type_known(m->disability_type))
        return assistance__bad(err, MS_EFIELD, f, "残疾类别无效", "unknown disability type");
    for (size_t j = 0; j < m->n_adl_not_met; j++) {
        int bit = assistance_adl_item(m->adl_not_met[j]);
        snprintf(f, sizeof(f), "members[%zu].adl_not_met[%zu]", i, j);
        if (bit < 0)
            return assistance__bad(err, MS_EFIELD, f,
                                   "生活自理能力评估项目无效（feeding、dressing、bed_transfer、"
                                   "toilet、indoor_walking、bathing）",
                                   "unknown ADL item");
        if (seen & (1u << bit))
            return assistance__bad(err, MS_EFIELD, f, "生活自理能力评估项目重复",
                                   "an ADL item is listed twice");
        seen |= 1u << bit;
    }
    return 0;
}

static int check_tekun(const struct assistance_case_new *in, struct ms_err *err)
{
    char f[64];
    for (size_t i = 0; in->member_tekun && i < in->n_members; i++)
        if (check_adl(&in->member_tekun[i], i, err) < 0)
            return err->code;
    if (in->n_supporters > ASSISTANCE_MAX_SUPPORTERS)
        return assistance__bad(err, MS_EFIELD, "supporters", "义务人最多 20 人",
                               "at most 20 supporters");
    for (size_t i = 0; i < in->n_supporters; i++) {
        const struct assistance_supporter_new *x = &in->supporters[i];
        snprintf(f, sizeof(f), "supporters[%zu].relation", i);
        if (!in_list(supporter_relations, x->relation))
            return assistance__bad(err, MS_EFIELD, f, "与申请人关系无效", "unknown relation");
        snprintf(f, sizeof(f), "supporters[%zu].age", i);
        if (x->age < 0 || x->age > 150)
            return assistance__bad(err, MS_EFIELD, f, "年龄应为 0 至 150", "age must be 0-150");
        snprintf(f, sizeof(f), "supporters[%zu].annual_income_fen", i);
        if (x->annual_income_fen < 0)
            return assistance__bad(err, MS_EFIELD, f, "收入不能为负数",
                                   "an income cannot be negative");
    }
    return 0;
}

static int check_linshi(const struct assistance_case_new *in, struct ms_err *err)
{
    const struct assistance_linshi_new *l = in->linshi;
    char f[64];
    int64_t total = 0;
    if (!l)
        return assistance__bad(err, MS_EMISSING, "linshi", "临时救助申请须说明救助类型和困难情形",
                               "a temporary-assistance application needs its linshi part");
    if (assistance_linshi_kind(l->kind) < 0)
        return assistance__bad(err, l->kind ? MS_EFIELD : MS_EMISSING, "linshi.kind",
                               "临时救助类型应为 emergency（急难型）或 expenditure（支出型）",
                               "kind must be emergency or expenditure");
    if (!assistance_linshi_cause_known(l->kind, l->cause))
        return assistance__bad(err, l->cause ? MS_EFIELD : MS_EMISSING, "linshi.cause",
                               "困难原因与救助类型不符", "unknown cause for this kind");
    if (assistance_linshi_severity(l->severity) < 0)
        return assistance__bad(err, l->severity ? MS_EFIELD : MS_EMISSING, "linshi.severity",
                               "困难程度应为 general、serious 或 critical",
                               "severity must be general, serious or critical");
    if (l->months < 0 || l->months > 12)
        return assistance__bad(err, MS_EFIELD, "linshi.months", "困难持续月数应为 1 至 12",
                               "months must be 1-12");
    if (l->is_pay_first && strcmp(l->kind, "emergency"))
        return assistance__bad(err, MS_EFIELD, "linshi.pay_first",
                               "只有急难型临时救助可以小金额先行救助",
                               "only emergency assistance may be paid first");
    /* The pay-first move skips the procedure for the whole application:
     * not when 低保 or 特困 is asked for too (they need it). */
    if (l->is_pay_first && in->n_more_schemes)
        return assistance__bad(err, MS_EFIELD, "linshi.pay_first",
                               "先行救助只适用于单独申请的临时救助；同时申请低保或特困的，"
                               "按完整程序办理",
                               "pay-first is for temporary assistance applied for alone: with "
                               "another scheme the whole procedure applies");
    if (strcmp(l->kind, "expenditure"))
        return 0;
    /* 支出型: the spending is the expenses lines, each with its receipt (§1.9, §1.10). */
    if (in->n_expenses == 0)
        return assistance__bad(err, MS_EMISSING, "expenses", "支出型临时救助须申报必需支出及票据",
                               "expenditure assistance needs its expenses, with receipts");
    for (size_t i = 0; i < in->n_expenses; i++) {
        snprintf(f, sizeof(f), "expenses[%zu].receipt_ref", i);
        if (!in->expenses[i].receipt_ref || !*in->expenses[i].receipt_ref)
            return assistance__bad(err, MS_EMISSING, f, "支出须附票据编号",
                                   "an expense needs its receipt reference");
        snprintf(f, sizeof(f), "expenses[%zu].amount_fen", i);
        if (in->expenses[i].amount_fen < 0 ||
            ms_money_add(total, in->expenses[i].amount_fen, &total) < 0)
            return assistance__bad(err, MS_EFIELD, f, "支出金额为负数或合计超出可计算范围",
                                   "an expense is negative or the expenses add up to too much");
    }
    return 0;
}

/* Whether the application asks for scheme code (first or further). */
static int asks_for(const struct assistance_case_new *in, const char *code)
{
    int yes = in->scheme && !strcmp(in->scheme, code);
    for (size_t i = 0; !yes && i < in->n_more_schemes; i++)
        yes = in->more_schemes[i] && !strcmp(in->more_schemes[i], code);
    return yes;
}

/* A part belongs to the application when any scheme it asks for declares
 * it; a part of no scheme asked for is refused, not silently dropped. */
static int check_foreign_parts(const struct assistance_case_new *in, struct ms_err *err)
{
    char f[64];
    if (!asks_for(in, "linshi") && in->linshi)
        return assistance__bad(err, MS_EFIELD, "linshi", "只有申请临时救助时填写此项",
                               "only when linshi is among the schemes");
    if (asks_for(in, "tekun"))
        return 0;
    if (in->n_supporters)
        return assistance__bad(err, MS_EFIELD, "supporters", "只有申请特困供养时填写义务人",
                               "only when tekun is among the schemes");
    for (size_t i = 0; in->member_tekun && i < in->n_members; i++) {
        const struct assistance_member_tekun_new *m = &in->member_tekun[i];
        snprintf(f, sizeof(f), "members[%zu].%s", i,
                 m->n_adl_not_met ? "adl_not_met" : "disability_type");
        if (m->n_adl_not_met || (m->disability_type && *m->disability_type))
            return assistance__bad(err, MS_EFIELD, f, "只有申请特困供养时填写此项",
                                   "only when tekun is among the schemes");
    }
    return 0;
}

/* The schemes of an application, first then further: scheme k (NULL past the end). */
static const struct assistance_scheme *nth_scheme(const struct assistance_case_new *in, size_t k)
{
    if (k > in->n_more_schemes)
        return NULL;
    return assistance__scheme(k ? in->more_schemes[k - 1] : in->scheme);
}

int assistance__scheme_check(const struct assistance_case_new *in, struct ms_err *err)
{
    if (!assistance__scheme(in->scheme))
        return assistance__bad(err, MS_EFIELD, "scheme", "救助项目应为 dibao、tekun 或 linshi",
                               "scheme must be dibao, tekun or linshi");
    if (check_foreign_parts(in, err) < 0)
        return err->code;
    /* Every scheme asked for checks its own part, whatever its position. */
    for (size_t k = 0; k <= in->n_more_schemes; k++) {
        const struct assistance_scheme *sc = nth_scheme(in, k);
        if (sc && sc->check && sc->check(in, err) < 0)
            return err->code;
    }
    return 0;
}

int assistance__scheme_income_kind_known(const struct assistance_case_new *in, const char *kind)
{
    for (size_t k = 0; k <= in->n_more_schemes; k++) {
        const struct assistance_scheme *sc = nth_scheme(in, k);
        if (sc && sc->income_kind_known(kind))
            return 1;
    }
    return 0;
}

/* --- storing it ------------------------------------------------------------------------ */

static unsigned adl_bits(const struct assistance_member_tekun_new *m)
{
    unsigned bits = 0;
    for (size_t j = 0; j < m->n_adl_not_met; j++)
        bits |= 1u << assistance_adl_item(m->adl_not_met[j]);
    return bits;
}

static int store_tekun(struct store *st, int64_t case_id, const struct assistance_case_new *in,
                       const int64_t *member_ids, struct ms_err *err)
{
    struct store_stmt *s;
    static const struct assistance_member_tekun_new none = {NULL, NULL, 0};
    for (size_t i = 0; i < in->n_members; i++) {
        const struct assistance_member_tekun_new *m =
            in->member_tekun ? &in->member_tekun[i] : &none;
        if (store_prepare(st, assistance_sql_tekun_member_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, case_id);
        store_bind_int64(s, 2, member_ids[i]);
        store_bind_text(s, 3, m->disability_type ? m->disability_type : "");
        store_bind_int64(s, 4, adl_bits(m));
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < in->n_supporters; i++) {
        const struct assistance_supporter_new *x = &in->supporters[i];
        if (store_prepare(st, assistance_sql_supporter_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, case_id);
        store_bind_text(s, 2, x->relation);
        store_bind_int64(s, 3, x->age);
        store_bind_int64(s, 4, x->is_tekun ? 1 : 0);
        store_bind_int64(s, 5, x->is_dibao ? 1 : 0);
        store_bind_int64(s, 6, x->is_severely_disabled ? 1 : 0);
        store_bind_int64(s, 7, x->annual_income_fen);
        store_bind_int64(s, 8, x->has_low_assets ? 1 : 0);
        store_bind_int64(s, 9, x->is_incapacitated ? 1 : 0);
        store_bind_int64(s, 10, x->is_missing ? 1 : 0);
        store_bind_int64(s, 11, x->is_in_prison ? 1 : 0);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    return 0;
}

static int store_linshi(struct store *st, int64_t case_id, const struct assistance_case_new *in,
                        const int64_t *member_ids, struct ms_err *err)
{
    struct store_stmt *s;
    const struct assistance_linshi_new *l = in->linshi;
    (void)member_ids;
    if (store_prepare(st, assistance_sql_linshi_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    store_bind_text(s, 2, l->kind);
    store_bind_text(s, 3, l->cause);
    store_bind_text(s, 4, l->severity);
    store_bind_int64(s, 5, l->months > 0 ? l->months : 1);
    store_bind_int64(s, 6, l->is_pay_first ? 1 : 0);
    return assistance__step_once(s, err);
}

int assistance__scheme_store(struct store *st, int64_t case_id,
                             const struct assistance_case_new *in, const int64_t *member_ids,
                             struct ms_err *err)
{
    for (size_t k = 0; k <= in->n_more_schemes; k++) {
        const struct assistance_scheme *sc = nth_scheme(in, k);
        if (sc && sc->store && sc->store(st, case_id, in, member_ids, err) < 0)
            return err->code;
    }
    return 0;
}

int assistance__scheme_has_part(struct store *st, const struct assistance_scheme *sc,
                                int64_t case_id, int *has, struct ms_err *err)
{
    struct store_stmt *s;
    *has = 1;
    if (!sc->part_sql)
        return 0;
    if (store_prepare(st, sc->part_sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    int rc = store_step(s, err);
    *has = rc == STORE_ROW && store_col_int64(s, 0) > 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* --- computing a stored case -------------------------------------------------------- */

/* The members, incomes and assets as the dibao loader reads them. */
struct loaded {
    struct assistance_calc_in calc;
    int64_t *ids;
};

static int load_common(struct store *st, int64_t case_id, const char *date,
                       int (*income_kind_known)(const char *kind), struct ms_arena *a,
                       struct loaded *out, struct ms_err *err)
{
    int32_t on;
    memset(out, 0, sizeof(*out));
    out->ids = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*out->ids));
    if (ms_date_parse(date, &on, err) < 0 ||
        assistance__load_calc_members(st, case_id, on, a, &out->calc, out->ids, err) < 0 ||
        assistance__load_calc_incomes(st, case_id, out->ids, income_kind_known, a, &out->calc,
                                      err) < 0 ||
        assistance__load_calc_assets(st, case_id, a, &out->calc, err) < 0)
        return err->code;
    return 0;
}

static int load_tekun_members(struct store *st, int64_t case_id, const struct loaded *l,
                              struct ms_arena *a, struct assistance_tekun_member *m,
                              struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    for (size_t i = 0; i < l->calc.n_members; i++) {
        m[i].is_counted = l->calc.members[i].is_counted;
        m[i].age = l->calc.members[i].age;
        m[i].disability_grade = l->calc.members[i].disability_grade;
        m[i].disability_type = "";
    }
    if (store_prepare(st, assistance_sql_tekun_members_calc, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW)
        for (size_t i = 0; i < l->calc.n_members; i++)
            if (l->ids[i] == store_col_int64(s, 0)) {
                m[i].disability_type = ms_arena_strdup(a, store_col_text(s, 1));
                m[i].adl_not_met = (unsigned)store_col_int64(s, 2);
            }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static void supporter_from_row(struct store_stmt *s, struct assistance_supporter_new *x)
{
    x->age = (int)store_col_int64(s, 1);
    x->is_tekun = (int)store_col_int64(s, 2);
    x->is_dibao = (int)store_col_int64(s, 3);
    x->is_severely_disabled = (int)store_col_int64(s, 4);
    x->annual_income_fen = store_col_int64(s, 5);
    x->has_low_assets = (int)store_col_int64(s, 6);
    x->is_incapacitated = (int)store_col_int64(s, 7);
    x->is_missing = (int)store_col_int64(s, 8);
    x->is_in_prison = (int)store_col_int64(s, 9);
}

/* The case's supporters, in a (relation strings too). */
static int load_supporters(struct store *st, int64_t case_id, struct ms_arena *a,
                           struct assistance_supporter_new **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *out = ms_arena_calloc(a, ASSISTANCE_MAX_SUPPORTERS, sizeof(**out));
    *n = 0;
    if (store_prepare(st, assistance_sql_supporters_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < ASSISTANCE_MAX_SUPPORTERS) {
        struct assistance_supporter_new *x = &(*out)[(*n)++];
        x->relation = ms_arena_strdup(a, store_col_text(s, 0));
        supporter_from_row(s, x);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int store_tekun_result(struct store *st, int64_t case_id, const struct loaded *l,
                              const struct assistance_tekun_result *r, struct ms_err *err)
{
    struct store_stmt *s;
    for (size_t i = 0; i < r->n_people; i++) {
        const struct assistance_tekun_person *p = &r->people[i];
        if (store_prepare(st, assistance_sql_tekun_member_result, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, assistance_care_level_name(p->care));
        store_bind_int64(s, 2, p->basic_fen);
        store_bind_int64(s, 3, p->care_fen);
        store_bind_int64(s, 4, case_id);
        store_bind_int64(s, 5, l->ids[i]);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    return 0;
}

static int compute_tekun(struct store *st, int64_t case_id, const char *area, const char *date,
                         struct ms_arena *a, struct assistance_calc *out, struct ms_err *err)
{
    struct loaded l;
    struct assistance_tekun_in in;
    struct assistance_tekun_result r;
    struct assistance_supporter_new *sup;
    size_t n_sup;
    memset(&in, 0, sizeof(in));
    struct assistance_tekun_member *m = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*m));
    struct assistance_tekun_supporter *ts =
        ms_arena_calloc(a, ASSISTANCE_MAX_SUPPORTERS, sizeof(*ts));
    if (load_common(st, case_id, date, assistance_tekun_income_kind_known, a, &l, err) < 0 ||
        load_tekun_members(st, case_id, &l, a, m, err) < 0 ||
        load_supporters(st, case_id, a, &sup, &n_sup, err) < 0 ||
        assistance_tekun_params_load(st, area, date, &in.params, err) < 0)
        return err->code;
    for (size_t i = 0; i < n_sup; i++)
        ts[i] =
            (struct assistance_tekun_supporter){.age = sup[i].age,
                                                .is_tekun = sup[i].is_tekun,
                                                .is_dibao = sup[i].is_dibao,
                                                .is_severely_disabled = sup[i].is_severely_disabled,
                                                .annual_income_fen = sup[i].annual_income_fen,
                                                .has_low_assets = sup[i].has_low_assets,
                                                .is_incapacitated = sup[i].is_incapacitated,
                                                .is_missing = sup[i].is_missing,
                                                .is_in_prison = sup[i].is_in_prison};
    in.members = m;
    in.n_members = l.calc.n_members;
    in.incomes = l.calc.incomes;
    in.n_incomes = l.calc.n_incomes;
    in.assets = l.calc.assets;
    in.n_assets = l.calc.n_assets;
    in.supporters = ts;
    in.n_supporters = n_sup;
    if (assistance_tekun(&in, &r, err) < 0 || store_tekun_result(st, case_id, &l, &r, err) < 0)
        return err->code;
    *out = r.outcome;
    return 0;
}

/* The spending of a 支出型 case: the sum of its expenses, checked. */
static int load_expenditure(struct store *st, int64_t case_id, int64_t *total, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *total = 0;
    if (store_prepare(st, assistance_sql_expense_amounts, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW)
        if (ms_money_add(*total, store_col_int64(s, 0), total) < 0) {
            store_reset(s);
            return assistance__bad(err, MS_EFIELD, "expenses", "支出合计超出可计算范围",
                                   "the expenses add up to more than can be computed");
        }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* The linshi row of a case into v (strings in a); MS_EINTEGRITY if it has none. */
static int load_linshi(struct store *st, int64_t case_id, struct ms_arena *a,
                       struct assistance_linshi_view *v, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_linshi_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        v->kind = ms_arena_strdup(a, store_col_text(s, 0));
        v->cause = ms_arena_strdup(a, store_col_text(s, 1));
        v->severity = ms_arena_strdup(a, store_col_text(s, 2));
        v->months = (int)store_col_int64(s, 3);
        v->is_pay_first = (int)store_col_int64(s, 4);
        v->documents_completed_on = ms_arena_strdup(a, store_col_text(s, 5));
        v->documents_completed_by = ms_arena_strdup(a, store_col_text(s, 6));
        v->multiple_ppm = store_col_int64(s, 7);
        v->tier_fen = store_col_int64(s, 8);
        v->cap_fen = store_col_int64(s, 9);
        v->town_limit_fen = store_col_int64(s, 10);
        v->needs_collective_decision = (int)store_col_int64(s, 11);
        v->is_within_town_limit = (int)store_col_int64(s, 12);
        v->is_documents_owed = v->is_pay_first && !*v->documents_completed_on;
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return ms_err_set(err, MS_EINTEGRITY, "linshi case %lld has no linshi row",
                          (long long)case_id);
    return rc < 0 ? rc : 0;
}

int assistance__is_pay_first(struct store *st, const char *scheme, int64_t case_id, int *out,
                             struct ms_err *err)
{
    struct ms_arena a;
    struct assistance_linshi_view v;
    *out = 0;
    if (strcmp(scheme, "linshi") != 0)
        return 0;
    ms_arena_init(&a, 512);
    int rc = load_linshi(st, case_id, &a, &v, err);
    if (rc == 0)
        *out = v.is_pay_first;
    ms_arena_release(&a);
    return rc;
}

static int store_linshi_result(struct store *st, int64_t case_id,
                               const struct assistance_linshi_result *r, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_linshi_result, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, r->multiple_ppm);
    store_bind_int64(s, 2, r->tier_fen);
    store_bind_int64(s, 3, r->cap_fen);
    store_bind_int64(s, 4, r->town_limit_fen);
    store_bind_int64(s, 5, r->needs_collective_decision);
    store_bind_int64(s, 6, r->is_within_town_limit);
    store_bind_int64(s, 7, case_id);
    return assistance__step_once(s, err);
}

static int compute_linshi(struct store *st, int64_t case_id, const char *area, const char *date,
                          struct ms_arena *a, struct assistance_calc *out, struct ms_err *err)
{
    struct loaded l;
    struct assistance_linshi_view v;
    struct assistance_linshi_in in;
    struct assistance_linshi_result r;
    memset(&in, 0, sizeof(in));
    memset(&v, 0, sizeof(v));
    if (load_common(st, case_id, date, assistance_income_kind_known, a, &l, err) < 0 ||
        load_linshi(st, case_id, a, &v, err) < 0 ||
        load_expenditure(st, case_id, &in.expenditure_fen, err) < 0 ||
        assistance_linshi_params_load(st, area, date, &in.params, err) < 0)
        return err->code;
    in.kind = v.kind;
    in.cause = v.cause;
    in.severity = v.severity;
    in.months = v.months;
    in.is_pay_first = v.is_pay_first;
    in.members = l.calc.members;
    in.n_members = l.calc.n_members;
    in.incomes = l.calc.incomes;
    in.n_incomes = l.calc.n_incomes;
    in.assets = l.calc.assets;
    in.n_assets = l.calc.n_assets;
    if (assistance_linshi(&in, &r, err) < 0 || store_linshi_result(st, case_id, &r, err) < 0)
        return err->code;
    *out = r.outcome;
    return 0;
}

/* --- the table --------------------------------------------------------------------------- */

/* clang-format off */
static const struct assistance_scheme schemes[] = {
    { .code = "dibao",  .income_kind_known = assistance_income_kind_known,
      .compute = assistance__compute_dibao,
      .start_key = "assistance.dibao.start_months_after_decision" },
    { .code = "tekun",  .income_kind_known = assistance_tekun_income_kind_known,
      .check = check_tekun, .store = store_tekun, .part_sql = assistance_sql_tekun_part_count,
      .compute = compute_tekun,
      .start_key = "assistance.tekun.start_months_after_decision" },
    { .code = "linshi", .income_kind_known = assistance_income_kind_known,
      .check = check_linshi, .store = store_linshi, .part_sql = assistance_sql_linshi_part_count,
      .compute = compute_linshi,
      .start_key = "assistance.linshi.start_months_after_decision", .is_one_off = 1 },
};
/* clang-format on */

const struct assistance_scheme *assistance__scheme(const char *code)
{
    for (size_t i = 0; code && i < sizeof(schemes) / sizeof(schemes[0]); i++)
        if (!strcmp(schemes[i].code, code))
            return &schemes[i];
    return NULL;
}

/* --- enrolment of a one-off scheme -------------------------------------------------------- */

int assistance__scheme_enrolled(struct store *st, const char *scheme, int64_t case_id,
                                int64_t enrolment_id, struct ms_err *err)
{
    const struct assistance_scheme *sc = assistance__scheme(scheme);
    struct store_stmt *s;
    int64_t same = 0;
    if (!sc || !sc->is_one_off)
        return 0;
    if (store_prepare(st, assistance_sql_one_off_same_month, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, enrolment_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        same = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (same)
        return assistance__bad(err, MS_ECONFLICT, "household_id",
                               "该户本月已有一笔临时救助，请合并为一次救助",
                               "the household already has temporary assistance this month");
    if (store_prepare(st, assistance_sql_one_off_close, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, enrolment_id);
    return assistance__step_once(s, err) < 0
               ? err->code
               : assistance__counted_release_scheme(st, case_id, scheme, err);
}

/* --- the scheme's part of a case read ------------------------------------------------------ */

static int read_tekun(struct store *st, struct ms_arena *a, struct assistance_case *c,
                      struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    c->tekun_members = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*c->tekun_members));
    if (store_prepare(st, assistance_sql_tekun_members_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->id);
    while ((rc = store_step(s, err)) == STORE_ROW && c->n_tekun_members < ASSISTANCE_MAX_MEMBERS) {
        struct assistance_tekun_member_view *v = &c->tekun_members[c->n_tekun_members++];
        v->code = ms_arena_strdup(a, store_col_text(s, 0));
        v->disability_type = ms_arena_strdup(a, store_col_text(s, 1));
        v->adl_not_met = (unsigned)store_col_int64(s, 2);
        v->care_level = ms_arena_strdup(a, store_col_text(s, 3));
        v->basic_fen = store_col_int64(s, 4);
        v->care_fen = store_col_int64(s, 5);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    return load_supporters(st, c->id, a, &c->supporters, &c->n_supporters, err);
}

/* One scheme's part, when the case has it stored. */
static int read_part(struct store *st, struct ms_arena *a, struct assistance_case *c,
                     const char *code, struct ms_err *err)
{
    const struct assistance_scheme *sc = assistance__scheme(code);
    int has = 0;
    if (!sc || assistance__scheme_has_part(st, sc, c->id, &has, err) < 0)
        return sc ? err->code : 0;
    if (has && !strcmp(code, "tekun"))
        return read_tekun(st, a, c, err);
    if (!has || strcmp(code, "linshi"))
        return 0;
    c->linshi = ms_arena_calloc(a, 1, sizeof(*c->linshi));
    return load_linshi(st, c->id, a, c->linshi, err);
}

int assistance__scheme_read(struct store *st, struct ms_arena *a, struct assistance_case *c,
                            struct ms_err *err)
{
    /* Every scheme asked for, whatever its position; a case read without
     * its determinations has its first scheme. */
    if (!c->n_determinations)
        return read_part(st, a, c, c->scheme, err);
    for (size_t i = 0; i < c->n_determinations; i++)
        if (read_part(st, a, c, c->determinations[i].scheme, err) < 0)
            return err->code;
    return 0;
}

/* --- documents of a case paid first ---------------------------------------------------- */

struct documents_ctx {
    const char *scope, *date;
    int64_t id;
    const struct ms_actor *actor;
};

static int documents_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct documents_ctx *c = ctx;
    struct ms_arena a;
    struct assistance_case cs;
    struct assistance_linshi_view v;
    struct store_stmt *s;
    int rc;
    memset(&v, 0, sizeof(v));
    memset(&cs, 0, sizeof(cs));
    ms_arena_init(&a, 2048);
    rc = assistance__read_case(st, c->scope, c->id, &a, &cs, err);
    /* The linshi part, whatever the scheme's position (none: not linshi). */
    if (rc == 0 && (rc = load_linshi(st, c->id, &a, &v, err)) == MS_EINTEGRITY) {
        ms_err_init(err);
        rc = assistance__bad(err, MS_ECONFLICT, "scheme", "只有临时救助有先行救助后补的材料",
                             "only temporary assistance is paid before its documents");
    }
    if (rc == 0 && strcmp(c->date, cs.applied_on) < 0)
        rc = assistance__bad(err, MS_EFIELD, "completed_on", "日期不能早于申请日期",
                             "the date is before the application");
    if (rc == 0 && !v.is_documents_owed)
        rc = assistance__bad(err, MS_ECONFLICT, "status",
                             v.is_pay_first ? "材料已补齐" : "该申请未先行救助，无须补材料",
                             v.is_pay_first ? "the documents are complete already"
                                            : "the case was not paid first");
    if (rc == 0)
        rc = store_prepare(st, assistance_sql_linshi_documents_complete, &s, err);
    if (rc == 0) {
        store_bind_text(s, 1, c->date);
        store_bind_text(s, 2, c->actor->username ? c->actor->username : "");
        store_bind_int64(s, 3, c->id);
        rc = assistance__step_once(s, err);
    }
    if (rc == 0)
        rc = assistance__event(st, c->id, cs.status, cs.status, "documents_complete", c->date,
                               c->actor, err);
    if (rc == 0)
        rc = assistance__audit_case(st, c->actor, "assistance.case.documents_complete", c->id,
                                    cs.applicant_code, c->date, err);
    ms_arena_release(&a);
    return rc < 0 ? rc : 0;
}

int assistance_linshi_documents_complete(struct store *st, const char *scope, int64_t id,
                                         const char *completed_on, const struct ms_actor *actor,
                                         struct ms_err *err)
{
    int32_t day = ms_date_today_cst();
    char date[MS_DATE_BUF];
    if (completed_on && assistance__past_date("completed_on", completed_on, &day, err) < 0)
        return err->code;
    ms_date_format(day, date);
    struct documents_ctx c = {.scope = scope, .date = date, .id = id, .actor = actor};
    return store_tx(st, documents_tx, &c, err);
}
