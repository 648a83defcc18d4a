/*
 * monitor_cli.c - `minsheng scan`: a full scan, one rule, or the measured
 * discovery of the pension-after-death rule against a generator's truth;
 * thin adapters over monitor_scan.c and monitor_evaluate.c.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/monitor_int.h"
#include "store/store.h"

#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng scan [--rule ID] [--as-of YYYY-MM-DD] [--db URL]\n"
            "       minsheng scan --evaluate --truth DIR/truth.csv [--db URL]\n"
            "\n"
            "  Runs every monitoring rule (src/modules/monitor/rules/*.json), or one, with\n"
            "  the policy parameters in force on the scan date (default today), and\n"
            "  prints per rule the rows found, the new alerts and the time. Alerts are\n"
            "  unique per rule, subject and period: a second scan adds nothing.\n"
            "  --evaluate prints the recall and precision of pension_after_death against\n"
            "  the rows the generator planted (plant = paid_after_death).\n");
    return code;
}

static int scan(struct store *st, const char *rule, const char *as_of)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    static struct monitor_scan_result r;
    int64_t rows = 0, alerts = 0;
    double ms = 0;
    cli_actor(&actor);
    if (monitor_scan(st, rule, as_of, &actor, &r, &err) < 0)
        return cli_error(&err);
    printf("scan %lld on %s\n", (long long)r.scan_id, r.scan_date);
    printf("  %-28s %10s %10s %10s\n", "rule", "rows", "new", "ms");
    for (size_t i = 0; i < r.n; i++) {
        printf("  %-28s %10lld %10lld %10.1f\n", r.rules[i].rule_id,
               (long long)r.rules[i].rows_found, (long long)r.rules[i].alerts_new, r.rules[i].ms);
        rows += r.rules[i].rows_found;
        alerts += r.rules[i].alerts_new;
        ms += r.rules[i].ms;
    }
    printf("  %-28s %10lld %10lld %10.1f\n", "total", (long long)rows, (long long)alerts, ms);
    return CLI_OK;
}

static int evaluate(struct store *st, const char *truth)
{
    struct ms_err err = MS_ERR_INIT;
    struct monitor_evaluation e;
    if (monitor_evaluate_pension(st, truth, &e, &err) < 0)
        return cli_error(&err);
    printf("pension_after_death: planted %lld, alerted %lld, found %lld\n", (long long)e.planted,
           (long long)e.alerted, (long long)e.found);
    printf("  recall %.4f, precision %.4f\n", e.recall, e.precision);
    return CLI_OK;
}

static int cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rule", required_argument, NULL, 'r'},  {"as-of", required_argument, NULL, 'a'},
        {"evaluate", no_argument, NULL, 'e'},     {"truth", required_argument, NULL, 't'},
        {"db", required_argument, NULL, 'd'},     {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *rule = NULL, *as_of = NULL, *truth = NULL, *db = NULL;
    int c, is_eval = 0, rc;
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
    if (optind != argc || is_eval != (truth != NULL) || (is_eval && (rule || as_of)))
        return usage(stderr, CLI_USAGE);
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    rc = is_eval ? evaluate(st, truth) : scan(st, rule, as_of);
    store_close(st);
    return rc;
}

const struct cli_command monitor_cli_commands[] = {
    {"scan", cmd_scan, "Run the monitoring rules; measure them against planted truth",
     "运行监测规则扫描；对照生成数据评估"},
    {NULL, NULL, NULL, NULL},
};
