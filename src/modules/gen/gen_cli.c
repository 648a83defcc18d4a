/*
 * gen_cli.c - `minsheng gen --residents N --seed S`: a synthetic district
 * (docs/gen.md), with a one-line progress bar on stderr when it is a
 * terminal, and a summary with the rate at the end.
 */
#include "modules/gen/gen.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "core/clock.h"
#include "modules/gen/gen_int.h"
#include "modules/registry/registry.h"
#include "store/store.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng gen --residents N [--seed S] [--as-of YYYY-MM-DD] [--chunk N]\n"
            "                    [--feeds DIR [--feed-months N]] [--no-roll] [--db URL]\n"
            "                    [--key-file FILE]\n"
            "\n"
            "  Fills an empty registry with a synthetic district of exactly N residents\n"
            "  (合成辖区): households on the villages and communities of the places table,\n"
            "  an ageing Chongqing-like population, valid ID numbers, synthetic phones,\n"
            "  births, marriages and deaths as life events. Import the places first\n"
            "  (minsheng places import --file data/wansheng/placenames.csv).\n"
            "  The same seed and as-of date (default today) give the same district.\n"
            "  --chunk: residents per transaction (default %d). Every person is made up.\n"
            "\n"
            "  --feeds DIR: in the same pass, also write the seventeen department feeds\n"
            "  (部门数据) of src/modules/exchange/feeds/ into DIR, one file each\n"
            "  (<feed>.csv or <feed>.jsonl, gbk feeds in GB18030 with CRLF), with realistic\n"
            "  noise on names, ID numbers, birth dates, phones and region codes, people\n"
            "  not in the registry and a few bad rows; and DIR/truth.csv, the resident\n"
            "  behind every row (docs/gen.md, \"Department feeds\"). The district is the\n"
            "  same with or without feeds, and so are the files for the same seed,\n"
            "  residents and as-of date.\n"
            "  --feed-months N: monthly periods of pensions, wages and benefits, up to the\n"
            "  month before the as-of date (default %d, at most %d).\n"
            "\n"
            "  The assistance roll (救助对象名册): about 3%% of residents on 低保 and 0.45%%\n"
            "  on 特困 (more in rural households), enrolled months or years before the\n"
            "  as-of date on the standard then in force, with the last %d months paid,\n"
            "  and a few payees paid after their death (planted; their lines go to\n"
            "  truth.csv with --feeds). With --feeds, the roll's households also get\n"
            "  the vehicles, businesses, wages and unemployment registrations the\n"
            "  monitoring rules over the roll must find (and near misses), tagged in\n"
            "  truth.csv. --no-roll: make no roll (and the feeds none of those).\n",
            GEN_DEFAULT_CHUNK, GEN_DEFAULT_FEED_MONTHS, GEN_MAX_FEED_MONTHS,
            GEN_ROLL_HISTORY_MONTHS);
    return code;
}

struct gen_cli_opts {
    const char *db, *key_file, *as_of, *feeds;
    long long residents, chunk, feed_months;
    uint64_t seed;
    int no_roll;
};

static int parse(int argc, char **argv, struct gen_cli_opts *o)
{
    static const struct option opts[] = {{"residents", required_argument, NULL, 'n'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"chunk", required_argument, NULL, 'c'},
                                         {"feeds", required_argument, NULL, 'f'},
                                         {"feed-months", required_argument, NULL, 'm'},
                                         {"no-roll", no_argument, NULL, 'R'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    char *end;
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->feed_months = GEN_DEFAULT_FEED_MONTHS;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (cli_int_option("--residents", optarg, 1, 100000000, &o->residents) != 0)
                return CLI_USAGE;
            break;
        case 'c':
            if (cli_int_option("--chunk", optarg, 0, 1000000, &o->chunk) != 0)
                return CLI_USAGE;
            break;
        case 'f':
            o->feeds = optarg;
            break;
        case 'R':
            o->no_roll = 1;
            break;
        case 'm':
            if (cli_int_option("--feed-months", optarg, 1, GEN_MAX_FEED_MONTHS, &o->feed_months) !=
                0)
                return CLI_USAGE;
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || *optarg == '-')
                return cli_fail(CLI_USAGE, "--seed must be a whole number");
            break;
        case 'a':
            o->as_of = optarg;
            break;
        case 'd':
            o->db = optarg;
            break;
        case 'k':
            o->key_file = optarg;
            break;
        case 'h':
            return usage(stdout, -1);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc || o->residents <= 0)
        return usage(stderr, CLI_USAGE);
    return 0;
}

static void progress(size_t done, size_t total, void *ctx)
{
    cli_bar_draw(ctx, (long long)done, (long long)total);
}

/* Rows per feed, on stderr, after the district's summary line. */
static void feeds_summary(const struct gen_feeds *fx, const char *dir)
{
    struct gen_feeds_stats fs;
    char file[64];
    gen_feeds_stats(fx, &fs);
    fprintf(stderr, "feeds in %s:\n", dir);
    for (size_t i = 0; i < GEN_FEEDS; i++)
        fprintf(stderr, "  %-32s %9zu rows\n", gen_feeds_file(i, file, sizeof(file)), fs.rows[i]);
    fprintf(stderr,
            "  %-32s %9zu rows: %zu clean, %zu noisy, %zu not in the registry, %zu bad; "
            "%zu planted\n",
            "truth.csv", fs.total, fs.clean, fs.noisy, fs.absent, fs.bad, fs.planted);
    fprintf(stderr,
            "  planted around the roll (households): vehicle %zu, business %zu, wage above %zu, "
            "unemployed %zu; near misses: business closed %zu, wage at the threshold %zu, wage "
            "before the enrolment %zu, old registration %zu; near-allowance falls %zu\n",
            fs.roll_plants[0], fs.roll_plants[1], fs.roll_plants[2], fs.roll_plants[3],
            fs.roll_plants[4], fs.roll_plants[5], fs.roll_plants[6], fs.roll_plants[7],
            fs.edge_falls);
}

/* The roll's figures, on stdout after the district's line. */
static double pct(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void roll_summary(const struct gen_roll *roll, size_t residents)
{
    struct gen_roll_stats rs;
    gen_roll_stats(roll, &rs);
    size_t u = rs.residents_area[1], r = rs.residents_area[0];
    printf(
        "assistance roll: dibao %zu households, %zu persons (%.2f%%; urban %.2f%%, rural "
        "%.2f%%); tekun %zu persons (%.2f%%; urban %.2f%%, rural %.2f%%); %zu enrolment rows, "
        "%zu ended by a death, %zu left, %zu payees paid after death (%zu lines planted); history "
        "%lld paid lines, %.2f yuan; in %.1f s\n",
        rs.households[0], rs.persons[0], pct(rs.persons[0], residents),
        pct(rs.persons_area[0][1], u), pct(rs.persons_area[0][0], r), rs.persons[1],
        pct(rs.persons[1], residents), pct(rs.persons_area[1][1], u), pct(rs.persons_area[1][0], r),
        rs.rows, rs.stopped, rs.former, rs.planted, rs.planted_lines, (long long)rs.history_lines,
        (double)rs.history_fen / 100.0, (double)rs.ms / 1000.0);
}

static int run(const struct gen_cli_opts *o, struct store *st)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct gen_stats stats;
    struct cli_bar bar;
    struct gen_options go = {.seed = o->seed,
                             .residents = (size_t)o->residents,
                             .as_of = o->as_of,
                             .chunk_residents = (size_t)o->chunk};
    cli_bar_start(&bar, "residents");
    go.progress = progress;
    go.progress_ctx = &bar;
    struct gen_feeds *feeds = NULL;
    if (o->feeds) {
        if (gen_feeds_open(o->feeds, o->seed, (int)o->feed_months, &feeds, &err) < 0) {
            gen_feeds_finish(feeds, 0, NULL);
            return cli_error(&err);
        }
        go.after_chunk = gen_feeds_chunk;
        go.hook_ctx = feeds;
    }
    struct gen_roll *roll = NULL;
    if (!o->no_roll && gen_roll_open(o->seed, (int)o->feed_months, &roll, &err) < 0) {
        gen_roll_free(roll);
        gen_feeds_finish(feeds, 0, NULL);
        return cli_error(&err);
    }
    go.roll = roll;
    if (feeds)
        gen_feeds_set_roll(feeds, roll);
    cli_actor(&actor);
    int rc = gen_district(st, &go, &actor, &stats, &err);
    cli_bar_end(&bar);
    if (feeds) {
        if (rc == 0)
            feeds_summary(feeds, o->feeds);
        int frc = gen_feeds_finish(feeds, rc == 0, &err);
        if (rc == 0)
            rc = frc;
        if (rc == 0 && roll)
            rc = gen_roll_write_truth(roll, o->feeds, &err);
    }
    if (rc < 0) {
        gen_roll_free(roll);
        return cli_error(&err);
    }
    double secs = (ms_clock_mono_ms() - bar.start_ms) / 1000.0;
    printf("generated %zu residents in %zu households on %zu villages and communities "
           "(seed %" PRIu64 "): %zu life events (%zu births, %zu marriages, %zu deaths) "
           "in %.1f s, %.0f residents/s\n",
           stats.residents, stats.households, stats.places, o->seed, stats.events, stats.births,
           stats.marriages, stats.deceased, secs, secs > 0 ? (double)stats.residents / secs : 0.0);
    if (roll)
        roll_summary(roll, stats.residents);
    gen_roll_free(roll);
    return CLI_OK;
}

static int cmd_gen(int argc, char **argv)
{
    struct gen_cli_opts o;
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(o.key_file);
    if (registry_load_key(st, &err) < 0)
        rc = cli_error(&err);
    else
        rc = run(&o, st);
    store_close(st);
    registry_unload_key();
    return rc;
}

const struct cli_command gen_cli_commands[] = {
    {"gen", cmd_gen, "Generate a synthetic district (residents, households, events)",
     "生成合成辖区数据"},
    {NULL, NULL, NULL, NULL},
};
