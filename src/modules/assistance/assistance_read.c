/*
 * assistance_read.c - one case as a caseworker's screen shows it: the
 * application, its members and lines, the last computation, the decision,
 * the enrolment and the means check. An audited read: the entry is
 * returned in *read for the caller to record before showing anything.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"


/* Past its due date, as of today in China. */
/* A bank account as screens show it, from its last four digits ("" unknown). */
static const char *bank_masked(struct ms_arena *a, const char *last4)
{
    return last4 && *last4 ? ms_arena_printf(a, "**** **** %s", last4) : "";
}

static int is_overdue(const char *due_on)
{
    char today[MS_DATE_BUF];
    ms_date_format(ms_date_today_cst(), today);
    return due_on && *due_on && strcmp(due_on, today) < 0;
}

static int read_determinations(struct store *st, struct ms_arena *a, struct assistance_case *out,
                               struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    out->determinations = ms_arena_calloc(a, 8, sizeof(*out->determinations));
    if (store_prepare(st, assistance_sql_determinations_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_determinations < 8) {
        struct assistance_determination *d = &out->determinations[out->n_determinations++];
        d->scheme = store_col_dup(s, 0, a);
        d->status = store_col_dup(s, 1, a);
        d->computed_on = store_col_dup(s, 2, a);
        d->is_eligible = (int)store_col_int64(s, 3);
        d->standard_fen = store_col_int64(s, 4);
        d->amount_fen = store_col_int64(s, 5);
        d->reasons_json = store_col_dup(s, 6, a);
        d->decided_on = store_col_dup(s, 7, a);
        d->reason_zh = store_col_dup(s, 8, a);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance__read_case(struct store *st, const char *scope, int64_t id, struct ms_arena *a,
                          struct assistance_case *out, struct ms_err *err)
{
    char lo[16], hi[16];
    struct store_stmt *s;
    if (registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_case_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->id = store_col_int64(s, 0);
        out->scheme = store_col_dup(s, 1, a);
        out->household_id = store_col_int64(s, 2);
        out->household_number = store_col_dup(s, 3, a);
        out->region_code = store_col_dup(s, 4, a);
        out->area = store_col_dup(s, 5, a);
        out->applicant_code = store_col_dup(s, 6, a);
        out->applied_on = store_col_dup(s, 7, a);
        out->income_period = store_col_dup(s, 8, a);
        out->status = store_col_dup(s, 9, a);
        out->bank_account_masked = bank_masked(a, store_col_text(s, 10));
        out->bank_name = store_col_dup(s, 11, a);
        out->is_single_person = (int)store_col_int64(s, 12);
        out->computed_on = store_col_dup(s, 13, a);
        out->reasons_json = store_col_dup(s, 14, a);
        out->standard_fen = store_col_int64(s, 15);
        out->income_fen = store_col_int64(s, 16);
        out->per_capita_fen = store_col_int64(s, 17);
        out->base_fen = store_col_int64(s, 18);
        out->topup_fen = store_col_int64(s, 19);
        out->amount_fen = store_col_int64(s, 20);
        out->members_counted = (int)store_col_int64(s, 21);
        out->is_eligible = (int)store_col_int64(s, 22);
        out->version = store_col_int64(s, 23);
        out->state_since = store_col_dup(s, 25, a);
        out->due_on = store_col_dup(s, 26, a);
        out->has_near_relative = (int)store_col_int64(s, 27);
        out->near_relative_note = store_col_dup(s, 28, a);
        out->publicity_start = store_col_dup(s, 29, a);
        out->publicity_end = store_col_dup(s, 30, a);
        out->publicity_round = (int)store_col_int64(s, 31);
        out->received_on = store_col_dup(s, 32, a);
        out->extension_reason = store_col_dup(s, 33, a);
        out->notified_on = store_col_dup(s, 34, a);
        out->channel = store_col_dup(s, 36, a);
        out->accepted_on = store_col_dup(s, 37, a);
        out->statement_zh = store_col_dup(s, 38, a);
        const char *phone4 = store_col_text(s, 39);
        out->contact_phone_masked =
            phone4 && *phone4 ? ms_arena_printf(a, "*******%s", phone4) : "";
        out->is_overdue = is_overdue(out->due_on);
    }
    store_reset(s);
    if (rc == STORE_DONE)
        return assistance__case_not_found(err, id);
    return rc < 0 ? rc : 0;
}

static int read_members(struct store *st, struct ms_arena *a, struct assistance_case *out,
                        struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    int32_t birth, today = ms_date_today_cst();
    out->members = ms_arena_calloc(a, ASSISTANCE_MAX_MEMBERS, sizeof(*out->members));
    if (store_prepare(st, assistance_sql_members_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_members < ASSISTANCE_MAX_MEMBERS) {
        struct assistance_member *m = &out->members[out->n_members++];
        m->code = store_col_dup(s, 0, a);
        m->name = store_col_dup(s, 1, a);
        m->relation = store_col_dup(s, 2, a);
        m->exclusion_reason = store_col_dup(s, 3, a);
        m->status = store_col_dup(s, 4, a);
        m->is_counted = (int)store_col_int64(s, 5);
        m->disability_grade = (int)store_col_int64(s, 6);
        m->has_major_illness = (int)store_col_int64(s, 7);
        m->is_student = (int)store_col_int64(s, 8);
        if (ms_date_parse(store_col_text(s, 9), &birth, NULL) == 0 && birth <= today)
            m->age = ms_date_age_on(birth, today);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int read_lines(struct store *st, struct ms_arena *a, struct assistance_case *out,
                      struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    out->incomes = ms_arena_calloc(a, ASSISTANCE_MAX_LINES, sizeof(*out->incomes));
    if (store_prepare(st, assistance_sql_incomes_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_incomes < ASSISTANCE_MAX_LINES) {
        struct assistance_income *x = &out->incomes[out->n_incomes++];
        x->code = store_col_dup(s, 0, a);
        x->kind = store_col_dup(s, 1, a);
        x->amount_fen = store_col_int64(s, 2);
        x->months = (int)store_col_int64(s, 3);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    out->assets = ms_arena_calloc(a, ASSISTANCE_MAX_LINES, sizeof(*out->assets));
    if (store_prepare(st, assistance_sql_assets_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_assets < ASSISTANCE_MAX_LINES) {
        struct assistance_asset *x = &out->assets[out->n_assets++];
        x->code = store_col_dup(s, 0, a);
        x->kind = store_col_dup(s, 1, a);
        x->note = store_col_dup(s, 2, a);
        x->value_fen = store_col_int64(s, 3);
        x->quantity = (int)store_col_int64(s, 4);
        x->is_exempt = (int)store_col_int64(s, 5);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int read_outcome(struct store *st, struct ms_arena *a, struct assistance_case *out,
                        struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_decision_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->decision = store_col_dup(s, 0, a);
        out->decision_reason_zh = store_col_dup(s, 1, a);
        out->decided_on = store_col_dup(s, 2, a);
        out->decided_by = store_col_dup(s, 3, a);
    }
    store_reset(s);
    if (rc < 0 || store_prepare(st, assistance_sql_enrolment_of_case, &s, err) < 0)
        return rc < 0 ? rc : err->code;
    store_bind_int64(s, 1, out->id);
    rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->enrolment_id = store_col_int64(s, 0);
        out->enrolment_amount_fen = store_col_int64(s, 1);
        out->start_period = store_col_dup(s, 2, a);
        out->enrolment_payee = store_col_dup(s, 3, a);
        out->enrolment_bank_masked = bank_masked(a, store_col_text(s, 4));
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance_case_get(struct store *st, const char *scope, int64_t id, struct ms_arena *arena,
                        struct assistance_case *out, struct audit_entry *read, struct ms_err *err)
{
    memset(out, 0, sizeof(*out));
    if (assistance__read_case(st, scope, id, arena, out, err) < 0 ||
        read_members(st, arena, out, err) < 0 || read_lines(st, arena, out, err) < 0 ||
        read_outcome(st, arena, out, err) < 0 ||
        assistance_means_check(st, out->id, out->income_period, arena, &out->means, err) < 0 ||
        /* The determinations first: every scheme's part is read (assistance_scheme.c). */
        read_determinations(st, arena, out, err) < 0 ||
        assistance__scheme_read(st, arena, out, err) < 0 ||
        assistance_case_steps(st, out->id, arena, &out->steps, &out->n_steps, err) < 0)
        return err->code;
    memset(read, 0, sizeof(*read));
    read->action = "assistance.case.read";
    read->object_type = "assistance_case";
    read->object_id = ms_arena_printf(arena, "%lld", (long long)out->id);
    read->subject = out->applicant_code;
    read->result = "ok";
    return 0;
}

/* A state of assistance_states. */
static int check_status(struct store *st, const char *status, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_state_exists, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, status);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc == STORE_ROW)
        return 0;
    if (rc < 0)
        return rc;
    return assistance__bad(err, MS_EFIELD, "status", "状态无效（见 assistance_states）",
                           "unknown status (see assistance_states)");
}

int assistance_case_list(struct store *st, const char *scope, const char *status, int page,
                         int page_size, struct ms_arena *arena, struct assistance_case_item **items,
                         size_t *n, struct audit_entry *read, struct ms_err *err)
{
    struct assistance_case_filter f = {
        .status = status, .page = page, .page_size = page_size};
    return assistance_case_list_filtered(st, scope, &f, arena, items, n, read, err);
}

int assistance_case_list_filtered(struct store *st, const char *scope,
                                  const struct assistance_case_filter *f, struct ms_arena *arena,
                                  struct assistance_case_item **items, size_t *n,
                                  struct audit_entry *read, struct ms_err *err)
{
    char lo[16], hi[16], today[MS_DATE_BUF];
    struct store_stmt *s;
    int rc, page = f->page, page_size = f->page_size;
    const char *status = f->status;
    if (page < 1 || page_size < 1 || page_size > 100)
        return assistance__bad(err, MS_EFIELD, page < 1 ? "page" : "page_size",
                               "页码或每页条数超出范围", "page or page_size out of range");
    if (f->channel && strcmp(f->channel, "window") && strcmp(f->channel, "online"))
        return assistance__bad(err, MS_EFIELD, "channel", "渠道应为 window 或 online",
                               "channel is window or online");
    if ((status && check_status(st, status, err) < 0) ||
        registry_scope_bounds(scope ? scope : "", lo, hi, err) < 0 ||
        store_prepare(st, assistance_sql_case_list, &s, err) < 0)
        return err->code;
    ms_date_format(ms_date_today_cst(), today);
    store_bind_text(s, 1, lo);
    store_bind_text(s, 2, hi);
    store_bind_text(s, 3, status ? status : "");
    store_bind_text(s, 4, status ? status : "~");
    /* overdue: a due date ('0' and up, never '') before today */
    store_bind_text(s, 5, f->only_overdue ? "0" : "");
    store_bind_text(s, 6, f->only_overdue ? today : "~");
    store_bind_text(s, 7, f->channel ? f->channel : "");
    store_bind_text(s, 8, f->channel ? f->channel : "~");
    store_bind_int64(s, 9, page_size);
    store_bind_int64(s, 10, (int64_t)(page - 1) * page_size);
    *items = ms_arena_calloc(arena, (size_t)page_size, sizeof(**items));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct assistance_case_item *x = &(*items)[(*n)++];
        x->id = store_col_int64(s, 0);
        x->scheme = store_col_dup(s, 1, arena);
        x->status = store_col_dup(s, 2, arena);
        x->household_number = store_col_dup(s, 3, arena);
        x->applicant_code = store_col_dup(s, 4, arena);
        x->applicant_name = store_col_dup(s, 5, arena);
        x->applied_on = store_col_dup(s, 6, arena);
        x->amount_fen = store_col_int64(s, 7);
        x->is_eligible = (int)store_col_int64(s, 8);
        x->due_on = store_col_dup(s, 9, arena);
        x->is_overdue = is_overdue(x->due_on);
        x->channel = store_col_dup(s, 10, arena);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    memset(read, 0, sizeof(*read));
    read->action = "assistance.case.list";
    read->object_type = "assistance_case";
    read->object_id = "list";
    read->result = "ok";
    read->detail =
        ms_arena_printf(arena, "status=%s overdue=%d channel=%s page=%d rows=%zu",
                        status ? status : "", f->only_overdue, f->channel ? f->channel : "", page,
                        *n);
    return 0;
}
