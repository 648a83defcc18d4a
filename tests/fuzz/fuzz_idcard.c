/*
 * fuzz_idcard.c - resident ID numbers: ms_idcard_parse(),
 * ms_idcard_upgrade15(), ms_idcard_check_char() (src/core/idcard.h), and the
 * ID masker, which sees the same untrusted text.
 *
 * Invariants: a parsed number is 18 characters, re-parses to the same fields
 * and carries its own check character; an upgraded 15-digit number parses;
 * error messages never repeat the birth date digits; the mask hides the
 * birth date.
 */
#include "core/date.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "fuzz.h"

#include "core/banned.h"

static int32_t fuzz_today(void)
{
    int32_t d = 0;
    /* A fixed "today", so a run is reproducible. */
    FUZZ_CHECK(ms_date_from_ymd(2026, 6, 30, &d) == 0);
    return d;
}

static void check_err_private(const struct ms_err *err, const char *number)
{
    /* The message may name the expected check character but never the
     * birth date (characters 7-14 of an 18-character number). */
    if (strlen(number) != 18)
        return;
    char birth[9];
    memcpy(birth, number + 6, 8);
    birth[8] = '\0';
    int digits = 1;
    for (int i = 0; i < 8; i++)
        digits &= birth[i] >= '0' && birth[i] <= '9';
    if (!digits)
        return;
    FUZZ_CHECK(strstr(err->message, birth) == NULL);
    FUZZ_CHECK(strstr(err->message_zh, birth) == NULL);
}

static void check_parsed(const struct ms_idcard *id, int32_t today)
{
    FUZZ_CHECK(strlen(id->number) == MS_IDCARD_LEN);
    FUZZ_CHECK(strlen(id->region) == 6 && memcmp(id->region, id->number, 6) == 0);
    FUZZ_CHECK(id->sex == 'M' || id->sex == 'F');
    FUZZ_CHECK(((id->number[16] - '0') % 2 == 1) == (id->sex == 'M'));
    FUZZ_CHECK(id->birth <= today);
    FUZZ_CHECK(ms_idcard_check_char(id->number) == id->number[17]);

    char buf[MS_DATE_BUF];
    ms_date_format(id->birth, buf);
    char ymd[9] = {buf[0], buf[1], buf[2], buf[3], buf[5], buf[6], buf[8], buf[9], '\0'};
    FUZZ_CHECK(memcmp(ymd, id->number + 6, 8) == 0);

    struct ms_idcard again;
    struct ms_err err = MS_ERR_INIT;
    FUZZ_CHECK(ms_idcard_parse(id->number, today, &again, &err) == 0);
    FUZZ_CHECK(strcmp(again.number, id->number) == 0 && strcmp(again.region, id->region) == 0);
    FUZZ_CHECK(again.birth == id->birth && again.sex == id->sex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    int32_t today = fuzz_today();

    struct ms_idcard id;
    memset(&id, 0, sizeof(id));
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_idcard_parse(text, today, &id, &err);
    if (rc == 0) {
        check_parsed(&id, today);
        /* Lower-case x is the only normalisation. */
        FUZZ_CHECK(strlen(text) == 18 && memcmp(text, id.number, 17) == 0);
    } else {
        FUZZ_CHECK(rc == MS_EFIELD || rc == MS_EMISSING);
        FUZZ_CHECK(err.code == rc && strcmp(err.field, "id_number") == 0);
        check_err_private(&err, text);
    }
    FUZZ_CHECK(ms_idcard_parse(text, today, &id, NULL) == rc);

    char out18[MS_IDCARD_BUF];
    struct ms_err err15 = MS_ERR_INIT;
    rc = ms_idcard_upgrade15(text, out18, &err15);
    if (rc == 0) {
        FUZZ_CHECK(strlen(text) == 15);
        FUZZ_CHECK(memcmp(out18, text, 6) == 0 && out18[6] == '1' && out18[7] == '9');
        FUZZ_CHECK(memcmp(out18 + 8, text + 6, 9) == 0);
        struct ms_idcard up;
        struct ms_err e = MS_ERR_INIT;
        FUZZ_CHECK(ms_idcard_parse(out18, today, &up, &e) == 0);
        check_parsed(&up, today);
    } else {
        FUZZ_CHECK(rc == MS_EFIELD || rc == MS_EMISSING);
        FUZZ_CHECK(err15.code == rc);
    }

    char c = ms_idcard_check_char(text);
    FUZZ_CHECK(c == '\0' || (c >= '0' && c <= '9') || c == 'X');

    char mask[MS_MASK_ID_BUF];
    ms_mask_id_number(text, mask);
    size_t ml = strlen(mask);
    FUZZ_CHECK(ml <= 18);
    size_t tl = strlen(text);
    for (size_t i = 0; i < ml; i++) {
        if (mask[i] != '*') {
            /* Something shown: only the documented shapes keep characters,
             * and never the birth date. */
            FUZZ_CHECK(tl == 18 || tl == 15);
            FUZZ_CHECK(i < 6 || i >= tl - (tl == 18 ? 4 : 3));
        }
    }
    free(text);
    return 0;
}
