/*
 * cmd_db.c - `minsheng db digest`: one hash over every row of every table,
 * so tests (and operators after a restore) can tell whether a database
 * changed. Rows are hashed one by one and the hashes added up, so the digest
 * does not depend on the order rows come back in.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/str.h"
#include "store/catalog.h"
#include "store/store.h"
#include "core/banned.h"

#define MAX_EXCLUDE 32

static int is_excluded(const char *name, const char *const *ex, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, ex[i]) == 0)
            return 1;
    return 0;
}

/* Adds the table's rows into sum (4 little 64-bit lanes). */
static int digest_table(struct store *st, const char *table, uint64_t sum[4], struct ms_err *err)
{
    char sql[200];
    struct store_stmt *s;
    int rc;
    /* The name comes from the catalog, never from input. */
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    struct ms_str row = MS_STR_INIT;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        ms_str_reset(&row);
        ms_str_adds(&row, table);
        for (int c = 0; c < store_col_count(s); c++) {
            if (store_col_is_null(s, c)) {
                ms_str_adds(&row, "|N");
                continue;
            }
            const char *v = store_col_text(s, c);
            ms_str_addf(&row, "|%zu:", strlen(v));
            ms_str_adds(&row, v);
        }
        uint64_t h[4];
        crypto_generichash((unsigned char *)h, sizeof(h), (const unsigned char *)row.buf,
                           row.len, NULL, 0);
        for (int i = 0; i < 4; i++)
            sum[i] += h[i];
    }
    ms_str_release(&row);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int cmd_db(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"exclude", required_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *exclude[MAX_EXCLUDE];
    int n_exclude = 0, c;

    if (argc < 2 || strcmp(argv[1], "digest") != 0) {
        int is_help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
        fprintf(is_help ? stdout : stderr,
                "usage: minsheng db digest [--exclude TABLE]... [--db URL]\n\n"
                "  Prints one hash over all rows of all tables (but the excluded), to tell\n"
                "  whether a database changed (数据库内容摘要).\n");
        return is_help ? CLI_OK : CLI_USAGE;
    }
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'x' && n_exclude < MAX_EXCLUDE)
            exclude[n_exclude++] = optarg;
        else
            return cli_fail(CLI_USAGE, "usage: minsheng db digest [--exclude TABLE]... [--db URL]");
    }

    struct store *st;
    int rc = cli_open_store(db, 0, &st);
    if (rc)
        return rc;
    struct ms_arena a;
    struct ms_err err = MS_ERR_INIT;
    const char **tables;
    size_t n;
    uint64_t sum[4] = {0, 0, 0, 0};
    ms_arena_init(&a, 0);
    rc = store_tables(st, &a, &tables, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!is_excluded(tables[i], exclude, n_exclude))
            rc = digest_table(st, tables[i], sum, &err);
    ms_arena_release(&a);
    store_close(st);
    if (rc < 0)
        return cli_error(&err);
    printf("%016llx%016llx%016llx%016llx\n", (unsigned long long)sum[0],
           (unsigned long long)sum[1], (unsigned long long)sum[2], (unsigned long long)sum[3]);
    return CLI_OK;
}
