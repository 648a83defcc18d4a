/*
 * exchange_import.c - reading a feed file into a batch (exchange.h).
 *
 * Two passes over the file: the first hashes its bytes (BLAKE2b) to know
 * whether this batch was seen before; the second reads it line by line,
 * converts GB18030 (a superset of GBK) to UTF-8 with iconv where the feed
 * says so, splits CSV records with libcsv or parses JSON Lines, and checks
 * each row (exchange_row.c). Good rows go to exchange_records, bad ones to
 * exchange_quarantine; every chunk_rows rows the transaction commits with
 * the batch's counters and resume point, so memory stays flat and a killed
 * import resumes where it stopped. Bytes that are not valid in the file's
 * encoding are replaced by U+FFFD and the row they belong to is quarantined
 * ("bad_encoding"), so nothing is lost without a trace.
 */
#include "modules/exchange/exchange.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/json.h"
#include "core/seal.h"
#include "core/str.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/exchange_row.h"
#include "modules/exchange/exchange_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define DEFAULT_CHUNK   2000
#define LINE_MAX_BYTES  (1u << 20)
#define FIELD_MAX_BYTES 65536
#define MAX_FIELDS      64

struct import {
    struct store *st;
    const struct feed_def *feed;
    const struct ms_seal *seal;
    const struct exchange_import_opts *o;
    struct ms_err *err;
    int64_t batch_id;
    int64_t skip_rows; /* data rows committed by an earlier, interrupted run */
    int64_t row;       /* data rows met so far */
    int32_t today;
    char now[MS_TS_LEN + 1];
    /* CSV */
    int have_header;
    int col_field[FEED_MAX_COLUMNS]; /* file field index of each defined column, or -1 */
    char *header[MAX_FIELDS];
    size_t n_header;
    char *fields[MAX_FIELDS];
    size_t n_fields;
    int too_many_fields;
    int bad_encoding; /* the current line held bytes invalid in the encoding */
    /* the open chunk */
    int in_tx;
    int64_t in_chunk, c_accepted, c_duplicate, c_quarantined;
    size_t chunks;   /* committed in this run */
    int paused;      /* stopped by pause_after_chunks */
    int64_t bytes_done, bytes_total;
    struct ms_arena row_arena;
    int rc;
};

/* --- the hash of the whole file ------------------------------------------------ */

static int hash_file(FILE *in, char hex[65], int64_t *size, struct ms_err *err)
{
    crypto_generichash_state h;
    unsigned char buf[65536], out[32];
    size_t n;
    *size = 0;
    crypto_generichash_init(&h, NULL, 0, sizeof(out));
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        crypto_generichash_update(&h, buf, n);
        *size += (int64_t)n;
    }
    if (ferror(in) || fseek(in, 0, SEEK_SET) != 0)
        return ms_err_set(err, MS_EIO, "cannot read the file twice (it must be a regular file)");
    crypto_generichash_final(&h, out, sizeof(out));
    sodium_bin2hex(hex, 65, out, sizeof(out));
    return 0;
}

/* --- chunks ---------------------------------------------------------------------- */

static int chunk_begin(struct import *im)
{
    if (im->in_tx)
        return 0;
    if (store_begin(im->st, im->err) < 0)
        return im->rc = im->err->code;
    im->in_tx = 1;
    return 0;
}

static int chunk_commit(struct import *im)
{
    struct store_stmt *s;
    int rc;
    if (!im->in_tx)
        return 0;
    if ((rc = store_prepare(im->st, exchange_sql_batch_progress, &s, im->err)) < 0)
        goto fail;
    store_bind_int64(s, 1, im->row);
    store_bind_int64(s, 2, im->c_accepted);
    store_bind_int64(s, 3, im->c_duplicate);
    store_bind_int64(s, 4, im->c_quarantined);
    store_bind_int64(s, 5, im->row);
    store_bind_int64(s, 6, im->batch_id);
    rc = store_step(s, im->err);
    store_reset(s);
    if (rc < 0 || (rc = store_commit(im->st, im->err)) < 0)
        goto fail;
    im->in_tx = 0;
    im->in_chunk = im->c_accepted = im->c_duplicate = im->c_quarantined = 0;
    if (++im->chunks == im->o->pause_after_chunks)
        im->paused = 1;
    if (im->o->progress)
        im->o->progress(im->o->progress_ctx, "load", im->bytes_done, im->bytes_total);
    return 0;
fail:
    store_rollback(im->st);
    im->in_tx = 0;
    return im->rc = rc;
}

/* --- one row ------------------------------------------------------------------------ */

static int quarantine(struct import *im, const char *field, const char *reason,
                      const struct ms_err *why, const char *raw)
{
    struct store_stmt *s;
    const char *sealed;
    int rc;
    ms_seal_encrypt(im->seal, EXCHANGE_SEAL_ROW, raw, &im->row_arena, &sealed);
    if ((rc = store_prepare(im->st, exchange_sql_quarantine_insert, &s, im->err)) < 0)
        return im->rc = rc;
    store_bind_int64(s, 1, im->batch_id);
    store_bind_text(s, 2, im->feed->name);
    store_bind_int64(s, 3, im->row);
    store_bind_text(s, 4, field ? field : "");
    store_bind_text(s, 5, reason);
    store_bind_text(s, 6, why->message_zh[0] ? why->message_zh : why->message);
    store_bind_text(s, 7, why->message);
    store_bind_text(s, 8, sealed);
    rc = store_step(s, im->err);
    store_reset(s);
    if (rc < 0)
        return im->rc = rc;
    im->c_quarantined++;
    return 0;
}

/* Checks and stores one data row: vals per defined column, raw the row as
 * read (JSON text) for the quarantine. problem, if set, is a reason found
 * before the values were looked at (encoding, shape). */
static int take_row(struct import *im, const char *const vals[], const char *raw,
                    const char *problem, const struct ms_err *problem_err)
{
    struct exchange_row r;
    struct ms_err why = MS_ERR_INIT;
    const char *reason = NULL;
    int64_t id;
    if (im->paused)
        return 0;
    im->row++;
    if (im->row <= im->skip_rows)
        return 0;
    if (chunk_begin(im) < 0)
        return im->rc;
    ms_arena_reset(&im->row_arena);
    if (problem) {
        quarantine(im, problem_err->field, problem, problem_err, raw);
    } else if (exchange_row_check(im->feed, vals, im->today, &im->row_arena, &r, &reason, &why) <
               0) {
        quarantine(im, why.field, reason ? reason : "bad_value", &why, raw);
        exchange_row_release(&r);
    } else {
        if (exchange_row_store(im->st, im->seal, im->feed, im->batch_id, im->row, &r, im->now, &id,
                               im->err) < 0)
            im->rc = im->err->code;
        else if (id)
            im->c_accepted++;
        else
            im->c_duplicate++;
        exchange_row_release(&r);
    }
    if (im->rc)
        return im->rc;
    if (++im->in_chunk >= (int64_t)im->o->chunk_rows)
        return chunk_commit(im);
    return 0;
}

/* --- CSV -------------------------------------------------------------------------- */

static void *capped_realloc(void *p, size_t n)
{
    return n > FIELD_MAX_BYTES ? NULL : realloc(p, n);
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct import *im = ctx;
    if (im->rc)
        return;
    if (im->n_fields == MAX_FIELDS) {
        im->too_many_fields = 1;
        return;
    }
    im->fields[im->n_fields++] = ms_arena_strndup(&im->row_arena, data ? data : "", len);
}

static int read_header(struct import *im)
{
    const struct feed_def *f = im->feed;
    if (im->too_many_fields)
        return im->rc = ms_err_field(im->err, MS_EFIELD, "header", "the header has more than %d columns",
                                     MAX_FIELDS);
    for (size_t i = 0; i < im->n_fields; i++) {
        const char *h = im->fields[i];
        if (i == 0 && !strncmp(h, "\xef\xbb\xbf", 3))
            h += 3; /* a byte-order mark, as Excel writes */
        im->header[i] = strdup(h);
    }
    im->n_header = im->n_fields;
    for (size_t c = 0; c < f->n_columns; c++) {
        im->col_field[c] = -1;
        for (size_t i = 0; i < im->n_header; i++)
            if (im->header[i] && !strcmp(im->header[i], f->columns[c].source))
                im->col_field[c] = (int)i;
        if (im->col_field[c] < 0 && f->columns[c].required) {
            ms_err_field(im->err, MS_EFIELD, f->columns[c].source,
                         "the header has no column '%s', which feed %s requires",
                         f->columns[c].source, f->name);
            ms_err_zh(im->err, "文件表头缺少数据源“%s”要求的列“%s”", f->title_zh,
                      f->columns[c].source);
            return im->rc = MS_EFIELD;
        }
    }
    im->have_header = 1;
    return 0;
}

static char *raw_from_fields(struct import *im)
{
    json_t *o = json_object();
    char *s;
    for (size_t i = 0; i < im->n_fields; i++) {
        const char *name = i < im->n_header && im->header[i] ? im->header[i] : NULL;
        char pos[32];
        if (!name) {
            snprintf(pos, sizeof(pos), "#%zu", i + 1);
            name = pos;
        }
        json_object_set_new(o, name, json_string(im->fields[i]));
    }
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static void on_record(int c, void *ctx)
{
    struct import *im = ctx;
    const char *vals[FEED_MAX_COLUMNS] = {0};
    struct ms_err problem = MS_ERR_INIT;
    const char *reason = NULL;
    char *raw;
    (void)c;
    if (im->rc)
        return;
    if (!im->have_header) {
        read_header(im);
        goto done;
    }
    if (im->n_fields == 1 && !im->fields[0][0])
        goto done; /* a blank line */
    for (size_t k = 0; k < im->feed->n_columns; k++)
        if (im->col_field[k] >= 0 && (size_t)im->col_field[k] < im->n_fields)
            vals[k] = im->fields[im->col_field[k]];
    if (im->bad_encoding) {
        reason = "bad_encoding";
        ms_err_set(&problem, MS_EUTF8, "the row has bytes that are not valid %s",
                   im->feed->is_gbk ? "GBK/GB18030" : "UTF-8");
        ms_err_zh(&problem, "该行含有不符合%s编码的字节", im->feed->is_gbk ? "GBK" : "UTF-8");
    } else if (im->too_many_fields || im->n_fields != im->n_header) {
        reason = "wrong_field_count";
        ms_err_set(&problem, MS_EFIELD, "the row has %zu fields, the header %zu", im->n_fields,
                   im->n_header);
        ms_err_zh(&problem, "该行有 %zu 列，与表头的 %zu 列不一致", im->n_fields, im->n_header);
    }
    raw = raw_from_fields(im);
    take_row(im, vals, raw ? raw : "{}", reason, &problem);
    free(raw);
done:
    im->n_fields = 0;
    im->too_many_fields = 0;
    im->bad_encoding = 0;
}

/* --- JSON Lines ------------------------------------------------------------------- */

static void take_json_line(struct import *im, const char *line, size_t len)
{
    const char *vals[FEED_MAX_COLUMNS] = {0};
    char numbuf[FEED_MAX_COLUMNS][32];
    struct ms_err problem = MS_ERR_INIT;
    json_t *o = NULL;
    const char *reason = NULL;
    if (im->bad_encoding) {
        reason = "bad_encoding";
        ms_err_set(&problem, MS_EUTF8, "the line has bytes that are not valid UTF-8");
        ms_err_zh(&problem, "该行含有不符合 UTF-8 编码的字节");
    } else if (ms_json_parse(line, len, &o, NULL) < 0 || !json_is_object(o)) {
        reason = "bad_json";
        ms_err_set(&problem, MS_EJSON, "the line is not one JSON object");
        ms_err_zh(&problem, "该行不是一个 JSON 对象");
    } else {
        for (size_t k = 0; k < im->feed->n_columns; k++) {
            json_t *v = json_object_get(o, im->feed->columns[k].source);
            if (json_is_string(v))
                vals[k] = json_string_value(v);
            else if (json_is_integer(v)) {
                snprintf(numbuf[k], sizeof(numbuf[k]), "%lld", (long long)json_integer_value(v));
                vals[k] = numbuf[k];
            } else if (json_is_real(v)) {
                snprintf(numbuf[k], sizeof(numbuf[k]), "%.2f", json_real_value(v));
                vals[k] = numbuf[k];
            }
        }
    }
    take_row(im, vals, line, reason, &problem);
    json_decref(o);
}

/* --- lines and encodings ------------------------------------------------------------ */

/* Converts one line to valid UTF-8 into *out (grown as needed): from GB18030
 * with iconv, or checked as UTF-8; invalid bytes become U+FFFD and set
 * im->bad_encoding. */
static int to_utf8(struct import *im, iconv_t cd, const char *line, size_t len, struct ms_str *out)
{
    ms_str_reset(out);
    if (cd == (iconv_t)-1) {
        if (ms_utf8_is_valid(line, len)) {
            ms_str_add(out, line, len);
            return 0;
        }
        /* keep the valid characters, mark the rest */
        for (size_t i = 0; i < len;) {
            size_t n = 1;
            unsigned char b = (unsigned char)line[i];
            if (b >= 0xc0)
                n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
            if (i + n <= len && ms_utf8_is_valid(line + i, n))
                ms_str_add(out, line + i, n);
            else {
                ms_str_adds(out, "\xef\xbf\xbd");
                im->bad_encoding = 1;
                n = 1;
            }
            i += n;
        }
        return 0;
    }
    char *in = (char *)(uintptr_t)line; /* iconv's prototype is not const-correct */
    size_t left = len;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (left) {
        char buf[4096], *o = buf;
        size_t room = sizeof(buf);
        size_t r = iconv(cd, &in, &left, &o, &room);
        ms_str_add(out, buf, (size_t)(o - buf));
        if (r == (size_t)-1 && errno != E2BIG) {
            ms_str_adds(out, "\xef\xbf\xbd");
            im->bad_encoding = 1;
            in++;
            left--;
        }
    }
    return 0;
}

static int read_lines(struct import *im, FILE *in)
{
    struct csv_parser p;
    struct ms_str utf8;
    iconv_t cd = (iconv_t)-1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int64_t lineno = 0;
    if (im->feed->is_gbk && (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
        return im->rc = ms_err_set(im->err, MS_EINTERNAL, "iconv cannot convert GB18030");
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        return im->rc = ms_err_set(im->err, MS_EINTERNAL, "csv_init failed");
    }
    csv_set_realloc_func(&p, capped_realloc);
    ms_str_init(&utf8, 0);
    while (!im->rc && !im->paused && (n = getline(&line, &cap, in)) > 0) {
        lineno++;
        im->bytes_done += n;
        if ((size_t)n > LINE_MAX_BYTES) {
            im->rc = ms_err_field(im->err, MS_EFIELD, "file", "line %lld is longer than 1 MiB",
                                  (long long)lineno);
            ms_err_zh(im->err, "第 %lld 行超过 1 MiB，文件格式不对", (long long)lineno);
            break;
        }
        if (lineno == 1 && n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3) && cd == (iconv_t)-1) {
            memmove(line, line + 3, (size_t)n - 2);
            n -= 3;
        }
        to_utf8(im, cd, line, (size_t)n, &utf8);
        if (im->feed->is_jsonl) {
            size_t len = utf8.len;
            while (len && (utf8.buf[len - 1] == '\n' || utf8.buf[len - 1] == '\r'))
                len--;
            if (len)
                take_json_line(im, utf8.buf, len);
            im->bad_encoding = 0;
        } else if (csv_parse(&p, utf8.buf, utf8.len, on_field, on_record, im) != utf8.len &&
                   !im->rc) {
            im->rc = ms_err_field(im->err, MS_EFIELD, "file", "line %lld: %s", (long long)lineno,
                                  csv_strerror(csv_error(&p)));
            ms_err_zh(im->err, "第 %lld 行不是合法的 CSV（字段过长或引号不配对）", (long long)lineno);
        }
    }
    if (!im->rc && ferror(in))
        im->rc = ms_err_set(im->err, MS_EIO, "read error");
    if (!im->rc && !im->paused && !im->feed->is_jsonl)
        csv_fini(&p, on_field, on_record, im);
    if (!im->rc && !im->paused && !im->feed->is_jsonl && !im->have_header) {
        im->rc = ms_err_field(im->err, MS_EFIELD, "file", "the file is empty: no header row");
        ms_err_zh(im->err, "文件为空，没有表头");
    }
    csv_free(&p);
    free(line);
    ms_str_release(&utf8);
    for (size_t i = 0; i < im->n_header; i++)
        free(im->header[i]);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return im->rc;
}

/* --- the batch ------------------------------------------------------------------------ */

static int find_or_create_batch(struct import *im, const char *file_name, const char *hash,
                                const struct ms_actor *actor, char *status, size_t status_size)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(im->st, exchange_sql_batch_find, &s, im->err)) < 0)
        return rc;
    store_bind_text(s, 1, im->feed->name);
    store_bind_text(s, 2, hash);
    rc = store_step(s, im->err);
    if (rc == STORE_ROW) {
        im->batch_id = store_col_int64(s, 0);
        snprintf(status, status_size, "%s", store_col_text(s, 1));
        im->skip_rows = store_col_int64(s, 2);
    }
    store_reset(s);
    if (rc != STORE_DONE)
        return rc < 0 ? rc : 0;
    if ((rc = store_prepare(im->st, exchange_sql_batch_insert, &s, im->err)) < 0)
        return rc;
    store_bind_text(s, 1, im->feed->name);
    store_bind_text(s, 2, file_name);
    store_bind_text(s, 3, hash);
    store_bind_text(s, 4, im->now);
    store_bind_text(s, 5, actor->username);
    rc = store_step(s, im->err);
    if (rc == STORE_ROW)
        im->batch_id = store_col_int64(s, 0);
    store_reset(s);
    snprintf(status, status_size, "new");
    return rc < 0 ? rc : 0;
}

int exchange__set_status(struct store *st, int64_t batch_id, const char *status, const char *now,
                         struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, exchange_sql_batch_set_status, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, status);
    store_bind_text(s, 2, now);
    store_bind_int64(s, 3, batch_id);
    rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static void forget_batch(struct store *st, int64_t batch_id)
{
    struct store_stmt *s;
    struct ms_err ignored = MS_ERR_INIT;
    if (store_prepare(st,
                      "DELETE FROM exchange_batches WHERE id = ? AND resume_row = 0 AND NOT"
                      " EXISTS (SELECT 1 FROM exchange_records WHERE batch_id = ?)",
                      &s, &ignored) < 0)
        return;
    store_bind_int64(s, 1, batch_id);
    store_bind_int64(s, 2, batch_id);
    store_step(s, &ignored);
    store_reset(s);
}

static int finish(struct store *st, int64_t batch_id, const char *now, const struct ms_actor *actor,
                  struct ms_err *err)
{
    struct exchange_summary sum;
    struct audit_entry e = {0};
    char id[24], detail[256];
    int rc;
    if (exchange_batch_summary(st, batch_id, &sum, err) < 0)
        return err->code;
    snprintf(id, sizeof(id), "%lld", (long long)batch_id);
    snprintf(detail, sizeof(detail),
             "feed %s: %lld rows, %lld accepted, %lld duplicate, %lld quarantined; linked %lld "
             "exact, %lld probabilistic, %lld to review, %lld not linked",
             sum.feed, (long long)sum.rows_read, (long long)sum.accepted,
             (long long)sum.duplicate, (long long)sum.quarantined, (long long)sum.linked_exact,
             (long long)sum.linked_probabilistic, (long long)sum.sent_to_review,
             (long long)sum.not_linked);
    e.action = "exchange.import";
    e.object_type = "batch";
    e.object_id = id;
    e.result = "ok";
    e.detail = detail;
    if ((rc = store_begin(st, err)) < 0)
        return rc;
    if ((rc = exchange__set_status(st, batch_id, "done", now, err)) < 0 ||
        (rc = audit_append(st, actor, &e, err)) < 0 || (rc = store_commit(st, err)) < 0) {
        store_rollback(st);
        return rc;
    }
    return 0;
}

int exchange_import(struct store *st, const char *feed_name, const char *file_name, FILE *in,
                    const struct ms_actor *actor, const struct exchange_import_opts *o,
                    struct exchange_summary *out, struct ms_err *err)
{
    static const struct exchange_import_opts no_opts;
    struct import im;
    char hash[65], status[16];
    int rc;
    memset(&im, 0, sizeof(im));
    memset(out, 0, sizeof(*out));
    im.st = st;
    im.err = err;
    im.o = o ? o : &no_opts;
    if (!(im.feed = exchange_feed_find(feed_name, err)))
        return err->code;
    struct exchange_import_opts opts = *im.o;
    if (!opts.chunk_rows)
        opts.chunk_rows = DEFAULT_CHUNK;
    im.o = &opts;
    if ((rc = registry_seal(st, &im.seal, err)) < 0 ||
        (rc = hash_file(in, hash, &im.bytes_total, err)) < 0)
        return rc;
    ms_clock_format(ms_clock_now_ms(), im.now);
    im.today = ms_date_today_cst();
    if ((rc = store_begin(st, err)) < 0)
        return rc;
    if ((rc = find_or_create_batch(&im, file_name, hash, actor, status, sizeof(status))) < 0 ||
        (rc = store_commit(st, err)) < 0) {
        store_rollback(st);
        return rc;
    }
    if (!strcmp(status, "done")) {
        rc = exchange_batch_summary(st, im.batch_id, out, err);
        out->already_imported = 1;
        return rc;
    }
    out->resumed = strcmp(status, "new") != 0;
    if (!strcmp(status, "new") || !strcmp(status, "loading")) {
        ms_arena_init(&im.row_arena, 4096);
        rc = read_lines(&im, in);
        if (!rc)
            rc = chunk_commit(&im);
        if (im.in_tx)
            store_rollback(st);
        ms_arena_release(&im.row_arena);
        if (rc < 0) {
            /* A file refused as a whole (no header, a required column
             * missing) leaves no trace: nothing of it was committed. */
            if (!strcmp(status, "new") && im.chunks == 0)
                forget_batch(st, im.batch_id);
            return rc;
        }
        if (im.paused)
            return exchange_batch_summary(st, im.batch_id, out, err);
        if ((rc = exchange__set_status(st, im.batch_id, "linking", "", err)) < 0)
            return rc;
    }
    if ((rc = exchange__link_batch(st, im.batch_id, im.feed, im.o->progress, im.o->progress_ctx,
                                   err)) < 0)
        return rc;
    if ((rc = finish(st, im.batch_id, im.now, actor, err)) < 0)
        return rc;
    rc = exchange_batch_summary(st, im.batch_id, out, err);
    out->resumed = strcmp(status, "new") != 0;
    return rc;
}

int exchange_batch_summary(struct store *st, int64_t batch_id, struct exchange_summary *out,
                           struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    memset(out, 0, sizeof(*out));
    if ((rc = store_prepare(st, exchange_sql_batch_get, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, batch_id);
    rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->batch_id = store_col_int64(s, 0);
        snprintf(out->feed, sizeof(out->feed), "%s", store_col_text(s, 1));
        snprintf(out->status, sizeof(out->status), "%s", store_col_text(s, 2));
        out->rows_read = store_col_int64(s, 3);
        out->accepted = store_col_int64(s, 4);
        out->duplicate = store_col_int64(s, 5);
        out->quarantined = store_col_int64(s, 6);
        out->linked_exact = store_col_int64(s, 7);
        out->linked_probabilistic = store_col_int64(s, 8);
        out->sent_to_review = store_col_int64(s, 9);
        out->not_linked = store_col_int64(s, 10);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE) {
        ms_err_set(err, MS_ENOTFOUND, "no batch %lld", (long long)batch_id);
        ms_err_zh(err, "没有这个批次");
        return MS_ENOTFOUND;
    }
    if ((rc = store_prepare(st, exchange_sql_batch_reasons, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, batch_id);
    while ((rc = store_step(s, err)) == STORE_ROW && out->n_reasons < EXCHANGE_MAX_REASONS) {
        snprintf(out->reasons[out->n_reasons].code, sizeof(out->reasons[0].code), "%s",
                 store_col_text(s, 0));
        out->reasons[out->n_reasons++].n = store_col_int64(s, 1);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}
