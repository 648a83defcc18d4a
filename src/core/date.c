/*
 * date.c - day-number arithmetic, strict ISO text, and the working-day
 * calendar.
 *
 * Conversions between (year, month, day) and day numbers use the closed-form
 * era arithmetic described in Howard Hinnant's "chrono-compatible low-level
 * date algorithms": years are shifted to start in March so the leap day is
 * the last day of a year, and 400-year eras of 146097 days make the formulas
 * exact for negative day numbers too. No time zone or libc time function is
 * involved.
 *
 * The calendar keeps its listed days in one sorted array. A lookup is a
 * binary search; counting working days between two dates counts Mondays to
 * Fridays arithmetically and then corrects for the listed days in range, so
 * it does not walk day by day.
 */
#include "date.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "json.h"
#include "xalloc.h"

#include "banned.h"

#define DAYS_PER_ERA 146097 /* days in 400 Gregorian years */
#define EPOCH_SHIFT  719468 /* days from 0000-03-01 to 1970-01-01 */
#define A_MONDAY     4      /* 1970-01-05 */

/* Floor division for a positive divisor (C's / truncates toward zero). */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

int ms_date_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int ms_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ms_date_is_leap_year(year))
        return 29;
    return days[month - 1];
}

/* Day number of a valid date in years 1..9999 (no checks). */
static int32_t days_from_civil(int year, int month, int day)
{
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                         /* [0, 399] */
    int64_t mp = month > 2 ? month - 3 : month + 9;      /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + day - 1;          /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return (int32_t)(era * DAYS_PER_ERA + doe - EPOCH_SHIFT);
}

int ms_date_from_ymd(int year, int month, int day, int32_t *out)
{
    if (year < 1 || year > 9999 || day < 1 || day > ms_date_days_in_month(year, month))
        return MS_EINVAL;
    *out = days_from_civil(year, month, day);
    return 0;
}

void ms_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
    int64_t z = (int64_t)date + EPOCH_SHIFT;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t doe = z - era * DAYS_PER_ERA;                                /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

int ms_date_weekday(int32_t date)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    return (int)(((int64_t)date + 3 - floor_div((int64_t)date + 3, 7) * 7) + 1);
}

/* --- text ----------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads n digits at s; -1 if any is not a digit. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses "YYYY-MM-DD" or "YYYY-MM" (has_day 0) of exactly len bytes into
 * parts. Returns 0, -1 for the wrong form, -2 for a date that does not exist. */
static int parse_parts(const char *s, size_t len, int has_day, int *y, int *m, int *d)
{
    size_t want = has_day ? 10 : 7;
    if (len != want || s[4] != '-' || (has_day && s[7] != '-'))
        return -1;
    *y = read_digits(s, 4);
    *m = read_digits(s + 5, 2);
    *d = has_day ? read_digits(s + 8, 2) : 1;
    if (*y < 0 || *m < 0 || *d < 0)
        return -1;
    if (*y < 1 || *d < 1 || *d > ms_date_days_in_month(*y, *m))
        return -2;
    return 0;
}

/* Copies text for an error message if it is short printable ASCII. */
static const char *printable(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);
    if (n == 0 || n >= size)
        return "...";
    for (size_t i = 0; i < n; i++)
        if (text[i] < 0x20 || text[i] > 0x7e)
            return "...";
    memcpy(buf, text, n + 1);
    return buf;
}

int ms_date_parse(const char *text, int32_t *out, struct ms_err *err)
{
    int y, m, d, rc = parse_parts(text, strlen(text), 1, &y, &m, &d);
    if (rc == -1) {
        char buf[32];
        const char *q = printable(text, buf, sizeof(buf));
        rc = ms_err_field(err, MS_EFIELD, "date", "date '%s' must be written YYYY-MM-DD", q);
        ms_err_zh(err, "日期“%s”格式不正确，应为 YYYY-MM-DD，例如 2026-11-29", q);
        return rc;
    }
    if (rc == -2) {
        rc = ms_err_field(err, MS_EFIELD, "date", "date '%s' does not exist", text);
        ms_err_zh(err, "日期“%s”不存在", text);
        return rc;
    }
    *out = days_from_civil(y, m, d);
    return 0;
}

int ms_date_parse_period(const char *text, int32_t *first_day, struct ms_err *err)
{
    int y, m, d, rc = parse_parts(text, strlen(text), 0, &y, &m, &d);
    if (rc < 0) {
        char buf[32];
        const char *q = printable(text, buf, sizeof(buf));
        rc = ms_err_field(err, MS_EFIELD, "period", "period '%s' must be a month written YYYY-MM",
                          q);
        ms_err_zh(err, "期间“%s”格式不正确，应为 YYYY-MM，例如 2026-11", q);
        return rc;
    }
    *first_day = days_from_civil(y, m, 1);
    return 0;
}

/* Writes v as n zero-padded digits. */
static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void ms_date_format(int32_t date, char buf[MS_DATE_BUF])
{
    int y = 0, m = 0, d = 0;
    if (date >= MS_DATE_MIN && date <= MS_DATE_MAX)
        ms_date_to_ymd(date, &y, &m, &d);
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
}

void ms_date_format_period(int32_t date, char buf[MS_PERIOD_BUF])
{
    int y = 0, m = 0, d = 0;
    if (date >= MS_DATE_MIN && date <= MS_DATE_MAX)
        ms_date_to_ymd(date, &y, &m, &d);
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '\0';
}

/* --- calendar arithmetic --------------------------------------------------- */

int ms_date_add_months(int32_t date, int months, int32_t *out)
{
    int y, m, d;
    ms_date_to_ymd(date, &y, &m, &d);
    int64_t index = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = floor_div(index, 12);
    if (ny < 1 || ny > 9999)
        return MS_EINVAL;
    int nm = (int)(index - ny * 12) + 1;
    int dim = ms_date_days_in_month((int)ny, nm);
    *out = days_from_civil((int)ny, nm, d < dim ? d : dim);
    return 0;
}

int ms_date_age_on(int32_t birth, int32_t on)
{
    int by, bm, bd, oy, om, od;
    if (on < birth)
        return MS_EINVAL;
    ms_date_to_ymd(birth, &by, &bm, &bd);
    ms_date_to_ymd(on, &oy, &om, &od);
    int age = oy - by;
    if (om < bm || (om == bm && od < bd))
        age--;
    return age;
}

int32_t ms_date_month_start(int32_t date)
{
    int y, m, d;
    ms_date_to_ymd(date, &y, &m, &d);
    return date - (d - 1);
}

int32_t ms_date_month_end(int32_t date)
{
    int y, m, d;
    ms_date_to_ymd(date, &y, &m, &d);
    return date + (ms_date_days_in_month(y, m) - d);
}

int32_t ms_date_from_unix_ms(int64_t ms, int utc_offset_minutes)
{
    int64_t local_ms = ms + (int64_t)utc_offset_minutes * 60000;
    return (int32_t)floor_div(local_ms, 86400000);
}

int32_t ms_date_today_cst(void)
{
    return ms_date_from_unix_ms(ms_clock_now_ms(), 8 * 60);
}

/* --- working-day calendar -------------------------------------------------- */

static const struct ms_calendar_entry *find_entry(const struct ms_calendar *cal, int32_t date)
{
    size_t lo = 0, hi = cal ? cal->count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int32_t v = cal->entries[mid].date;
        if (v == date)
            return &cal->entries[mid];
        if (v < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Index of the first entry dated after date. */
static size_t upper_bound(const struct ms_calendar *cal, int32_t date)
{
    size_t lo = 0, hi = cal ? cal->count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->entries[mid].date <= date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int ms_calendar_is_workday(const struct ms_calendar *cal, int32_t date)
{
    const struct ms_calendar_entry *e = find_entry(cal, date);
    if (e)
        return e->is_workday;
    return ms_date_weekday(date) <= 5;
}

int ms_calendar_covers(const struct ms_calendar *cal, int32_t date)
{
    return cal && date >= cal->first_covered && date <= cal->last_covered;
}

const char *ms_calendar_day_name(const struct ms_calendar *cal, int32_t date)
{
    const struct ms_calendar_entry *e = find_entry(cal, date);
    return e ? e->name : NULL;
}

int32_t ms_calendar_add_workdays(const struct ms_calendar *cal, int32_t start, int n)
{
    int32_t d = start;
    int step = n < 0 ? -1 : 1;
    int64_t left = n < 0 ? -(int64_t)n : n;

    while (left > 0) {
        if ((step > 0 && d >= MS_DATE_MAX) || (step < 0 && d <= MS_DATE_MIN))
            break;
        d += step;
        if (ms_calendar_is_workday(cal, d))
            left--;
    }
    return d;
}

/* Mondays to Fridays in (A_MONDAY - 1, d], a running count whose differences
 * count weekdays between any two dates. */
static int64_t weekdays_through(int32_t d)
{
    int64_t k = (int64_t)d - A_MONDAY;
    int64_t weeks = floor_div(k, 7);
    int64_t into = k - weeks * 7; /* 0 = Monday ... 6 = Sunday */
    return weeks * 5 + (into < 5 ? into + 1 : 5);
}

int ms_calendar_workdays_between(const struct ms_calendar *cal, int32_t a, int32_t b)
{
    int sign = 1;
    if (b < a) {
        int32_t t = a;
        a = b;
        b = t;
        sign = -1;
    }
    int64_t n = weekdays_through(b) - weekdays_through(a);
    /* Listed days in (a, b] correct the plain weekday count. */
    for (size_t i = upper_bound(cal, a); cal && i < cal->count && cal->entries[i].date <= b; i++) {
        const struct ms_calendar_entry *e = &cal->entries[i];
        int is_weekday = ms_date_weekday(e->date) <= 5;
        if (e->is_workday && !is_weekday)
            n++;
        else if (!e->is_workday && is_weekday)
            n--;
    }
    return sign * (int)n;
}

/* --- loading the table ----------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int line_err(struct ms_err *err, int line_no, const char *what, const char *what_zh)
{
    ms_err_field(err, MS_EINVAL, "calendar", "calendar line %d: %s", line_no, what);
    ms_err_zh(err, "节假日表第 %d 行：%s", line_no, what_zh);
    return MS_EINVAL;
}

/* A cursor over one line of the table, comment and trailing blanks cut. */
struct line {
    const char *p;   /* next unread byte */
    const char *end; /* end of the content */
    int no;          /* 1-based line number, for messages */
};

static void skip_blanks(struct line *l)
{
    while (l->p < l->end && is_blank(*l->p))
        l->p++;
}

/* The next blank-delimited token; *len is 0 at the end of the line. */
static const char *next_token(struct line *l, size_t *len)
{
    skip_blanks(l);
    const char *tok = l->p;
    while (l->p < l->end && !is_blank(*l->p))
        l->p++;
    *len = (size_t)(l->p - tok);
    return tok;
}

static int read_date(struct line *l, struct ms_calendar_entry *e, struct ms_err *err)
{
    size_t len;
    const char *tok = next_token(l, &len);
    int y, m, d;
    int rc = parse_parts(tok, len, 1, &y, &m, &d);
    if (rc == -1)
        return line_err(err, l->no, "expected a date YYYY-MM-DD first",
                        "应以 YYYY-MM-DD 格式的日期开头");
    if (rc == -2)
        return line_err(err, l->no, "the date does not exist", "日期不存在");
    e->date = days_from_civil(y, m, d);
    return 0;
}

static int read_kind(struct line *l, struct ms_calendar_entry *e, struct ms_err *err)
{
    size_t len;
    const char *tok = next_token(l, &len);
    if (len == 7 && memcmp(tok, "holiday", 7) == 0)
        e->is_workday = 0;
    else if (len == 7 && memcmp(tok, "workday", 7) == 0)
        e->is_workday = 1;
    else
        return line_err(err, l->no, "expected 'holiday' or 'workday' after the date",
                        "日期后应为 holiday 或 workday");
    if (e->is_workday && ms_date_weekday(e->date) <= 5)
        return line_err(err, l->no, "a make-up working day must fall on a weekend",
                        "调休上班日应为周六或周日");
    return 0;
}

static int read_name(struct line *l, struct ms_calendar_entry *e, struct ms_err *err)
{
    skip_blanks(l);
    size_t len = (size_t)(l->end - l->p);
    if (len == 0)
        return line_err(err, l->no, "the day needs a name", "缺少节日名称");
    if (len >= sizeof(e->name) || !ms_utf8_is_valid(l->p, len))
        return line_err(err, l->no, "the name must be at most 63 bytes of UTF-8",
                        "名称应为不超过 63 字节的 UTF-8 文本");
    memcpy(e->name, l->p, len);
    e->name[len] = '\0';
    return 0;
}

/* Parses one line [p, end) into *e. Returns 1 for an entry, 0 for a blank or
 * comment line, or a negative MS_E* code. */
static int parse_line(const char *p, const char *end, int line_no, struct ms_calendar_entry *e,
                      struct ms_err *err)
{
    const char *hash = memchr(p, '#', (size_t)(end - p));
    struct line l = {p, hash ? hash : end, line_no};
    int rc;

    skip_blanks(&l);
    while (l.end > l.p && is_blank(l.end[-1]))
        l.end--;
    if (l.p == l.end)
        return 0;
    if ((rc = read_date(&l, e, err)) < 0 || (rc = read_kind(&l, e, err)) < 0 ||
        (rc = read_name(&l, e, err)) < 0)
        return rc;
    return 1;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct ms_calendar_entry *a = pa, *b = pb;
    return (a->date > b->date) - (a->date < b->date);
}

/* Sorts the entries, refuses duplicates and sets the covered years. */
static int finish_table(struct ms_calendar *cal, struct ms_err *err)
{
    char day[MS_DATE_BUF];
    int y, m, d;

    if (!cal->count)
        return 0;
    qsort(cal->entries, cal->count, sizeof(cal->entries[0]), entry_cmp);
    for (size_t i = 1; i < cal->count; i++) {
        if (cal->entries[i].date == cal->entries[i - 1].date) {
            ms_date_format(cal->entries[i].date, day);
            int rc = ms_err_field(err, MS_EINVAL, "calendar", "calendar lists %s twice", day);
            ms_err_zh(err, "节假日表中 %s 出现了两次", day);
            return rc;
        }
    }
    ms_date_to_ymd(cal->entries[0].date, &y, &m, &d);
    cal->first_covered = days_from_civil(y, 1, 1);
    ms_date_to_ymd(cal->entries[cal->count - 1].date, &y, &m, &d);
    cal->last_covered = days_from_civil(y, 12, 31);
    return 0;
}

int ms_calendar_load(struct ms_calendar *cal, const char *text, struct ms_err *err)
{
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';

    *cal = (struct ms_calendar)MS_CALENDAR_INIT;
    cal->entries = ms_xcalloc(lines, sizeof(cal->entries[0]));

    int line_no = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        line_no++;
        int rc = parse_line(p, end, line_no, &cal->entries[cal->count], err);
        if (rc < 0) {
            ms_calendar_release(cal);
            return rc;
        }
        cal->count += (size_t)rc;
        p = nl ? nl + 1 : end;
    }
    int rc = finish_table(cal, err);
    if (rc < 0)
        ms_calendar_release(cal);
    return rc;
}

int ms_calendar_load_default(struct ms_calendar *cal, struct ms_err *err)
{
    return ms_calendar_load(cal, ms_calendar_cn_text, err);
}

void ms_calendar_release(struct ms_calendar *cal)
{
    free(cal->entries);
    *cal = (struct ms_calendar)MS_CALENDAR_INIT;
}
