/*
 * rescode.c - resident codes: generation, the GF(32) check symbol,
 * normalisation of typed input and display grouping (see rescode.h).
 *
 * The alphabet string is also the value table: a symbol's value is its
 * index. Field arithmetic needs only "multiply by a": a shift, and when the
 * degree reaches 5 a reduction by the modulus x^5 + x^2 + 1 (0x25).
 */
#include "rescode.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "xalloc.h"

#include "banned.h"

#define FIELD "resident_code"

#define RANDOM_SYMBOLS (MS_RESCODE_LEN - 1)
#define GROUP_LEN      4

static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* 32, no I L O U */

/* The modulus x^5 + x^2 + 1, irreducible over GF(2). */
#define GF32_MODULUS 0x25u

static unsigned gf32_mul_a(unsigned v)
{
    v <<= 1;
    if (v & 0x20u)
        v ^= GF32_MODULUS;
    return v;
}

/* Value of an upper-case stored-form symbol, or -1. */
static int symbol_value(char c)
{
    const char *p = c ? strchr(symbols, c) : NULL;
    return p ? (int)(p - symbols) : -1;
}

char ms_rescode_check_char(const char *first11)
{
    /* Horner's rule: s = sum of a^(10 - i) * d_i; the check is a * s. */
    unsigned s = 0;
    for (int i = 0; i < RANDOM_SYMBOLS; i++) {
        int v = symbol_value(first11[i]);
        if (v < 0)
            return '\0';
        s = gf32_mul_a(s) ^ (unsigned)v;
    }
    return symbols[gf32_mul_a(s)];
}

/* Writes 11 symbols from the low 55 bits of bits, then the check symbol. */
static void encode(uint64_t bits, char out[MS_RESCODE_LEN + 1])
{
    for (int i = 0; i < RANDOM_SYMBOLS; i++)
        out[i] = symbols[(bits >> (5 * (RANDOM_SYMBOLS - 1 - i))) & 31u];
    out[RANDOM_SYMBOLS] = ms_rescode_check_char(out);
    out[MS_RESCODE_LEN] = '\0';
}

void ms_rescode_new(char out[MS_RESCODE_LEN + 1])
{
    unsigned char buf[sizeof(uint64_t)];
    size_t got = 0;
    while (got < sizeof(buf)) {
        ssize_t n = getrandom(buf + got, sizeof(buf) - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ms_die("getrandom failed: no randomness for resident codes");
        }
        got += (size_t)n;
    }
    uint64_t bits;
    memcpy(&bits, buf, sizeof(bits));
    encode(bits, out);
}

/* splitmix64 (Steele, Lea and Flood 2014; constants as published by Vigna). */
static uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void ms_rescode_from_seed(uint64_t *state, char out[MS_RESCODE_LEN + 1])
{
    encode(splitmix64_next(state), out);
}

/* The stored-form symbol a typed character stands for, or '\0'. */
static char normalise_char(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c == 'I' || c == 'L')
        return '1';
    if (c == 'O')
        return '0';
    if (symbol_value(c) < 0)
        return '\0';
    return c;
}

static int is_separator(char c)
{
    return c == '-' || c == ' ';
}

/*
 * Copies the symbols of text into code (normalised), allowing one separator
 * between groups of four. Sets *count to the number of symbols seen.
 */
static int collect_symbols(const char *text, char code[MS_RESCODE_LEN + 1], size_t *count,
                           struct ms_err *err)
{
    size_t n = 0;
    for (size_t i = 0; text[i]; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_separator((char)c)) {
            /* The next character exists and is no separator, so at most one. */
            int at_boundary =
                n > 0 && n % GROUP_LEN == 0 && text[i + 1] != '\0' && !is_separator(text[i + 1]);
            if (!at_boundary) {
                ms_err_field(err, MS_EFIELD, FIELD,
                             "resident code has a separator at position %zu; only one between "
                             "groups of four is allowed",
                             i + 1);
                ms_err_zh(err, "居民码第 %zu 位的分隔符位置不对，只能每四位之间加一个“-”", i + 1);
                return MS_EFIELD;
            }
            continue;
        }
        char s = normalise_char((char)c);
        if (!s) {
            if (c < 0x20 || c >= 0x7f) {
                ms_err_field(err, MS_EFIELD, FIELD,
                             "resident code has a character outside 0-9 A-Z at position %zu",
                             i + 1);
                ms_err_zh(err, "居民码第 %zu 位不是数字或字母", i + 1);
            } else {
                ms_err_field(err, MS_EFIELD, FIELD,
                             "resident code has '%c' at position %zu, which is not used in codes",
                             (char)c, i + 1);
                ms_err_zh(err, "居民码第 %zu 位的“%c”不是居民码使用的字符", i + 1, (char)c);
            }
            return MS_EFIELD;
        }
        if (n < MS_RESCODE_LEN)
            code[n] = s;
        n++;
    }
    *count = n;
    return 0;
}

int ms_rescode_check(const char *text, char normalised[MS_RESCODE_LEN + 1], struct ms_err *err)
{
    if (!text || !*text) {
        ms_err_field(err, MS_EMISSING, FIELD, "resident code is missing");
        ms_err_zh(err, "请填写居民码");
        return MS_EMISSING;
    }
    char code[MS_RESCODE_LEN + 1];
    size_t n = 0;
    int rc = collect_symbols(text, code, &n, err);
    if (rc)
        return rc;
    if (n != MS_RESCODE_LEN) {
        ms_err_field(err, MS_EFIELD, FIELD,
                     "resident code must have %d characters (hyphens aside), got %zu",
                     MS_RESCODE_LEN, n);
        ms_err_zh(err, "居民码应为 %d 位（不计“-”），实际为 %zu 位", MS_RESCODE_LEN, n);
        return MS_EFIELD;
    }
    code[MS_RESCODE_LEN] = '\0';
    if (ms_rescode_check_char(code) != code[RANDOM_SYMBOLS]) {
        ms_err_field(err, MS_EFIELD, FIELD,
                     "resident code '%s' fails its check character: probably mistyped", code);
        ms_err_zh(err, "居民码 %s 校验不通过，请核对是否输错", code);
        return MS_EFIELD;
    }
    if (normalised)
        memcpy(normalised, code, sizeof(code));
    return 0;
}

void ms_rescode_format(const char *code, char out[MS_RESCODE_DISPLAY_LEN + 1])
{
    assert(strlen(code) == MS_RESCODE_LEN);
    size_t j = 0;
    for (size_t i = 0; i < MS_RESCODE_LEN && code[i]; i++) {
        if (i > 0 && i % GROUP_LEN == 0)
            out[j++] = '-';
        out[j++] = code[i];
    }
    out[j] = '\0';
}
