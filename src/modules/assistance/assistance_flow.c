/*
 * assistance_flow.c - a case's short flow in this increment:
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
    if (assistance__scope_bounds(scope, lo, hi, err) < 0 ||
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
    return assistance__event(st, row->id, row->status, to, action, note, actor, err);
}

/* --- computing ---------------------------------------------------------------------- */

/* Loads the case's members, incomes and assets as calculation input, with
 * ages on date, and computes on the parameters in force on date. */
/* The case's members as calculation input, ages on day `on`; their
 * resident ids in ids[]. A counted member who died or moved out stops the
 * computation: the application must be updated first. */
int assistance__load_calc_members(struct store *st, int64_t case_id, int32_t on, struct ms_arena *a,
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

int assistance__load_calc_incomes(struct store *st, int64_t case_id, const int64_t *ids,
                                  struct ms_arena *a, struct assistance_calc_in *in,
                                  struct ms_err *err)
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

int assistance__load_calc_assets(struct store *st, int64_t case_id, struct ms_arena *a,
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
int assistance__compute_dibao(struct store *st, int64_t case_id, const char *area, const char *date,
                              struct ms_arena *a, struct assistance_calc *out, struct ms_err *err)
{
    struct assistance_calc_in in;
    int32_t on;
    int64_t *ids = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*ids));
    memset(&in, 0, sizeof(in));
    if (ms_date_parse(date, &on, err) < 0 ||
        assistance__load_calc_members(st, case_id, on, a, &in, ids, err) < 0 ||
        assistance__load_calc_incomes(st, case_id, ids, a, &in, err) < 0 ||
        assistance__load_calc_assets(st, case_id, a, &in, err) < 0 ||
        assistance_params_load(st, area, date, &in.params, err) < 0)
        return err->code;
    return assistance_calc(&in, out, err);
}

/* The one dispatch point: each scheme computes its own way (assistance_scheme.c). */
static int compute_row(struct store *st, const struct case_row *row, const char *date,
                       struct ms_arena *a, struct assistance_calc *out, struct ms_err *err)
{
    const struct assistance_scheme *scheme = assistance__scheme(row->scheme);
    if (!scheme)
        return ms_err_set(err, MS_EINTEGRITY, "case %lld has an unknown scheme '%s'",
                          (long long)row->id, row->scheme);
    return scheme->compute(st, row->id, row->area, date, a, out, err);
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
    return assistance__step_once(s, err);
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
        assistance__audit_case(st, c->actor, "assistance.case.compute", row.id, row.applicant_code,
                               detail, err) < 0)
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
    return assistance__step_once(s, err);
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
        assistance__audit_case(st, c->actor, "assistance.case.approve", row->id,
                               row->applicant_code, detail, err) < 0)
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
    if (assistance__step_once(s, err) < 0 ||
        case_move(st, row, "refuse", c->in->reason_zh, c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor, "assistance.case.refuse", row->id, row->applicant_code,
                               "refuse", err) < 0)
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
    return assistance__step_once(s, err);
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
    const struct assistance_scheme *scheme = assistance__scheme(row.scheme);
    if (!scheme)
        return ms_err_set(err, MS_EINTEGRITY, "unknown scheme '%s'", row.scheme);
    if (ms_date_parse(decided_on, &day, err) < 0 ||
        policy_get_int(st, scheme->start_key, decided_on, &after, err) < 0 ||
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
    if (rc < 0 || assistance__scheme_enrolled(st, row.scheme, row.id, c->enrolment_id, err) < 0)
        return rc < 0 ? rc : err->code;
    snprintf(detail, sizeof(detail), "enrolment=%lld start=%s amount_fen=%lld",
             (long long)c->enrolment_id, c->start, (long long)amount);
    /* The first review, by the frequency rules (rules.md §1.6; assistance_review.c). */
    char review_due[MS_DATE_BUF];
    if (life_event(st, &row, decided_on, c->start, amount, c->actor, err) < 0 ||
        assistance__review_schedule(st, c->enrolment_id, decided_on, 0, review_due, NULL, NULL,
                                    err) < 0)
        return err->code;
    if (case_move(st, &row, "enrol", detail, c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor, "assistance.case.enrol", row.id, row.applicant_code,
                               detail, err) < 0)
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
