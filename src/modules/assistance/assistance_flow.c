/*
 * assistance_flow.c - moving a case, computing it, deciding and enrolling.
 *
 * Which moves are allowed is data (assistance_transitions), checked by
 * assistance__case_move() with a status and version guard on the UPDATE,
 * so no step is skipped and two clerks moving one case at once cannot both
 * succeed; the move also works out the new step's due date. Each function
 * validates, then runs one store_tx() that loads, computes, stores, writes
 * the case's event and its audit entry. The procedure's other steps (home
 * visit, town review, publicity, ...) are in assistance_procedure.c.
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
#include "modules/assistance/assistance_due.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

/* --- loading a case for a transition --------------------------------------------- */

static void col_copy(struct store_stmt *s, int col, char *buf, size_t n)
{
    const char *t = store_col_text(s, col);
    snprintf(buf, n, "%s", t ? t : "");
}

int assistance__case_load(struct store *st, const char *scope, int64_t id,
                          struct assistance__row *out, struct ms_err *err)
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
        col_copy(s, 1, out->scheme, sizeof(out->scheme));
        out->household_id = store_col_int64(s, 2);
        col_copy(s, 3, out->household_number, sizeof(out->household_number));
        col_copy(s, 5, out->area, sizeof(out->area));
        col_copy(s, 6, out->applicant_code, sizeof(out->applicant_code));
        col_copy(s, 7, out->applied_on, sizeof(out->applied_on));
        col_copy(s, 8, out->income_period, sizeof(out->income_period));
        col_copy(s, 9, out->status, sizeof(out->status));
        col_copy(s, 13, out->computed_on, sizeof(out->computed_on));
        out->standard_fen = store_col_int64(s, 15);
        out->version = store_col_int64(s, 23);
        out->applicant_id = store_col_int64(s, 24);
        col_copy(s, 25, out->state_since, sizeof(out->state_since));
        col_copy(s, 26, out->due_on, sizeof(out->due_on));
        out->near_relative = (int)store_col_int64(s, 27);
        col_copy(s, 29, out->publicity_start, sizeof(out->publicity_start));
        col_copy(s, 30, out->publicity_end, sizeof(out->publicity_end));
        out->publicity_round = (int)store_col_int64(s, 31);
        col_copy(s, 32, out->received_on, sizeof(out->received_on));
        col_copy(s, 33, out->extension_reason, sizeof(out->extension_reason));
        col_copy(s, 34, out->notified_on, sizeof(out->notified_on));
        col_copy(s, 35, out->applicant_name, sizeof(out->applicant_name));
        col_copy(s, 36, out->channel, sizeof(out->channel));
        col_copy(s, 37, out->accepted_on, sizeof(out->accepted_on));
        out->is_extended = out->extension_reason[0] != '\0';
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return assistance__case_not_found(err, id);
    return rc < 0 ? rc : 0;
}

int assistance__next_state(struct store *st, const struct assistance__row *row, const char *action,
                           char to[24], int *needs_reason, int *needs_decide, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_transition, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, row->status);
    store_bind_text(s, 2, action);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        snprintf(to, 24, "%s", store_col_text(s, 0));
        if (needs_reason)
            *needs_reason = (int)store_col_int64(s, 1);
        if (needs_decide)
            *needs_decide = !strcmp(store_col_text(s, 2), "assistance:case:decide");
    }
    store_reset(s);
    if (rc == STORE_DONE) {
        ms_err_field(err, MS_ECONFLICT, "status", "cannot %s a case that is %s", action,
                     row->status);
        ms_err_zh(err, "申请当前状态（%s）不能执行此操作（%s）", row->status, action);
        return MS_ECONFLICT;
    }
    return rc < 0 ? rc : 0;
}

static int32_t day_or(const char *text, int32_t fallback)
{
    int32_t d;
    return text && ms_date_parse(text, &d, NULL) == 0 ? d : fallback;
}

/* The due date of state `to` for the row, on the limits in force on `on`
 * ("" when no limit runs). */
static int due_of(struct store *st, const struct assistance__row *row, const char *to,
                  const char *since, const char *on, char due[MS_DATE_BUF], struct ms_err *err)
{
    struct assistance_due_in in = {.state = to,
                                   .is_extended = row->is_extended,
                                   .is_notified = row->notified_on[0] != '\0'};
    struct ms_calendar cal;
    int32_t d;
    due[0] = '\0';
    if (assistance_limits_load(st, row->scheme, on, &in.limits, err) < 0)
        return err->code;
    /* The limits are the applicant's from the acceptance (rules.md §1.5);
     * an online application is accepted after it was submitted. */
    in.applied = day_or(row->accepted_on[0] ? row->accepted_on : row->applied_on, 0);
    in.since = day_or(since, in.applied);
    in.publicity_end = day_or(row->publicity_end, in.since);
    in.received = day_or(row->received_on, in.since);
    assistance__calendar(&cal);
    if (assistance_due(&in, &cal, &d))
        ms_date_format(d, due);
    ms_calendar_release(&cal);
    return 0;
}

int assistance__case_due(struct store *st, const struct assistance__row *row, const char *on,
                         char due[MS_DATE_BUF], struct ms_err *err)
{
    return due_of(st, row, row->status, row->state_since, on, due, err);
}

int assistance__case_move(struct store *st, struct assistance__row *row,
                          const struct assistance__move *m, const struct ms_actor *actor,
                          struct ms_err *err)
{
    char to[24], now[32], due[MS_DATE_BUF];
    struct store_stmt *s;
    if (assistance__next_state(st, row, m->action, to, NULL, NULL, err) < 0)
        return err->code;
    /* A move to the same state (compute, a spot visit, an extension) keeps
     * the date the state began. */
    const char *since = strcmp(to, row->status) ? m->on : row->state_since;
    if (due_of(st, row, to, since, m->on, due, err) < 0)
        return err->code;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_case_move, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, to);
    store_bind_text(s, 2, since);
    store_bind_text(s, 3, due);
    store_bind_text(s, 4, now);
    store_bind_int64(s, 5, row->id);
    store_bind_text(s, 6, row->status);
    store_bind_int64(s, 7, row->version);
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
    /* The event keeps the due date the step it ends had. */
    if (assistance__event_step(st, row->id, row->status, to, m, row->due_on, actor, err) < 0)
        return err->code;
    snprintf(row->status, sizeof(row->status), "%s", to);
    snprintf(row->state_since, sizeof(row->state_since), "%s", since);
    snprintf(row->due_on, sizeof(row->due_on), "%s", due);
    row->version++;
    return 0;
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
                                  int (*income_kind_known)(const char *kind), struct ms_arena *a,
                                  struct assistance_calc_in *in, struct ms_err *err)
{
    struct assistance_calc_income *inc = ms_arena_calloc(a, ASSISTANCE_MAX_LINES, sizeof(*inc));
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, assistance_sql_incomes_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW && in->n_incomes < ASSISTANCE_MAX_LINES) {
        /* Another scheme's kind (the application asked for both). */
        if (!income_kind_known(store_col_text(s, 1)))
            continue;
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
    /* The dibao kinds only: another scheme's are left out. */
    int (*dibao_knows)(const char *kind) = assistance_income_kind_known;
    memset(&in, 0, sizeof(in));
    if (ms_date_parse(date, &on, err) < 0 ||
        assistance__load_calc_members(st, case_id, on, a, &in, ids, err) < 0 ||
        assistance__load_calc_incomes(st, case_id, ids, dibao_knows, a, &in, err) < 0 ||
        assistance__load_calc_assets(st, case_id, a, &in, err) < 0 ||
        assistance_params_load(st, area, date, &in.params, err) < 0)
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
    return assistance__step_once(s, err);
}

/* --- one application, several schemes ------------------------------------------------ */

#define MAX_SCHEMES 8

struct determination {
    char scheme[16], status[16];
    int is_available;
    struct assistance_calc calc;
};

/* The schemes the application asks for, in the order asked. */
static int load_schemes(struct store *st, int64_t id, struct determination *d, size_t *n,
                        struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *n = 0;
    if (store_prepare(st, assistance_sql_determinations_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < MAX_SCHEMES) {
        memset(&d[*n], 0, sizeof(d[*n]));
        snprintf(d[*n].scheme, sizeof(d[*n].scheme), "%s", store_col_text(s, 0));
        snprintf(d[*n].status, sizeof(d[*n].status), "%s", store_col_text(s, 1));
        (*n)++;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance__scheme_count(struct store *st, int64_t case_id, int64_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    *n = 0;
    if (store_prepare(st, assistance_sql_determinations_count, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *n = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int set_determination(struct store *st, int64_t id, const char *date,
                             const struct determination *d, struct ms_err *err)
{
    struct store_stmt *s;
    char *reasons = reasons_json(&d->calc);
    if (store_prepare(st, assistance_sql_determination_set_result, &s, err) < 0) {
        free(reasons);
        return err->code;
    }
    store_bind_text(s, 1, d->is_available ? "computed" : "unavailable");
    store_bind_text(s, 2, date);
    store_bind_int64(s, 3, d->calc.is_eligible);
    store_bind_int64(s, 4, d->calc.standard_fen);
    store_bind_int64(s, 5, d->calc.amount_fen);
    store_bind_text(s, 6, reasons ? reasons : "[]");
    store_bind_int64(s, 7, id);
    store_bind_text(s, 8, d->scheme);
    free(reasons);
    return assistance__step_once(s, err);
}

/*
 * Computes every scheme of the application on date through the dispatch
 * point and stores each determination; the case's own computation columns
 * hold the first scheme's (the one shown in lists). *primary: that one.
 */
static int determine_all(struct store *st, const struct assistance__row *row, const char *date,
                         struct determination *d, size_t *n, struct ms_err *err)
{
    if (load_schemes(st, row->id, d, n, err) < 0)
        return err->code;
    for (size_t i = 0; i < *n; i++) {
        const struct assistance_scheme *sc = assistance__scheme(d[i].scheme);
        int has_part = 0;
        memset(&d[i].calc, 0, sizeof(d[i].calc));
        /* Every scheme with its own part (特困's supporters, 临时救助's
         * event), whatever its position; a case taken before a further
         * scheme could declare it has none and is not computed for it. */
        if (sc && assistance__scheme_has_part(st, sc, row->id, &has_part, err) < 0)
            return err->code;
        d[i].is_available = sc && sc->compute && has_part;
        if (d[i].is_available) {
            struct ms_arena a;
            ms_arena_init(&a, 16384);
            int rc = sc->compute(st, row->id, row->area, date, &a, &d[i].calc, err);
            ms_arena_release(&a);
            if (rc < 0)
                return rc;
        } else {
            struct assistance_reason *r = &d[i].calc.reasons[d[i].calc.n_reasons++];
            snprintf(r->code, sizeof(r->code), "scheme_details_missing");
            snprintf(r->zh, sizeof(r->zh), "申请未填报该救助项目的专有信息，不能核算，请另行申请");
            snprintf(r->en, sizeof(r->en),
                     "the application has no details of this scheme: apply for it separately");
        }
        if (set_determination(st, row->id, date, &d[i], err) < 0)
            return err->code;
    }
    if (*n == 0)
        return assistance__bad(err, MS_ECONFLICT, "schemes", "申请未列明救助项目",
                               "the application names no scheme");
    return store_result(st, row->id, date, &d[0].calc, err);
}

/* --- computing ---------------------------------------------------------------------- */

struct compute_ctx {
    const char *scope, *date;
    int64_t id;
    const struct ms_actor *actor;
    struct assistance_calc out;
};

static int not_before_application(const char *field, const char *date,
                                  const struct assistance__row *row, struct ms_err *err)
{
    if (strcmp(date, row->applied_on) >= 0)
        return 0;
    return assistance__bad(err, MS_EFIELD, field, "日期不能早于申请日期",
                           "the date is before the application");
}

static int compute_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct compute_ctx *c = ctx;
    struct assistance__row row;
    struct determination d[MAX_SCHEMES];
    size_t n = 0;
    char detail[128], to[24];
    if (assistance__case_load(st, c->scope, c->id, &row, err) < 0 ||
        not_before_application("as_of", c->date, &row, err) < 0 ||
        /* Check the move first: a case past this step is not recomputed. */
        assistance__next_state(st, &row, "compute", to, NULL, NULL, err) < 0 ||
        determine_all(st, &row, c->date, d, &n, err) < 0)
        return err->code;
    c->out = d[0].calc;
    snprintf(detail, sizeof(detail), "on=%s eligible=%d amount_fen=%lld", c->date,
             c->out.is_eligible, (long long)c->out.amount_fen);
    struct assistance__move m = {.action = "compute", .on = c->date, .note = detail};
    if (assistance__case_move(st, &row, &m, c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor, "assistance.case.compute", row.id, row.applicant_code,
                               detail, err) < 0)
        return err->code;
    return 0;
}

/* The date text for a given date, or today; not in the future, and not
 * before the application (checked in the transaction against the case). */
int assistance__date_or_today(const char *field, const char *text, char out[MS_DATE_BUF],
                              struct ms_err *err)
{
    int32_t day = ms_date_today_cst();
    if (text && assistance__past_date(field, text, &day, err) < 0)
        return err->code;
    ms_date_format(day, out);
    return 0;
}

int assistance_case_compute(struct store *st, const char *scope, int64_t id, const char *as_of,
                            const struct ms_actor *actor, struct assistance_calc *out,
                            struct ms_err *err)
{
    char date[MS_DATE_BUF];
    if (assistance__date_or_today("as_of", as_of, date, err) < 0)
        return err->code;
    struct compute_ctx c = {.scope = scope, .date = date, .id = id, .actor = actor};
    int rc = store_tx(st, compute_tx, &c, err);
    if (rc == 0 && out)
        *out = c.out;
    return rc;
}

/* --- deciding ------------------------------------------------------------------------ */

int assistance__counted_release_scheme(struct store *st, int64_t case_id, const char *scheme,
                                       struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_counted_release_scheme, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    store_bind_text(s, 2, scheme);
    return assistance__step_once(s, err);
}

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

static int decide_scheme(struct store *st, int64_t id, const char *scheme, const char *status,
                         const char *date, const char *reason_zh, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_determination_decide, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, status);
    store_bind_text(s, 2, date);
    store_bind_text(s, 3, reason_zh ? reason_zh : "");
    store_bind_int64(s, 4, id);
    store_bind_text(s, 5, scheme);
    return assistance__step_once(s, err);
}

/*
 * What the district may decide on (rules.md §1.5): a completed publicity
 * (the state machine ends it only when its days are over and no objection
 * is open) and, for a declared near relative, the district's spot visit.
 */
static int check_decidable(struct store *st, const struct decide_ctx *c,
                           const struct assistance__row *row, struct ms_err *err)
{
    struct store_stmt *s;
    int64_t visits = 0;
    if (strcmp(c->date, row->state_since) < 0)
        return assistance__bad(err, MS_EFIELD, "decided_on", "审批日期不能早于报送区县的日期",
                               "the decision is dated before the district received the case");
    int is_pay_first = 0;
    if (assistance__is_pay_first(st, row->scheme, row->id, &is_pay_first, err) < 0)
        return err->code;
    /* Paid first: the publicity, like the documents, comes afterwards. */
    if (!is_pay_first && (!row->publicity_end[0] || strcmp(c->date, row->publicity_end) <= 0))
        return assistance__bad(err, MS_ECONFLICT, "publicity", "公示尚未完成，不能审批",
                               "the publicity is not completed");
    if (!row->near_relative)
        return 0;
    if (store_prepare(st, assistance_sql_spot_visit_exists, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row->id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        visits = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (visits > 0)
        return 0;
    return assistance__bad(err, MS_ECONFLICT, "spot_visit",
                           "申请人有近亲属备案，区县须先入户抽查再审批",
                           "a near relative was declared: the district's spot visit comes first");
}

static int approve(struct store *st, struct decide_ctx *c, struct assistance__row *row,
                   struct ms_err *err)
{
    struct determination d[MAX_SCHEMES];
    size_t n = 0, approved = 0;
    char to[24], detail[128];
    if (assistance__next_state(st, row, "approve", to, NULL, NULL, err) < 0 ||
        check_decidable(st, c, row, err) < 0 ||
        /* The standard in force on the decision date decides the amount (§1.7). */
        determine_all(st, row, c->date, d, &n, err) < 0)
        return err->code;
    for (size_t i = 0; i < n; i++) {
        if (!d[i].is_available)
            continue; /* stays "unavailable": decided when its computation exists */
        int ok = d[i].calc.is_eligible;
        approved += ok != 0;
        const char *why = ok ? c->in->reason_zh
                             : (d[i].calc.n_reasons ? d[i].calc.reasons[d[i].calc.n_reasons - 1].zh
                                                    : "不符合条件");
        if (decide_scheme(st, row->id, d[i].scheme, ok ? "approved" : "refused", c->date, why,
                          err) < 0 ||
            /* A refused scheme frees the members for another application of it. */
            (!ok && assistance__counted_release_scheme(st, row->id, d[i].scheme, err) < 0))
            return err->code;
    }
    if (!approved) {
        const struct assistance_calc *calc = &d[0].calc;
        ms_err_field(err, MS_ECONFLICT, "decision", "the household is not eligible on %s: %s",
                     c->date, calc->n_reasons ? calc->reasons[0].en : "");
        ms_err_zh(err, "按 %s 的标准该户不符合条件：%s", c->date,
                  calc->n_reasons ? calc->reasons[calc->n_reasons - 1].zh : "");
        return MS_ECONFLICT;
    }
    snprintf(detail, sizeof(detail), "approve on=%s amount_fen=%lld", c->date,
             (long long)d[0].calc.amount_fen);
    struct assistance__move m = {.action = "approve", .on = c->date, .note = c->in->reason_zh};
    if (insert_decision(st, c, d[0].calc.standard_fen,
                        d[0].calc.is_eligible ? d[0].calc.amount_fen : 0, err) < 0 ||
        assistance__case_move(st, row, &m, c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor, "assistance.case.approve", row->id,
                               row->applicant_code, detail, err) < 0)
        return err->code;
    return 0;
}

static int refuse(struct store *st, struct decide_ctx *c, struct assistance__row *row,
                  struct ms_err *err)
{
    struct store_stmt *s;
    struct determination d[MAX_SCHEMES];
    size_t n = 0;
    char to[24];
    if (assistance__next_state(st, row, "refuse", to, NULL, NULL, err) < 0 ||
        check_decidable(st, c, row, err) < 0 || load_schemes(st, row->id, d, &n, err) < 0)
        return err->code;
    for (size_t i = 0; i < n; i++)
        if (decide_scheme(st, row->id, d[i].scheme, "refused", c->date, c->in->reason_zh, err) <
            0)
            return err->code;
    if (insert_decision(st, c, row->standard_fen, 0, err) < 0 ||
        store_prepare(st, assistance_sql_counted_release, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row->id);
    struct assistance__move m = {.action = "refuse", .on = c->date, .note = c->in->reason_zh};
    if (assistance__step_once(s, err) < 0 || assistance__case_move(st, row, &m, c->actor, err) < 0 ||
        assistance__audit_case(st, c->actor, "assistance.case.refuse", row->id, row->applicant_code,
                               "refuse", err) < 0)
        return err->code;
    return 0;
}

static int decide_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct decide_ctx *c = ctx;
    struct assistance__row row;
    if (assistance__case_load(st, c->scope, c->id, &row, err) < 0 ||
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
    if (assistance__date_or_today("decided_on", in->decided_on, date, err) < 0)
        return err->code;
    struct decide_ctx c = {.scope = scope, .date = date, .id = id, .in = in, .actor = actor};
    return store_tx(st, decide_tx, &c, err);
}

/* --- enrolling ------------------------------------------------------------------------ */

/* The enrolment on the applicant's timeline (一人一档). */
static int life_event(struct store *st, const struct assistance__row *row, const char *scheme,
                      const char *date, const char *start, int64_t amount,
                      const struct ms_actor *actor, struct ms_err *err)
{
    struct store_stmt *s;
    char now[32], detail[400];
    assistance__now(now);
    snprintf(detail, sizeof(detail),
             "{\"scheme\":\"%s\",\"case_id\":%lld,\"amount_fen\":%lld,\"start_period\":\"%s\"}",
             scheme, (long long)row->id, (long long)amount, start);
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

struct approved {
    char scheme[16], decided_on[MS_DATE_BUF];
    int64_t amount_fen;
};

/* One enrolment for one approved scheme, from the decision month plus the
 * scheme's start months in force on the decision date (rules.md §1.4, §1.8). */
static int enrol_one(struct store *st, struct enrol_ctx *c, const struct assistance__row *row,
                     const struct approved *a, struct ms_err *err)
{
    struct store_stmt *s;
    int64_t enrolment = 0;
    char now[32], period[MS_PERIOD_BUF];
    if (assistance__start_period(st, a->scheme, a->decided_on, period, err) < 0)
        return err->code;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_enrolment_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, a->scheme);
    store_bind_int64(s, 2, a->amount_fen);
    store_bind_text(s, 3, period);
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, c->actor->username ? c->actor->username : "");
    store_bind_int64(s, 6, row->id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        enrolment = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return assistance__bad(err, MS_ECONFLICT, "household_id", "该户已在保，不能重复纳入",
                               "the household is already enrolled in this scheme");
    }
    if (rc < 0)
        return rc;
    if (!c->enrolment_id) {
        c->enrolment_id = enrolment;
        memcpy(c->start, period, MS_PERIOD_BUF);
    }
    /* A one-off scheme closes after its month; the first review follows the
     * frequency rules (rules.md §1.6; assistance_review.c). */
    char review_due[MS_DATE_BUF];
    if (assistance__scheme_enrolled(st, a->scheme, row->id, enrolment, err) < 0 ||
        life_event(st, row, a->scheme, a->decided_on, period, a->amount_fen, c->actor, err) < 0 ||
        assistance__review_schedule(st, enrolment, a->decided_on, 0, review_due, NULL, NULL,
                                    err) < 0)
        return err->code;
    return 0;
}

static int enrol_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct enrol_ctx *c = ctx;
    struct assistance__row row;
    struct store_stmt *s;
    struct approved a[MAX_SCHEMES];
    size_t n = 0;
    char to[24], detail[96];
    int rc;
    if (assistance__case_load(st, c->scope, c->id, &row, err) < 0 ||
        assistance__next_state(st, &row, "enrol", to, NULL, NULL, err) < 0 ||
        store_prepare(st, assistance_sql_determinations_approved, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row.id);
    while ((rc = store_step(s, err)) == STORE_ROW && n < MAX_SCHEMES) {
        snprintf(a[n].scheme, sizeof(a[n].scheme), "%s", store_col_text(s, 0));
        a[n].amount_fen = store_col_int64(s, 1);
        snprintf(a[n].decided_on, sizeof(a[n].decided_on), "%s", store_col_text(s, 2));
        n++;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (enrol_one(st, c, &row, &a[i], err) < 0)
            return err->code;
    snprintf(detail, sizeof(detail), "enrolment=%lld start=%s amount_fen=%lld",
             (long long)c->enrolment_id, c->start, (long long)(n ? a[0].amount_fen : 0));
    char today[MS_DATE_BUF];
    ms_date_format(ms_date_today_cst(), today);
    struct assistance__move m = {.action = "enrol", .on = today, .note = detail};
    if (assistance__case_move(st, &row, &m, c->actor, err) < 0 ||
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
