/*
 * fuzz_uscc.c - unified social credit codes: ms_uscc_parse() and the two
 * check-character functions (src/core/uscc.h).
 *
 * Invariants: a parsed code is 18 characters of the 31-symbol set, both its
 * check characters are right, its parts are slices of it, it equals the
 * input up to case and re-parses to itself.
 */
#include <ctype.h>

#include "core/uscc.h"
#include "fuzz.h"

#include "core/banned.h"

static int in_set(char c)
{
    return c && strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", c) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);

    struct ms_uscc u;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_uscc_parse(text, &u, &err);
    if (rc == 0) {
        FUZZ_CHECK(strlen(u.code) == MS_USCC_LEN && strlen(text) == MS_USCC_LEN);
        for (int i = 0; i < MS_USCC_LEN; i++) {
            FUZZ_CHECK(in_set(u.code[i]));
            FUZZ_CHECK(u.code[i] == toupper((unsigned char)text[i]));
        }
        FUZZ_CHECK(ms_uscc_check_char(u.code) == u.code[17]);
        FUZZ_CHECK(ms_uscc_org_check_char(u.code + 8) == u.code[16]);
        FUZZ_CHECK(u.authority == u.code[0] && u.kind == u.code[1]);
        FUZZ_CHECK(strlen(u.region) == 6 && memcmp(u.region, u.code + 2, 6) == 0);
        FUZZ_CHECK(strlen(u.org_code) == 9 && memcmp(u.org_code, u.code + 8, 9) == 0);
        struct ms_uscc again;
        FUZZ_CHECK(ms_uscc_parse(u.code, &again, NULL) == 0);
        FUZZ_CHECK(strcmp(again.code, u.code) == 0 && strcmp(again.region, u.region) == 0);
        FUZZ_CHECK(strcmp(again.org_code, u.org_code) == 0);
        FUZZ_CHECK(again.authority == u.authority && again.kind == u.kind);
    } else {
        FUZZ_CHECK(rc == MS_EFIELD || rc == MS_EMISSING);
        FUZZ_CHECK(err.code == rc && strcmp(err.field, "uscc") == 0);
        FUZZ_CHECK(ms_uscc_parse(text, &u, NULL) == rc);
    }

    char c = ms_uscc_check_char(text);
    FUZZ_CHECK(c == '\0' || in_set(c));
    c = ms_uscc_org_check_char(text);
    FUZZ_CHECK(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
    free(text);
    return 0;
}
