/*
 * money.c - fen amounts and ppm ratios: strict decimal parsing, exact
 * formatting and overflow-checked arithmetic.
 *
 * Both parsers share one scanner over "[-]digits[.digits]" that accumulates
 * the magnitude in a uint64_t already scaled to the smallest unit (fen, or
 * millionths), so the range check is exact and INT64_MIN fen is reachable.
 */
#include "money.h"

#include <stddef.h>
#include <string.h>

#include "banned.h"

/* Why a decimal was refused, in the order the checks run. */
enum dec_fault {
    DEC_OK,
    DEC_EMPTY,    /* "" or a lone "-" */
    DEC_CHAR,     /* a character other than digits, one '.', a leading '-' */
    DEC_SHAPE,    /* ".5", "5.", "1.2.3" */
    DEC_DECIMALS, /* more fractional digits than the unit has */
    DEC_RANGE,    /* magnitude past the limit */
};

struct dec_spec {
    int max_decimals;    /* 2 for fen, 6 for ppm */
    uint64_t limit;      /* largest positive magnitude */
    uint64_t limit_neg;  /* largest negative magnitude */
    const char *field;   /* error field name */
    const char *what;    /* "amount" */
    const char *what_zh; /* "金额" */
};

static const struct dec_spec money_spec = {
    2, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1u, "amount", "amount", "金额",
};

static const struct dec_spec ratio_spec = {
    6, (uint64_t)MS_RATIO_MAX_PPM, (uint64_t)MS_RATIO_MAX_PPM, "ratio", "ratio", "比例",
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks the text has the shape [-]D+(.D+)? and counts its decimals. */
static enum dec_fault scan_shape(const char *text, int *decimals)
{
    const char *p = text;
    size_t int_digits = 0;
    int frac_digits = 0, has_dot = 0;

    if (*p == '-')
        p++;
    if (!*p)
        return DEC_EMPTY;
    for (const char *q = p; *q; q++)
        if (!is_digit(*q) && *q != '.')
            return DEC_CHAR;
    while (is_digit(*p)) {
        p++;
        int_digits++;
    }
    if (*p == '.') {
        has_dot = 1;
        p++;
        while (is_digit(*p)) {
            p++;
            if (frac_digits < 1000)
                frac_digits++;
        }
    }
    if (*p || !int_digits || (has_dot && !frac_digits))
        return DEC_SHAPE;
    *decimals = frac_digits;
    return DEC_OK;
}

/* Adds one decimal digit to acc, refusing to pass limit. */
static int push_digit(uint64_t *acc, unsigned d, uint64_t limit)
{
    if (*acc > (limit - d) / 10)
        return -1;
    *acc = *acc * 10 + d;
    return 0;
}

static enum dec_fault parse_decimal(const char *text, const struct dec_spec *spec, int64_t *out)
{
    int decimals = 0;
    enum dec_fault f = scan_shape(text, &decimals);
    if (f != DEC_OK)
        return f;
    if (decimals > spec->max_decimals)
        return DEC_DECIMALS;

    int is_negative = text[0] == '-';
    uint64_t limit = is_negative ? spec->limit_neg : spec->limit;
    uint64_t acc = 0;
    for (const char *p = text + is_negative; *p; p++) {
        if (*p == '.')
            continue;
        if (push_digit(&acc, (unsigned)(*p - '0'), limit) < 0)
            return DEC_RANGE;
    }
    for (int i = decimals; i < spec->max_decimals; i++)
        if (push_digit(&acc, 0, limit) < 0)
            return DEC_RANGE;
    if (!is_negative || acc == 0)
        *out = (int64_t)acc;
    else /* acc may be 2^63, which int64_t cannot hold; negate acc - 1 first. */
        *out = -(int64_t)(acc - 1) - 1;
    return DEC_OK;
}

/* Copies text for an error message if it is short printable ASCII, so a
 * message never carries control bytes or broken UTF-8. */
static const char *printable(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);
    if (n == 0 || n >= size)
        return "...";
    for (size_t i = 0; i < n; i++)
        if (text[i] < 0x21 || text[i] > 0x7e)
            return "...";
    memcpy(buf, text, n + 1);
    return buf;
}

static int fault_to_err(enum dec_fault f, const char *text, const struct dec_spec *s,
                        struct ms_err *err)
{
    char buf[40];
    const char *q = printable(text, buf, sizeof(buf));
    int rc;

    switch (f) {
    case DEC_EMPTY:
        rc = ms_err_field(err, MS_EFIELD, s->field, "%s is empty", s->what);
        ms_err_zh(err, "%s不能为空", s->what_zh);
        return rc;
    case DEC_CHAR:
        rc = ms_err_field(err, MS_EFIELD, s->field,
                          "%s '%s' may contain only digits, one '.' and a leading '-'", s->what, q);
        ms_err_zh(err, "%s“%s”格式不正确：只能包含数字、一个小数点和开头的负号", s->what_zh, q);
        return rc;
    case DEC_SHAPE:
        rc = ms_err_field(err, MS_EFIELD, s->field,
                          "%s '%s' needs digits before and after the decimal point", s->what, q);
        ms_err_zh(err, "%s“%s”格式不正确：小数点前后都应有数字", s->what_zh, q);
        return rc;
    case DEC_DECIMALS:
        rc = ms_err_field(err, MS_EFIELD, s->field, "%s '%s' has more than %d decimals", s->what, q,
                          s->max_decimals);
        ms_err_zh(err, "%s“%s”最多保留 %d 位小数", s->what_zh, q, s->max_decimals);
        return rc;
    case DEC_RANGE:
        rc = ms_err_field(err, MS_EFIELD, s->field, "%s '%s' is out of range", s->what, q);
        ms_err_zh(err, "%s“%s”超出允许范围", s->what_zh, q);
        return rc;
    case DEC_OK:
        break;
    }
    return 0;
}

int ms_money_parse(const char *text, int64_t *fen, struct ms_err *err)
{
    int64_t v = 0;
    enum dec_fault f = parse_decimal(text, &money_spec, &v);
    if (f != DEC_OK)
        return fault_to_err(f, text, &money_spec, err);
    *fen = v;
    return 0;
}

int ms_money_parse_ratio(const char *text, int64_t *ppm, struct ms_err *err)
{
    int64_t v = 0;
    enum dec_fault f = parse_decimal(text, &ratio_spec, &v);
    if (f != DEC_OK)
        return fault_to_err(f, text, &ratio_spec, err);
    *ppm = v;
    return 0;
}

void ms_money_format(int64_t fen, char buf[MS_MONEY_BUF])
{
    /* Work on the magnitude as uint64_t: -INT64_MIN does not fit an int64_t. */
    uint64_t mag = fen < 0 ? 0u - (uint64_t)fen : (uint64_t)fen;
    char tmp[MS_MONEY_BUF];
    size_t i = sizeof(tmp);

    tmp[--i] = '\0';
    tmp[--i] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[--i] = (char)('0' + mag % 10);
    mag /= 10;
    tmp[--i] = '.';
    do {
        tmp[--i] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (fen < 0)
        tmp[--i] = '-';
    memcpy(buf, tmp + i, sizeof(tmp) - i);
}

int ms_money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return MS_EFIELD;
    *out = r;
    return 0;
}

int ms_money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return MS_EFIELD;
    *out = r;
    return 0;
}

int ms_money_mul(int64_t fen, int64_t n, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(fen, n, &r))
        return MS_EFIELD;
    *out = r;
    return 0;
}

int ms_money_apply_ratio(int64_t fen, int64_t ppm, int64_t *out)
{
    if (ppm > MS_RATIO_MAX_PPM || ppm < -MS_RATIO_MAX_PPM)
        return MS_EINVAL;
    /*
     * fen * ppm / 10^6 = q * ppm + r * ppm / 10^6 with fen = q * 10^6 + r.
     * q * ppm is whole, so only r * ppm (|r| < 10^6, |ppm| <= 10^12: fits)
     * carries a fraction, and q * ppm and r * ppm share a sign, so rounding
     * that fraction away from zero rounds the whole result away from zero.
     */
    int64_t q = fen / MS_RATIO_ONE, r = fen % MS_RATIO_ONE;
    int64_t whole, frac = r * ppm;
    int64_t part = frac / MS_RATIO_ONE, rem = frac % MS_RATIO_ONE;
    if (rem >= MS_RATIO_ONE / 2)
        part++;
    else if (rem <= -(MS_RATIO_ONE / 2))
        part--;
    if (__builtin_mul_overflow(q, ppm, &whole) || __builtin_add_overflow(whole, part, &whole))
        return MS_EFIELD;
    *out = whole;
    return 0;
}
