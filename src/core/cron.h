/*
 * cron.h - five-field cron schedules ("minute hour day-of-month month
 * day-of-week"), the notation the 定时任务 screens of Chinese admin consoles
 * and every Unix administrator already know.
 *
 * Fields take `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n`, and
 * comma lists of those. Day of week is 0-7 (0 and 7 are Sunday). As in Vixie
 * cron, when both day fields are restricted a day matching either runs.
 * Names (JAN, MON), `?`, `L`, `W`, `#` and a seconds field are not accepted:
 * a schedule that means something else somewhere else is refused, not
 * guessed.
 */
#ifndef MS_CRON_H
#define MS_CRON_H

#include <stdint.h>

#include "core/err.h"

struct ms_cron {
    uint64_t minutes;  /* bit m: minute m, 0-59 */
    uint32_t hours;    /* bit h, 0-23 */
    uint32_t mdays;    /* bit d, 1-31 */
    uint16_t months;   /* bit m, 1-12 */
    uint8_t wdays;     /* bit w, 0-6, Sunday 0 */
    uint8_t mday_any;  /* the day-of-month field was `*` */
    uint8_t wday_any;  /* the day-of-week field was `*` */
};

/* Parses text into *out. Returns 0, or MS_EFIELD with err naming the field
 * ("minute", "hour", "day of month", "month", "day of week") and what is
 * wrong. */
int ms_cron_parse(const char *text, struct ms_cron *out, struct ms_err *err);

/* The first whole minute strictly after after_ms (Unix milliseconds) that
 * the schedule names, reading its fields as local time utc_offset_minutes
 * east of UTC (480 for China). Returns 0 and sets *next_ms, or -1 if no
 * such minute comes within five years (e.g. "0 0 31 2 *"). */
int ms_cron_next(const struct ms_cron *c, int64_t after_ms, int utc_offset_minutes,
                 int64_t *next_ms);

#endif
