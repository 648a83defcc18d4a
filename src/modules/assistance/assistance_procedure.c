/*
 * assistance_procedure.c - the procedure's steps between acceptance and the
 * district's decision (rules.md §1.5, §1.8; docs/assistance.md "The
 * procedure"): investigation, home visit by at least two investigators
 * with the family's signature, town review, publicity with objections and
 * the further notice, the district's spot visit, going back with a reason,
 * the extension of the time limit and the written notice. Which step may
 * follow which is the transitions table; what each step must carry is
 * checked here. Each step is one store_tx(): the case's procedure columns,
 * the move with its due date, the event and the audit entry.
 */
#include "modules/assistance/assistance.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "modules/assistance/assistance_due.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

/* The text each step carries, under which name, and whether it must. */
static const struct {
    const char *action, *field;
    int is_required;
} step_texts[] = {
    {"visit", "note_zh", 0},       {"spot_visit", "note_zh", 0},   {"town_review", "opinion_zh", 1},
    {"object", "objection_zh", 1}, {"republish", "finding_zh", 1}, {"return", "reason_zh", 1},
    {"extend", "reason_zh", 1},    {"notify", "note_zh", 0},       {"decline", "reason_zh", 1},
};

const char *assistance_step_text_field(const char *action)
{
    for (size_t i = 0; action && i < sizeof(step_texts) / sizeof(step_texts[0]); i++)
        if (!strcmp(step_texts[i].action, action))
            return step_texts[i].field;
    return NULL;
}

static int text_required(const char *action)
{
    for (size_t i = 0; i < sizeof(step_texts) / sizeof(step_texts[0]); i++)
        if (!strcmp(step_texts[i].action, action))
            return step_texts[i].is_required;
    return 0;
}

/* At least two investigators, each a platform user not disabled, no one
 * twice (rules.md §1.5: 每组调查人员不少于 2 人). */
static int check_investigators(struct store *st, const struct assistance_step_in *in,
                               struct ms_err *err)
{
    struct store_stmt *s;
    char f[48];
    if (in->n_investigators < 2)
        return assistance__bad(err, in->n_investigators ? MS_EFIELD : MS_EMISSING, "investigators",
                               "入户调查人员不得少于 2 人",
                               "a visit needs at least two investigators (rules.md §1.5)");
    if (in->n_investigators > 10)
        return assistance__bad(err, MS_EFIELD, "investigators", "调查人员过多",
                               "at most ten investigators");
    for (size_t i = 0; i < in->n_investigators; i++) {
        const char *u = in->investigators[i] ? in->investigators[i] : "";
        snprintf(f, sizeof(f), "investigators[%zu]", i);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(u, in->investigators[j]))
                return assistance__bad(err, MS_EFIELD, f, "同一调查人员不能重复登记",
                                       "the same investigator is listed twice");
        if (store_prepare(st, assistance_sql_user_active, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, u);
        int rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
        if (rc == STORE_DONE)
            return assistance__bad(err, MS_EFIELD, f, "调查人员须为在用的工作人员账号",
                                   "an investigator is an active staff user");
    }
    return 0;
}

static int days_after(const char *start, int days, char out[MS_DATE_BUF], struct ms_err *err)
{
    int32_t d;
    if (ms_date_parse(start, &d, err) < 0)
        return err->code;
    ms_date_format(d + days, out);
    return 0;
}

static int conflict(struct ms_err *err, const char *field, const char *zh, const char *en)
{
    return assistance__bad(err, MS_ECONFLICT, field, zh, en);
}

/* What the step changes on the case before it moves; the row is updated in
 * memory so that the move's due date sees it. */
static int apply_step(struct store *st, const struct assistance_step_in *in, const char *on,
                      struct assistance__row *row, struct ms_err *err)
{
    const char *a = in->action;
    struct assistance_limits lim;
    if (!strcmp(a, "visit") || !strcmp(a, "spot_visit")) {
        if (check_investigators(st, in, err) < 0)
            return err->code;
        if (!strcmp(a, "visit") && !in->family_signed)
            return assistance__bad(err, MS_EFIELD, "family_signed",
                                   "入户调查表须经在场家庭成员签字",
                                   "the family members present sign the home-visit form");
    } else if (!strcmp(a, "town_review")) {
        if (!row->computed_on[0])
            return conflict(err, "computation", "初审前须先核算",
                            "compute the case before the town review");
    } else if (!strcmp(a, "publish") || !strcmp(a, "republish")) {
        int is_first = !strcmp(a, "publish");
        if (assistance_limits_load(st, row->scheme, on, &lim, err) < 0)
            return err->code;
        snprintf(row->publicity_start, sizeof(row->publicity_start), "%s", on);
        if (days_after(on, (is_first ? lim.publicity_days : lim.further_publicity_days) - 1,
                       row->publicity_end, err) < 0)
            return err->code;
        row->publicity_round = is_first ? 1 : row->publicity_round + 1;
    } else if (!strcmp(a, "object")) {
        if (strcmp(on, row->publicity_end) > 0)
            return conflict(err, "on", "公示期已满，不能再登记公示异议",
                            "the publicity is over: an objection is recorded during it");
    } else if (!strcmp(a, "close_publicity")) {
        if (strcmp(on, row->publicity_end) <= 0)
            return conflict(err, "publicity_end", "公示期未满", "the publicity is not over yet");
        snprintf(row->received_on, sizeof(row->received_on), "%s", on);
    } else if (!strcmp(a, "return")) {
        /* Back to the town: its review and a new publicity come again. */
        row->publicity_start[0] = row->publicity_end[0] = row->received_on[0] = '\0';
        row->publicity_round = 0;
    } else if (!strcmp(a, "extend")) {
        if (row->is_extended)
            return conflict(err, "reason_zh", "办理期限已延长过", "the limit was extended before");
        snprintf(row->extension_reason, sizeof(row->extension_reason), "%s", in->text_zh);
        row->is_extended = 1;
    } else if (!strcmp(a, "pay_first")) {
        int is_pay_first = 0;
        if (assistance__is_pay_first(st, row->scheme, row->id, &is_pay_first, err) < 0)
            return err->code;
        if (!is_pay_first)
            return conflict(err, "action", "只有申请先行救助的急难型临时救助可以先救助后补材料",
                            "only emergency temporary assistance declared pay_first is paid first");
        /* The move skips the procedure for the whole application: not when
         * another scheme is asked for too (an application taken before
         * that was refused at application). */
        int64_t n_schemes = 0;
        if (assistance__scheme_count(st, row->id, &n_schemes, err) < 0)
            return err->code;
        if (n_schemes > 1)
            return conflict(err, "schemes",
                            "同时申请了其他救助项目，须按完整程序办理，不能先行救助",
                            "another scheme is asked for too: the whole procedure applies");
        /* The district computes and approves next; its approval checks
         * the amount against the town limit (pay_first_over_town_limit). */
        snprintf(row->received_on, sizeof(row->received_on), "%s", on);
    } else if (!strcmp(a, "accept")) {
        /* 受理: the time limits count from here (assistance__case_move()). */
        snprintf(row->accepted_on, sizeof(row->accepted_on), "%s", on);
    } else if (!strcmp(a, "decline")) {
        /* 不予受理: the members are free for another application. */
        struct store_stmt *r;
        if (store_prepare(st, assistance_sql_counted_release, &r, err) < 0)
            return err->code;
        store_bind_int64(r, 1, row->id);
        if (assistance__step_once(r, err) < 0)
            return err->code;
    } else if (!strcmp(a, "notify")) {
        if (row->notified_on[0])
            return conflict(err, "on", "已书面告知", "the written notice was recorded before");
        snprintf(row->notified_on, sizeof(row->notified_on), "%s", on);
    }
    struct store_stmt *s;
    if (store_prepare(st, assistance_sql_case_set_procedure, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, row->publicity_start);
    store_bind_text(s, 2, row->publicity_end);
    store_bind_int64(s, 3, row->publicity_round);
    store_bind_text(s, 4, row->received_on);
    store_bind_text(s, 5, row->extension_reason);
    store_bind_text(s, 6, row->notified_on);
    store_bind_text(s, 7, row->accepted_on);
    store_bind_int64(s, 8, row->id);
    return assistance__step_once(s, err);
}

static char *step_detail(const struct assistance_step_in *in, const struct assistance__row *row)
{
    json_t *o = json_object();
    if (in->n_investigators) {
        json_t *arr = json_array();
        for (size_t i = 0; i < in->n_investigators; i++)
            json_array_append_new(arr, json_string(in->investigators[i]));
        json_object_set_new(o, "investigators", arr);
    }
    if (!strcmp(in->action, "visit"))
        json_object_set_new(o, "family_signed", json_boolean(in->family_signed));
    if (in->text_zh && *in->text_zh)
        json_object_set_new(o, "text_zh", json_string(in->text_zh));
    if (!strcmp(in->action, "publish") || !strcmp(in->action, "republish")) {
        json_object_set_new(o, "publicity_start", json_string(row->publicity_start));
        json_object_set_new(o, "publicity_end", json_string(row->publicity_end));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

struct step_ctx {
    const char *scope, *on;
    int64_t id;
    const struct assistance_step_in *in;
    const struct ms_actor *actor;
    struct assistance_step_out out;
};

static int step_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct step_ctx *c = ctx;
    const struct assistance_step_in *in = c->in;
    struct assistance__row row;
    char to[24], audit_action[64];
    int needs_reason = 0, needs_decide = 0;
    if (assistance__case_load(st, c->scope, c->id, &row, err) < 0 ||
        assistance__next_state(st, &row, in->action, to, &needs_reason, &needs_decide, err) < 0)
        return err->code;
    if (needs_decide && !in->may_decide)
        return assistance__bad(err, MS_EFORBIDDEN, "action", "此步骤须由区县审核确认机关办理",
                               "this step is the district's");
    if ((needs_reason || text_required(in->action)) && (!in->text_zh || !*in->text_zh)) {
        const char *f = assistance_step_text_field(in->action);
        return assistance__bad(err, MS_EMISSING, f ? f : "reason_zh", "此步骤须写明理由或意见",
                               "this step needs its reasons or opinion in writing");
    }
    if (strcmp(c->on, row.state_since) < 0 || strcmp(c->on, row.applied_on) < 0)
        return assistance__bad(err, MS_EFIELD, "on", "日期不能早于上一步骤的日期",
                               "the date is before the previous step");
    if (apply_step(st, in, c->on, &row, err) < 0)
        return err->code;
    char *detail = step_detail(in, &row);
    struct assistance__move m = {
        .action = in->action, .on = c->on, .note = in->text_zh, .detail_json = detail};
    int rc = assistance__case_move(st, &row, &m, c->actor, err);
    if (rc == 0) {
        snprintf(c->out.status, sizeof(c->out.status), "%s", row.status);
        snprintf(c->out.due_on, sizeof(c->out.due_on), "%s", row.due_on);
        snprintf(audit_action, sizeof(audit_action), "assistance.case.%s", in->action);
        rc = assistance__audit_case(st, c->actor, audit_action, row.id, row.applicant_code,
                                    detail ? detail : "", err);
    }
    free(detail);
    return rc;
}

int assistance_case_step(struct store *st, const char *scope, int64_t id,
                         const struct assistance_step_in *in, const struct ms_actor *actor,
                         struct assistance_step_out *out, struct ms_err *err)
{
    char on[MS_DATE_BUF];
    static const char *const actions[] = {
        "investigate",     "visit",      "town_review", "publish", "object", "republish",
        "close_publicity", "spot_visit", "return",      "extend",  "notify", "pay_first",
        "accept",          "decline",    NULL};
    int known = 0;
    for (size_t i = 0; in->action && actions[i]; i++)
        known = known || !strcmp(actions[i], in->action);
    if (!known)
        return assistance__bad(err, MS_EFIELD, "action", "未知的办理步骤", "unknown step");
    if (in->text_zh && ms_utf8_chars(in->text_zh) > 500)
        return assistance__bad(err, MS_EFIELD, assistance_step_text_field(in->action),
                               "内容不能超过 500 字", "at most 500 characters");
    if (assistance__date_or_today("on", in->on, on, err) < 0)
        return err->code;
    struct step_ctx c = {.scope = scope, .on = on, .id = id, .in = in, .actor = actor};
    int rc = store_tx(st, step_tx, &c, err);
    if (rc == 0 && out)
        *out = c.out;
    return rc;
}

/* --- what the screen offers ---------------------------------------------------------- */

int assistance_case_action_applies(const struct assistance_case *c, const char *action)
{
    if (!strcmp(action, "notify"))
        return !c->notified_on[0]; /* given once */
    if (!strcmp(action, "pay_first"))
        return c->linshi && c->linshi->is_pay_first && c->n_determinations <= 1;
    return 1;
}

int assistance_case_actions(struct store *st, const char *status, struct ms_arena *arena,
                            struct assistance_action **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    size_t cap = 16;
    *n = 0;
    *out = ms_arena_calloc(arena, cap, sizeof(**out));
    if (store_prepare(st, assistance_sql_transitions_from, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, status);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < cap) {
        struct assistance_action *x = &(*out)[(*n)++];
        x->action = ms_arena_strdup(arena, store_col_text(s, 0));
        x->to_state = ms_arena_strdup(arena, store_col_text(s, 1));
        x->permission = ms_arena_strdup(arena, store_col_text(s, 2));
        x->needs_reason = (int)store_col_int64(s, 3);
        x->title_zh = ms_arena_strdup(arena, store_col_text(s, 4));
        x->title_en = ms_arena_strdup(arena, store_col_text(s, 5));
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance_case_steps(struct store *st, int64_t id, struct ms_arena *arena,
                          struct assistance_step **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    size_t cap = 16;
    *n = 0;
    *out = ms_arena_calloc(arena, cap, sizeof(**out));
    if (store_prepare(st, assistance_sql_events_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct assistance_step *more = ms_arena_calloc(arena, cap * 2, sizeof(*more));
            memcpy(more, *out, cap * sizeof(*more));
            *out = more;
            cap *= 2;
        }
        struct assistance_step *x = &(*out)[(*n)++];
        x->action = ms_arena_strdup(arena, store_col_text(s, 0));
        x->from_state = ms_arena_strdup(arena, store_col_text(s, 1));
        x->to_state = ms_arena_strdup(arena, store_col_text(s, 2));
        x->on = ms_arena_strdup(arena, store_col_text(s, 3));
        x->due_on = ms_arena_strdup(arena, store_col_text(s, 4));
        x->note = ms_arena_strdup(arena, store_col_text(s, 5));
        x->detail_json = ms_arena_strdup(arena, store_col_text(s, 6));
        x->by = ms_arena_strdup(arena, store_col_text(s, 7));
        x->at = ms_arena_strdup(arena, store_col_text(s, 8));
        x->is_late = x->due_on[0] && x->on[0] && strcmp(x->on, x->due_on) > 0;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* --- the written notice (书面告知) ----------------------------------------------------- */

int assistance__start_period(struct store *st, const char *scheme, const char *decided_on,
                             char out[MS_PERIOD_BUF], struct ms_err *err)
{
    const struct assistance_scheme *sc = assistance__scheme(scheme);
    int64_t after = 0;
    int32_t day, start;
    if (!sc)
        return assistance__bad(err, MS_ECONFLICT, "scheme", "未知的救助项目", "unknown scheme");
    if (ms_date_parse(decided_on, &day, err) < 0 ||
        policy_get_int(st, sc->start_key, decided_on, &after, err) < 0)
        return err->code;
    if (ms_date_add_months(ms_date_month_start(day), (int)after, &start) < 0)
        return assistance__bad(err, MS_EFIELD, "decided_on", "日期超出范围", "date out of range");
    ms_date_format_period(start, out);
    return 0;
}

const char *assistance__scheme_title(const char *code)
{
    static const char *const titles[][2] = {
        {"dibao", "最低生活保障"}, {"tekun", "特困人员救助供养"}, {"linshi", "临时救助"}};
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
        if (!strcmp(titles[i][0], code))
            return titles[i][1];
    return code;
}

struct notice_line {
    char scheme[16], status[16], decided_on[MS_DATE_BUF];
    int64_t amount_fen;
    const char *reason_zh;
};

/* The notice of a decided case, in Chinese, plain text for printing. */
static int notice_text(struct store *st, const struct assistance__row *row, struct ms_arena *a,
                       struct assistance_notice *out, struct ms_err *err)
{
    struct store_stmt *s;
    struct notice_line l[8];
    size_t n = 0, approved = 0;
    int rc;
    if (store_prepare(st, assistance_sql_determinations_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, row->id);
    while ((rc = store_step(s, err)) == STORE_ROW && n < 8) {
        snprintf(l[n].scheme, sizeof(l[n].scheme), "%s", store_col_text(s, 0));
        snprintf(l[n].status, sizeof(l[n].status), "%s", store_col_text(s, 1));
        l[n].amount_fen = store_col_int64(s, 5);
        snprintf(l[n].decided_on, sizeof(l[n].decided_on), "%s", store_col_text(s, 7));
        l[n].reason_zh = ms_arena_strdup(a, store_col_text(s, 8));
        approved += !strcmp(l[n].status, "approved");
        n++;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    const char *body = "";
    for (size_t i = 0; i < n; i++) {
        const char *title = assistance__scheme_title(l[i].scheme);
        if (!strcmp(l[i].status, "approved")) {
            char money[MS_MONEY_BUF], start[MS_PERIOD_BUF];
            if (assistance__start_period(st, l[i].scheme, l[i].decided_on, start, err) < 0)
                return err->code;
            const struct assistance_scheme *sc = assistance__scheme(l[i].scheme);
            ms_money_format(l[i].amount_fen, money);
            if (sc && sc->is_one_off)
                body = ms_arena_printf(a, "%s    %s：准予救助，一次性发放 %s 元，于 %s 发放。\n",
                                       body, title, money, start);
            else
                body = ms_arena_printf(a, "%s    %s：准予享受，每月 %s 元，自 %s 起按月发放。\n",
                                       body, title, money, start);
        } else if (!strcmp(l[i].status, "refused"))
            body =
                ms_arena_printf(a, "%s    %s：不予批准。理由：%s\n", body, title, l[i].reason_zh);
        else
            body = ms_arena_printf(a, "%s    %s：该项目的核算尚未提供，另行告知。\n", body, title);
    }
    out->kind = approved ? "approval" : "refusal";
    out->notified_on = ms_arena_strdup(a, row->notified_on);
    out->text_zh = ms_arena_printf(
        a,
        "%s\n\n%s（户号 %s）：\n"
        "    你于 %s 提出的社会救助申请，经调查核实、公示和审核确认，于 %s 决定如下：\n%s"
        "    如对本决定不服，可以依法申请行政复议或者提起行政诉讼。\n\n"
        "重庆市万盛经济技术开发区民政局\n%s\n",
        approved ? "社会救助审核确认通知书" : "不予批准社会救助通知书", row->applicant_name,
        row->household_number, row->applied_on, row->state_since, body, row->state_since);
    return 0;
}

int assistance_case_notice(struct store *st, const char *scope, int64_t id, struct ms_arena *arena,
                           struct assistance_notice *out, struct audit_entry *read,
                           struct ms_err *err)
{
    struct assistance__row row;
    if (assistance__case_load(st, scope, id, &row, err) < 0)
        return err->code;
    /* The decision's date is where the decided states began. */
    if (!strcmp(row.status, "enrolled")) {
        struct store_stmt *s;
        if (store_prepare(st, assistance_sql_decision_get, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, row.id);
        int rc = store_step(s, err);
        if (rc == STORE_ROW)
            snprintf(row.state_since, sizeof(row.state_since), "%s", store_col_text(s, 2));
        store_reset(s);
        if (rc < 0)
            return rc;
    } else if (strcmp(row.status, "approved") && strcmp(row.status, "refused"))
        return conflict(err, "status", "尚未作出审核确认决定，没有告知书",
                        "no decision yet: there is no notice");
    if (notice_text(st, &row, arena, out, err) < 0)
        return err->code;
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    *read = (struct audit_entry){.action = "assistance.case.notice.read",
                                 .object_type = "assistance_case",
                                 .object_id = ms_arena_strdup(arena, oid),
                                 .subject = ms_arena_strdup(arena, row.applicant_code),
                                 .result = "ok",
                                 .detail = ""};
    return 0;
}
