/*
 * registry_search.c - finding residents: what q is, the filters as ranges,
 * and one page with its total.
 *
 * q is classified in C, never matched as a pattern in SQL:
 *   - 15 or 18 characters of digits (and a final X): an ID number, parsed
 *     (a typing slip is an error naming "q") and looked up by blind index;
 *   - an 11-digit mobile or an area-coded landline: a phone, likewise;
 *   - Han characters and middle dots: a name prefix;
 *   - ASCII letters: a prefix of the joined pinyin or of the initials, and
 *     a resident code if it passes the code's check;
 *   - letters and digits (hyphens allowed): a resident code.
 * Each becomes a term of one OR of indexed conditions, the others bound to
 * NULL, so a search never scans the table for q.
 */
#include "modules/registry/registry.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/json.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry_int.h"
#include "modules/registry/registry_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define MAX_PAGE_SIZE 100
#define MAX_PAGE      100000
#define MAX_Q_BYTES   128
#define TOP_CHAR      "\xF4\x8F\xBF\xBF" /* U+10FFFF: after every character */

struct match {
    const char *name_lo, *name_hi, *py_lo, *py_hi, *ini_lo, *ini_hi, *code, *id_bidx,
        *phone_bidx;
    const char *by;
};

static int bad_q(struct ms_err *err)
{
    return registry__bad_field(err, MS_EFIELD, "q",
                               "查询内容应为姓名、拼音或首字母、居民码、身份证号码或电话号码",
                               "q must be a name, its pinyin or initials, a resident code, an "
                               "ID number or a phone number");
}

static const char *prefix_hi(struct ms_arena *a, const char *lo)
{
    return ms_arena_printf(a, "%s" TOP_CHAR, lo);
}

static int is_id_like(const char *q)
{
    size_t n = strlen(q);
    if (n != 15 && n != 18)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)q[i]) && !(i == 17 && (q[i] == 'X' || q[i] == 'x')))
            return 0;
    return 1;
}

static int is_phone_like(const char *q)
{
    size_t n = strlen(q);
    int digits = 1;
    for (size_t i = 0; i < n; i++)
        digits &= isdigit((unsigned char)q[i]) != 0;
    return (digits && n == 11 && q[0] == '1') || (q[0] == '0' && strchr(q, '-'));
}

/* ASCII letters and spaces only: lower-cased without the spaces, or NULL. */
static char *pinyin_form(struct ms_arena *a, const char *q)
{
    char *out = ms_arena_alloc(a, strlen(q) + 1), *o = out;
    for (const char *p = q; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isalpha((unsigned char)*p))
            return NULL;
        *o++ = (char)tolower((unsigned char)*p);
    }
    *o = '\0';
    return *out ? out : NULL;
}

static int classify(struct store *st, const char *q, struct ms_arena *a, struct match *m,
                    struct ms_err *err)
{
    const struct ms_seal *seal;
    memset(m, 0, sizeof(*m));
    m->by = "all";
    if (!q || !*q)
        return 0;
    if (strlen(q) > MAX_Q_BYTES)
        return bad_q(err);
    if (is_id_like(q)) {
        struct ms_idcard id;
        char *bidx = ms_arena_alloc(a, MS_SEAL_INDEX_BUF);
        if (registry__parse_id(q, &id, err) < 0) {
            snprintf(err->field, sizeof(err->field), "q");
            return err->code;
        }
        if (registry__seal(st, &seal, err) < 0)
            return err->code;
        ms_seal_blind_index(seal, REGISTRY_FIELD_ID, id.number, bidx);
        m->id_bidx = bidx;
        m->by = "id_number";
        return 0;
    }
    if (is_phone_like(q)) {
        char *bidx = ms_arena_alloc(a, MS_SEAL_INDEX_BUF);
        if (registry__check_phone(q, err) < 0) {
            snprintf(err->field, sizeof(err->field), "q");
            return err->code;
        }
        if (registry__seal(st, &seal, err) < 0)
            return err->code;
        ms_seal_blind_index(seal, REGISTRY_FIELD_PHONE, q, bidx);
        m->phone_bidx = bidx;
        m->by = "phone";
        return 0;
    }
    if ((unsigned char)q[0] >= 0x80) {
        if (registry__check_name(q, NULL) < 0)
            return bad_q(err);
        m->name_lo = q;
        m->name_hi = prefix_hi(a, q);
        m->by = "name";
        return 0;
    }
    char norm[MS_RESCODE_LEN + 1];
    if (ms_rescode_check(q, norm, NULL) == 0) {
        m->code = ms_arena_strdup(a, norm);
        m->by = "code";
    }
    char *py = pinyin_form(a, q);
    if (py) {
        m->py_lo = m->ini_lo = py;
        m->py_hi = m->ini_hi = prefix_hi(a, py);
        m->by = "pinyin"; /* and a code, if it passes the check */
    }
    return m->code || py ? 0 : bad_q(err);
}

/* The narrowest of the scope and the town and village filters, or NULL if
 * they exclude each other (nothing can match). */
static const char *effective_prefix(const char *scope, const struct registry_query *q)
{
    const char *pfx = scope ? scope : "";
    const char *filters[] = {q->town, q->village};
    for (size_t i = 0; i < 2; i++) {
        const char *f = filters[i];
        if (!f || !*f)
            continue;
        if (strncmp(f, pfx, strlen(pfx)) == 0)
            pfx = f;
        else if (strncmp(pfx, f, strlen(f)) != 0)
            return NULL;
    }
    return pfx;
}

/* The filters, without the page: what an export checks too. */
static int check_filters(const struct registry_query *q, struct ms_err *err)
{
    struct registry_range r;
    if (q->town && *q->town && (strlen(q->town) != 9 || registry__scope_range(q->town, &r, NULL)))
        return registry__bad_field(err, MS_EFIELD, "town", "town 应为 9 位乡镇（街道）代码",
                                   "town must be a 9-digit township code");
    if (q->village && *q->village && registry__check_region("village", q->village, err) < 0)
        return err->code;
    if (q->status && strcmp(q->status, "alive") != 0 && strcmp(q->status, "deceased") != 0 &&
        strcmp(q->status, "moved_out") != 0)
        return registry__bad_field(err, MS_EFIELD, "status",
                                   "status 应为 alive、deceased 或 moved_out",
                                   "status must be alive, deceased or moved_out");
    if (q->hukou_type && strcmp(q->hukou_type, "urban") != 0 &&
        strcmp(q->hukou_type, "rural") != 0)
        return registry__bad_field(err, MS_EFIELD, "hukou", "hukou 应为 urban 或 rural",
                                   "hukou must be urban or rural");
    return 0;
}

static int check_ages(const struct registry_query *q, struct ms_err *err)
{
    if (q->age_min > 150 || q->age_max > 150 ||
        (q->age_min >= 0 && q->age_max >= 0 && q->age_min > q->age_max))
        return registry__bad_field(err, MS_EFIELD, "age_min",
                                   "年龄范围应在 0 至 150 之间，且下限不大于上限",
                                   "ages must be from 0 to 150, age_min not above age_max");
    return 0;
}

/* In the order the checks have always run, so the first error reported for
 * a request stays the same. */
static int check_query(const struct registry_query *q, struct ms_err *err)
{
    if (check_filters(q, err) < 0)
        return err->code;
    if (q->page < 1 || q->page > MAX_PAGE)
        return registry__bad_field(err, MS_EFIELD, "page", "page 应为 1 至 100000",
                                   "page must be from 1 to 100000");
    if (q->page_size < 1 || q->page_size > MAX_PAGE_SIZE)
        return registry__bad_field(err, MS_EFIELD, "page_size", "page_size 应为 1 至 100",
                                   "page_size must be from 1 to 100");
    return check_ages(q, err);
}

struct bounds {
    struct registry_range scope;
    char birth_lo[MS_DATE_BUF], birth_hi[MS_DATE_BUF];
};

/* age >= min: born on or before today minus min years; age <= max: born
 * after today minus max + 1 years (a year is complete on the birthday). */
static void age_bounds(const struct registry_query *q, struct bounds *b)
{
    int32_t today = ms_date_today_cst(), d;
    snprintf(b->birth_lo, sizeof(b->birth_lo), "0000-00-00");
    snprintf(b->birth_hi, sizeof(b->birth_hi), "9999-12-31");
    if (q->age_min >= 0 && ms_date_add_months(today, -12 * q->age_min, &d) == 0)
        ms_date_format(d, b->birth_hi);
    if (q->age_max >= 0 && ms_date_add_months(today, -12 * (q->age_max + 1), &d) == 0)
        ms_date_format(d, b->birth_lo);
}

static void bind_filters(struct store_stmt *s, const struct bounds *b,
                         const struct registry_query *q, const struct match *m)
{
    store_bind_text(s, 1, b->scope.lo);
    store_bind_text(s, 2, b->scope.hi);
    store_bind_text(s, 3, b->birth_lo);
    store_bind_text(s, 4, b->birth_hi);
    store_bind_text(s, 5, q->status ? q->status : "");
    store_bind_text(s, 6, q->status ? q->status : "~");
    store_bind_text(s, 7, q->hukou_type ? q->hukou_type : "");
    store_bind_text(s, 8, q->hukou_type ? q->hukou_type : "~");
    if (!m)
        return;
    store_bind_text(s, 9, m->name_lo);
    store_bind_text(s, 10, m->name_hi);
    store_bind_text(s, 11, m->py_lo);
    store_bind_text(s, 12, m->py_hi);
    store_bind_text(s, 13, m->ini_lo);
    store_bind_text(s, 14, m->ini_hi);
    store_bind_text(s, 15, m->code);
    store_bind_text(s, 16, m->id_bidx);
    store_bind_text(s, 17, m->phone_bidx);
}

/* Counts the matches, stopping at cap: *total is min(matches, cap). */
static int count_matches(struct store *st, const struct bounds *b,
                         const struct registry_query *q, const struct match *m, int64_t cap,
                         int64_t *total, struct ms_err *err)
{
    int is_all = strcmp(m->by, "all") == 0;
    struct store_stmt *s;
    if (store_prepare(st, is_all ? registry_sql_search_all_count : registry_sql_search_match_count,
                      &s, err) < 0)
        return err->code;
    bind_filters(s, b, q, is_all ? NULL : m);
    store_bind_int64(s, is_all ? 9 : 18, cap);
    int rc = store_step(s, err);
    *total = rc == STORE_ROW ? store_col_int64(s, 0) : 0;
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int run_page(struct store *st, const struct bounds *b, const struct registry_query *q,
                    const struct match *m, struct ms_arena *arena, struct registry_page *out,
                    struct ms_err *err)
{
    int is_all = strcmp(m->by, "all") == 0;
    const struct ms_seal *seal;
    struct store_stmt *s;
    int rc;
    if (registry__seal(st, &seal, err) < 0)
        return err->code;
    if ((rc = count_matches(st, b, q, m, REGISTRY_TOTAL_CAP + 1, &out->total, err)) < 0)
        return rc;
    if (out->total > REGISTRY_TOTAL_CAP) {
        out->total = REGISTRY_TOTAL_CAP;
        out->is_total_capped = 1;
    }

    out->items = ms_arena_calloc(arena, (size_t)q->page_size, sizeof(*out->items));
    if (store_prepare(st, is_all ? registry_sql_search_all_page : registry_sql_search_match_page,
                      &s, err) < 0)
        return err->code;
    bind_filters(s, b, q, is_all ? NULL : m);
    int limit_idx = is_all ? 9 : 18;
    store_bind_int64(s, limit_idx, q->page_size);
    store_bind_int64(s, limit_idx + 1, (int64_t)(q->page - 1) * q->page_size);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n < (size_t)q->page_size) {
        if ((rc = registry__read_resident(s, seal, arena, &out->items[out->n], err)) < 0)
            break;
        out->n++;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* The audit entry: whom the clerk saw (the codes on the page), how they
 * searched, never what they typed (an ID or phone number must not reach the
 * log; a name need not). */
static void search_entry(const struct registry_page *p, const struct registry_query *q,
                         struct ms_arena *arena, struct audit_entry *read)
{
    struct ms_str codes = MS_STR_INIT;
    for (size_t i = 0; i < p->n; i++)
        ms_str_addf(&codes, "%s%s", i ? "," : "", p->items[i].code);
    const char *subject = ms_arena_strdup(arena, codes.buf);
    ms_str_release(&codes);
    const char *detail = ms_arena_printf(
        arena, "by=%s total=%lld page=%d%s%s%s%s%s", p->matched_by, (long long)p->total, q->page,
        q->town && *q->town ? " town" : "", q->village && *q->village ? " village" : "",
        q->age_min >= 0 || q->age_max >= 0 ? " age" : "", q->status ? " status" : "",
        q->hukou_type ? " hukou" : "");
    *read = (struct audit_entry){.action = "resident.search", .object_type = "resident",
                                 .object_id = "", .subject = subject, .result = "ok",
                                 .detail = detail};
}

int registry_resident_search(struct store *st, const char *scope,
                             const struct registry_query *query, struct ms_arena *arena,
                             struct registry_page *out, struct audit_entry *read,
                             struct ms_err *err)
{
    struct match m;
    struct bounds b;
    memset(out, 0, sizeof(*out));
    if (registry__scope_range(scope, &b.scope, err) < 0 || check_query(query, err) < 0 ||
        classify(st, query->q, arena, &m, err) < 0)
        return err->code;
    out->matched_by = m.by;
    const char *pfx = effective_prefix(scope, query);
    if (pfx) {
        registry__scope_range(pfx, &b.scope, NULL);
        age_bounds(query, &b);
        if (run_page(st, &b, query, &m, arena, out, err) < 0)
            return err->code;
    }
    search_entry(out, query, arena, read);
    return 0;
}

/*
 * For exports (registry_export.c): the same filters and statements as a
 * search, but one "page" of at most max_rows from the first match, each row
 * handed to fn and forgotten (a scratch arena is reset between rows), so
 * memory stays flat however many rows there are. The count comes first: over
 * max_rows, fn is never called.
 */
int registry__search_each(struct store *st, const char *scope, const struct registry_query *query,
                          int64_t max_rows, struct ms_arena *arena, registry__row_fn *fn,
                          void *ctx, int64_t *total, const char **matched_by, struct ms_err *err)
{
    struct match m;
    struct bounds b;
    const struct ms_seal *seal;
    *total = 0;
    *matched_by = "all";
    if (registry__scope_range(scope, &b.scope, err) < 0 || check_filters(query, err) < 0 ||
        check_ages(query, err) < 0 || classify(st, query->q, arena, &m, err) < 0)
        return err->code;
    *matched_by = m.by;
    const char *pfx = effective_prefix(scope, query);
    if (!pfx)
        return 0;
    registry__scope_range(pfx, &b.scope, NULL);
    age_bounds(query, &b);
    if (registry__seal(st, &seal, err) < 0 || count_matches(st, &b, query, &m, max_rows + 1, total, err) < 0)
        return err->code;
    if (*total > max_rows || *total == 0)
        return 0;

    int is_all = strcmp(m.by, "all") == 0;
    struct store_stmt *s;
    if (store_prepare(st, is_all ? registry_sql_search_all_page : registry_sql_search_match_page,
                      &s, err) < 0)
        return err->code;
    bind_filters(s, &b, query, is_all ? NULL : &m);
    store_bind_int64(s, is_all ? 9 : 18, max_rows);
    store_bind_int64(s, is_all ? 10 : 19, 0);
    struct ms_arena row_arena;
    struct registry_resident r;
    int rc;
    ms_arena_init(&row_arena, 0);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        ms_arena_reset(&row_arena);
        if ((rc = registry__read_resident(s, seal, &row_arena, &r, err)) < 0 ||
            (rc = fn(ctx, &r, err)) < 0)
            break;
    }
    store_reset(s);
    ms_arena_release(&row_arena);
    return rc < 0 ? rc : 0;
}
