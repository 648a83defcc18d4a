/*
 * registry_cli.c - `minsheng resident show CODE | search Q`.
 *
 * The actor is the operating-system user ("cli:<user>") and the scope the
 * whole district: whoever runs the binary on the server can read the
 * database and its key anyway. Every read is still audited
 * (audit_record_read()) before anything is printed, and numbers are masked.
 */
#include "modules/registry/registry.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry_int.h"
#include "store/store.h"
#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng resident show CODE [--db URL] [--key-file FILE]\n"
            "       minsheng resident search Q [--page N] [--page-size N] [--db URL]\n"
            "                                  [--key-file FILE]\n"
            "       minsheng resident export --out FILE.xlsx [--q Q] [--town CODE]\n"
            "                [--village CODE] [--age-min N] [--age-max N] [--status S]\n"
            "                [--hukou urban|rural] [--purpose TEXT] [--force] [--db URL]\n"
            "                [--key-file FILE]\n"
            "\n"
            "  show prints one resident by resident code (居民码), ID and phone masked.\n"
            "  search finds residents by name prefix (张三), pinyin (zhangsan) or initials\n"
            "  (zs), resident code, exact ID number or exact phone number (居民查询).\n"
            "  export writes the matches of the same filters to an Excel file, ID and phone\n"
            "  masked (导出，已脱敏), at most registry.export_max_rows rows; it does not\n"
            "  overwrite FILE unless --force.\n"
            "  Every read is written to the audit log first, as the OS user.\n"
            "  --key-file: the key for ID and phone numbers (default MINSHENG_KEY_FILE,\n"
            "  else <db>.key next to a SQLite database; PostgreSQL needs one of these).\n");
    return code;
}

struct resident_opts {
    const char *db, *key_file;
    int page, page_size;
};

static int parse(int argc, char **argv, struct resident_opts *o)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"page", required_argument, NULL, 'p'},
                                         {"page-size", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    o->page = 1;
    o->page_size = 20;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'k': o->key_file = optarg; break;
        case 'p': o->page = atoi(optarg); break;
        case 's': o->page_size = atoi(optarg); break;
        case 'h': return usage(stdout, -1);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    return 0;
}

static void print_resident(const struct registry_resident *r)
{
    char display[MS_RESCODE_DISPLAY_LEN + 1];
    ms_rescode_format(r->code, display);
    printf("居民码 code        %s\n", display);
    printf("姓名 name          %s (%s)\n", r->name, r->name_pinyin);
    printf("性别 sex           %s\n", r->sex);
    printf("出生日期 birth     %s (%d)\n", r->birth_date, r->age);
    printf("身份证号 ID        %s\n", r->id_number_masked);
    printf("电话 phone         %s\n", *r->phone_masked ? r->phone_masked : "-");
    printf("民族 ethnicity     %s\n", *r->ethnicity ? r->ethnicity : "-");
    printf("户口 hukou         %s %s %s\n", r->hukou_type, r->hukou.region_code, r->hukou.detail);
    printf("居住地 residence   %s %s\n", r->residence.region_code, r->residence.detail);
    if (r->household_id)
        printf("户 household       %s (%s)\n", r->household_number, r->relation);
    printf("状态 status        %s %s\n", r->status, r->status_date);
    printf("版本 version       %lld\n", (long long)r->version);
}

static int do_show(struct store *st, const char *code)
{
    struct ms_arena a;
    struct registry_resident r;
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    cli_actor(&actor);
    ms_arena_init(&a, 0);
    int rc = registry_resident_get(st, "", code, &a, &r, &read, &err);
    if (rc == 0)
        rc = audit_record_read(st, &actor, &read, &err);
    if (rc == 0)
        print_resident(&r);
    ms_arena_release(&a);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int do_search(struct store *st, const char *q, const struct resident_opts *o)
{
    struct ms_arena a;
    struct registry_page p;
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    struct registry_query query = {.q = q, .age_min = -1, .age_max = -1, .page = o->page,
                                   .page_size = o->page_size};
    cli_actor(&actor);
    ms_arena_init(&a, 0);
    int rc = registry_resident_search(st, "", &query, &a, &p, &read, &err);
    if (rc == 0)
        rc = audit_record_read(st, &actor, &read, &err);
    if (rc == 0) {
        printf("%-15s %-12s %-3s %-10s %-18s %-12s %s\n", "CODE", "NAME", "SEX", "BIRTH",
               "ID NUMBER", "REGION", "STATUS");
        for (size_t i = 0; i < p.n; i++) {
            const struct registry_resident *r = &p.items[i];
            char display[MS_RESCODE_DISPLAY_LEN + 1];
            ms_rescode_format(r->code, display);
            printf("%-15s %-12s %-3s %-10s %-18s %-12s %s\n", display, r->name, r->sex,
                   r->birth_date, r->id_number_masked, r->residence.region_code, r->status);
        }
        printf("%zu of %lld (page %d, matched by %s)\n", p.n, (long long)p.total, query.page,
               p.matched_by);
    }
    ms_arena_release(&a);
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

struct export_opts {
    const char *db, *key_file, *out, *purpose;
    struct registry_query query;
    int is_force;
};

static int age_arg(const char *text, int *out)
{
    long long v;
    if (cli_int_option("an age", text, 0, 150, &v) != 0)
        return CLI_USAGE;
    *out = (int)v;
    return 0;
}

static int parse_export(int argc, char **argv, struct export_opts *o)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"q", required_argument, NULL, 'q'},
                                         {"town", required_argument, NULL, 't'},
                                         {"village", required_argument, NULL, 'v'},
                                         {"age-min", required_argument, NULL, 'a'},
                                         {"age-max", required_argument, NULL, 'A'},
                                         {"status", required_argument, NULL, 's'},
                                         {"hukou", required_argument, NULL, 'u'},
                                         {"purpose", required_argument, NULL, 'p'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    o->query = (struct registry_query){.age_min = -1, .age_max = -1, .page = 1, .page_size = 1};
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'k': o->key_file = optarg; break;
        case 'o': o->out = optarg; break;
        case 'q': o->query.q = optarg; break;
        case 't': o->query.town = optarg; break;
        case 'v': o->query.village = optarg; break;
        case 'a': if (age_arg(optarg, &o->query.age_min)) return CLI_USAGE; break;
        case 'A': if (age_arg(optarg, &o->query.age_max)) return CLI_USAGE; break;
        case 's': o->query.status = optarg; break;
        case 'u': o->query.hukou_type = optarg; break;
        case 'p': o->purpose = optarg; break;
        case 'f': o->is_force = 1; break;
        case 'h': return usage(stdout, -1);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc || !o->out || !*o->out)
        return usage(stderr, CLI_USAGE);
    return 0;
}

/* Writes the file: never over an existing one without --force (O_EXCL also
 * closes the gap between the early check and now), mode 0600, and removed
 * again if it cannot be written whole. */
static int write_file(const char *path, const char *data, size_t len, int is_force)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (is_force ? O_TRUNC : O_EXCL), 0600);
    if (fd < 0)
        return cli_fail(CLI_FAIL, "cannot create '%s': %s%s", path, strerror(errno),
                        errno == EEXIST ? " (use --force to overwrite it)" : "");
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    int is_ok = done == len;
    int saved = errno;
    if (close(fd) != 0)
        is_ok = 0;
    if (is_ok)
        return 0;
    unlink(path);
    return cli_fail(CLI_FAIL, "cannot write '%s': %s", path, strerror(saved));
}

static int do_export(struct store *st, const struct export_opts *o)
{
    struct ms_arena a;
    struct registry_export x;
    struct audit_entry read;
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    if (!o->is_force && access(o->out, F_OK) == 0)
        return cli_fail(CLI_FAIL, "'%s' exists already (use --force to overwrite it)", o->out);
    cli_actor(&actor);
    ms_arena_init(&a, 0);
    int rc = registry_resident_export(st, "", &o->query, o->purpose, &actor, &a, &x, &read, &err);
    if (rc == 0 && (rc = audit_record_read(st, &actor, &read, &err)) < 0)
        free(x.xlsx);
    if (rc < 0) {
        ms_arena_release(&a);
        return cli_error(&err);
    }
    int code = write_file(o->out, x.xlsx, x.xlsx_len, o->is_force);
    if (code == 0)
        printf("%lld residents written to %s\n", (long long)x.rows, o->out);
    free(x.xlsx);
    ms_arena_release(&a);
    return code ? code : CLI_OK;
}

static int cmd_resident_export(int argc, char **argv)
{
    struct export_opts o;
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    int rc = parse_export(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(o.key_file);
    rc = registry_load_key(st, &err) < 0 ? cli_error(&err) : do_export(st, &o);
    store_close(st);
    registry_unload_key();
    return rc;
}

static int cmd_resident(int argc, char **argv)
{
    struct resident_opts o;
    const char *sub;
    int rc = cli_subcommand(argc, argv, usage, &sub);
    if (rc >= 0)
        return rc;
    if (strcmp(sub, "export") == 0)
        return cmd_resident_export(argc - 1, argv + 1);
    rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    int is_show = strcmp(sub, "show") == 0, is_search = strcmp(sub, "search") == 0;
    if ((!is_show && !is_search) || npos != 1)
        return usage(stderr, CLI_USAGE);

    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    registry_set_key_file(o.key_file);
    if (registry_load_key(st, &err) < 0)
        rc = cli_error(&err);
    else
        rc = is_show ? do_show(st, pos[0]) : do_search(st, pos[0], &o);
    store_close(st);
    registry_unload_key();
    return rc;
}

const struct cli_command registry_cli_commands[] = {
    {"resident", cmd_resident, "Show, search or export residents (audited)", "居民档案查询"},
    {NULL, NULL, NULL, NULL},
};
