/*
 * placenames.c - the rules of standard place names: which kind may sit under
 * which, what a region code must look like under its parent, the search keys,
 * and the audited writes (the CSV import is placenames_import.c).
 *
 * Writes follow validate -> load -> compute -> store inside one transaction
 * with their audit entry. The checks that need the parent (kind, code prefix,
 * uniqueness of the name under it) run inside the transaction, so what they
 * saw is what the insert relies on; the unique indexes back them up.
 */
#include "modules/placenames/placenames.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/pinyin.h"
#include "modules/audit/audit.h"
#include "modules/placenames/placenames_int.h"
#include "modules/placenames/placenames_sql.h"
#include "store/store.h"

/* China's bounding box, in microdegrees: coordinates outside it are typos or
 * swapped longitude and latitude. */
#define LNG_MIN 73000000
#define LNG_MAX 136000000
#define LAT_MIN 3000000
#define LAT_MAX 54000000

#define OUTLINE_MAX_RINGS  16
#define OUTLINE_MAX_POINTS 4000

/* clang-format off */
static const struct kind_def {
    const char *name;
    const char *label_zh;
    int code_digits;       /* significant digits of its region code; 0: never has one */
    int may_be_root;
    const char *children;  /* kinds allowed directly beneath, space-separated */
} kinds[] = {
    { "district",  "区县",   6,  1, "town street road building landmark" },
    { "town",      "镇",     9,  1, "village community road building landmark" },
    { "street",    "街道",   9,  1, "community village road building landmark" },
    { "village",   "村",     12, 0, "road building landmark" },
    { "community", "社区",   12, 0, "road building landmark" },
    { "road",      "道路",   0,  0, "building landmark" },
    { "building",  "建筑物", 0,  0, "" },
    { "landmark",  "地标",   0,  0, "" },
};
/* clang-format on */

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct kind_def *find_kind(const char *name)
{
    for (size_t i = 0; name && i < N_KINDS; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

static int kind_rank(const char *name)
{
    const struct kind_def *k = find_kind(name);
    return k ? (int)(k - kinds) : (int)N_KINDS;
}

int placenames_kind_ok(const char *kind, const char **label_zh)
{
    const struct kind_def *k = find_kind(kind);
    if (k && label_zh)
        *label_zh = k->label_zh;
    return k != NULL;
}

static int child_allowed(const struct kind_def *parent, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = parent->children; (p = strstr(p, kind)) != NULL; p += n)
        if ((p == parent->children || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- reading ------------------------------------------------------------ */

static void read_place(struct store_stmt *s, struct ms_arena *a, struct place *p)
{
    memset(p, 0, sizeof(*p));
    p->id = store_col_int64(s, 0);
    p->kind = ms_arena_strdup(a, nz(store_col_text(s, 1)));
    p->name = ms_arena_strdup(a, nz(store_col_text(s, 2)));
    p->region_code = ms_arena_strdup(a, nz(store_col_text(s, 3)));
    p->scope_code = ms_arena_strdup(a, nz(store_col_text(s, 4)));
    p->parent_id = store_col_int64(s, 5);
    p->pinyin = ms_arena_strdup(a, nz(store_col_text(s, 6)));
    p->pinyin_initials = ms_arena_strdup(a, nz(store_col_text(s, 7)));
    p->aliases = ms_arena_strdup(a, nz(store_col_text(s, 8)));
    p->has_coords = !store_col_is_null(s, 9) && !store_col_is_null(s, 10);
    p->lng_microdeg = store_col_int64(s, 9);
    p->lat_microdeg = store_col_int64(s, 10);
    p->outline = ms_arena_strdup(a, nz(store_col_text(s, 11)));
    p->is_synthetic = store_col_int64(s, 12) != 0;
    p->version = store_col_int64(s, 13);
    p->created_at = ms_arena_strdup(a, nz(store_col_text(s, 14)));
    p->updated_at = ms_arena_strdup(a, nz(store_col_text(s, 15)));
}

/* Steps a prepared, bound statement expected to give at most one row. */
static int read_one(struct store_stmt *s, struct ms_arena *a, struct place *out, int *found,
                    struct ms_err *err)
{
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        read_place(s, a, out);
    store_reset(s);
    if (rc < 0)
        return rc;
    *found = rc == STORE_ROW;
    return 0;
}

/* Steps a prepared, bound statement and collects every row. */
static int read_all(struct store_stmt *s, struct ms_arena *a, struct place **out, size_t *n,
                    struct ms_err *err)
{
    size_t cap = 32;
    int rc;
    *out = ms_arena_calloc(a, cap, sizeof(**out));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct place *bigger = ms_arena_calloc(a, cap * 2, sizeof(*bigger));
            memcpy(bigger, *out, cap * sizeof(*bigger));
            *out = bigger;
            cap *= 2;
        }
        read_place(s, a, &(*out)[(*n)++]);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int not_found_id(struct ms_err *err, const char *field, int64_t id)
{
    int ret = ms_err_field(err, MS_ENOTFOUND, field, "place %lld not found", (long long)id);
    ms_err_zh(err, "地名 %lld 不存在", (long long)id);
    return ret;
}

static int load_by_id(struct store *st, int64_t id, struct ms_arena *a, struct place *out,
                      int *found, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, placenames_sql_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    return read_one(s, a, out, found, err);
}

int placenames_get(struct store *st, int64_t id, struct ms_arena *arena, struct place *out,
                   struct ms_err *err)
{
    int found = 0;
    if (load_by_id(st, id, arena, out, &found, err) < 0)
        return err->code;
    return found ? 0 : not_found_id(err, "id", id);
}

int placenames__find_code(struct store *st, const char *code, struct ms_arena *arena,
                          struct place *out, int *found, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, placenames_sql_get_by_code, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, code);
    return read_one(s, arena, out, found, err);
}

int placenames_get_by_code(struct store *st, const char *region_code, struct ms_arena *arena,
                           struct place *out, struct ms_err *err)
{
    int found = 0;
    if (placenames__find_code(st, region_code, arena, out, &found, err) < 0)
        return err->code;
    if (found)
        return 0;
    int ret = ms_err_field(err, MS_ENOTFOUND, "region_code", "no place has region code '%.12s'",
                           region_code);
    ms_err_zh(err, "没有区划代码为 %.12s 的地名", region_code);
    return ret;
}

static int is_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int placenames_get_by_ref(struct store *st, const char *ref, struct ms_arena *arena,
                          struct place *out, struct ms_err *err)
{
    if (ref && is_digits(ref, PLACENAMES_CODE_LEN, PLACENAMES_CODE_LEN))
        return placenames_get_by_code(st, ref, arena, out, err);
    if (ref && is_digits(ref, 1, 11) && ref[0] != '0')
        return placenames_get(st, strtoll(ref, NULL, 10), arena, out, err);
    int ret = ms_err_field(err, MS_EFIELD, "id",
                           "'%.40s' is neither a place id nor a 12-digit region code", nz(ref));
    ms_err_zh(err, "“%.40s”既不是地名编号，也不是 12 位区划代码", nz(ref));
    return ret;
}

int placenames__find_child(struct store *st, int64_t parent_id, const char *name,
                           struct ms_arena *arena, struct place *out, int *found,
                           struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, parent_id ? placenames_sql_find_child : placenames_sql_find_root, &s,
                      err) < 0)
        return err->code;
    int i = 1;
    if (parent_id)
        store_bind_int64(s, i++, parent_id);
    store_bind_text(s, i, name);
    return read_one(s, arena, out, found, err);
}

/* Children order: kind (district first), then region code, then pinyin. */
static int cmp_places(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    int rx = kind_rank(x->kind), ry = kind_rank(y->kind);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    int c = strcmp(x->region_code, y->region_code);
    if (c)
        return c;
    c = strcmp(x->pinyin, y->pinyin);
    return c ? c : strcmp(x->name, y->name);
}

int placenames_children(struct store *st, int64_t id, struct ms_arena *arena, struct place **out,
                        size_t *n, struct ms_err *err)
{
    struct place self;
    struct store_stmt *s;
    if (placenames_get(st, id, arena, &self, err) < 0)
        return err->code;
    if (store_prepare(st, placenames_sql_children, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    if (read_all(s, arena, out, n, err) < 0)
        return err->code;
    qsort(*out, *n, sizeof(**out), cmp_places);
    return 0;
}

int placenames_ancestors(struct store *st, const struct place *p, struct ms_arena *arena,
                         struct place **out, size_t *n, struct ms_err *err)
{
    /* A tree is at most district > town > village > road > building deep;
     * the bound also stops a cycle a hand-edited database might hold. */
    enum { MAX_DEPTH = 16 };
    struct place chain[MAX_DEPTH];
    size_t k = 0;
    int64_t parent = p->parent_id;
    while (parent && k < MAX_DEPTH) {
        if (placenames_get(st, parent, arena, &chain[k], err) < 0)
            return err->code;
        parent = chain[k++].parent_id;
    }
    *out = ms_arena_calloc(arena, k ? k : 1, sizeof(**out));
    for (size_t i = 0; i < k; i++)
        (*out)[i] = chain[k - 1 - i];
    *n = k;
    return 0;
}

/* ---- validation --------------------------------------------------------- */

static int field_err(struct ms_err *err, int code, const char *field, const char *en,
                     const char *zh)
{
    int ret = ms_err_field(err, code, field, "%s", en);
    ms_err_zh(err, "%s", zh);
    return ret;
}

static int check_name(const char *name, struct ms_err *err)
{
    if (!name || !*name)
        return field_err(err, MS_EMISSING, "name", "a place needs a name", "请填写地名");
    if (!ms_utf8_is_valid(name, strlen(name)))
        return field_err(err, MS_EUTF8, "name", "name is not valid UTF-8",
                         "地名不是合法的 UTF-8 文本");
    size_t chars = ms_utf8_chars(name);
    if (chars > PLACENAMES_NAME_MAX)
        return field_err(err, MS_EFIELD, "name", "name is longer than 50 characters",
                         "地名不能超过 50 个字");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '|')
            return field_err(err, MS_EFIELD, "name", "name holds a control character or '|'",
                             "地名不能包含控制字符或“|”");
    if (name[0] == ' ' || name[strlen(name) - 1] == ' ')
        return field_err(err, MS_EFIELD, "name", "name starts or ends with a space",
                         "地名首尾不能有空格");
    return 0;
}

/* Normalises '|'-separated aliases: each trimmed, empty ones dropped, each a
 * valid name. Result in arena. */
static int check_aliases(const char *in, struct ms_arena *a, const char **out, struct ms_err *err)
{
    *out = "";
    if (!in || !*in)
        return 0;
    if (!ms_utf8_is_valid(in, strlen(in)) || ms_utf8_chars(in) > PLACENAMES_ALIASES_MAX)
        return field_err(err, MS_EFIELD, "aliases",
                         "aliases must be valid UTF-8, at most 200 characters in all",
                         "别名合计不能超过 200 个字");
    char *buf = ms_arena_alloc(a, strlen(in) + 1), *w = buf;
    const char *p = in;
    while (*p) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            char *one = ms_arena_strndup(a, p, len);
            struct ms_err sub = MS_ERR_INIT;
            if (check_name(one, &sub) < 0)
                return field_err(err, MS_EFIELD, "aliases",
                                 "each alias must be a valid name of at most 50 characters",
                                 "每个别名都须是不超过 50 个字的合法地名");
            if (w != buf)
                *w++ = '|';
            memcpy(w, one, len);
            w += len;
        }
        p = end ? end + 1 : p + strlen(p);
    }
    *w = '\0';
    *out = buf;
    return 0;
}

static int check_coords(int has, int64_t lng, int64_t lat, struct ms_err *err)
{
    if (!has)
        return 0;
    if (lng < LNG_MIN || lng > LNG_MAX)
        return field_err(err, MS_EFIELD, "lng",
                         "longitude must be within China's 73 to 136 degrees east",
                         "经度应在东经 73 至 136 度之间");
    if (lat < LAT_MIN || lat > LAT_MAX)
        return field_err(err, MS_EFIELD, "lat",
                         "latitude must be within China's 3 to 54 degrees north",
                         "纬度应在北纬 3 至 54 度之间");
    return 0;
}

int placenames__parse_degrees(const char *text, int64_t *microdeg)
{
    const char *p = text;
    int is_neg = 0;
    int64_t whole = 0, frac = 0;
    int n_whole = 0, n_frac = 0;
    if (*p == '-' || *p == '+')
        is_neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, n_whole++)
        if (n_whole < 4)
            whole = whole * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, n_frac++)
            if (n_frac < 7)
                frac = frac * 10 + (*p - '0');
    if (*p || n_whole == 0 || n_whole > 3 || n_frac > 9)
        return -1;
    for (int i = n_frac; i < 7; i++)
        frac *= 10;
    /* frac now holds 7 decimals: round the 7th away from zero. */
    int64_t v = whole * 1000000 + (frac + 5) / 10;
    *microdeg = is_neg ? -v : v;
    return 0;
}

void placenames__format_degrees(int64_t microdeg, char buf[32])
{
    int64_t a = microdeg < 0 ? -microdeg : microdeg;
    int n = snprintf(buf, 32, "%s%lld.%06lld", microdeg < 0 ? "-" : "", (long long)(a / 1000000),
                     (long long)(a % 1000000));
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
}

static int outline_err(struct ms_err *err, const char *why)
{
    int ret =
        ms_err_field(err, MS_EFIELD, "outline",
                     "outline must be GeoJSON polygon coordinates [[[lng,lat],...]]: %s", why);
    ms_err_zh(err, "轮廓应为 GeoJSON 多边形坐标 [[[经度,纬度],...]]：%s", why);
    return ret;
}

static int outline_point(json_t *pt, int64_t *lng, int64_t *lat, struct ms_err *err)
{
    if (!json_is_array(pt) || json_array_size(pt) != 2 || !json_is_number(json_array_get(pt, 0)) ||
        !json_is_number(json_array_get(pt, 1)))
        return outline_err(err, "a position is not [lng, lat]");
    *lng = (int64_t)llround(json_number_value(json_array_get(pt, 0)) * 1e6);
    *lat = (int64_t)llround(json_number_value(json_array_get(pt, 1)) * 1e6);
    if (*lng < LNG_MIN || *lng > LNG_MAX || *lat < LAT_MIN || *lat > LAT_MAX)
        return outline_err(err, "a position lies outside China");
    return 0;
}

static int outline_ring(json_t *ring, struct ms_str *out, size_t *points, struct ms_err *err)
{
    size_t n = json_array_size(ring);
    int64_t first[2] = {0, 0}, last[2] = {0, 0};
    if (!json_is_array(ring) || n < 4)
        return outline_err(err, "a ring needs at least 4 positions");
    if ((*points += n) > OUTLINE_MAX_POINTS)
        return outline_err(err, "more than 4000 positions");
    ms_str_addch(out, '[');
    for (size_t i = 0; i < n; i++) {
        char lng[32], lat[32];
        if (outline_point(json_array_get(ring, i), &last[0], &last[1], err) < 0)
            return err->code;
        if (i == 0)
            memcpy(first, last, sizeof(first));
        placenames__format_degrees(last[0], lng);
        placenames__format_degrees(last[1], lat);
        ms_str_addf(out, "%s[%s,%s]", i ? "," : "", lng, lat);
    }
    ms_str_addch(out, ']');
    if (first[0] != last[0] || first[1] != last[1])
        return outline_err(err, "a ring must end where it starts");
    return 0;
}

/* Checks an outline and rewrites it canonically (exact decimal degrees, no
 * spaces) into arena. "" stays "". */
static int check_outline(const char *in, struct ms_arena *a, const char **out, struct ms_err *err)
{
    json_t *v = NULL;
    struct ms_str s = MS_STR_INIT;
    struct ms_err sub = MS_ERR_INIT;
    size_t points = 0;
    int rc = 0;
    *out = "";
    if (!in || !*in)
        return 0;
    if (strlen(in) > PLACENAMES_OUTLINE_MAX)
        return outline_err(err, "longer than 64 KiB");
    if (ms_json_parse(in, strlen(in), &v, &sub) < 0)
        return outline_err(err, "not valid JSON");
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > OUTLINE_MAX_RINGS) {
        rc = outline_err(err, "expected 1 to 16 rings");
        goto out;
    }
    ms_str_addch(&s, '[');
    for (size_t i = 0; i < json_array_size(v) && rc == 0; i++) {
        if (i)
            ms_str_addch(&s, ',');
        rc = outline_ring(json_array_get(v, i), &s, &points, err);
    }
    ms_str_addch(&s, ']');
    if (rc == 0)
        *out = ms_arena_strndup(a, s.buf, s.len);
out:
    json_decref(v);
    ms_str_release(&s);
    return rc;
}

/* Checks a region code against the place's kind and its parent (NULL for a
 * root): rules.md §11.3, 6 county + 3 township + 3 village digits. */
static int check_code(const struct kind_def *k, const char *code, const struct place *parent,
                      struct ms_err *err)
{
    if (!*code)
        return 0;
    if (!k->code_digits) {
        int ret = ms_err_field(err, MS_EFIELD, "region_code", "a %s has no statistical region code",
                               k->name);
        ms_err_zh(err, "%s没有统计用区划代码，请留空", k->label_zh);
        return ret;
    }
    if (!is_digits(code, PLACENAMES_CODE_LEN, PLACENAMES_CODE_LEN))
        return field_err(err, MS_EFIELD, "region_code", "region code must be 12 digits",
                         "区划代码应为 12 位数字");
    int d = k->code_digits;
    int is_tail_zero = strspn(code + d, "0") == (size_t)(PLACENAMES_CODE_LEN - d);
    if (!is_tail_zero || strncmp(code + d - 3, "000", 3) == 0) {
        int ret = ms_err_field(err, MS_EFIELD, "region_code",
                               "a %s's region code has %d significant digits, the rest zeros "
                               "(e.g. %s)",
                               k->name, d,
                               d == 6   ? "500110000000"
                               : d == 9 ? "500110101000"
                                        : "500110101201");
        ms_err_zh(err, "%s的区划代码应为前 %d 位有效、其余为 0", k->label_zh, d);
        return ret;
    }
    if (parent && *parent->region_code) {
        const struct kind_def *pk = find_kind(parent->kind);
        int pd = pk ? pk->code_digits : 0;
        if (pd && strncmp(code, parent->region_code, (size_t)pd) != 0) {
            int ret = ms_err_field(err, MS_EFIELD, "region_code",
                                   "region code must start with its parent's %.*s", pd,
                                   parent->region_code);
            ms_err_zh(err, "区划代码应以上级“%s”的代码 %.*s 开头", parent->name, pd,
                      parent->region_code);
            return ret;
        }
    }
    return 0;
}

static int check_kind_under(const struct kind_def *k, const struct place *parent,
                            struct ms_err *err)
{
    if (!parent) {
        if (k->may_be_root)
            return 0;
        int ret = ms_err_field(err, MS_EMISSING, "parent_id", "a %s needs a parent place", k->name);
        ms_err_zh(err, "%s须指定上级地名", k->label_zh);
        return ret;
    }
    const struct kind_def *pk = find_kind(parent->kind);
    if (pk && child_allowed(pk, k->name))
        return 0;
    const char *parent_kind = parent->kind ? parent->kind : "?";
    int ret =
        ms_err_field(err, MS_EFIELD, "kind", "a %s cannot be under a %s", k->name, parent_kind);
    ms_err_zh(err, "%s不能设在%s之下", k->label_zh, pk ? pk->label_zh : parent_kind);
    return ret;
}

/* Pinyin search keys of a place name (plain reading, core/pinyin.h). A name
 * may hold characters pinyin refuses (full-width brackets, '·'); those are
 * read as spaces, and a name that still has no reading gets empty keys: it is
 * then found by its hanzi only. */
static int name_keys(const char *name, struct ms_arena *a, const char **joined,
                     const char **initials, struct ms_err *err)
{
    size_t len = strlen(name), size = MS_PINYIN_SIZE_FOR(PLACENAMES_NAME_MAX);
    char *clean = ms_arena_alloc(a, len + 1), *w = clean;
    char *j = ms_arena_alloc(a, size), *i = ms_arena_alloc(a, size);
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
        unsigned cp = n == 1 ? *p : n == 2 ? *p & 0x1fu : n == 3 ? *p & 0x0fu : *p & 0x07u;
        for (size_t k = 1; k < n; k++)
            cp = cp << 6 | (p[k] & 0x3fu);
        int keep = (cp < 0x80 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10)) ||
                   (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
                   (cp >= 0x20000 && cp <= 0x3ffff);
        if (keep)
            memcpy(w, p, n), w += n;
        else if (w != clean && w[-1] != ' ')
            *w++ = ' ';
        p += n;
    }
    *w = '\0';
    struct ms_err sub = MS_ERR_INIT;
    if (ms_pinyin_text(clean, MS_PINYIN_JOINED, j, size, &sub) < 0 ||
        ms_pinyin_text(clean, MS_PINYIN_INITIALS, i, size, &sub) < 0) {
        if (sub.code == MS_EINTERNAL)
            return ms_err_set(err, sub.code, "%s", sub.message);
        j[0] = i[0] = '\0';
    }
    *joined = j;
    *initials = i;
    return 0;
}

/* ---- writes ------------------------------------------------------------- */

static int load_parent(struct store *st, int64_t parent_id, struct ms_arena *a,
                       struct place *parent, struct ms_err *err)
{
    int found = 0;
    if (parent_id < 0)
        return field_err(err, MS_EFIELD, "parent_id", "parent_id must be a place id",
                         "上级地名编号无效");
    if (load_by_id(st, parent_id, a, parent, &found, err) < 0)
        return err->code;
    return found ? 0 : not_found_id(err, "parent_id", parent_id);
}

static int code_taken(struct ms_err *err, const char *code, const struct place *other)
{
    int ret =
        ms_err_field(err, MS_EEXISTS, "region_code", "region code %s is already used by place %lld",
                     code, (long long)other->id);
    ms_err_zh(err, "区划代码 %s 已被地名“%s”使用", code, other->name);
    return ret;
}

static int name_taken(struct ms_err *err, const char *name)
{
    int ret = ms_err_field(err, MS_EEXISTS, "name", "a place named '%s' is already there", name);
    ms_err_zh(err, "同一上级下已有名为“%s”的地名", name);
    return ret;
}

/* Uniqueness of a code (other than self's) and of a name under a parent. */
static int check_unique(struct store *st, int64_t self_id, const char *code, int64_t parent_id,
                        const char *name, struct ms_arena *a, struct ms_err *err)
{
    struct place other;
    int found = 0;
    if (*code) {
        if (placenames__find_code(st, code, a, &other, &found, err) < 0)
            return err->code;
        if (found && other.id != self_id)
            return code_taken(err, code, &other);
    }
    if (name) {
        if (placenames__find_child(st, parent_id, name, a, &other, &found, err) < 0)
            return err->code;
        if (found && other.id != self_id)
            return name_taken(err, name);
    }
    return 0;
}

static void bind_coords(struct store_stmt *s, int idx, int has, int64_t lng, int64_t lat)
{
    if (has) {
        store_bind_int64(s, idx, lng);
        store_bind_int64(s, idx + 1, lat);
    } else {
        store_bind_null(s, idx);
        store_bind_null(s, idx + 1);
    }
}

static int audit_place(struct store *st, const struct ms_actor *actor, const char *action,
                       int64_t id, const char *detail, struct ms_err *err)
{
    char object_id[24];
    snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
    struct audit_entry e = {.action = action,
                            .object_type = "place",
                            .object_id = object_id,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, actor, &e, err);
}

static int insert_row(struct store *st, const struct place_in *in, const struct place *parent,
                      const char *scope, const char *aliases, const char *outline,
                      struct ms_arena *a, int64_t *id_out, struct ms_err *err)
{
    char now[MS_TS_LEN + 1];
    const char *joined, *initials;
    struct store_stmt *s;
    if (name_keys(in->name, a, &joined, &initials, err) < 0)
        return err->code;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, placenames_sql_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->kind);
    store_bind_text(s, 2, in->name);
    store_bind_text(s, 3, nz(in->region_code));
    store_bind_text(s, 4, scope);
    if (parent)
        store_bind_int64(s, 5, parent->id);
    else
        store_bind_null(s, 5);
    store_bind_text(s, 6, joined);
    store_bind_text(s, 7, initials);
    store_bind_text(s, 8, aliases);
    bind_coords(s, 9, in->has_coords, in->lng_microdeg, in->lat_microdeg);
    store_bind_text(s, 11, outline);
    store_bind_int64(s, 12, in->is_synthetic ? 1 : 0);
    store_bind_text(s, 13, now);
    store_bind_text(s, 14, now);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id_out = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return name_taken(err, in->name);
    }
    return rc < 0 ? rc : 0;
}

int placenames__insert(struct store *st, const struct place_in *in, const struct ms_actor *actor,
                       const char *detail_extra, int64_t *id_out, struct ms_err *err)
{
    struct ms_arena a;
    struct place parent_row, *parent = NULL;
    const char *aliases, *outline, *code = nz(in->region_code);
    const struct kind_def *k = find_kind(in->kind);
    int rc;

    if (!in->kind || !*in->kind)
        return field_err(err, MS_EMISSING, "kind", "a place needs a kind", "请填写地名类别");
    if (!k)
        return field_err(err, MS_EFIELD, "kind",
                         "kind must be district, town, street, village, community, road, "
                         "building or landmark",
                         "类别应为区县、镇、街道、村、社区、道路、建筑物或地标");
    ms_arena_init(&a, 4096);
    if ((rc = check_name(in->name, err)) < 0 ||
        (rc = check_aliases(in->aliases, &a, &aliases, err)) < 0 ||
        (rc = check_coords(in->has_coords, in->lng_microdeg, in->lat_microdeg, err)) < 0 ||
        (rc = check_outline(in->outline, &a, &outline, err)) < 0)
        goto out;
    if (in->parent_id) {
        if ((rc = load_parent(st, in->parent_id, &a, &parent_row, err)) < 0)
            goto out;
        parent = &parent_row;
    }
    if ((rc = check_kind_under(k, parent, err)) < 0 ||
        (rc = check_code(k, code, parent, err)) < 0 ||
        (rc = check_unique(st, 0, code, in->parent_id, in->name, &a, err)) < 0)
        goto out;
    const char *scope = *code ? code : parent ? parent->scope_code : "";
    if ((rc = insert_row(st, in, parent, scope, aliases, outline, &a, id_out, err)) < 0)
        goto out;
    char *detail = ms_arena_printf(&a, "kind=%s name=%s code=%s%s%s", in->kind, in->name, code,
                                   detail_extra ? " " : "", nz(detail_extra));
    rc = audit_place(st, actor, "place.add", *id_out, detail, err);
out:
    ms_arena_release(&a);
    return rc;
}

struct add_ctx {
    const struct place_in *in;
    const struct ms_actor *actor;
    int64_t id;
};

static int add_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct add_ctx *c = ctx;
    return placenames__insert(st, c->in, c->actor, NULL, &c->id, err);
}

int placenames_add(struct store *st, const struct place_in *in, const struct ms_actor *actor,
                   int64_t *id_out, struct ms_err *err)
{
    struct add_ctx c = {in, actor, 0};
    int rc = store_tx(st, add_tx, &c, err);
    if (rc == 0 && id_out)
        *id_out = c.id;
    return rc;
}

/* The place as it will be after a patch, with the list of changed fields. */
struct merged {
    struct place p;
    char changed[160];
};

static void note_change(struct merged *m, const char *field)
{
    size_t n = strlen(m->changed);
    snprintf(m->changed + n, sizeof(m->changed) - n, "%s%s", n ? "," : "", field);
}

static int merge_patch(const struct place *cur, const struct place_patch *p, struct ms_arena *a,
                       struct merged *m, struct ms_err *err)
{
    m->p = *cur;
    m->changed[0] = '\0';
    if (p->name && strcmp(p->name, cur->name) != 0) {
        if (check_name(p->name, err) < 0)
            return err->code;
        m->p.name = p->name;
        note_change(m, "name");
    }
    if (p->region_code && strcmp(p->region_code, cur->region_code) != 0) {
        m->p.region_code = p->region_code;
        note_change(m, "region_code");
    }
    if (p->aliases) {
        if (check_aliases(p->aliases, a, &m->p.aliases, err) < 0)
            return err->code;
        if (strcmp(m->p.aliases, cur->aliases) != 0)
            note_change(m, "aliases");
    }
    if (p->set_coords) {
        if (check_coords(p->has_coords, p->lng_microdeg, p->lat_microdeg, err) < 0)
            return err->code;
        m->p.has_coords = p->has_coords;
        m->p.lng_microdeg = p->has_coords ? p->lng_microdeg : 0;
        m->p.lat_microdeg = p->has_coords ? p->lat_microdeg : 0;
        if (m->p.has_coords != cur->has_coords || m->p.lng_microdeg != cur->lng_microdeg ||
            m->p.lat_microdeg != cur->lat_microdeg)
            note_change(m, "coords");
    }
    if (p->outline) {
        if (check_outline(p->outline, a, &m->p.outline, err) < 0)
            return err->code;
        if (strcmp(m->p.outline, cur->outline) != 0)
            note_change(m, "outline");
    }
    if (p->set_synthetic && (p->is_synthetic != 0) != cur->is_synthetic) {
        m->p.is_synthetic = p->is_synthetic != 0;
        note_change(m, "is_synthetic");
    }
    return 0;
}

static int check_code_change(struct store *st, const struct place *cur, const struct place *next,
                             struct place **parent, struct place *parent_row, struct ms_arena *a,
                             struct ms_err *err)
{
    struct store_stmt *s;
    int64_t children = 0;
    if (store_prepare(st, placenames_sql_count_children, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, cur->id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        children = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (children) {
        int ret = ms_err_field(err, MS_ECONFLICT, "region_code",
                               "place %lld has %lld places under it; their codes share its prefix",
                               (long long)cur->id, (long long)children);
        ms_err_zh(err, "“%s”下还有 %lld 个地名，不能修改其区划代码", cur->name,
                  (long long)children);
        return ret;
    }
    if (cur->parent_id) {
        if (load_parent(st, cur->parent_id, a, parent_row, err) < 0)
            return err->code;
        *parent = parent_row;
    }
    return check_code(find_kind(cur->kind), next->region_code, *parent, err);
}

static int write_update(struct store *st, const struct place *cur, const struct place *next,
                        const char *scope, struct ms_arena *a, struct ms_err *err)
{
    char now[MS_TS_LEN + 1];
    const char *joined = cur->pinyin, *initials = cur->pinyin_initials;
    struct store_stmt *s;
    if (strcmp(next->name, cur->name) != 0 && name_keys(next->name, a, &joined, &initials, err) < 0)
        return err->code;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, placenames_sql_update, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, next->name);
    store_bind_text(s, 2, next->region_code);
    store_bind_text(s, 3, scope);
    store_bind_text(s, 4, joined);
    store_bind_text(s, 5, initials);
    store_bind_text(s, 6, next->aliases);
    bind_coords(s, 7, next->has_coords, next->lng_microdeg, next->lat_microdeg);
    store_bind_text(s, 9, next->outline);
    store_bind_int64(s, 10, next->is_synthetic);
    store_bind_text(s, 11, now);
    store_bind_int64(s, 12, cur->id);
    store_bind_int64(s, 13, cur->version);
    int rc = store_step(s, err);
    int64_t changes = store_changes(s);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return name_taken(err, next->name);
    }
    if (rc < 0)
        return rc;
    if (changes == 0)
        return ms_err_set(err, MS_ESTALE, "place %lld changed while it was being updated",
                          (long long)cur->id);
    return 0;
}

int placenames__update(struct store *st, const struct place *cur, const struct place_patch *p,
                       const struct ms_actor *actor, const char *detail_extra, int *changed,
                       struct ms_err *err)
{
    struct ms_arena a;
    struct merged m;
    struct place parent_row, *parent = NULL;
    int rc;

    *changed = 0;
    ms_arena_init(&a, 4096);
    if ((rc = merge_patch(cur, p, &a, &m, err)) < 0 || !m.changed[0])
        goto out;
    int is_code_change = strcmp(m.p.region_code, cur->region_code) != 0;
    if (is_code_change &&
        (rc = check_code_change(st, cur, &m.p, &parent, &parent_row, &a, err)) < 0)
        goto out;
    if ((rc = check_unique(st, cur->id, is_code_change ? m.p.region_code : "", cur->parent_id,
                           strcmp(m.p.name, cur->name) ? m.p.name : NULL, &a, err)) < 0)
        goto out;
    const char *scope = !is_code_change    ? cur->scope_code
                        : *m.p.region_code ? m.p.region_code
                        : parent           ? parent->scope_code
                                           : "";
    if ((rc = write_update(st, cur, &m.p, scope, &a, err)) < 0)
        goto out;
    char *detail = ms_arena_printf(&a, "changed=%s name=%s%s%s", m.changed, m.p.name,
                                   detail_extra ? " " : "", nz(detail_extra));
    if ((rc = audit_place(st, actor, "place.update", cur->id, detail, err)) == 0)
        *changed = 1;
out:
    ms_arena_release(&a);
    return rc;
}

struct update_ctx {
    int64_t id;
    const struct place_patch *p;
    const struct ms_actor *actor;
};

static int update_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct update_ctx *c = ctx;
    struct ms_arena a;
    struct place cur;
    int changed;
    ms_arena_init(&a, 4096);
    int rc = placenames_get(st, c->id, &a, &cur, err);
    if (rc == 0)
        rc = placenames__update(st, &cur, c->p, c->actor, NULL, &changed, err);
    ms_arena_release(&a);
    return rc;
}

int placenames_update(struct store *st, int64_t id, const struct place_patch *p,
                      const struct ms_actor *actor, struct ms_err *err)
{
    struct update_ctx c = {id, p, actor};
    return store_tx(st, update_tx, &c, err);
}

/* ---- search, tree, GeoJSON ---------------------------------------------- */

const char *placenames__next_prefix(const char *prefix, struct ms_arena *arena)
{
    size_t n = strlen(prefix);
    char *next = ms_arena_strdup(arena, prefix);
    while (n && (next[n - 1] == '9' || next[n - 1] == 'z'))
        n--;
    if (n == 0) /* "999", "zz": past every stored value of that alphabet */
        return ms_arena_printf(arena, "%s%.*s", prefix, 40,
                               prefix[0] == 'z' ? "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                                                : "9999999999999999999999999999999999999999");
    next[n - 1]++;
    next[n] = '\0';
    return next;
}

static int check_under(const char *under, struct ms_err *err)
{
    if (!under || !*under || is_digits(under, 1, PLACENAMES_CODE_LEN))
        return 0;
    return field_err(err, MS_EFIELD, "under", "under must be 1 to 12 digits of a region code",
                     "under 应为 1 至 12 位区划代码前缀");
}

static int check_query(const struct placenames_query *q, int *limit, struct ms_err *err)
{
    *limit = q->limit ? q->limit : 20;
    if (*limit < 1 || *limit > PLACENAMES_SEARCH_MAX)
        return field_err(err, MS_EFIELD, "limit", "limit must be from 1 to 200",
                         "limit 应为 1 至 200");
    if (q->kind && *q->kind && !find_kind(q->kind))
        return field_err(err, MS_EFIELD, "kind", "unknown kind of place", "未知的地名类别");
    if (q->q && (!ms_utf8_is_valid(q->q, strlen(q->q)) || ms_utf8_chars(q->q) > 50))
        return field_err(err, MS_EFIELD, "q", "q must be valid UTF-8 of at most 50 characters",
                         "查询词不能超过 50 个字");
    return check_under(q->under, err);
}

/* Binds kind, kind, under, lo, hi from index idx on; returns the next index. */
static int bind_filters(struct store_stmt *s, int idx, const char *kind, const char *under,
                        struct ms_arena *a)
{
    store_bind_text(s, idx++, nz(kind));
    store_bind_text(s, idx++, nz(kind));
    store_bind_text(s, idx++, nz(under));
    store_bind_text(s, idx++, nz(under));
    store_bind_text(s, idx++, under && *under ? placenames__next_prefix(under, a) : "");
    return idx;
}

/* Escapes LIKE's wildcards with '\'. */
static const char *like_escape(const char *q, struct ms_arena *a)
{
    char *out = ms_arena_alloc(a, strlen(q) * 2 + 1), *w = out;
    for (; *q; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            *w++ = '\\';
        *w++ = *q;
    }
    *w = '\0';
    return out;
}

static int all_of(const char *s, const char *set)
{
    return *s && strspn(s, set) == strlen(s);
}

int placenames_search(struct store *st, const struct placenames_query *q, struct ms_arena *arena,
                      struct place **out, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    const char *text = nz(q->q);
    int limit, i = 1;
    if (check_query(q, &limit, err) < 0)
        return err->code;
    if (!*text) {
        if (store_prepare(st, placenames_sql_search_all, &s, err) < 0)
            return err->code;
    } else if (all_of(text, "0123456789")) {
        if (strlen(text) > PLACENAMES_CODE_LEN)
            return field_err(err, MS_EFIELD, "q", "a region code has at most 12 digits",
                             "区划代码最多 12 位");
        if (store_prepare(st, placenames_sql_search_code, &s, err) < 0)
            return err->code;
        store_bind_text(s, i++, text);
        store_bind_text(s, i++, placenames__next_prefix(text, arena));
    } else if (all_of(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
        char *lower = ms_arena_strdup(arena, text);
        for (char *p = lower; *p; p++)
            *p = (char)(*p | 0x20);
        const char *hi = placenames__next_prefix(lower, arena);
        if (store_prepare(st, placenames_sql_search_pinyin, &s, err) < 0)
            return err->code;
        store_bind_text(s, i++, lower);
        store_bind_text(s, i++, hi);
        store_bind_text(s, i++, lower);
        store_bind_text(s, i++, hi);
    } else {
        const char *esc = like_escape(text, arena);
        const char *like = ms_arena_printf(arena, "%%%s%%", esc);
        if (store_prepare(st, placenames_sql_search_name, &s, err) < 0)
            return err->code;
        store_bind_text(s, i++, like);
        store_bind_text(s, i++, like);
    }
    i = bind_filters(s, i, q->kind, q->under, arena);
    if (*text && !all_of(text, "0123456789")) {
        int is_pinyin = all_of(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        char *lower = ms_arena_strdup(arena, text);
        for (char *p = lower; is_pinyin && *p; p++)
            *p = (char)(*p | 0x20);
        store_bind_text(s, i++, lower);
        store_bind_text(
            s, i++, is_pinyin ? lower : ms_arena_printf(arena, "%s%%", like_escape(text, arena)));
    }
    store_bind_int64(s, i, limit);
    return read_all(s, arena, out, n, err);
}

/* Appends the subtree of places[at] (children found through parent ids). */
struct tree_walk {
    struct place *in, *out;
    int *depths;
    size_t n, n_out;
    int *is_done;
};

static void walk(struct tree_walk *w, size_t at, int depth)
{
    w->out[w->n_out] = w->in[at];
    w->depths[w->n_out++] = depth;
    w->is_done[at] = 1;
    for (size_t i = 0; i < w->n; i++)
        if (!w->is_done[i] && w->in[i].parent_id == w->in[at].id)
            walk(w, i, depth + 1);
}

int placenames_tree(struct store *st, const char *under, struct ms_arena *arena, struct place **out,
                    int **depths, size_t *n, struct ms_err *err)
{
    struct store_stmt *s;
    struct tree_walk w = {0};
    if (check_under(under, err) < 0)
        return err->code;
    if (store_prepare(st, placenames_sql_tree, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, nz(under));
    store_bind_text(s, 2, nz(under));
    store_bind_text(s, 3, under && *under ? placenames__next_prefix(under, arena) : "");
    if (read_all(s, arena, &w.in, &w.n, err) < 0)
        return err->code;
    qsort(w.in, w.n, sizeof(*w.in), cmp_places);
    w.out = ms_arena_calloc(arena, w.n + 1, sizeof(*w.out));
    w.depths = ms_arena_calloc(arena, w.n + 1, sizeof(*w.depths));
    w.is_done = ms_arena_calloc(arena, w.n + 1, sizeof(*w.is_done));
    /* Tops: places whose parent is not in the list. Quadratic, but a tree
     * is printed for a district or a town, a few thousand places at most. */
    for (size_t i = 0; i < w.n; i++) {
        int has_parent = 0;
        for (size_t j = 0; j < w.n && !has_parent; j++)
            has_parent = w.in[j].id == w.in[i].parent_id;
        if (!has_parent && !w.is_done[i])
            walk(&w, i, 0);
    }
    *out = w.out;
    *depths = w.depths;
    *n = w.n_out;
    return 0;
}

int placenames_geojson(struct store *st, const char *kind, const char *under, struct ms_str *out,
                       struct ms_err *err)
{
    struct ms_arena a;
    struct store_stmt *s;
    int rc, is_first = 1;
    int is_township = kind && strcmp(kind, "township") == 0;
    if (kind && *kind && !is_township && !find_kind(kind))
        return field_err(err, MS_EFIELD, "kind", "unknown kind of place", "未知的地名类别");
    if (check_under(under, err) < 0)
        return err->code;
    ms_arena_init(&a, 1024);
    if (store_prepare(st, is_township ? placenames_sql_geojson_township : placenames_sql_geojson,
                      &s, err) < 0) {
        ms_arena_release(&a);
        return err->code;
    }
    if (is_township) {
        store_bind_text(s, 1, nz(under));
        store_bind_text(s, 2, nz(under));
        store_bind_text(s, 3, under && *under ? placenames__next_prefix(under, &a) : "");
    } else {
        bind_filters(s, 1, kind, under, &a);
    }
    ms_str_adds(out, "{\"type\":\"FeatureCollection\",\"features\":[");
    while ((rc = store_step(s, err)) == STORE_ROW) {
        json_t *props =
            json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)store_col_int64(s, 0), "name",
                      nz(store_col_text(s, 1)), "kind", nz(store_col_text(s, 2)), "region_code",
                      nz(store_col_text(s, 3)), "is_synthetic", store_col_int64(s, 5) != 0);
        /* The outline was canonicalised on write: exact degrees, valid JSON. */
        ms_str_addf(out, "%s{\"type\":\"Feature\",\"id\":%lld,\"properties\":", is_first ? "" : ",",
                    (long long)store_col_int64(s, 0));
        ms_json_dump(props, out);
        json_decref(props);
        ms_str_adds(out, ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":");
        ms_str_adds(out, nz(store_col_text(s, 4)));
        ms_str_adds(out, "}}");
        is_first = 0;
    }
    store_reset(s);
    ms_str_adds(out, "]}");
    ms_arena_release(&a);
    return rc < 0 ? rc : 0;
}
