/*
 * placenames_import.c - importing place names from CSV (docs/placenames.md
 * lists the columns), all or nothing per file.
 *
 * libcsv (Debian libcsv-dev) splits the records (RFC 4180 quoting, fields
 * with commas, quotes and line breaks); this file maps the header to columns,
 * turns each record into a place and upserts it through the same checks as
 * placenames_add() / placenames_update(), inside one transaction with an
 * audit entry per change. Memory stays flat: one arena per record, reset
 * after it, and libcsv's field buffer is capped (FIELD_MAX) by its realloc
 * hook, so a hostile file cannot grow it without bound.
 */
#include "modules/placenames/placenames.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/json.h"
#include "modules/audit/audit.h"
#include "modules/placenames/placenames_int.h"
#include "store/store.h"

#define FIELD_MAX  (PLACENAMES_OUTLINE_MAX + 1024)
#define MAX_FIELDS 16
#define CHUNK      65536

enum column {
    COL_KIND,
    COL_NAME,
    COL_REGION_CODE,
    COL_PARENT_CODE,
    COL_PARENT_NAME,
    COL_ALIASES,
    COL_LNG,
    COL_LAT,
    COL_OUTLINE,
    COL_IS_SYNTHETIC,
    N_COLUMNS
};

/* Header names, English or Chinese (staff edit these files in Excel/WPS). */
static const struct {
    const char *en, *zh;
} column_names[N_COLUMNS] = {
    [COL_KIND] = {"kind", "类别"},
    [COL_NAME] = {"name", "名称"},
    [COL_REGION_CODE] = {"region_code", "区划代码"},
    [COL_PARENT_CODE] = {"parent_code", "上级区划代码"},
    [COL_PARENT_NAME] = {"parent_name", "上级名称"},
    [COL_ALIASES] = {"aliases", "别名"},
    [COL_LNG] = {"lng", "经度"},
    [COL_LAT] = {"lat", "纬度"},
    [COL_OUTLINE] = {"outline", "轮廓"},
    [COL_IS_SYNTHETIC] = {"is_synthetic", "是否虚构"},
};

/* Chinese kind labels accepted in the kind column. */
static const struct {
    const char *zh, *kind;
} kind_labels[] = {
    {"区县", "district"}, {"区", "district"},     {"镇", "town"},
    {"街道", "street"},   {"村", "village"},      {"社区", "community"},
    {"道路", "road"},     {"建筑物", "building"}, {"地标", "landmark"},
};

struct import {
    struct store *st;
    const struct ms_actor *actor;
    struct placenames_import_stats *stats;
    struct ms_err *err;
    struct ms_arena row_arena;  /* the current record; reset after it */
    struct ms_arena keep_arena; /* the header's names, for the whole file */
    size_t row;                 /* record number, the header is 1 */
    char *fields[MAX_FIELDS];
    size_t n_fields;
    int is_too_wide;
    int col_of[N_COLUMNS];          /* field index of each column, -1 if absent */
    const char *header[MAX_FIELDS]; /* names as written, for messages */
    int rc;                         /* first error; parsing stops after it */
};

/* libcsv's realloc hook: refusing past FIELD_MAX makes it report ENOMEM,
 * which becomes "field too long". */
static void *capped_realloc(void *p, size_t n)
{
    return n > FIELD_MAX ? NULL : realloc(p, n);
}

static int row_error(struct import *im, int code, const char *column, const char *en,
                     const char *zh)
{
    if (im->rc)
        return im->rc;
    char field[MS_ERR_FIELD_MAX];
    snprintf(field, sizeof(field), "row %zu, column %.40s", im->row, column);
    im->rc = ms_err_field(im->err, code, field, "row %zu, column %.40s: %s", im->row, column, en);
    ms_err_zh(im->err, "第 %zu 行“%.40s”列：%s", im->row, column, zh);
    return im->rc;
}

/* Wraps a domain error (whose field names a place field) with the row and
 * the column it came from. */
static int row_wrap(struct import *im, const struct ms_err *inner)
{
    static const struct {
        const char *field;
        enum column col;
    } map[] = {
        {"kind", COL_KIND},
        {"name", COL_NAME},
        {"region_code", COL_REGION_CODE},
        {"parent_id", COL_PARENT_CODE},
        {"aliases", COL_ALIASES},
        {"lng", COL_LNG},
        {"lat", COL_LAT},
        {"outline", COL_OUTLINE},
    };
    const char *column = inner->field[0] ? inner->field : "-";
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].field, inner->field) == 0)
            column = im->col_of[map[i].col] >= 0 ? im->header[im->col_of[map[i].col]]
                                                 : column_names[map[i].col].en;
    return row_error(im, inner->code, column, inner->message, ms_err_display(inner, 0));
}

static const char *cell(const struct import *im, enum column c)
{
    int i = im->col_of[c];
    return i >= 0 && (size_t)i < im->n_fields ? im->fields[i] : "";
}

static const char *col_label(const struct import *im, enum column c)
{
    return im->col_of[c] >= 0 ? im->header[im->col_of[c]] : column_names[c].en;
}

static int read_header(struct import *im)
{
    for (int c = 0; c < N_COLUMNS; c++)
        im->col_of[c] = -1;
    for (size_t i = 0; i < im->n_fields; i++) {
        const char *h = im->fields[i];
        int found = -1;
        for (int c = 0; c < N_COLUMNS && found < 0; c++)
            if (strcmp(h, column_names[c].en) == 0 || strcmp(h, column_names[c].zh) == 0)
                found = c;
        if (found < 0)
            return row_error(im, MS_EFIELD, h, "unknown column (docs/placenames.md lists them)",
                             "未知的列名（列名见 docs/placenames.md）");
        if (im->col_of[found] >= 0)
            return row_error(im, MS_EFIELD, h, "column appears twice", "列名重复");
        im->col_of[found] = (int)i;
        im->header[i] = ms_arena_strdup(&im->keep_arena, h);
    }
    for (int c = COL_KIND; c <= COL_NAME; c++)
        if (im->col_of[c] < 0)
            return row_error(im, MS_EMISSING, column_names[c].en, "required column is missing",
                             "缺少必需的列");
    return 0;
}

static const char *kind_of(const char *text)
{
    for (size_t i = 0; i < sizeof(kind_labels) / sizeof(kind_labels[0]); i++)
        if (strcmp(text, kind_labels[i].zh) == 0)
            return kind_labels[i].kind;
    return text;
}

static int parse_flag(const char *text, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "是", NULL};
    static const char *const no[] = {"", "0", "false", "no", "否", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(text, yes[i]) == 0)
            return *out = 1, 0;
    for (int i = 0; no[i]; i++)
        if (strcmp(text, no[i]) == 0)
            return *out = 0, 0;
    return -1;
}

/* Fills in from the record's cells (no database access). */
static int read_cells(struct import *im, struct place_in *in)
{
    const char *lng = cell(im, COL_LNG), *lat = cell(im, COL_LAT);
    memset(in, 0, sizeof(*in));
    in->kind = kind_of(cell(im, COL_KIND));
    in->name = cell(im, COL_NAME);
    in->region_code = cell(im, COL_REGION_CODE);
    in->aliases = cell(im, COL_ALIASES);
    in->outline = cell(im, COL_OUTLINE);
    if (parse_flag(cell(im, COL_IS_SYNTHETIC), &in->is_synthetic) < 0)
        return row_error(im, MS_EFIELD, col_label(im, COL_IS_SYNTHETIC), "expected 0 or 1",
                         "应为 0 或 1");
    if (!*lng != !*lat)
        return row_error(im, MS_EMISSING, col_label(im, *lng ? COL_LAT : COL_LNG),
                         "give both longitude and latitude, or neither", "经度和纬度须同时填写");
    if (*lng) {
        in->has_coords = 1;
        if (placenames__parse_degrees(lng, &in->lng_microdeg) < 0)
            return row_error(im, MS_EFIELD, col_label(im, COL_LNG),
                             "expected decimal degrees such as 106.912345",
                             "应为十进制度数，例如 106.912345");
        if (placenames__parse_degrees(lat, &in->lat_microdeg) < 0)
            return row_error(im, MS_EFIELD, col_label(im, COL_LAT),
                             "expected decimal degrees such as 28.953",
                             "应为十进制度数，例如 28.953");
    }
    return 0;
}

/* The parent: parent_code (and parent_name beneath it), or a root named
 * parent_name, or none. Sets in->parent_id. */
static int resolve_parent(struct import *im, struct place_in *in)
{
    const char *code = cell(im, COL_PARENT_CODE), *name = cell(im, COL_PARENT_NAME);
    struct ms_err sub = MS_ERR_INIT;
    struct place p;
    int found = 1;
    int64_t id = 0;
    if (*code) {
        if (placenames__find_code(im->st, code, &im->row_arena, &p, &found, &sub) < 0)
            return row_wrap(im, &sub);
        if (!found)
            return row_error(im, MS_ENOTFOUND, col_label(im, COL_PARENT_CODE),
                             "no place has this region code (a parent's row must come first)",
                             "没有该区划代码的地名（上级须排在前面的行）");
        id = p.id;
    }
    if (*name) {
        if (placenames__find_child(im->st, id, name, &im->row_arena, &p, &found, &sub) < 0)
            return row_wrap(im, &sub);
        if (!found)
            return row_error(im, MS_ENOTFOUND, col_label(im, COL_PARENT_NAME),
                             "no place of this name under the parent code",
                             "上级区划代码下没有该名称的地名");
        id = p.id;
    }
    in->parent_id = id;
    return 0;
}

static int upsert(struct import *im, const struct place_in *in)
{
    struct ms_err sub = MS_ERR_INIT;
    struct place cur;
    int found = 0, changed = 0;
    char *detail = ms_arena_printf(&im->row_arena, "import row %zu", im->row);
    if (*in->region_code)
        placenames__find_code(im->st, in->region_code, &im->row_arena, &cur, &found, &sub);
    if (!found && !sub.code)
        placenames__find_child(im->st, in->parent_id, in->name, &im->row_arena, &cur, &found, &sub);
    if (sub.code)
        return row_wrap(im, &sub);
    if (!found) {
        int64_t id;
        if (placenames__insert(im->st, in, im->actor, detail, &id, &sub) < 0)
            return row_wrap(im, &sub);
        im->stats->added++;
        return 0;
    }
    if (strcmp(cur.kind, in->kind) != 0)
        return row_error(im, MS_ECONFLICT, col_label(im, COL_KIND),
                         "the place this row matches has another kind",
                         "该行对应的已有地名类别不同");
    if (cur.parent_id != in->parent_id)
        return row_error(im, MS_ECONFLICT, col_label(im, COL_PARENT_CODE),
                         "the place with this region code has another parent",
                         "该区划代码的已有地名上级不同");
    struct place_patch p = {.name = in->name,
                            .region_code = in->region_code,
                            .aliases = in->aliases,
                            .outline = in->outline,
                            .set_coords = 1,
                            .has_coords = in->has_coords,
                            .lng_microdeg = in->lng_microdeg,
                            .lat_microdeg = in->lat_microdeg,
                            .set_synthetic = 1,
                            .is_synthetic = in->is_synthetic};
    if (placenames__update(im->st, &cur, &p, im->actor, detail, &changed, &sub) < 0)
        return row_wrap(im, &sub);
    if (changed)
        im->stats->updated++;
    else
        im->stats->unchanged++;
    return 0;
}

static int import_record(struct import *im)
{
    struct place_in in;
    if (read_cells(im, &in) < 0 || resolve_parent(im, &in) < 0)
        return im->rc;
    return upsert(im, &in);
}

static int is_blank_record(const struct import *im)
{
    for (size_t i = 0; i < im->n_fields; i++)
        if (im->fields[i][0])
            return 0;
    return 1;
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct import *im = ctx;
    if (im->rc)
        return;
    if (im->n_fields == MAX_FIELDS) {
        im->is_too_wide = 1;
        return;
    }
    const char *s = data ? data : "";
    if (im->row == 0 && im->n_fields == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, len -= 3; /* the byte-order mark Excel writes */
    im->fields[im->n_fields++] = ms_arena_strndup(&im->row_arena, s, len);
}

static int check_record(struct import *im)
{
    if (im->is_too_wide)
        return row_error(im, MS_EFIELD, "-", "more than 16 fields", "字段超过 16 个");
    for (size_t i = 0; i < im->n_fields; i++)
        if (!ms_utf8_is_valid(im->fields[i], strlen(im->fields[i])))
            return row_error(im, MS_EUTF8, im->row > 1 && im->header[i] ? im->header[i] : "-",
                             "not valid UTF-8 (save the file as UTF-8, not GBK)",
                             "不是合法的 UTF-8 文本（请将文件另存为 UTF-8 编码）");
    return 0;
}

static void on_record(int term, void *ctx)
{
    struct import *im = ctx;
    (void)term;
    if (im->rc)
        return;
    im->row++;
    if (check_record(im) == 0) {
        if (im->row == 1) {
            read_header(im);
        } else if (!is_blank_record(im)) {
            im->stats->rows++;
            import_record(im);
        }
    }
    im->n_fields = 0;
    im->is_too_wide = 0;
    ms_arena_reset(&im->row_arena);
}

static int feed(struct import *im, struct csv_parser *p, FILE *f)
{
    char *buf = malloc(CHUNK);
    size_t n;
    if (!buf)
        return ms_err_set(im->err, MS_EINTERNAL, "out of memory");
    while (!im->rc && (n = fread(buf, 1, CHUNK, f)) > 0) {
        if (csv_parse(p, buf, n, on_field, on_record, im) != n && !im->rc)
            im->rc = ms_err_set(im->err, MS_EFIELD, "after row %zu: %s (at most %d KiB a field)",
                                im->row, csv_strerror(csv_error(p)), FIELD_MAX / 1024);
    }
    free(buf);
    if (!im->rc && ferror(f))
        im->rc = ms_err_set(im->err, MS_EIO, "reading the file failed");
    if (!im->rc && csv_fini(p, on_field, on_record, im) != 0 && !im->rc)
        im->rc = ms_err_set(im->err, MS_EFIELD, "row %zu: unterminated quoted field", im->row + 1);
    if (!im->rc && im->row == 0)
        im->rc = ms_err_set(im->err, MS_EMISSING, "the file is empty (no header row)");
    return im->rc;
}

struct import_ctx {
    FILE *f;
    const char *source_name;
    const struct ms_actor *actor;
    struct placenames_import_stats *stats;
};

static int import_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct import_ctx *c = ctx;
    struct csv_parser p;
    struct import im = {.st = st, .actor = c->actor, .stats = c->stats, .err = err};
    memset(c->stats, 0, sizeof(*c->stats));
    if (fseek(c->f, 0, SEEK_SET) != 0)
        return ms_err_set(err, MS_EIO, "the file cannot be read again from its start");
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ms_err_set(err, MS_EINTERNAL, "csv_init failed");
    csv_set_realloc_func(&p, capped_realloc);
    ms_arena_init(&im.row_arena, 16384);
    ms_arena_init(&im.keep_arena, 1024);
    int rc = feed(&im, &p, c->f);
    csv_free(&p);
    ms_arena_release(&im.row_arena);
    ms_arena_release(&im.keep_arena);
    if (rc < 0 || (c->stats->added == 0 && c->stats->updated == 0))
        return rc;
    char detail[200];
    snprintf(detail, sizeof(detail), "rows=%zu added=%zu updated=%zu unchanged=%zu", c->stats->rows,
             c->stats->added, c->stats->updated, c->stats->unchanged);
    struct audit_entry e = {.action = "place.import",
                            .object_type = "place_file",
                            .object_id = c->source_name,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int placenames_import_csv(struct store *st, FILE *f, const char *source_name,
                          const struct ms_actor *actor, struct placenames_import_stats *stats,
                          struct ms_err *err)
{
    struct import_ctx c = {f, source_name ? source_name : "-", actor, stats};
    return store_tx(st, import_tx, &c, err);
}
