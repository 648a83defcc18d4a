/*
 * assistance_change.c - changes of an enrolment (rules.md §1.5 refusing
 * work and 渐退期, §1.6 changes, §1.11 "changes create new rows; the history
 * is never edited"; docs/assistance.md "Change and review").
 *
 * An enrolment row is one period at one amount. A change ends the current
 * period the month before it takes effect and starts a successor period
 * with its own household facts and the amount assistance_calc() gives on
 * the change date's standard, or stops the benefit. What was paid stays:
 * pending lines of the months from the effective month are cancelled (kept
 * in assistance_line_cancellations) and written again at the new amount,
 * and lines already exported or paid go to the recovery ledger. All in the
 * caller's one transaction, with the change's row and its audit entry.
 * Refusals of work, which end in a change, are in assistance_work.c.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

#define COPY(dst, s, col) snprintf((dst), sizeof(dst), "%s", store_col_text((s), (col)))

static const char *actor_name(const struct ms_actor *actor)
{
    return actor->username ? actor->username : "";
}

/* --- periods and their facts ----------------------------------------------------------- */

static int enrolment_not_found(struct ms_err *err, int64_t id)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "enrolment %lld not found", (long long)id);
    ms_err_zh(err, "未找到保障记录 %lld", (long long)id);
    return ret;
}

int assistance__period_load(struct store *st, const char *scope, int64_t id,
                            struct assistance__period *out, struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    if (assistance__scope_bounds(scope, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_period_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = store_col_int64(s, 0);
        out->household_id = store_col_int64(s, 1);
        out->case_id = store_col_int64(s, 2);
        out->payee_id = store_col_int64(s, 3);
        out->amount_fen = store_col_int64(s, 4);
        COPY(out->scheme, s, 5);
        COPY(out->start, s, 6);
        COPY(out->end, s, 7);
        COPY(out->status, s, 8);
        COPY(out->transition_end, s, 9);
        out->has_facts = (int)store_col_int64(s, 10);
        COPY(out->area, s, 11);
        COPY(out->case_status, s, 12);
        COPY(out->payee_code, s, 13);
        out->has_successor = store_col_int64(s, 14) > 0;
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return enrolment_not_found(err, id);
    return rc < 0 ? rc : 0;
}

static int read_members(struct store *st, const char *sql, int64_t key,
                        struct assistance__facts *f, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, key);
    while ((rc = store_step(s, err)) == STORE_ROW && f->n_members < ASSISTANCE_MAX_MEMBERS) {
        struct assistance__fact_member *m = &f->members[f->n_members++];
        m->resident_id = store_col_int64(s, 0);
        COPY(m->code, s, 1);
        COPY(m->relation, s, 2);
        m->is_counted = (int)store_col_int64(s, 3);
        COPY(m->exclusion_reason, s, 4);
        m->disability_grade = (int)store_col_int64(s, 5);
        m->has_major_illness = (int)store_col_int64(s, 6);
        m->is_student = (int)store_col_int64(s, 7);
        COPY(m->birth_date, s, 8);
        COPY(m->status, s, 9);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int read_incomes(struct store *st, const char *sql, int64_t key,
                        struct assistance__facts *f, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, key);
    while ((rc = store_step(s, err)) == STORE_ROW && f->n_incomes < ASSISTANCE_MAX_LINES) {
        struct assistance__fact_income *x = &f->incomes[f->n_incomes++];
        x->resident_id = store_col_int64(s, 0);
        COPY(x->kind, s, 1);
        x->amount_fen = store_col_int64(s, 2);
        x->months = (int)store_col_int64(s, 3);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance__facts_load(struct store *st, const struct assistance__period *p,
                           struct assistance__facts *f, struct ms_err *err)
{
    f->n_members = f->n_incomes = 0;
    if (p->has_facts)
        return read_members(st, assistance_sql_facts_period_members, p->id, f, err) < 0 ||
                       read_incomes(st, assistance_sql_facts_period_incomes, p->id, f, err) < 0
                   ? err->code
                   : 0;
    if (!p->case_id)
        return 0; /* taken over from the old roll: no facts recorded */
    return read_members(st, assistance_sql_facts_case_members, p->case_id, f, err) < 0 ||
                   read_incomes(st, assistance_sql_facts_case_incomes, p->case_id, f, err) < 0
               ? err->code
               : 0;
}

/* --- computing from facts ------------------------------------------------------------------ */

/* assistance_calc() on the facts, ages and policy on date; the case's
 * assets (a change does not touch them). */
static int facts_calc(struct store *st, const struct assistance__period *p,
                      const struct assistance__facts *f, const char *date,
                      struct assistance_calc *out, struct ms_err *err)
{
    struct assistance_calc_in in;
    struct ms_arena a;
    int32_t on, birth;
    memset(&in, 0, sizeof(in));
    if (ms_date_parse(date, &on, err) < 0)
        return err->code;
    ms_arena_init(&a, 16384);
    struct assistance_calc_member *m = ms_arena_calloc(&a, f->n_members + 1, sizeof(*m));
    struct assistance_calc_income *inc = ms_arena_calloc(&a, f->n_incomes + 1, sizeof(*inc));
    for (size_t i = 0; i < f->n_members; i++) {
        m[i].is_counted = f->members[i].is_counted;
        m[i].disability_grade = f->members[i].disability_grade;
        m[i].has_major_illness = f->members[i].has_major_illness;
        m[i].is_student = f->members[i].is_student;
        if (ms_date_parse(f->members[i].birth_date, &birth, NULL) == 0 && birth <= on)
            m[i].age = ms_date_age_on(birth, on);
    }
    for (size_t i = 0; i < f->n_incomes; i++) {
        inc[i].kind = f->incomes[i].kind;
        inc[i].amount_fen = f->incomes[i].amount_fen;
        inc[i].months = f->incomes[i].months;
        for (size_t j = 0; j < f->n_members; j++)
            if (f->members[j].resident_id == f->incomes[i].resident_id)
                inc[i].member = j;
    }
    in.members = m;
    in.n_members = f->n_members;
    in.incomes = inc;
    in.n_incomes = f->n_incomes;
    /* The case's assets (none for a period taken over without a case). */
    int rc = p->case_id ? assistance__load_calc_assets(st, p->case_id, &a, &in, err) : 0;
    if (rc == 0)
        rc = assistance_params_load(st, p->area, date, &in.params, err);
    if (rc == 0)
        rc = assistance_calc(&in, out, err);
    ms_arena_release(&a);
    return rc;
}

/* --- applying a change to the facts ------------------------------------------------------- */

static const char *const change_kinds[] = {"income", "member_leaves", "member_joins",
                                           "death",  "exit",          "stop",
                                           "account", "work_refusals", NULL};

static const char *const relations[] = {"self",       "spouse",      "child", "parent", "sibling",
                                        "grandchild", "grandparent", "other", NULL};

static int in_list(const char *const *list, const char *v)
{
    for (size_t i = 0; v && list[i]; i++)
        if (!strcmp(list[i], v))
            return 1;
    return 0;
}

int assistance__enrolment_stale(struct ms_err *err, int64_t id)
{
    int ret = ms_err_set(err, MS_ESTALE, "enrolment %lld was changed meanwhile", (long long)id);
    ms_err_zh(err, "该保障已有后续变更，请刷新后重试");
    return ret;
}

static int member_index(const struct assistance__facts *f, const char *code, size_t *i)
{
    for (*i = 0; code && *i < f->n_members; (*i)++)
        if (!strcmp(f->members[*i].code, code))
            return 1;
    return 0;
}

static void remove_member(struct assistance__facts *f, size_t i)
{
    int64_t rid = f->members[i].resident_id;
    memmove(&f->members[i], &f->members[i + 1], (f->n_members - i - 1) * sizeof(f->members[0]));
    f->n_members--;
    size_t k = 0;
    for (size_t j = 0; j < f->n_incomes; j++)
        if (f->incomes[j].resident_id != rid)
            f->incomes[k++] = f->incomes[j];
    f->n_incomes = k;
}

static int counted_members(const struct assistance__facts *f)
{
    int n = 0;
    for (size_t i = 0; i < f->n_members; i++)
        n += f->members[i].is_counted;
    return n;
}

static int income_error(struct ms_err *err, size_t i, const char *what, const char *zh,
                        const char *en)
{
    char field[48];
    snprintf(field, sizeof(field), "incomes[%zu].%s", i, what);
    return assistance__bad(err, MS_EFIELD, field, zh, en);
}

/* Adds incomes (validated) to f; their residents must be members. */
static int add_incomes(struct assistance__facts *f, const struct assistance_change_in *in,
                       struct ms_err *err)
{
    if (in->n_incomes > ASSISTANCE_MAX_LINES ||
        f->n_incomes + in->n_incomes > ASSISTANCE_MAX_LINES)
        return assistance__bad(err, MS_EFIELD, "incomes", "收入条目过多", "too many incomes");
    for (size_t i = 0; i < in->n_incomes; i++) {
        const struct assistance_income_new *x = &in->incomes[i];
        size_t m;
        if (!member_index(f, x->resident_code, &m))
            return income_error(err, i, "resident", "收入所属人员不是该户成员",
                                "the income's resident is not a member");
        if (!x->kind || !assistance_income_kind_known(x->kind))
            return income_error(err, i, "kind", "收入类别无效", "unknown income kind");
        if (x->amount_fen < 0)
            return income_error(err, i, "amount_fen", "金额不能为负数", "negative amount");
        struct assistance__fact_income *y = &f->incomes[f->n_incomes++];
        y->resident_id = f->members[m].resident_id;
        snprintf(y->kind, sizeof(y->kind), "%s", x->kind);
        y->amount_fen = x->amount_fen;
        y->months = x->months > 0 ? x->months : 1;
    }
    return 0;
}

static int add_member(struct store *st, const char *scope, struct assistance__facts *f,
                      const struct assistance_member_new *m, struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    size_t i;
    if (!m || !m->resident_code || !*m->resident_code)
        return assistance__bad(err, MS_EMISSING, "member.resident", "缺少新增成员",
                               "member_joins needs the member");
    if (member_index(f, m->resident_code, &i))
        return assistance__bad(err, MS_EFIELD, "member.resident", "该人员已是该户成员",
                               "already a member");
    if (!in_list(relations, m->relation))
        return assistance__bad(err, MS_EFIELD, "member.relation", "与申请人关系无效",
                               "unknown relation");
    if (!m->is_counted && (!m->exclusion_reason || !*m->exclusion_reason))
        return assistance__bad(err, MS_EMISSING, "member.exclusion_reason",
                               "不计入保障的成员须说明原因", "a member left out needs a reason");
    if (m->disability_grade < 0 || m->disability_grade > 4)
        return assistance__bad(err, MS_EFIELD, "member.disability_grade", "残疾等级应为 0–4",
                               "disability grade 0-4");
    if (f->n_members >= ASSISTANCE_MAX_MEMBERS)
        return assistance__bad(err, MS_EFIELD, "member", "成员过多", "too many members");
    if (assistance__scope_bounds(scope, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_resident_in_scope, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, m->resident_code);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    struct assistance__fact_member *x = &f->members[f->n_members];
    memset(x, 0, sizeof(*x));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        x->resident_id = store_col_int64(s, 0);
        COPY(x->status, s, 1);
        COPY(x->birth_date, s, 2);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return assistance__bad(err, MS_EFIELD, "member.resident", "未找到该人员（或不在管辖范围内）",
                               "no such resident in your scope");
    if (strcmp(x->status, "alive"))
        return assistance__bad(err, MS_EFIELD, "member.resident", "该人员已死亡或迁出",
                               "the resident is deceased or moved out");
    snprintf(x->code, sizeof(x->code), "%s", m->resident_code);
    snprintf(x->relation, sizeof(x->relation), "%s", m->relation);
    snprintf(x->exclusion_reason, sizeof(x->exclusion_reason), "%s",
             m->is_counted || !m->exclusion_reason ? "" : m->exclusion_reason);
    x->is_counted = m->is_counted != 0;
    x->disability_grade = m->disability_grade;
    x->has_major_illness = m->has_major_illness != 0;
    x->is_student = m->is_student != 0;
    f->n_members++;
    return 0;
}

/* --- the change ---------------------------------------------------------------------------- */

struct change_run {
    const struct assistance_change_in *in;
    const struct ms_actor *actor;
    struct assistance__period p;
    struct assistance__facts *f;
    int64_t resident_id; /* the member the change is about, 0: none */
    int64_t payee_id;    /* a new payee from the effective month, 0: the same */
    const char *bank_sealed, *bank_last4;
    struct ms_arena arena; /* the sealed account */
    int is_stop;
    char changed_on[MS_DATE_BUF], now[32];
    char eff[MS_PERIOD_BUF], before_eff[MS_PERIOD_BUF];
    char new_end[MS_PERIOD_BUF]; /* the successor's end ('' open) */
    struct assistance_change_out *out;
};

int assistance__change_check(const struct assistance_change_in *in, int is_internal,
                            struct ms_err *err)
{
    if (!in->kind || !in_list(change_kinds, in->kind) ||
        (!is_internal && !strcmp(in->kind, "work_refusals")))
        return assistance__bad(err, in->kind ? MS_EFIELD : MS_EMISSING, "kind",
                               "变更类别应为 income、member_leaves、member_joins、death、exit、"
                               "stop 或 account",
                               "kind must be income, member_leaves, member_joins, death, exit, "
                               "stop or account");
    if (!in->reason_zh || !*in->reason_zh)
        return assistance__bad(err, MS_EMISSING, "reason_zh", "变更须书面说明理由",
                               "a change needs its reasons in writing (rules.md §1.6)");
    if (ms_utf8_chars(in->reason_zh) > 500)
        return assistance__bad(err, MS_EFIELD, "reason_zh", "理由不能超过 500 字",
                               "reasons at most 500 characters");
    if (!strcmp(in->kind, "income") && !in->incomes)
        return assistance__bad(err, MS_EMISSING, "incomes", "收入变化须列出变化后的全部收入",
                               "an income change lists all incomes after it (an empty list: none)");
    if ((!strcmp(in->kind, "member_leaves") || !strcmp(in->kind, "death") ||
         !strcmp(in->kind, "work_refusals")) &&
        (!in->resident_code || !*in->resident_code))
        return assistance__bad(err, MS_EMISSING, "resident", "缺少变更涉及的成员",
                               "the change needs the member it is about");
    if (!in->payee && !strcmp(in->kind, "account"))
        return assistance__bad(err, MS_EMISSING, "payee", "变更收款账户须填写领款人和新账户",
                               "an account change names the payee and the new account");
    if (!in->payee)
        return 0;
    if (strcmp(in->kind, "member_leaves") && strcmp(in->kind, "death") &&
        strcmp(in->kind, "account"))
        return assistance__bad(err, MS_EFIELD, "payee",
                               "只有变更收款账户，或领款人去世、迁出时才可指定领款人",
                               "a payee comes with an account change or the payee's death or "
                               "leaving");
    if (!in->payee->resident_code || !*in->payee->resident_code)
        return assistance__bad(err, MS_EMISSING, "payee.resident", "缺少新的领款人",
                               "the new payee is required");
    if (!in->payee->bank_name || !*in->payee->bank_name)
        return assistance__bad(err, MS_EMISSING, "payee.bank_name", "缺少新领款人的开户银行",
                               "the new payee's bank is required");
    return assistance__check_bank("payee.bank_account", in->payee->bank_account, 1, err);
}

/* The effective month: the change month plus assistance.change.months_after. */
static int effective_month(struct store *st, struct change_run *c, struct ms_err *err)
{
    int32_t day, eff, before;
    int64_t after = 1;
    if (ms_date_parse(c->changed_on, &day, err) < 0 ||
        policy_get_int(st, "assistance.change.months_after", c->changed_on, &after, err) < 0 ||
        ms_date_add_months(ms_date_month_start(day), (int)after, &eff) < 0 ||
        ms_date_add_months(eff, -1, &before) < 0)
        return err->code ? err->code : MS_EINTERNAL;
    ms_date_format_period(eff, c->eff);
    ms_date_format_period(before, c->before_eff);
    return 0;
}

/* Whether the current period can take this change. */
static int check_period(struct change_run *c, struct ms_err *err)
{
    const struct assistance__period *p = &c->p;
    int is_open = !strcmp(p->status, "active") && !p->end[0];
    int is_transition = p->transition_end[0] && strcmp(c->eff, p->end) <= 0;
    if (p->has_successor)
        return assistance__enrolment_stale(err, p->id);
    if (!is_open && !is_transition)
        return assistance__bad(err, MS_ECONFLICT, "enrolment", "该户已停止保障",
                               "the benefit has stopped");
    if (strcmp(c->eff, p->start) < 0)
        return assistance__bad(err, MS_EFIELD, "changed_on", "变更生效月份早于当前保障期的起始月份",
                               "the change would take effect before the current period starts");
    if (is_transition && strcmp(c->in->kind, "death") && strcmp(c->in->kind, "exit") &&
        strcmp(c->in->kind, "stop"))
        return assistance__bad(err, MS_ECONFLICT, "kind", "渐退期内只能登记停保（死亡、退出、停保）",
                               "in the transition period only a stop can be recorded");
    if (is_transition)
        c->is_stop = 1;
    return 0;
}

/* The new payee: a member who stays and is alive, with their own account. */
static int set_payee(struct store *st, struct change_run *c, struct ms_err *err)
{
    const struct assistance_payee_new *p = c->in->payee;
    size_t j;
    if (!member_index(c->f, p->resident_code, &j))
        return assistance__bad(err, MS_EFIELD, "payee.resident", "新的领款人须是留在本户的家庭成员",
                               "the new payee must be a member who stays in the household");
    if (strcmp(c->f->members[j].status, "alive"))
        return assistance__bad(err, MS_EFIELD, "payee.resident", "新的领款人已死亡或迁出",
                               "the new payee is deceased or moved out");
    c->payee_id = c->f->members[j].resident_id;
    return assistance__seal_number(st, ASSISTANCE_SEAL_BANK_ACCOUNT, p->bank_account, &c->arena,
                                   &c->bank_sealed, &c->bank_last4, err);
}

/* kind account: the same amount to another account, the payee's or a
 * staying member's (a period taken over from the old roll, with no facts,
 * can only change its own payee's account). */
static int set_account(struct store *st, struct change_run *c, struct ms_err *err)
{
    const struct assistance_payee_new *p = c->in->payee;
    if (strcmp(p->resident_code, c->p.payee_code))
        return set_payee(st, c, err);
    c->payee_id = c->p.payee_id;
    c->resident_id = c->p.payee_id;
    return assistance__seal_number(st, ASSISTANCE_SEAL_BANK_ACCOUNT, p->bank_account, &c->arena,
                                   &c->bank_sealed, &c->bank_last4, err);
}

/* Applies the change to the facts; decides whether it stops the benefit. */
static int apply_to_facts(struct store *st, const char *scope, struct change_run *c,
                          struct ms_err *err)
{
    const struct assistance_change_in *in = c->in;
    struct assistance__facts *f = c->f;
    size_t i = 0;
    if (!strcmp(in->kind, "exit") || !strcmp(in->kind, "stop")) {
        c->is_stop = 1;
        return 0;
    }
    if (!strcmp(in->kind, "account"))
        return set_account(st, c, err);
    int is_payee = in->resident_code && !strcmp(in->resident_code, c->p.payee_code);
    if (is_payee && !in->payee) {
        c->resident_id = c->p.payee_id; /* the payee's account goes with them: stop */
        c->is_stop = 1;
        return 0;
    }
    if (in->payee && !is_payee)
        return assistance__bad(err, MS_EFIELD, "payee", "变更涉及的成员不是领款人，不能更换领款人",
                               "the member the change is about is not the payee");
    if (in->resident_code) {
        if (!member_index(f, in->resident_code, &i))
            return assistance__bad(err, MS_EFIELD, "resident", "该人员不是该户保障成员",
                                   "the resident is not a member of the household");
        c->resident_id = f->members[i].resident_id;
    }
    if (!strcmp(in->kind, "income")) {
        f->n_incomes = 0;
        if (add_incomes(f, in, err) < 0)
            return err->code;
    } else if (!strcmp(in->kind, "member_leaves") || !strcmp(in->kind, "death")) {
        remove_member(f, i);
        if (in->payee && set_payee(st, c, err) < 0)
            return err->code;
    } else if (!strcmp(in->kind, "member_joins")) {
        if (add_member(st, scope, f, in->member, err) < 0 || add_incomes(f, in, err) < 0)
            return err->code;
        c->resident_id = f->members[f->n_members - 1].resident_id;
    } else if (!strcmp(in->kind, "work_refusals")) {
        f->members[i].is_counted = 0;
        snprintf(f->members[i].exclusion_reason, sizeof(f->members[i].exclusion_reason), "%s",
                 in->reason_zh);
    }
    if (counted_members(f) == 0)
        c->is_stop = 1;
    for (i = 0; !c->is_stop && i < f->n_members; i++)
        if (f->members[i].is_counted && strcmp(f->members[i].status, "alive")) {
            ms_err_field(err, MS_ECONFLICT, "members", "member %s is no longer alive or resident",
                         f->members[i].code);
            ms_err_zh(err, "计入的成员 %s 已死亡或迁出，请先登记该成员的变更", f->members[i].code);
            return MS_ECONFLICT;
        }
    return 0;
}

/* Recomputes; decides between a new amount, the transition period and a stop. */
static int decide_amount(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct assistance_change_out *out = c->out;
    int64_t months = 0;
    int32_t eff, end;
    if (c->is_stop)
        return 0;
    if (!strcmp(c->in->kind, "account")) {
        out->new_amount_fen = c->p.amount_fen; /* who is paid, not how much */
        return 0;
    }
    if (facts_calc(st, &c->p, c->f, c->changed_on, &out->calc, err) < 0)
        return err->code;
    out->has_calc = 1;
    if (out->calc.is_eligible) {
        out->new_amount_fen = out->calc.amount_fen;
        return 0;
    }
    if (!strcmp(c->in->kind, "income") && c->in->is_employment) {
        if (policy_get_int(st, "assistance.dibao.transition_months", c->changed_on, &months,
                           err) < 0)
            return err->code;
    }
    if (months <= 0) {
        c->is_stop = 1;
        return 0;
    }
    /* 渐退期 (§1.5): the amount as it was, for the months the policy says. */
    if (ms_date_parse_period(c->eff, &eff, err) < 0 ||
        ms_date_add_months(eff, (int)months - 1, &end) < 0)
        return err->code ? err->code : MS_EINTERNAL;
    ms_date_format_period(end, c->new_end);
    snprintf(out->transition_end_period, sizeof(out->transition_end_period), "%s", c->new_end);
    out->new_amount_fen = c->p.amount_fen;
    return 0;
}

static int close_period(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_period_close, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->before_eff);
    store_bind_int64(s, 2, c->p.id);
    store_bind_text(s, 3, c->p.end);
    store_bind_text(s, 4, c->p.status);
    store_bind_int64(s, 5, c->p.id);
    int rc = store_step(s, err);
    int64_t changed = store_changes(s);
    store_reset(s);
    if (rc < 0)
        return rc;
    return changed == 1 ? 0 : assistance__enrolment_stale(err, c->p.id);
}

static int insert_facts(struct store *st, int64_t id, const struct assistance__facts *f,
                        struct ms_err *err)
{
    struct store_stmt *s;
    for (size_t i = 0; i < f->n_members; i++) {
        const struct assistance__fact_member *m = &f->members[i];
        if (store_prepare(st, assistance_sql_period_member_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, id);
        store_bind_int64(s, 2, m->resident_id);
        store_bind_int64(s, 3, (int64_t)i);
        store_bind_text(s, 4, m->relation);
        store_bind_int64(s, 5, m->is_counted);
        store_bind_text(s, 6, m->exclusion_reason);
        store_bind_int64(s, 7, m->disability_grade);
        store_bind_int64(s, 8, m->has_major_illness);
        store_bind_int64(s, 9, m->is_student);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    for (size_t i = 0; i < f->n_incomes; i++) {
        if (store_prepare(st, assistance_sql_period_income_insert, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, id);
        store_bind_int64(s, 2, f->incomes[i].resident_id);
        store_bind_text(s, 3, f->incomes[i].kind);
        store_bind_int64(s, 4, f->incomes[i].amount_fen);
        store_bind_int64(s, 5, f->incomes[i].months);
        if (assistance__step_once(s, err) < 0)
            return err->code;
    }
    return 0;
}

static int insert_successor(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_period_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->new_amount_fen);
    store_bind_text(s, 2, c->eff);
    store_bind_text(s, 3, c->new_end);
    /* A transition period is already stopped: it pays to its end, and the
     * household may apply again meanwhile. */
    store_bind_text(s, 4, c->new_end[0] ? "stopped" : "active");
    store_bind_text(s, 5, c->now);
    store_bind_text(s, 6, actor_name(c->actor));
    store_bind_text(s, 7, c->new_end);
    if (c->payee_id) {
        store_bind_int64(s, 8, c->payee_id);
        store_bind_text(s, 9, c->bank_sealed);
        store_bind_text(s, 10, c->in->payee->bank_name);
        store_bind_text(s, 11, c->bank_last4);
    } else {
        store_bind_null(s, 8);
        store_bind_null(s, 9);
        store_bind_null(s, 10);
        store_bind_null(s, 11);
    }
    store_bind_int64(s, 12, c->p.id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->out->enrolment_id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    return insert_facts(st, c->out->enrolment_id, c->f, err);
}

static int insert_change(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    const struct assistance_change_out *o = c->out;
    if (store_prepare(st, assistance_sql_change_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->p.id);
    if (o->enrolment_id)
        store_bind_int64(s, 2, o->enrolment_id);
    else
        store_bind_null(s, 2);
    store_bind_int64(s, 3, c->p.household_id);
    store_bind_text(s, 4, c->p.scheme);
    store_bind_text(s, 5, c->in->kind);
    if (c->resident_id)
        store_bind_int64(s, 6, c->resident_id);
    else
        store_bind_null(s, 6);
    store_bind_text(s, 7, c->changed_on);
    store_bind_text(s, 8, c->eff);
    store_bind_text(s, 9, o->outcome);
    store_bind_int64(s, 10, c->in->is_employment != 0);
    store_bind_int64(s, 11, o->old_amount_fen);
    store_bind_int64(s, 12, o->new_amount_fen);
    store_bind_int64(s, 13, o->has_calc ? o->calc.standard_fen : 0);
    store_bind_int64(s, 14, o->has_calc ? o->calc.members_counted : 0);
    store_bind_int64(s, 15, o->has_calc ? o->calc.income_fen : 0);
    store_bind_text(s, 16, o->transition_end_period);
    store_bind_text(s, 17, c->in->reason_zh);
    store_bind_text(s, 18, c->now);
    store_bind_text(s, 19, actor_name(c->actor));
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->out->change_id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* --- the lines of the months from the effective month --------------------------------------- */

/* Whether the successor period pays month period (a transition period ends). */
static int period_is_paid(const struct change_run *c, const char *period)
{
    return c->out->enrolment_id && (!c->new_end[0] || strcmp(period, c->new_end) <= 0);
}

struct cancelled {
    int64_t id, run_id, enrolment_id, reissue_of, amount_fen;
    char period[MS_PERIOD_BUF], kind[16];
    int issue_no;
    char *sealed, *bank;
};

static int take_pending(struct store *st, struct change_run *c, struct ms_arena *a,
                        struct cancelled **rows, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    *n = 0;
    *rows = ms_arena_calloc(a, cap, sizeof(**rows));
    if (store_prepare(st, assistance_sql_lines_cancel, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->p.household_id);
    store_bind_text(s, 2, c->p.scheme);
    store_bind_text(s, 3, c->eff);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct cancelled *more = ms_arena_calloc(a, cap * 2, sizeof(*more));
            memcpy(more, *rows, cap * sizeof(*more));
            *rows = more;
            cap *= 2;
        }
        struct cancelled *x = &(*rows)[(*n)++];
        x->id = store_col_int64(s, 0);
        x->run_id = store_col_int64(s, 1);
        x->enrolment_id = store_col_int64(s, 2);
        COPY(x->period, s, 3);
        x->issue_no = (int)store_col_int64(s, 4);
        x->reissue_of = store_col_int64(s, 5);
        x->amount_fen = store_col_int64(s, 6);
        x->sealed = ms_arena_strdup(a, store_col_text(s, 7));
        x->bank = ms_arena_strdup(a, store_col_text(s, 8));
        COPY(x->kind, s, 9);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* Writes a cancelled regular line again for the successor period, when it
 * covers the month; *id the new line (0: none). A cancelled arrears line is
 * not written again: settle_months() works out what the month still owes. */
static int replace_line(struct store *st, struct change_run *c, const struct cancelled *x,
                        int64_t *id, struct ms_err *err)
{
    struct store_stmt *s;
    *id = 0;
    if (!period_is_paid(c, x->period) || strcmp(x->kind, "regular"))
        return 0;
    if (store_prepare(st, assistance_sql_line_replace, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, x->run_id);
    store_bind_text(s, 2, x->period);
    store_bind_int64(s, 3, x->issue_no);
    if (x->reissue_of)
        store_bind_int64(s, 4, x->reissue_of);
    else
        store_bind_null(s, 4);
    store_bind_text(s, 5, c->now);
    store_bind_text(s, 6, c->now);
    store_bind_int64(s, 7, c->out->enrolment_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int record_cancellation(struct store *st, struct change_run *c, const struct cancelled *x,
                               int64_t replaced_by, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_cancellation_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, x->id);
    store_bind_int64(s, 2, c->out->change_id);
    store_bind_int64(s, 3, x->run_id);
    store_bind_int64(s, 4, x->enrolment_id);
    store_bind_int64(s, 5, c->p.household_id);
    store_bind_text(s, 6, c->p.scheme);
    store_bind_text(s, 7, x->period);
    store_bind_int64(s, 8, x->issue_no);
    if (x->reissue_of)
        store_bind_int64(s, 9, x->reissue_of);
    else
        store_bind_null(s, 9);
    store_bind_int64(s, 10, x->amount_fen);
    store_bind_text(s, 11, x->sealed);
    store_bind_text(s, 12, x->bank);
    if (replaced_by)
        store_bind_int64(s, 13, replaced_by);
    else
        store_bind_null(s, 13);
    store_bind_text(s, 14, c->now);
    store_bind_text(s, 15, x->kind);
    return assistance__step_once(s, err);
}

static int cancel_pending(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct ms_arena a;
    struct cancelled *rows;
    size_t n = 0;
    int64_t replaced;
    int rc;
    ms_arena_init(&a, 4096);
    rc = take_pending(st, c, &a, &rows, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = replace_line(st, c, &rows[i], &replaced, err);
        if (rc == 0)
            rc = record_cancellation(st, c, &rows[i], replaced, err);
        c->out->lines_cancelled++;
        c->out->lines_replaced += replaced != 0;
    }
    ms_arena_release(&a);
    if (rc < 0 || n == 0)
        return rc < 0 ? rc : 0;
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_runs_retotal, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->change_id);
    return assistance__step_once(s, err);
}

/* One month's money as the lines and the ledger hold it. */
struct month {
    char period[MS_PERIOD_BUF];
    int64_t sent_fen;    /* exported or paid, every kind */
    int64_t pending_fen; /* not sent yet (already at the new amount) */
    int64_t claimed_fen; /* what the recovery ledger claims back */
    int64_t last_sent_id, run_id;
    int last_issue;
};

static int write_arrears(struct store *st, struct change_run *c, const struct month *m,
                         int64_t amount_fen, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_arrears_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, m->run_id);
    store_bind_text(s, 2, m->period);
    store_bind_int64(s, 3, m->last_issue + 1);
    store_bind_int64(s, 4, amount_fen);
    store_bind_text(s, 5, c->now);
    store_bind_text(s, 6, c->now);
    store_bind_int64(s, 7, c->out->change_id);
    store_bind_int64(s, 8, c->out->enrolment_id);
    if (assistance__step_once(s, err) < 0)
        return err->code;
    c->out->arrears++;
    return ms_money_add(c->out->arrears_fen, amount_fen, &c->out->arrears_fen) < 0
               ? ms_err_set(err, MS_EINTEGRITY, "arrears total overflows")
               : 0;
}

static int write_recovery(struct store *st, struct change_run *c, const struct month *m,
                          int64_t amount_fen, const char *reason, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_change_recovery_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, amount_fen);
    store_bind_text(s, 2, reason);
    store_bind_text(s, 3, c->now);
    store_bind_text(s, 4, actor_name(c->actor));
    store_bind_int64(s, 5, c->out->change_id);
    store_bind_int64(s, 6, m->last_sent_id);
    if (assistance__step_once(s, err) < 0)
        return err->code;
    c->out->recoveries++;
    return ms_money_add(c->out->recovered_fen, amount_fen, &c->out->recovered_fen) < 0
               ? ms_err_set(err, MS_EINTEGRITY, "recovery total overflows")
               : 0;
}

/*
 * Settles every month from the effective month that holds lines: what the
 * month is owed now (the successor's amount where it pays the month, else
 * nothing) against what it was given (sent and pending lines, less what the
 * ledger already claims back). Sent short: an arrears line for the
 * difference (补发). Sent over: a recovery of the excess, never more than
 * was sent. Months never sent are left to the payment run, which pays them
 * at the period covering them. Summing the month, rather than comparing
 * line by line, keeps a second change of the same month right: a month cut
 * twice is claimed twice, one raised then cut loses its arrears first.
 */
static int settle_months(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    struct month *months;
    size_t n = 0, cap = 16;
    int rc;
    months = calloc(cap, sizeof(*months));
    if (!months)
        abort();
    if (store_prepare(st, assistance_sql_change_months, &s, err) < 0) {
        free(months);
        return err->code;
    }
    store_bind_int64(s, 1, c->p.household_id);
    store_bind_text(s, 2, c->p.scheme);
    store_bind_text(s, 3, c->eff);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (n == cap) {
            cap *= 2;
            struct month *more = realloc(months, cap * sizeof(*months));
            if (!more)
                abort();
            months = more;
        }
        struct month *m = &months[n++];
        COPY(m->period, s, 0);
        m->sent_fen = store_col_int64(s, 1);
        m->pending_fen = store_col_int64(s, 2);
        m->claimed_fen = store_col_int64(s, 3);
        m->last_sent_id = store_col_int64(s, 4);
        m->last_issue = (int)store_col_int64(s, 5);
        m->run_id = store_col_int64(s, 6);
    }
    store_reset(s);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        const struct month *m = &months[i];
        int is_paid = !c->is_stop && period_is_paid(c, m->period);
        int64_t owed = is_paid ? c->out->new_amount_fen : 0;
        int64_t given = m->sent_fen + m->pending_fen - m->claimed_fen;
        int64_t held = m->sent_fen - m->claimed_fen; /* what a recovery can claim */
        rc = 0;
        if (m->sent_fen > 0 && owed > given)
            rc = write_arrears(st, c, m, owed - given, err);
        else if (given > owed && held > 0)
            rc = write_recovery(st, c, m, given - owed < held ? given - owed : held,
                                is_paid ? "paid_above_change" : "paid_after_stop", err);
    }
    free(months);
    return rc < 0 ? rc : 0;
}

static int settle_lines(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (cancel_pending(st, c, err) < 0 || settle_months(st, c, err) < 0)
        return err->code;
    if (store_prepare(st, assistance_sql_change_set_counts, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->lines_cancelled);
    store_bind_int64(s, 2, c->out->lines_replaced);
    store_bind_int64(s, 3, c->out->recoveries);
    store_bind_int64(s, 4, c->out->recovered_fen);
    store_bind_int64(s, 5, c->out->arrears);
    store_bind_int64(s, 6, c->out->arrears_fen);
    store_bind_int64(s, 7, c->out->change_id);
    return assistance__step_once(s, err);
}

/* A new payee or account: every line not yet sent, whatever its month
 * (re-issues, arrears), goes to the new account in the next bank file. */
static int move_pending(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_lines_move_account, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->out->enrolment_id);
    store_bind_text(s, 2, c->now);
    store_bind_int64(s, 3, c->p.household_id);
    store_bind_text(s, 4, c->p.scheme);
    return assistance__step_once(s, err);
}

/* --- the case and the schedule after a change --------------------------------------------- */

static int exec_id2(struct store *st, const char *sql, int64_t a, int64_t b, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, a);
    store_bind_int64(s, 2, b);
    return assistance__step_once(s, err);
}

/* A stop, or the start of the transition period, closes the review
 * schedule, frees the members and, for a case that is enrolled, moves it
 * to stopped (guarded by its status). */
static int stop_case(struct store *st, struct change_run *c, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_reviews_close, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->p.household_id);
    store_bind_text(s, 2, c->p.scheme);
    if (assistance__step_once(s, err) < 0)
        return err->code;
    if (!c->p.case_id || strcmp(c->p.case_status, "enrolled"))
        return 0;
    if (store_prepare(st, assistance_sql_counted_release, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->p.case_id);
    if (assistance__step_once(s, err) < 0 ||
        store_prepare(st, assistance_sql_case_set_status, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, "stopped");
    store_bind_text(s, 2, c->now);
    store_bind_int64(s, 3, c->p.case_id);
    store_bind_text(s, 4, "enrolled");
    int rc = store_step(s, err);
    int64_t changed = store_changes(s);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (changed != 1)
        return assistance__enrolment_stale(err, c->p.id);
    return assistance__event(st, c->p.case_id, "enrolled", "stopped", "stop", c->in->reason_zh,
                             c->actor, err);
}

/* Members who leave or die stop counting in the case; one who joins is
 * guarded against counting in a second open case (assistance_counted). */
static int update_counted(struct store *st, struct change_run *c, struct ms_err *err)
{
    const char *kind = c->in->kind;
    struct store_stmt *s;
    if (!c->p.case_id || !c->resident_id || c->is_stop)
        return 0;
    if (!strcmp(kind, "member_leaves") || !strcmp(kind, "death"))
        return exec_id2(st, assistance_sql_counted_release_member, c->p.case_id, c->resident_id,
                        err);
    if (strcmp(kind, "member_joins") || !c->in->member->is_counted)
        return 0;
    if (store_prepare(st, assistance_sql_counted_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->resident_id);
    store_bind_text(s, 2, c->p.scheme);
    store_bind_int64(s, 3, c->p.case_id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return assistance__bad(err, MS_ECONFLICT, "member.resident",
                               "该成员已在其他家庭的救助申请中计入",
                               "the member already counts in another open case");
    }
    return rc < 0 ? rc : 0;
}

int assistance__change_apply(struct store *st, const char *scope, int64_t enrolment_id,
                             const struct assistance_change_in *in, const struct ms_actor *actor,
                             struct assistance_change_out *out, struct ms_err *err)
{
    struct change_run c;
    int32_t day = ms_date_today_cst();
    int rc;
    memset(&c, 0, sizeof(c));
    memset(out, 0, sizeof(*out));
    if (assistance__change_check(in, 1, err) < 0)
        return err->code;
    c.in = in;
    c.actor = actor;
    c.out = out;
    ms_arena_init(&c.arena, 1024);
    if (in->changed_on && assistance__past_date("changed_on", in->changed_on, &day, err) < 0)
        return err->code;
    ms_date_format(day, c.changed_on);
    assistance__now(c.now);
    if (effective_month(st, &c, err) < 0 ||
        assistance__period_load(st, scope, enrolment_id, &c.p, err) < 0 ||
        check_period(&c, err) < 0)
        return err->code;
    c.f = calloc(1, sizeof(*c.f));
    if (!c.f)
        abort();
    rc = assistance__facts_load(st, &c.p, c.f, err);
    if (rc == 0 && !c.is_stop && c.f->n_members == 0 && strcmp(in->kind, "exit") &&
        strcmp(in->kind, "stop") && strcmp(in->kind, "death") &&
        strcmp(in->kind, "member_leaves") && strcmp(in->kind, "account"))
        rc = assistance__bad(err, MS_ECONFLICT, "enrolment", "该户没有登记家庭成员信息，只能停保",
                             "no household facts are recorded for this entry: only a stop");
    if (rc == 0 && !c.is_stop)
        rc = apply_to_facts(st, scope, &c, err);
    if (rc == 0)
        rc = decide_amount(st, &c, err);
    out->old_amount_fen = c.p.amount_fen;
    snprintf(out->effective_period, sizeof(out->effective_period), "%s", c.eff);
    snprintf(out->outcome, sizeof(out->outcome), "%s",
             c.is_stop                        ? "stopped"
             : c.new_end[0]                   ? "transition"
             : !strcmp(in->kind, "account") ? "payee_changed"
                                              : "recalculated");
    if (c.is_stop)
        out->new_amount_fen = 0;
    if (rc == 0)
        rc = close_period(st, &c, err);
    if (rc == 0 && !c.is_stop)
        rc = insert_successor(st, &c, err);
    if (rc == 0)
        rc = insert_change(st, &c, err);
    if (rc == 0)
        rc = settle_lines(st, &c, err);
    if (rc == 0 && c.payee_id)
        rc = move_pending(st, &c, err);
    /* The transition period ends the case as a stop does; it only pays on. */
    if (rc == 0)
        rc = c.is_stop || c.new_end[0] ? stop_case(st, &c, err) : update_counted(st, &c, err);
    free(c.f);
    ms_arena_release(&c.arena);
    if (rc < 0)
        return rc;
    char detail[240];
    snprintf(detail, sizeof(detail),
             "change=%lld kind=%s outcome=%s effective=%s amount_fen=%lld->%lld successor=%lld"
             "%s%s",
             (long long)out->change_id, in->kind, out->outcome, c.eff,
             (long long)out->old_amount_fen, (long long)out->new_amount_fen,
             (long long)out->enrolment_id, c.payee_id ? " new_payee=" : "",
             c.payee_id ? in->payee->resident_code : "");
    return assistance__audit_enrolment(st, actor, "assistance.enrolment.change", c.p.id,
                                       c.p.payee_code, detail, err);
}

int assistance_enrolment_current(struct store *st, int64_t household_id, const char *scheme,
                                 int64_t *enrolment_id, struct ms_err *err)
{
    struct store_stmt *s;
    *enrolment_id = 0;
    if (store_prepare(st, assistance_sql_enrolment_current, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, household_id);
    store_bind_text(s, 2, scheme ? scheme : "");
    int rc = store_step(s, err);
    if (rc == STORE_ROW && !store_col_is_null(s, 0))
        *enrolment_id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    return *enrolment_id ? 0 : enrolment_not_found(err, 0);
}

struct change_ctx {
    const char *scope;
    int64_t id;
    const struct assistance_change_in *in;
    const struct ms_actor *actor;
    struct assistance_change_out *out;
};

static int change_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct change_ctx *c = ctx;
    return assistance__change_apply(st, c->scope, c->id, c->in, c->actor, c->out, err);
}

int assistance_enrolment_change_in_tx(struct store *st, const char *scope, int64_t enrolment_id,
                                      const struct assistance_change_in *in,
                                      const struct ms_actor *actor,
                                      struct assistance_change_out *out, struct ms_err *err)
{
    struct assistance_change_out tmp;
    if (assistance__change_check(in, 0, err) < 0)
        return err->code;
    return assistance__change_apply(st, scope, enrolment_id, in, actor, out ? out : &tmp, err);
}

int assistance_enrolment_change(struct store *st, const char *scope, int64_t enrolment_id,
                                const struct assistance_change_in *in,
                                const struct ms_actor *actor, struct assistance_change_out *out,
                                struct ms_err *err)
{
    struct assistance_change_out tmp;
    struct change_ctx c = {scope, enrolment_id, in, actor, out ? out : &tmp};
    if (assistance__change_check(in, 0, err) < 0)
        return err->code;
    return store_tx(st, change_tx, &c, err);
}
