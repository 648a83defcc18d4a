/*
 * assistance_util.c - what the assistance module's files share: errors with
 * their field, dates and periods that may not lie in the future, the case's
 * event rows and audit entries.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/seal.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

int assistance__bad(struct ms_err *err, int code, const char *field, const char *zh, const char *en)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

int assistance__case_not_found(struct ms_err *err, int64_t id)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "assistance case %lld not found", (long long)id);
    ms_err_zh(err, "未找到救助申请 %lld", (long long)id);
    return ret;
}

int assistance__past_date(const char *field, const char *text, int32_t *day, struct ms_err *err)
{
    if (!text || ms_date_parse(text, day, NULL) < 0)
        return assistance__bad(err, text ? MS_EFIELD : MS_EMISSING, field,
                               "日期格式应为 YYYY-MM-DD", "expected a date YYYY-MM-DD");
    if (*day > ms_date_today_cst())
        return assistance__bad(err, MS_EFIELD, field, "日期不能晚于今天",
                               "the date is in the future");
    return 0;
}

int assistance__past_period(const char *text, int32_t *first_day, struct ms_err *err)
{
    if (!text || ms_date_parse_period(text, first_day, NULL) < 0)
        return assistance__bad(err, text ? MS_EFIELD : MS_EMISSING, "period",
                               "期间格式应为 YYYY-MM", "expected a period YYYY-MM");
    if (*first_day > ms_date_month_start(ms_date_today_cst()))
        return assistance__bad(err, MS_EFIELD, "period", "不能为未来月份发放",
                               "the period is in the future");
    return 0;
}

/* --- list filters: region within the scope, scheme ------------------------------------- */

/* The prefix to list: the scope narrowed by region. *none when the region
 * lies outside the scope (nothing to list). */
int assistance__narrow(const char *scope, const char *region, struct ms_arena *a,
                       const char **prefix, int *none, struct ms_err *err)
{
    region = region ? region : "";
    scope = scope ? scope : "";
    size_t n = strlen(region);
    *none = 0;
    if (n > 12 || strspn(region, "0123456789") != n)
        return assistance__bad(err, MS_EFIELD, "region", "区划代码应为 1–12 位数字",
                               "region must be 1 to 12 digits");
    size_t s = strlen(scope);
    if (n >= s && strncmp(region, scope, s) == 0)
        *prefix = ms_arena_strdup(a, region);
    else if (strncmp(scope, region, n) == 0)
        *prefix = ms_arena_strdup(a, scope);
    else {
        *prefix = ms_arena_strdup(a, scope);
        *none = 1;
    }
    return 0;
}

int assistance__check_scheme_filter(const char *scheme, struct ms_err *err)
{
    if (!scheme || !*scheme || !strcmp(scheme, "dibao") || !strcmp(scheme, "tekun") ||
        !strcmp(scheme, "linshi"))
        return 0;
    return assistance__bad(err, MS_EFIELD, "scheme", "救助类别应为 dibao、tekun 或 linshi",
                           "scheme must be dibao, tekun or linshi");
}

/* Binds the region range and the scheme range from position i. */
int assistance__bind_filters(struct store_stmt *s, int i, const char *prefix, const char *scheme,
                             struct ms_err *err)
{
    char lo[16], hi[16];
    if (assistance__scope_bounds(prefix, lo, hi, err) < 0)
        return err->code;
    int all = !scheme || !*scheme;
    store_bind_text(s, i, lo);
    store_bind_text(s, i + 1, hi);
    store_bind_text(s, i + 2, all ? "" : scheme);
    store_bind_text(s, i + 3, all ? "~" : scheme);
    return 0;
}

int assistance__check_bank(const char *field, const char *account, int is_required,
                           struct ms_err *err)
{
    size_t n = account ? strlen(account) : 0;
    int ok = n == 0 ? !is_required : n >= 8 && n <= 30;
    for (size_t i = 0; ok && i < n; i++)
        ok = account[i] >= '0' && account[i] <= '9';
    if (ok)
        return 0;
    return assistance__bad(err, n ? MS_EFIELD : MS_EMISSING, field, "银行账号应为 8 至 30 位数字",
                           "a bank account is 8-30 digits");
}

int assistance__seal_number(struct store *st, const char *field_name, const char *number,
                            struct ms_arena *a, const char **sealed, const char **last4,
                            struct ms_err *err)
{
    const struct ms_seal *seal;
    *sealed = "";
    *last4 = "";
    if (!number || !*number)
        return 0;
    if (registry_seal(st, &seal, err) < 0)
        return err->code;
    ms_seal_encrypt(seal, field_name, number, a, sealed);
    *last4 = ms_arena_strdup(a, number + strlen(number) - 4);
    return 0;
}

void assistance__now(char buf[32])
{
    ms_clock_format(ms_clock_now_ms(), buf);
}

int assistance__scope_bounds(const char *scope, char lo[16], char hi[16], struct ms_err *err)
{
    return registry_scope_bounds(scope ? scope : "", lo, hi, err);
}

int assistance__step_once(struct store_stmt *s, struct ms_err *err)
{
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int assistance__event(struct store *st, int64_t id, const char *from, const char *to,
                      const char *action, const char *note, const struct ms_actor *actor,
                      struct ms_err *err)
{
    struct assistance__move m = {.action = action, .note = note};
    return assistance__event_step(st, id, from, to, &m, "", actor, err);
}

int assistance__event_step(struct store *st, int64_t id, const char *from, const char *to,
                           const struct assistance__move *m, const char *due_on,
                           const struct ms_actor *actor, struct ms_err *err)
{
    const char *action = m->action, *note = m->note;
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_event_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, from);
    store_bind_text(s, 3, to);
    store_bind_text(s, 4, action);
    store_bind_text(s, 5, note ? note : "");
    store_bind_text(s, 6, now);
    store_bind_text(s, 7, actor->username ? actor->username : "");
    store_bind_text(s, 8, m->on ? m->on : "");
    store_bind_text(s, 9, due_on ? due_on : "");
    store_bind_text(s, 10, m->detail_json ? m->detail_json : "{}");
    return assistance__step_once(s, err);
}

void assistance__calendar(struct ms_calendar *cal)
{
    struct ms_err err = MS_ERR_INIT;
    /* Without the table the limits count weekends only (ms_calendar_*()
     * with an empty calendar); the embedded table always loads in practice. */
    if (ms_calendar_load_default(cal, &err) < 0)
        *cal = (struct ms_calendar)MS_CALENDAR_INIT;
}

static int audit_object(struct store *st, const struct ms_actor *actor, const char *type,
                        const char *action, int64_t id, const char *subject, const char *detail,
                        struct ms_err *err)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    struct audit_entry e = {.action = action,
                            .object_type = type,
                            .object_id = oid,
                            .subject = subject,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, actor, &e, err);
}

int assistance__audit_case(struct store *st, const struct ms_actor *actor, const char *action,
                           int64_t id, const char *subject, const char *detail, struct ms_err *err)
{
    return audit_object(st, actor, "assistance_case", action, id, subject, detail, err);
}

int assistance__audit_enrolment(struct store *st, const struct ms_actor *actor,
                                const char *action, int64_t id, const char *subject,
                                const char *detail, struct ms_err *err)
{
    return audit_object(st, actor, "assistance_enrolment", action, id, subject, detail, err);
}

int assistance__audit_recovery(struct store *st, const struct ms_actor *actor, const char *action,
                               int64_t id, const char *detail, struct ms_err *err)
{
    return audit_object(st, actor, "assistance_recovery", action, id, "", detail, err);
}
