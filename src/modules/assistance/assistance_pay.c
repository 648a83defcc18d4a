/*
 * assistance_pay.c - payment runs that never pay anyone twice, the bank
 * file, the bank's return file and the recovery ledger (DESIGN "Money must
 * never be paid twice"; docs/assistance.md).
 *
 * A run is set-based: each chunk is one INSERT ... SELECT over the
 * enrolments of a range of households, committed with its audit entry. The
 * guarantee is the database's, not this code's: issue 1 of (household,
 * scheme, period) is UNIQUE, so whatever was committed before a crash, or
 * by a run going on at the same time, is skipped by ON CONFLICT DO NOTHING,
 * and running again until it ends pays everyone exactly once.
 */
#include "modules/assistance/assistance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/money.h"
#include "core/seal.h"
#include "modules/assistance/assistance_int.h"
#include "modules/assistance/assistance_sql.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

#define DEFAULT_CHUNK 1000

static int step_once(struct store_stmt *s, struct ms_err *err)
{
    int rc = store_step(s, err);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int audit_pay(struct store *st, const struct ms_actor *actor, const char *action,
                     const char *object_id, const char *detail, struct ms_err *err)
{
    struct audit_entry e = {.action = action,
                            .object_type = "assistance_payment",
                            .object_id = object_id,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, actor, &e, err);
}

static int check_scheme(struct store *st, const char *scheme, struct ms_err *err)
{
    struct store_stmt *s;
    if (!scheme || !*scheme)
        return assistance__bad(err, MS_EMISSING, "scheme", "缺少救助项目", "scheme is required");
    if (store_prepare(st, assistance_sql_scheme_exists, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, scheme);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc == STORE_DONE)
        return assistance__bad(err, MS_EFIELD, "scheme", "救助项目无效（dibao、tekun、linshi）",
                               "unknown scheme (dibao, tekun, linshi)");
    return rc < 0 ? rc : 0;
}

/* Two counts and sums of one statement binding scheme and period (and the
 * period again where the statement wants it). */
static int count_sum(struct store *st, const char *sql, const char *scheme, const char *period,
                     int period_twice, int64_t *n, int64_t *fen, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, scheme);
    store_bind_text(s, 2, period);
    if (period_twice)
        store_bind_text(s, 3, period);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *n = store_col_int64(s, 0);
        *fen = store_col_int64(s, 1);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int reconcile(struct store *st, struct assistance_run *out, struct ms_err *err)
{
    if (count_sum(st, assistance_sql_run_lines, out->scheme, out->period, 0, &out->lines,
                  &out->total_fen, err) < 0 ||
        count_sum(st, assistance_sql_due, out->scheme, out->period, 1, &out->due, &out->due_fen,
                  err) < 0 ||
        count_sum(st, assistance_sql_month_held, out->scheme, out->period, 0, &out->households,
                  &out->net_fen, err) < 0)
        return err->code;
    /* After a change has settled the month (arrears, recoveries), what the
     * month holds is what the roll owes; the run's own lines need not be. */
    out->is_reconciled = out->households == out->due && out->net_fen == out->due_fen;
    return 0;
}

struct run_ctx {
    const struct ms_actor *actor;
    struct assistance_run *run;
    int is_done;   /* the run was finished before this call */
    int64_t after; /* the last household of the previous chunk */
    int64_t chunk;
    int64_t added;     /* by the last chunk */
    int64_t chunk_end; /* 0: nothing left */
};

static int open_run_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct run_ctx *c = ctx;
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_run_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->run->scheme);
    store_bind_text(s, 2, c->run->period);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, c->actor->username ? c->actor->username : "");
    int rc = store_step(s, err);
    int64_t created = store_changes(s);
    store_reset(s);
    if (rc < 0 || store_prepare(st, assistance_sql_run_get, &s, err) < 0)
        return rc < 0 ? rc : err->code;
    store_bind_text(s, 1, c->run->scheme);
    store_bind_text(s, 2, c->run->period);
    rc = store_step(s, err);
    if (rc == STORE_ROW) {
        c->run->run_id = store_col_int64(s, 0);
        c->is_done = !strcmp(store_col_text(s, 1), "done");
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (!created)
        return 0;
    char id[24], detail[64];
    snprintf(id, sizeof(id), "run:%lld", (long long)c->run->run_id);
    snprintf(detail, sizeof(detail), "scheme=%s period=%s", c->run->scheme, c->run->period);
    return audit_pay(st, c->actor, "assistance.payment.run_start", id, detail, err);
}

static int chunk_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct run_ctx *c = ctx;
    struct store_stmt *s;
    char now[32];
    int rc;
    c->added = 0;
    c->chunk_end = 0;
    if (store_prepare(st, assistance_sql_chunk_end, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->run->scheme);
    store_bind_text(s, 2, c->run->period);
    store_bind_text(s, 3, c->run->period);
    store_bind_int64(s, 4, c->after);
    store_bind_int64(s, 5, c->chunk);
    rc = store_step(s, err);
    if (rc == STORE_ROW && !store_col_is_null(s, 0))
        c->chunk_end = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0 || !c->chunk_end)
        return rc < 0 ? rc : 0;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_chunk_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->run->run_id);
    store_bind_text(s, 2, c->run->period);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, now);
    store_bind_text(s, 5, c->run->scheme);
    store_bind_text(s, 6, c->run->period);
    store_bind_text(s, 7, c->run->period);
    store_bind_int64(s, 8, c->after);
    store_bind_int64(s, 9, c->chunk_end);
    rc = store_step(s, err);
    c->added = store_changes(s);
    store_reset(s);
    if (rc < 0 || !c->added)
        return rc < 0 ? rc : 0;
    /* A chunk that adds nothing changes nothing, and is not audited. */
    char id[24], detail[96];
    snprintf(id, sizeof(id), "run:%lld", (long long)c->run->run_id);
    snprintf(detail, sizeof(detail), "lines=%lld households=%lld..%lld", (long long)c->added,
             (long long)c->after + 1, (long long)c->chunk_end);
    return audit_pay(st, c->actor, "assistance.payment.chunk", id, detail, err);
}

static int finish_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct run_ctx *c = ctx;
    struct store_stmt *s;
    char now[32], id[24], detail[96];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_run_finish, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_int64(s, 2, c->run->run_id);
    store_bind_int64(s, 3, c->run->run_id);
    store_bind_int64(s, 4, c->run->run_id);
    if (step_once(s, err) < 0)
        return err->code;
    snprintf(id, sizeof(id), "run:%lld", (long long)c->run->run_id);
    snprintf(detail, sizeof(detail), "scheme=%s period=%s new_lines=%lld", c->run->scheme,
             c->run->period, (long long)c->run->lines_new);
    return audit_pay(st, c->actor, "assistance.payment.run", id, detail, err);
}

int assistance_pay_run(struct store *st, const char *scheme, const char *period, int64_t chunk,
                       const struct ms_actor *actor, assistance_progress_fn *progress,
                       void *progress_ctx, struct assistance_run *out, struct ms_err *err)
{
    int32_t first;
    struct assistance_run run;
    memset(&run, 0, sizeof(run));
    if (check_scheme(st, scheme, err) < 0 || assistance__past_period(period, &first, err) < 0)
        return err->code;
    snprintf(run.scheme, sizeof(run.scheme), "%s", scheme);
    ms_date_format_period(first, run.period);
    struct run_ctx c = {.actor = actor, .run = &run, .chunk = chunk > 0 ? chunk : DEFAULT_CHUNK};
    int64_t due = 0, due_fen = 0;
    if (store_tx(st, open_run_tx, &c, err) < 0 ||
        count_sum(st, assistance_sql_due, run.scheme, run.period, 1, &due, &due_fen, err) < 0)
        return err->code;
    int64_t seen = 0;
    do {
        if (store_tx(st, chunk_tx, &c, err) < 0)
            return err->code;
        run.lines_new += c.added;
        if (c.chunk_end) {
            c.after = c.chunk_end;
            seen += c.chunk;
            if (progress)
                progress(progress_ctx, seen < due ? seen : due, due);
        }
    } while (c.chunk_end);
    /* A rerun of a finished run that added nothing leaves the database as it was. */
    if ((run.lines_new || !c.is_done) && store_tx(st, finish_tx, &c, err) < 0)
        return err->code;
    if (reconcile(st, &run, err) < 0)
        return err->code;
    *out = run;
    return 0;
}

int assistance_pay_summary(struct store *st, const char *scheme, const char *period,
                           struct assistance_run *out, struct ms_err *err)
{
    int32_t first;
    struct store_stmt *s;
    memset(out, 0, sizeof(*out));
    if (check_scheme(st, scheme, err) < 0 ||
        ms_date_parse_period(period ? period : "", &first, err) < 0)
        return err->code;
    snprintf(out->scheme, sizeof(out->scheme), "%s", scheme);
    ms_date_format_period(first, out->period);
    if (store_prepare(st, assistance_sql_run_get, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, out->scheme);
    store_bind_text(s, 2, out->period);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        out->run_id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE) {
        int ret =
            ms_err_set(err, MS_ENOTFOUND, "no payment run for %s %s", out->scheme, out->period);
        ms_err_zh(err, "该项目该月尚未生成发放批次");
        return ret;
    }
    return reconcile(st, out, err);
}

/* --- the bank file ------------------------------------------------------------------- */

struct export_ctx {
    const char *scheme, *period;
    const struct ms_actor *actor;
    FILE *f; /* NULL: count, write nothing */
    const struct ms_seal *seal;
    int64_t lines, total_fen;
    int64_t export_no; /* the new file's number, 0 if nothing was pending */
};

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *v, int last)
{
    if (strpbrk(v, ",\"\r\n")) {
        fputc('"', f);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else
        fputs(v, f);
    fputc(last ? '\n' : ',', f);
}

/* Writes the current row of assistance_sql_export_lines. */
static int export_row(struct export_ctx *c, struct store_stmt *s, struct ms_arena *a,
                      struct ms_err *err)
{
    char ref[24], amount[MS_MONEY_BUF];
    const char *account = "", *sealed = store_col_text(s, 3);
    c->lines++;
    if (ms_money_add(c->total_fen, store_col_int64(s, 5), &c->total_fen) < 0)
        return ms_err_set(err, MS_EINTEGRITY, "bank file total overflows");
    if (!c->f)
        return 0; /* counted only: the file is fetched later */
    if (sealed && *sealed &&
        ms_seal_decrypt(c->seal, ASSISTANCE_SEAL_BANK_ACCOUNT, sealed, a, &account, err) < 0)
        return err->code;
    snprintf(ref, sizeof(ref), "%lld", (long long)store_col_int64(s, 0));
    ms_money_format(store_col_int64(s, 5), amount);
    csv_field(c->f, ref, 0);
    csv_field(c->f, store_col_text(s, 1), 0);
    csv_field(c->f, store_col_text(s, 2), 0);
    csv_field(c->f, account, 0);
    csv_field(c->f, store_col_text(s, 4), 0);
    csv_field(c->f, amount, 0);
    csv_field(c->f, store_col_text(s, 6), 0);
    csv_field(c->f, store_col_text(s, 7), 0);
    snprintf(ref, sizeof(ref), "%lld", (long long)store_col_int64(s, 8));
    csv_field(c->f, ref, 1);
    return 0;
}

/* Claims the pending lines under a new export number (0: none pending). */
static int claim_lines(struct store *st, struct export_ctx *c, int64_t *export_no,
                       struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    int64_t pending = 0;
    *export_no = 0;
    if (store_prepare(st, assistance_sql_pending_count, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->scheme);
    store_bind_text(s, 2, c->period);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        pending = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0 || pending == 0)
        return rc < 0 ? rc : 0; /* an empty file changes nothing */
    assistance__now(now);
    if (store_prepare(st, assistance_sql_export_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->scheme);
    store_bind_text(s, 2, c->period);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, c->actor->username ? c->actor->username : "");
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        *export_no = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0 || store_prepare(st, assistance_sql_export_mark, &s, err) < 0)
        return rc < 0 ? rc : err->code;
    store_bind_int64(s, 1, *export_no);
    store_bind_text(s, 2, now);
    store_bind_text(s, 3, c->scheme);
    store_bind_text(s, 4, c->period);
    return step_once(s, err);
}

/* The bank file's header: docs/assistance.md, "The bank file". */
static const char bank_file_header[] =
    "reference,household,payee,account,bank,amount,period,scheme,issue\n";

/* Writes (or, c->f NULL, counts) the lines of export_no. */
static int write_lines(struct store *st, struct export_ctx *c, int64_t export_no,
                       struct ms_err *err)
{
    struct store_stmt *s;
    struct ms_arena a;
    int rc;
    if (store_prepare(st, assistance_sql_export_lines, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, export_no);
    ms_arena_init(&a, 4096);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        rc = export_row(c, s, &a, err);
        ms_arena_reset(&a);
        if (rc < 0)
            break;
    }
    ms_arena_release(&a);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* Writes the lines of a new export and records its totals. */
static int write_new_lines(struct store *st, struct export_ctx *c, int64_t export_no,
                           struct ms_err *err)
{
    struct store_stmt *s;
    if (write_lines(st, c, export_no, err) < 0 ||
        store_prepare(st, assistance_sql_export_done, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, c->lines);
    store_bind_int64(s, 2, c->total_fen);
    store_bind_int64(s, 3, export_no);
    return step_once(s, err);
}

static int export_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct export_ctx *c = ctx;
    int64_t export_no;
    c->lines = c->total_fen = c->export_no = 0;
    /* A retry rewrites the file. */
    if (c->f) {
        if (fseek(c->f, 0, SEEK_SET) != 0 || ftruncate(fileno(c->f), 0) != 0)
            return ms_err_set(err, MS_EIO, "cannot rewrite the bank file");
        fputs(bank_file_header, c->f);
    }
    if (claim_lines(st, c, &export_no, err) < 0)
        return err->code;
    if (export_no && write_new_lines(st, c, export_no, err) < 0)
        return err->code;
    if (c->f && (fflush(c->f) != 0 || ferror(c->f)))
        return ms_err_set(err, MS_EIO, "cannot write the bank file");
    if (!export_no)
        return 0;
    c->export_no = export_no;
    char id[32], detail[96], total[MS_MONEY_BUF];
    ms_money_format(c->total_fen, total);
    snprintf(id, sizeof(id), "export:%lld", (long long)export_no);
    snprintf(detail, sizeof(detail), "scheme=%s period=%s lines=%lld total=%s", c->scheme,
             c->period, (long long)c->lines, total);
    return audit_pay(st, c->actor, "assistance.payment.export", id, detail, err);
}

int assistance_bank_export(struct store *st, const char *scheme, const char *period, FILE *f,
                           const struct ms_actor *actor, struct assistance_bank_file *out,
                           struct ms_err *err)
{
    int32_t first;
    char p[MS_PERIOD_BUF];
    struct export_ctx c = {.scheme = scheme, .actor = actor, .f = f};
    memset(out, 0, sizeof(*out));
    if (check_scheme(st, scheme, err) < 0 || assistance__past_period(period, &first, err) < 0 ||
        registry_seal(st, &c.seal, err) < 0)
        return err->code;
    ms_date_format_period(first, p);
    c.period = p;
    int rc = store_tx(st, export_tx, &c, err);
    if (rc == 0) {
        out->export_no = c.export_no;
        snprintf(out->scheme, sizeof(out->scheme), "%s", scheme);
        snprintf(out->period, sizeof(out->period), "%s", p);
        out->lines = c.lines;
        out->total_fen = c.total_fen;
    }
    return rc;
}

/* Reads the current row of assistance_sql_export_get/_list. */
static void bank_file_row(struct store_stmt *s, struct assistance_bank_file *out)
{
    out->export_no = store_col_int64(s, 0);
    snprintf(out->scheme, sizeof(out->scheme), "%s", store_col_text(s, 1));
    snprintf(out->period, sizeof(out->period), "%s", store_col_text(s, 2));
    out->lines = store_col_int64(s, 3);
    out->total_fen = store_col_int64(s, 4);
    snprintf(out->created_at, sizeof(out->created_at), "%s", store_col_text(s, 5));
    snprintf(out->created_by, sizeof(out->created_by), "%s", store_col_text(s, 6));
}

struct file_read {
    struct export_ctx c;
    struct assistance_bank_file *out;
};

static int file_read_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct file_read *r = ctx;
    struct store_stmt *s;
    char id[32], detail[64];
    int rc;
    if (store_prepare(st, assistance_sql_export_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, r->out->export_no);
    if ((rc = store_step(s, err)) == STORE_ROW)
        bank_file_row(s, r->out);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW) {
        ms_err_field(err, MS_ENOTFOUND, "id", "no bank file %lld",
                     (long long)r->out->export_no);
        ms_err_zh(err, "未找到该银行文件");
        return MS_ENOTFOUND;
    }
    r->c.lines = r->c.total_fen = 0;
    rewind(r->c.f);
    fputs(bank_file_header, r->c.f);
    if (write_lines(st, &r->c, r->out->export_no, err) < 0)
        return err->code;
    if (fflush(r->c.f) != 0 || ferror(r->c.f))
        return ms_err_set(err, MS_EIO, "cannot write the bank file");
    snprintf(id, sizeof(id), "export:%lld", (long long)r->out->export_no);
    snprintf(detail, sizeof(detail), "lines=%lld", (long long)r->c.lines);
    return audit_pay(st, r->c.actor, "assistance.payment.export_read", id, detail, err);
}

int assistance_bank_file_write(struct store *st, int64_t export_no, FILE *f,
                               const struct ms_actor *actor, struct assistance_bank_file *out,
                               struct ms_err *err)
{
    struct file_read r = {.c = {.actor = actor, .f = f}, .out = out};
    memset(out, 0, sizeof(*out));
    out->export_no = export_no;
    if (registry_seal(st, &r.c.seal, err) < 0)
        return err->code;
    return store_tx(st, file_read_tx, &r, err);
}

int assistance_bank_files(struct store *st, const char *scheme, const char *period,
                          struct assistance_bank_file *out, size_t max, size_t *n,
                          struct ms_err *err)
{
    struct store_stmt *s;
    int32_t first;
    char p[MS_PERIOD_BUF];
    int rc;
    *n = 0;
    if (check_scheme(st, scheme, err) < 0 || assistance__past_period(period, &first, err) < 0)
        return err->code;
    ms_date_format_period(first, p);
    if (store_prepare(st, assistance_sql_export_list, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, scheme);
    store_bind_text(s, 2, p);
    store_bind_int64(s, 3, (int64_t)max);
    while ((rc = store_step(s, err)) == STORE_ROW)
        bank_file_row(s, &out[(*n)++]);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* --- the bank's return file ------------------------------------------------------- */

struct return_row {
    size_t row; /* the file's line number, for errors */
    int64_t line_id;
    int is_paid;
    char reason[128];
};

struct return_ctx {
    const struct ms_actor *actor;
    struct return_row *rows;
    size_t n;
    struct assistance_return_summary sum;
};

static int row_error(struct ms_err *err, size_t row, const char *zh, const char *en)
{
    char f[32];
    snprintf(f, sizeof(f), "row %zu", row);
    return assistance__bad(err, MS_EFIELD, f, zh, en);
}

/* Parses "reference,result,reason" lines after the header. */
static int parse_return(FILE *in, struct return_ctx *c, struct ms_err *err)
{
    char line[512];
    size_t row = 0, cap = 0;
    while (fgets(line, sizeof(line), in)) {
        row++;
        line[strcspn(line, "\r\n")] = '\0';
        if (row == 1 && !strncmp(line, "reference,", 10))
            continue;
        if (!*line)
            continue;
        char *comma = strchr(line, ','), *end;
        if (!comma)
            return row_error(err, row, "格式应为：流水号,结果,原因",
                             "expected reference,result,reason");
        *comma = '\0';
        char *result = comma + 1, *reason = strchr(result, ',');
        if (reason)
            *reason++ = '\0';
        long long id = strtoll(line, &end, 10);
        if (!*line || *end || id <= 0)
            return row_error(err, row, "流水号无效", "bad reference");
        if (strcmp(result, "paid") && strcmp(result, "failed"))
            return row_error(err, row, "结果应为 paid 或 failed", "result must be paid or failed");
        if (c->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct return_row *more = realloc(c->rows, cap * sizeof(*more));
            if (!more)
                abort();
            c->rows = more;
        }
        struct return_row *r = &c->rows[c->n++];
        r->row = row;
        r->line_id = id;
        r->is_paid = !strcmp(result, "paid");
        snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
    }
    if (ferror(in))
        return ms_err_set(err, MS_EIO, "cannot read the return file");
    return 0;
}

/* Why a row's guarded update changed nothing: it repeats what is recorded
 * (unchanged), or contradicts it, or names no line. */
static int explain_row(struct store *st, struct return_ctx *c, const struct return_row *r,
                       size_t row, struct ms_err *err)
{
    struct store_stmt *s;
    char status[16] = "";
    if (store_prepare(st, assistance_sql_line_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, r->line_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(status, sizeof(status), "%s", store_col_text(s, 1));
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return row_error(err, row, "没有该流水号的发放记录", "no payment line with this reference");
    if (!strcmp(status, r->is_paid ? "paid" : "failed")) {
        c->sum.unchanged++;
        return 0;
    }
    return row_error(err, row, "该笔发放的状态与回盘结果矛盾（未报盘或已有结果）",
                     "the line was not sent to the bank or already has another result");
}

static int apply_row(struct store *st, struct return_ctx *c, const struct return_row *r, size_t row,
                     struct ms_err *err)
{
    struct store_stmt *s;
    char now[32];
    assistance__now(now);
    if (store_prepare(st, assistance_sql_line_set_status, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, r->is_paid ? "paid" : "failed");
    store_bind_text(s, 2, r->reason);
    store_bind_text(s, 3, now);
    store_bind_int64(s, 4, r->line_id);
    store_bind_text(s, 5, "exported");
    int rc = store_step(s, err);
    int64_t changed = store_changes(s);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (!changed)
        return explain_row(st, c, r, row, err);
    if (r->is_paid) {
        c->sum.paid++;
        return 0;
    }
    /* The failed line is marked first, so the live-line index has room. */
    c->sum.failed++;
    if (store_prepare(st, assistance_sql_reissue_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_text(s, 2, now);
    store_bind_int64(s, 3, r->line_id);
    if (step_once(s, err) < 0)
        return err->code;
    c->sum.reissued++;
    return 0;
}

static int return_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct return_ctx *c = ctx;
    char detail[128];
    memset(&c->sum, 0, sizeof(c->sum));
    c->sum.rows = (int64_t)c->n;
    for (size_t i = 0; i < c->n; i++)
        if (apply_row(st, c, &c->rows[i], c->rows[i].row, err) < 0)
            return err->code;
    if (c->sum.paid + c->sum.failed == 0)
        return 0; /* the same file again: nothing to record */
    snprintf(detail, sizeof(detail), "rows=%lld paid=%lld failed=%lld reissued=%lld",
             (long long)c->sum.rows, (long long)c->sum.paid, (long long)c->sum.failed,
             (long long)c->sum.reissued);
    return audit_pay(st, c->actor, "assistance.payment.return", "return", detail, err);
}

int assistance_bank_return(struct store *st, FILE *f, const struct ms_actor *actor,
                           struct assistance_return_summary *out, struct ms_err *err)
{
    struct return_ctx c = {.actor = actor};
    int rc = parse_return(f, &c, err);
    if (rc == 0)
        rc = store_tx(st, return_tx, &c, err);
    free(c.rows);
    if (rc == 0)
        *out = c.sum;
    return rc;
}

/* --- recoveries ------------------------------------------------------------------------ */

struct recover_ctx {
    const struct ms_actor *actor;
    int64_t found, amount_fen;
};

static int recover_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct recover_ctx *c = ctx;
    struct store_stmt *s;
    char now[32], detail[96], total[MS_MONEY_BUF];
    int rc;
    c->found = c->amount_fen = 0;
    assistance__now(now);
    if (store_prepare(st, assistance_sql_recoveries_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, now);
    store_bind_text(s, 2, c->actor->username ? c->actor->username : "");
    while ((rc = store_step(s, err)) == STORE_ROW) {
        c->found++;
        if (ms_money_add(c->amount_fen, store_col_int64(s, 0), &c->amount_fen) < 0)
            rc = ms_err_set(err, MS_EINTEGRITY, "recovery total overflows");
        if (rc < 0)
            break;
    }
    store_reset(s);
    if (rc < 0 || !c->found)
        return rc < 0 ? rc : 0;
    ms_money_format(c->amount_fen, total);
    snprintf(detail, sizeof(detail), "paid_after_death lines=%lld total=%s", (long long)c->found,
             total);
    return audit_pay(st, c->actor, "assistance.recovery.detect", "recoveries", detail, err);
}

int assistance_detect_recoveries(struct store *st, const struct ms_actor *actor, int64_t *found,
                                 int64_t *amount_fen, struct ms_err *err)
{
    struct recover_ctx c = {.actor = actor};
    int rc = store_tx(st, recover_tx, &c, err);
    if (rc == 0) {
        *found = c.found;
        *amount_fen = c.amount_fen;
    }
    return rc;
}
