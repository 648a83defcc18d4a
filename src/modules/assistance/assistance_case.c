/*
 * assistance_case.c - applications and their short flow for this increment:
 * accepted (draft) -> computed -> approved or refused -> enrolled.
 *
 * Which moves are allowed is data (assistance_transitions), checked by
 * case_move() with a status guard on the UPDATE, so no step is skipped and
 * two clerks moving one case at once cannot both succeed. Each function
 * validates, then runs one store_tx() that loads, computes, stores, writes
 * the case's event and its audit entry.
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
#include "core/seal.h"
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

/* --- shared helpers ---------------------------------------------------------------- */

int assistance__bad(struct ms_err *err, int code, const char *field, const char *zh, const char *en)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

int assistance__case_not_found(struct ms_err *err, int64_t id)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "assistance case %lld not found", (long long)id);
    ms_err_zh(err, "未找到救助申请 %lld", (long long)id);
    return ret;
}

int assistance__past_date(const char *field, const char *text, int32_t *day, struct ms_err *err)
{
    if (!text || ms_date_parse(text, day, NULL) < 0)
        return assistance__bad(err, text ? MS_EFIELD : MS_EMISSING, field,
                               "日期格式应为 YYYY-MM-DD", "expected a date YYYY-MM-DD");
    if (*day > ms_date_today_cst())
        return assistance__bad(err, MS_EFIELD, field, "日期不能晚于今天",
                               "the date is in the future");
    return 0;
}

int assistance__past_period(const char *text, int32_t *first_day, struct ms_err *err)
{
    if (!text || ms_date_parse_period(text, first_day, NULL) < 0)
        return assistance__bad(err, text ? MS_EFIELD : MS_EMISSING, "period",
                               "期间格式应为 YYYY-MM", "expected a period YYYY-MM");
    if (*first_day > ms_date_month_start(ms_date_today_cst()))
        return assistance__bad(err, MS_EFIELD, "period", "不能为未来月份发放",
                               "the period is in the future");
    return 0;
}

void assistance__now(char buf[32])
{
    ms_clock_format(ms_clock_now_ms(), buf);
}

static int scope_bounds(const char *scope, char lo[16], char hi[16], struct ms_err *err)
{
    return registry_scope_bounds(scope ? scope : "", lo, hi, err);
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
        if (!assistance_income_kind_known(in->incomes[i].kind))
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

static int check_bank(const char *account, struct ms_err *err)
{
    size_t n = account ? strlen(account) : 0;
    int ok = n == 0 || (n >= 8 && n <= 30);
    for (size_t i = 0; ok && i < n; i++)
        ok = account[i] >= '0' && account[i] <= '9';
    if (ok)
        return 0;
    return assistance__bad(err, MS_EFIELD, "bank_account", "银行账号应为 8 至 30 位数字",
                           "a bank account is 8-30 digits");
}

static int check_new(const struct assistance_case_new *in, int32_t *applied, struct ms_err *err)
{
    if (!in->scheme || !*in->scheme)
        return assistance__bad(err, MS_EMISSING, "scheme", "缺少救助项目", "scheme is required");
    /* 特困 and 临时救助 have rules of their own (§1.8, §1.10): next increment. */
    if (strcmp(in->scheme, "dibao"))
        return assistance__bad(err, MS_EFIELD, "scheme", "本版本只受理低保申请",
                               "only dibao applications are taken in this version");
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
                   check_bank(in->bank_account, err) < 0
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
        if (!m->is_counted)
            continue;
        if (store_prepare(st, assistance_sql_counted_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->members[i].id);
        store_bind_text(s, 2, c->in->scheme);
        store_bind_int64(s, 3, c->id);
        rc = store_step(s, err);
        store_reset(s);
        if (rc == MS_EEXISTS) {
            ms_err_init(err);
            snprintf(f, sizeof(f), "members[%zu].resident", i);
            return assistance__bad(err, MS_ECONFLICT, f,
                                   "该成员已计入另一份在办或在保的申请，不能同时计入两个家庭",
                                   "the member already counts in another open case of this scheme");
        }
        if (rc < 0)
            return rc;
    }
    return 0;
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

static int step_once(struct store_stmt *s, struct ms_err *err)
{
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
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
        if (store_prepare(st, assistance_sql_income_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->id);
        if (bind_member_or_null(s, 2, c, x->resident_code, f, err) < 0) {
            store_reset(s);
            return err->code;
        }
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->amount_fen);
        store_bind_int64(s, 5, x->months > 0 ? x->months : 1);
        if (step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < c->in->n_assets; i++) {
        const struct assistance_asset_new *x = &c->in->assets[i];
        snprintf(f, sizeof(f), "assets[%zu].resident", i);
        if (store_prepare(st, assistance_sql_asset_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->id);
        if (bind_member_or_null(s, 2, c, x->resident_code, f, err) < 0) {
            store_reset(s);
            return err->code;
        }
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->value_fen);
        store_bind_int64(s, 5, x->quantity > 0 ? x->quantity : 1);
        store_bind_int64(s, 6, x->is_exempt ? 1 : 0);
        store_bind_text(s, 7, x->note ? x->note : "");
        if (step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < c->in->n_expenses; i++) {
        const struct assistance_expense_new *x = &c->in->expenses[i];
        snprintf(f, sizeof(f), "expenses[%zu].resident", i);
        if (store_prepare(st, assistance_sql_expense_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, c->id);
        if (bind_member_or_null(s, 2, c, x->resident_code, f, err) < 0) {
            store_reset(s);
            return err->code;
        }
        store_bind_text(s, 3, x->kind);
        store_bind_int64(s, 4, x->amount_fen);
        store_bind_text(s, 5, x->receipt_ref ? x->receipt_ref : "");
        if (step_once(s, err) < 0)
            return err->code;
    }
    return 0;
}

static int insert_event(struct store *st, int64_t id, const char *from, const char *to,
                        const char *action, const char *note, const struct ms_actor *actor,
                        struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_event_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, from);
    store_bind_text(s, 3, to);
    store_bind_text(s, 4, action);
    store_bind_text(s, 5, note ? note : "");
    store_bind_text(s, 6, now);
    store_bind_text(s, 7, actor->username ? actor->username : "");
    return step_once(s, err);
}

static int audit_case(struct store *st, const struct ms_actor *actor, const char *action,
                      int64_t id, const char *subject, const char *detail, struct ms_err *err)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    struct audit_entry e = {.action = action,
                            .object_type = "assistance_case",
                            .object_id = oid,
                            .subject = subject,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, actor, &e, err);
}

static int create_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct create_ctx *c = ctx;
    const struct assistance_case_new *in = c->in;
    char lo[16], hi[16], region[16] = "", now[32], f[64];
    struct store_stmt *s;
    int rc;
    if (scope_bounds(c->scope, lo, hi, err) < 0)
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
    store_bind_text(s, 9, c->bank_sealed);
    store_bind_text(s, 10, c->bank_last4);
    store_bind_text(s, 11, in->bank_name ? in->bank_name : "");
    store_bind_text(s, 12, now);
    store_bind_text(s, 13, c->actor->username ? c->actor->username : "");
    store_bind_text(s, 14, now);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    char detail[96];
    snprintf(detail, sizeof(detail), "scheme=%s household=%lld members=%zu", in->scheme,
             (long long)in->household_id, in->n_members);
    if (insert_members(st, c, err) < 0 || insert_lines(st, c, err) < 0 ||
        insert_event(st, c->id, "", "draft", "create", "", c->actor, err) < 0 ||
        audit_case(st, c->actor, "assistance.case.create", c->id, in->applicant_code, detail, err) <
            0)
        return err->code;
    return 0;
}

/* Seals the account for storage; last4 keeps what screens may show. */
static int seal_bank(struct store *st, const char *account, struct ms_arena *a, const char **sealed,
                     const char **last4, struct ms_err *err)
{
    const struct ms_seal *seal;
    *sealed = "";
    *last4 = "";
    if (!account || !*account)
        return 0;
    if (registry_seal(st, &seal, err) < 0)
        return err->code;
    ms_seal_encrypt(seal, ASSISTANCE_SEAL_BANK_ACCOUNT, account, a, sealed);
    *last4 = ms_arena_strdup(a, account + strlen(account) - 4);
    return 0;
}

int assistance_case_create(struct store *st, const char *scope,
                           const struct assistance_case_new *in, const struct ms_actor *actor,
                           int64_t *id_out, struct ms_err *err)
{
    int32_t applied = 0, prev;
    char applied_text[MS_DATE_BUF], period[MS_PERIOD_BUF];
    if (check_new(in, &applied, err) < 0)
        return err->code;
    ms_date_format(applied, applied_text);
    /* rules.md §1.2 (重庆低保条例 第十二条): the month before the application. */
    if (ms_date_add_months(ms_date_month_start(applied), -1, &prev) < 0)
        return assistance__bad(err, MS_EFIELD, "applied_on", "日期超出范围", "date out of range");
    ms_date_format_period(prev, period);
    struct ms_arena a;
    ms_arena_init(&a, 4096);
    struct create_ctx c = {.scope = scope,
                           .in = in,
                           .actor = actor,
                           .applied_on = applied_text,
                           .income_period = period};
    c.members = ms_arena_calloc(&a, in->n_members, sizeof(*c.members));
    int rc = seal_bank(st, in->bank_account, &a, &c.bank_sealed, &c.bank_last4, err);
    if (rc == 0)
        rc = store_tx(st, create_tx, &c, err);
    if (rc == 0 && id_out)
        *id_out = c.id;
    ms_arena_release(&a);
    return rc;
}

/* --- loading a case for a transition --------------------------------------------- */

struct case_row {
    int64_t id, household_id, applicant_id;
    char scheme[16], area[8], status[24], applied_on[MS_DATE_BUF], income_period[MS_PERIOD_BUF];
    char applicant_code[32];
    int64_t standard_fen;
};

static int load_row(struct store *st, const char *scope, int64_t id, struct case_row *out,
                    struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    if (scope_bounds(scope, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_case_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = store_col_int64(s, 0);
        snprintf(out->scheme, sizeof(out->scheme), "%s", store_col_text(s, 1));
        out->household_id = store_col_int64(s, 2);
        snprintf(out->area, sizeof(out->area), "%s", store_col_text(s, 5));
        snprintf(out->applicant_code, sizeof(out->applicant_code), "%s", store_col_text(s, 6));
        snprintf(out->applied_on, sizeof(out->applied_on), "%s", store_col_text(s, 7));
        snprintf(out->income_period, sizeof(out->income_period), "%s", store_col_text(s, 8));
        snprintf(out->status, sizeof(out->status), "%s", store_col_text(s, 9));
        out->standard_fen = store_col_int64(s, 15);
        out->applicant_id = store_col_int64(s, 24);
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return assistance__case_not_found(err, id);
    return rc < 0 ? rc : 0;
}

/* The next state for action from the case's state, or MS_ECONFLICT. */
static int next_state(struct store *st, const struct case_row *row, const char *action, char to[24],
                      struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_transition, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, row->status);
    store_bind_text(s, 2, action);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(to, 24, "%s", store_col_text(s, 0));
    store_reset(s);
    if (rc == STORE_DONE) {
        ms_err_field(err, MS_ECONFLICT, "status", "cannot %s a case that is %s", action,
                     row->status);
        ms_err_zh(err, "申请当前状态（%s）不能执行此操作（%s）", row->status, action);
        return MS_ECONFLICT;
    }
    return rc < 0 ? rc : 0;
}

/* Moves the case along action, guarded by its current status. */
static int case_move(struct store *st, const struct case_row *row, const char *action,
                     const char *note, const struct ms_actor *actor, struct ms_err *err)
{
    char to[24], now[32];
    struct store_stmt *s;
    if (next_state(st, row, action, to, err) < 0)
        return err->code;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_case_set_status, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, to);
    store_bind_text(s, 2, now);
    store_bind_int64(s, 3, row->id);
    store_bind_text(s, 4, row->status);
    int rc = store_step(s, err);
    int64_t changed = store_changes(s);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (changed != 1) {
        int ret = ms_err_set(err, MS_ESTALE, "case %lld changed meanwhile", (long long)row->id);
        ms_err_zh(err, "申请已被他人处理，请刷新后重试");
        return ret;
    }
    return insert_event(st, row->id, row->status, to, action, note, actor, err);
}

/* --- computing ---------------------------------------------------------------------- */

/* Loads the case's members, incomes and assets as calculation input, with
 * ages on date, and computes on the parameters in force on date. */
/* The case's members as calculation input, ages on day `on`; their
 * resident ids in ids[]. A counted member who died or moved out stops the
 * computation: the application must be updated first. */
static int load_calc_members(struct store *st, int64_t case_id, int32_t on, struct ms_arena *a,
                             struct assistance_calc_in *in, int64_t *ids, struct ms_err *err)
{
    struct assistance_calc_member *m = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*m));
    struct store_stmt *s;
    int32_t birth;
    int rc;
    if (store_prepare(st, assistance_sql_members_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW && in->n_members < ASSISTANCE_MAX_MEMBERS) {
        struct assistance_calc_member *x = &m[in->n_members];
        x->is_counted = (int)store_col_int64(s, 5);
        x->disability_grade = (int)store_col_int64(s, 6);
        x->has_major_illness = (int)store_col_int64(s, 7);
        x->is_student = (int)store_col_int64(s, 8);
        if (ms_date_parse(store_col_text(s, 9), &birth, NULL) == 0 && birth <= on)
            x->age = ms_date_age_on(birth, on);
        ids[in->n_members] = store_col_int64(s, 10);
        if (x->is_counted && strcmp(store_col_text(s, 4), "alive")) {
            char code[32];
            snprintf(code, sizeof(code), "%s", store_col_text(s, 0));
            store_reset(s);
            ms_err_field(err, MS_ECONFLICT, "members", "member %s is no longer alive or resident",
                         code);
            ms_err_zh(err, "计入的成员 %s 已死亡或迁出，请先更新申请", code);
            return MS_ECONFLICT;
        }
        in->n_members++;
    }
    store_reset(s);
    in->members = m;
    return rc < 0 ? rc : 0;
}

static int load_calc_incomes(struct store *st, int64_t case_id, const int64_t *ids,
                             struct ms_arena *a, struct assistance_calc_in *in, struct ms_err *err)
{
    struct assistance_calc_income *inc = ms_arena_calloc(a, ASSISTANCE_MAX_LINES, sizeof(*inc));
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, assistance_sql_incomes_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW && in->n_incomes < ASSISTANCE_MAX_LINES) {
        struct assistance_calc_income *x = &inc[in->n_incomes++];
        x->kind = ms_arena_strdup(a, store_col_text(s, 1));
        x->amount_fen = store_col_int64(s, 2);
        x->months = (int)store_col_int64(s, 3);
        for (size_t i = 0; i < in->n_members; i++)
            if (ids[i] == store_col_int64(s, 4))
                x->member = i;
    }
    store_reset(s);
    in->incomes = inc;
    return rc < 0 ? rc : 0;
}

static int load_calc_assets(struct store *st, int64_t case_id, struct ms_arena *a,
                            struct assistance_calc_in *in, struct ms_err *err)
{
    struct assistance_calc_asset *as = ms_arena_calloc(a, ASSISTANCE_MAX_LINES, sizeof(*as));
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, assistance_sql_assets_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW && in->n_assets < ASSISTANCE_MAX_LINES) {
        struct assistance_calc_asset *x = &as[in->n_assets++];
        x->kind = ms_arena_strdup(a, store_col_text(s, 1));
        x->value_fen = store_col_int64(s, 3);
        x->quantity = (int)store_col_int64(s, 4);
        x->is_exempt = (int)store_col_int64(s, 5);
    }
    store_reset(s);
    in->assets = as;
    return rc < 0 ? rc : 0;
}

/* Loads the case as calculation input, with ages on date, and computes on
 * the parameters in force on date. */
static int compute_row(struct store *st, const struct case_row *row, const char *date,
                       struct ms_arena *a, struct assistance_calc *out, struct ms_err *err)
{
    struct assistance_calc_in in;
    int32_t on;
    int64_t *ids = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*ids));
    memset(&in, 0, sizeof(in));
    if (ms_date_parse(date, &on, err) < 0 ||
        load_calc_members(st, row->id, on, a, &in, ids, err) < 0 ||
        load_calc_incomes(st, row->id, ids, a, &in, err) < 0 ||
        load_calc_assets(st, row->id, a, &in, err) < 0 ||
        assistance_params_load(st, row->area, date, &in.params, err) < 0)
        return err->code;
    return assistance_calc(&in, out, err);
}

static char *reasons_json(const struct assistance_calc *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n_reasons; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "code", c->reasons[i].code, "zh",
                                             c->reasons[i].zh, "en", c->reasons[i].en));
    char *s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

static int store_result(struct store *st, int64_t id, const char *date,
                        const struct assistance_calc *c, struct ms_err *err)
{
    struct store_stmt *s;
    char *reasons = reasons_json(c);
    if (store_prepare(st, assistance_sql_case_set_result, &s, err) < 0) {
        free(reasons);
        return err->code;
    }
    store_bind_text(s, 1, date);
    store_bind_int64(s, 2, c->standard_fen);
    store_bind_int64(s, 3, c->members_counted);
    store_bind_int64(s, 4, c->income_fen);
    store_bind_int64(s, 5, c->per_capita_fen);
    store_bind_int64(s, 6, c->base_fen);
    store_bind_int64(s, 7, c->topup_fen);
    store_bind_int64(s, 8, c->amount_fen);
    store_bind_int64(s, 9, c->is_eligible);
    store_bind_text(s, 10, reasons ? reasons : "[]");
    store_bind_int64(s, 11, id);
    free(reasons);
    return step_once(s, err);
}

struct compute_ctx {
    const char *scope, *date;
    int64_t id;
    const struct ms_actor *actor;
    struct assistance_calc out;
};

static int compute_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct compute_ctx *c = ctx;
    struct case_row row;
    struct ms_arena a;
    char detail[128];
    int rc;
    if (load_row(st, c->scope, c->id, &row, err) < 0)
        return err->code;
    /* Check the move first: a case past this step is not recomputed. */
    char to[24];
    if (next_state(st, &row, "compute", to, err) < 0)
        return err->code;
    ms_arena_init(&a, 16384);
    rc = compute_row(st, &row, c->date, &a, &c->out, err);
    ms_arena_release(&a);
    if (rc < 0)
        return rc;
    snprintf(detail, sizeof(detail), "on=%s eligible=%d amount_fen=%lld", c->date,
             c->out.is_eligible, (long long)c->out.amount_fen);
    if (store_result(st, row.id, c->date, &c->out, err) < 0 ||
        case_move(st, &row, "compute", detail, c->actor, err) < 0 ||
        audit_case(st, c->actor, "assistance.case.compute", row.id, row.applicant_code, detail,
                   err) < 0)
        return err->code;
    return 0;
}

/* The date text for a given date, or today; not in the future, and not
 * before the application (checked in the transaction against the case). */
static int date_or_today(const char *field, const char *text, char out[MS_DATE_BUF],
                         struct ms_err *err)
{
    int32_t day = ms_date_today_cst();
    if (text && assistance__past_date(field, text, &day, err) < 0)
        return err->code;
    ms_date_format(day, out);
    return 0;
}

static int not_before_application(const char *field, const char *date, const struct case_row *row,
                                  struct ms_err *err)
{
    if (strcmp(date, row->applied_on) >= 0)
        return 0;
    return assistance__bad(err, MS_EFIELD, field, "日期不能早于申请日期",
                           "the date is before the application");
}

static int compute_tx_checked(struct store *st, void *ctx, struct ms_err *err)
{
    struct compute_ctx *c = ctx;
    struct case_row row;
    if (load_row(st, c->scope, c->id, &row, err) < 0 ||
        not_before_application("as_of", c->date, &row, err) < 0)
        return err->code;
    return compute_tx(st, ctx, err);
}

int assistance_case_compute(struct store *st, const char *scope, int64_t id, const char *as_of,
                            const struct ms_actor *actor, struct assistance_calc *out,
                            struct ms_err *err)
{
    char date[MS_DATE_BUF];
    if (date_or_today("as_of", as_of, date, err) < 0)
        return err->code;
    struct compute_ctx c = {.scope = scope, .date = date, .id = id, .actor = actor};
    int rc = store_tx(st, compute_tx_checked, &c, err);
    if (rc == 0 && out)
        *out = c.out;
    return rc;
}

/* --- deciding ------------------------------------------------------------------------ */

struct decide_ctx {
    const char *scope, *date;
    int64_t id;
    const struct assistance_decision_in *in;
    const struct ms_actor *actor;
};

static int insert_decision(struct store *st, const struct decide_ctx *c, int64_t standard_fen,
                           int64_t amount_fen, struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_decision_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->id);
    store_bind_text(s, 2, c->in->decision);
    store_bind_text(s, 3, c->in->reason_zh ? c->in->reason_zh : "");
    store_bind_text(s, 4, c->date);
    store_bind_int64(s, 5, standard_fen);
    store_bind_int64(s, 6, amount_fen);
    store_bind_text(s, 7, c->actor->username ? c->actor->username : "");
    store_bind_text(s, 8, now);
    return step_once(s, err);
}

static int approve(struct store *st, struct decide_ctx *c, const struct case_row *row,
                   struct ms_err *err)
{
    struct assistance_calc calc;
    struct ms_arena a;
    char to[24], detail[128];
    if (next_state(st, row, "approve", to, err) < 0)
        return err->code;
    /* The standard in force on the decision date decides the amount (§1.7). */
    ms_arena_init(&a, 16384);
    int rc = compute_row(st, row, c->date, &a, &calc, err);
    ms_arena_release(&a);
    if (rc < 0)
        return rc;
    if (!calc.is_eligible) {
        ms_err_field(err, MS_ECONFLICT, "decision", "the household is not eligible on %s: %s",
                     c->date, calc.n_reasons ? calc.reasons[0].en : "");
        ms_err_zh(err, "按 %s 的标准该户不符合条件：%s", c->date,
                  calc.n_reasons ? calc.reasons[calc.n_reasons - 1].zh : "");
        return MS_ECONFLICT;
    }
    snprintf(detail, sizeof(detail), "approve on=%s amount_fen=%lld", c->date,
             (long long)calc.amount_fen);
    if (store_result(st, row->id, c->date, &calc, err) < 0 ||
        insert_decision(st, c, calc.standard_fen, calc.amount_fen, err) < 0 ||
        case_move(st, row, "approve", c->in->reason_zh, c->actor, err) < 0 ||
        audit_case(st, c->actor, "assistance.case.approve", row->id, row->applicant_code, detail,
                   err) < 0)
        return err->code;
    return 0;
}

static int refuse(struct store *st, struct decide_ctx *c, const struct case_row *row,
                  struct ms_err *err)
{
    struct store_stmt *s;
    char to[24];
    if (next_state(st, row, "refuse", to, err) < 0 ||
        insert_decision(st, c, row->standard_fen, 0, err) < 0 ||
        store_prepare(st, assistance_sql_counted_release, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row->id);
    if (step_once(s, err) < 0 ||
        case_move(st, row, "refuse", c->in->reason_zh, c->actor, err) < 0 ||
        audit_case(st, c->actor, "assistance.case.refuse", row->id, row->applicant_code, "refuse",
                   err) < 0)
        return err->code;
    return 0;
}

static int decide_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct decide_ctx *c = ctx;
    struct case_row row;
    if (load_row(st, c->scope, c->id, &row, err) < 0 ||
        not_before_application("decided_on", c->date, &row, err) < 0)
        return err->code;
    return !strcmp(c->in->decision, "approve") ? approve(st, c, &row, err)
                                               : refuse(st, c, &row, err);
}

int assistance_case_decide(struct store *st, const char *scope, int64_t id,
                           const struct assistance_decision_in *in, const struct ms_actor *actor,
                           struct ms_err *err)
{
    char date[MS_DATE_BUF];
    if (!in->decision || (strcmp(in->decision, "approve") && strcmp(in->decision, "refuse")))
        return assistance__bad(err, in->decision ? MS_EFIELD : MS_EMISSING, "decision",
                               "审批结论应为 approve 或 refuse",
                               "decision must be approve or refuse");
    if (!strcmp(in->decision, "refuse") && (!in->reason_zh || !*in->reason_zh))
        return assistance__bad(err, MS_EMISSING, "reason_zh", "不予批准须书面说明理由",
                               "a refusal needs its reasons in writing (rules.md §1.5)");
    if (in->reason_zh && ms_utf8_chars(in->reason_zh) > 500)
        return assistance__bad(err, MS_EFIELD, "reason_zh", "理由不能超过 500 字",
                               "reasons at most 500 characters");
    if (date_or_today("decided_on", in->decided_on, date, err) < 0)
        return err->code;
    struct decide_ctx c = {.scope = scope, .date = date, .id = id, .in = in, .actor = actor};
    return store_tx(st, decide_tx, &c, err);
}

/* --- enrolling ------------------------------------------------------------------------ */

/* The enrolment on the applicant's timeline (一人一档). */
static int life_event(struct store *st, const struct case_row *row, const char *date,
                      const char *start, int64_t amount, const struct ms_actor *actor,
                      struct ms_err *err)
{
    struct store_stmt *s;
    char now[32], detail[160];
    assistance__now(now);
    snprintf(detail, sizeof(detail),
             "{\"scheme\":\"%s\",\"case_id\":%lld,\"amount_fen\":%lld,\"start_period\":\"%s\"}",
             row->scheme, (long long)row->id, (long long)amount, start);
    if (store_prepare(st, assistance_sql_life_event_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row->applicant_id);
    store_bind_text(s, 2, date);
    store_bind_text(s, 3, detail);
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, actor->username ? actor->username : "");
    return step_once(s, err);
}

struct enrol_ctx {
    const char *scope;
    int64_t id, enrolment_id;
    const struct ms_actor *actor;
    char start[MS_PERIOD_BUF];
};

static int enrol_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct enrol_ctx *c = ctx;
    struct case_row row;
    struct store_stmt *s;
    char to[24], decided_on[MS_DATE_BUF] = "", now[32], detail[96];
    int64_t amount = 0, after = 0;
    int32_t day, start;
    if (load_row(st, c->scope, c->id, &row, err) < 0 ||
        next_state(st, &row, "enrol", to, err) < 0 ||
        store_prepare(st, assistance_sql_decision_for_enrol, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row.id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        snprintf(decided_on, sizeof(decided_on), "%s", store_col_text(s, 0));
        amount = store_col_int64(s, 1);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    /* rules.md §1.4: from the decision month or the month after, as the
     * policy in force on the decision date says. */
    if (ms_date_parse(decided_on, &day, err) < 0 ||
        policy_get_int(st, "assistance.dibao.start_months_after_decision", decided_on, &after,
                       err) < 0 ||
        ms_date_add_months(ms_date_month_start(day), (int)after, &start) < 0)
        return err->code ? err->code : MS_EINTERNAL;
    ms_date_format_period(start, c->start);
    assistance__now(now);
    if (store_prepare(st, assistance_sql_enrolment_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, amount);
    store_bind_text(s, 2, c->start);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, c->actor->username ? c->actor->username : "");
    store_bind_int64(s, 5, row.id);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->enrolment_id = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return assistance__bad(err, MS_ECONFLICT, "household_id", "该户已在保，不能重复纳入",
                               "the household is already enrolled in this scheme");
    }
    if (rc < 0)
        return rc;
    snprintf(detail, sizeof(detail), "enrolment=%lld start=%s amount_fen=%lld",
             (long long)c->enrolment_id, c->start, (long long)amount);
    if (life_event(st, &row, decided_on, c->start, amount, c->actor, err) < 0)
        return err->code;
    if (case_move(st, &row, "enrol", detail, c->actor, err) < 0 ||
        audit_case(st, c->actor, "assistance.case.enrol", row.id, row.applicant_code, detail, err) <
            0)
        return err->code;
    return 0;
}

int assistance_case_enrol(struct store *st, const char *scope, int64_t id,
                          const struct ms_actor *actor, int64_t *enrolment_id, char start_period[8],
                          struct ms_err *err)
{
    struct enrol_ctx c = {.scope = scope, .id = id, .actor = actor};
    int rc = store_tx(st, enrol_tx, &c, err);
    if (rc == 0) {
        if (enrolment_id)
            *enrolment_id = c.enrolment_id;
        if (start_period)
            memcpy(start_period, c.start, MS_PERIOD_BUF);
    }
    return rc;
}
