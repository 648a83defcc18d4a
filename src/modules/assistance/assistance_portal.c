/*
 * assistance_portal.c - a resident following their own applications (办事进度)
 * on the portal: the list, and one application as steps in the resident's
 * words, mapped from the case's state and events.
 *
 * Only the applicant's own cases are found (applicant_id is the session's
 * resident; any other id is MS_ENOTFOUND, as if it did not exist), and only
 * what concerns them leaves: the schemes, the status, the steps with their
 * dates, the due date of the current step, the decision and its reasons,
 * the written notice once given, the amounts approved, the bank account's
 * and phone's last four digits. Never the staff's names, the investigators,
 * other people's data or ID numbers. Each read is audited with the
 * resident as subject, like the portal's `me`.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "store/store.h"

#include "core/banned.h"

#define PORTAL_MAX_APPLICATIONS 50

/* The steps a resident sees, in order. The last is the outcome: enrolled,
 * refused or declined, whichever the case came to. */
enum {
    S_SUBMITTED,
    S_ACCEPTED,
    S_INVESTIGATION,
    S_VISIT,
    S_TOWN,
    S_PUBLICITY,
    S_DISTRICT,
    S_DECISION,
    S_OUTCOME,
    S_COUNT
};

static const struct {
    const char *step, *title_zh, *title_en;
} steps[S_COUNT] = {
    {"submitted", "已提交", "Submitted"},
    {"accepted", "已受理", "Accepted"},
    {"investigation", "调查核实", "Investigation"},
    {"home_visit", "入户调查", "Home visit"},
    {"town_review", "乡镇审核", "Town review"},
    {"publicity", "张榜公示", "Public notice"},
    {"district_review", "区县审批", "District approval"},
    {"decision", "审批结果", "Decision"},
    {"enrolled", "纳入保障", "Enrolled"},
};

/* A case's state in the resident's words, and the step it is at (S_COUNT:
 * every step done). */
static const struct {
    const char *state, *zh, *en;
    int current;
} states[] = {
    {"submitted", "已提交，等待乡镇（街道）受理", "Submitted, waiting to be accepted", S_ACCEPTED},
    {"draft", "已受理，即将调查核实", "Accepted, the investigation starts soon", S_INVESTIGATION},
    {"computed", "已受理，即将调查核实", "Accepted, the investigation starts soon",
     S_INVESTIGATION},
    {"investigating", "调查核实中", "Being investigated", S_INVESTIGATION},
    {"visited", "已入户调查，等待乡镇（街道）审核", "Home visit done, waiting for the town review",
     S_TOWN},
    {"town_reviewed", "乡镇（街道）已审核，即将公示", "Town review done, to be published",
     S_PUBLICITY},
    {"publicity", "公示中", "Public notice running", S_PUBLICITY},
    {"reinvestigating", "公示异议复查中", "An objection is being checked", S_PUBLICITY},
    {"district_review", "区县审批中", "Waiting for the district's decision", S_DISTRICT},
    {"approved", "已批准，即将纳入保障", "Approved, to be enrolled", S_OUTCOME},
    {"enrolled", "已纳入保障", "Enrolled", S_COUNT},
    {"stopped", "已停止保障", "Stopped", S_COUNT},
    {"refused", "不予批准", "Refused", S_COUNT},
    {"declined", "不予受理", "Declined", S_COUNT},
};

static int state_of(const char *state)
{
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (!strcmp(states[i].state, state))
            return (int)i;
    return 1; /* an unknown state reads as accepted: never more than is known */
}

/* The step a procedure action completes, or -1. */
static int step_of_action(const char *action)
{
    static const struct {
        const char *action;
        int step;
    } map[] = {
        {"submit", S_SUBMITTED},
        {"create", S_ACCEPTED},
        {"accept", S_ACCEPTED},
        {"investigate", S_INVESTIGATION},
        {"visit", S_VISIT},
        {"town_review", S_TOWN},
        {"publish", S_PUBLICITY},
        {"republish", S_PUBLICITY},
        {"close_publicity", S_DISTRICT},
        {"pay_first", S_DISTRICT},
        {"approve", S_DECISION},
        {"refuse", S_DECISION},
        {"enrol", S_OUTCOME},
        {"decline", S_OUTCOME},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].action, action))
            return map[i].step;
    return -1;
}

static int resident_code(struct store *st, int64_t resident_id, struct ms_arena *a,
                         const char **code, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_resident_household, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, resident_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *code = ms_arena_strdup(a, store_col_text(s, 1));
    store_reset(s);
    if (rc == STORE_DONE)
        return ms_err_set(err, MS_ENOTFOUND, "resident not found");
    return rc < 0 ? rc : 0;
}

static int load_schemes(struct store *st, int64_t id, struct ms_arena *a, const char ***out,
                        size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    *n = 0;
    *out = ms_arena_calloc(a, 4, sizeof(**out));
    if (store_prepare(st, assistance_sql_portal_schemes, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < 4)
        (*out)[(*n)++] = ms_arena_strdup(a, store_col_text(s, 0));
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static void set_status(struct assistance_portal_app *x, const char *status)
{
    int k = state_of(status);
    x->status = states[k].state;
    x->status_zh = states[k].zh;
    x->status_en = states[k].en;
    int cur = states[k].current;
    x->current_step = cur < S_COUNT ? steps[cur].step : "";
    x->current_title_zh = cur < S_COUNT ? steps[cur].title_zh : "";
    x->current_title_en = cur < S_COUNT ? steps[cur].title_en : "";
}

int assistance_portal_list(struct store *st, int64_t resident_id, struct ms_arena *arena,
                           struct assistance_portal_app **items, size_t *n,
                           struct audit_entry *read, struct ms_err *err)
{
    struct store_stmt *s;
    const char *code = "";
    int rc;
    *n = 0;
    *items = ms_arena_calloc(arena, PORTAL_MAX_APPLICATIONS, sizeof(**items));
    if (resident_code(st, resident_id, arena, &code, err) < 0 ||
        store_prepare(st, assistance_sql_portal_cases, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, resident_id);
    store_bind_int64(s, 2, PORTAL_MAX_APPLICATIONS);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct assistance_portal_app *x = &(*items)[(*n)++];
        x->id = store_col_int64(s, 0);
        set_status(x, store_col_text(s, 2));
        x->channel = ms_arena_strdup(arena, store_col_text(s, 3));
        x->applied_on = ms_arena_strdup(arena, store_col_text(s, 4));
        x->due_on = x->current_step[0] ? ms_arena_strdup(arena, store_col_text(s, 6)) : "";
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if (load_schemes(st, (*items)[i].id, arena, &(*items)[i].schemes, &(*items)[i].n_schemes,
                         err) < 0)
            return err->code;
    *read = (struct audit_entry){.action = "assistance.portal.list",
                                 .object_type = "assistance_case",
                                 .object_id = "list",
                                 .subject = code,
                                 .result = "ok",
                                 .detail = ms_arena_printf(arena, "rows=%zu", *n)};
    return 0;
}

/* The steps from the case's state and events: done before the current
 * one, dated by the last event that completed each. */
static void build_steps(const struct assistance_case *c, struct assistance_portal_app *x,
                        struct ms_arena *a)
{
    const char *on[S_COUNT] = {0};
    int k = state_of(c->status), cur = states[k].current;
    on[S_SUBMITTED] = c->applied_on;
    on[S_ACCEPTED] = c->accepted_on;
    for (size_t i = 0; i < c->n_steps; i++) {
        int st = step_of_action(c->steps[i].action);
        if (st > S_ACCEPTED || (st == S_ACCEPTED && !strcmp(c->steps[i].action, "accept")))
            on[st] = c->steps[i].on;
    }
    int is_declined = !strcmp(c->status, "declined");
    x->steps = ms_arena_calloc(a, S_COUNT, sizeof(*x->steps));
    x->n_steps = 0;
    for (int i = 0; i < S_COUNT; i++) {
        if (is_declined && i != S_SUBMITTED && i != S_OUTCOME)
            continue; /* never accepted: nothing in between happened */
        struct assistance_portal_step *p = &x->steps[x->n_steps++];
        p->step = steps[i].step;
        p->title_zh = steps[i].title_zh;
        p->title_en = steps[i].title_en;
        if (i == S_OUTCOME && is_declined) {
            p->step = "declined";
            p->title_zh = "不予受理";
            p->title_en = "Declined";
        } else if (i == S_OUTCOME && !strcmp(c->status, "refused")) {
            p->step = "refused";
            p->title_zh = "不予批准";
            p->title_en = "Refused";
            on[i] = on[S_DECISION];
        }
        p->state = i < cur ? "done" : i == cur ? "current" : "pending";
        p->on = i <= cur && on[i] && *on[i] ? on[i] : "";
        if (i == cur)
            p->due_on = c->due_on;
    }
}

static const char *decline_reason(const struct assistance_case *c, const char **on)
{
    for (size_t i = c->n_steps; i-- > 0;)
        if (!strcmp(c->steps[i].action, "decline")) {
            *on = c->steps[i].on;
            return c->steps[i].note;
        }
    return "";
}

static void fill_outcome(const struct assistance_case *c, struct assistance_portal_app *x,
                         struct ms_arena *a)
{
    if (!strcmp(c->status, "declined")) {
        x->decision = "decline";
        x->decision_reason_zh = decline_reason(c, &x->decided_on);
    } else if (c->decision) {
        x->decision = c->decision;
        x->decision_reason_zh = c->decision_reason_zh;
        x->decided_on = c->decided_on;
    }
    x->benefits =
        ms_arena_calloc(a, c->n_determinations ? c->n_determinations : 1, sizeof(*x->benefits));
    for (size_t i = 0; i < c->n_determinations; i++) {
        const struct assistance_determination *d = &c->determinations[i];
        if (strcmp(d->status, "approved"))
            continue;
        struct assistance_portal_benefit *b = &x->benefits[x->n_benefits++];
        b->scheme = d->scheme;
        b->title_zh = assistance__scheme_title(d->scheme);
        b->amount_fen = d->amount_fen;
        b->is_one_off = assistance__scheme(d->scheme) && assistance__scheme(d->scheme)->is_one_off;
    }
}

int assistance_portal_get(struct store *st, int64_t resident_id, int64_t id, struct ms_arena *arena,
                          struct assistance_portal_app *out, struct audit_entry *read,
                          struct ms_err *err)
{
    struct store_stmt *s;
    struct assistance_case c;
    struct audit_entry unused;
    const char *code = "";
    memset(out, 0, sizeof(*out));
    if (resident_code(st, resident_id, arena, &code, err) < 0 ||
        store_prepare(st, assistance_sql_portal_case, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_int64(s, 2, resident_id);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return assistance__case_not_found(err, id); /* someone else's: as if none */
    if (assistance_case_get(st, "", id, arena, &c, &unused, err) < 0 ||
        load_schemes(st, id, arena, &out->schemes, &out->n_schemes, err) < 0)
        return err->code;
    out->id = c.id;
    set_status(out, c.status);
    out->channel = c.channel;
    out->applied_on = c.applied_on;
    out->accepted_on = c.accepted_on;
    out->due_on = out->current_step[0] ? c.due_on : "";
    out->statement_zh = c.statement_zh;
    out->contact_phone_masked = c.contact_phone_masked;
    out->bank_account_masked = c.bank_account_masked;
    build_steps(&c, out, arena);
    fill_outcome(&c, out, arena);
    if (c.notified_on[0]) {
        struct assistance_notice notice;
        if (assistance_case_notice(st, "", id, arena, &notice, &unused, err) < 0)
            return err->code;
        out->notice_text_zh = notice.text_zh;
        out->notified_on = notice.notified_on;
    }
    *read = (struct audit_entry){.action = "assistance.portal.read",
                                 .object_type = "assistance_case",
                                 .object_id = ms_arena_printf(arena, "%lld", (long long)id),
                                 .subject = code,
                                 .result = "ok"};
    return 0;
}
