/*
 * exchange_cli.c - `minsheng import`: department files into batches, with a
 * progress bar on a terminal and a summary per file (docs/exchange.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "modules/exchange/exchange.h"
#include "modules/exchange/exchange_int.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f, "usage: minsheng import --feed NAME FILE... [--chunk N] [--db URL] [--key-file FILE]\n"
               "       minsheng import --list-feeds\n"
               "\n"
               "  Imports department data files (部门数据导入) as batches of a feed: each row is\n"
               "  checked, bad rows are quarantined with the reason, good rows are linked to\n"
               "  residents (exactly on a valid ID number, else by probabilistic linkage, or\n"
               "  sent to clerical review). Importing the same file again changes nothing; an\n"
               "  interrupted import resumes when run again. --chunk: rows per transaction\n"
               "  (default 2000). --list-feeds: the feeds and their files' formats.\n");
    return code;
}

static int list_feeds(void)
{
    const struct feed_def *defs;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    if (exchange_feeds(&defs, &n, &err) < 0)
        return cli_error(&err);
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-5s %-5s %s (%s) / %s\n", defs[i].name, defs[i].is_jsonl ? "jsonl" : "csv",
               defs[i].is_gbk ? "gbk" : "utf-8", defs[i].title_zh, defs[i].department_zh,
               defs[i].title_en);
    return CLI_OK;
}

struct progress_ctx {
    struct cli_bar load, link;
    int linking;
};

static void on_progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
    struct progress_ctx *p = ctx;
    if (!strcmp(phase, "link")) {
        if (!p->linking) {
            cli_bar_draw(&p->load, 1, 1);
            cli_bar_end(&p->load);
            cli_bar_start(&p->link, "rows linked");
            p->linking = 1;
        }
        cli_bar_draw(&p->link, done, total);
    } else
        cli_bar_draw(&p->load, done, total);
}

static void print_summary(const char *file, const struct exchange_summary *s)
{
    const struct feed_def *f = exchange_feed_find(s->feed, NULL);
    printf("%s: batch %lld of feed %s (%s)\n", file, (long long)s->batch_id, s->feed,
           f ? f->title_zh : "");
    if (s->already_imported)
        printf("  already imported: nothing changed (已导入过，未作任何改动)\n");
    else if (s->resumed)
        printf("  resumed an interrupted import (续传了中断的导入)\n");
    printf("  rows read %lld: accepted %lld, duplicate %lld, quarantined %lld\n",
           (long long)s->rows_read, (long long)s->accepted, (long long)s->duplicate,
           (long long)s->quarantined);
    printf("  linked exactly %lld, probabilistically %lld; sent to review %lld; not linked %lld\n",
           (long long)s->linked_exact, (long long)s->linked_probabilistic,
           (long long)s->sent_to_review, (long long)s->not_linked);
    if (s->n_reasons) {
        printf("  quarantined by reason:");
        for (size_t i = 0; i < s->n_reasons; i++)
            printf("%s %s %lld", i ? "," : "", s->reasons[i].code, (long long)s->reasons[i].n);
        printf("\n");
    }
}

static int import_file(struct store *st, const char *feed, const char *path, long long chunk)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct exchange_summary sum;
    struct progress_ctx p = {0};
    struct exchange_import_opts o = {.progress = on_progress, .progress_ctx = &p,
                                     .chunk_rows = (size_t)chunk};
    const char *base = strrchr(path, '/');
    FILE *in = fopen(path, "rb");
    int rc;
    if (!in)
        return cli_fail(CLI_FAIL, "cannot open %s: %s", path, strerror(errno));
    cli_actor(&actor);
    cli_bar_start(&p.load, "bytes");
    rc = exchange_import(st, feed, base ? base + 1 : path, in, &actor, &o, &sum, &err);
    fclose(in);
    cli_bar_end(p.linking ? &p.link : &p.load);
    if (rc < 0) {
        fprintf(stderr, "minsheng: %s: ", path);
        return cli_error(&err);
    }
    print_summary(path, &sum);
    return CLI_OK;
}

static int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"feed", required_argument, NULL, 'f'},
                                         {"chunk", required_argument, NULL, 'c'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"list-feeds", no_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *feed = NULL, *db = NULL, *key_file = NULL;
    long long chunk = 0;
    int c, list = 0, rc = CLI_OK;
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': feed = optarg; break;
        case 'c':
            if (cli_int_option("--chunk", optarg, 1, 100000, &chunk) != 0)
                return CLI_USAGE;
            break;
        case 'd': db = optarg; break;
        case 'k': key_file = optarg; break;
        case 'l': list = 1; break;
        case 'h': return usage(stdout, CLI_OK);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    if (list)
        return list_feeds();
    if (!feed || optind == argc)
        return usage(stderr, CLI_USAGE);
    if (!exchange_feed_find(feed, &err))
        return cli_error(&err);
    if ((rc = cli_open_store(db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(key_file);
    if (registry_load_key(st, &err) < 0)
        rc = cli_error(&err);
    for (int i = optind; rc == CLI_OK && i < argc; i++)
        rc = import_file(st, feed, argv[i], chunk);
    store_close(st);
    registry_unload_key();
    return rc;
}

const struct cli_command exchange_cli_commands[] = {
    {"import", cmd_import, "Import department data files (feeds) into batches",
     "导入部门数据文件"},
    {"link", link_cli_main, "Link or de-duplicate person records in CSV files",
     "人员记录比对关联（CSV 文件）"},
    {NULL, NULL, NULL, NULL},
};
