/*
 * assistance_due.h - the due date of a case's current step (rules.md §1.5,
 * §1.8), a pure function of the case's dates, its scheme's time limits
 * and the working-day calendar: no database, no clock, so the limits over
 * holidays and make-up working days (调休) are unit tests
 * (tests/unit/assistance/test_assistance_due.c).
 *
 * Working days are counted as core/date.h does: the day of acceptance is
 * day 0, the next working day is day 1. Publicity is counted in calendar
 * days: a 7-day publicity starting on S runs S .. S+6 (publicity_end) and
 * is closed from S+7.
 */
#ifndef MS_ASSISTANCE_DUE_H
#define MS_ASSISTANCE_DUE_H

#include <stdint.h>

#include "core/date.h"
#include "core/err.h"

struct store;

/* One scheme's time limits in force on a date (policy keys
 * assistance.limit.<scheme>.<name>, migration 002). */
struct assistance_limits {
    int investigation_start_workdays; /* accepted -> investigation started (3) */
    int town_workdays;                /* accepted -> town review and publicity started */
    int publicity_days;               /* 7, calendar days */
    int further_publicity_days;       /* 3 after an objection (Chongqing) */
    int county_workdays;              /* materials received -> decision (10; 特困 15) */
    int total_workdays;               /* accepted -> decision (30) */
    int extended_total_workdays;      /* when extended with a reason (45) */
    int refusal_notice_workdays;      /* refusal -> written notice (3) */
    int acceptance_workdays;          /* online submission -> accepted or declined (3) */
};

struct assistance_due_in {
    const char *state;     /* assistance_states.state */
    int32_t applied;       /* acceptance (受理): the case's accepted_on */
    int32_t since;         /* the day the case entered state */
    int32_t publicity_end; /* last day of the current publicity (state publicity) */
    int32_t received;      /* the district received the materials (district_review) */
    int is_extended;       /* the total limit was extended with a reason */
    int is_notified;       /* the written notice was given (refused) */
    struct assistance_limits limits;
};

/*
 * The date by which the current step must be done:
 *
 *   submitted (online, not accepted)     since + acceptance (the total has not begun)
 *   draft, computed                      applied + start, at most the total limit
 *   investigating, visited, town_reviewed applied + town, at most the total limit
 *   reinvestigating                      the total limit
 *   publicity                            the working day after publicity_end
 *   district_review                      received + county, at most the total limit
 *   refused, not yet notified            since + refusal notice
 *   approved, enrolled, refused+notified no limit
 *
 * where the total limit is applied + total (or extended total) working
 * days. Returns 1 and *due, or 0 when no limit runs.
 */
int assistance_due(const struct assistance_due_in *in, const struct ms_calendar *cal, int32_t *due);

/* The limits of scheme in force on date (policy rows). */
int assistance_limits_load(struct store *st, const char *scheme, const char *date,
                           struct assistance_limits *out, struct ms_err *err);

#endif
