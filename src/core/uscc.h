/*
 * uscc.h - unified social credit codes (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from the 31-symbol set 0-9 A-H J-N P-R T U W-Y (no I, O, S,
 * V, Z), rules.md §11.4:
 *
 *   1      registration authority (1 机构编制, 5 民政, 9 市场监管, ...)
 *   2      organisation type within that authority
 *   3-8    region code of the registering office (6 digits, GB/T 2260)
 *   9-17   subject code: the GB 11714 organisation code, 8 characters and
 *          its own check character
 *   18     check character over 1-17: weights 3^i mod 31, value
 *          31 - (sum mod 31), 31 -> 0, written with the symbol set above
 *
 * Both check characters are validated. The organisation code (9-17) uses the
 * GB 11714-1997 rules: character values 0-9 for digits and A=10 ... Z=35
 * (the plain alphabet, not the 31-symbol set), weights 3 7 9 10 5 8 4 2,
 * C9 = 11 - (sum mod 11), with 10 written X and 11 written 0. Real codes
 * issued after 2015 ("91440300MA5...") pass with these values and fail with
 * the 31-symbol values, which is how the mapping was confirmed.
 *
 * Known real exceptions [S]: some codes issued in Xiamen before 2016 fail
 * the position-18 check although they are genuine (hutool issues 2020 and
 * 4119). ms_uscc_parse() refuses them; if that matters in practice, add an
 * explicit lenient mode for trusted sources rather than dropping the check.
 *
 * The region code is not checked against a list (codes outlive their
 * counties, as with ID numbers). Nothing here allocates; thread-safe.
 */
#ifndef MS_USCC_H
#define MS_USCC_H

#include "err.h"

#define MS_USCC_LEN 18
#define MS_USCC_BUF 19

struct ms_uscc {
    char code[MS_USCC_BUF]; /* normalised to upper case */
    char authority;         /* position 1 */
    char kind;              /* position 2, organisation type */
    char region[7];         /* positions 3-8 */
    char org_code[10];      /* positions 9-17, GB 11714 code with its check */
};

/*
 * Validates a code and splits it into *out. Lower-case letters are accepted
 * and normalised to upper case. Errors, all MS_EFIELD (MS_EMISSING if empty)
 * with field "uscc" and English and Chinese text: wrong length, a character
 * outside the set (with its position), a non-digit in the region code, a
 * wrong organisation-code check character (position 17), and a wrong code
 * check character (position 18); the last two name the expected character.
 * *out is written only on success. err may be NULL.
 */
int ms_uscc_parse(const char *text, struct ms_uscc *out, struct ms_err *err);

/* The GB 32100 check character for the first 17 characters of first17
 * (upper case only), or '\0' if one is outside the 31-symbol set. */
char ms_uscc_check_char(const char *first17);

/* The GB 11714 check character ('0'-'9' or 'X') for the first 8 characters
 * of first8 (digits and upper-case letters), or '\0' if one is neither. */
char ms_uscc_org_check_char(const char *first8);

#endif
