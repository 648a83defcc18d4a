/*
 * assistance_means.c - the means check (家庭经济状况核对, rules.md §1.5): what
 * the department feeds linked to each member, beside what was declared.
 *
 * Read-only, one grouped query over exchange_records through its resident
 * index. Payments and wages count within the window of
 * assistance.means_check_months months ending with the income period, and
 * so do self-paid medical settlements (by their date); vehicles in use,
 * businesses still registered and properties in force are shown whenever
 * they began (rules.md §1.3 lists houses and vehicles among assets; a
 * business or a shop means income to look at). What is flagged, and why:
 * docs/assistance.md, "The means check".
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

#define MEDICAL "medical_settlement"
#define ESTATE  "real_estate"

/* The declared income kind a feed corresponds to ("" for the others). */
static const char *declared_kind(const char *feed, const char *category)
{
    if (!strcmp(feed, "contribution_wage"))
        return "wage";
    if (!strcmp(feed, "unemployment_benefit"))
        return "unemployment";
    if (!strcmp(feed, "pension_payment"))
        return !strcmp(category, "resident_pension") ? "resident_pension" : "pension";
    return "";
}

/* A declared amount of a member: a monthly income of a kind, or the
 * medical expenses (kind ""). */
struct declared {
    char code[32], kind[32];
    int64_t fen;
    int is_shown; /* medical: a row of the check shows it */
};

struct declared_set {
    struct declared *v;
    size_t n, cap;
};

static struct declared *declared_add(struct declared_set *d, struct ms_arena *a)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        struct declared *more = ms_arena_calloc(a, cap, sizeof(*more));
        if (d->n)
            memcpy(more, d->v, d->n * sizeof(*more));
        d->v = more;
        d->cap = cap;
    }
    return &d->v[d->n++];
}

/* Rows of sql bound to the case: (code, kind, fen), or (code, fen) for
 * the medical expenses when has_kind is 0. */
static int load_declared(struct store *st, const char *sql, int has_kind, int64_t case_id,
                         struct ms_arena *a, struct declared_set *out, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct declared *d = declared_add(out, a);
        snprintf(d->code, sizeof(d->code), "%s", store_col_text(s, 0));
        snprintf(d->kind, sizeof(d->kind), "%s", has_kind ? store_col_text(s, 1) : "");
        d->fen = store_col_int64(s, has_kind ? 2 : 1);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static struct declared *declared_for(struct declared_set *d, const char *code, const char *kind)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].code, code) && !strcmp(d->v[i].kind, kind))
            return &d->v[i];
    return NULL;
}

static int houses_declared(struct store *st, int64_t case_id, int64_t *out, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *out = 0;
    if (store_prepare(st, assistance_sql_means_houses_declared, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        *out = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static struct assistance_means_row *row_add(struct assistance_means *m, size_t *cap,
                                            struct ms_arena *a)
{
    if (m->n == *cap) {
        size_t more_cap = *cap ? 2 * *cap : 16;
        struct assistance_means_row *more = ms_arena_calloc(a, more_cap, sizeof(*more));
        if (m->n)
            memcpy(more, m->rows, m->n * sizeof(*more));
        m->rows = more;
        *cap = more_cap;
    }
    struct assistance_means_row *r = &m->rows[m->n++];
    memset(r, 0, sizeof(*r));
    r->category = r->reason = r->note = "";
    return r;
}

/* A medical row: the member's settlements beside their declared medical
 * expenses. Declared above found is flagged (the claim is not backed by
 * the settlements); found at least note_fen above declared is noted. */
static void medical_judge(struct assistance_means_row *r, int64_t note_fen)
{
    if (!*r->code) {
        r->is_flag = 1;
        r->reason = "medical_no_member";
    } else if (r->declared_fen > r->total_fen) {
        r->is_flag = 1;
        r->reason = "medical_not_backed";
    } else if (r->total_fen - r->declared_fen >= note_fen && r->total_fen > r->declared_fen) {
        r->note = "medical_undeclared";
    }
}

/* Members with medical expenses declared and no settlement found: rows of
 * their own, so the claim shows (and is flagged). */
static void medical_unshown(struct assistance_means *m, size_t *cap, struct declared_set *med,
                            struct ms_arena *a, int64_t note_fen)
{
    for (size_t i = 0; i < med->n; i++) {
        if (med->v[i].is_shown || med->v[i].fen <= 0)
            continue;
        struct assistance_means_row *r = row_add(m, cap, a);
        r->code = ms_arena_strdup(a, med->v[i].code);
        r->feed = MEDICAL;
        r->declared_fen = med->v[i].fen;
        medical_judge(r, note_fen);
    }
}

/* The household's houses (residential properties in force) against the
 * declared houses and the limit: every member's house row is flagged when
 * either is exceeded. */
static void houses_judge(struct assistance_means *m)
{
    struct assistance_means_houses *h = &m->houses;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].feed, ESTATE) && !strcmp(m->rows[i].category, "residential"))
            h->found += m->rows[i].records;
    const char *reason = h->found > h->declared ? "houses_above_declared"
                         : h->found > h->max    ? "houses_above_limit"
                                                : "";
    h->is_flag = *reason != '\0';
    for (size_t i = 0; i < m->n && h->is_flag; i++)
        if (!strcmp(m->rows[i].feed, ESTATE) && !strcmp(m->rows[i].category, "residential")) {
            m->rows[i].is_flag = 1;
            m->rows[i].reason = reason;
        }
}

static int row_cmp(const void *x, const void *y)
{
    const struct assistance_means_row *a = x, *b = y;
    int c = strcmp(a->code, b->code);
    if (!c)
        c = strcmp(a->feed, b->feed);
    return c ? c : strcmp(a->category, b->category);
}

/* Fills one found row's comparison with what was declared. */
static void judge(struct assistance_means_row *r, int64_t months, struct declared_set *incomes,
                  struct declared_set *med, int64_t note_fen)
{
    const char *kind = declared_kind(r->feed, r->category);
    if (*kind) {
        const struct declared *d = declared_for(incomes, r->code, kind);
        r->monthly_fen = r->total_fen / months;
        r->declared_fen = d ? d->fen : 0;
        r->is_flag = r->monthly_fen > r->declared_fen;
        r->reason = r->is_flag ? "above_declared" : "";
    } else if (!strcmp(r->feed, MEDICAL)) {
        struct declared *d = declared_for(med, r->code, "");
        if (d) {
            r->declared_fen = d->fen;
            d->is_shown = 1;
        }
        medical_judge(r, note_fen);
    } else if (!strcmp(r->feed, ESTATE)) {
        /* houses: houses_judge(); another property may bring rent */
        r->is_flag = strcmp(r->category, "residential") != 0;
        r->reason = r->is_flag ? "property_non_residential" : "";
    } else {
        r->is_flag = 1;
        r->reason = !strcmp(r->feed, "vehicle") ? "vehicle" : "business";
    }
}

int assistance_means_check(struct store *st, int64_t case_id, const char *income_period,
                           struct ms_arena *arena, struct assistance_means *out, struct ms_err *err)
{
    int32_t last, first, after;
    int64_t months = 0;
    char from_day[MS_DATE_BUF], to_day[MS_DATE_BUF];
    struct declared_set incomes = {0}, med = {0};
    size_t cap = 0;
    struct store_stmt *s;
    int rc;
    memset(out, 0, sizeof(*out));
    if (ms_date_parse_period(income_period, &last, err) < 0 ||
        policy_get_int(st, "assistance.means_check_months", NULL, &months, err) < 0 ||
        policy_get_int(st, "assistance.asset.max_houses", NULL, &out->houses.max, err) < 0 ||
        policy_get_int(st, "assistance.means.medical_note_fen", NULL, &out->medical_note_fen,
                       err) < 0)
        return err->code;
    if (ms_date_add_months(last, -(int)(months - 1), &first) < 0 ||
        ms_date_add_months(last, 1, &after) < 0)
        return ms_err_set(err, MS_EINVAL, "means check window out of range");
    ms_date_format_period(first, out->from_period);
    ms_date_format_period(last, out->to_period);
    ms_date_format(first, from_day);
    ms_date_format(after, to_day);
    out->months = (int)months;
    if (load_declared(st, assistance_sql_means_declared, 1, case_id, arena, &incomes, err) < 0 ||
        load_declared(st, assistance_sql_means_medical_declared, 0, case_id, arena, &med, err) <
            0 ||
        houses_declared(st, case_id, &out->houses.declared, err) < 0)
        return err->code;
    if (store_prepare(st, assistance_sql_means, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    store_bind_text(s, 2, out->from_period);
    store_bind_text(s, 3, out->to_period);
    store_bind_text(s, 4, from_day);
    store_bind_text(s, 5, to_day);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct assistance_means_row *r = row_add(out, &cap, arena);
        r->code = ms_arena_strdup(arena, store_col_text(s, 0));
        r->feed = ms_arena_strdup(arena, store_col_text(s, 1));
        r->category = ms_arena_strdup(arena, store_col_text(s, 2) ? store_col_text(s, 2) : "");
        r->records = store_col_int64(s, 3);
        r->total_fen = store_col_int64(s, 4);
        judge(r, months, &incomes, &med, out->medical_note_fen);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    medical_unshown(out, &cap, &med, arena, out->medical_note_fen);
    houses_judge(out);
    if (out->n > 1)
        qsort(out->rows, out->n, sizeof(*out->rows), row_cmp);
    return 0;
}
