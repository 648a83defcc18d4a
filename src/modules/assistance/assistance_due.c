/*
 * assistance_due.c - the due date of a case's step (assistance_due.h) and
 * the time limits it is computed from.
 */
#include "modules/assistance/assistance_due.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "modules/policy/policy.h"

#include "core/banned.h"

static int32_t earlier(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

int assistance_due(const struct assistance_due_in *in, const struct ms_calendar *cal, int32_t *due)
{
    const struct assistance_limits *l = &in->limits;
    const char *s = in->state ? in->state : "";
    int32_t total = ms_calendar_add_workdays(
        cal, in->applied, in->is_extended ? l->extended_total_workdays : l->total_workdays);
    if (!strcmp(s, "submitted"))
        *due = ms_calendar_add_workdays(cal, in->since, l->acceptance_workdays);
    else if (!strcmp(s, "draft") || !strcmp(s, "computed"))
        *due = earlier(ms_calendar_add_workdays(cal, in->applied, l->investigation_start_workdays),
                       total);
    else if (!strcmp(s, "investigating") || !strcmp(s, "visited") || !strcmp(s, "town_reviewed"))
        *due = earlier(ms_calendar_add_workdays(cal, in->applied, l->town_workdays), total);
    else if (!strcmp(s, "reinvestigating"))
        *due = total;
    else if (!strcmp(s, "publicity"))
        *due = ms_calendar_add_workdays(cal, in->publicity_end, 1);
    else if (!strcmp(s, "district_review"))
        *due = earlier(ms_calendar_add_workdays(cal, in->received, l->county_workdays), total);
    else if (!strcmp(s, "refused") && !in->is_notified)
        *due = ms_calendar_add_workdays(cal, in->since, l->refusal_notice_workdays);
    else
        return 0;
    return 1;
}

int assistance_limits_load(struct store *st, const char *scheme, const char *date,
                           struct assistance_limits *out, struct ms_err *err)
{
    static const struct {
        const char *name;
        size_t offset;
    } keys[] = {
        {"investigation_start_workdays",
         offsetof(struct assistance_limits, investigation_start_workdays)},
        {"town_workdays", offsetof(struct assistance_limits, town_workdays)},
        {"publicity_days", offsetof(struct assistance_limits, publicity_days)},
        {"further_publicity_days", offsetof(struct assistance_limits, further_publicity_days)},
        {"county_workdays", offsetof(struct assistance_limits, county_workdays)},
        {"total_workdays", offsetof(struct assistance_limits, total_workdays)},
        {"extended_total_workdays", offsetof(struct assistance_limits, extended_total_workdays)},
        {"refusal_notice_workdays", offsetof(struct assistance_limits, refusal_notice_workdays)},
        {"acceptance_workdays", offsetof(struct assistance_limits, acceptance_workdays)},
    };
    char key[96];
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int64_t v = 0;
        snprintf(key, sizeof(key), "assistance.limit.%s.%s", scheme, keys[i].name);
        if (policy_get_int(st, key, date, &v, err) < 0)
            return err->code;
        /* The keys' bounds (1..365, migration 002) keep these small. */
        *(int *)((char *)out + keys[i].offset) = (int)v;
    }
    return 0;
}
