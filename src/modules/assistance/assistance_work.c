/*
 * assistance_work.c - job offers to a member and their refusals (rules.md
 * §1.5; 审核确认办法 第三十四条, 重庆低保条例 第二十九条): refused without a
 * good reason nat.dibao.refuse_job_limit times in a row, the member stops
 * counting from the next month through the change flow
 * (assistance_change.c).
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/policy/policy.h"
#include "store/store.h"

#include "core/banned.h"

static const char *actor_name(const struct ms_actor *actor)
{
    return actor->username ? actor->username : "";
}

struct offer_ctx {
    const char *scope;
    int64_t id;
    const struct assistance_work_offer_in *in;
    const struct ms_actor *actor;
    char offered_on[MS_DATE_BUF];
    int streak;
    int64_t change_id;
};

static int last_streak(struct store *st, const struct assistance__period *p, int64_t rid,
                       int *streak, struct ms_err *err)
{
    struct store_stmt *s;
    *streak = 0;
    if (store_prepare(st, assistance_sql_offer_last, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, p->household_id);
    store_bind_text(s, 2, p->scheme);
    store_bind_int64(s, 3, rid);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *streak = (int)store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* At the limit, the member stops counting from the next month. */
static int cut_share(struct store *st, struct offer_ctx *c, int64_t limit, struct ms_err *err)
{
    char reason[400];
    struct assistance_change_out out;
    snprintf(reason, sizeof(reason),
             "该成员连续 %d 次无正当理由拒绝介绍的工作，依《最低生活保障审核确认办法》第三十四条，"
             "自次月起不再计入其保障份额%s%s",
             (int)limit, c->in->note_zh && *c->in->note_zh ? "：" : "",
             c->in->note_zh ? c->in->note_zh : "");
    struct assistance_change_in ch = {.kind = "work_refusals",
                                      .changed_on = c->offered_on,
                                      .reason_zh = reason,
                                      .resident_code = c->in->resident_code};
    if (assistance__change_apply(st, c->scope, c->id, &ch, c->actor, &out, err) < 0)
        return err->code;
    c->change_id = out.change_id;
    return 0;
}

static int offer_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct offer_ctx *c = ctx;
    struct assistance__period p;
    struct assistance__facts *f = NULL;
    struct store_stmt *s;
    int64_t limit = 3, rid = 0;
    int is_counted = 0, rc;
    char now[32], detail[160];
    c->change_id = 0;
    if (assistance__period_load(st, c->scope, c->id, &p, err) < 0)
        return err->code;
    if (p.has_successor)
        return assistance__enrolment_stale(err, p.id);
    if (strcmp(p.status, "active"))
        return assistance__bad(err, MS_ECONFLICT, "enrolment", "该户已停止保障或处于渐退期",
                               "the benefit has stopped or is in its transition period");
    f = calloc(1, sizeof(*f));
    if (!f)
        abort();
    rc = assistance__facts_load(st, &p, f, err);
    for (size_t i = 0; rc == 0 && i < f->n_members; i++)
        if (!strcmp(f->members[i].code, c->in->resident_code)) {
            rid = f->members[i].resident_id;
            is_counted = f->members[i].is_counted;
        }
    free(f);
    if (rc < 0)
        return rc;
    if (!rid)
        return assistance__bad(err, MS_EFIELD, "resident", "该人员不是该户保障成员",
                               "the resident is not a member of the household");
    if (last_streak(st, &p, rid, &c->streak, err) < 0 ||
        policy_get_int(st, "nat.dibao.refuse_job_limit", c->offered_on, &limit, err) < 0)
        return err->code;
    /* An accepted offer, or one refused for a good reason, ends the streak. */
    c->streak = c->in->is_accepted || c->in->has_good_reason ? 0 : c->streak + 1;
    if (c->streak >= limit && is_counted && cut_share(st, c, limit, err) < 0)
        return err->code;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_offer_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, p.household_id);
    store_bind_text(s, 2, p.scheme);
    store_bind_int64(s, 3, p.id);
    store_bind_int64(s, 4, rid);
    store_bind_text(s, 5, c->offered_on);
    store_bind_int64(s, 6, c->in->is_accepted != 0);
    store_bind_int64(s, 7, c->in->has_good_reason != 0);
    store_bind_int64(s, 8, c->streak);
    store_bind_text(s, 9, c->in->note_zh ? c->in->note_zh : "");
    if (c->change_id)
        store_bind_int64(s, 10, c->change_id);
    else
        store_bind_null(s, 10);
    store_bind_text(s, 11, now);
    store_bind_text(s, 12, actor_name(c->actor));
    if (assistance__step_once(s, err) < 0)
        return err->code;
    snprintf(detail, sizeof(detail), "work_offer resident=%s accepted=%d good_reason=%d streak=%d",
             c->in->resident_code, c->in->is_accepted != 0, c->in->has_good_reason != 0,
             c->streak);
    return assistance__audit_enrolment(st, c->actor, "assistance.enrolment.work_offer", p.id,
                                       c->in->resident_code, detail, err);
}

int assistance_work_offer_record(struct store *st, const char *scope, int64_t enrolment_id,
                                 const struct assistance_work_offer_in *in,
                                 const struct ms_actor *actor, int *streak, int64_t *change_id,
                                 struct ms_err *err)
{
    int32_t day = ms_date_today_cst();
    struct offer_ctx c = {.scope = scope, .id = enrolment_id, .in = in, .actor = actor};
    if (!in->resident_code || !*in->resident_code)
        return assistance__bad(err, MS_EMISSING, "resident", "缺少成员", "resident is required");
    if (in->note_zh && ms_utf8_chars(in->note_zh) > 200)
        return assistance__bad(err, MS_EFIELD, "note_zh", "说明不能超过 200 字",
                               "note at most 200 characters");
    if (in->offered_on && assistance__past_date("offered_on", in->offered_on, &day, err) < 0)
        return err->code;
    ms_date_format(day, c.offered_on);
    int rc = store_tx(st, offer_tx, &c, err);
    if (rc == 0) {
        if (streak)
            *streak = c.streak;
        if (change_id)
            *change_id = c.change_id;
    }
    return rc;
}
