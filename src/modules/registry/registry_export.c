/*
 * registry_export.c - a search result as an Excel workbook (issue #3; rules.md
 * §12.3 item 6): the residents in the caller's scope that match the search
 * filters, ID and phone numbers masked, and a second sheet "说明" saying who
 * exported what and when.
 *
 * Rows come from the search's own statements (registry__search_each()), so
 * the data scope is applied in SQL exactly as for a search, and are written
 * into the sheet one at a time. The size is capped by the policy
 * registry.export_max_rows: the count runs first and a larger result is
 * refused before anything is written.
 *
 * libxlsxwriter 1.1.4 (Debian 12) writes only to a named file, so the
 * workbook goes to a mkstemps() file in $TMPDIR, is read back through the
 * descriptor we created and unlinked on every path. The full ID or phone
 * number is never put into the file: registry__read_resident() masks them
 * as every read does.
 */
#include "modules/registry/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/clock.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy.h"
#include "modules/registry/registry_int.h"
#include "core/banned.h"

#define MAX_ROWS_KEY      "registry.export_max_rows"
#define PURPOSE_MAX_CHARS 200
#define NOTE_TEXT         "本表已脱敏，仅限工作使用"

/* The residents sheet: heading and column width, in column order. */
static const struct {
    const char *title;
    double width;
} columns[] = {
    {"居民码", 16},
    {"姓名", 12},
    {"性别", 6},
    {"出生日期", 12},
    {"年龄", 6},
    {"身份证号（脱敏）", 22},
    {"手机号（脱敏）", 16},
    {"民族", 8},
    {"户籍类型", 10},
    {"户籍地区划", 15},
    {"居住地区划", 15},
    {"居住地址", 40},
    {"状态", 8},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

struct export_state {
    lxw_workbook *wb;
    lxw_worksheet *sheet;
    lxw_format *bold;
    char path[4096];   /* the temporary file; "" once unlinked */
    int fd;            /* -1 once closed */
    int64_t rows;      /* residents written */
    lxw_error xlsx_rc; /* the first libxlsxwriter error */
};

static const char *sex_zh(const char *sex)
{
    return strcmp(sex, "M") == 0 ? "男" : strcmp(sex, "F") == 0 ? "女" : sex;
}

static const char *hukou_zh(const char *hukou_type)
{
    return strcmp(hukou_type, "urban") == 0   ? "城镇"
           : strcmp(hukou_type, "rural") == 0 ? "农村"
                                              : hukou_type;
}

static const char *status_zh(const char *status)
{
    return strcmp(status, "alive") == 0       ? "正常"
           : strcmp(status, "deceased") == 0  ? "已死亡"
           : strcmp(status, "moved_out") == 0 ? "已迁出"
                                              : status;
}

static void put(struct export_state *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                const char *text, lxw_format *fmt)
{
    lxw_error rc = worksheet_write_string(ws, row, col, text ? text : "", fmt);
    if (rc != LXW_NO_ERROR && x->xlsx_rc == LXW_NO_ERROR)
        x->xlsx_rc = rc;
}

static int xlsx_failed(struct ms_err *err, lxw_error rc)
{
    return ms_err_set(err, MS_EIO, "writing the workbook failed: %s", lxw_strerror(rc));
}

/* registry__row_fn: one resident, one row. */
static int write_row(void *ctx, const struct registry_resident *r, struct ms_err *err)
{
    struct export_state *x = ctx;
    char display[MS_RESCODE_DISPLAY_LEN + 1];
    lxw_row_t row = (lxw_row_t)(x->rows + 1);
    ms_rescode_format(r->code, display);
    put(x, x->sheet, row, 0, display, NULL);
    put(x, x->sheet, row, 1, r->name, NULL);
    put(x, x->sheet, row, 2, sex_zh(r->sex), NULL);
    put(x, x->sheet, row, 3, r->birth_date, NULL);
    lxw_error num_rc = worksheet_write_number(x->sheet, row, 4, r->age, NULL);
    if (num_rc != LXW_NO_ERROR && x->xlsx_rc == LXW_NO_ERROR)
        x->xlsx_rc = num_rc;
    put(x, x->sheet, row, 5, r->id_number_masked, NULL);
    put(x, x->sheet, row, 6, r->phone_masked, NULL);
    put(x, x->sheet, row, 7, r->ethnicity, NULL);
    put(x, x->sheet, row, 8, hukou_zh(r->hukou_type), NULL);
    put(x, x->sheet, row, 9, r->hukou.region_code, NULL);
    put(x, x->sheet, row, 10, r->residence.region_code, NULL);
    put(x, x->sheet, row, 11, r->residence.detail, NULL);
    put(x, x->sheet, row, 12, status_zh(r->status), NULL);
    if (x->xlsx_rc != LXW_NO_ERROR)
        return xlsx_failed(err, x->xlsx_rc);
    x->rows++;
    return 0;
}

/* Creates the temporary file and the workbook with its residents sheet. */
static int open_workbook(struct export_state *x, struct ms_err *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    if ((size_t)snprintf(x->path, sizeof(x->path), "%s/minsheng-export-XXXXXX.xlsx", dir) >=
        sizeof(x->path)) {
        x->path[0] = '\0';
        return ms_err_set(err, MS_EIO, "TMPDIR is too long");
    }
    x->fd = mkstemps(x->path, 5);
    if (x->fd < 0) {
        x->path[0] = '\0';
        return ms_err_set(err, MS_EIO, "cannot create a temporary file in '%.200s'", dir);
    }
    x->wb = workbook_new(x->path);
    if (!x->wb)
        return ms_err_set(err, MS_EIO, "cannot start the workbook");
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->sheet = workbook_add_worksheet(x->wb, "居民名单");
    if (!x->sheet)
        return ms_err_set(err, MS_EIO, "cannot add the residents sheet");
    for (lxw_col_t c = 0; c < N_COLUMNS; c++) {
        put(x, x->sheet, 0, c, columns[c].title, x->bold);
        worksheet_set_column(x->sheet, c, c, columns[c].width, NULL);
    }
    worksheet_freeze_panes(x->sheet, 1, 0);
    return x->xlsx_rc != LXW_NO_ERROR ? xlsx_failed(err, x->xlsx_rc) : 0;
}

/* What the filters were, for the note sheet: q is described, and shown only
 * when it is a name, pinyin or code (an ID or phone number never is). */
static const char *query_text(const struct registry_query *q, const char *matched_by,
                              struct ms_arena *a)
{
    static const struct {
        const char *by, *zh;
    } kinds[] = {{"name", "姓名"},
                 {"pinyin", "拼音或首字母"},
                 {"code", "居民码"},
                 {"id_number", "身份证号码"},
                 {"phone", "电话号码"}};
    const char *text = "全部";
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(matched_by, kinds[i].by) != 0)
            continue;
        int is_secret = strcmp(matched_by, "id_number") == 0 || strcmp(matched_by, "phone") == 0;
        text = is_secret ? ms_arena_printf(a, "按%s查找（号码不显示）", kinds[i].zh)
                         : ms_arena_printf(a, "按%s查找：%s", kinds[i].zh, q->q);
    }
    return text;
}

static const char *age_text(const struct registry_query *q, struct ms_arena *a)
{
    if (q->age_min < 0 && q->age_max < 0)
        return "不限";
    if (q->age_max < 0)
        return ms_arena_printf(a, "%d 岁及以上", q->age_min);
    if (q->age_min < 0)
        return ms_arena_printf(a, "%d 岁及以下", q->age_max);
    return ms_arena_printf(a, "%d 至 %d 岁", q->age_min, q->age_max);
}

static const char *or_any(const char *v)
{
    return v && *v ? v : "不限";
}

/* The second sheet: who, when, which filters, how many rows. */
static int write_note(struct export_state *x, const char *scope, const struct registry_query *q,
                      const char *matched_by, const struct ms_actor *actor, int64_t now_ms,
                      struct ms_arena *a, struct ms_err *err)
{
    char utc[MS_TS_LEN + 1], bj[MS_TS_LEN + 1];
    ms_clock_format(now_ms, utc);
    ms_clock_format(now_ms + 8 * 3600 * 1000, bj);
    const char *rows[][2] = {
        {"导出人", ms_arena_printf(a, "%s%s%s%s", actor->username, *actor->role ? "（" : "",
                                   actor->role, *actor->role ? "）" : "")},
        {"导出时间（UTC）", utc},
        {"导出时间（北京时间）", ms_arena_printf(a, "%.10s %.8s", bj, bj + 11)},
        {"数据范围", scope && *scope ? scope : "全区"},
        {"查询", query_text(q, matched_by, a)},
        {"乡镇（街道）", or_any(q->town)},
        {"村（社区）", or_any(q->village)},
        {"年龄", age_text(q, a)},
        {"状态", q->status ? status_zh(q->status) : "不限"},
        {"户籍类型", q->hukou_type ? hukou_zh(q->hukou_type) : "不限"},
        {"行数", ms_arena_printf(a, "%lld", (long long)x->rows)},
        {"说明", NOTE_TEXT},
    };
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "说明");
    if (!ws)
        return ms_err_set(err, MS_EIO, "cannot add the note sheet");
    worksheet_set_column(ws, 0, 0, 22, x->bold);
    worksheet_set_column(ws, 1, 1, 50, NULL);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        put(x, ws, (lxw_row_t)i, 0, rows[i][0], x->bold);
        put(x, ws, (lxw_row_t)i, 1, rows[i][1], NULL);
    }
    return x->xlsx_rc != LXW_NO_ERROR ? xlsx_failed(err, x->xlsx_rc) : 0;
}

/* Closes the workbook (which writes the file) and reads it back. */
static int finish_workbook(struct export_state *x, struct registry_export *out, struct ms_err *err)
{
    struct stat sb;
    worksheet_autofilter(x->sheet, 0, 0, (lxw_row_t)x->rows, (lxw_col_t)(N_COLUMNS - 1));
    lxw_error rc = workbook_close(x->wb);
    x->wb = NULL;
    if (rc != LXW_NO_ERROR)
        return xlsx_failed(err, rc);
    if (fstat(x->fd, &sb) < 0 || sb.st_size <= 0)
        return ms_err_set(err, MS_EIO, "the workbook file is empty");
    size_t len = (size_t)sb.st_size, got = 0;
    char *buf = ms_xmalloc(len);
    while (got < len) {
        ssize_t n = pread(x->fd, buf + got, len - got, (off_t)got);
        if (n <= 0) {
            free(buf);
            return ms_err_set(err, MS_EIO, "cannot read the workbook back");
        }
        got += (size_t)n;
    }
    out->xlsx = buf;
    out->xlsx_len = len;
    return 0;
}

static void export_cleanup(struct export_state *x)
{
    if (x->wb)
        lxw_workbook_free(x->wb); /* on failure: free without writing the file */
    if (x->fd >= 0)
        close(x->fd);
    if (x->path[0])
        unlink(x->path);
}

/* total is the count stopped at max_rows + 1: "more than max_rows". */
static int too_many(struct ms_err *err, int64_t total, int64_t max_rows)
{
    (void)total;
    int ret = ms_err_set(err, MS_EINVAL,
                         "more than %lld residents match, the most one export may hold; narrow "
                         "the filters",
                         (long long)max_rows);
    ms_err_zh(err,
              "符合条件的居民超过单次导出上限 %lld 人，请缩小查询条件"
              "（如按乡镇（街道）、村（社区）、年龄、状态或户籍类型筛选）后再导出",
              (long long)max_rows);
    return ret;
}

/* The audit entry: how many rows and which filters, never q (which may be an
 * ID or phone number) and never a number. */
static void export_entry(const struct registry_query *q, const char *scope, const char *by,
                         int64_t rows, const char *purpose, struct ms_arena *a,
                         struct audit_entry *read)
{
    struct ms_str d = MS_STR_INIT;
    ms_str_addf(&d, "rows=%lld by=%s scope=%s", (long long)rows, by,
                scope && *scope ? scope : "all");
    if (q->town && *q->town)
        ms_str_addf(&d, " town=%s", q->town);
    if (q->village && *q->village)
        ms_str_addf(&d, " village=%s", q->village);
    if (q->age_min >= 0 || q->age_max >= 0)
        ms_str_addf(&d, " age=%d-%d", q->age_min, q->age_max);
    if (q->status)
        ms_str_addf(&d, " status=%s", q->status);
    if (q->hukou_type)
        ms_str_addf(&d, " hukou=%s", q->hukou_type);
    const char *detail = ms_arena_strdup(a, d.buf);
    ms_str_release(&d);
    *read = (struct audit_entry){.action = "registry.export",
                                 .object_type = "resident",
                                 .object_id = "",
                                 .subject = NULL,
                                 .purpose = purpose && *purpose ? purpose : NULL,
                                 .result = "ok",
                                 .detail = detail};
}

int registry_resident_export(struct store *st, const char *scope,
                             const struct registry_query *query, const char *purpose,
                             const struct ms_actor *actor, struct ms_arena *arena,
                             struct registry_export *out, struct audit_entry *read,
                             struct ms_err *err)
{
    struct export_state x = {.fd = -1};
    int64_t max_rows = 0, total = 0, now_ms = ms_clock_now_ms();
    const char *by = "all";
    int rc;
    memset(out, 0, sizeof(*out));
    if (purpose && registry__check_text("purpose", "用途", purpose, PURPOSE_MAX_CHARS, err) < 0)
        return err->code;
    if (policy_get_int(st, MAX_ROWS_KEY, NULL, &max_rows, err) < 0)
        return err->code;
    if ((rc = open_workbook(&x, err)) < 0)
        goto out;
    rc = registry__search_each(st, scope, query, max_rows, arena, write_row, &x, &total, &by, err);
    if (rc == 0 && total > max_rows)
        rc = too_many(err, total, max_rows);
    if (rc == 0)
        rc = write_note(&x, scope, query, by, actor, now_ms, arena, err);
    if (rc == 0)
        rc = finish_workbook(&x, out, err);
    if (rc < 0)
        goto out;
    char bj[MS_TS_LEN + 1];
    ms_clock_format(now_ms + 8 * 3600 * 1000, bj);
    out->filename = ms_arena_printf(arena, "residents-%.4s%.2s%.2s.xlsx", bj, bj + 5, bj + 8);
    out->rows = x.rows;
    export_entry(query, scope, by, x.rows, purpose, arena, read);
out:
    export_cleanup(&x);
    return rc < 0 ? rc : 0;
}
