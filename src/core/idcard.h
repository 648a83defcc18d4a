/*
 * idcard.h - resident ID numbers (公民身份号码), GB 11643-1999.
 *
 * An 18-character number is 6 digits of address code (the county where the
 * number was issued), 8 digits of birth date YYYYMMDD, 3 digits of sequence
 * (odd for men, even for women) and a check character, 0-9 or X, computed
 * with ISO 7064 MOD 11-2 (rules.md §11.1).
 *
 * What ms_idcard_parse() checks, and why no more:
 *   - the form and the check character;
 *   - that the first two digits are a province-level code: 11-15, 21-23,
 *     31-37, 41-46, 50-54, 61-65 (mainland, GB/T 2260), 71 (Taiwan in
 *     GB/T 2260), 81 and 82 (Hong Kong and Macao residents' residence
 *     permits, 810000 and 820000) and 83 (Taiwan residents' residence permits,
 *     830000, issued since 2018) [S];
 *   - that the birth date exists, is not after `today` and not before
 *     1880-01-01.
 * It does NOT check the six-digit address code against a list of counties:
 * numbers never change after issue, so retired codes stay valid for life
 * (rules.md §11.1, §11.2: Wansheng residents carry 500110 from before and
 * after the 2011 merger, and 500222 of the old 綦江县). Nor does it check the
 * sequence (000 is accepted). Foreigners' permanent residence ID cards of the
 * 2023 format also have 18 characters with a MOD 11-2 check, but start with
 * 9; they are a different document and are refused here.
 *
 * Numbers are personal data: error messages never repeat a number, its birth
 * date or its sequence, only the position or rule at fault. Nothing here
 * allocates; all functions are thread-safe.
 */
#ifndef MS_IDCARD_H
#define MS_IDCARD_H

#include <stdint.h>

#include "err.h"

#define MS_IDCARD_LEN 18
#define MS_IDCARD_BUF 19 /* 18 characters and the NUL */

struct ms_idcard {
    char number[MS_IDCARD_BUF]; /* normalised: upper-case X */
    char region[7];             /* address code, first 6 digits */
    int32_t birth;              /* birth date, a date.h day number */
    char sex;                   /* 'M' (17th digit odd) or 'F' (even) */
};

/*
 * Validates an 18-character ID number and splits it into *out. A lower-case
 * x check character is accepted and stored as X. today is the date (date.h
 * day number) against which a future birth date is refused; pass
 * ms_date_today_cst().
 *
 * Errors, all with field "id_number" and English and Chinese text:
 *   MS_EMISSING  empty text;
 *   MS_EFIELD    wrong length (a 15-digit number gets its own message: it
 *                must be upgraded first), a non-digit among the first 17, a
 *                bad last character, an unknown province code, a birth date
 *                that does not exist, is in the future or before 1880, and a
 *                wrong check character (the message names the right one,
 *                "校验位错误，应为 X", so a typist can find the slip).
 * *out is written only on success. err may be NULL.
 */
int ms_idcard_parse(const char *text, int32_t today, struct ms_idcard *out, struct ms_err *err);

/*
 * Upgrades an old 15-digit number (6 region + YYMMDD + 3 sequence, issued
 * before 1999, all births in the 1900s) to 18 characters: "19" goes before
 * the year and the check character is appended. Checks the same province
 * code and a real birth date. Errors: MS_EMISSING or MS_EFIELD, field
 * "id_number". out18 is written only on success.
 */
int ms_idcard_upgrade15(const char *text15, char out18[MS_IDCARD_BUF], struct ms_err *err);

/*
 * The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') for the first 17
 * characters of first17 (further characters are ignored), or '\0' if any of
 * those 17 is not a digit or the string is shorter.
 */
char ms_idcard_check_char(const char *first17);

#endif
