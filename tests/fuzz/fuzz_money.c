/*
 * fuzz_money.c - amounts and ratios: ms_money_parse(),
 * ms_money_parse_ratio() (src/core/money.h), with the formatter and the
 * checked arithmetic fed from what they parse.
 *
 * Invariants: parse -> format -> parse gives the same fen; the formatted
 * text of any int64_t parses back to it; a ratio is within
 * +-MS_RATIO_MAX_PPM; ms_money_apply_ratio() agrees with exact 128-bit
 * arithmetic; the checked helpers agree with __builtin_*_overflow.
 */
#include "core/money.h"
#include "fuzz.h"

#include "core/banned.h"

static void round_trip(int64_t fen)
{
    char buf[MS_MONEY_BUF];
    ms_money_format(fen, buf);
    size_t n = strlen(buf);
    FUZZ_CHECK(n >= 4 && n < MS_MONEY_BUF && buf[n - 3] == '.');
    int64_t back = 0;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_money_parse(buf, &back, &err);
    if (rc != 0)
        fprintf(stderr, "'%s' does not parse back: %s\n", buf, err.message);
    FUZZ_CHECK(rc == 0 && back == fen);
}

static void check_apply(int64_t fen, int64_t ppm)
{
    int64_t got = 0;
    int rc = ms_money_apply_ratio(fen, ppm, &got);
    if (ppm > MS_RATIO_MAX_PPM || ppm < -MS_RATIO_MAX_PPM) {
        FUZZ_CHECK(rc == MS_EINVAL);
        return;
    }
    __int128 p = (__int128)fen * ppm;
    __int128 q = p / 1000000, r = p % 1000000;
    if (r >= 500000)
        q++;
    else if (r <= -500000)
        q--;
    if (q > INT64_MAX || q < INT64_MIN) {
        FUZZ_CHECK(rc == MS_EFIELD);
    } else {
        FUZZ_CHECK(rc == 0 && got == (int64_t)q);
    }
}

static void check_arith(int64_t a, int64_t b)
{
    int64_t out = 42, want;
    int of = __builtin_add_overflow(a, b, &want);
    int rc = ms_money_add(a, b, &out);
    FUZZ_CHECK(of ? (rc == MS_EFIELD && out == 42) : (rc == 0 && out == want));
    out = 42;
    of = __builtin_sub_overflow(a, b, &want);
    rc = ms_money_sub(a, b, &out);
    FUZZ_CHECK(of ? (rc == MS_EFIELD && out == 42) : (rc == 0 && out == want));
    out = 42;
    of = __builtin_mul_overflow(a, b, &want);
    rc = ms_money_mul(a, b, &out);
    FUZZ_CHECK(of ? (rc == MS_EFIELD && out == 42) : (rc == 0 && out == want));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);

    int64_t fen = 0;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_money_parse(text, &fen, &err);
    if (rc == 0) {
        round_trip(fen);
        /* Documented refusals never parse. */
        FUZZ_CHECK(strpbrk(text, " +eE,\t") == NULL);
    } else {
        FUZZ_CHECK(rc == MS_EFIELD && err.code == rc);
        FUZZ_CHECK(strcmp(err.field, "amount") == 0);
    }

    int64_t ppm = 0;
    struct ms_err err2 = MS_ERR_INIT;
    int rc2 = ms_money_parse_ratio(text, &ppm, &err2);
    if (rc2 == 0) {
        FUZZ_CHECK(ppm <= MS_RATIO_MAX_PPM && ppm >= -MS_RATIO_MAX_PPM);
        FUZZ_CHECK(strpbrk(text, " +eE,\t") == NULL);
        check_apply(rc == 0 ? fen : 12345, ppm);
    } else {
        FUZZ_CHECK(rc2 == MS_EFIELD && err2.code == rc2);
    }

    /* Raw bytes as numbers: formatting must round-trip for every int64_t,
     * INT64_MIN included. */
    if (size >= 16) {
        int64_t a, b;
        memcpy(&a, data, 8);
        memcpy(&b, data + 8, 8);
        round_trip(a);
        round_trip(b);
        check_arith(a, b);
        check_apply(a, b % (MS_RATIO_MAX_PPM + 2));
    }
    free(text);
    return 0;
}
