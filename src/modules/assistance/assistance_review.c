/*
 * assistance_review.c - review schedules (rules.md §1.6 动态管理): the
 * frequency as a pure function of the household's facts, the schedule
 * written at enrolment and after each review, the reviews-due view with
 * the registry's deaths proposed as changes, and recording a review.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/json.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

/* --- the frequency ----------------------------------------------------------------------- */

static int is_able_to_work(const struct assistance_review_member *m,
                           const struct assistance_review_params *p)
{
    int is_severe = m->disability_grade > 0 && m->disability_grade <= p->severe_disability_grade;
    return m->is_counted && m->age >= p->working_age_min && m->age < p->working_age_below &&
           !m->has_major_illness && !is_severe && !m->is_student;
}

void assistance_review_frequency(const struct assistance_review_facts *facts,
                                 const struct assistance_review_params *p,
                                 struct assistance_review_freq *out)
{
    int able = 0, able_unemployed = 0, ill_or_disabled = 0;
    for (size_t i = 0; i < facts->n_members; i++) {
        const struct assistance_review_member *m = &facts->members[i];
        if (is_able_to_work(m, p)) {
            able = 1;
            able_unemployed |= !m->has_work_income;
        }
        if (m->is_counted &&
            (m->has_major_illness ||
             (m->disability_grade > 0 && m->disability_grade <= p->severe_disability_grade)))
            ill_or_disabled = 1;
    }
    if (p->is_national) {
        out->rule = "nat2021";
        if (facts->is_income_changed || able) {
            out->months = p->nat_unstable;
            out->basis = facts->is_income_changed ? "unstable" : "able_to_work";
        } else {
            out->months = p->nat_stable;
            out->basis = "stable";
        }
        return;
    }
    out->rule = "cq2016";
    if (able_unemployed) {
        out->months = facts->is_rural ? p->cq_unemployed_rural : p->cq_unemployed_urban;
        out->basis = "unemployed_ablebodied";
    } else if (ill_or_disabled && !facts->is_income_changed) {
        out->months = p->cq_severe_stable;
        out->basis = "severe_stable";
    } else {
        /* Stable, and what the 2016 rule leaves unsaid (income changing
         * without an able unemployed member): the 6-monthly default. */
        out->months = p->cq_stable;
        out->basis = "stable";
    }
}

static int get_months(struct store *st, const char *key, const char *date, int *out,
                      struct ms_err *err)
{
    int64_t v = 0;
    if (policy_get_int(st, key, date, &v, err) < 0)
        return err->code;
    *out = (int)v;
    return 0;
}

int assistance_review_params_load(struct store *st, const char *date,
                                  struct assistance_review_params *out, struct ms_err *err)
{
    struct ms_arena a;
    struct policy_value rule;
    struct assistance_review_params p;
    memset(&p, 0, sizeof(p));
    ms_arena_init(&a, 512);
    int rc = policy_get(st, "assistance.review.rule", date, &a, &rule, err);
    if (rc == 0)
        p.is_national = !strcmp(rule.value, "nat2021");
    ms_arena_release(&a);
    if (rc < 0 ||
        get_months(st, "cq.dibao.review_months.severe_stable", date, &p.cq_severe_stable, err) <
            0 ||
        get_months(st, "cq.dibao.review_months.stable", date, &p.cq_stable, err) < 0 ||
        get_months(st, "cq.dibao.review_months.unemployed_urban", date, &p.cq_unemployed_urban,
                   err) < 0 ||
        get_months(st, "cq.dibao.review_months.unemployed_rural", date, &p.cq_unemployed_rural,
                   err) < 0 ||
        get_months(st, "assistance.review.working_age_min", date, &p.working_age_min, err) < 0 ||
        get_months(st, "assistance.review.working_age_below", date, &p.working_age_below, err) <
            0 ||
        get_months(st, "cq.dibao.topup.severe_disability_grade", date, &p.severe_disability_grade,
                   err) < 0)
        return err->code;
    /* The national rows start in 2021-07: before it only the Chongqing rule exists. */
    if (p.is_national &&
        (get_months(st, "nat.dibao.review_months.stable", date, &p.nat_stable, err) < 0 ||
         get_months(st, "nat.dibao.review_months.unstable", date, &p.nat_unstable, err) < 0))
        return err->code;
    *out = p;
    return 0;
}

/* --- the schedule ------------------------------------------------------------------------- */

/* The household's facts as the frequency function takes them, ages on day. */
static void review_facts(const struct assistance__facts *f, int32_t day,
                         struct assistance_review_member *m, struct assistance_review_facts *out)
{
    int32_t birth;
    for (size_t i = 0; i < f->n_members; i++) {
        memset(&m[i], 0, sizeof(m[i]));
        m[i].is_counted = f->members[i].is_counted;
        m[i].disability_grade = f->members[i].disability_grade;
        m[i].has_major_illness = f->members[i].has_major_illness;
        m[i].is_student = f->members[i].is_student;
        if (ms_date_parse(f->members[i].birth_date, &birth, NULL) == 0 && birth <= day)
            m[i].age = ms_date_age_on(birth, day);
        for (size_t j = 0; j < f->n_incomes; j++)
            if (f->incomes[j].resident_id == f->members[i].resident_id &&
                f->incomes[j].amount_fen > 0 &&
                (!strcmp(f->incomes[j].kind, "wage") || !strcmp(f->incomes[j].kind, "business")))
                m[i].has_work_income = 1;
    }
    out->members = m;
    out->n_members = f->n_members;
}

int assistance__review_schedule(struct store *st, int64_t enrolment_id, const char *base_date,
                                int is_income_changed, char due_on[11], int *months,
                                const char **basis, struct ms_err *err)
{
    struct assistance__period p;
    struct assistance_review_params params;
    struct assistance_review_member m[ASSISTANCE_MAX_MEMBERS];
    struct assistance_review_facts facts = {.is_income_changed = is_income_changed};
    struct assistance_review_freq freq;
    struct store_stmt *s;
    int32_t day, due;
    char now[32];
    struct assistance__facts *f = calloc(1, sizeof(*f));
    if (!f)
        abort();
    int rc = assistance__period_load(st, NULL, enrolment_id, &p, err);
    if (rc == 0)
        rc = assistance__facts_load(st, &p, f, err);
    if (rc == 0)
        rc = ms_date_parse(base_date, &day, err);
    if (rc == 0) {
        review_facts(f, day, m, &facts);
        facts.is_rural = !strcmp(p.area, "rural");
    }
    free(f);
    if (rc < 0 || assistance_review_params_load(st, base_date, &params, err) < 0)
        return err->code;
    assistance_review_frequency(&facts, &params, &freq);
    if (freq.months <= 0 || ms_date_add_months(day, freq.months, &due) < 0)
        return ms_err_set(err, MS_EINTEGRITY, "review period of %d months", freq.months);
    ms_date_format(due, due_on);
    assistance__now(now);
    if (store_prepare(st, assistance_sql_review_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, p.household_id);
    store_bind_text(s, 2, p.scheme);
    store_bind_int64(s, 3, p.id);
    store_bind_text(s, 4, due_on);
    store_bind_int64(s, 5, freq.months);
    store_bind_text(s, 6, freq.rule);
    store_bind_text(s, 7, freq.basis);
    store_bind_text(s, 8, now);
    rc = store_step(s, err);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        int ret = ms_err_set(err, MS_ESTALE, "a review is already scheduled");
        ms_err_zh(err, "该户已有待办核查，请刷新后重试");
        return ret;
    }
    if (rc < 0)
        return rc;
    if (months)
        *months = freq.months;
    if (basis)
        *basis = freq.basis;
    return 0;
}

/* --- recording a review ------------------------------------------------------------------- */

struct review_ctx {
    const char *scope;
    int64_t id;
    const struct assistance_review_in *in;
    const struct ms_actor *actor;
    char reviewed_on[MS_DATE_BUF];
    struct assistance_review_out *out;
};

/* Marks the scheduled review done, or records an unscheduled one. */
static int review_done(struct store *st, struct review_ctx *c, const struct assistance__period *p,
                       struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    int64_t id = 0;
    if (store_prepare(st, assistance_sql_review_scheduled, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, p->household_id);
    store_bind_text(s, 2, p->scheme);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    assistance__now(now);
    if (id) {
        if (store_prepare(st, assistance_sql_review_done, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, c->reviewed_on);
        store_bind_text(s, 2, c->in->outcome);
        store_bind_text(s, 3, c->in->reason_zh);
        store_bind_text(s, 4, c->actor->username ? c->actor->username : "");
        store_bind_int64(s, 5, id);
        rc = store_step(s, err);
        int64_t changed = store_changes(s);
        store_reset(s);
        if (rc < 0)
            return rc;
        if (changed != 1) {
            int ret = ms_err_set(err, MS_ESTALE, "review %lld recorded meanwhile", (long long)id);
            ms_err_zh(err, "该核查已被他人登记，请刷新后重试");
            return ret;
        }
        c->out->review_id = id;
        return 0;
    }
    if (store_prepare(st, assistance_sql_review_unscheduled, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, p->household_id);
    store_bind_text(s, 2, p->scheme);
    store_bind_int64(s, 3, p->id);
    store_bind_text(s, 4, c->reviewed_on);
    store_bind_text(s, 5, c->reviewed_on);
    store_bind_text(s, 6, c->in->outcome);
    store_bind_text(s, 7, c->in->reason_zh);
    store_bind_text(s, 8, c->actor->username ? c->actor->username : "");
    store_bind_text(s, 9, now);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->out->review_id = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* An error of a review's change names the field inside "change" (its date
 * is the review's). */
static int change_field(struct ms_err *err)
{
    char f[sizeof(err->field)];
    if (!err->field[0] || !strcmp(err->field, "enrolment"))
        return err->code;
    if (!strcmp(err->field, "changed_on"))
        snprintf(f, sizeof(f), "reviewed_on");
    else
        snprintf(f, sizeof(f), "change.%.*s", (int)sizeof(f) - 8, err->field);
    memcpy(err->field, f, sizeof(f));
    return err->code;
}

static int review_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct review_ctx *c = ctx;
    struct assistance_review_out *out = c->out;
    struct assistance__period p;
    struct store_stmt *s;
    int64_t current;
    int is_changed = !strcmp(c->in->outcome, "changed");
    char detail[160];
    memset(out, 0, sizeof(*out));
    if (assistance__period_load(st, c->scope, c->id, &p, err) < 0)
        return err->code;
    if (p.has_successor)
        return assistance__enrolment_stale(err, p.id);
    if (strcmp(p.status, "active"))
        return assistance__bad(err, MS_ECONFLICT, "enrolment", "该户已停止保障或处于渐退期",
                               "the benefit has stopped or is in its transition period");
    if (review_done(st, c, &p, err) < 0)
        return err->code;
    current = p.id;
    if (is_changed) {
        struct assistance_change_in ch = *c->in->change;
        ch.changed_on = c->reviewed_on;
        if (!ch.reason_zh || !*ch.reason_zh)
            ch.reason_zh = c->in->reason_zh;
        if (assistance__change_apply(st, c->scope, p.id, &ch, c->actor, &out->change, err) < 0)
            return change_field(err);
        if (store_prepare(st, assistance_sql_review_set_change, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, out->change.change_id);
        store_bind_int64(s, 2, out->review_id);
        if (assistance__step_once(s, err) < 0)
            return err->code;
        current = out->change.enrolment_id;
    }
    if (current && strcmp(out->change.outcome, "stopped") &&
        assistance__review_schedule(st, current, c->reviewed_on,
                                    is_changed && !strcmp(c->in->change->kind, "income"),
                                    out->next_due_on, &out->next_months, &out->basis, err) < 0)
        return err->code;
    snprintf(detail, sizeof(detail), "review=%lld outcome=%s on=%s next=%s change=%lld",
             (long long)out->review_id, c->in->outcome, c->reviewed_on, out->next_due_on,
             (long long)out->change.change_id);
    return assistance__audit_enrolment(st, c->actor, "assistance.enrolment.review", p.id,
                                       p.payee_code, detail, err);
}

int assistance_review_record(struct store *st, const char *scope, int64_t enrolment_id,
                             const struct assistance_review_in *in, const struct ms_actor *actor,
                             struct assistance_review_out *out, struct ms_err *err)
{
    int32_t day = ms_date_today_cst();
    struct assistance_review_out tmp;
    struct review_ctx c = {.scope = scope, .id = enrolment_id, .in = in, .actor = actor,
                           .out = out ? out : &tmp};
    if (!in->outcome || (strcmp(in->outcome, "unchanged") && strcmp(in->outcome, "changed")))
        return assistance__bad(err, in->outcome ? MS_EFIELD : MS_EMISSING, "outcome",
                               "核查结论应为 unchanged 或 changed",
                               "outcome must be unchanged or changed");
    if (!in->reason_zh || !*in->reason_zh)
        return assistance__bad(err, MS_EMISSING, "reason_zh", "核查须书面记录情况",
                               "a review needs its findings in writing");
    if (ms_utf8_chars(in->reason_zh) > 500)
        return assistance__bad(err, MS_EFIELD, "reason_zh", "理由不能超过 500 字",
                               "reasons at most 500 characters");
    if (!strcmp(in->outcome, "changed") && !in->change)
        return assistance__bad(err, MS_EMISSING, "change", "核查有变化时须登记变更内容",
                               "a changed outcome needs the change");
    if (!strcmp(in->outcome, "unchanged") && in->change)
        return assistance__bad(err, MS_EFIELD, "change", "核查无变化时不应登记变更",
                               "an unchanged outcome takes no change");
    if (in->change) {
        struct assistance_change_in ch = *in->change;
        if (!ch.reason_zh || !*ch.reason_zh)
            ch.reason_zh = in->reason_zh;
        if (assistance__change_check(&ch, 0, err) < 0)
            return change_field(err);
    }
    if (in->reviewed_on && assistance__past_date("reviewed_on", in->reviewed_on, &day, err) < 0)
        return err->code;
    ms_date_format(day, c.reviewed_on);
    return store_tx(st, review_tx, &c, err);
}

/* --- the reviews-due view ----------------------------------------------------------------- */

static int bounds(const char *scope, const char *region, char lo[16], char hi[16],
                  struct ms_err *err)
{
    char rlo[16], rhi[16];
    if (assistance__scope_bounds(scope, lo, hi, err) < 0)
        return err->code;
    if (!region || !*region)
        return 0;
    if (assistance__scope_bounds(region, rlo, rhi, err) < 0) {
        snprintf(err->field, sizeof(err->field), "region");
        return err->code;
    }
    if (strcmp(rlo, lo) > 0)
        memcpy(lo, rlo, 16);
    if (strcmp(rhi, hi) < 0)
        memcpy(hi, rhi, 16);
    return 0;
}

static int due_reviews(struct store *st, const char *lo, const char *hi, const char *before,
                       size_t limit, struct ms_arena *a, struct assistance_review_due *items,
                       size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, assistance_sql_reviews_due, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, before);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    store_bind_int64(s, 4, (int64_t)limit);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < limit) {
        struct assistance_review_due *x = &items[(*n)++];
        memset(x, 0, sizeof(*x));
        x->reason = "review_due";
        x->review_id = store_col_int64(s, 0);
        x->household_id = store_col_int64(s, 1);
        x->household_number = ms_arena_strdup(a, store_col_text(s, 2));
        x->region_code = ms_arena_strdup(a, store_col_text(s, 3));
        x->scheme = ms_arena_strdup(a, store_col_text(s, 4));
        x->due_on = ms_arena_strdup(a, store_col_text(s, 5));
        x->basis = ms_arena_strdup(a, store_col_text(s, 6));
        x->enrolment_id = store_col_int64(s, 7);
        x->amount_fen = store_col_int64(s, 8);
        x->resident_code = x->death_date = "";
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int due_deaths(struct store *st, const char *lo, const char *hi, const char *before,
                      size_t limit, struct ms_arena *a, struct assistance_review_due *items,
                      size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    char month[MS_PERIOD_BUF];
    int rc;
    snprintf(month, sizeof(month), "%.7s", before);
    if (*n >= limit)
        return 0;
    if (store_prepare(st, assistance_sql_deceased_due, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    store_bind_text(s, 3, month);
    store_bind_int64(s, 4, (int64_t)(limit - *n));
    while ((rc = store_step(s, err)) == STORE_ROW && *n < limit) {
        struct assistance_review_due *x = &items[(*n)++];
        memset(x, 0, sizeof(*x));
        x->reason = "member_deceased";
        x->enrolment_id = store_col_int64(s, 0);
        x->household_id = store_col_int64(s, 1);
        x->household_number = ms_arena_strdup(a, store_col_text(s, 2));
        x->region_code = ms_arena_strdup(a, store_col_text(s, 3));
        x->scheme = ms_arena_strdup(a, store_col_text(s, 4));
        x->resident_code = ms_arena_strdup(a, store_col_text(s, 5));
        x->death_date = ms_arena_strdup(a, store_col_text(s, 6));
        x->amount_fen = store_col_int64(s, 7);
        x->due_on = x->death_date;
        x->basis = "";
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance_reviews_due(struct store *st, const char *scope, const char *region,
                           const char *due_before, size_t limit, struct ms_arena *arena,
                           struct assistance_review_due **items, size_t *n, struct ms_err *err)
{
    char lo[16], hi[16], before[MS_DATE_BUF];
    int32_t day = ms_date_today_cst();
    *n = 0;
    if (due_before && ms_date_parse(due_before, &day, NULL) < 0)
        return assistance__bad(err, MS_EFIELD, "due_before", "日期格式应为 YYYY-MM-DD",
                               "expected a date YYYY-MM-DD");
    ms_date_format(day, before);
    if (limit == 0 || limit > 1000)
        limit = 1000;
    if (bounds(scope, region, lo, hi, err) < 0)
        return err->code;
    *items = ms_arena_calloc(arena, limit, sizeof(**items));
    if (due_reviews(st, lo, hi, before, limit, arena, *items, n, err) < 0 ||
        due_deaths(st, lo, hi, before, limit, arena, *items, n, err) < 0)
        return err->code;
    return 0;
}
