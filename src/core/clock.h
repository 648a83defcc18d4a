/*
 * clock.h - wall-clock time as the platform stores it.
 *
 * Timestamps are UTC, stored as ISO 8601 text with milliseconds,
 * "2026-11-29T03:38:17.123Z" (24 characters), which sorts correctly as text
 * in both database engines. Civil dates (no time) live in date.h.
 */
#ifndef MS_CLOCK_H
#define MS_CLOCK_H

#include <stdint.h>

#define MS_TS_LEN 24 /* characters, without the NUL */

/* Milliseconds since 1970-01-01T00:00:00Z. MS_FAKE_NOW_MS in the environment
 * (tests only) fixes the clock; it is read once. */
int64_t ms_clock_now_ms(void);

/* Monotonic milliseconds for measuring durations. */
double ms_clock_mono_ms(void);

/* Formats ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (at least 25 bytes). */
void ms_clock_format(int64_t ms, char *buf);

/* Parses the form ms_clock_format writes, or "YYYY-MM-DDTHH:MM:SSZ", or a bare
 * "YYYY-MM-DD" (midnight UTC): ASCII digits exactly where the form has them,
 * a real date, seconds 00-59. Returns 0, or -1 if text is not one of them. */
int ms_clock_parse(const char *text, int64_t *ms_out);

/* Today's civil date in UTC+8 (China Standard Time) as "YYYY-MM-DD" into buf
 * (11 bytes): policy parameters take effect on Beijing dates. */
void ms_clock_today_cst(char *buf);

#endif
