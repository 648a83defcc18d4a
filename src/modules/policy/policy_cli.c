/*
 * policy_cli.c - `minsheng policy list | get | set`.
 */
#include "modules/policy/policy.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/date.h"
#include "modules/policy/policy_int.h"
#include "store/store.h"
#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng policy list [--at YYYY-MM-DD] [--db URL]\n"
            "       minsheng policy get KEY [--at YYYY-MM-DD] [--db URL]\n"
            "       minsheng policy set KEY VALUE --from YYYY-MM-DD --source TEXT [--note TEXT]\n"
            "                           [--db URL]\n"
            "\n"
            "  Policy parameters (政策参数) are versioned: `set` adds a value taking effect\n"
            "  on a date; values are never edited. Money is in fen (分).\n");
    return code;
}

struct policy_opts {
    const char *db, *at, *from, *source, *note;
};

static int parse(int argc, char **argv, struct policy_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"at", required_argument, NULL, 'a'},
        {"from", required_argument, NULL, 'f'},   {"source", required_argument, NULL, 's'},
        {"note", required_argument, NULL, 'n'},   {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'a': o->at = optarg; break;
        case 'f': o->from = optarg; break;
        case 's': o->source = optarg; break;
        case 'n': o->note = optarg; break;
        case 'h': return usage(stdout, -1);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    return 0;
}

static int check_at(const char *at)
{
    int32_t day;
    struct ms_err err = MS_ERR_INIT;
    if (at && ms_date_parse(at, &day, &err) < 0)
        return cli_error(&err);
    return 0;
}

static int do_list(struct store *st, const struct policy_opts *o)
{
    struct ms_arena a;
    struct policy_item *items;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    if (policy_list(st, o->at, &a, &items, &n, &err) < 0) {
        ms_arena_release(&a);
        return cli_error(&err);
    }
    for (size_t i = 0; i < n; i++) {
        const struct policy_item *it = &items[i];
        printf("%-44s %-10s %-20s %-10s %s\n", it->def.key,
               it->has_value ? it->value.value : "(not set)", it->def.unit,
               it->has_value ? it->value.effective_from : "", it->def.title_zh);
    }
    ms_arena_release(&a);
    return CLI_OK;
}

static int do_get(struct store *st, const char *key, const struct policy_opts *o)
{
    struct ms_arena a;
    struct policy_value v;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    int rc = policy_get(st, key, o->at, &a, &v, &err);
    if (rc == 0)
        printf("%s\t(from %s; %s%s%s)\n", v.value, v.effective_from, v.source,
               *v.note ? "; " : "", v.note);
    ms_arena_release(&a);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int do_set(struct store *st, const char *key, const char *value,
                  const struct policy_opts *o)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    if (!o->from || !o->source) {
        fprintf(stderr, "minsheng: policy set needs --from and --source\n");
        return usage(stderr, CLI_USAGE);
    }
    struct policy_set_in in = {key, value, o->from, o->source, o->note};
    cli_actor(&actor);
    if (policy_set(st, &in, &actor, &err) < 0)
        return cli_error(&err);
    printf("policy %s = %s from %s\n", key, value, o->from);
    return CLI_OK;
}

static int cmd_policy(int argc, char **argv)
{
    struct policy_opts o;
    const char *sub;
    int rc = cli_subcommand(argc, argv, usage, &sub);
    if (rc >= 0)
        return rc;
    rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    size_t want = strcmp(sub, "list") == 0 ? 0 : strcmp(sub, "get") == 0 ? 1
                : strcmp(sub, "set") == 0 ? 2 : 99;
    if (want == 99 || (size_t)npos != want)
        return usage(stderr, CLI_USAGE);
    if ((rc = check_at(o.at)) != 0)
        return rc;

    struct store *st;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    if (want == 0)
        rc = do_list(st, &o);
    else if (want == 1)
        rc = do_get(st, pos[0], &o);
    else
        rc = do_set(st, pos[0], pos[1], &o);
    store_close(st);
    return rc;
}

const struct cli_command policy_cli_commands[] = {
    {"policy", cmd_policy, "List, read and add policy parameters", "政策参数：查看与新增"},
    {NULL, NULL, NULL, NULL},
};
