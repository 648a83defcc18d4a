/*
 * similarity.c - the field comparators of record linkage. Each comparator
 * is a pure function of its two values that returns a documented level
 * (similarity.h, docs/linkage.md); string work happens in fixed buffers of
 * MS_SIM_MAX_BYTES on the stack, so nothing allocates and nothing can fail.
 */
#include "similarity.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "date.h"
#include "idcard.h"
#include "pinyin.h"

#include "banned.h"

/* A name key from pinyin.h always fits, so no comparison of names is cut. */
static_assert(MS_SIM_MAX_BYTES == MS_PINYIN_BUF_SIZE - 1, "name keys must fit the buffers");

#define JW_PREFIX_MAX      4   /* Winkler: common prefix counted up to 4 */
#define JW_PREFIX_SCALE    0.1 /* Winkler's p */
#define JW_BOOST_THRESHOLD 0.7 /* Winkler: boost only above this Jaro value */

static size_t bounded_len(const char *s)
{
    return s ? strnlen(s, MS_SIM_MAX_BYTES) : 0;
}

static int is_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

/* --- Jaro-Winkler ------------------------------------------------------- */

double ms_sim_jaro_winkler(const char *a, const char *b)
{
    size_t la = bounded_len(a), lb = bounded_len(b);
    if (la == 0 || lb == 0)
        return la == lb ? 1.0 : 0.0;

    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    unsigned char matched_a[MS_SIM_MAX_BYTES] = {0};
    unsigned char matched_b[MS_SIM_MAX_BYTES] = {0};

    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!matched_b[j] && a[i] == b[j]) {
                matched_a[i] = matched_b[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;

    /* Matched characters of a and b, each in order, compared pairwise. */
    size_t out_of_order = 0;
    for (size_t i = 0, k = 0; i < la; i++) {
        if (!matched_a[i])
            continue;
        while (!matched_b[k])
            k++;
        out_of_order += a[i] != b[k];
        k++;
    }

    double dm = (double)m;
    double jaro =
        (dm / (double)la + dm / (double)lb + (dm - (double)out_of_order / 2.0) / dm) / 3.0;
    if (jaro <= JW_BOOST_THRESHOLD)
        return jaro;

    size_t prefix = 0;
    while (prefix < JW_PREFIX_MAX && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * JW_PREFIX_SCALE * (1.0 - jaro);
}

/* --- fuzzy pinyin ------------------------------------------------------- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'v';
}

/*
 * Writes the fuzzy key of the syllable s[0..n) (lower-case) to out, which
 * has room for n bytes, and returns the bytes written (at most n).
 */
static size_t fuzzy_syllable(const char *s, size_t n, char *out)
{
    size_t i = 0, w = 0;
    char initial = '\0';

    if (n > 2 && (s[0] == 'z' || s[0] == 'c' || s[0] == 's') && s[1] == 'h') {
        initial = s[0]; /* zh ch sh -> z c s */
        i = 2;
    } else if (n > 1 && is_vowel(s[1]) && (s[0] == 'n' || s[0] == 'l')) {
        initial = 'l'; /* n -> l */
        i = 1;
    } else if (n > 1 && is_vowel(s[1]) && s[0] == 'f') {
        initial = 'h'; /* f -> h */
        i = 1;
    }
    if (initial)
        out[w++] = initial;

    size_t end = n;
    if (n - i >= 3 && s[n - 1] == 'g' && s[n - 2] == 'n' && (s[n - 3] == 'e' || s[n - 3] == 'i'))
        end = n - 1; /* eng -> en, ing -> in */

    for (; i < end; i++) {
        char c = s[i];
        if (c == 'v' && initial == 'l' && w == 1)
            c = 'u'; /* lv, nv -> lu */
        out[w++] = c;
    }
    return w;
}

void ms_sim_fuzzy_pinyin(const char *full_pinyin, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    size_t len = bounded_len(full_pinyin);
    size_t used = 0;
    char syllable[MS_SIM_MAX_BYTES];
    char key[MS_SIM_MAX_BYTES];

    for (size_t i = 0; i < len;) {
        if (full_pinyin[i] == ' ') {
            i++;
            continue;
        }
        size_t n = 0;
        for (; i < len && full_pinyin[i] != ' '; i++)
            syllable[n++] = lower(full_pinyin[i]);
        size_t k = fuzzy_syllable(syllable, n, key);
        if (k > size - 1 - used)
            k = size - 1 - used;
        memcpy(out + used, key, k);
        used += k;
    }
    out[used] = '\0';
}

/* --- names -------------------------------------------------------------- */

/* Copies s without spaces into out (MS_SIM_FUZZY_BUF bytes). */
static void join_syllables(const char *s, char out[MS_SIM_FUZZY_BUF])
{
    size_t len = bounded_len(s), w = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ')
            out[w++] = s[i];
    out[w] = '\0';
}

static int same_bounded(const char *a, const char *b)
{
    return strncmp(a, b, MS_SIM_MAX_BYTES) == 0;
}

int ms_sim_name_level(const char *full_pinyin_a, const char *full_pinyin_b, const char *hanzi_a,
                      const char *hanzi_b, double jw_min)
{
    if (!is_empty(hanzi_a) && !is_empty(hanzi_b) && strcmp(hanzi_a, hanzi_b) == 0)
        return 4;
    if (is_empty(full_pinyin_a) || is_empty(full_pinyin_b))
        return 0;
    if (same_bounded(full_pinyin_a, full_pinyin_b))
        return 3;

    char fa[MS_SIM_FUZZY_BUF], fb[MS_SIM_FUZZY_BUF];
    ms_sim_fuzzy_pinyin(full_pinyin_a, fa, sizeof(fa));
    ms_sim_fuzzy_pinyin(full_pinyin_b, fb, sizeof(fb));
    if (fa[0] != '\0' && strcmp(fa, fb) == 0)
        return 2;

    char ja[MS_SIM_FUZZY_BUF], jb[MS_SIM_FUZZY_BUF];
    join_syllables(full_pinyin_a, ja);
    join_syllables(full_pinyin_b, jb);
    if (ja[0] != '\0' && jb[0] != '\0' && ms_sim_jaro_winkler(ja, jb) >= jw_min)
        return 1;
    return 0;
}

/* --- ID numbers --------------------------------------------------------- */

static char id_char(char c)
{
    return c == 'x' ? 'X' : c;
}

static int id_level(const char *a, const char *b, int validated)
{
    if (bounded_len(a) != MS_IDCARD_LEN || bounded_len(b) != MS_IDCARD_LEN)
        return 0;

    /* Positions where the first 17 differ (the first two are enough). */
    size_t diff[2] = {0, 0}, ndiff = 0;
    for (size_t i = 0; i < MS_IDCARD_LEN - 1; i++) {
        if (id_char(a[i]) != id_char(b[i])) {
            if (ndiff == 2)
                return 0;
            diff[ndiff++] = i;
        }
    }
    int check_differs = id_char(a[MS_IDCARD_LEN - 1]) != id_char(b[MS_IDCARD_LEN - 1]);

    /* A slip keeps the check character as typed. A body digit and the check
     * character both differing is what two people born on the same day in
     * the same county look like (sequence numbers one apart), so it is no
     * evidence of one person: level 0. */
    if (ndiff == 0)
        return check_differs ? 2 : 3;
    if (ndiff == 1 && (!check_differs || validated))
        return 2;
    if (ndiff == 1 && diff[0] == MS_IDCARD_LEN - 2 &&
        id_char(a[MS_IDCARD_LEN - 2]) == id_char(b[MS_IDCARD_LEN - 1]) &&
        id_char(a[MS_IDCARD_LEN - 1]) == id_char(b[MS_IDCARD_LEN - 2]))
        return 1; /* the last two characters swapped */
    if (ndiff == 2 && (!check_differs || validated) && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] &&
        a[diff[1]] == b[diff[0]])
        return 1;
    return 0;
}

int ms_sim_id_level(const char *a, const char *b)
{
    return id_level(a, b, 0);
}

int ms_sim_id_level_validated(const char *a, const char *b)
{
    return id_level(a, b, 1);
}

/* --- dates -------------------------------------------------------------- */

static int date_in_range(int32_t d)
{
    return d >= MS_DATE_MIN && d <= MS_DATE_MAX;
}

/* The date as the 8 digits YYYYMMDD (years 1..9999 zero-padded). */
static void date_digits(int32_t d, char out[8])
{
    int y = 0, m = 0, day = 0;
    ms_date_to_ymd(d, &y, &m, &day);
    int v[3] = {y, m, day};
    int width[3] = {4, 2, 2};
    size_t pos = 8;
    for (int f = 2; f >= 0; f--) {
        for (int k = 0; k < width[f]; k++) {
            out[--pos] = (char)('0' + v[f] % 10);
            v[f] /= 10;
        }
    }
}

int ms_sim_date_level(int32_t a, int32_t b)
{
    if (!date_in_range(a) || !date_in_range(b))
        return 0;
    if (a == b)
        return 3;

    int ya = 0, ma = 0, da = 0, yb = 0, mb = 0, db = 0;
    ms_date_to_ymd(a, &ya, &ma, &da);
    ms_date_to_ymd(b, &yb, &mb, &db);
    if (ya == yb && ma == db && da == mb)
        return 2; /* months are <= 12, so both days are too */

    char sa[8], sb[8];
    date_digits(a, sa);
    date_digits(b, sb);
    int ndiff = 0;
    for (size_t i = 0; i < 8; i++)
        ndiff += sa[i] != sb[i];
    return ndiff == 1 ? 1 : 0;
}

/* --- region codes ------------------------------------------------------- */

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/*
 * Pads a 6-, 9- or 12-digit code to 12 digits in out and returns how many
 * leading digits are known (0, 6, 9 or 12); 0 for anything else.
 */
static size_t region_depth(const char *s, char out[12])
{
    size_t n = bounded_len(s);
    if ((n != 6 && n != 9 && n != 12) || !all_digits(s, n))
        return 0;
    memset(out, '0', 12);
    memcpy(out, s, n);
    if (memcmp(out + 4, "00", 2) == 0)
        return 0; /* a province or prefecture, not a county */
    if (memcmp(out + 6, "000", 3) == 0)
        return 6;
    if (memcmp(out + 9, "000", 3) == 0)
        return 9;
    return 12;
}

int ms_sim_region_level(const char *a, const char *b)
{
    char ca[12], cb[12];
    size_t da = region_depth(a, ca), db = region_depth(b, cb);
    size_t depth = da < db ? da : db;
    if (depth >= 12 && memcmp(ca, cb, 12) == 0)
        return 3;
    if (depth >= 9 && memcmp(ca, cb, 9) == 0)
        return 2;
    if (depth >= 6 && memcmp(ca, cb, 6) == 0)
        return 1;
    return 0;
}

/* --- phone numbers ------------------------------------------------------ */

#define PHONE_MIN_DIGITS   7
#define PHONE_SUFFIX_MATCH 8

/* The canonical digits of a phone number in out (MS_SIM_FUZZY_BUF bytes);
 * returns their count. */
static size_t phone_digits(const char *s, char out[MS_SIM_FUZZY_BUF])
{
    size_t len = bounded_len(s), n = 0;
    int has_plus = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+' && n == 0)
            has_plus = 1;
        if (s[i] >= '0' && s[i] <= '9')
            out[n++] = s[i];
    }
    out[n] = '\0';

    size_t cc = 0; /* digits of a country code 86 to drop */
    if (has_plus && n > 2 && memcmp(out, "86", 2) == 0)
        cc = 2;
    else if (!has_plus && n > 4 && memcmp(out, "0086", 4) == 0)
        cc = 4;
    else if (!has_plus && n == 13 && memcmp(out, "861", 3) == 0)
        cc = 2; /* 86 before an 11-digit mobile */
    if (cc == 0)
        return n;

    memmove(out, out + cc, n - cc + 1);
    n -= cc;
    if (out[0] != '0' && out[0] != '1') {
        memmove(out + 1, out, n + 1); /* cc >= 2 digits were dropped: room */
        out[0] = '0';
        n++;
    }
    return n;
}

int ms_sim_phone_level(const char *a, const char *b)
{
    char pa[MS_SIM_FUZZY_BUF], pb[MS_SIM_FUZZY_BUF];
    size_t na = phone_digits(a, pa), nb = phone_digits(b, pb);
    if (na < PHONE_MIN_DIGITS || nb < PHONE_MIN_DIGITS)
        return 0;
    if (na == nb && memcmp(pa, pb, na) == 0)
        return 2;
    if (na < PHONE_SUFFIX_MATCH || nb < PHONE_SUFFIX_MATCH)
        return 0;
    const char *tail_a = pa + na - PHONE_SUFFIX_MATCH, *tail_b = pb + nb - PHONE_SUFFIX_MATCH;
    return memcmp(tail_a, tail_b, PHONE_SUFFIX_MATCH) == 0 ? 1 : 0;
}
