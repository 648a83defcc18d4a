/*
 * assistance_public.c - the long-term public list (长期公示, issue #5 item 7)
 * and the indicators (item 9); docs/assistance.md "Public list",
 * "Indicators".
 *
 * Both are read-only and scoped: the caller's data scope (a region-code
 * prefix) narrowed by an optional region filter; a filter outside the scope
 * gives nothing, as a case outside the scope is "not found". The public
 * list reads names, so it is an audited read; the indicators are
 * aggregates (one grouped query) and are not.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "store/store.h"

#include "core/banned.h"


int assistance_public_list(struct store *st, const char *scope, const char *scheme,
                           const char *region, struct ms_arena *arena,
                           struct assistance_public_list *out, struct audit_entry *read,
                           struct ms_err *err)
{
    struct store_stmt *s;
    const char *prefix;
    int none, rc;
    memset(out, 0, sizeof(*out));
    if (assistance__check_scheme_filter(scheme, err) < 0 ||
        assistance__narrow(scope, region, arena, &prefix, &none, err) < 0)
        return err->code;
    ms_date_format_period(ms_date_today_cst(), out->period);
    out->region = prefix;
    size_t cap = 64;
    out->rows = ms_arena_calloc(arena, cap, sizeof(*out->rows));
    if (!none) {
        if (store_prepare(st, assistance_sql_public_list, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, out->period);
        store_bind_text(s, 2, out->period);
        if (assistance__bind_filters(s, 3, prefix, scheme, err) < 0) {
            store_reset(s);
            return err->code;
        }
        while ((rc = store_step(s, err)) == STORE_ROW) {
            if (out->n == cap) {
                struct assistance_public_row *more = ms_arena_calloc(arena, cap * 2, sizeof(*more));
                memcpy(more, out->rows, cap * sizeof(*more));
                out->rows = more;
                cap *= 2;
            }
            struct assistance_public_row *x = &out->rows[out->n++];
            x->name = store_col_dup(s, 0, arena);
            x->household_size = store_col_int64(s, 1);
            x->amount_fen = store_col_int64(s, 2);
            x->scheme = store_col_dup(s, 3, arena);
            x->scheme_zh = store_col_dup(s, 4, arena);
        }
        store_reset(s);
        if (rc < 0)
            return rc;
    }
    memset(read, 0, sizeof(*read));
    read->action = "assistance.public_list.read";
    read->object_type = "assistance_enrolment";
    read->object_id = "public-list";
    read->result = "ok";
    read->detail = ms_arena_printf(arena, "scheme=%s region=%s period=%s rows=%zu",
                                   scheme ? scheme : "", prefix, out->period, out->n);
    return 0;
}

/* --- indicators ------------------------------------------------------------------- */

static int parse_month(const char *field, const char *text, int32_t *day, struct ms_err *err)
{
    struct ms_err why = MS_ERR_INIT;
    if (!text || ms_date_parse_period(text, day, &why) < 0)
        return assistance__bad(err, text ? MS_EFIELD : MS_EMISSING, field, "月份应为 YYYY-MM",
                               "month must be YYYY-MM");
    return 0;
}

/* The series of (scheme, town), added at the end when new: rows come
 * ordered by scheme and town, so only the last one can match. */
static struct assistance_indicator_series *series_for(struct assistance_indicators *o,
                                                      struct ms_arena *a, size_t *cap,
                                                      const char *scheme, const char *town9)
{
    if (o->n) {
        struct assistance_indicator_series *last = &o->series[o->n - 1];
        if (!strcmp(last->scheme, scheme) && !strncmp(last->town_code, town9, 9))
            return last;
    }
    if (o->n == *cap) {
        struct assistance_indicator_series *more = ms_arena_calloc(a, *cap * 2, sizeof(*more));
        memcpy(more, o->series, *cap * sizeof(*more));
        o->series = more;
        *cap *= 2;
    }
    struct assistance_indicator_series *x = &o->series[o->n++];
    size_t m = (size_t)o->months;
    x->scheme = ms_arena_strdup(a, scheme);
    x->town_code = ms_arena_printf(a, "%.9s000", town9);
    x->town_name = "";
    x->households = ms_arena_calloc(a, m, sizeof(int64_t));
    x->persons = ms_arena_calloc(a, m, sizeof(int64_t));
    x->issued_fen = ms_arena_calloc(a, m, sizeof(int64_t));
    x->paid_fen = ms_arena_calloc(a, m, sizeof(int64_t));
    return x;
}

static int month_of(const struct assistance_indicators *o, const char *period)
{
    for (int i = 0; i < o->months; i++)
        if (!strcmp(o->periods[i], period))
            return i;
    return -1;
}

static int read_series(struct store *st, const char *prefix, const char *scheme, struct ms_arena *a,
                       struct assistance_indicators *o, struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    o->series = ms_arena_calloc(a, cap, sizeof(*o->series));
    char lo[16], hi[16];
    int all = !scheme || !*scheme;
    if (assistance__scope_bounds(prefix, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_indicators, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    store_bind_text(s, 3, o->from);
    store_bind_text(s, 4, o->to);
    store_bind_text(s, 5, all ? "" : scheme);
    store_bind_text(s, 6, all ? "~" : scheme);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        const char *sch = store_col_text(s, 0), *town = store_col_text(s, 1);
        int m = month_of(o, store_col_text(s, 2));
        if (!sch || !town || m < 0)
            continue;
        struct assistance_indicator_series *x = series_for(o, a, &cap, sch, town);
        x->households[m] = store_col_int64(s, 3);
        x->persons[m] = store_col_int64(s, 4);
        x->issued_fen[m] = store_col_int64(s, 5);
        x->paid_fen[m] = store_col_int64(s, 6);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int read_town_names(struct store *st, const char *prefix, struct assistance_indicators *o,
                           struct ms_arena *a, struct ms_err *err)
{
    struct store_stmt *s;
    char lo[16], hi[16];
    int rc;
    /* Towns are named by their 9 digits: look up the whole town of a
     * narrower prefix too. */
    char town[16];
    snprintf(town, sizeof(town), "%.9s", prefix);
    if (assistance__scope_bounds(town, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_town_names, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        const char *code = store_col_text(s, 0);
        for (size_t i = 0; code && i < o->n; i++)
            if (!strncmp(o->series[i].town_code, code, 9))
                o->series[i].town_name = store_col_dup(s, 1, a);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance_indicators(struct store *st, const char *scope, const char *from, const char *to,
                          const char *scheme, const char *region, struct ms_arena *arena,
                          struct assistance_indicators *out, struct ms_err *err)
{
    int32_t d0, d1;
    const char *prefix;
    int none;
    memset(out, 0, sizeof(*out));
    if (parse_month("from", from, &d0, err) < 0 || parse_month("to", to, &d1, err) < 0)
        return err->code;
    int y0, m0, y1, m1, dd;
    ms_date_to_ymd(d0, &y0, &m0, &dd);
    ms_date_to_ymd(d1, &y1, &m1, &dd);
    int months = (y1 - y0) * 12 + (m1 - m0) + 1;
    if (months < 1 || months > ASSISTANCE_INDICATOR_MAX_MONTHS)
        return assistance__bad(err, MS_EFIELD, "to",
                               "截止月份应不早于起始月份，且跨度不超过 60 个月",
                               "to must not be before from, and at most 60 months after it");
    if (assistance__check_scheme_filter(scheme, err) < 0 ||
        assistance__narrow(scope, region, arena, &prefix, &none, err) < 0)
        return err->code;
    out->months = months;
    out->region = prefix;
    ms_date_format_period(d0, out->from);
    ms_date_format_period(d1, out->to);
    out->periods = ms_arena_calloc(arena, (size_t)months, sizeof(*out->periods));
    for (int i = 0; i < months; i++) {
        int32_t d;
        ms_date_add_months(d0, i, &d);
        ms_date_format_period(d, out->periods[i]);
    }
    if (none)
        return 0;
    if (read_series(st, prefix, scheme, arena, out, err) < 0 ||
        read_town_names(st, prefix, out, arena, err) < 0)
        return err->code;
    return 0;
}
