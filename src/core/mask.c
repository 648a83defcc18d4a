/*
 * mask.c - display masking. Each function first decides whether the input
 * has exactly the expected shape, then copies the kept characters; every
 * other path writes only asterisks.
 */
#include "mask.h"

#include <stddef.h>
#include <string.h>

#include "json.h"

#include "banned.h"

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* UTF-8 characters in s (lead bytes); fine for invalid text too. */
static size_t char_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Writes n asterisks (at most size - 1) and the NUL. */
static void stars(char *out, size_t size, size_t n)
{
    if (n > size - 1)
        n = size - 1;
    memset(out, '*', n);
    out[n] = '\0';
}

/* Keeps head and tail characters of s (len bytes, ASCII), stars between. */
static void keep_ends(const char *s, size_t len, size_t head, size_t tail, char *out)
{
    memcpy(out, s, head);
    memset(out + head, '*', len - head - tail);
    memcpy(out + len - tail, s + len - tail, tail);
    out[len] = '\0';
}

void ms_mask_id_number(const char *id, char out[MS_MASK_ID_BUF])
{
    if (!id) {
        out[0] = '\0';
        return;
    }
    size_t len = strlen(id);
    if (len == 18 && all_digits(id, 17) &&
        ((id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x')) {
        keep_ends(id, 18, 6, 4, out);
        if (out[17] == 'x')
            out[17] = 'X';
        return;
    }
    if (len == 15 && all_digits(id, 15)) {
        keep_ends(id, 15, 6, 3, out);
        return;
    }
    stars(out, MS_MASK_ID_BUF, char_count(id));
}

/* Length of an area code "0" + 2-3 digits followed by '-', or 0. */
static size_t area_code_len(const char *s, size_t len)
{
    for (size_t n = 3; n <= 4; n++)
        if (len > n && s[0] == '0' && all_digits(s, n) && s[n] == '-')
            return n;
    return 0;
}

void ms_mask_phone(const char *phone, char out[MS_MASK_PHONE_BUF])
{
    if (!phone) {
        out[0] = '\0';
        return;
    }
    size_t len = strlen(phone);
    if (len == 11 && phone[0] == '1' && all_digits(phone, 11)) {
        keep_ends(phone, 11, 3, 4, out);
        return;
    }
    size_t area = area_code_len(phone, len);
    size_t local = area ? len - area - 1 : 0;
    if (area && (local == 7 || local == 8) && all_digits(phone + area + 1, local)) {
        keep_ends(phone, len, area + 1, 2, out);
        return;
    }
    stars(out, MS_MASK_PHONE_BUF, char_count(phone));
}

void ms_mask_name(const char *name, char out[MS_MASK_NAME_BUF])
{
    if (!name) {
        out[0] = '\0';
        return;
    }
    size_t len = strlen(name);
    if (!ms_utf8_is_valid(name, len)) {
        stars(out, MS_MASK_NAME_BUF, len);
        return;
    }
    size_t chars = char_count(name);
    if (chars <= 1) {
        stars(out, MS_MASK_NAME_BUF, chars);
        return;
    }
    /* Bytes of the first character: the lead byte and its continuations. */
    size_t first = 1;
    while (((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    memcpy(out, name, first);
    size_t n = chars - 1;
    if (n > MS_MASK_NAME_BUF - 1 - first)
        n = MS_MASK_NAME_BUF - 1 - first;
    memset(out + first, '*', n);
    out[first + n] = '\0';
}
