/*
 * link_cli.c - `minsheng link`: generic record linkage of CSV files
 * (docs/linkage.md). Parses the options, loads the config, runs
 * link_files_run() and prints the summary on stderr. `--evaluate` hands
 * over to exchange_cmd_evaluate(); `--registry` de-duplicates the registry
 * into the review queue (exchange_dedup_registry()).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "modules/exchange/exchange_dedup.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/linkage_files.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng link --left A.csv [--right B.csv] --config FIELDS.json --out PAIRS.csv\n"
            "                     [--threshold-upper W] [--threshold-lower W] [--all] [--one-to-one]\n"
            "       minsheng link --registry [--db URL] [--key-file FILE]\n"
            "       minsheng link --evaluate ...\n"
            "\n"
            "  Links the person records of two CSV files, or finds the duplicates within one\n"
            "  (no --right), with Fellegi-Sunter weights estimated by EM (人员记录比对关联).\n"
            "  FIELDS.json names the id column and the columns of each role; see\n"
            "  docs/linkage.md. PAIRS.csv gets the pairs decided match or review (--all: also\n"
            "  non-matches), best first. Thresholds are log2 weights (default %g and %g).\n"
            "  --one-to-one (two files): keep each record's best pair only.\n"
            "\n"
            "  --registry finds residents who may be registered twice (户籍人员查重) and sends\n"
            "  each pair weighing at least the policy exchange.dedup_review_weight to the review\n"
            "  queue as kind duplicate. Nothing is merged or changed; pairs already in the\n"
            "  queue, decided or not, are not proposed again.\n",
            LINK_FILES_DEFAULT_UPPER, LINK_FILES_DEFAULT_LOWER);
    return code;
}

struct link_cli_opts {
    struct link_files_options run;
    const char *config;
    double upper, lower;
    int has_upper, has_lower;
};

static int weight_option(const char *what, const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (!*text || *end || !isfinite(v) || fabs(v) > 1000)
        return cli_fail(CLI_USAGE, "%s takes a number from -1000 to 1000, not '%.40s'", what,
                        text);
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, struct link_cli_opts *o)
{
    static const struct option opts[] = {{"left", required_argument, NULL, 'l'},
                                         {"right", required_argument, NULL, 'r'},
                                         {"config", required_argument, NULL, 'c'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"threshold-upper", required_argument, NULL, 'U'},
                                         {"threshold-lower", required_argument, NULL, 'L'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"one-to-one", no_argument, NULL, '1'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            o->run.left = optarg;
            break;
        case 'r':
            o->run.right = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'o':
            o->run.out = optarg;
            break;
        case 'U':
            if (weight_option("--threshold-upper", optarg, &o->upper) != 0)
                return CLI_USAGE;
            o->has_upper = 1;
            break;
        case 'L':
            if (weight_option("--threshold-lower", optarg, &o->lower) != 0)
                return CLI_USAGE;
            o->has_lower = 1;
            break;
        case 'a':
            o->run.write_all = 1;
            break;
        case '1':
            o->run.one_to_one = 1;
            break;
        case 'h':
            return usage(stdout, -1);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc)
        return usage(stderr, CLI_USAGE);
    if (!o->run.left || !o->config || !o->run.out)
        return cli_fail(CLI_USAGE, "link needs --left, --config and --out (see --help)");
    if (o->run.one_to_one && !o->run.right)
        return cli_fail(CLI_USAGE, "--one-to-one needs two files (--right)");
    return 0;
}

/* Config errors are the user's to fix in the file: usage (exit 2), naming
 * the key; a config that cannot be read is a failure (exit 1). */
static int load_config(const struct link_cli_opts *o, struct link_files_config *cfg)
{
    struct ms_err err = MS_ERR_INIT;
    if (link_files_config_load(o->config, cfg, &err) < 0) {
        if (err.code == MS_EIO)
            return cli_error(&err);
        return cli_fail(CLI_USAGE, "config %s: %s%s%s", o->config, err.message,
                        err.field[0] ? " (key: " : "", err.field[0] ? err.field : "");
    }
    if (o->has_upper)
        cfg->upper = o->upper;
    if (o->has_lower)
        cfg->lower = o->lower;
    if (cfg->lower > cfg->upper) {
        link_files_config_release(cfg);
        return cli_fail(CLI_USAGE, "the lower threshold (%g) is above the upper one (%g)",
                        cfg->lower, cfg->upper);
    }
    return 0;
}

static void print_model(const struct link_model *m)
{
    for (int f = 0; f < LINK_F_COUNT; f++) {
        if (!(m->fields >> f & 1u))
            continue;
        int levels = link_field_levels((enum link_field)f);
        fprintf(stderr, "  %-12s m", link_field_name((enum link_field)f));
        for (int l = 0; l < levels; l++)
            fprintf(stderr, " %.4f", m->m[f][l]);
        fprintf(stderr, "%*s u", (LINK_MAX_LEVELS - levels) * 7, "");
        for (int l = 0; l < levels; l++)
            fprintf(stderr, " %.4f", m->u[f][l]);
        fputc('\n', stderr);
    }
}

static void print_summary(const struct link_cli_opts *o, const struct link_files_stats *st,
                          double secs)
{
    char name[96];
    if (o->run.right)
        fprintf(stderr, "records: %zu left, %zu right (读入记录)\n", st->records[0],
                st->records[1]);
    else
        fprintf(stderr, "records: %zu (de-duplication, 查重)\n", st->records[0]);
    fprintf(stderr, "blocking rules:");
    for (int r = 0; r < st->n_rules; r++) {
        link_files_rule_name(&st->rules[r], name, sizeof(name));
        fprintf(stderr, " %s", name);
    }
    fputc('\n', stderr);
    for (size_t i = 0; i < st->blocks_skipped && i < LINK_FILES_SKIPPED_LISTED; i++) {
        link_files_rule_name(&st->rules[st->skipped[i].rule], name, sizeof(name));
        fprintf(stderr, "skipped block: rule %s, %zu records (over max_block)\n", name,
                st->skipped[i].records);
    }
    if (st->blocks_skipped > LINK_FILES_SKIPPED_LISTED)
        fprintf(stderr, "skipped blocks: %zu in all (跳过过大的分块)\n", st->blocks_skipped);
    fprintf(stderr, "pairs compared: %zu (比对记录对)\n", st->pairs);
    fprintf(stderr, "EM: %d iterations, %s, %zu patterns, lambda %.6f\n", st->em.iterations,
            st->em.converged ? "converged" : "not converged", st->em.patterns, st->model.lambda);
    print_model(&st->model);
    fprintf(stderr, "decisions: %zu match (匹配), %zu review (待人工核对), %zu nonmatch (不匹配)\n",
            st->decisions[LINK_MATCH], st->decisions[LINK_REVIEW], st->decisions[LINK_NONMATCH]);
    if (o->run.one_to_one)
        fprintf(stderr, "one-to-one: %zu pairs dropped\n", st->dropped_one_to_one);
    fprintf(stderr, "wrote %zu pairs to %s in %.1f s\n", st->written, o->run.out, secs);
}

static int registry_usage(void)
{
    return cli_fail(CLI_USAGE, "usage: minsheng link --registry [--db URL] [--key-file FILE]");
}

static void on_dedup_progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
    struct cli_bar *bars = ctx;
    if (!strcmp(phase, "read")) {
        cli_bar_draw(&bars[0], done, done);
        return;
    }
    if (!bars[1].start_ms) {
        cli_bar_end(&bars[0]);
        cli_bar_start(&bars[1], "pairs");
    }
    cli_bar_draw(&bars[1], done, total);
}

static void print_dedup(const struct exchange_dedup_stats *s, double secs)
{
    printf("residents read: %lld (读入人员)\n", (long long)s->residents);
    printf("pairs compared: %lld (比对记录对)\n", (long long)s->pairs);
    if (s->blocks_skipped)
        printf("blocks skipped: %lld (over max_block)\n", (long long)s->blocks_skipped);
    printf("u measured on: %s\n", s->is_u_from_candidates
                                        ? "the candidate pairs"
                                        : "random pairs (fewer than 500 candidates; 候选对过少)");
    printf("pairs at or above the lower threshold: %lld; names disagree (not queued): %lld;"
           " above the upper: %lld (none merged)\n",
           (long long)s->at_or_above_lower, (long long)s->name_disagrees,
           (long long)s->above_upper);
    printf("queued for review: %lld new, %lld already in the queue (送人工核对)\n",
           (long long)s->queued, (long long)s->already_queued);
    printf("done in %.1f s\n", secs);
}

/* `minsheng link --registry`: the registry's duplicates into the queue. */
static int link_cli_registry(int argc, char **argv)
{
    static const struct option opts[] = {{"registry", no_argument, NULL, 'R'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *key_file = NULL;
    struct ms_err err = MS_ERR_INIT;
    struct exchange_dedup_stats stats;
    struct cli_bar bars[2] = {{0}};
    struct exchange_dedup_opts o = {.progress = on_dedup_progress, .progress_ctx = bars};
    struct ms_actor actor;
    struct store *st;
    double start = ms_clock_mono_ms();
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'R':
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
            return registry_usage();
        }
    }
    if (optind != argc)
        return registry_usage();
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(key_file);
    cli_actor(&actor);
    cli_bar_start(&bars[0], "residents");
    if (registry_load_key(st, &err) < 0 ||
        exchange_dedup_registry(st, &actor, &o, &stats, &err) < 0)
        rc = cli_error(&err);
    cli_bar_end(bars[1].start_ms ? &bars[1] : &bars[0]);
    if (rc == CLI_OK)
        print_dedup(&stats, (ms_clock_mono_ms() - start) / 1000.0);
    store_close(st);
    registry_unload_key();
    return rc;
}

int link_cli_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--evaluate"))
            return exchange_cmd_evaluate(argc, argv);
        else if (!strcmp(argv[i], "--registry"))
            return link_cli_registry(argc, argv);
    struct link_cli_opts o;
    struct link_files_config cfg;
    struct link_files_stats st;
    struct ms_err err = MS_ERR_INIT;
    double start = ms_clock_mono_ms();
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = load_config(&o, &cfg)) != 0)
        return rc;
    rc = link_files_run(&cfg, &o.run, &st, &err);
    link_files_config_release(&cfg);
    if (rc < 0)
        return cli_error(&err);
    print_summary(&o, &st, (ms_clock_mono_ms() - start) / 1000.0);
    return CLI_OK;
}
