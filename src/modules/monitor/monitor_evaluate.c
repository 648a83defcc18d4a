/*
 * monitor_evaluate.c - measured discovery (issue #6 item 4): how many of the
 * anomalies the generator planted a rule finds, and how many of its alerts
 * are planted ones. The truth stays apart from the data: it is read from
 * the generator's truth.csv (docs/gen.md) into a temporary table, and
 * compared with the alerts by resident code.
 */
#include "modules/monitor/monitor.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "modules/monitor/monitor_int.h"
#include "modules/monitor/monitor_sql.h"
#include "store/store.h"

#include "core/banned.h"

#define TRUTH_LINE_MAX 4096
#define TRUTH_FIELDS 8 /* feed,row,natural_key,resident_code,status,id_usable,noise,plant */

/* Splits an RFC 4180 line in place into at most max fields; returns the
 * count. Quotes are removed, doubled quotes kept once. */
static int split_csv(char *line, char **fields, int max)
{
    int n = 0;
    char *r = line, *w = line;
    while (n < max) {
        fields[n++] = w;
        int quoted = *r == '"';
        if (quoted)
            r++;
        for (;;) {
            if (*r == '\0' || *r == '\n' || *r == '\r') {
                *w = '\0';
                return n;
            }
            if (quoted && *r == '"') {
                if (r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                    continue;
                }
                quoted = 0;
                r++;
                continue;
            }
            if (!quoted && *r == ',') {
                *w++ = '\0';
                r++;
                break;
            }
            *w++ = *r++;
        }
    }
    return n;
}

static int load_truth(struct store *st, FILE *f, int64_t *rows, struct ms_err *err)
{
    char line[TRUTH_LINE_MAX];
    struct store_stmt *s;
    int rc;
    if ((rc = store_exec(st, monitor_sql_eval_create, err)) < 0 ||
        (rc = store_exec(st, monitor_sql_eval_clear, err)) < 0 ||
        (rc = store_prepare(st, monitor_sql_eval_insert, &s, err)) < 0)
        return rc;
    *rows = 0;
    while (fgets(line, sizeof(line), f)) {
        char *fld[TRUTH_FIELDS];
        if (split_csv(line, fld, TRUTH_FIELDS) < TRUTH_FIELDS)
            continue; /* the header, or a line cut at TRUTH_LINE_MAX */
        if (strcmp(fld[0], "pension_payment") != 0 || strcmp(fld[7], "paid_after_death") != 0 ||
            !fld[3][0])
            continue;
        store_bind_text(s, 1, fld[3]);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
        (*rows)++;
    }
    return 0;
}

static int count(struct store *st, const char *sql, const char *rule, int64_t *out,
                 struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, sql, &s, err)) < 0)
        return rc;
    if (rule)
        store_bind_text(s, 1, rule);
    if ((rc = store_step(s, err)) == STORE_ROW)
        *out = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int monitor_evaluate_pension(struct store *st, const char *truth_path,
                             struct monitor_evaluation *out, struct ms_err *err)
{
    static const char rule[] = "pension_after_death";
    int64_t rows;
    FILE *f = fopen(truth_path, "r");
    memset(out, 0, sizeof(*out));
    if (!f)
        return ms_err_field(err, MS_EIO, "truth", "cannot read %s: %s", truth_path,
                            strerror(errno));
    int rc = load_truth(st, f, &rows, err);
    fclose(f);
    if (rc < 0 || count(st, monitor_sql_eval_planted, NULL, &out->planted, err) < 0 ||
        count(st, monitor_sql_eval_alerted, rule, &out->alerted, err) < 0 ||
        count(st, monitor_sql_eval_found, rule, &out->found, err) < 0)
        return err->code;
    out->recall = out->planted ? (double)out->found / (double)out->planted : 0.0;
    out->precision = out->alerted ? (double)out->found / (double)out->alerted : 0.0;
    return 0;
}
