/*
 * assistance_roll.c - the recipients taken over from before the platform
 * (issue #5 item 8; docs/assistance.md, docs/gen.md "The assistance roll").
 *
 * Every write of the roll to assistance_enrolments and to the payment
 * history is here, so a change to the enrolment table changes one file. An
 * enrolment of the roll has no case (case_id NULL, which the table allows
 * for exactly this). Its amount is computed on the standard in force each
 * month, read from the policy table by date: a new standard stops the row
 * the month before and starts a new one, as a change would (rules.md
 * §1.11: changes create new rows). The payment history is set-based: one
 * INSERT ... SELECT writes every paid line of the months asked for.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/seal.h"
#include "core/xalloc.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

#define ROLL_MONTHS (15 * 12 + 1) /* months of standards loaded, up to as_of's */

enum { STD_URBAN, STD_RURAL, STD_TEKUN, STD_COUNT };

static const char *const std_keys[STD_COUNT] = {"cq.dibao.standard.urban",
                                                "cq.dibao.standard.rural", "cq.tekun.basic"};

struct assistance_roll {
    int32_t first_month; /* day number of the first day of the table's first month */
    int64_t standard[STD_COUNT][ROLL_MONTHS]; /* fen; 0: none in force that month */
    int64_t earliest[STD_COUNT];              /* the first standard the table has */
    const struct ms_seal *seal;
    struct ms_arena arena;
};

int assistance_roll_open(struct store *st, const char *as_of, struct assistance_roll **out,
                         struct ms_err *err)
{
    int32_t day;
    *out = NULL;
    if (ms_date_parse(as_of, &day, err) < 0)
        return err->code;
    struct assistance_roll *r = ms_xcalloc(1, sizeof(*r));
    ms_arena_init(&r->arena, 4096);
    ms_date_add_months(ms_date_month_start(day), -(ROLL_MONTHS - 1), &r->first_month);
    for (int m = 0; m < ROLL_MONTHS; m++) {
        int32_t first;
        char date[MS_DATE_BUF];
        ms_date_add_months(r->first_month, m, &first);
        ms_date_format(first, date);
        for (int k = 0; k < STD_COUNT; k++) {
            struct ms_err e2 = MS_ERR_INIT;
            int64_t v = 0;
            if (policy_get_int(st, std_keys[k], date, &v, &e2) < 0) {
                if (e2.code != MS_ENOTFOUND) {
                    *err = e2;
                    assistance_roll_free(r);
                    return err->code;
                }
                v = 0;
            }
            r->standard[k][m] = v;
            if (v > 0 && !r->earliest[k])
                r->earliest[k] = v;
        }
    }
    for (int k = 0; k < STD_COUNT; k++)
        if (!r->earliest[k]) {
            assistance_roll_free(r);
            return ms_err_field(err, MS_ENOTFOUND, std_keys[k], "policy %s has no value",
                                std_keys[k]);
        }
    if (registry_seal(st, &r->seal, err) < 0) {
        assistance_roll_free(r);
        return err->code;
    }
    *out = r;
    return 0;
}

void assistance_roll_free(struct assistance_roll *r)
{
    if (!r)
        return;
    ms_arena_release(&r->arena);
    free(r);
}

/* The standard of kind k for month index m (clamped to the table). */
static int64_t standard_at(const struct assistance_roll *r, int k, int m)
{
    if (m < 0)
        m = 0;
    if (m >= ROLL_MONTHS)
        m = ROLL_MONTHS - 1;
    int64_t v = r->standard[k][m];
    return v > 0 ? v : r->earliest[k];
}

/* Month index of a YYYY-MM period in the table (may be out of range). */
static int month_index(const struct assistance_roll *r, const char *period, int *out)
{
    struct ms_err why = MS_ERR_INIT;
    int32_t first;
    int y0, m0, d0, y, m, d;
    if (ms_date_parse_period(period, &first, &why) < 0)
        return why.code;
    ms_date_to_ymd(r->first_month, &y0, &m0, &d0);
    ms_date_to_ymd(first, &y, &m, &d);
    *out = (y - y0) * 12 + (m - m0);
    return 0;
}

static int check_entry(const struct assistance_roll_entry *e, int is_dibao, struct ms_err *err)
{
    size_t n = e->bank_account ? strlen(e->bank_account) : 0;
    if (!is_dibao && strcmp(e->scheme, "tekun") != 0)
        return assistance__bad(err, MS_EFIELD, "scheme", "救助类别应为 dibao 或 tekun",
                               "scheme must be dibao or tekun");
    if (e->persons < 1 || e->persons > ASSISTANCE_MAX_MEMBERS)
        return assistance__bad(err, MS_EFIELD, "persons", "保障人数超出范围",
                               "persons out of range");
    if (e->income_permille < 0 || e->income_permille > 900)
        return assistance__bad(err, MS_EFIELD, "income_permille", "收入比例超出范围",
                               "income_permille must be 0 to 900");
    if (n < 8 || n > 30 || strspn(e->bank_account, "0123456789") != n)
        return assistance__bad(err, MS_EFIELD, "bank_account", "银行账号应为 8–30 位数字",
                               "bank_account must be 8-30 digits");
    return 0;
}

/* Writes one row (segment) of an enrolment. */
static int insert_row(struct store *st, const struct assistance_roll_entry *e, int64_t amount,
                      const char *start, const char *end, const char *sealed,
                      const struct ms_actor *actor, struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_roll_enrolment_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, e->household_id);
    store_bind_text(s, 2, e->scheme);
    store_bind_int64(s, 3, e->payee_id);
    store_bind_int64(s, 4, amount);
    store_bind_text(s, 5, start);
    store_bind_text(s, 6, end);
    store_bind_text(s, 7, end[0] ? "stopped" : "active");
    store_bind_text(s, 8, sealed);
    store_bind_text(s, 9, e->bank_name ? e->bank_name : "");
    store_bind_text(s, 10, now);
    store_bind_text(s, 11, actor->username ? actor->username : "");
    return assistance__step_once(s, err);
}

static void period_of(const struct assistance_roll *r, int m, char out[MS_PERIOD_BUF])
{
    int32_t d;
    ms_date_add_months(r->first_month, m, &d);
    ms_date_format_period(d, out);
}

/* The monthly amount in month m: the standard for the persons, less the
 * household's income (kept as it was on enrolment). */
static int64_t amount_at(const struct assistance_roll *r, int k, int m, int persons, int64_t income)
{
    return standard_at(r, k, m) * persons - income;
}

int assistance_roll_add(struct assistance_roll *r, struct store *st,
                        const struct assistance_roll_entry *e, const struct ms_actor *actor,
                        int64_t *amount_fen, int *rows, struct ms_err *err)
{
    int is_dibao = e->scheme && !strcmp(e->scheme, "dibao");
    int is_open = !e->end_period || !e->end_period[0];
    int m0, m1 = ROLL_MONTHS - 1;
    *rows = 0;
    if (!e->scheme)
        return assistance__bad(err, MS_EFIELD, "scheme", "缺少救助类别", "scheme is required");
    if (check_entry(e, is_dibao, err) < 0)
        return err->code;
    if (month_index(r, e->start_period, &m0) < 0)
        return assistance__bad(err, MS_EFIELD, "start_period", "起始月份无效",
                               "start_period must be YYYY-MM");
    if (!is_open && month_index(r, e->end_period, &m1) < 0)
        return assistance__bad(err, MS_EFIELD, "end_period", "终止月份无效",
                               "end_period must be YYYY-MM");
    if (m1 < m0 || m1 > ROLL_MONTHS - 1)
        return assistance__bad(err, MS_EFIELD, "end_period", "终止月份早于起始月份或在将来",
                               "end_period before start_period or in the future");
    int k = !is_dibao ? STD_TEKUN : e->is_urban ? STD_URBAN : STD_RURAL;
    /* Months before the table are paid at its earliest standard. */
    int lo = m0 < 0 ? 0 : m0, hi = m1 < 0 ? 0 : m1;
    /* The household's income stays what it was when it was enrolled,
     * declared in whole yuan. */
    int64_t income = standard_at(r, k, lo) * e->persons * e->income_permille / 1000;
    income -= income % 100;
    const char *sealed = "";
    ms_arena_reset(&r->arena);
    ms_seal_encrypt(r->seal, ASSISTANCE_SEAL_BANK_ACCOUNT, e->bank_account, &r->arena, &sealed);
    /* One row per run of months with the same amount (a new standard starts
     * a new row; the one before stops the month before). */
    char start[MS_PERIOD_BUF], end[MS_PERIOD_BUF];
    snprintf(start, sizeof(start), "%s", e->start_period);
    for (int m = lo; m <= hi; m++) {
        int64_t a = amount_at(r, k, m, e->persons, income);
        if (a <= 0)
            return assistance__bad(err, MS_EFIELD, "income_permille", "收入不低于保障标准",
                                   "income is not below the standard");
        if (m < hi && amount_at(r, k, m + 1, e->persons, income) == a)
            continue;
        if (m < hi)
            period_of(r, m, end);
        else
            snprintf(end, sizeof(end), "%s", is_open ? "" : e->end_period);
        if (insert_row(st, e, a, start, end, sealed, actor, err) < 0)
            return err->code;
        (*rows)++;
        *amount_fen = a;
        period_of(r, m + 1, start);
    }
    return 0;
}

int assistance_roll_audit(struct store *st, const struct ms_actor *actor, size_t households,
                          size_t rows, struct ms_err *err)
{
    char detail[96];
    snprintf(detail, sizeof(detail), "%zu households, %zu enrolment rows", households, rows);
    struct audit_entry a = {.action = "assistance.roll.take_over",
                            .object_type = "assistance_enrolment",
                            .object_id = "roll",
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, actor, &a, err);
}

struct history {
    const char *from, *to;
    const struct ms_actor *actor;
    int64_t lines, total;
};

static int history_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct history *h = ctx;
    static const char *const schemes[] = {"dibao", "tekun"};
    struct store_stmt *s;
    char now[32], period[MS_PERIOD_BUF];
    int32_t day, last;
    const char *user = h->actor->username ? h->actor->username : "";
    assistance__now(now);
    if (ms_date_parse_period(h->from, &day, err) < 0 || ms_date_parse_period(h->to, &last, err) < 0)
        return err->code;
    for (; day <= last; ms_date_add_months(day, 1, &day)) {
        ms_date_format_period(day, period);
        for (size_t i = 0; i < 2; i++) {
            if (store_prepare(st, assistance_sql_roll_run_insert, &s, err) < 0)
                return err->code;
            store_bind_text(s, 1, schemes[i]);
            store_bind_text(s, 2, period);
            store_bind_text(s, 3, now);
            store_bind_text(s, 4, user);
            store_bind_text(s, 5, now);
            if (assistance__step_once(s, err) < 0)
                return err->code;
        }
    }
    if (store_prepare(st, assistance_sql_roll_lines_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_text(s, 2, now);
    store_bind_text(s, 3, h->from);
    store_bind_text(s, 4, h->to);
    if (assistance__step_once(s, err) < 0 ||
        store_prepare(st, assistance_sql_roll_runs_finish, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, h->from);
    store_bind_text(s, 2, h->to);
    if (assistance__step_once(s, err) < 0 ||
        store_prepare(st, assistance_sql_roll_history_total, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, h->from);
    store_bind_text(s, 2, h->to);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        h->lines = store_col_int64(s, 0);
        h->total = store_col_int64(s, 1);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    char detail[96];
    snprintf(detail, sizeof(detail), "%s..%s: %lld paid lines, %lld fen", h->from, h->to,
             (long long)h->lines, (long long)h->total);
    struct audit_entry a = {.action = "assistance.roll.history",
                            .object_type = "assistance_payment_run",
                            .object_id = "roll",
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, h->actor, &a, err);
}

int assistance_roll_history(struct store *st, const char *from, const char *to,
                            const struct ms_actor *actor, int64_t *lines, int64_t *total_fen,
                            struct ms_err *err)
{
    struct history h = {.from = from, .to = to, .actor = actor};
    int rc = store_tx(st, history_tx, &h, err);
    if (rc == 0) {
        *lines = h.lines;
        *total_fen = h.total;
    }
    return rc;
}
