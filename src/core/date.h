/*
 * date.h - civil dates, month periods and working days.
 *
 * A civil date (no time, no zone) is an int32_t day number: days since
 * 1970-01-01 in the proleptic Gregorian calendar, so 0 is 1970-01-01, -1 is
 * 1969-12-31 and differences are plain subtraction. The supported range is
 * 0001-01-01 to 9999-12-31 (MS_DATE_MIN..MS_DATE_MAX), which keeps the text
 * form at exactly "YYYY-MM-DD". Text is strict ISO 8601: "2026-11-29", never
 * "2026-11-9" or "2026/11/29". A month period ("2026-11") is represented by
 * the day number of its first day.
 *
 * Working days follow a holiday table (struct ms_calendar) loaded from text,
 * one line per day:
 *
 *     # comment
 *     2026-02-15 holiday 春节
 *     2026-02-14 workday 春节调休上班
 *
 * `holiday` is a public holiday (放假); `workday` is a make-up working day
 * (调休上班) on a Saturday or Sunday. Every other day is a working day from
 * Monday to Friday. The table of the PRC State Council notices ships in the
 * library (ms_calendar_load_default()); it covers only the years it lists,
 * see ms_calendar_covers().
 *
 * Timestamps (with time of day, UTC) live in clock.h. Nothing here keeps
 * global state; functions are thread-safe, and a loaded calendar may be read
 * by many threads at once.
 */
#ifndef MS_DATE_H
#define MS_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MS_DATE_MIN (-719162) /* 0001-01-01 */
#define MS_DATE_MAX 2932896   /* 9999-12-31 */

#define MS_DATE_BUF   11 /* "YYYY-MM-DD" and the NUL */
#define MS_PERIOD_BUF 8  /* "YYYY-MM" and the NUL */

/* 1 if year is a Gregorian leap year (2000 and 2024 are, 2100 is not). */
int ms_date_is_leap_year(int year);

/* Days in the month (28..31), or 0 if month is not 1..12. */
int ms_date_days_in_month(int year, int month);

/* *out = the day number of year-month-day. Returns 0, or MS_EINVAL if that
 * date does not exist or is outside years 1..9999 (*out then unchanged). */
int ms_date_from_ymd(int year, int month, int day, int32_t *out);

/* Splits a day number in [MS_DATE_MIN, MS_DATE_MAX] into its parts. */
void ms_date_to_ymd(int32_t date, int *year, int *month, int *day);

/*
 * Parses exactly "YYYY-MM-DD" (10 characters, zero-padded, nothing before or
 * after). Errors: MS_EFIELD, field "date", for the wrong form ("2026-1-5",
 * "2026-11-29x") and for days that do not exist ("2026-02-30"), each with
 * English and Chinese text. Callers that know the real field name may
 * overwrite err->field. *out is written only on success.
 */
int ms_date_parse(const char *text, int32_t *out, struct ms_err *err);

/* Writes "YYYY-MM-DD" into buf. Dates outside the supported range are
 * written as "0000-00-00". */
void ms_date_format(int32_t date, char buf[MS_DATE_BUF]);

/* ISO weekday: Monday = 1 ... Sunday = 7. */
int ms_date_weekday(int32_t date);

/*
 * *out = date moved by months (negative moves back), the day clamped to the
 * end of the target month: 2024-01-31 + 1 month = 2024-02-29, 2025-01-31 + 1
 * = 2025-02-28, 2026-03-31 - 1 = 2026-02-28. Returns 0, or MS_EINVAL if the
 * result would leave the supported range.
 */
int ms_date_add_months(int32_t date, int months, int32_t *out);

/*
 * Age in full years (周岁) on day `on` of a person born on `birth`. A year is
 * complete on the birthday itself. Someone born on 29 February completes a
 * year on 1 March in common years (28 February is still the day before their
 * birthday): that is what comparing (month, day) pairs gives, and it never
 * makes anyone older early. Criminal law counts 周岁 from the day *after*
 * the birthday (Supreme People's Court interpretation on juvenile cases, from
 * memory [U]); a caller applying that rule passes on - 1. Returns the age
 * (>= 0), or MS_EINVAL if on < birth.
 */
int ms_date_age_on(int32_t birth, int32_t on);

/* First and last day of date's month. */
int32_t ms_date_month_start(int32_t date);
int32_t ms_date_month_end(int32_t date);

/*
 * Parses a month period, exactly "YYYY-MM", into the day number of its first
 * day. Errors: MS_EFIELD, field "period" (English and Chinese text).
 */
int ms_date_parse_period(const char *text, int32_t *first_day, struct ms_err *err);

/* Writes the period containing date as "YYYY-MM" ("0000-00" out of range). */
void ms_date_format_period(int32_t date, char buf[MS_PERIOD_BUF]);

/* The civil date at Unix time ms (milliseconds) in a zone utc_offset_minutes
 * east of UTC (480 for China Standard Time). */
int32_t ms_date_from_unix_ms(int64_t ms, int utc_offset_minutes);

/* Today in China Standard Time (UTC+8), from ms_clock_now_ms() (so tests can
 * fix it with MS_FAKE_NOW_MS). */
int32_t ms_date_today_cst(void);

/* --- working days --------------------------------------------------------- */

#define MS_CALENDAR_NAME_MAX 64 /* bytes of a day's name, with the NUL */

struct ms_calendar_entry {
    int32_t date;                    /* day number */
    int is_workday;                  /* 1: make-up working day; 0: holiday */
    char name[MS_CALENDAR_NAME_MAX]; /* "春节", UTF-8 */
};

struct ms_calendar {
    struct ms_calendar_entry *entries; /* sorted by date, each date once; owned */
    size_t count;
    int32_t first_covered; /* 1 January of the first year listed */
    int32_t last_covered;  /* 31 December of the last year listed; < first if empty */
};

#define MS_CALENDAR_INIT \
    {                    \
        NULL, 0, 0, -1   \
    }

/* The holiday table of the State Council notices for 2025 and 2026
 * (src/core/calendar_cn.txt, embedded at build time), NUL-terminated. */
extern const char ms_calendar_cn_text[];

/*
 * Loads a holiday table from NUL-terminated text (format above). Lines are
 * `YYYY-MM-DD holiday|workday NAME`, fields separated by spaces or tabs; NAME
 * is the rest of the line (1..63 bytes of UTF-8); '#' starts a comment; blank
 * lines and CRLF endings are fine. Refused with MS_EINVAL, field "calendar"
 * and the line number in the message: a malformed line, an impossible date,
 * a `workday` on Monday..Friday, and a date listed twice.
 *
 * cal is overwritten (release earlier contents first). On success the caller
 * owns it and frees it with ms_calendar_release(); on error cal is left empty
 * (MS_CALENDAR_INIT) and nothing needs freeing.
 */
int ms_calendar_load(struct ms_calendar *cal, const char *text, struct ms_err *err);

/* ms_calendar_load() of ms_calendar_cn_text. */
int ms_calendar_load_default(struct ms_calendar *cal, struct ms_err *err);

/* Frees the entries; cal is MS_CALENDAR_INIT afterwards. */
void ms_calendar_release(struct ms_calendar *cal);

/* 1 if date lies in a year the table lists. Outside those years the calendar
 * knows only weekends, so time limits there ignore public holidays. */
int ms_calendar_covers(const struct ms_calendar *cal, int32_t date);

/* 1 if date is a working day: a listed make-up day, or Monday..Friday and not
 * a listed holiday. cal may be NULL (weekends only). O(log entries). */
int ms_calendar_is_workday(const struct ms_calendar *cal, int32_t date);

/* The listed name of date ("春节"), or NULL if the table does not list it.
 * The string lives as long as cal. */
const char *ms_calendar_day_name(const struct ms_calendar *cal, int32_t date);

/*
 * The date on which n working days have passed since start, counted the way
 * 民政 counts "within N working days": the day of acceptance is day 0 and
 * does not count, the next working day is day 1. n == 0 returns start; a
 * negative n counts back (the |n|th working day before start). The result is
 * clamped to [MS_DATE_MIN, MS_DATE_MAX].
 */
int32_t ms_calendar_add_workdays(const struct ms_calendar *cal, int32_t start, int n);

/*
 * Working days in (a, b]: a excluded, b included, so that
 * ms_calendar_workdays_between(cal, a, ms_calendar_add_workdays(cal, a, n)) == n
 * for n >= 0. If b < a the result is minus the count in (b, a]. O(log entries)
 * however far apart a and b are.
 */
int ms_calendar_workdays_between(const struct ms_calendar *cal, int32_t a, int32_t b);

#endif
