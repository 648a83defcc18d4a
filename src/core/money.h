/*
 * money.h - amounts of money as int64_t fen, and policy ratios in parts per
 * million.
 *
 * Money never touches floating point: an amount is a whole number of fen
 * (1 元 = 100 fen) in an int64_t, parsed from and formatted to yuan text with
 * exactly two decimals ("770.50"). Arithmetic that could overflow goes through
 * the checked helpers below, which refuse instead of wrapping.
 *
 * A ratio (a policy multiplier such as 1.5, or a rate such as 0.3) is an
 * int64_t count of parts per million: 1.5 is 1500000 ppm. Applying a ratio to
 * an amount rounds half away from zero to the nearest fen, once, at the end.
 *
 * Nothing here allocates; results go into caller buffers. All functions are
 * thread-safe.
 */
#ifndef MS_MONEY_H
#define MS_MONEY_H

#include <stdint.h>

#include "err.h"

/* Bytes for ms_money_format(): "-92233720368547758.08" is 21 characters. */
#define MS_MONEY_BUF 24

/* One in parts per million: the ratio 1.0. */
#define MS_RATIO_ONE 1000000

/* Largest ratio magnitude accepted, 1000000.0 (10^12 ppm), so that applying a
 * ratio never needs more than 64-bit intermediates. */
#define MS_RATIO_MAX_PPM 1000000000000LL

/*
 * Parses yuan text into fen: an optional '-', one or more digits, and
 * optionally '.' followed by one or two digits ("770", "770.5", "770.50",
 * "-12.34", "0.01"). Leading zeros are allowed ("007.00").
 *
 * Refused with MS_EFIELD (field "amount", English and Chinese text): empty
 * text, any space, '+', exponents ("1e3"), thousands separators ("1,000"),
 * more than two decimals, a bare '.' or a trailing '.', and amounts outside
 * int64_t fen. *fen is written only on success. err may be NULL.
 */
int ms_money_parse(const char *text, int64_t *fen, struct ms_err *err);

/*
 * Writes fen as yuan with two decimals: 77000 -> "770.00", -5 -> "-0.05".
 * Correct for every int64_t, INT64_MIN included. buf holds MS_MONEY_BUF bytes.
 */
void ms_money_format(int64_t fen, char buf[MS_MONEY_BUF]);

/*
 * Checked arithmetic: *out = a + b, a - b, or fen * n. Returns 0, or
 * MS_EFIELD if the exact result does not fit in int64_t (then *out is left
 * unchanged).
 */
int ms_money_add(int64_t a, int64_t b, int64_t *out);
int ms_money_sub(int64_t a, int64_t b, int64_t *out);
int ms_money_mul(int64_t fen, int64_t n, int64_t *out);

/*
 * Parses a decimal ratio into parts per million: an optional '-', digits,
 * optionally '.' and one to six digits ("1.5" -> 1500000, "0.000001" -> 1).
 * The same characters are refused as in ms_money_parse(), plus more than six
 * decimals and magnitudes above MS_RATIO_MAX_PPM. Negative ratios parse; a
 * caller that needs a non-negative one checks *ppm >= 0. Errors: MS_EFIELD
 * (field "ratio"). err may be NULL.
 */
int ms_money_parse_ratio(const char *text, int64_t *ppm, struct ms_err *err);

/*
 * *out = fen * ppm / 1000000, rounded to the nearest fen, halves away from
 * zero (commercial rounding, as Chinese finance practice and ROUND_HALF_UP in
 * other languages): 1 fen * 0.5 = 1 fen, -1 fen * 0.5 = -1 fen, 3 fen * 1.5 =
 * 5 fen (4.5 -> 5). The product is exact before the single rounding step.
 *
 * Returns 0; MS_EINVAL if |ppm| > MS_RATIO_MAX_PPM; MS_EFIELD if the result
 * does not fit in int64_t. *out is written only on success.
 */
int ms_money_apply_ratio(int64_t fen, int64_t ppm, int64_t *out);

#endif
