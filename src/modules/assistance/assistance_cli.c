/*
 * assistance_cli.c - `minsheng pay`: payment runs, the bank file, the bank's
 * return file and the recovery check, each a thin adapter over the domain
 * functions in assistance_pay.c (docs/assistance.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/money.h"
#include "modules/assistance/assistance.h"
#include "modules/assistance/assistance_int.h"
#include "modules/registry/registry.h"
#include "store/store.h"

#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(
        f,
        "usage: minsheng pay --scheme S --period YYYY-MM [--chunk N] [--db URL]\n"
        "       minsheng pay --scheme S --period YYYY-MM --export FILE [--db URL] [--key-file F]\n"
        "       minsheng pay --return FILE [--db URL]\n"
        "       minsheng pay --detect-recoveries [--db URL]\n"
        "\n"
        "  Creates the payment lines of a scheme (dibao, tekun, linshi) for a month: one\n"
        "  per enrolled household, in committed chunks of N households (default 1000);\n"
        "  临时救助 (linshi) is paid once, by the run of its decision month.\n"
        "  Running it again, after a crash or beside another run, never pays anyone\n"
        "  twice; it ends by reconciling what the month holds (its lines, arrears and\n"
        "  recoveries) with the enrolments due, to the fen.\n"
        "  --export writes the lines pending for the month and earlier months (re-issues,\n"
        "  arrears) as the bank file (CSV); --return applies\n"
        "  the bank's return file (failed lines are re-issued); --detect-recoveries puts\n"
        "  payments for months after the payee's death into the recovery ledger.\n");
    return code;
}

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    cli_bar_draw(ctx, done, total);
}

static void print_run(const struct assistance_run *r)
{
    char total[MS_MONEY_BUF], due[MS_MONEY_BUF], net[MS_MONEY_BUF];
    ms_money_format(r->total_fen, total);
    ms_money_format(r->due_fen, due);
    ms_money_format(r->net_fen, net);
    printf("run %lld %s %s: %lld new lines\n", (long long)r->run_id, r->scheme, r->period,
           (long long)r->lines_new);
    printf("  lines %lld, total %s yuan; due %lld households, %s yuan\n", (long long)r->lines,
           total, (long long)r->due, due);
    if (r->households != r->lines || r->net_fen != r->total_fen)
        printf("  after changes (arrears, re-issues, recoveries): %lld households, %s yuan\n",
               (long long)r->households, net);
    printf("  %s\n", r->is_reconciled ? "reconciled (已核对一致)" : "NOT reconciled (核对不一致)");
}

static int run(struct store *st, const char *scheme, const char *period, long long chunk)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct assistance_run r;
    struct cli_bar bar;
    cli_actor(&actor);
    cli_bar_start(&bar, "households");
    int rc = assistance_pay_run(st, scheme, period, chunk, &actor, on_progress, &bar, &r, &err);
    cli_bar_end(&bar);
    if (rc < 0)
        return cli_error(&err);
    print_run(&r);
    return r.is_reconciled ? CLI_OK : CLI_FAIL;
}

static int export_file(struct store *st, const char *scheme, const char *period, const char *path)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct assistance_bank_file out;
    char yuan[MS_MONEY_BUF];
    FILE *f = fopen(path, "w");
    if (!f)
        return cli_fail(CLI_FAIL, "cannot write %s: %s", path, strerror(errno));
    cli_actor(&actor);
    int rc = assistance_bank_export(st, scheme, period, f, &actor, &out, &err);
    if (fclose(f) != 0 && rc == 0)
        return cli_fail(CLI_FAIL, "cannot write %s: %s", path, strerror(errno));
    if (rc < 0)
        return cli_error(&err);
    ms_money_format(out.total_fen, yuan);
    printf("%s: %lld lines, %s yuan%s\n", path, (long long)out.lines, yuan,
           out.lines ? "" : " (nothing pending: 没有待报盘的发放)");
    return CLI_OK;
}

static int return_file(struct store *st, const char *path)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct assistance_return_summary sum;
    FILE *f = fopen(path, "r");
    if (!f)
        return cli_fail(CLI_FAIL, "cannot open %s: %s", path, strerror(errno));
    cli_actor(&actor);
    int rc = assistance_bank_return(st, f, &actor, &sum, &err);
    fclose(f);
    if (rc < 0) {
        fprintf(stderr, "minsheng: %s: ", path);
        return cli_error(&err);
    }
    printf("%s: %lld rows: paid %lld, failed %lld (re-issued %lld), unchanged %lld\n", path,
           (long long)sum.rows, (long long)sum.paid, (long long)sum.failed, (long long)sum.reissued,
           (long long)sum.unchanged);
    return CLI_OK;
}

static int recoveries(struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    int64_t n = 0, fen = 0;
    char yuan[MS_MONEY_BUF];
    cli_actor(&actor);
    if (assistance_detect_recoveries(st, &actor, &n, &fen, &err) < 0)
        return cli_error(&err);
    ms_money_format(fen, yuan);
    printf("recoveries: %lld new lines paid after death, %s yuan\n", (long long)n, yuan);
    return CLI_OK;
}

static int cmd_pay(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scheme", required_argument, NULL, 's'}, {"period", required_argument, NULL, 'p'},
        {"chunk", required_argument, NULL, 'c'},  {"export", required_argument, NULL, 'e'},
        {"return", required_argument, NULL, 'r'}, {"detect-recoveries", no_argument, NULL, 'R'},
        {"db", required_argument, NULL, 'd'},     {"key-file", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0}};
    const char *scheme = NULL, *period = NULL, *db = NULL, *key_file = NULL, *exp = NULL,
               *ret = NULL;
    long long chunk = 0;
    int c, detect = 0, rc;
    struct store *st;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            scheme = optarg;
            break;
        case 'p':
            period = optarg;
            break;
        case 'c':
            if (cli_int_option("--chunk", optarg, 1, 100000, &chunk) != 0)
                return CLI_USAGE;
            break;
        case 'e':
            exp = optarg;
            break;
        case 'r':
            ret = optarg;
            break;
        case 'R':
            detect = 1;
            break;
        case 'd':
            db = optarg;
            break;
        case 'k':
            key_file = optarg;
            break;
        case 'h':
            return usage(stdout, CLI_OK);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    int modes = (ret != NULL) + detect + (scheme || period || exp);
    if (optind != argc || modes != 1 || ((scheme || period || exp) && (!scheme || !period)))
        return usage(stderr, CLI_USAGE);
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(key_file);
    if (ret)
        rc = return_file(st, ret);
    else if (detect)
        rc = recoveries(st);
    else if (exp)
        rc = export_file(st, scheme, period, exp);
    else
        rc = run(st, scheme, period, chunk);
    store_close(st);
    registry_unload_key();
    return rc;
}

/* --- minsheng assistance reviews -------------------------------------------------------- */

static int reviews_usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng assistance reviews --due [--as-of YYYY-MM-DD] [--region CODE]\n"
            "                                   [--limit N] [--db URL]\n"
            "\n"
            "  Lists the enrolled households whose review (核查, rules.md §1.6) is due on or\n"
            "  before --as-of (default today, China time), then those whose payee or counted\n"
            "  member the registry marks deceased (member_deceased: record the change with\n"
            "  POST /api/v1/assistance/enrolments/{id}/changes). Tab-separated: reason,\n"
            "  enrolment, household, region, due or death date, basis or resident, amount.\n");
    return code;
}

static int cmd_assistance(int argc, char **argv)
{
    static const struct option opts[] = {
        {"due", no_argument, NULL, 'u'},         {"as-of", required_argument, NULL, 'a'},
        {"region", required_argument, NULL, 'r'}, {"limit", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},     {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *as_of = NULL, *region = NULL, *db = NULL;
    long long limit = 1000;
    int c, due = 0, rc;
    struct store *st;
    const char *sub;
    if ((rc = cli_subcommand(argc, argv, reviews_usage, &sub)) >= 0)
        return rc;
    if (strcmp(sub, "reviews"))
        return reviews_usage(stderr, CLI_USAGE);
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            due = 1;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'r':
            region = optarg;
            break;
        case 'l':
            if (cli_int_option("--limit", optarg, 1, 1000, &limit) != 0)
                return CLI_USAGE;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            return reviews_usage(stdout, CLI_OK);
        default:
            return reviews_usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc || !due)
        return reviews_usage(stderr, CLI_USAGE);
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    struct ms_err err = MS_ERR_INIT;
    struct ms_arena a;
    struct assistance_review_due *items;
    size_t n = 0;
    ms_arena_init(&a, 65536);
    rc = assistance_reviews_due(st, "", region, as_of, (size_t)limit, &a, &items, &n, &err);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) {
            char yuan[MS_MONEY_BUF];
            ms_money_format(items[i].amount_fen, yuan);
            printf("%s\t%lld\t%s\t%s\t%s\t%s\t%s\n", items[i].reason,
                   (long long)items[i].enrolment_id, items[i].household_number,
                   items[i].region_code, items[i].due_on,
                   items[i].review_id ? items[i].basis : items[i].resident_code, yuan);
        }
        printf("%zu due\n", n);
    }
    ms_arena_release(&a);
    store_close(st);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

const struct cli_command assistance_cli_commands[] = {
    {"pay", cmd_pay, "Assistance payment runs, bank files and recoveries",
     "救助金发放、银行报盘回盘与追回"},
    {"assistance", cmd_assistance, "Assistance reviews due (and deaths to record as changes)",
     "低保待核查家庭（含登记死亡待变更）"},
    {NULL, NULL, NULL, NULL},
};
