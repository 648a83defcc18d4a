/*
 * similarity.h - field comparators for record linkage (issue #4).
 *
 * Fellegi-Sunter linkage compares two records field by field and needs each
 * comparison to give a small integer *level*, so that m and u probabilities
 * can be estimated per level. Each ms_sim_*_level() function below returns
 * such a level: 0 always means "disagree, or a value missing", the highest
 * level means "exactly equal", and the levels in between are documented here
 * and in docs/linkage.md. The numbers are stable: estimated m/u tables are
 * stored against them, so never renumber a level; add a comparator instead.
 * MS_SIM_*_LEVELS gives the number of levels of each (for sizing m/u arrays).
 *
 * The comparators take the values as the registry stores them: toneless
 * pinyin from pinyin.h (ü written "v"), normalised 18-character ID numbers
 * (idcard.h; 15-digit numbers upgraded by the caller), date.h day numbers,
 * 12-digit statistical region codes, phone numbers as typed. NULL is
 * accepted everywhere and treated as missing. Strings are compared as bytes;
 * at most MS_SIM_MAX_BYTES bytes of each are looked at.
 *
 * Nothing here allocates, reads global state or can fail; every function is
 * thread-safe.
 */
#ifndef MS_SIMILARITY_H
#define MS_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of each string the comparators look at; longer input is cut there.
 * Equal to the length of a pinyin.h name key (MS_PINYIN_BUF_SIZE - 1). */
#define MS_SIM_MAX_BYTES 256

/* Buffer size that always holds ms_sim_fuzzy_pinyin() output for input of
 * up to MS_SIM_MAX_BYTES bytes. */
#define MS_SIM_FUZZY_BUF (MS_SIM_MAX_BYTES + 1)

/*
 * Jaro-Winkler similarity of two byte strings, in [0, 1]; 1 means equal.
 *
 * Jaro (1989): characters match if equal and no further apart than
 * floor(max(|a|, |b|) / 2) - 1 positions (at least 0); with m matches and t
 * matched characters out of order, jaro = (m/|a| + m/|b| + (m - t/2)/m) / 3,
 * or 0 when m = 0. Winkler (1990): when jaro exceeds 0.7 (his "boost
 * threshold"), add l * 0.1 * (1 - jaro), l being the common prefix length
 * capped at 4. Classic values: MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840,
 * DIXON/DICKSONX 0.813. Two empty strings give 1, one empty string 0; NULL
 * is the empty string. Case-sensitive (pinyin is lower-case ASCII).
 */
double ms_sim_jaro_winkler(const char *a, const char *b);

/*
 * Fuzzy pinyin: maps `full` pinyin (syllables separated by spaces, as
 * struct ms_pinyin's `full`) to a key in which syllables confused in
 * Chongqing speech and data entry coincide, joined without spaces:
 *
 *     initials   zh -> z, ch -> c, sh -> s, n -> l, f -> h
 *                (only at the start of a syllable and before a vowel:
 *                "fang" -> "hang", "nan" -> "lan", "ng" unchanged)
 *     finals     eng -> en, ing -> in  (at the end of a syllable)
 *     ü          v -> u after l (so after n too): "lv" -> "lu", "nv" -> "lu"
 *
 * "zhang san feng" -> "zangsanhen". Nothing else is merged: an/ang, h/w and
 * ong/eng stay apart, so 冯 "feng" -> "hen" and 洪 "hong" -> "hong" differ.
 * Letters are lower-cased; other bytes (digits) pass through. out receives
 * at most size - 1 bytes and a NUL (nothing if size is 0); the key is never
 * longer than the input, so strlen(full) + 1 bytes (MS_SIM_FUZZY_BUF for
 * any name key) always suffice.
 */
void ms_sim_fuzzy_pinyin(const char *full_pinyin, char *out, size_t size);

/* Default Jaro-Winkler threshold for name level 1. It will become a policy
 * parameter of the exchange module; m/u tables belong to one value. */
#define MS_SIM_NAME_JW_MIN 0.92

#define MS_SIM_NAME_LEVELS 5
/*
 * Name level, from the names' characters and their `full` pinyin:
 *   4  the same characters (hanzi_a equals hanzi_b, non-empty);
 *   3  homophones: different characters, the same toneless pinyin
 *      (张三 / 章三, both "zhang san");
 *   2  the same fuzzy pinyin (张三 / 张山, 刘 / 牛, 吕 / 卢);
 *   1  Jaro-Winkler of the joined pinyin (spaces removed) >= jw_min
 *      (pass MS_SIM_NAME_JW_MIN): 王小明 / 王小梅;
 *   0  otherwise, or both pinyin missing and the characters not equal.
 * Either hanzi may be NULL (level 4 is then impossible). The pinyin must be
 * the `full` form: the fuzzy rules work syllable by syllable.
 */
int ms_sim_name_level(const char *full_pinyin_a, const char *full_pinyin_b, const char *hanzi_a,
                      const char *hanzi_b, double jw_min);

#define MS_SIM_ID_LEVELS 4
/*
 * ID number level, on normalised 18-character numbers (x and X compare
 * equal):
 *   3  equal;
 *   2  exactly one character differs (a slip with the check character kept
 *      as typed, or only the check character wrong);
 *   1  two adjacent characters of the first 17 transposed with the check
 *      character equal, or the last two characters swapped;
 *   0  otherwise, or either number missing or not 18 characters long. In
 *      particular one body digit and the check character both differing is
 *      level 0: that is what two people born on the same day in the same
 *      county look like (consecutive sequence numbers), which is exactly
 *      who the blocking on birth date brings together, so it cannot count
 *      as evidence of one person. A mistyped number whose check character
 *      was recomputed afterwards (ms_idcard_upgrade15() on a mistyped
 *      15-digit number) is therefore level 0 too.
 * Two numbers that both pass ms_idcard_parse() can never be at level 1 or 2
 * by a slip in the first 17 alone: MOD 11-2 catches every single error and
 * every adjacent transposition. So compare the numbers as recorded, before
 * refusing ones whose check character is wrong.
 */
int ms_sim_id_level(const char *a, const char *b);

/*
 * The same levels, except that a body digit and the check character both
 * differing counts as level 2, and a transposition with the check character
 * differing as level 1. For comparing numbers that were all validated when
 * stored (the registry with itself, where a mistyped number always has a
 * recomputed check character): there the blocking is not on birth date
 * alone and the names decide between a slip and a neighbour.
 */
int ms_sim_id_level_validated(const char *a, const char *b);

#define MS_SIM_DATE_LEVELS 4
/*
 * Date level, on date.h day numbers:
 *   3  equal;
 *   2  the same year, day and month swapped (1980-03-05 / 1980-05-03; only
 *      possible when both are <= 12 and differ);
 *   1  written as 8 digits YYYYMMDD, exactly one digit differs
 *      (1980-03-15 / 1980-03-16, 1986-03-15 / 1980-03-15, 1980-03-15 /
 *      1980-08-15). Dates one day apart across a carry (03-19 / 03-20) differ
 *      in two digits and are level 0: the level models keying slips, not
 *      closeness;
 *   0  otherwise, or either date outside MS_DATE_MIN..MS_DATE_MAX (missing).
 */
int ms_sim_date_level(int32_t a, int32_t b);

#define MS_SIM_REGION_LEVELS 4
/*
 * Region level, on statistical division codes (统计用区划代码): 12 digits,
 * county in the first 6, township (乡镇街道) in the next 3, village or
 * community in the last 3. A 6- or 9-digit code is read as padded with
 * zeros; a part of "000" (or a county part "00") means "not known at that
 * depth", so "500106000000" is a county, not a village.
 *   3  the same village or community (both known to 12 digits);
 *   2  the same township (both known to at least 9 digits);
 *   1  the same county (both known to at least 6 digits);
 *   0  otherwise, or either code missing or not 6, 9 or 12 digits.
 */
int ms_sim_region_level(const char *a, const char *b);

#define MS_SIM_PHONE_LEVELS 3
/*
 * Phone level. Each number is first reduced to its digits (spaces, '-',
 * '(', ')', '+' and any other byte dropped); a country code 86 written as
 * "+86" or "0086", or "86" before an 11-digit mobile, is removed, and a
 * landline written internationally gets its trunk 0 back
 * ("+86 23 6123 4567" -> "02361234567"). Other country codes are kept as
 * digits. Then:
 *   2  equal;
 *   1  the same last 8 digits (a landline with and without its area code;
 *      also two mobiles differing only in their first 3 digits);
 *   0  otherwise, or either number with fewer than 7 digits.
 */
int ms_sim_phone_level(const char *a, const char *b);

#endif
