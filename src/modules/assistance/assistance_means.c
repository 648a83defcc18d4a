/*
 * assistance_means.c - the means check (家庭经济状况核对, rules.md §1.5): what
 * the department feeds linked to each member, beside what was declared.
 *
 * Read-only, one grouped query over exchange_records through its resident
 * index. Payments and wages count within the window of
 * assistance.means_check_months months ending with the income period;
 * vehicles in use and businesses still registered are flags whenever they
 * began (rules.md §1.3 lists vehicles among assets; a business means
 * operating income to look at).
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

/* The declared income kind a feed corresponds to ("" for flags). */
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

struct declared {
    char code[32], kind[32];
    int64_t monthly_fen;
};

static int load_declared(struct store *st, int64_t case_id, struct ms_arena *a,
                         struct declared **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    *out = ms_arena_calloc(a, cap, sizeof(**out));
    *n = 0;
    if (store_prepare(st, assistance_sql_means_declared, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct declared *more = ms_arena_calloc(a, cap * 2, sizeof(*more));
            memcpy(more, *out, cap * sizeof(*more));
            *out = more;
            cap *= 2;
        }
        struct declared *d = &(*out)[(*n)++];
        snprintf(d->code, sizeof(d->code), "%s", store_col_text(s, 0));
        snprintf(d->kind, sizeof(d->kind), "%s", store_col_text(s, 1));
        d->monthly_fen = store_col_int64(s, 2);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int64_t declared_for(const struct declared *d, size_t n, const char *code, const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(d[i].code, code) && !strcmp(d[i].kind, kind))
            return d[i].monthly_fen;
    return 0;
}

int assistance_means_check(struct store *st, int64_t case_id, const char *income_period,
                           struct ms_arena *arena, struct assistance_means *out, struct ms_err *err)
{
    int32_t last, first;
    int64_t months = 0;
    struct declared *decl;
    size_t n_decl, cap = 16;
    struct store_stmt *s;
    int rc;
    memset(out, 0, sizeof(*out));
    if (ms_date_parse_period(income_period, &last, err) < 0 ||
        policy_get_int(st, "assistance.means_check_months", NULL, &months, err) < 0)
        return err->code;
    if (ms_date_add_months(last, -(int)(months - 1), &first) < 0)
        return ms_err_set(err, MS_EINVAL, "means check window out of range");
    ms_date_format_period(first, out->from_period);
    ms_date_format_period(last, out->to_period);
    out->months = (int)months;
    if (load_declared(st, case_id, arena, &decl, &n_decl, err) < 0)
        return err->code;
    out->rows = ms_arena_calloc(arena, cap, sizeof(*out->rows));
    if (store_prepare(st, assistance_sql_means, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, case_id);
    store_bind_text(s, 2, out->from_period);
    store_bind_text(s, 3, out->to_period);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (out->n == cap) {
            struct assistance_means_row *more = ms_arena_calloc(arena, cap * 2, sizeof(*more));
            memcpy(more, out->rows, cap * sizeof(*more));
            out->rows = more;
            cap *= 2;
        }
        struct assistance_means_row *r = &out->rows[out->n++];
        r->code = ms_arena_strdup(arena, store_col_text(s, 0));
        r->feed = ms_arena_strdup(arena, store_col_text(s, 1));
        r->category = ms_arena_strdup(arena, store_col_text(s, 2) ? store_col_text(s, 2) : "");
        r->records = store_col_int64(s, 3);
        r->total_fen = store_col_int64(s, 4);
        const char *kind = declared_kind(r->feed, r->category);
        if (*kind) {
            r->monthly_fen = r->total_fen / months;
            r->declared_fen = declared_for(decl, n_decl, r->code, kind);
            r->is_flag = r->monthly_fen > r->declared_fen;
        } else
            r->is_flag = 1;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}
