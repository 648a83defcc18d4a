/*
 * uscc.c - GB 32100-2015 unified social credit codes and the GB 11714
 * organisation code inside them.
 *
 * The 31-symbol set is the code's alphabet and also its value table: a
 * symbol's value is its index in the set. The GB 11714 part uses its own,
 * older value table (A=10 ... Z=35), see uscc.h.
 */
#include "uscc.h"

#include <string.h>

#include "banned.h"

#define FIELD "uscc"

static const char symbols[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* 31, no I O S V Z */

/* rules.md §11.4: W_i = 3^i mod 31. */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714-1997 §2.1.2. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Value of c in the 31-symbol set, or -1. */
static int symbol_value(char c)
{
    const char *p = c ? strchr(symbols, c) : NULL;
    return p ? (int)(p - symbols) : -1;
}

static char to_upper(char c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    return c;
}

char ms_uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = symbol_value(first17[i]);
        if (v < 0)
            return '\0';
        sum += v * uscc_weights[i];
    }
    return symbols[(31 - sum % 31) % 31];
}

char ms_uscc_org_check_char(const char *first8)
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = first8[i];
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return '\0';
        sum += v * org_weights[i];
    }
    int c9 = 11 - sum % 11;
    if (c9 == 10)
        return 'X';
    if (c9 == 11)
        return '0';
    return (char)('0' + c9);
}

static int fail(struct ms_err *err, int code, const char *en, const char *zh)
{
    ms_err_field(err, code, FIELD, "%s", en);
    ms_err_zh(err, "%s", zh);
    return code;
}

/* Upper-cases text into buf (18 characters) and checks each is a symbol. */
static int normalise(const char *text, char buf[MS_USCC_BUF], struct ms_err *err)
{
    size_t len = strlen(text);
    if (len == 0)
        return fail(err, MS_EMISSING, "unified social credit code is empty",
                    "统一社会信用代码不能为空");
    if (len != MS_USCC_LEN)
        return fail(err, MS_EFIELD, "unified social credit code must have 18 characters",
                    "统一社会信用代码应为18位");
    for (int i = 0; i < MS_USCC_LEN; i++) {
        buf[i] = to_upper(text[i]);
        if (symbol_value(buf[i]) < 0) {
            ms_err_field(err, MS_EFIELD, FIELD,
                         "unified social credit code character %d is not one of "
                         "0-9 A-H J-N P-R T U W-Y",
                         i + 1);
            ms_err_zh(err, "统一社会信用代码第 %d 位字符无效（不使用 I、O、S、V、Z）", i + 1);
            return MS_EFIELD;
        }
    }
    buf[MS_USCC_LEN] = '\0';
    return 0;
}

int ms_uscc_parse(const char *text, struct ms_uscc *out, struct ms_err *err)
{
    char buf[MS_USCC_BUF];
    int rc = normalise(text, buf, err);
    if (rc < 0)
        return rc;
    for (int i = 2; i < 8; i++)
        if (buf[i] < '0' || buf[i] > '9')
            return fail(err, MS_EFIELD, "unified social credit code positions 3-8 must be digits",
                        "统一社会信用代码第3至8位（行政区划码）应为数字");
    char want = ms_uscc_org_check_char(buf + 8);
    if (buf[16] != want) {
        rc = ms_err_field(err, MS_EFIELD, FIELD,
                          "organisation code check character (position 17) is wrong, expected %c",
                          want);
        ms_err_zh(err, "组织机构代码校验位（第17位）错误，应为 %c", want);
        return rc;
    }
    want = ms_uscc_check_char(buf);
    if (buf[17] != want) {
        rc = ms_err_field(err, MS_EFIELD, FIELD,
                          "unified social credit code check character is wrong, expected %c", want);
        ms_err_zh(err, "统一社会信用代码校验位错误，应为 %c", want);
        return rc;
    }

    memcpy(out->code, buf, sizeof(buf));
    out->authority = buf[0];
    out->kind = buf[1];
    memcpy(out->region, buf + 2, 6);
    out->region[6] = '\0';
    memcpy(out->org_code, buf + 8, 9);
    out->org_code[9] = '\0';
    return 0;
}
