/*
 * registry.c - residents: the key, validation, and the audited create,
 * update, read and reveal. Search lives in registry_search.c, households
 * and life events in registry_household.c.
 *
 * Validation follows rules.md §11: the ID number must be valid (GB 11643,
 * core/idcard.h) and the record's birth date and sex must agree with it, so
 * a typing slip in either is caught at the counter rather than in a payment
 * run months later.
 */
#include "modules/registry/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/json.h"
#include "core/mask.h"
#include "core/pinyin.h"
#include "core/rescode.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry_int.h"
#include "modules/registry/registry_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define NAME_MAX_CHARS    30
#define ADDRESS_MAX_CHARS 100
#define ETHNICITY_MAX     10
#define PURPOSE_MAX_CHARS 200
#define CODE_DRAWS        8

/* --- the key ------------------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    struct ms_seal *seal;
    char option[MS_SEAL_PATH_MAX];
} key = {PTHREAD_MUTEX_INITIALIZER, NULL, ""};

void registry_set_key_file(const char *path)
{
    pthread_mutex_lock(&key.lock);
    snprintf(key.option, sizeof(key.option), "%s", path ? path : "");
    pthread_mutex_unlock(&key.lock);
}

void registry_unload_key(void)
{
    pthread_mutex_lock(&key.lock);
    ms_seal_free(key.seal);
    key.seal = NULL;
    pthread_mutex_unlock(&key.lock);
}

/* The SQLite database's file, for "<db>.key"; "" for PostgreSQL and
 * in-memory databases. */
static int sqlite_file(struct store *st, char *out, size_t size, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    out[0] = '\0';
    if (store_engine(st) != STORE_SQLITE)
        return 0;
    if (store_prepare(st, registry_sql_sqlite_file, &s, err) < 0)
        return err->code;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        const char *name = store_col_text(s, 1), *file = store_col_text(s, 2);
        if (name && strcmp(name, "main") == 0 && file)
            snprintf(out, size, "%s", file);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int registry__seal(struct store *st, const struct ms_seal **out, struct ms_err *err)
{
    char db_file[MS_SEAL_PATH_MAX], path[MS_SEAL_PATH_MAX];
    int rc = 0;
    pthread_mutex_lock(&key.lock);
    if (!key.seal) {
        if ((rc = sqlite_file(st, db_file, sizeof(db_file), err)) == 0 &&
            (rc = ms_seal_key_path(key.option, db_file, path, sizeof(path), err)) == 0)
            rc = ms_seal_open(path, &key.seal, err);
    }
    *out = key.seal;
    pthread_mutex_unlock(&key.lock);
    return rc;
}

int registry_seal(struct store *st, const struct ms_seal **out, struct ms_err *err)
{
    return registry__seal(st, out, err);
}

int registry_load_key(struct store *st, struct ms_err *err)
{
    const struct ms_seal *seal;
    return registry__seal(st, &seal, err);
}

/* --- scope ---------------------------------------------------------------------- */

static int all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int registry__scope_range(const char *scope, struct registry_range *out, struct ms_err *err)
{
    if (!scope)
        scope = "";
    if (!all_digits(scope, 0, 12))
        return registry__bad_field(err, MS_EFIELD, "scope",
                                   "数据范围应为统计用区划代码前缀（最多 12 位数字）",
                                   "scope must be a region-code prefix of at most 12 digits");
    size_t n = strlen(scope);
    /* Every code with the prefix sorts at or after the prefix and before the
     * prefix with its last digit raised by one ('9' + 1 is ':', above every
     * digit); region codes are digits, so "~" bounds the whole district. */
    snprintf(out->lo, sizeof(out->lo), "%s", scope);
    if (n == 0) {
        snprintf(out->hi, sizeof(out->hi), "~");
    } else {
        snprintf(out->hi, sizeof(out->hi), "%s", scope);
        out->hi[n - 1] = (char)(out->hi[n - 1] + 1);
    }
    return 0;
}

int registry_scope_bounds(const char *scope, char lo[16], char hi[16], struct ms_err *err)
{
    struct registry_range r;
    if (registry__scope_range(scope, &r, err) < 0)
        return err->code;
    memcpy(lo, r.lo, sizeof(r.lo));
    memcpy(hi, r.hi, sizeof(r.hi));
    return 0;
}

int registry__in_scope(const char *scope, const char *region_code)
{
    return !scope || strncmp(region_code, scope, strlen(scope)) == 0;
}

/* --- validation ------------------------------------------------------------------- */

int registry__bad_field(struct ms_err *err, int code, const char *field, const char *zh,
                        const char *en)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

int registry__check_region(const char *field, const char *code, struct ms_err *err)
{
    if (code && all_digits(code, 12, 12))
        return 0;
    int ret = ms_err_field(err, code ? MS_EFIELD : MS_EMISSING, field,
                           "%s must be a 12-digit statistical region code", field);
    ms_err_zh(err, "%s 应为 12 位统计用区划代码", field);
    return ret;
}

int registry__check_text(const char *field, const char *zh_name, const char *text,
                         size_t max_chars, struct ms_err *err)
{
    int ok = ms_utf8_is_valid(text, strlen(text)) && ms_utf8_chars(text) <= max_chars;
    for (const unsigned char *p = (const unsigned char *)text; ok && *p; p++)
        ok = *p >= 0x20 && *p != 0x7f;
    if (ok)
        return 0;
    int ret = ms_err_field(err, MS_EFIELD, field,
                           "%s must be at most %zu characters without control characters", field,
                           max_chars);
    ms_err_zh(err, "%s最多 %zu 个字符，且不含控制字符", zh_name, max_chars);
    return ret;
}

int registry__check_date(const char *field, const char *text, struct ms_err *err)
{
    int32_t d;
    if (ms_date_parse(text, &d, err) == 0)
        return 0;
    snprintf(err->field, sizeof(err->field), "%s", field);
    return err->code;
}

/* Decodes one UTF-8 character (input already checked valid). */
static const char *utf8_next(const char *p, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0x80) {
        *cp = u[0];
        return p + 1;
    }
    if (u[0] < 0xE0) {
        *cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
        return p + 2;
    }
    if (u[0] < 0xF0) {
        *cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        return p + 3;
    }
    *cp = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
    return p + 4;
}

static int is_han(unsigned cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

/* Names: 1-30 characters of Han, ASCII letters and the middle dot (U+00B7)
 * between parts, as in 阿依古丽·买买提. */
int registry__check_name(const char *name, struct ms_err *err)
{
    static const char zh[] = "姓名应为 1 至 30 个汉字或字母，少数民族姓名可用间隔号“·”分隔";
    static const char en[] = "name must be 1-30 Han characters or letters, parts separated by "
                             "a middle dot";
    if (!name || !*name)
        return registry__bad_field(err, MS_EMISSING, "name", zh, en);
    size_t chars = ms_utf8_chars(name);
    if (!ms_utf8_is_valid(name, strlen(name)) || chars > NAME_MAX_CHARS)
        return registry__bad_field(err, MS_EFIELD, "name", zh, en);
    unsigned prev = 0, cp = 0;
    for (const char *p = name; *p; prev = cp) {
        p = utf8_next(p, &cp);
        int is_dot = cp == 0xB7;
        int ok = is_han(cp) || (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) ||
                 (is_dot && prev != 0 && prev != 0xB7 && *p);
        if (!ok)
            return registry__bad_field(err, MS_EFIELD, "name", zh, en);
    }
    return 0;
}

/* The pinyin search keys. Names longer than ms_pinyin_name() takes (long
 * transliterated names, which get no surname rules anyway) are read as text. */
static int name_keys(const char *name, struct ms_arena *a, const char **joined,
                     const char **initials, struct ms_err *err)
{
    if (ms_utf8_chars(name) <= MS_PINYIN_NAME_MAX) {
        struct ms_pinyin py;
        if (ms_pinyin_name(name, &py, err) < 0)
            return err->code;
        *joined = ms_arena_strdup(a, py.joined);
        *initials = ms_arena_strdup(a, py.initials);
        return 0;
    }
    size_t size = MS_PINYIN_SIZE_FOR(NAME_MAX_CHARS);
    char *j = ms_arena_alloc(a, size), *i = ms_arena_alloc(a, size);
    if (ms_pinyin_text(name, MS_PINYIN_JOINED, j, size, err) < 0 ||
        ms_pinyin_text(name, MS_PINYIN_INITIALS, i, size, err) < 0) {
        snprintf(err->field, sizeof(err->field), "name");
        return err->code;
    }
    *joined = j;
    *initials = i;
    return 0;
}

/* Mainland mobile (11 digits, 13x-19x) or a landline with its area code,
 * "023-12345678": the forms ms_mask_phone() masks. */
int registry__check_phone(const char *phone, struct ms_err *err)
{
    size_t n = strlen(phone);
    int ok = n == 11 && all_digits(phone, 11, 11) && phone[0] == '1' && phone[1] >= '3';
    const char *dash = strchr(phone, '-');
    if (!ok && dash && phone[0] == '0') {
        size_t area = (size_t)(dash - phone);
        char buf[8];
        snprintf(buf, sizeof(buf), "%.*s", (int)(area < 7 ? area : 7), phone);
        ok = area >= 3 && area <= 4 && all_digits(buf, 3, 4) && all_digits(dash + 1, 7, 8);
    }
    if (ok)
        return 0;
    return registry__bad_field(err, MS_EFIELD, "phone",
                               "电话应为 11 位手机号码，或带区号的固定电话（如 023-12345678）",
                               "phone must be an 11-digit mobile number or a landline with its "
                               "area code, such as 023-12345678");
}

static int check_hukou_type(const char *t, struct ms_err *err)
{
    if (t && (strcmp(t, "urban") == 0 || strcmp(t, "rural") == 0))
        return 0;
    return registry__bad_field(err, t ? MS_EFIELD : MS_EMISSING, "hukou_type",
                               "户口性质应为 urban（城镇）或 rural（农村）",
                               "hukou_type must be urban or rural");
}

static int check_relation(const char *rel, struct ms_err *err)
{
    char padded[80];
    snprintf(padded, sizeof(padded), " %s ", rel ? rel : "");
    if (rel && *rel && !strchr(rel, ' ') && strstr(" " REGISTRY_RELATIONS " ", padded))
        return 0;
    return registry__bad_field(err, rel ? MS_EFIELD : MS_EMISSING, "relation",
                               "与户主关系应为 head、spouse、child、parent、grandchild、"
                               "grandparent、sibling 或 other",
                               "relation must be one of: " REGISTRY_RELATIONS);
}

static int check_address(const char *prefix, const struct registry_address *a,
                         struct ms_err *err)
{
    char field[48];
    snprintf(field, sizeof(field), "%s.region_code", prefix);
    if (registry__check_region(field, a->region_code, err) < 0)
        return err->code;
    snprintf(field, sizeof(field), "%s.detail", prefix);
    if (a->detail && registry__check_text(field, "详细地址", a->detail, ADDRESS_MAX_CHARS, err) < 0)
        return err->code;
    if (a->place_id < 0)
        return ms_err_field(err, MS_EFIELD, prefix, "place_id must be positive");
    return 0;
}

static int outside_scope(struct ms_err *err, const char *field)
{
    int ret = ms_err_field(err, MS_EFIELD, field, "the address is outside your data scope");
    ms_err_zh(err, "该地址不在您的数据范围内");
    return ret;
}

/* The ID number, upgraded from 15 digits if need be, and parsed. */
int registry__parse_id(const char *text, struct ms_idcard *id, struct ms_err *err)
{
    char up[MS_IDCARD_BUF];
    if (text && strlen(text) == 15) {
        if (ms_idcard_upgrade15(text, up, err) < 0)
            return err->code;
        text = up;
    }
    return ms_idcard_parse(text, ms_date_today_cst(), id, err);
}

/* rules.md §11.1: positions 7-14 are the birth date, position 17 the sex. */
static int check_agrees(const struct registry_resident_new *in, const struct ms_idcard *id,
                        struct ms_err *err)
{
    if (in->sex && strcmp(in->sex, "M") != 0 && strcmp(in->sex, "F") != 0)
        return registry__bad_field(err, MS_EFIELD, "sex", "性别应为 M（男）或 F（女）",
                                   "sex must be M or F");
    if (in->sex && in->sex[0] != id->sex)
        return registry__bad_field(err, MS_EFIELD, "sex",
                                   "性别与身份证号码不一致（第 17 位奇数为男、偶数为女）",
                                   "sex does not agree with the ID number (its 17th digit)");
    if (in->birth_date) {
        int32_t d;
        if (registry__check_date("birth_date", in->birth_date, err) < 0)
            return err->code;
        ms_date_parse(in->birth_date, &d, NULL);
        if (d != id->birth)
            return registry__bad_field(err, MS_EFIELD, "birth_date",
                                       "出生日期与身份证号码不一致（第 7 至 14 位）",
                                       "birth date does not agree with the ID number (digits "
                                       "7-14)");
    }
    return 0;
}

static int check_new(const char *scope, const struct registry_resident_new *in,
                     struct ms_idcard *id, struct ms_err *err)
{
    if (registry__check_name(in->name, err) < 0)
        return err->code;
    if (registry__parse_id(in->id_number, id, err) < 0 || check_agrees(in, id, err) < 0)
        return err->code;
    if ((in->phone && *in->phone && registry__check_phone(in->phone, err) < 0) ||
        (in->ethnicity &&
         registry__check_text("ethnicity", "民族", in->ethnicity, ETHNICITY_MAX, err) < 0) ||
        check_hukou_type(in->hukou_type, err) < 0 ||
        check_address("residence", &in->residence, err) < 0 ||
        (in->hukou.region_code && check_address("hukou", &in->hukou, err) < 0) ||
        (in->household_id && check_relation(in->relation, err) < 0))
        return err->code;
    if (!registry__in_scope(scope, in->residence.region_code))
        return outside_scope(err, "residence.region_code");
    return 0;
}

/* --- reading --------------------------------------------------------------------- */

static int open_masked(const struct ms_seal *seal, const char *field, const char *sealed,
                       struct ms_arena *a, int is_id, const char **out, struct ms_err *err)
{
    const char *plain;
    if (!*sealed) {
        *out = "";
        return 0;
    }
    if (ms_seal_decrypt(seal, field, sealed, a, &plain, err) < 0)
        return err->code;
    char *m = ms_arena_alloc(a, MS_MASK_PHONE_BUF);
    if (is_id)
        ms_mask_id_number(plain, m);
    else
        ms_mask_phone(plain, m);
    *out = m;
    return 0;
}

int registry__read_resident(struct store_stmt *s, const struct ms_seal *seal,
                            struct ms_arena *arena, struct registry_resident *out,
                            struct ms_err *err)
{
    memset(out, 0, sizeof(*out));
    out->id = store_col_int64(s, RC_ID);
    out->code = store_col_dup(s, RC_CODE, arena);
    out->name = store_col_dup(s, RC_NAME, arena);
    out->name_pinyin = store_col_dup(s, RC_PINYIN, arena);
    out->name_initials = store_col_dup(s, RC_INITIALS, arena);
    out->sex = store_col_dup(s, RC_SEX, arena);
    out->birth_date = store_col_dup(s, RC_BIRTH, arena);
    out->ethnicity = store_col_dup(s, RC_ETHNICITY, arena);
    out->hukou_type = store_col_dup(s, RC_HUKOU_TYPE, arena);
    out->hukou.region_code = store_col_dup(s, RC_HUKOU_REGION, arena);
    out->hukou.place_id = store_col_int64(s, RC_HUKOU_PLACE);
    out->hukou.detail = store_col_dup(s, RC_HUKOU_ADDRESS, arena);
    out->residence.region_code = store_col_dup(s, RC_REGION, arena);
    out->residence.place_id = store_col_int64(s, RC_PLACE);
    out->residence.detail = store_col_dup(s, RC_ADDRESS, arena);
    out->household_id = store_col_int64(s, RC_HOUSEHOLD_ID);
    out->household_number = store_col_dup(s, RC_HOUSEHOLD_NUMBER, arena);
    out->relation = store_col_dup(s, RC_RELATION, arena);
    out->status = store_col_dup(s, RC_STATUS, arena);
    out->status_date = store_col_dup(s, RC_STATUS_DATE, arena);
    out->version = store_col_int64(s, RC_VERSION);
    out->created_at = store_col_dup(s, RC_CREATED, arena);
    out->updated_at = store_col_dup(s, RC_UPDATED, arena);
    int32_t birth;
    int age = ms_date_parse(out->birth_date, &birth, NULL) == 0
                  ? ms_date_age_on(birth, ms_date_today_cst())
                  : 0;
    out->age = age < 0 ? 0 : age;
    if (open_masked(seal, REGISTRY_FIELD_ID, store_col_dup(s, RC_ID_SEALED, arena), arena, 1,
                    &out->id_number_masked, err) < 0 ||
        open_masked(seal, REGISTRY_FIELD_PHONE, store_col_dup(s, RC_PHONE_SEALED, arena), arena, 0,
                    &out->phone_masked, err) < 0)
        return err->code;
    return 0;
}

int registry__not_found(struct ms_err *err, const char *code)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "resident '%.20s' not found", code);
    ms_err_zh(err, "未找到居民“%.20s”", code);
    return ret;
}

int registry__load(struct store *st, const char *scope, const char *code, struct ms_arena *arena,
                   struct registry_resident *out, const char **sealed_id, struct ms_err *err)
{
    char norm[MS_RESCODE_LEN + 1];
    struct registry_range r;
    const struct ms_seal *seal;
    struct store_stmt *s;
    if (registry__scope_range(scope, &r, err) < 0)
        return err->code;
    /* A code that cannot exist is not found, like one outside the scope. */
    if (ms_rescode_check(code, norm, NULL) < 0)
        return registry__not_found(err, code ? code : "");
    if (registry__seal(st, &seal, err) < 0)
        return err->code;
    if (store_prepare(st, registry_sql_resident_get, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, norm);
    store_bind_text(s, 2, r.lo);
    store_bind_text(s, 3, r.hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        rc = registry__read_resident(s, seal, arena, out, err);
        if (rc == 0 && sealed_id)
            *sealed_id = store_col_dup(s, RC_ID_SEALED, arena);
        if (rc == 0)
            rc = STORE_ROW;
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return registry__not_found(err, norm);
    return 0;
}

int registry_resident_get(struct store *st, const char *scope, const char *code,
                          struct ms_arena *arena, struct registry_resident *out,
                          struct audit_entry *read, struct ms_err *err)
{
    if (registry__load(st, scope, code, arena, out, NULL, err) < 0)
        return err->code;
    *read = (struct audit_entry){.action = "resident.read", .object_type = "resident",
                                 .object_id = out->code, .subject = out->code, .result = "ok"};
    return 0;
}

int registry_resident_reveal_id(struct store *st, const char *scope, const char *code,
                                const char *purpose, struct ms_arena *arena,
                                const char **id_number, struct audit_entry *read,
                                struct ms_err *err)
{
    struct registry_resident r;
    const struct ms_seal *seal;
    const char *sealed;
    const char *p = purpose ? purpose : "";
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return registry__bad_field(err, MS_EMISSING, "purpose", "查看完整身份证号码须说明用途",
                                   "state the purpose of viewing the full ID number");
    if (registry__check_text("purpose", "用途", p, PURPOSE_MAX_CHARS, err) < 0)
        return err->code;
    if (registry__load(st, scope, code, arena, &r, &sealed, err) < 0 ||
        registry__seal(st, &seal, err) < 0 ||
        ms_seal_decrypt(seal, REGISTRY_FIELD_ID, sealed, arena, id_number, err) < 0)
        return err->code;
    *read = (struct audit_entry){.action = "resident.reveal_id", .object_type = "resident",
                                 .object_id = r.code, .subject = r.code,
                                 .purpose = ms_arena_strdup(arena, p), .result = "ok"};
    return 0;
}

/* --- create ---------------------------------------------------------------------- */

struct create_ctx {
    const char *scope;
    const struct registry_resident_new *in;
    const struct ms_actor *actor;
    const char *sex, *birth, *pinyin, *initials;
    const char *id_sealed, *phone_sealed;
    char id_bidx[MS_SEAL_INDEX_BUF], phone_bidx[MS_SEAL_INDEX_BUF];
    char code[MS_RESCODE_LEN + 1];
};

static int exists(struct store *st, const char *sql, const char *value, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, value);
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : rc == STORE_ROW;
}

static int household_in_scope(struct store *st, int64_t id, const char *scope, struct ms_err *err)
{
    struct registry_range r;
    struct store_stmt *s;
    if (registry__scope_range(scope, &r, err) < 0 ||
        store_prepare(st, registry_sql_household_in_scope, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, r.lo);
    store_bind_text(s, 3, r.hi);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW) {
        rc = ms_err_field(err, MS_EFIELD, "household_id", "household %lld not found",
                          (long long)id);
        ms_err_zh(err, "户 %lld 不存在", (long long)id);
        return rc;
    }
    return 0;
}

void registry__bind_place(struct store_stmt *s, int idx, int64_t place_id)
{
    if (place_id > 0)
        store_bind_int64(s, idx, place_id);
    else
        store_bind_null(s, idx);
}

void registry__bind_resident(struct store_stmt *s, const struct registry_resident_new *in,
                             const struct registry__row *row)
{
    const struct registry_address *hk = in->hukou.region_code ? &in->hukou : &in->residence;
    store_bind_text(s, 1, row->code);
    store_bind_text(s, 2, in->name);
    store_bind_text(s, 3, row->pinyin);
    store_bind_text(s, 4, row->initials);
    store_bind_text(s, 5, row->sex);
    store_bind_text(s, 6, row->birth);
    store_bind_text(s, 7, row->id_sealed);
    store_bind_text(s, 8, row->id_bidx);
    store_bind_text(s, 9, row->phone_sealed);
    store_bind_text(s, 10, row->phone_bidx);
    store_bind_text(s, 11, in->ethnicity ? in->ethnicity : "");
    store_bind_text(s, 12, in->hukou_type);
    store_bind_text(s, 13, hk->region_code);
    registry__bind_place(s, 14, hk->place_id);
    store_bind_text(s, 15, hk->detail ? hk->detail : "");
    store_bind_text(s, 16, in->residence.region_code);
    registry__bind_place(s, 17, in->residence.place_id);
    store_bind_text(s, 18, in->residence.detail ? in->residence.detail : "");
    if (in->household_id)
        store_bind_int64(s, 19, in->household_id);
    else
        store_bind_null(s, 19);
    store_bind_text(s, 20, in->household_id ? in->relation : "");
}

static int insert_resident(struct store *st, struct create_ctx *c, const char *now, int64_t *id,
                           struct ms_err *err)
{
    const struct registry_resident_new *in = c->in;
    struct store_stmt *s;
    if (store_prepare(st, registry_sql_resident_insert, &s, err) < 0)
        return err->code;
    struct registry__row row = {c->code,      c->pinyin,    c->initials, c->sex,
                                c->birth,     c->id_sealed, c->id_bidx,  c->phone_sealed,
                                c->phone_bidx};
    registry__bind_resident(s, in, &row);
    store_bind_text(s, 21, now);
    store_bind_text(s, 22, now);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        /* Another transaction registered the same number or drew the same
         * code after our checks (PostgreSQL, READ COMMITTED): run again, and
         * the checks will see it. */
        ms_err_init(err);
        return ms_err_set(err, MS_EBUSY, "resident registered concurrently; retrying");
    }
    return rc < 0 ? rc : 0;
}

static int create_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct create_ctx *c = ctx;
    const struct registry_resident_new *in = c->in;
    char now[MS_TS_LEN + 1];
    int64_t id = 0;
    int rc;

    if (in->household_id && household_in_scope(st, in->household_id, c->scope, err) < 0)
        return err->code;
    if ((rc = exists(st, registry_sql_bidx_exists, c->id_bidx, err)) < 0)
        return rc;
    if (rc)
        return registry__bad_field(err, MS_EEXISTS, "id_number", "该身份证号码已登记",
                                   "this ID number is registered already");
    for (int i = 0;; i++) {
        ms_rescode_new(c->code);
        if ((rc = exists(st, registry_sql_code_exists, c->code, err)) < 0)
            return rc;
        if (!rc)
            break;
        if (i == CODE_DRAWS)
            return ms_err_set(err, MS_EINTERNAL, "no free resident code after %d draws", i);
    }
    ms_clock_format(ms_clock_now_ms(), now);
    if (insert_resident(st, c, now, &id, err) < 0)
        return err->code;
    if (in->household_id && strcmp(in->relation, "head") == 0) {
        struct store_stmt *s;
        if (store_prepare(st, registry_sql_household_set_head, &s, err) < 0)
            return err->code;
        store_bind_int64(s, 1, id);
        store_bind_text(s, 2, now);
        store_bind_int64(s, 3, in->household_id);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "region=%s", in->residence.region_code);
    struct audit_entry e = {.action = "resident.create", .object_type = "resident",
                            .object_id = c->code, .subject = c->code, .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int registry_resident_create(struct store *st, const char *scope,
                             const struct registry_resident_new *in, const struct ms_actor *actor,
                             char code_out[MS_RESCODE_LEN + 1], struct ms_err *err)
{
    struct ms_idcard id;
    struct registry_range range;
    const struct ms_seal *seal;
    struct ms_arena a;
    char birth[MS_DATE_BUF];
    static const char *const sexes[] = {"M", "F"};

    if (registry__scope_range(scope, &range, err) < 0 || check_new(scope, in, &id, err) < 0 ||
        registry__seal(st, &seal, err) < 0)
        return err->code;
    ms_arena_init(&a, 0);
    ms_date_format(id.birth, birth);
    struct create_ctx c = {.scope = scope, .in = in, .actor = actor, .birth = birth,
                           .sex = sexes[id.sex == 'F'], .phone_sealed = ""};
    int rc = name_keys(in->name, &a, &c.pinyin, &c.initials, err);
    if (rc == 0) {
        /* Sealed outside the transaction: store_tx() may run it again. */
        ms_seal_encrypt(seal, REGISTRY_FIELD_ID, id.number, &a, &c.id_sealed);
        ms_seal_blind_index(seal, REGISTRY_FIELD_ID, id.number, c.id_bidx);
        if (in->phone && *in->phone) {
            ms_seal_encrypt(seal, REGISTRY_FIELD_PHONE, in->phone, &a, &c.phone_sealed);
            ms_seal_blind_index(seal, REGISTRY_FIELD_PHONE, in->phone, c.phone_bidx);
        }
        rc = store_tx(st, create_tx, &c, err);
    }
    if (rc == 0)
        memcpy(code_out, c.code, sizeof(c.code));
    ms_arena_release(&a);
    return rc;
}

/* --- update ---------------------------------------------------------------------- */

struct update_ctx {
    const char *scope, *code;
    const struct registry_resident_patch *p;
    int64_t expected;
    const struct ms_actor *actor;
    struct ms_arena *arena;
    const struct ms_seal *seal;
    int64_t new_version;
};

static void add_changed(char *buf, size_t size, const char *field)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s%s", n ? "," : "", field);
}

static int check_patch(const char *scope, const struct registry_resident_patch *p,
                       struct ms_err *err)
{
    if ((p->name && registry__check_name(p->name, err) < 0) ||
        (p->phone && *p->phone && registry__check_phone(p->phone, err) < 0) ||
        (p->ethnicity &&
         registry__check_text("ethnicity", "民族", p->ethnicity, ETHNICITY_MAX, err) < 0) ||
        (p->hukou_type && check_hukou_type(p->hukou_type, err) < 0) ||
        (p->residence.region_code && check_address("residence", &p->residence, err) < 0) ||
        (p->hukou.region_code && check_address("hukou", &p->hukou, err) < 0))
        return err->code;
    if (p->residence.region_code && !registry__in_scope(scope, p->residence.region_code))
        return outside_scope(err, "residence.region_code");
    return 0;
}

static int stale(struct ms_err *err, int64_t current, int64_t expected)
{
    int ret = ms_err_field(err, MS_ESTALE, "version",
                           "the resident was changed since it was read (version %lld, not %lld)",
                           (long long)current, (long long)expected);
    ms_err_zh(err, "该居民信息已被他人修改，请刷新后重试");
    return ret;
}

static int update_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct update_ctx *c = ctx;
    const struct registry_resident_patch *p = c->p;
    struct registry_resident cur;
    char now[MS_TS_LEN + 1], changed[160] = "";
    const char *pinyin, *initials, *phone_sealed = NULL;
    char phone_bidx[MS_SEAL_INDEX_BUF];
    struct store_stmt *s;

    if (registry__load(st, c->scope, c->code, c->arena, &cur, NULL, err) < 0)
        return err->code;
    if (cur.version != c->expected)
        return stale(err, cur.version, c->expected);
    const char *name = p->name ? p->name : cur.name;
    pinyin = cur.name_pinyin;
    initials = cur.name_initials;
    if (p->name && strcmp(p->name, cur.name) != 0) {
        if (name_keys(name, c->arena, &pinyin, &initials, err) < 0)
            return err->code;
        add_changed(changed, sizeof(changed), "name");
    }
    if (p->phone) {
        phone_sealed = "";
        phone_bidx[0] = '\0';
        if (*p->phone) {
            ms_seal_encrypt(c->seal, REGISTRY_FIELD_PHONE, p->phone, c->arena, &phone_sealed);
            ms_seal_blind_index(c->seal, REGISTRY_FIELD_PHONE, p->phone, phone_bidx);
        }
        add_changed(changed, sizeof(changed), "phone");
    }
    const struct registry_address *hk = p->hukou.region_code ? &p->hukou : &cur.hukou;
    const struct registry_address *res = p->residence.region_code ? &p->residence : &cur.residence;
    if (p->ethnicity)
        add_changed(changed, sizeof(changed), "ethnicity");
    if (p->hukou_type)
        add_changed(changed, sizeof(changed), "hukou_type");
    if (p->hukou.region_code)
        add_changed(changed, sizeof(changed), "hukou");
    if (p->residence.region_code)
        add_changed(changed, sizeof(changed), "residence");

    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, registry_sql_resident_update, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, name);
    store_bind_text(s, 2, pinyin);
    store_bind_text(s, 3, initials);
    store_bind_text(s, 4, phone_sealed);
    store_bind_text(s, 5, phone_sealed ? phone_bidx : NULL);
    store_bind_text(s, 6, p->ethnicity ? p->ethnicity : cur.ethnicity);
    store_bind_text(s, 7, p->hukou_type ? p->hukou_type : cur.hukou_type);
    store_bind_text(s, 8, hk->region_code);
    registry__bind_place(s, 9, hk->place_id);
    store_bind_text(s, 10, hk->detail ? hk->detail : "");
    store_bind_text(s, 11, res->region_code);
    registry__bind_place(s, 12, res->place_id);
    store_bind_text(s, 13, res->detail ? res->detail : "");
    store_bind_text(s, 14, now);
    store_bind_int64(s, 15, cur.id);
    store_bind_int64(s, 16, c->expected);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->new_version = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return stale(err, c->expected + 1, c->expected);

    char detail[224];
    snprintf(detail, sizeof(detail), "fields=%s version=%lld", changed,
             (long long)c->new_version);
    struct audit_entry e = {.action = "resident.update", .object_type = "resident",
                            .object_id = cur.code, .subject = cur.code, .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int registry_resident_update(struct store *st, const char *scope, const char *code,
                             const struct registry_resident_patch *patch,
                             int64_t expected_version, const struct ms_actor *actor,
                             int64_t *new_version, struct ms_err *err)
{
    struct registry_range range;
    struct ms_arena a;
    struct update_ctx c = {scope, code, patch, expected_version, actor, &a, NULL, 0};
    if (registry__scope_range(scope, &range, err) < 0 || check_patch(scope, patch, err) < 0 ||
        registry__seal(st, &c.seal, err) < 0)
        return err->code;
    ms_arena_init(&a, 0);
    int rc = store_tx(st, update_tx, &c, err);
    ms_arena_release(&a);
    if (rc == 0 && new_version)
        *new_version = c.new_version;
    return rc;
}
