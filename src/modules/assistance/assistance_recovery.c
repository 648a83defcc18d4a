/*
 * assistance_recovery.c - the recovery ledger read and followed up
 * (rules.md §1.6: money paid that was not due is claimed back; issue #5
 * item 6, docs/assistance.md "Recoveries").
 *
 * The ledger is filled by the death detection (assistance_pay.c) and by
 * changes settling months already sent (assistance_change.c). Here it is
 * listed in the caller's scope, and an open row is closed once: recovered,
 * or waived with the reasons. The amount is never edited.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "core/json.h"
#include "store/store.h"

#include "core/banned.h"

static int check_status(const char *status, int allow_open, struct ms_err *err)
{
    if ((allow_open && (!status || !*status || !strcmp(status, "open"))) ||
        (status && (!strcmp(status, "recovered") || !strcmp(status, "waived"))))
        return 0;
    return assistance__bad(err, status ? MS_EFIELD : MS_EMISSING, "status",
                           allow_open ? "状态应为 open、recovered 或 waived"
                                      : "处理结果应为 recovered（已追回）或 waived（免于追回）",
                           allow_open ? "status must be open, recovered or waived"
                                      : "status must be recovered or waived");
}

/* Binds the filters from position 1: region range, scheme range, status twice. */
static int bind_where(struct store_stmt *s, const char *prefix,
                      const struct assistance_recovery_filter *f, struct ms_err *err)
{
    const char *status = f->status ? f->status : "";
    if (assistance__bind_filters(s, 1, prefix, f->scheme, err) < 0)
        return err->code;
    store_bind_text(s, 5, status);
    store_bind_text(s, 6, status);
    return 0;
}

static void read_row(struct store_stmt *s, struct ms_arena *a, struct assistance_recovery *x)
{
    x->id = store_col_int64(s, 0);
    x->line_id = store_col_int64(s, 1);
    x->household_id = store_col_int64(s, 2);
    x->household_number = store_col_dup(s, 3, a);
    x->region_code = store_col_dup(s, 4, a);
    x->payee_code = store_col_dup(s, 5, a);
    x->scheme = store_col_dup(s, 6, a);
    x->period = store_col_dup(s, 7, a);
    x->amount_fen = store_col_int64(s, 8);
    x->reason = store_col_dup(s, 9, a);
    x->death_date = store_col_dup(s, 10, a);
    x->status = store_col_dup(s, 11, a);
    x->detected_at = store_col_dup(s, 12, a);
    x->detected_by = store_col_dup(s, 13, a);
    x->change_id = store_col_int64(s, 14);
    x->resolved_on = store_col_dup(s, 15, a);
    x->resolved_by = store_col_dup(s, 16, a);
    x->note_zh = store_col_dup(s, 17, a);
}

int assistance_recoveries_list(struct store *st, const char *scope,
                               const struct assistance_recovery_filter *f, struct ms_arena *arena,
                               struct assistance_recovery **items, size_t *n, int64_t *total,
                               int64_t *total_fen, struct ms_err *err)
{
    const char *prefix;
    int none = 0, rc;
    struct store_stmt *s;
    size_t limit = f->limit ? f->limit : 100;
    *items = NULL;
    *n = 0;
    *total = *total_fen = 0;
    if (check_status(f->status, 1, err) < 0 ||
        assistance__check_scheme_filter(f->scheme, err) < 0 ||
        assistance__narrow(scope, f->region, arena, &prefix, &none, err) < 0)
        return err->code;
    if (none)
        return 0;
    if (store_prepare(st, assistance_sql_recoveries_count, &s, err) < 0 ||
        bind_where(s, prefix, f, err) < 0)
        return err->code;
    rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *total = store_col_int64(s, 0);
        *total_fen = store_col_int64(s, 1);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    *items = ms_arena_calloc(arena, limit, sizeof(**items));
    if (store_prepare(st, assistance_sql_recoveries_list, &s, err) < 0 ||
        bind_where(s, prefix, f, err) < 0)
        return err->code;
    store_bind_int64(s, 7, (int64_t)limit);
    store_bind_int64(s, 8, (int64_t)f->offset);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < limit)
        read_row(s, arena, &(*items)[(*n)++]);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

struct resolve_ctx {
    const char *scope, *status, *on, *note_zh;
    int64_t id;
    const struct ms_actor *actor;
};

/* Why the guarded update changed nothing: no such row here, or not open. */
static int explain(struct store *st, const struct resolve_ctx *c, const char *lo, const char *hi,
                   struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_recovery_status, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE) {
        int ret = ms_err_set(err, MS_ENOTFOUND, "recovery %lld not found", (long long)c->id);
        ms_err_zh(err, "未找到追回记录 %lld", (long long)c->id);
        return ret;
    }
    return assistance__bad(err, MS_ECONFLICT, "status", "该追回记录已处理，不能再次处理",
                           "the recovery was followed up already");
}

static int resolve_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct resolve_ctx *c = ctx;
    struct store_stmt *s;
    char lo[16], hi[16], detail[160];
    if (assistance__scope_bounds(c->scope, lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_recovery_resolve, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->status);
    store_bind_text(s, 2, c->on);
    store_bind_text(s, 3, c->actor->username ? c->actor->username : "");
    store_bind_text(s, 4, c->note_zh ? c->note_zh : "");
    store_bind_int64(s, 5, c->id);
    store_bind_text(s, 6, lo);
    store_bind_text(s, 7, hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(detail, sizeof(detail), "status=%s on=%s amount_fen=%lld period=%s scheme=%s",
                 c->status, c->on, (long long)store_col_int64(s, 0), store_col_text(s, 1),
                 store_col_text(s, 2));
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return explain(st, c, lo, hi, err);
    return assistance__audit_recovery(st, c->actor, "assistance.recovery.resolve", c->id, detail,
                                      err);
}

int assistance_recovery_resolve(struct store *st, const char *scope, int64_t id,
                                const char *status, const char *on, const char *note_zh,
                                const struct ms_actor *actor, struct ms_err *err)
{
    char date[MS_DATE_BUF];
    struct resolve_ctx c = {scope, status, date, note_zh, id, actor};
    if (check_status(status, 0, err) < 0 || assistance__date_or_today("on", on, date, err) < 0)
        return err->code;
    if (!strcmp(status, "waived") && (!note_zh || !*note_zh))
        return assistance__bad(err, MS_EMISSING, "note_zh", "免于追回须写明理由",
                               "waiving a recovery needs the reasons");
    if (note_zh && ms_utf8_chars(note_zh) > 500)
        return assistance__bad(err, MS_EFIELD, "note_zh", "说明不能超过 500 字",
                               "the note is at most 500 characters");
    return store_tx(st, resolve_tx, &c, err);
}
