/*
 * exchange_row.c - one feed row: checked value by value against the feed's
 * definition, normalised, and stored.
 *
 * The first bad value decides the row's quarantine reason; a row is never
 * half-stored. Identity values go through link_rec_set() so the importer and
 * the linker agree on what a valid name, ID number or birth date is.
 */
#include "modules/exchange/exchange_row.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "core/seal.h"
#include "core/str.h"
#include "core/uscc.h"
#include "modules/exchange/exchange_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define CODE_MAX_BYTES 64
#define TEXT_MAX_CHARS 200

static int row_error(struct ms_err *err, const struct feed_column *c, int code, const char *en,
                     const char *zh)
{
    ms_err_field(err, code, c->source, "%s: %s", c->source, en);
    ms_err_zh(err, "“%s”%s", c->source, zh);
    return code;
}

/* Text without leading and trailing blanks, in the arena; NULL if blank. */
static const char *trimmed(struct ms_arena *a, const char *s)
{
    size_t n;
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return n ? ms_arena_strndup(a, s, n) : NULL;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Parses text in one of the formats feed definitions allow. */
static int parse_date_as(const char *text, const char *format, int32_t *out)
{
    char iso[11];
    size_t n = strlen(text);
    if (!strcmp(format, "YYYYMMDD")) {
        if (n != 8 || !all_digits(text, 8))
            return -1;
        snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", text, text + 4, text + 6);
    } else if (!strcmp(format, "YYYY/MM/DD")) {
        if (n != 10 || text[4] != '/' || text[7] != '/')
            return -1;
        snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", text, text + 5, text + 8);
    } else {
        if (n != 10)
            return -1;
        memcpy(iso, text, 11);
    }
    return ms_date_parse(iso, out, NULL);
}

static int parse_month_as(const char *text, const char *format, char out[8])
{
    char iso[8];
    int32_t first;
    size_t n = strlen(text);
    if (!strcmp(format, "YYYYMM")) {
        if (n != 6 || !all_digits(text, 6))
            return -1;
        snprintf(iso, sizeof(iso), "%.4s-%.2s", text, text + 4);
    } else {
        if (n != 7)
            return -1;
        memcpy(iso, text, 8);
    }
    if (ms_date_parse_period(iso, &first, NULL) < 0)
        return -1;
    memcpy(out, iso, 8);
    return 0;
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static int check_identity(const struct feed_column *c, const char *v, struct exchange_row *out,
                          const char **reason, struct ms_err *err)
{
    struct ms_err inner = MS_ERR_INIT;
    if (link_rec_set(&out->rec, (enum link_role)c->role, v, c->format, &inner) < 0) {
        *reason = c->role == LINK_ROLE_ID_NUMBER ? "bad_id_number" : "bad_identity";
        return row_error(err, c, MS_EFIELD, inner.message,
                         inner.message_zh[0] ? inner.message_zh : "格式不正确");
    }
    return 0;
}

/* Checks one typed value; *norm gets its stored text form. */
static int check_typed(const struct feed_column *c, const char *v, int32_t today,
                       struct ms_arena *a, const char **norm, int64_t *amount,
                       const char **reason, struct ms_err *err)
{
    int32_t d;
    switch (c->type) {
    case FEED_T_CODE:
        if (strlen(v) > CODE_MAX_BYTES || strpbrk(v, " \t") || has_control(v)) {
            *reason = "bad_code";
            return row_error(err, c, MS_EFIELD, "not a code (no spaces, at most 64 bytes)",
                             "不是有效的编号（不含空格，最长 64 字节）");
        }
        *norm = v;
        return 0;
    case FEED_T_TEXT:
        if (ms_utf8_chars(v) > TEXT_MAX_CHARS || has_control(v)) {
            *reason = "text_too_long";
            return row_error(err, c, MS_EFIELD, "longer than 200 characters or has control characters",
                             "超过 200 个字符或含控制字符");
        }
        *norm = v;
        return 0;
    case FEED_T_DATE: {
        char buf[MS_DATE_BUF];
        if (parse_date_as(v, c->format, &d) < 0) {
            *reason = "bad_date";
            ms_err_field(err, MS_EFIELD, c->source, "%s: not a date in the form %s", c->source,
                         c->format);
            ms_err_zh(err, "“%s”不是有效日期（格式应为 %s）", c->source, c->format);
            return MS_EFIELD;
        }
        if (d > today) {
            *reason = "date_in_future";
            return row_error(err, c, MS_EFIELD, "date is in the future", "日期晚于今天");
        }
        ms_date_format(d, buf);
        *norm = ms_arena_strdup(a, buf);
        return 0;
    }
    case FEED_T_MONTH: {
        char m[8];
        if (parse_month_as(v, c->format, m) < 0) {
            *reason = "bad_month";
            ms_err_field(err, MS_EFIELD, c->source, "%s: not a month in the form %s", c->source,
                         c->format);
            ms_err_zh(err, "“%s”不是有效年月（格式应为 %s）", c->source, c->format);
            return MS_EFIELD;
        }
        *norm = ms_arena_strdup(a, m);
        return 0;
    }
    case FEED_T_MONEY:
        if (ms_money_parse(v, amount, NULL) < 0) {
            *reason = "bad_money";
            return row_error(err, c, MS_EFIELD, "not an amount in yuan with at most two decimals",
                             "不是有效金额（元，最多两位小数）");
        }
        if (*amount < 0) {
            *reason = "negative_amount";
            return row_error(err, c, MS_EFIELD, "amount is negative", "金额为负数");
        }
        *norm = ms_arena_printf(a, "%lld", (long long)*amount);
        return 0;
    case FEED_T_ENUM:
        for (size_t i = 0; i < c->n_values; i++)
            if (!strcmp(v, c->values[i].from)) {
                *norm = c->values[i].to;
                return 0;
            }
        *reason = "bad_enum";
        return row_error(err, c, MS_EFIELD, "value is not one of those the feed defines",
                         "取值不在数据源定义的范围内");
    case FEED_T_USCC: {
        struct ms_uscc u;
        struct ms_err inner = MS_ERR_INIT;
        if (ms_uscc_parse(v, &u, &inner) < 0) {
            *reason = "bad_uscc";
            return row_error(err, c, MS_EFIELD, inner.message,
                             inner.message_zh[0] ? inner.message_zh : "统一社会信用代码不正确");
        }
        *norm = ms_arena_strdup(a, u.code);
        return 0;
    }
    case FEED_T_IDENTITY:
        break;
    }
    return ms_err_set(err, MS_EINTERNAL, "column type not handled");
}

int exchange_row_check(const struct feed_def *f, const char *const vals[], int32_t today,
                       struct ms_arena *arena, struct exchange_row *out, const char **reason,
                       struct ms_err *err)
{
    const char *norm[FEED_MAX_COLUMNS] = {0};
    struct ms_str key;
    memset(out, 0, sizeof(*out));
    link_rec_init(&out->rec);
    out->category = out->level = out->status = out->ref_code = "";
    out->name = "";
    out->data = json_object();
    for (size_t i = 0; i < f->n_columns; i++) {
        const struct feed_column *c = &f->columns[i];
        const char *v = trimmed(arena, vals[i]);
        int64_t amount = 0;
        if (!v) {
            if (c->required) {
                *reason = "missing_value";
                return row_error(err, c, MS_EMISSING, "required value is empty", "为必填项，不能为空");
            }
            continue;
        }
        if (c->type == FEED_T_IDENTITY) {
            if (check_identity(c, v, out, reason, err) < 0)
                return err->code;
            norm[i] = v;
            if (c->target == FEED_TO_NAME)
                out->name = v;
            continue;
        }
        if (check_typed(c, v, today, arena, &norm[i], &amount, reason, err) < 0)
            return err->code;
        switch (c->target) {
        case FEED_TO_FACT_DATE: memcpy(out->fact_date, norm[i], 11); break;
        case FEED_TO_PERIOD: memcpy(out->period, norm[i], 8); break;
        case FEED_TO_AMOUNT: out->has_amount = 1; out->amount_fen = amount; break;
        case FEED_TO_CATEGORY: out->category = norm[i]; break;
        case FEED_TO_LEVEL: out->level = norm[i]; break;
        case FEED_TO_STATUS: out->status = norm[i]; break;
        case FEED_TO_REF_CODE: out->ref_code = norm[i]; break;
        default:
            if (c->type == FEED_T_MONEY)
                json_object_set_new(out->data, c->field, json_integer(amount));
            else
                json_object_set_new(out->data, c->field, json_string(norm[i]));
        }
    }
    if (out->rec.has_birth) {
        char buf[MS_DATE_BUF];
        ms_date_format(out->rec.birth, buf);
        memcpy(out->birth, buf, 11);
    }
    if (out->rec.sex)
        out->sex[0] = out->rec.sex;
    ms_str_init(&key, 1024);
    for (size_t k = 0; k < f->n_key; k++) {
        if (k)
            ms_str_addch(&key, '|');
        ms_str_adds(&key, norm[f->key[k]]);
    }
    out->natural_key = ms_arena_strdup(arena, key.buf);
    ms_str_release(&key);
    return 0;
}

void exchange_row_release(struct exchange_row *r)
{
    json_decref(r->data);
    r->data = NULL;
}

int exchange_row_store(struct store *st, const struct ms_seal *seal, const struct feed_def *f,
                       int64_t batch_id, int64_t row_no, const struct exchange_row *r,
                       const char *now, int64_t *record_id, struct ms_err *err)
{
    struct store_stmt *s;
    struct ms_arena a;
    const char *id_sealed = "", *phone_sealed = "";
    char id_bidx[MS_SEAL_INDEX_BUF] = "", phone_bidx[MS_SEAL_INDEX_BUF] = "";
    char *data;
    int rc;
    ms_arena_init(&a, 1024);
    if (r->rec.id_number[0]) {
        ms_seal_encrypt(seal, REGISTRY_SEAL_ID_NUMBER, r->rec.id_number, &a, &id_sealed);
        ms_seal_blind_index(seal, REGISTRY_SEAL_ID_NUMBER, r->rec.id_number, id_bidx);
    }
    if (r->rec.phone[0]) {
        ms_seal_encrypt(seal, REGISTRY_SEAL_PHONE, r->rec.phone, &a, &phone_sealed);
        ms_seal_blind_index(seal, REGISTRY_SEAL_PHONE, r->rec.phone, phone_bidx);
    }
    data = json_dumps(r->data, JSON_COMPACT | JSON_SORT_KEYS);
    *record_id = 0;
    if ((rc = store_prepare(st, exchange_sql_record_insert, &s, err)) < 0)
        goto out;
    store_bind_text(s, 1, f->name);
    store_bind_int64(s, 2, batch_id);
    store_bind_int64(s, 3, row_no);
    store_bind_text(s, 4, r->natural_key);
    store_bind_text(s, 5, r->name);
    store_bind_text(s, 6, id_sealed);
    store_bind_text(s, 7, id_bidx);
    store_bind_text(s, 8, r->birth);
    store_bind_text(s, 9, r->sex);
    store_bind_text(s, 10, r->rec.region);
    store_bind_text(s, 11, phone_sealed);
    store_bind_text(s, 12, phone_bidx);
    store_bind_text(s, 13, r->fact_date);
    store_bind_text(s, 14, r->period);
    if (r->has_amount)
        store_bind_int64(s, 15, r->amount_fen);
    else
        store_bind_null(s, 15);
    store_bind_text(s, 16, r->category);
    store_bind_text(s, 17, r->level);
    store_bind_text(s, 18, r->status);
    store_bind_text(s, 19, r->ref_code);
    store_bind_text(s, 20, data ? data : "{}");
    store_bind_text(s, 21, now);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        *record_id = store_col_int64(s, 0);
    store_reset(s);
    rc = rc < 0 ? rc : 0;
out:
    free(data);
    ms_arena_release(&a);
    return rc;
}
