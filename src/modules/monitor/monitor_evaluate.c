/*
 * monitor_evaluate.c - measured discovery (issue #6 item 4): how many of the
 * anomalies the generator planted each rule finds, and how many of its
 * alerts are planted ones. The truth stays apart from the data: it is read
 * from the generator's truth.csv and truth_registry.csv (docs/gen.md) into
 * a temporary table, and compared with the alerts by resident code.
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
#define TRUTH_FIELDS   8 /* feed,row,natural_key,resident_code,status,id_usable,noise,plant */
#define PATH_MAX_BYTES 4096

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

/* The rule a truth line's plant names, or NULL. */
static const char *rule_of(const char *feed, const char *plant)
{
    if (strcmp(plant, "paid_after_death") != 0)
        return plant;
    if (strcmp(feed, "pension_payment") == 0)
        return "pension_after_death";
    if (strcmp(feed, "assistance_payment") == 0)
        return "assistance_after_death";
    return NULL;
}

/* Adds the planted lines of one truth file. */
static int load_truth(struct store *st, FILE *f, struct ms_err *err)
{
    char line[TRUTH_LINE_MAX];
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, monitor_sql_eval_insert, &s, err)) < 0)
        return rc;
    while (fgets(line, sizeof(line), f)) {
        char *fld[TRUTH_FIELDS];
        if (split_csv(line, fld, TRUTH_FIELDS) < TRUTH_FIELDS)
            continue; /* the header, or a line cut at TRUTH_LINE_MAX */
        const char *rule = rule_of(fld[0], fld[7]);
        if (!rule || !rule[0] || !fld[3][0] || strcmp(fld[0], "feed") == 0)
            continue;
        store_bind_text(s, 1, rule);
        store_bind_text(s, 2, fld[3]);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int load_file(struct store *st, const char *path, int is_required, struct ms_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!is_required && errno == ENOENT)
            return 0;
        return ms_err_field(err, MS_EIO, "truth", "cannot read %s: %s", path, strerror(errno));
    }
    int rc = load_truth(st, f, err);
    fclose(f);
    return rc;
}

static int count(struct store *st, const char *sql, const struct monitor_rule *rule, int n_binds,
                 int64_t *out, struct ms_err *err)
{
    struct store_stmt *s;
    int rc;
    if ((rc = store_prepare(st, sql, &s, err)) < 0)
        return rc;
    /* alerted: rule; planted: subject, rule; found: rule, subject, rule */
    if (n_binds == 1) {
        store_bind_text(s, 1, rule->id);
    } else if (n_binds == 2) {
        store_bind_text(s, 1, rule->subject);
        store_bind_text(s, 2, rule->id);
    } else {
        store_bind_text(s, 1, rule->id);
        store_bind_text(s, 2, rule->subject);
        store_bind_text(s, 3, rule->id);
    }
    if ((rc = store_step(s, err)) == STORE_ROW)
        *out = store_col_int64(s, 0);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int monitor_evaluate(struct store *st, const char *truth_path, struct monitor_evaluation *out,
                     size_t *n, struct ms_err *err)
{
    const struct monitor_rule *rules;
    size_t n_rules;
    char registry[PATH_MAX_BYTES];
    const char *slash = strrchr(truth_path, '/');
    int dir_len = slash ? (int)(slash - truth_path + 1) : 0;
    *n = 0;
    snprintf(registry, sizeof(registry), "%.*struth_registry.csv", dir_len, truth_path);
    if (monitor_rules(&rules, &n_rules, err) < 0 ||
        store_exec(st, monitor_sql_eval_create, err) < 0 ||
        store_exec(st, monitor_sql_eval_clear, err) < 0 || load_file(st, truth_path, 1, err) < 0 ||
        load_file(st, registry, 0, err) < 0)
        return err->code;
    for (size_t i = 0; i < n_rules; i++) {
        struct monitor_evaluation *e = &out[i];
        memset(e, 0, sizeof(*e));
        e->rule_id = rules[i].id;
        if (count(st, monitor_sql_eval_planted, &rules[i], 2, &e->planted, err) < 0 ||
            count(st, monitor_sql_eval_alerted, &rules[i], 1, &e->alerted, err) < 0 ||
            count(st, monitor_sql_eval_found, &rules[i], 3, &e->found, err) < 0)
            return err->code;
        e->recall = e->planted ? (double)e->found / (double)e->planted : 0.0;
        e->precision = e->alerted ? (double)e->found / (double)e->alerted : 0.0;
        *n = i + 1;
    }
    return 0;
}
