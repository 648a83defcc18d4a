/*
 * cron.c - parsing five-field schedules and finding their next minute.
 */
#include "core/cron.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"

#include "core/banned.h"

static const struct {
    const char *name;
    int lo, hi;
} fields[5] = {{"minute", 0, 59},
               {"hour", 0, 23},
               {"day of month", 1, 31},
               {"month", 1, 12},
               {"day of week", 0, 7}};

/* Reads an unsigned decimal number at *p, advancing it. -1 if none. */
static int read_number(const char **p)
{
    int n = 0, digits = 0;
    while (**p >= '0' && **p <= '9' && digits < 3) {
        n = n * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits ? n : -1;
}

static const char *const field_zh[5] = {"分钟", "小时", "日", "月", "星期"};

static int bad(struct ms_err *err, int f, const char *what, const char *what_zh)
{
    ms_err_field(err, MS_EFIELD, "schedule", "%s field: %s", fields[f].name, what);
    ms_err_zh(err, "执行计划的“%s”字段%s", field_zh[f], what_zh);
    return MS_EFIELD;
}

/* Parses one field [s, end) into the bit set *bits; *any is set when the
 * field is exactly "*". */
static int parse_field(const char *s, const char *end, int f, uint64_t *bits, int *any,
                       struct ms_err *err)
{
    int lo = fields[f].lo, hi = fields[f].hi;
    *bits = 0;
    *any = (end - s == 1 && *s == '*');
    while (s < end) {
        int a, b, step = 1, single = 0;
        if (*s == '*') {
            a = lo;
            b = hi;
            s++;
        } else {
            if ((a = read_number(&s)) < 0)
                return bad(err, f, "expected a number, `*`, a range or a step", "应为数字、*、范围或步长");
            b = a;
            single = 1;
            if (s < end && *s == '-') {
                single = 0;
                s++;
                if ((b = read_number(&s)) < 0)
                    return bad(err, f, "a range needs its upper bound", "的范围缺少上限");
            }
        }
        if (s < end && *s == '/') {
            s++;
            if ((step = read_number(&s)) <= 0)
                return bad(err, f, "a step must be a positive number", "的步长必须是正整数");
            if (single)
                b = hi; /* "5/15" means 5-hi/15 */
        }
        if (a < lo || b > hi || a > b)
            return bad(err, f, "value out of range", "的取值超出范围");
        for (int v = a; v <= b; v += step)
            *bits |= 1ULL << v;
        if (s < end && *s != ',')
            return bad(err, f, "unexpected character", "含有无法识别的字符");
        if (s < end)
            s++;
        if (s == end && s[-1] == ',')
            return bad(err, f, "empty list item", "的列表中有空项");
    }
    return 0;
}

static int five_fields(struct ms_err *err, const char *what)
{
    ms_err_field(err, MS_EFIELD, "schedule", "%s", what);
    ms_err_zh(err, "执行计划应为五个字段：分 时 日 月 星期（如“0 2 * * *”表示每天 2 点）");
    return MS_EFIELD;
}

int ms_cron_parse(const char *text, struct ms_cron *out, struct ms_err *err)
{
    const char *p = text;
    uint64_t bits[5];
    int any[5];
    memset(out, 0, sizeof(*out));
    for (int f = 0; f < 5; f++) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (p == start)
            return five_fields(err, "a schedule has five fields: minute hour day-of-month "
                                    "month day-of-week, found fewer");
        if (parse_field(start, p, f, &bits[f], &any[f], err) < 0)
            return MS_EFIELD;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return five_fields(err, "a schedule has five fields, found more");
    out->minutes = bits[0];
    out->hours = (uint32_t)bits[1];
    out->mdays = (uint32_t)bits[2];
    out->months = (uint16_t)bits[3];
    out->wdays = (uint8_t)((bits[4] | (bits[4] >> 7)) & 0x7f); /* 7 is Sunday too */
    out->mday_any = (uint8_t)any[2];
    out->wday_any = (uint8_t)any[4];
    return 0;
}

static int day_matches(const struct ms_cron *c, int32_t date)
{
    int y, m, d;
    ms_date_to_ymd(date, &y, &m, &d);
    if (!(c->months >> m & 1))
        return 0;
    int by_mday = c->mdays >> d & 1, by_wday = c->wdays >> (ms_date_weekday(date) % 7) & 1;
    if (c->mday_any || c->wday_any)
        return by_mday && by_wday;
    return by_mday || by_wday;
}

int ms_cron_next(const struct ms_cron *c, int64_t after_ms, int utc_offset_minutes,
                 int64_t *next_ms)
{
    const int64_t minute_ms = 60000, day_ms = 86400000;
    int64_t local = after_ms + (int64_t)utc_offset_minutes * minute_ms;
    /* The next whole minute after `after`, in local milliseconds. */
    int64_t t = local - ((local % minute_ms) + minute_ms) % minute_ms + minute_ms;
    int64_t day0 = t >= 0 ? t / day_ms : -((-t + day_ms - 1) / day_ms);
    int from = (int)((t - day0 * day_ms) / minute_ms); /* minute of day to start at */
    for (int64_t day = day0; day < day0 + 5 * 366 + 1; day++, from = 0) {
        if (!day_matches(c, (int32_t)day))
            continue;
        for (int mod = from; mod < 24 * 60; mod++) {
            if ((c->hours >> (mod / 60) & 1) && (c->minutes >> (mod % 60) & 1)) {
                *next_ms = day * day_ms + (int64_t)mod * minute_ms -
                           (int64_t)utc_offset_minutes * minute_ms;
                return 0;
            }
        }
    }
    return -1;
}
