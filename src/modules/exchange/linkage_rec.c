/*
 * linkage_rec.c - preparing a link_rec from text values (link_rec_set):
 * trimming, pinyin of hanzi names, folding of Latin names, ID numbers,
 * birth dates in several layouts, sex codes.
 *
 * Everything a comparison needs is computed here once, so comparing a pair
 * (done millions of times) never converts or allocates. Error messages never
 * repeat the value: it is personal data (idcard.h).
 */
#include "modules/exchange/linkage.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/pinyin.h"
#include "core/banned.h"

void link_rec_init(struct link_rec *r)
{
    memset(r, 0, sizeof(*r));
}

static int bad_value(struct ms_err *err, enum link_role role, const char *en, const char *zh)
{
    ms_err_field(err, MS_EFIELD, link_role_name(role), "%s: %s", link_role_name(role), en);
    ms_err_zh(err, "%s", zh);
    return MS_EFIELD;
}

/* Copies the value without leading and trailing ASCII white space and
 * ideographic spaces (U+3000, which Chinese input methods type). */
static int trim_copy(const char *in, char *out, size_t size)
{
    const char *end = in + strlen(in);
    for (;;) {
        if (in < end && isspace((unsigned char)*in))
            in++;
        else if (end - in >= 3 && memcmp(in, "\xE3\x80\x80", 3) == 0)
            in += 3;
        else
            break;
    }
    for (;;) {
        if (end > in && isspace((unsigned char)end[-1]))
            end--;
        else if (end - in >= 3 && memcmp(end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    size_t n = (size_t)(end - in);
    if (n >= size)
        return -1;
    memcpy(out, in, n);
    out[n] = '\0';
    return 0;
}

/* 1 if the UTF-8 text holds a Han character (CJK blocks, the compatibility
 * block and the supplementary planes' extensions). */
static int has_han(const unsigned char *s)
{
    for (; *s; s++) {
        unsigned cp;
        if (s[0] >= 0xE0 && s[0] < 0xF0 && s[1] && s[2])
            cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        else if (s[0] >= 0xF0 && s[1] && s[2] && s[3])
            cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
                 (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        else
            continue;
        if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0x20000 && cp <= 0x3134F))
            return 1;
    }
    return 0;
}

/* Latin names: ASCII letters lower-cased, runs of spaces, dots, commas and
 * hyphens made one space, other bytes (accented letters) kept as they are.
 * "Mary-Jane  O.Neil" -> "mary jane o neil". */
static void fold_latin(const char *in, char *out, size_t size)
{
    size_t n = 0;
    int gap = 0;
    for (; *in && n + 2 < size; in++) {
        unsigned char c = (unsigned char)*in;
        if (isspace(c) || c == '.' || c == '-' || c == ',') {
            gap = n > 0;
            continue;
        }
        if (gap)
            out[n++] = ' ';
        gap = 0;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
}

/* The first `chars` UTF-8 characters of s, as a byte count. */
static size_t utf8_prefix(const char *s, int chars)
{
    size_t i = 0;
    while (chars-- > 0 && s[i]) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* The first `syllables` words of a pinyin key, as a byte count. */
static size_t word_prefix(const char *s, int syllables)
{
    const char *p = s;
    for (int i = 0; i < syllables && p; i++) {
        p = strchr(p, ' ');
        if (p && i + 1 < syllables)
            p++;
    }
    return p ? (size_t)(p - s) : strlen(s);
}

static int copy_fits(char *out, size_t size, const char *in, size_t n)
{
    if (n >= size)
        return -1;
    memcpy(out, in, n);
    out[n] = '\0';
    return 0;
}

/* A hanzi full name also fills family and given from the surname rules of
 * pinyin.h, unless one of them was set on its own. */
static void split_hanzi(struct link_rec *r, const struct ms_pinyin *py)
{
    if (*r->family || *r->given || py->surname_syllables <= 0)
        return;
    size_t hb = utf8_prefix(r->name, py->surname_syllables);
    size_t pb = word_prefix(py->full, py->surname_syllables);
    if (r->name[hb] == '\0' || py->full[pb] != ' ')
        return; /* a surname alone, or a character read as two syllables */
    if (copy_fits(r->family, sizeof(r->family), r->name, hb) < 0 ||
        copy_fits(r->family_full, sizeof(r->family_full), py->full, pb) < 0 ||
        copy_fits(r->given, sizeof(r->given), r->name + hb, strlen(r->name + hb)) < 0 ||
        copy_fits(r->given_full, sizeof(r->given_full), py->full + pb + 1,
                  strlen(py->full + pb + 1)) < 0) {
        r->family[0] = r->family_full[0] = r->given[0] = r->given_full[0] = '\0';
    }
}

/* Sets text and its comparison key (pinyin or folded Latin). Family and
 * given names alone are read as text: ms_pinyin_name() would apply surname
 * readings to a given name's first character. */
static int set_name(struct link_rec *r, enum link_role role, const char *v, struct ms_err *err)
{
    char *text = r->name, *key = r->name_full;
    size_t text_size = sizeof(r->name), key_size = sizeof(r->name_full);
    if (role == LINK_ROLE_FAMILY_NAME)
        text = r->family, key = r->family_full, text_size = sizeof(r->family),
        key_size = sizeof(r->family_full);
    else if (role == LINK_ROLE_GIVEN_NAME)
        text = r->given, key = r->given_full, text_size = sizeof(r->given),
        key_size = sizeof(r->given_full);
    if (copy_fits(text, text_size, v, strlen(v)) < 0)
        return bad_value(err, role, "too long", "姓名过长");
    if (!has_han((const unsigned char *)v)) {
        fold_latin(v, key, key_size);
        return 0;
    }
    struct ms_pinyin py;
    struct ms_err sub = MS_ERR_INIT;
    int rc;
    if (role == LINK_ROLE_FULL_NAME || role == LINK_ROLE_FAMILY_NAME)
        rc = ms_pinyin_name(v, &py, &sub);
    else
        rc = ms_pinyin_text(v, MS_PINYIN_FULL, py.full, sizeof(py.full), &sub);
    if (rc < 0 || copy_fits(key, key_size, py.full, strlen(py.full)) < 0) {
        text[0] = key[0] = '\0';
        return bad_value(err, role, rc < 0 ? sub.message : "too long",
                         rc < 0 ? ms_err_display(&sub, 0) : "姓名过长");
    }
    if (role == LINK_ROLE_FULL_NAME)
        split_hanzi(r, &py);
    return 0;
}

static int set_id(struct link_rec *r, const char *v, struct ms_err *err)
{
    size_t n = strlen(v);
    char id[MS_IDCARD_BUF];
    if (n == 15) {
        if (ms_idcard_upgrade15(v, id, NULL) < 0)
            return bad_value(err, LINK_ROLE_ID_NUMBER, "not a valid 15-digit ID number",
                             "15 位身份证号码无效");
    } else if (n == 18) {
        for (size_t i = 0; i < 17; i++)
            if (!isdigit((unsigned char)v[i]))
                return bad_value(err, LINK_ROLE_ID_NUMBER, "a non-digit among the first 17",
                                 "身份证号码前 17 位须为数字");
        if (!isdigit((unsigned char)v[17]) && v[17] != 'x' && v[17] != 'X')
            return bad_value(err, LINK_ROLE_ID_NUMBER, "the last character is not a digit or X",
                             "身份证号码最后一位须为数字或 X");
        memcpy(id, v, 18);
        id[17] = (char)toupper((unsigned char)v[17]);
        id[18] = '\0';
    } else {
        return bad_value(err, LINK_ROLE_ID_NUMBER, "expected 15 or 18 characters",
                         "身份证号码应为 15 位或 18 位");
    }
    memcpy(r->id_number, id, sizeof(id));
    /* A wrong check character is kept: it is evidence of a slip (linkage.h). */
    struct ms_idcard card;
    r->id_valid = ms_idcard_parse(id, ms_date_today_cst(), &card, NULL) == 0;
    return 0;
}

/* Reads n digits at *p into *out and moves p past them. For the one- or
 * two-digit parts (month, day) of separated layouts max is 2, min 1. */
static int digits(const char **p, int min, int max, int *out)
{
    int v = 0, n = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++, n++;
    }
    if (n < min)
        return -1;
    *out = v;
    return 0;
}

/* "Y-M-D" with one separator from seps used twice, or 8 digits when allow8;
 * order 'Y' (year first), 'D' (day first) or 'M' (month first). */
static int parse_date(const char *v, char order, int allow8, int32_t *out)
{
    int a, b, c;
    const char *p = v;
    if (allow8 && strlen(v) == 8 && strspn(v, "0123456789") == 8) {
        if (digits(&p, 4, 4, &a) < 0 || digits(&p, 2, 2, &b) < 0 || digits(&p, 2, 2, &c) < 0)
            return -1;
        return ms_date_from_ymd(a, b, c, out) == 0 ? 0 : -1;
    }
    char sep;
    int first_len = order == 'Y' ? 4 : 2;
    if (digits(&p, order == 'Y' ? 4 : 1, first_len, &a) < 0)
        return -1;
    sep = *p;
    if (sep != '-' && sep != '/' && sep != '.')
        return -1;
    p++;
    if (digits(&p, 1, 2, &b) < 0 || *p++ != sep)
        return -1;
    if (digits(&p, order == 'Y' ? 1 : 4, order == 'Y' ? 2 : 4, &c) < 0 || *p)
        return -1;
    int y = order == 'Y' ? a : c;
    int mo = order == 'Y' ? b : order == 'D' ? b : a;
    int d = order == 'Y' ? c : order == 'D' ? a : b;
    return ms_date_from_ymd(y, mo, d, out) == 0 ? 0 : -1;
}

static int set_birth(struct link_rec *r, const char *v, const char *fmt, struct ms_err *err)
{
    int rc;
    if (!fmt || strcmp(fmt, "YYYY-MM-DD") == 0)
        rc = parse_date(v, 'Y', 1, &r->birth);
    else if (strcmp(fmt, "YYYYMMDD") == 0)
        rc = strlen(v) == 8 ? parse_date(v, 'Y', 1, &r->birth) : -1;
    else if (strcmp(fmt, "DD/MM/YYYY") == 0)
        rc = parse_date(v, 'D', 0, &r->birth);
    else if (strcmp(fmt, "MM/DD/YYYY") == 0)
        rc = parse_date(v, 'M', 0, &r->birth);
    else
        return ms_err_field(err, MS_EINVAL, "birth_date_format",
                            "unknown date format '%.20s' (YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or "
                            "MM/DD/YYYY)",
                            fmt);
    if (rc < 0) {
        char en[96];
        snprintf(en, sizeof(en), "not a date in the form %s", fmt ? fmt : "YYYY-MM-DD");
        return bad_value(err, LINK_ROLE_BIRTH_DATE, en, "出生日期格式不对或日期不存在");
    }
    r->has_birth = 1;
    return 0;
}

static int set_sex(struct link_rec *r, const char *v, struct ms_err *err)
{
    /* GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 not stated. */
    static const struct {
        const char *text;
        char sex;
    } forms[] = {{"m", 'M'},      {"male", 'M'}, {"男", 'M'},   {"1", 'M'},   {"f", 'F'},
                 {"female", 'F'}, {"女", 'F'},   {"2", 'F'},    {"0", 0},     {"9", 0},
                 {"u", 0},        {"unknown", 0}, {"未知", 0},  {"未说明", 0}};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        if (strcasecmp(v, forms[i].text) == 0) {
            r->sex = forms[i].sex;
            return 0;
        }
    return bad_value(err, LINK_ROLE_SEX, "expected M/F, 男/女, 1/2 or male/female",
                     "性别应为 男/女、M/F、1/2 或 male/female");
}

static int set_region(struct link_rec *r, const char *v, struct ms_err *err)
{
    size_t n = strlen(v);
    if ((n != 6 && n != 9 && n != 12) || strspn(v, "0123456789") != n)
        return bad_value(err, LINK_ROLE_REGION, "expected a region code of 6, 9 or 12 digits",
                         "区划代码应为 6、9 或 12 位数字");
    memcpy(r->region, v, n + 1);
    return 0;
}

/* Town, postcode and address are compared case-folded with white space
 * runs made single spaces; postcodes lose their spaces ("SW1A 1AA"). An
 * overlong address is cut at a character boundary: it is only compared. */
static int set_text(char *out, size_t size, const char *v, int drop_spaces, int may_cut,
                    enum link_role role, struct ms_err *err)
{
    size_t n = 0;
    int gap = 0;
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            gap = !drop_spaces && n > 0;
            continue;
        }
        size_t need = (gap ? 1 : 0) + 1;
        if (n + need >= size) {
            if (!may_cut) {
                out[0] = '\0';
                return bad_value(err, role, "too long", "内容过长");
            }
            if ((c & 0xC0) == 0x80) { /* c continues a character: drop its start */
                while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
                    n--;
                if (n > 0)
                    n--;
            }
            break;
        }
        if (gap)
            out[n++] = ' ';
        gap = 0;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
    return 0;
}

int link_rec_set(struct link_rec *r, enum link_role role, const char *value,
                 const char *date_format, struct ms_err *err)
{
    char v[512];
    if (!value)
        return 0;
    if (trim_copy(value, v, sizeof(v)) < 0)
        return bad_value(err, role, "longer than 511 bytes", "内容过长");
    if (!v[0])
        return 0;
    switch (role) {
    case LINK_ROLE_FULL_NAME:
    case LINK_ROLE_FAMILY_NAME:
    case LINK_ROLE_GIVEN_NAME:
        return set_name(r, role, v, err);
    case LINK_ROLE_ID_NUMBER:
        return set_id(r, v, err);
    case LINK_ROLE_BIRTH_DATE:
        return set_birth(r, v, date_format, err);
    case LINK_ROLE_SEX:
        return set_sex(r, v, err);
    case LINK_ROLE_REGION:
        return set_region(r, v, err);
    case LINK_ROLE_TOWN:
        return set_text(r->town, sizeof(r->town), v, 0, 0, role, err);
    case LINK_ROLE_POSTCODE:
        return set_text(r->postcode, sizeof(r->postcode), v, 1, 0, role, err);
    case LINK_ROLE_ADDRESS:
        return set_text(r->address, sizeof(r->address), v, 0, 1, role, err);
    case LINK_ROLE_PHONE:
        if (copy_fits(r->phone, sizeof(r->phone), v, strlen(v)) < 0)
            return bad_value(err, role, "too long", "电话号码过长");
        return 0;
    case LINK_ROLE_COUNT:
        break;
    }
    return ms_err_set(err, MS_EINVAL, "unknown role %d", (int)role);
}
