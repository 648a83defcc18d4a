/*
 * gen_feed_out.c - writing the department feed files and truth.csv
 * (docs/gen.md, "Department feeds").
 *
 * Each feed is one file in the directory given: <name>.csv or <name>.jsonl.
 * CSV follows RFC 4180 (a field is quoted only when it holds a comma, a
 * quote or a line break), with a header row of the definition's source
 * names. UTF-8 CSV ends lines with LF; the "gbk" feeds are Windows exports,
 * so their lines end with CRLF and their text is converted with iconv to
 * GB18030, which the importer reads for gbk and which, unlike GBK proper,
 * can encode every character. JSONL is one compact jansson object per line,
 * keys in column order, non-ASCII left as UTF-8.
 *
 * Rows are built in UTF-8 into a buffer per file and written out once per
 * chunk (gen__out_flush()), when the chunk's transaction has committed; if
 * store_tx() retries the chunk, gen__out_rollback() drops them. Memory is
 * therefore one chunk's rows, whatever the district's size.
 */
#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"
#include "core/xalloc.h"
#include "modules/gen/gen_int.h"

#define PATH_MAX_BYTES 1024

struct out_file {
    FILE *f;
    struct ms_str pending; /* UTF-8 rows of the current chunk */
    int is_gbk, is_jsonl;
    char path[PATH_MAX_BYTES];
};

struct gen_feed_out {
    struct out_file files[GEN_FEED_COUNT];
    struct out_file truth;
    struct out_file registry_truth; /* truth_registry.csv: cases of the registry itself */
    iconv_t to_gb18030;
    char conv[64 * 1024]; /* iconv output, written as it fills */
};

void gen__csv_field(struct ms_str *s, const char *value)
{
    if (!strpbrk(value, ",\"\r\n")) {
        ms_str_adds(s, value);
        return;
    }
    ms_str_addch(s, '"');
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            ms_str_addch(s, '"');
        ms_str_addch(s, *p);
    }
    ms_str_addch(s, '"');
}

/* Writes UTF-8 text to a file, converted to GB18030 for gbk feeds. */
static int write_text(struct gen_feed_out *o, struct out_file *f, const char *text, size_t len,
                      struct ms_err *err)
{
    if (!f->is_gbk) {
        if (len && fwrite(text, 1, len, f->f) != len)
            return ms_err_set(err, MS_EIO, "cannot write '%s'", f->path);
        return 0;
    }
    char *in = (char *)(uintptr_t)text; /* iconv's prototype is not const-correct */
    size_t left = len;
    iconv(o->to_gb18030, NULL, NULL, NULL, NULL);
    while (left > 0) {
        char *outp = o->conv;
        size_t room = sizeof(o->conv);
        size_t rc = iconv(o->to_gb18030, &in, &left, &outp, &room);
        if (rc == (size_t)-1 && errno != E2BIG)
            return ms_err_set(err, MS_EINTERNAL, "cannot convert a row of '%s' to GB18030",
                              f->path);
        size_t n = sizeof(o->conv) - room;
        if (n && fwrite(o->conv, 1, n, f->f) != n)
            return ms_err_set(err, MS_EIO, "cannot write '%s'", f->path);
    }
    return 0;
}

static int open_file(struct gen_feed_out *o, struct out_file *f, const char *dir, const char *name,
                     const char *ext, struct ms_err *err)
{
    snprintf(f->path, sizeof(f->path), "%s/%s.%s", dir, name, ext);
    ms_str_init(&f->pending, 0);
    f->f = fopen(f->path, "wb");
    if (!f->f)
        return ms_err_set(err, MS_EIO, "cannot create '%s': %s", f->path, strerror(errno));
    (void)o;
    return 0;
}

static void csv_header(struct ms_str *s, const struct gen_feed_def *d, const char *eol)
{
    for (size_t c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++) {
        if (c)
            ms_str_addch(s, ',');
        gen__csv_field(s, d->cols[c]);
    }
    ms_str_adds(s, eol);
}

int gen__out_open(struct gen_feed_out **out, const char *dir, struct ms_err *err)
{
    struct gen_feed_out *o = ms_xcalloc(1, sizeof(*o));
    int rc = 0;
    *out = o;
    o->to_gb18030 = iconv_open("GB18030", "UTF-8");
    if (o->to_gb18030 == (iconv_t)-1)
        return ms_err_set(err, MS_EINTERNAL, "iconv cannot convert UTF-8 to GB18030");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ms_err_set(err, MS_EIO, "cannot create the directory '%s': %s", dir,
                          strerror(errno));
    for (int i = 0; rc == 0 && i < GEN_FEED_COUNT; i++) {
        const struct gen_feed_def *d = &gen__feed_defs[i];
        struct out_file *f = &o->files[i];
        f->is_jsonl = d->format == GEN_FEED_JSONL;
        f->is_gbk = d->format == GEN_FEED_CSV_GBK;
        rc = open_file(o, f, dir, d->name, f->is_jsonl ? "jsonl" : "csv", err);
        if (rc == 0 && !f->is_jsonl) {
            /* The header goes out through the same path as rows. */
            csv_header(&f->pending, d, f->is_gbk ? "\r\n" : "\n");
            rc = write_text(o, f, f->pending.buf, f->pending.len, err);
            ms_str_reset(&f->pending);
        }
    }
    struct out_file *truths[] = {&o->truth, &o->registry_truth};
    const char *names[] = {"truth", "truth_registry"};
    for (int i = 0; rc == 0 && i < 2; i++) {
        struct out_file *f = truths[i];
        if ((rc = open_file(o, f, dir, names[i], "csv", err)) < 0)
            break;
        ms_str_adds(&f->pending,
                    "feed,row,natural_key,resident_code,status,id_usable,noise,plant\n");
        rc = write_text(o, f, f->pending.buf, f->pending.len, err);
        ms_str_reset(&f->pending);
    }
    return rc;
}

static void jsonl_row(struct out_file *f, const struct gen_feed_def *d,
                      char (*values)[GEN_FEED_VALUE_MAX])
{
    json_t *obj = json_object();
    for (size_t c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++)
        json_object_set_new(obj, d->cols[c], json_string(values[c]));
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        ms_die("out of memory writing a JSONL row"); /* every value is valid UTF-8 */
    ms_str_adds(&f->pending, text);
    ms_str_addch(&f->pending, '\n');
    free(text);
    json_decref(obj);
}

void gen__out_row(struct gen_feed_out *o, int feed, char (*values)[GEN_FEED_VALUE_MAX])
{
    const struct gen_feed_def *d = &gen__feed_defs[feed];
    struct out_file *f = &o->files[feed];
    if (f->is_jsonl) {
        jsonl_row(f, d, values);
        return;
    }
    for (size_t c = 0; c < GEN_FEED_MAX_COLS && d->cols[c]; c++) {
        if (c)
            ms_str_addch(&f->pending, ',');
        gen__csv_field(&f->pending, values[c]);
    }
    ms_str_adds(&f->pending, f->is_gbk ? "\r\n" : "\n");
}

void gen__out_truth(struct gen_feed_out *o, const char *line)
{
    ms_str_adds(&o->truth.pending, line);
    ms_str_addch(&o->truth.pending, '\n');
}

void gen__out_registry_truth(struct gen_feed_out *o, const char *line)
{
    ms_str_adds(&o->registry_truth.pending, line);
    ms_str_addch(&o->registry_truth.pending, '\n');
}

void gen__out_rollback(struct gen_feed_out *o)
{
    for (int i = 0; i < GEN_FEED_COUNT; i++)
        ms_str_reset(&o->files[i].pending);
    ms_str_reset(&o->truth.pending);
    ms_str_reset(&o->registry_truth.pending);
}

static int flush_file(struct gen_feed_out *o, struct out_file *f, struct ms_err *err)
{
    int rc = write_text(o, f, f->pending.buf, f->pending.len, err);
    ms_str_reset(&f->pending);
    return rc;
}

int gen__out_flush(struct gen_feed_out *o, struct ms_err *err)
{
    for (int i = 0; i < GEN_FEED_COUNT; i++)
        if (flush_file(o, &o->files[i], err) < 0)
            return err->code;
    if (flush_file(o, &o->truth, err) < 0)
        return err->code;
    return flush_file(o, &o->registry_truth, err);
}

static int close_file(struct out_file *f, int rc, struct ms_err *err)
{
    if (f->f && fclose(f->f) != 0 && rc == 0)
        rc = ms_err_set(err, MS_EIO, "cannot write '%s': %s", f->path, strerror(errno));
    f->f = NULL;
    ms_str_release(&f->pending);
    return rc;
}

int gen__out_close(struct gen_feed_out *o, int is_complete, struct ms_err *err)
{
    if (!o)
        return 0;
    int rc = 0;
    if (is_complete && o->to_gb18030 != (iconv_t)-1)
        rc = gen__out_flush(o, err);
    for (int i = 0; i < GEN_FEED_COUNT; i++)
        rc = close_file(&o->files[i], rc, err);
    rc = close_file(&o->truth, rc, err);
    rc = close_file(&o->registry_truth, rc, err);
    if (o->to_gb18030 != (iconv_t)-1)
        iconv_close(o->to_gb18030);
    free(o);
    return rc;
}
