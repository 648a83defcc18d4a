/*
 * exchange_evaluate.c - `minsheng link --evaluate`: precision, recall and F1
 * of the stored links per feed against the generator's truth file, for all
 * rows and for the rows only probabilistic linkage can link (the truth's
 * id_usable = 0: ID number missing, mistyped or someone else's).
 */
#include "modules/exchange/exchange_evaluate.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "modules/exchange/exchange_int.h"
#include "store/store.h"
#include "core/banned.h"

enum { T_FEED, T_ROW, T_KEY, T_CODE, T_STATUS, T_ID_USABLE, T_NOISE, T_PLANT, T_COLUMNS };
static const char *const truth_columns[T_COLUMNS] = {
    "feed", "row", "natural_key", "resident_code", "status", "id_usable", "noise", "plant"};

static const char sql_link_of[] =
    "SELECT coalesce(r.code, ''), e.link_method FROM exchange_records e"
    " LEFT JOIN residents r ON r.id = e.resident_id WHERE e.feed = ? AND e.natural_key = ?";

struct eval_ctx {
    struct store *st;
    struct exchange_eval *out;
    struct ms_err *err;
    char *fields[T_COLUMNS + 4];
    size_t n_fields;
    int64_t line;
    int rc;
};

double exchange_precision(const struct exchange_quality *q)
{
    return q->linked ? (double)q->right / (double)q->linked : 1.0;
}

double exchange_recall(const struct exchange_quality *q)
{
    return q->linkable ? (double)q->right / (double)q->linkable : 1.0;
}

double exchange_f1(const struct exchange_quality *q)
{
    double p = exchange_precision(q), r = exchange_recall(q);
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static struct exchange_eval_feed *feed_slot(struct exchange_eval *e, const char *feed)
{
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->feeds[i].feed, feed))
            return &e->feeds[i];
    if (e->n == EXCHANGE_EVAL_MAX_FEEDS)
        return NULL;
    snprintf(e->feeds[e->n].feed, sizeof(e->feeds[0].feed), "%s", feed);
    return &e->feeds[e->n++];
}

static void count(struct exchange_quality *q, const char *truth_code, const char *code,
                  const char *method)
{
    q->rows++;
    if (*truth_code)
        q->linkable++;
    if (!strcmp(method, "review"))
        q->review++;
    if (*code) {
        q->linked++;
        if (!strcmp(code, truth_code))
            q->right++;
        else
            q->wrong++;
    }
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct eval_ctx *c = ctx;
    if (c->n_fields < sizeof(c->fields) / sizeof(c->fields[0]))
        c->fields[c->n_fields++] = strndup(data ? data : "", len);
}

static void take(struct eval_ctx *c)
{
    struct exchange_eval_feed *f;
    struct store_stmt *s;
    char code[32] = "", method[16] = "";
    int rc, found = 0, is_bad;
    if (c->n_fields < T_COLUMNS) {
        c->rc = ms_err_field(c->err, MS_EFIELD, "truth", "line %lld has %zu fields, not %d",
                             (long long)c->line, c->n_fields, T_COLUMNS);
        return;
    }
    struct ms_err none = MS_ERR_INIT;
    if (!exchange_feed_find(c->fields[T_FEED], &none))
        return; /* not a feed: the assistance roll's planted lines (docs/gen.md) */
    if (!(f = feed_slot(c->out, c->fields[T_FEED]))) {
        c->rc = ms_err_set(c->err, MS_EFIELD, "more than %d feeds in the truth file",
                           EXCHANGE_EVAL_MAX_FEEDS);
        return;
    }
    if ((rc = store_prepare(c->st, sql_link_of, &s, c->err)) < 0) {
        c->rc = rc;
        return;
    }
    store_bind_text(s, 1, c->fields[T_FEED]);
    store_bind_text(s, 2, c->fields[T_KEY]);
    if ((rc = store_step(s, c->err)) == STORE_ROW) {
        found = 1;
        snprintf(code, sizeof(code), "%s", store_col_text(s, 0));
        snprintf(method, sizeof(method), "%s", store_col_text(s, 1));
    }
    store_reset(s);
    if (rc < 0) {
        c->rc = rc;
        return;
    }
    is_bad = !strcmp(c->fields[T_STATUS], "bad");
    if (is_bad) {
        f->bad++;
        f->bad_quarantined += !found;
        return;
    }
    if (!found) {
        f->missing++;
        return;
    }
    count(&f->all, c->fields[T_CODE], code, method);
    if (strcmp(c->fields[T_ID_USABLE], "1") != 0)
        count(&f->prob, c->fields[T_CODE], code, method);
}

static void on_record(int ch, void *ctx)
{
    struct eval_ctx *c = ctx;
    (void)ch;
    c->line++;
    if (!c->rc) {
        if (c->line == 1) {
            for (int i = 0; i < T_COLUMNS; i++)
                if ((size_t)i >= c->n_fields || strcmp(c->fields[i], truth_columns[i]))
                    c->rc = ms_err_field(c->err, MS_EFIELD, "truth",
                                         "not a truth file: its header must be %s,%s,%s,...",
                                         truth_columns[0], truth_columns[1], truth_columns[2]);
        } else
            take(c);
    }
    for (size_t i = 0; i < c->n_fields; i++)
        free(c->fields[i]);
    c->n_fields = 0;
}

static void add_quality(struct exchange_quality *to, const struct exchange_quality *q)
{
    to->rows += q->rows;
    to->linkable += q->linkable;
    to->linked += q->linked;
    to->right += q->right;
    to->wrong += q->wrong;
    to->review += q->review;
}

int exchange_evaluate(struct store *st, const char *truth_path, struct exchange_eval *out,
                      struct ms_err *err)
{
    struct eval_ctx c = {.st = st, .out = out, .err = err};
    struct csv_parser p;
    char buf[65536];
    size_t n;
    FILE *in = fopen(truth_path, "rb");
    memset(out, 0, sizeof(*out));
    if (!in)
        return ms_err_field(err, MS_EIO, "truth", "cannot open %s: %s", truth_path,
                            strerror(errno));
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(in);
        return ms_err_set(err, MS_EINTERNAL, "csv_init failed");
    }
    while (!c.rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_record, &c) != n && !c.rc)
            c.rc = ms_err_field(err, MS_EFIELD, "truth", "line %lld: %s", (long long)c.line + 1,
                                csv_strerror(csv_error(&p)));
    if (!c.rc)
        csv_fini(&p, on_field, on_record, &c);
    csv_free(&p);
    for (size_t i = 0; i < c.n_fields; i++)
        free(c.fields[i]);
    fclose(in);
    if (c.rc)
        return c.rc;
    snprintf(out->total.feed, sizeof(out->total.feed), "total");
    for (size_t i = 0; i < out->n; i++) {
        add_quality(&out->total.all, &out->feeds[i].all);
        add_quality(&out->total.prob, &out->feeds[i].prob);
        out->total.bad += out->feeds[i].bad;
        out->total.bad_quarantined += out->feeds[i].bad_quarantined;
        out->total.missing += out->feeds[i].missing;
    }
    return 0;
}

/* --- the command ----------------------------------------------------------------------- */

static void print_line(const struct exchange_eval_feed *f)
{
    printf("%-26s %8lld %6.4f %6.4f %6.4f | %7lld %6.4f %6.4f %6.4f | %6lld %5lld/%-5lld\n",
           f->feed, (long long)f->all.rows, exchange_precision(&f->all), exchange_recall(&f->all),
           exchange_f1(&f->all), (long long)f->prob.rows, exchange_precision(&f->prob),
           exchange_recall(&f->prob), exchange_f1(&f->prob),
           (long long)(f->all.review), (long long)f->bad_quarantined, (long long)f->bad);
}

int exchange_cmd_evaluate(int argc, char **argv)
{
    static const struct option opts[] = {{"evaluate", no_argument, NULL, 'e'},
                                         {"truth", required_argument, NULL, 't'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *truth = NULL, *db = NULL;
    struct exchange_eval *ev;
    struct ms_err err = MS_ERR_INIT;
    struct store *st;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'e': break;
        case 't': truth = optarg; break;
        case 'd': db = optarg; break;
        case 'h':
            printf("usage: minsheng link --evaluate --truth DIR/truth.csv [--db URL]\n\n"
                   "  Compares the links of imported feed rows with the generator's truth\n"
                   "  file and prints precision, recall and F1 per feed, for all rows and for\n"
                   "  the rows only probabilistic linkage can link (比对质量评估).\n");
            return CLI_OK;
        default: return CLI_USAGE;
        }
    }
    if (!truth || optind != argc)
        return cli_fail(CLI_USAGE, "usage: minsheng link --evaluate --truth FILE [--db URL]");
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    if (!(ev = calloc(1, sizeof(*ev)))) {
        store_close(st);
        return cli_fail(CLI_FAIL, "out of memory");
    }
    if ((rc = exchange_evaluate(st, truth, ev, &err)) < 0)
        rc = cli_error(&err);
    else {
        printf("%-26s %8s %6s %6s %6s | %7s %6s %6s %6s | %6s %11s\n", "feed", "rows", "prec",
               "recall", "F1", "prob", "prec", "recall", "F1", "review", "bad caught");
        for (size_t i = 0; i < ev->n; i++)
            print_line(&ev->feeds[i]);
        print_line(&ev->total);
        if (ev->total.missing)
            printf("%lld good rows of the truth are not in the database (import every feed "
                   "file first)\n",
                   (long long)ev->total.missing);
        rc = CLI_OK;
    }
    free(ev);
    store_close(st);
    return rc;
}
