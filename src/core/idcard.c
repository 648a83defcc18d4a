/*
 * idcard.c - GB 11643-1999 resident ID numbers: the check character, parsing
 * with one distinct message per fault, and the 15-to-18 upgrade.
 *
 * The checks run in the order a clerk would fix them: length, characters,
 * province, birth date, and the check character last, so a message points at
 * the first real problem rather than at the checksum it causes.
 */
#include "idcard.h"

#include <string.h>

#include "date.h"

#include "banned.h"

#define FIELD "id_number"

/* rules.md §11.1: W_i = 2^(17-i) mod 11, check = "10X98765432"[S mod 11]. */
static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_map[] = "10X98765432";

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

char ms_idcard_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return '\0';
        sum += (first17[i] - '0') * weights[i];
    }
    return check_map[sum % 11];
}

/* 1 if the first two digits name a province-level unit (see idcard.h). */
static int is_province(const char *s)
{
    int p = (s[0] - '0') * 10 + (s[1] - '0');
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82 || p == 83;
}

/* Number of UTF-8 characters, for a length message that makes sense when a
 * full-width digit or a Chinese character was typed. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int fail(struct ms_err *err, int code, const char *en, const char *zh)
{
    ms_err_field(err, code, FIELD, "%s", en);
    ms_err_zh(err, "%s", zh);
    return code;
}

/* Checks that n characters are digits; position (1-based) of the first that
 * is not, or 0. */
static int first_non_digit(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return i + 1;
    return 0;
}

static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Validates the 8-digit birth date at s. today < MS_DATE_MIN skips the
 * future check (the upgrade path has no "today"). */
static int check_birth(const char *s, int32_t today, int32_t *birth, struct ms_err *err)
{
    int32_t earliest;
    if (ms_date_from_ymd(digits_value(s, 4), digits_value(s + 4, 2), digits_value(s + 6, 2),
                         birth) < 0)
        return fail(err, MS_EFIELD, "id number has a birth date that does not exist",
                    "身份证号码中的出生日期不存在");
    ms_date_from_ymd(1880, 1, 1, &earliest);
    if (*birth < earliest)
        return fail(err, MS_EFIELD, "id number has a birth date before 1880-01-01",
                    "身份证号码中的出生日期早于1880年1月1日");
    if (today >= MS_DATE_MIN && *birth > today)
        return fail(err, MS_EFIELD, "id number has a birth date in the future",
                    "身份证号码中的出生日期晚于今天");
    return 0;
}

static int check_length(const char *text, size_t len, struct ms_err *err)
{
    if (len == 0)
        return fail(err, MS_EMISSING, "id number is empty", "身份证号码不能为空");
    if (len == 15 && !first_non_digit(text, 15))
        return fail(err, MS_EFIELD, "id number has the old 15 digits; upgrade it to 18",
                    "这是15位旧身份证号码，请使用18位号码");
    size_t chars = utf8_len(text);
    if (chars == MS_IDCARD_LEN)
        return fail(err, MS_EFIELD, "id number must be written with ASCII digits",
                    "身份证号码应使用半角数字和字母");
    int rc =
        ms_err_field(err, MS_EFIELD, FIELD, "id number must have 18 characters, not %zu", chars);
    ms_err_zh(err, "身份证号码应为18位，实际为 %zu 位", chars);
    return rc;
}

int ms_idcard_parse(const char *text, int32_t today, struct ms_idcard *out, struct ms_err *err)
{
    size_t len = strlen(text);
    int32_t birth;
    int rc;

    if (len != MS_IDCARD_LEN)
        return check_length(text, len, err);
    int bad = first_non_digit(text, 17);
    if (bad) {
        rc = ms_err_field(err, MS_EFIELD, FIELD, "id number character %d is not a digit", bad);
        ms_err_zh(err, "身份证号码第 %d 位应为数字", bad);
        return rc;
    }
    char last = text[17];
    if (last == 'x')
        last = 'X';
    if (!is_digit(last) && last != 'X')
        return fail(err, MS_EFIELD, "id number must end in a digit or X",
                    "身份证号码最后一位应为数字或 X");
    if (!is_province(text))
        return fail(err, MS_EFIELD, "id number does not start with a province code",
                    "身份证号码前两位不是有效的省级行政区划代码");
    if ((rc = check_birth(text + 6, today, &birth, err)) < 0)
        return rc;
    char want = ms_idcard_check_char(text);
    if (last != want) {
        rc = ms_err_field(err, MS_EFIELD, FIELD, "id number check character is wrong, expected %c",
                          want);
        ms_err_zh(err, "校验位错误，应为 %c", want);
        return rc;
    }

    memcpy(out->number, text, 17);
    out->number[17] = last;
    out->number[18] = '\0';
    memcpy(out->region, text, 6);
    out->region[6] = '\0';
    out->birth = birth;
    out->sex = (text[16] - '0') % 2 ? 'M' : 'F';
    return 0;
}

int ms_idcard_upgrade15(const char *text15, char out18[MS_IDCARD_BUF], struct ms_err *err)
{
    size_t len = strlen(text15);
    char buf[MS_IDCARD_BUF];
    int32_t birth;
    int rc;

    if (len == 0)
        return fail(err, MS_EMISSING, "id number is empty", "身份证号码不能为空");
    if (len != 15 || first_non_digit(text15, 15))
        return fail(err, MS_EFIELD, "an old id number has exactly 15 digits",
                    "15位旧身份证号码应为15位数字");
    if (!is_province(text15))
        return fail(err, MS_EFIELD, "id number does not start with a province code",
                    "身份证号码前两位不是有效的省级行政区划代码");
    memcpy(buf, text15, 6);
    buf[6] = '1';
    buf[7] = '9';
    memcpy(buf + 8, text15 + 6, 9);
    if ((rc = check_birth(buf + 6, MS_DATE_MIN - 1, &birth, err)) < 0)
        return rc;
    buf[17] = ms_idcard_check_char(buf);
    buf[18] = '\0';
    memcpy(out18, buf, sizeof(buf));
    return 0;
}
