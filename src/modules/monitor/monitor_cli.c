/*
 * monitor_cli.c - `minsheng scan`: a full scan, one rule, or the measured
 * discovery of the pension-after-death rule against a generator's truth;
 * thin adapters over monitor_scan.c and monitor_evaluate.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/date.h"
#include "core/str.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/monitor_int.h"
#include "store/store.h"

#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng scan [--rule ID] [--as-of YYYY-MM-DD] [--incremental] [--db URL]\n"
            "       minsheng scan --evaluate --truth DIR/truth.csv [--db URL]\n"
            "       minsheng scan --print-sql [--rule ID] [--as-of YYYY-MM-DD] [--incremental]\n"
            "                     [--db URL]\n"
            "\n"
            "  Runs every monitoring rule (src/modules/monitor/rules/*.json), or one, with\n"
            "  the policy parameters in force on the scan date (default today), and\n"
            "  prints per rule the rows found, the new alerts and the time. Alerts are\n"
            "  unique per rule, subject and period: a second scan adds nothing.\n"
            "  --incremental runs each rule only over the subjects touched since the last\n"
            "  scan of every rule: residents of the batches imported since, residents the\n"
            "  registry changed since, payees of new assistance enrolments and payment\n"
            "  lines, and their households. What the calendar alone changes (a birthday,\n"
            "  a window passing a month) waits for the next full scan.\n"
            "  --evaluate prints, per rule, the recall and precision against the subjects\n"
            "  the generator planted (truth.csv's plant column; docs/monitor.md).\n"
            "  --print-sql writes each rule's query with its parameters on the scan date\n"
            "  filled in, as `SELECT count(*) FROM (...) q;` statements for sqlite3 or psql,\n"
            "  and scans nothing; with --incremental, the form an incremental scan runs,\n"
            "  reading the temporary tables monitor_touched_residents, _households and\n"
            "  _members that the scan fills.\n");
    return code;
}

static int scan(struct store *st, const char *rule, const char *as_of, int is_incremental)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    static struct monitor_scan_result r;
    int64_t rows = 0, alerts = 0;
    double ms = 0;
    cli_actor(&actor);
    if ((is_incremental ? monitor_scan_incremental : monitor_scan)(st, rule, as_of, &actor, &r,
                                                                   &err) < 0)
        return cli_error(&err);
    printf("scan %lld on %s", (long long)r.scan_id, r.scan_date);
    if (r.is_incremental)
        printf(", incremental: batches %lld..%lld, registry changes after '%s',"
               " enrolments %lld..%lld, payment lines %lld..%lld",
               (long long)r.batch_from + 1, (long long)r.batch_to, r.registry_from,
               (long long)r.enrolment_from + 1, (long long)r.enrolment_to,
               (long long)r.line_from + 1, (long long)r.line_to);
    printf("\n");
    if (r.is_incremental)
        printf("  touched: %lld residents, %lld households (%.1f ms)\n",
               (long long)r.touched_residents, (long long)r.touched_households, r.start_ms);
    printf("  %-28s %10s %10s %10s\n", "rule", "rows", "new", "ms");
    for (size_t i = 0; i < r.n; i++) {
        printf("  %-28s %10lld %10lld %10.1f\n", r.rules[i].rule_id,
               (long long)r.rules[i].rows_found, (long long)r.rules[i].alerts_new, r.rules[i].ms);
        rows += r.rules[i].rows_found;
        alerts += r.rules[i].alerts_new;
        ms += r.rules[i].ms;
    }
    printf("  %-28s %10lld %10lld %10.1f\n", "total", (long long)rows, (long long)alerts,
           ms + r.start_ms);
    return CLI_OK;
}

static int evaluate(struct store *st, const char *truth)
{
    struct ms_err err = MS_ERR_INIT;
    static struct monitor_evaluation e[MONITOR_MAX_RULES];
    size_t n;
    if (monitor_evaluate(st, truth, e, &n, &err) < 0)
        return cli_error(&err);
    printf("  %-28s %8s %8s %8s %8s %10s\n", "rule", "planted", "alerted", "found", "recall",
           "precision");
    for (size_t i = 0; i < n; i++) {
        printf("  %-28s %8lld %8lld %8lld", e[i].rule_id, (long long)e[i].planted,
               (long long)e[i].alerted, (long long)e[i].found);
        /* a rule with nothing planted has no truth to be measured against */
        if (e[i].planted)
            printf(" %8.4f %10.4f\n", e[i].recall, e[i].alerted ? e[i].precision : 0.0);
        else
            printf(" %8s %10s\n", "-", "-");
    }
    return CLI_OK;
}

static int print_sql(struct store *st, const char *rule_id, const char *as_of, int is_incremental)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena arena;
    struct monitor_rule *rules;
    struct ms_str sql = MS_STR_INIT;
    char today[MS_DATE_BUF];
    size_t n;
    int rc = CLI_OK, found = 0;
    ms_arena_init(&arena, 16384);
    if (!as_of) {
        ms_date_format(ms_date_today_cst(), today);
        as_of = today;
    }
    if (monitor_rule_set(st, &arena, &rules, NULL, &n, &err) < 0)
        rc = cli_error(&err);
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        if (rule_id && strcmp(rules[i].id, rule_id) != 0)
            continue;
        found = 1;
        ms_str_reset(&sql);
        if (monitor_rule_sql(st, &rules[i], as_of, is_incremental, &sql, &err) < 0) {
            rc = cli_error(&err);
            break;
        }
        printf("-- %s on %s\nSELECT count(*) FROM (%s) q;\n", rules[i].id, as_of, sql.buf);
    }
    if (rc == CLI_OK && rule_id && !found)
        rc = cli_fail(CLI_FAIL, "no rule '%s'", rule_id);
    ms_str_release(&sql);
    ms_arena_release(&arena);
    return rc;
}

static int cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rule", required_argument, NULL, 'r'},  {"as-of", required_argument, NULL, 'a'},
        {"evaluate", no_argument, NULL, 'e'},     {"truth", required_argument, NULL, 't'},
        {"db", required_argument, NULL, 'd'},     {"help", no_argument, NULL, 'h'},
        {"incremental", no_argument, NULL, 'i'}, {"print-sql", no_argument, NULL, 'p'},
        {0, 0, 0, 0}};
    const char *rule = NULL, *as_of = NULL, *truth = NULL, *db = NULL;
    int c, is_eval = 0, is_incremental = 0, is_print = 0, rc;
    struct store *st;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            rule = optarg;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'e':
            is_eval = 1;
            break;
        case 'i':
            is_incremental = 1;
            break;
        case 'p':
            is_print = 1;
            break;
        case 't':
            truth = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            return usage(stdout, CLI_OK);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc || is_eval != (truth != NULL) ||
        (is_eval && (rule || as_of || is_incremental || is_print)))
        return usage(stderr, CLI_USAGE);
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    rc = is_eval    ? evaluate(st, truth)
         : is_print ? print_sql(st, rule, as_of, is_incremental)
                    : scan(st, rule, as_of, is_incremental);
    store_close(st);
    return rc;
}

const struct cli_command monitor_cli_commands[] = {
    {"scan", cmd_scan, "Run the monitoring rules; measure them against planted truth",
     "运行监测规则扫描；对照生成数据评估"},
    {NULL, NULL, NULL, NULL},
};
