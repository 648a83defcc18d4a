/*
 * fuzz_names.c - names and other short personal fields: ms_pinyin_name(),
 * ms_pinyin_text() (src/core/pinyin.h), the maskers (mask.h),
 * ms_rescode_check() (rescode.h) and the linkage comparators
 * (similarity.h).
 *
 * The input is split at its first '\n': the part before is "a", the part
 * after "b" (empty if there is no '\n'); single-argument functions get a,
 * comparators get (a, b). ICU is opened on first use and left open: the
 * replay main calls ms_pinyin_release_all() once at exit.
 *
 * Invariants: pinyin keys are lower-case ASCII, `joined` is `full` without
 * spaces and `initials` has one letter per syllable; on error the text
 * buffer is ""; masks fit their buffers, keep only what mask.h allows and
 * stay valid UTF-8; a checked resident code re-checks to itself and carries
 * its check symbol; comparator levels are in range and equal inputs are at
 * the top level.
 */
#include "core/date.h"
#include "core/json.h"
#include "core/mask.h"
#include "core/pinyin.h"
#include "core/rescode.h"
#include "core/similarity.h"
#include "fuzz.h"

#include "core/banned.h"

static void check_key_chars(const char *s, int spaces_ok)
{
    for (const char *p = s; *p; p++)
        FUZZ_CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                   (spaces_ok && *p == ' '));
}

static void check_pinyin(const char *a)
{
    struct ms_pinyin py;
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_pinyin_name(a, &py, &err);
    if (rc == 0) {
        check_key_chars(py.full, 1);
        check_key_chars(py.joined, 0);
        check_key_chars(py.initials, 0);
        /* joined is full without its spaces; one initial per syllable. */
        size_t j = 0, syllables = 0;
        int in_word = 0;
        for (const char *p = py.full; *p; p++) {
            if (*p == ' ') {
                FUZZ_CHECK(in_word); /* single spaces, none leading */
                in_word = 0;
                continue;
            }
            if (!in_word) {
                FUZZ_CHECK(py.initials[syllables] == *p);
                syllables++;
            }
            in_word = 1;
            FUZZ_CHECK(py.joined[j++] == *p);
        }
        FUZZ_CHECK(in_word || py.full[0] == '\0');
        FUZZ_CHECK(py.joined[j] == '\0' && strlen(py.initials) == syllables);
        FUZZ_CHECK(py.surname_syllables >= 0 && py.surname_syllables <= 2);
        FUZZ_CHECK((size_t)py.surname_syllables <= syllables);
    } else {
        FUZZ_CHECK(rc == MS_EMISSING || rc == MS_EUTF8 || rc == MS_EFIELD ||
                   rc == MS_EINTERNAL);
        FUZZ_CHECK(err.code == rc);
    }

    size_t chars = ms_utf8_is_valid(a, strlen(a)) ? ms_utf8_chars(a) : strlen(a);
    size_t cap = MS_PINYIN_SIZE_FOR(chars);
    char *out = malloc(cap);
    if (!out)
        abort();
    for (int form = MS_PINYIN_FULL; form <= MS_PINYIN_INITIALS + 1; form++) {
        struct ms_err e = MS_ERR_INIT;
        rc = ms_pinyin_text(a, (enum ms_pinyin_form)form, out, cap, &e);
        if (rc == 0) {
            FUZZ_CHECK(form <= MS_PINYIN_INITIALS);
            FUZZ_CHECK(strlen(out) < cap);
            check_key_chars(out, form == MS_PINYIN_FULL);
        } else {
            FUZZ_CHECK(e.code == rc && out[0] == '\0');
        }
    }
    /* Too small a buffer is an error with "" written, never an overflow. */
    char small[4];
    struct ms_err e = MS_ERR_INIT;
    rc = ms_pinyin_text(a, MS_PINYIN_FULL, small, sizeof(small), &e);
    FUZZ_CHECK(rc == 0 ? strlen(small) < sizeof(small) : small[0] == '\0');
    free(out);
}

static void check_masks(const char *a)
{
    size_t al = strlen(a);
    char id[MS_MASK_ID_BUF];
    ms_mask_id_number(a, id);
    FUZZ_CHECK(strlen(id) < MS_MASK_ID_BUF);

    char phone[MS_MASK_PHONE_BUF];
    ms_mask_phone(a, phone);
    size_t pl = strlen(phone), shown = 0;
    FUZZ_CHECK(pl < MS_MASK_PHONE_BUF);
    for (size_t i = 0; i < pl; i++) {
        shown += phone[i] >= '0' && phone[i] <= '9';
        FUZZ_CHECK(phone[i] == '*' || phone[i] == '-' || (phone[i] >= '0' && phone[i] <= '9'));
    }
    FUZZ_CHECK(shown <= 7); /* 3 + 4 (mobile) or 4 + 2 (landline) */
    if (shown)
        FUZZ_CHECK(pl == al);

    char name[MS_MASK_NAME_BUF];
    ms_mask_name(a, name);
    size_t nl = strlen(name);
    FUZZ_CHECK(nl < MS_MASK_NAME_BUF);
    FUZZ_CHECK(ms_utf8_is_valid(name, nl));
    /* Only the first character may show; the rest are asterisks. */
    size_t first = 0;
    while (first < nl && first < 4 && name[first] != '*' && first < al &&
           name[first] == a[first])
        first++;
    for (size_t i = first; i < nl; i++)
        FUZZ_CHECK(name[i] == '*');
    if (first > 0)
        FUZZ_CHECK(ms_utf8_is_valid(a, al) && nl > first); /* one character: "*" */
}

static void check_rescode(const char *a)
{
    char norm[MS_RESCODE_LEN + 1];
    memset(norm, 'Z', sizeof(norm));
    struct ms_err err = MS_ERR_INIT;
    int rc = ms_rescode_check(a, norm, &err);
    if (rc == 0) {
        FUZZ_CHECK(strlen(norm) == MS_RESCODE_LEN);
        FUZZ_CHECK(ms_rescode_check_char(norm) == norm[MS_RESCODE_LEN - 1]);
        char again[MS_RESCODE_LEN + 1];
        FUZZ_CHECK(ms_rescode_check(norm, again, NULL) == 0);
        FUZZ_CHECK(strcmp(again, norm) == 0);
        char disp[MS_RESCODE_DISPLAY_LEN + 1];
        ms_rescode_format(norm, disp);
        FUZZ_CHECK(strlen(disp) == MS_RESCODE_DISPLAY_LEN && disp[4] == '-' && disp[9] == '-');
        FUZZ_CHECK(ms_rescode_check(disp, again, NULL) == 0 && strcmp(again, norm) == 0);
    } else {
        FUZZ_CHECK(rc == MS_EMISSING || rc == MS_EFIELD);
        FUZZ_CHECK(err.code == rc && strcmp(err.field, "resident_code") == 0);
        FUZZ_CHECK(norm[0] == 'Z'); /* written only on success */
    }
    char c = ms_rescode_check_char(a);
    FUZZ_CHECK(c == '\0' || strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c) != NULL);
}

static void check_similarity(const char *a, const char *b)
{
    double jw = ms_sim_jaro_winkler(a, b);
    FUZZ_CHECK(jw >= 0.0 && jw <= 1.0);
    FUZZ_CHECK(ms_sim_jaro_winkler(a, a) == 1.0);
    (void)ms_sim_jaro_winkler(NULL, b);

    size_t al = strlen(a);
    char fz[MS_SIM_FUZZY_BUF];
    ms_sim_fuzzy_pinyin(a, fz, sizeof(fz));
    FUZZ_CHECK(strlen(fz) <= (al < MS_SIM_MAX_BYTES ? al : MS_SIM_MAX_BYTES));
    char tiny[3];
    ms_sim_fuzzy_pinyin(a, tiny, sizeof(tiny));
    FUZZ_CHECK(strlen(tiny) < sizeof(tiny));
    ms_sim_fuzzy_pinyin(a, tiny, 0);

    int l = ms_sim_name_level(a, b, a, b, MS_SIM_NAME_JW_MIN);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_NAME_LEVELS);
    if (al > 0)
        FUZZ_CHECK(ms_sim_name_level(a, a, a, a, MS_SIM_NAME_JW_MIN) == 4);
    l = ms_sim_name_level(a, NULL, NULL, b, MS_SIM_NAME_JW_MIN);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_NAME_LEVELS);

    l = ms_sim_id_level(a, b);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_ID_LEVELS);
    FUZZ_CHECK(ms_sim_id_level(b, a) == l);
    if (al == 18)
        FUZZ_CHECK(ms_sim_id_level(a, a) == 3);

    l = ms_sim_region_level(a, b);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_REGION_LEVELS);
    FUZZ_CHECK(ms_sim_region_level(b, a) == l);

    l = ms_sim_phone_level(a, b);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_PHONE_LEVELS);
    FUZZ_CHECK(ms_sim_phone_level(b, a) == l);
    l = ms_sim_phone_level(a, a);
    FUZZ_CHECK(l == 0 || l == 2);

    int32_t da = 0, db = 0;
    memcpy(&da, a, al < 4 ? al : 4);
    memcpy(&db, b, strlen(b) < 4 ? strlen(b) : 4);
    l = ms_sim_date_level(da, db);
    FUZZ_CHECK(l >= 0 && l < MS_SIM_DATE_LEVELS);
    FUZZ_CHECK(ms_sim_date_level(db, da) == l);
    if (da >= MS_DATE_MIN && da <= MS_DATE_MAX)
        FUZZ_CHECK(ms_sim_date_level(da, da) == 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = fuzz_cstr(data, size);
    char *nl = strchr(a, '\n');
    const char *b = "";
    if (nl) {
        *nl = '\0';
        b = nl + 1;
    }
    check_pinyin(a);
    check_masks(a);
    check_rescode(a);
    check_similarity(a, b);
    free(a);
    return 0;
}
