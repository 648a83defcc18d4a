/*
 * assistance_case.c - taking an application: validation of what was
 * declared, then one store_tx() that checks the household and every member
 * against the registry (in scope, alive), stores the snapshot with the
 * one-household guard for counted members, the case's first event and its
 * audit entry. The flow after that is in assistance_flow.c.
 */
#include "modules/assistance/assistance.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

static const char *const relations[] = {"self",       "spouse",      "child", "parent", "sibling",
                                        "grandchild", "grandparent", "other", NULL};
static const char *const expense_kinds[] = {"medical", "education", "rehabilitation", "other",
                                            NULL};

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* --- validation of a new application ------------------------------------------------ */

static int check_members(const struct assistance_case_new *in, struct ms_err *err)
{
    char f[64];
    if (in->n_members < 1 || in->n_members > ASSISTANCE_MAX_MEMBERS)
        return assistance__bad(err, in->n_members ? MS_EFIELD : MS_EMISSING, "members",
                               "申请家庭成员应为 1 至 30 人", "members: 1 to 30 people");
    for (size_t i = 0; i < in->n_members; i++) {
        const struct assistance_member_new *m = &in->members[i];
        snprintf(f, sizeof(f), "members[%zu].relation", i);
        if (!in_list(relations, m->relation))
            return assistance__bad(err, MS_EFIELD, f, "与申请人关系无效", "unknown relation");
        snprintf(f, sizeof(f), "members[%zu].exclusion_reason", i);
        if (!m->is_counted && (!m->exclusion_reason || !*m->exclusion_reason))
            return assistance__bad(err, MS_EMISSING, f, "不计入家庭成员须说明理由",
                                   "a member who does not count needs the reason (rules.md §1.1)");
        snprintf(f, sizeof(f), "members[%zu].disability_grade", i);
        if (m->disability_grade < 0 || m->disability_grade > 4)
            return assistance__bad(err, MS_EFIELD, f, "残疾等级应为 0 至 4",
                                   "disability grade must be 0-4");
        for (size_t j = 0; j < i; j++)
            if (m->resident_code && in->members[j].resident_code &&
                !strcmp(m->resident_code, in->members[j].resident_code)) {
                snprintf(f, sizeof(f), "members[%zu].resident", i);
                return assistance__bad(err, MS_EFIELD, f, "同一人不能重复列为成员",
                                       "the same person is listed twice");
            }
    }
    return 0;
}

static int check_lines(const struct assistance_case_new *in, struct ms_err *err)
{
    char f[64];
    if (in->n_incomes > ASSISTANCE_MAX_LINES || in->n_assets > ASSISTANCE_MAX_LINES ||
        in->n_expenses > ASSISTANCE_MAX_LINES)
        return assistance__bad(err, MS_EFIELD, "incomes", "收入、资产或支出条目过多",
                               "too many income, asset or expense lines");
    int64_t incomes = 0, assets = 0;
    for (size_t i = 0; i < in->n_incomes; i++) {
        snprintf(f, sizeof(f), "incomes[%zu].kind", i);
        /* Taken when some scheme asked for knows it; each computation uses
         * the kinds its own rules know (assistance__load_calc_incomes()). */
        if (!assistance__scheme_income_kind_known(in, in->incomes[i].kind))
            return assistance__bad(err, MS_EFIELD, f, "收入类型无效", "unknown income kind");
        snprintf(f, sizeof(f), "incomes[%zu].amount_fen", i);
        if (in->incomes[i].amount_fen < 0)
            return assistance__bad(err, MS_EFIELD, f, "收入金额不能为负数",
                                   "an income cannot be negative");
        /* Refused here, not at computing: an application that cannot be
         * computed should not be stored. */
        if (ms_money_add(incomes, in->incomes[i].amount_fen, &incomes) < 0)
            return assistance__bad(err, MS_EFIELD, f, "收入合计超出可计算范围",
                                   "the incomes add up to more than can be computed");
    }
    for (size_t i = 0; i < in->n_assets; i++) {
        snprintf(f, sizeof(f), "assets[%zu].kind", i);
        if (!assistance_asset_kind_known(in->assets[i].kind))
            return assistance__bad(err, MS_EFIELD, f, "资产类型无效", "unknown asset kind");
        snprintf(f, sizeof(f), "assets[%zu].value_fen", i);
        if (in->assets[i].value_fen < 0 || in->assets[i].quantity < 0)
            return assistance__bad(err, MS_EFIELD, f, "资产金额和数量不能为负数",
                                   "an asset cannot be negative");
        if (ms_money_add(assets, in->assets[i].value_fen, &assets) < 0)
            return assistance__bad(err, MS_EFIELD, f, "资产合计超出可计算范围",
                                   "the assets add up to more than can be computed");
    }
    for (size_t i = 0; i < in->n_expenses; i++) {
        snprintf(f, sizeof(f), "expenses[%zu].kind", i);
        if (!in_list(expense_kinds, in->expenses[i].kind))
            return assistance__bad(err, MS_EFIELD, f, "支出类型无效", "unknown expense kind");
        snprintf(f, sizeof(f), "expenses[%zu].amount_fen", i);
        if (in->expenses[i].amount_fen < 0)
            return assistance__bad(err, MS_EFIELD, f, "支出金额不能为负数",
                                   "an expense cannot be negative");
    }
    return 0;
}

static int check_new(const struct assistance_case_new *in, int32_t *applied, struct ms_err *err)
{
    if (!in->scheme || !*in->scheme)
        return assistance__bad(err, MS_EMISSING, "scheme", "缺少救助项目", "scheme is required");
    if (in->n_more_schemes > 2)
        return assistance__bad(err, MS_EFIELD, "schemes", "救助项目过多", "too many schemes");
    for (size_t i = 0; i < in->n_more_schemes; i++) {
        char f[32];
        snprintf(f, sizeof(f), "schemes[%zu]", i + 1);
        if (!assistance__scheme(in->more_schemes[i]))
            return assistance__bad(err, MS_EFIELD, f, "救助项目无效",
                                   "unknown scheme (dibao, tekun, linshi)");
        int dup = !strcmp(in->more_schemes[i], in->scheme);
        for (size_t j = 0; j < i; j++)
            dup = dup || !strcmp(in->more_schemes[i], in->more_schemes[j]);
        if (dup)
            return assistance__bad(err, MS_EFIELD, f, "救助项目重复", "a scheme is listed twice");
    }
    /* 特困 and 临时救助 declare parts of their own (§1.8, §1.10), in whatever
     * position they are asked for (assistance_scheme.c). */
    if (assistance__scheme_check(in, err) < 0)
        return err->code;
    if (in->has_near_relative && (!in->near_relative_note || !*in->near_relative_note))
        return assistance__bad(err, MS_EMISSING, "near_relative_note",
                               "近亲属备案须写明姓名及关系", "a near relative needs who and how");
    if (in->near_relative_note && ms_utf8_chars(in->near_relative_note) > 200)
        return assistance__bad(err, MS_EFIELD, "near_relative_note", "近亲属备案说明过长",
                               "near relative note too long");
    if (in->household_id <= 0)
        return assistance__bad(err, MS_EMISSING, "household_id", "缺少户",
                               "household_id is required");
    if (!in->applicant_code || !*in->applicant_code)
        return assistance__bad(err, MS_EMISSING, "applicant", "缺少申请人",
                               "applicant is required");
    if (in->applied_on) {
        if (assistance__past_date("applied_on", in->applied_on, applied, err) < 0)
            return err->code;
    } else
        *applied = ms_date_today_cst();
    if (in->bank_name && ms_utf8_chars(in->bank_name) > 60)
        return assistance__bad(err, MS_EFIELD, "bank_name", "开户行名称过长", "bank name too long");
    return check_members(in, err) < 0 || check_lines(in, err) < 0 ||
                   assistance__check_bank("bank_account", in->bank_account, 0, err) < 0
               ? err->code
               : 0;
}

/* --- create ------------------------------------------------------------------------ */

struct resolved {
    int64_t id;
    char hukou[8];
};

struct create_ctx {
    const char *scope;
    const struct assistance_case_new *in;
    const struct ms_actor *actor;
    const char *bank_sealed, *bank_last4, *applied_on, *income_period;
    struct resolved *members; /* in->n_members */
    /* An online application (assistance_online_apply()): submitted, not
     * accepted; the members must live in the household. */
    int is_online;
    const char *statement_zh, *phone_sealed, *phone_last4;
    int64_t id;
};

/* A resident in scope and alive, by code; field names the member. */
static int resolve_resident(struct store *st, const char *lo, const char *hi, const char *code,
                            const char *field, struct resolved *out, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_resident_by_code, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, code ? code : "");
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->id = store_col_int64(s, 0);
        snprintf(out->hukou, sizeof(out->hukou), "%s", store_col_text(s, 4));
        if (strcmp(store_col_text(s, 1), "alive")) {
            int dead = !strcmp(store_col_text(s, 1), "deceased");
            store_reset(s);
            return assistance__bad(err, MS_EFIELD, field, dead ? "该居民已死亡" : "该居民已迁出",
                                   dead ? "the resident is deceased" : "the resident moved out");
        }
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return assistance__bad(err, MS_EFIELD, field, "未找到该居民",
                               "no such resident in your scope");
    return rc < 0 ? rc : 0;
}

static int64_t member_id(const struct create_ctx *c, const char *code)
{
    for (size_t i = 0; code && i < c->in->n_members; i++)
        if (!strcmp(c->in->members[i].resident_code, code))
            return c->members[i].id;
    return 0;
}

static int insert_members(struct store *st, struct create_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    char f[64];
    for (size_t i = 0; i < c->in->n_members; i++) {
        const struct assistance_member_new *m = &c->in->members[i];
        if (store_prepare(st, assistance_sql_member_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->id);
        store_bind_int64(s, 2, c->members[i].id);
        store_bind_text(s, 3, m->relation);
        store_bind_int64(s, 4, m->is_counted ? 1 : 0);
        store_bind_text(s, 5, m->is_counted ? "" : m->exclusion_reason);
        store_bind_int64(s, 6, m->disability_grade);
        store_bind_int64(s, 7, m->has_major_illness ? 1 : 0);
        store_bind_int64(s, 8, m->is_student ? 1 : 0);
        int rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
        for (size_t k = 0; m->is_counted && k <= c->in->n_more_schemes; k++) {
            if (store_prepare(st, assistance_sql_counted_insert, &s, err) < 0)
                return err->code;
            store_bind_int64(s, 1, c->members[i].id);
            store_bind_text(s, 2, k ? c->in->more_schemes[k - 1] : c->in->scheme);
            store_bind_int64(s, 3, c->id);
            rc = store_step(s, err);
            store_reset(s);
            if (rc == MS_EEXISTS) {
                ms_err_init(err);
                snprintf(f, sizeof(f), "members[%zu].resident", i);
                return assistance__bad(
                    err, MS_ECONFLICT, f,
                    "该成员已计入另一份在办或在保的申请，不能同时计入两个家庭",
                    "the member already counts in another open case of this scheme");
            }
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* One determination per scheme asked for, and the first step's dates:
 * acceptance starts the clock (rules.md §1.5); an online application waits
 * for it in "submitted". */
static int insert_procedure(struct store *st, struct create_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    struct assistance__row row;
    char due[MS_DATE_BUF];
    for (size_t k = 0; k <= c->in->n_more_schemes; k++) {
        if (store_prepare(st, assistance_sql_determination_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->id);
        store_bind_text(s, 2, k ? c->in->more_schemes[k - 1] : c->in->scheme);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    memset(&row, 0, sizeof(row));
    snprintf(row.scheme, sizeof(row.scheme), "%s", c->in->scheme);
    snprintf(row.status, sizeof(row.status), "%s", c->is_online ? "submitted" : "draft");
    snprintf(row.applied_on, sizeof(row.applied_on), "%s", c->applied_on);
    snprintf(row.state_since, sizeof(row.state_since), "%s", c->applied_on);
    if (assistance__case_due(st, &row, c->applied_on, due, err) < 0)
        return err->code;
    if (c->in->has_near_relative) {
        if (store_prepare(st, assistance_sql_case_set_near_relative, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, c->in->near_relative_note);
        store_bind_text(s, 2, c->applied_on);
        store_bind_text(s, 3, due);
        store_bind_int64(s, 4, c->id);
    } else {
        if (store_prepare(st, assistance_sql_case_set_start, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, c->applied_on);
        store_bind_text(s, 2, due);
        store_bind_int64(s, 3, c->id);
    }
    return assistance__step_once(s, err);
}

static int bind_member_or_null(struct store_stmt *s, int idx, const struct create_ctx *c,
                               const char *code, const char *field, struct ms_err *err)
{
    if (!code || !*code) {
        store_bind_null(s, idx);
        return 0;
    }
    int64_t id = member_id(c, code);
    if (!id)
        return assistance__bad(err, MS_EFIELD, field, "该人不是申请家庭成员",
                               "not a member of the application");
    store_bind_int64(s, idx, id);
    return 0;
}

/* Prepares a line of the case (an income, asset or expense) with the case
 * (1) and its member or NULL (2) bound; the caller binds the rest. */
static int line_start(struct store *st, const char *sql, const struct create_ctx *c,
                      const char *code, const char *field, struct store_stmt **s,
                      struct ms_err *err)
{
    if (store_prepare(st, sql, s, err) < 0)
        return err->code;
    store_bind_int64(*s, 1, c->id);
    if (bind_member_or_null(*s, 2, c, code, field, err) < 0) {
        store_reset(*s);
        return err->code;
    }
    return 0;
}

static int insert_lines(struct store *st, struct create_ctx *c, struct ms_err *err)
{
    struct store_stmt *s;
    char f[64];
    for (size_t i = 0; i < c->in->n_incomes; i++) {
        const struct assistance_income_new *x = &c->in->incomes[i];
        snprintf(f, sizeof(f), "incomes[%zu].resident", i);
        if (!x->resident_code || !*x->resident_code)
            return assistance__bad(err, MS_EMISSING, f, "收入须指明所属成员",
                                   "an income belongs to a member");
        if (line_start(st, assistance_sql_income_insert, c, x->resident_code, f, &s, err) < 0)
            return err->code;
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->amount_fen);
        store_bind_int64(s, 5, x->months > 0 ? x->months : 1);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < c->in->n_assets; i++) {
        const struct assistance_asset_new *x = &c->in->assets[i];
        snprintf(f, sizeof(f), "assets[%zu].resident", i);
        if (line_start(st, assistance_sql_asset_insert, c, x->resident_code, f, &s, err) < 0)
            return err->code;
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->value_fen);
        store_bind_int64(s, 5, x->quantity > 0 ? x->quantity : 1);
        store_bind_int64(s, 6, x->is_exempt ? 1 : 0);
        store_bind_text(s, 7, x->note ? x->note : "");
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < c->in->n_expenses; i++) {
        const struct assistance_expense_new *x = &c->in->expenses[i];
        snprintf(f, sizeof(f), "expenses[%zu].resident", i);
        if (line_start(st, assistance_sql_expense_insert, c, x->resident_code, f, &s, err) < 0)
            return err->code;
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->amount_fen);
        store_bind_text(s, 5, x->receipt_ref ? x->receipt_ref : "");
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    return 0;
}

/* The first column of sql's first row (0: no row), bound to an id and,
 * when text is not NULL, a text. */
static int first_id(struct store *st, const char *sql, int64_t id, const char *text,
                    int64_t *out, struct ms_err *err)
{
    struct store_stmt *s;
    *out = 0;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    if (text)
        store_bind_text(s, 2, text);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *out = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* An online application: every member lives in the applicant's registry
 * household (the portal offers no one else), and the household has no
 * open application of a scheme asked for. */
static int check_online(struct store *st, const struct create_ctx *c, struct ms_err *err)
{
    char f[64];
    int64_t found;
    for (size_t i = 0; i < c->in->n_members; i++) {
        if (first_id(st, assistance_sql_resident_household, c->members[i].id, NULL, &found,
                     err) < 0)
            return err->code;
        snprintf(f, sizeof(f), "members[%zu].resident", i);
        if (found != c->in->household_id)
            return assistance__bad(err, MS_EFIELD, f, "该人不是本户成员",
                                   "not a member of the applicant's household");
    }
    for (size_t k = 0; k <= c->in->n_more_schemes; k++) {
        const char *scheme = k ? c->in->more_schemes[k - 1] : c->in->scheme;
        if (first_id(st, assistance_sql_open_case_of_household, c->in->household_id, scheme,
                     &found, err) < 0)
            return err->code;
        if (found) {
            ms_err_field(err, MS_ECONFLICT, "schemes",
                         "the household has an open application (%lld) of scheme %s",
                         (long long)found, scheme);
            ms_err_zh(err, "本户已有一份在办的%s申请（编号 %lld），办结前不能重复申请",
                      assistance__scheme_title(scheme), (long long)found);
            return MS_ECONFLICT;
        }
    }
    return 0;
}

static int insert_case(struct store *st, struct create_ctx *c, int applicant, const char *region,
                       struct ms_err *err)
{
    const struct assistance_case_new *in = c->in;
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_case_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->scheme);
    store_bind_int64(s, 2, in->household_id);
    store_bind_int64(s, 3, c->members[applicant].id);
    store_bind_text(s, 4, region);
    /* rules.md §1.7: the applicant's hukou decides the urban or rural standard. */
    store_bind_text(s, 5, !strcmp(c->members[applicant].hukou, "urban") ? "urban" : "rural");
    store_bind_int64(s, 6, in->is_single_person ? 1 : 0);
    store_bind_text(s, 7, c->applied_on);
    store_bind_text(s, 8, c->income_period);
    store_bind_text(s, 9, c->is_online ? "submitted" : "draft");
    store_bind_text(s, 10, c->bank_sealed);
    store_bind_text(s, 11, c->bank_last4);
    store_bind_text(s, 12, in->bank_name ? in->bank_name : "");
    store_bind_text(s, 13, now);
    store_bind_text(s, 14, c->actor->username ? c->actor->username : "");
    store_bind_text(s, 15, now);
    store_bind_text(s, 16, c->is_online ? "online" : "window");
    /* A window application is accepted when it is taken. */
    store_bind_text(s, 17, c->is_online ? "" : c->applied_on);
    store_bind_text(s, 18, c->statement_zh ? c->statement_zh : "");
    store_bind_text(s, 19, c->phone_sealed ? c->phone_sealed : "");
    store_bind_text(s, 20, c->phone_last4 ? c->phone_last4 : "");
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int create_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct create_ctx *c = ctx;
    const struct assistance_case_new *in = c->in;
    char lo[16], hi[16], region[16] = "", f[64];
    struct store_stmt *s;
    int rc;
    if (assistance__scope_bounds(c->scope, lo, hi, err) < 0)
        return err->code;
    if (store_prepare(st, assistance_sql_household_in_scope, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, in->household_id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(region, sizeof(region), "%s", store_col_text(s, 0));
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return assistance__bad(err, MS_EFIELD, "household_id", "未找到该户",
                               "no such household in your scope");
    int applicant = -1;
    for (size_t i = 0; i < in->n_members; i++) {
        snprintf(f, sizeof(f), "members[%zu].resident", i);
        if (!strcmp(in->members[i].resident_code ? in->members[i].resident_code : "",
                    in->applicant_code))
            snprintf(f, sizeof(f), "applicant");
        if (resolve_resident(st, lo, hi, in->members[i].resident_code, f, &c->members[i], err) < 0)
            return err->code;
        if (!strcmp(f, "applicant"))
            applicant = (int)i;
    }
    if (applicant < 0)
        return assistance__bad(err, MS_EFIELD, "applicant", "申请人须为申请家庭成员",
                               "the applicant must be one of the members");
    if (!in->members[applicant].is_counted)
        return assistance__bad(err, MS_EFIELD, "applicant", "申请人须计入家庭成员",
                               "the applicant must count in the household");
    if ((c->is_online && check_online(st, c, err) < 0) ||
        insert_case(st, c, applicant, region, err) < 0)
        return err->code;
    char detail[112];
    snprintf(detail, sizeof(detail), "scheme=%s household=%lld members=%zu channel=%s", in->scheme,
             (long long)in->household_id, in->n_members, c->is_online ? "online" : "window");
    int64_t ids[ASSISTANCE_MAX_MEMBERS];
    for (size_t i = 0; i < in->n_members; i++)
        ids[i] = c->members[i].id;
    struct assistance__move m = {
        .action = c->is_online ? "submit" : "create", .on = c->applied_on, .note = ""};
    if (insert_members(st, c, err) < 0 || insert_lines(st, c, err) < 0 ||
        assistance__scheme_store(st, c->id, in, ids, err) < 0 || insert_procedure(st, c, err) < 0 ||
        assistance__event_step(st, c->id, "", c->is_online ? "submitted" : "draft", &m, "",
                               c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor,
                               c->is_online ? "assistance.case.submit" : "assistance.case.create",
                               c->id, in->applicant_code, detail, err) < 0)
        return err->code;
    return 0;
}

/* What both channels share: validation, the income period, sealing, the
 * create transaction. c has scope, in, actor and the online part set. */
static int create(struct store *st, struct create_ctx *c, const char *phone, int64_t *id_out,
                  struct ms_err *err)
{
    int32_t applied = 0, prev;
    char applied_text[MS_DATE_BUF], period[MS_PERIOD_BUF];
    if (check_new(c->in, &applied, err) < 0)
        return err->code;
    ms_date_format(applied, applied_text);
    /* rules.md §1.2 (重庆低保条例 第十二条): the month before the application. */
    if (ms_date_add_months(ms_date_month_start(applied), -1, &prev) < 0)
        return assistance__bad(err, MS_EFIELD, "applied_on", "日期超出范围", "date out of range");
    ms_date_format_period(prev, period);
    struct ms_arena a;
    ms_arena_init(&a, 4096);
    c->applied_on = applied_text;
    c->income_period = period;
    c->members = ms_arena_calloc(&a, c->in->n_members, sizeof(*c->members));
    int rc = assistance__seal_number(st, ASSISTANCE_SEAL_BANK_ACCOUNT, c->in->bank_account, &a,
                                     &c->bank_sealed, &c->bank_last4, err);
    if (rc == 0)
        rc = assistance__seal_number(st, ASSISTANCE_SEAL_CONTACT_PHONE, phone, &a,
                                     &c->phone_sealed, &c->phone_last4, err);
    if (rc == 0)
        rc = store_tx(st, create_tx, c, err);
    if (rc == 0 && id_out)
        *id_out = c->id;
    ms_arena_release(&a);
    return rc;
}

int assistance_case_create(struct store *st, const char *scope,
                           const struct assistance_case_new *in, const struct ms_actor *actor,
                           int64_t *id_out, struct ms_err *err)
{
    struct create_ctx c = {.scope = scope, .in = in, .actor = actor};
    return create(st, &c, NULL, id_out, err);
}

/* --- online (the resident portal) ---------------------------------------------------- */

static int check_online_text(const struct assistance_online_new *in, struct ms_err *err)
{
    size_t n = in->contact_phone ? strlen(in->contact_phone) : 0;
    int ok = n == 11 && in->contact_phone[0] == '1';
    for (size_t i = 0; ok && i < n; i++)
        ok = in->contact_phone[i] >= '0' && in->contact_phone[i] <= '9';
    if (!in->statement_zh || !*in->statement_zh)
        return assistance__bad(err, MS_EMISSING, "statement_zh", "请简要说明家庭困难情况",
                               "the statement of hardship is required");
    if (ms_utf8_chars(in->statement_zh) > 500)
        return assistance__bad(err, MS_EFIELD, "statement_zh", "困难情况说明不能超过 500 字",
                               "at most 500 characters");
    if (!n)
        return assistance__bad(err, MS_EMISSING, "contact_phone", "请填写联系电话",
                               "a contact phone is required");
    if (!ok)
        return assistance__bad(err, MS_EFIELD, "contact_phone", "联系电话应为 11 位手机号码",
                               "a contact phone is an 11-digit mobile number");
    if (in->app.linshi && in->app.linshi->is_pay_first)
        return assistance__bad(err, MS_EFIELD, "linshi.pay_first", "先行救助由乡镇（街道）决定",
                               "pay-first is the town's decision, not part of an application");
    if (in->app.has_near_relative || in->app.applied_on)
        return assistance__bad(err, MS_EFIELD, in->app.applied_on ? "applied_on" : "near_relative",
                               "网上申请不能填写此项", "not part of an online application");
    return 0;
}

/* The household as the portal lists it: the resident's household id and
 * its members' codes (registry order: the head first, then by id). */
static int load_household(struct store *st, int64_t resident_id, struct ms_arena *a,
                          struct registry_household *h, const char **self_code, struct ms_err *err)
{
    struct store_stmt *s;
    struct audit_entry unused;
    int64_t household = 0;
    if (store_prepare(st, assistance_sql_resident_household, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, resident_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        household = store_col_int64(s, 0);
        *self_code = ms_arena_strdup(a, store_col_text(s, 1));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (!household)
        return assistance__bad(err, MS_EFIELD, "household", "您尚未登记户籍家庭，请到乡镇（街道）窗口申请",
                               "the resident has no registry household");
    return registry_household_get(st, "", household, a, h, &unused, err);
}

/* Member i of the household, or a field error naming key[i].member. */
static int household_code(const struct registry_household *h, int index, const char *key,
                          size_t i, const char **code, struct ms_err *err)
{
    char f[64];
    snprintf(f, sizeof(f), "%s[%zu].member", key, i);
    if (index < 0 || (size_t)index >= h->n_members)
        return assistance__bad(err, MS_EFIELD, f, "所选成员不在本户", "no such household member");
    *code = h->members[index].code;
    return 0;
}

/* The application with codes in place of the household places. */
static int online_case(const struct assistance_online_new *in, const struct registry_household *h,
                       const char *self_code, struct ms_arena *a, struct assistance_case_new *out,
                       struct ms_err *err)
{
    *out = in->app;
    if (in->household_size && (size_t)in->household_size != h->n_members)
        return assistance__bad(err, MS_ECONFLICT, "household_size",
                               "户内成员已有变化，请刷新页面后重新填写",
                               "the household changed since it was shown: reload");
    struct assistance_member_new *m =
        ms_arena_calloc(a, in->app.n_members ? in->app.n_members : 1, sizeof(*m));
    struct assistance_income_new *x =
        ms_arena_calloc(a, in->app.n_incomes ? in->app.n_incomes : 1, sizeof(*x));
    for (size_t i = 0; i < in->app.n_members; i++) {
        m[i] = in->app.members[i];
        if (household_code(h, in->member_index[i], "members", i, &m[i].resident_code, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < in->app.n_incomes; i++) {
        x[i] = in->app.incomes[i];
        if (household_code(h, in->income_index[i], "incomes", i, &x[i].resident_code, err) < 0)
            return err->code;
    }
    out->members = m;
    out->incomes = x;
    out->household_id = h->id;
    out->applicant_code = self_code;
    out->applied_on = NULL;
    return 0;
}

int assistance_online_apply(struct store *st, int64_t resident_id,
                            const struct assistance_online_new *in, const struct ms_actor *actor,
                            int64_t *id_out, struct ms_err *err)
{
    struct ms_arena a;
    struct registry_household h;
    struct assistance_case_new app;
    const char *self_code = "";
    if (check_online_text(in, err) < 0)
        return err->code;
    ms_arena_init(&a, 4096);
    /* The household is the session's; the whole district is its scope. */
    struct create_ctx c = {.scope = "",
                           .in = &app,
                           .actor = actor,
                           .is_online = 1,
                           .statement_zh = in->statement_zh};
    int rc = load_household(st, resident_id, &a, &h, &self_code, err);
    if (rc == 0)
        rc = online_case(in, &h, self_code, &a, &app, err);
    if (rc == 0)
        rc = create(st, &c, in->contact_phone, id_out, err);
    /* The portal names a member by their place in the household. */
    size_t n = strlen(err->field);
    if (rc < 0 && n > 9 && !strcmp(err->field + n - 9, ".resident"))
        snprintf(err->field + n - 9, sizeof(err->field) - (n - 9), ".member");
    else if (rc < 0 && !strcmp(err->field, "applicant"))
        snprintf(err->field, sizeof(err->field), "members");
    ms_arena_release(&a);
    return rc;
}
