/*
 * placenames_cli.c - `minsheng places import | search | show | tree | geojson`.
 */
#include "modules/placenames/placenames.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "modules/placenames/placenames_int.h"
#include "store/store.h"

static int usage(FILE *f, int code)
{
    fprintf(f, "usage: minsheng places import --file FILE.csv [--db URL]\n"
               "       minsheng places search QUERY [--kind KIND] [--under PREFIX] [--limit N]\n"
               "                                    [--db URL]\n"
               "       minsheng places show ID|REGION_CODE [--db URL]\n"
               "       minsheng places tree [REGION_PREFIX] [--db URL]\n"
               "       minsheng places geojson [--kind KIND] [--under PREFIX] [--db URL]\n"
               "\n"
               "  Standard place names (标准地名). QUERY is part of a name in hanzi, a pinyin\n"
               "  or initials prefix (wansheng, wdz) or a region-code prefix (500110101).\n"
               "  KIND: district town street village community road building landmark.\n"
               "  import reads UTF-8 CSV with a header row (docs/placenames.md); the whole\n"
               "  file is one transaction, and importing it again changes nothing.\n");
    return code;
}

struct places_opts {
    const char *db, *file, *kind, *under;
    int limit;
};

static int parse(int argc, char **argv, struct places_opts *o)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"file", required_argument, NULL, 'f'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"under", required_argument, NULL, 'u'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    long long n;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'f':
            o->file = optarg;
            break;
        case 'k':
            o->kind = optarg;
            break;
        case 'u':
            o->under = optarg;
            break;
        case 'l':
            if (cli_int_option("--limit", optarg, 1, PLACENAMES_SEARCH_MAX, &n) != 0)
                return CLI_USAGE;
            o->limit = (int)n;
            break;
        case 'h':
            return usage(stdout, -1);
        default:
            return usage(stderr, CLI_USAGE);
        }
    }
    return 0;
}

static void print_place_line(const struct place *p, int depth)
{
    const char *label = p->kind;
    placenames_kind_ok(p->kind, &label);
    printf("%*s%s [%s] %s #%lld%s\n", depth * 2, "", p->name, label,
           *p->region_code ? p->region_code : "-", (long long)p->id,
           p->is_synthetic ? " (synthetic)" : "");
}

static int do_import(struct store *st, const struct places_opts *o)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct placenames_import_stats stats;
    if (!o->file)
        return cli_fail(CLI_USAGE, "places import needs --file FILE.csv");
    FILE *f = fopen(o->file, "rb");
    if (!f)
        return cli_fail(CLI_FAIL, "cannot open '%s'", o->file);
    cli_actor(&actor);
    int rc = placenames_import_csv(st, f, o->file, &actor, &stats, &err);
    fclose(f);
    if (rc < 0)
        return cli_error(&err);
    printf("%s: %zu rows read, %zu added, %zu updated, %zu unchanged\n", o->file, stats.rows,
           stats.added, stats.updated, stats.unchanged);
    return CLI_OK;
}

static int do_search(struct store *st, const char *q, const struct places_opts *o)
{
    struct ms_arena a;
    struct ms_err err = MS_ERR_INIT;
    struct placenames_query query = {q, o->kind, o->under, o->limit};
    struct place *v;
    size_t n;
    ms_arena_init(&a, 0);
    int rc = placenames_search(st, &query, &a, &v, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        print_place_line(&v[i], 0);
    if (rc == 0 && n == 0)
        fprintf(stderr, "minsheng: no place matches '%s'\n", q);
    ms_arena_release(&a);
    return rc < 0 ? cli_error(&err) : n ? CLI_OK : CLI_FAIL;
}

static void print_details(const struct place *p, const struct place *up, size_t n_up,
                          const struct place *down, size_t n_down)
{
    char lng[32], lat[32];
    const char *label = p->kind;
    placenames_kind_ok(p->kind, &label);
    printf("id            %lld\nname          %s\nkind          %s (%s)\n", (long long)p->id,
           p->name, p->kind, label);
    printf("region code   %s\nscope code    %s\n", *p->region_code ? p->region_code : "-",
           *p->scope_code ? p->scope_code : "-");
    printf("pinyin        %s (%s)\naliases       %s\n", p->pinyin, p->pinyin_initials,
           *p->aliases ? p->aliases : "-");
    if (p->has_coords) {
        placenames__format_degrees(p->lng_microdeg, lng);
        placenames__format_degrees(p->lat_microdeg, lat);
        printf("coordinates   %s, %s\n", lng, lat);
    }
    printf("outline       %s\nsynthetic     %s\n", *p->outline ? "yes" : "no",
           p->is_synthetic ? "yes" : "no");
    printf("path          ");
    for (size_t i = 0; i < n_up; i++)
        printf("%s > ", up[i].name);
    printf("%s\nchildren      %zu\n", p->name, n_down);
    for (size_t i = 0; i < n_down; i++)
        print_place_line(&down[i], 1);
}

static int do_show(struct store *st, const char *ref)
{
    struct ms_arena a;
    struct ms_err err = MS_ERR_INIT;
    struct place p, *up, *down;
    size_t n_up, n_down;
    ms_arena_init(&a, 0);
    int rc = placenames_get_by_ref(st, ref, &a, &p, &err);
    if (rc == 0)
        rc = placenames_ancestors(st, &p, &a, &up, &n_up, &err);
    if (rc == 0)
        rc = placenames_children(st, p.id, &a, &down, &n_down, &err);
    if (rc == 0)
        print_details(&p, up, n_up, down, n_down);
    ms_arena_release(&a);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int do_tree(struct store *st, const char *under)
{
    struct ms_arena a;
    struct ms_err err = MS_ERR_INIT;
    struct place *v;
    int *depths;
    size_t n;
    ms_arena_init(&a, 0);
    int rc = placenames_tree(st, under, &a, &v, &depths, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        print_place_line(&v[i], depths[i]);
    ms_arena_release(&a);
    if (rc < 0)
        return cli_error(&err);
    if (n == 0)
        return cli_fail(CLI_FAIL, "no places%s%s", under ? " under " : "", under ? under : "");
    return CLI_OK;
}

static int do_geojson(struct store *st, const struct places_opts *o)
{
    struct ms_str out = MS_STR_INIT;
    struct ms_err err = MS_ERR_INIT;
    int rc = placenames_geojson(st, o->kind, o->under, &out, &err);
    if (rc == 0)
        printf("%s\n", out.buf);
    ms_str_release(&out);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int cmd_places(int argc, char **argv)
{
    struct places_opts o;
    static const struct {
        const char *name;
        int min_args, max_args;
    } subs[] = {
        {"import", 0, 0}, {"search", 1, 1}, {"show", 1, 1}, {"tree", 0, 1}, {"geojson", 0, 0}};
    const char *sub;
    int rc = cli_subcommand(argc, argv, usage, &sub);
    if (rc >= 0)
        return rc;
    rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    size_t which = sizeof(subs) / sizeof(subs[0]);
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(sub, subs[i].name) == 0)
            which = i;
    if (which == sizeof(subs) / sizeof(subs[0])) {
        fprintf(stderr, "minsheng: unknown places command '%s'\n", sub);
        return usage(stderr, CLI_USAGE);
    }
    if (npos < subs[which].min_args || npos > subs[which].max_args)
        return usage(stderr, CLI_USAGE);

    struct store *st;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    switch (which) {
    case 0:
        rc = do_import(st, &o);
        break;
    case 1:
        rc = do_search(st, pos[0], &o);
        break;
    case 2:
        rc = do_show(st, pos[0]);
        break;
    case 3:
        rc = do_tree(st, npos ? pos[0] : NULL);
        break;
    default:
        rc = do_geojson(st, &o);
        break;
    }
    store_close(st);
    return rc;
}

const struct cli_command placenames_cli_commands[] = {
    {"places", cmd_places, "Standard place names: import, search, show, tree",
     "标准地名：导入、查询、查看、树形列表"},
    {NULL, NULL, NULL, NULL},
};
