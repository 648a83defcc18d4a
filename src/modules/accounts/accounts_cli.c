/*
 * accounts_cli.c - `minsheng user add | list | passwd | disable`.
 *
 * Without --password-stdin, add and passwd generate a strong password and
 * print it once; the user must change it at first login.
 */
#include "modules/accounts/accounts.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "modules/accounts/accounts_int.h"
#include "store/store.h"
#include "core/banned.h"

#define PASSWORD_BUF 260

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng user add NAME --role ROLE [--scope REGION_PREFIX]\n"
            "                         [--display-name TEXT] [--password-stdin] [--db URL]\n"
            "       minsheng user list [--db URL]\n"
            "       minsheng user passwd NAME [--password-stdin] [--db URL]\n"
            "       minsheng user disable NAME [--db URL]\n"
            "\n"
            "  Roles: admin (系统管理员), security_admin (安全管理员), auditor (安全审计员),\n"
            "  and those the modules add. --scope limits the user to residents whose region\n"
            "  code starts with the prefix (e.g. 500110101 for one town).\n"
            "  Without --password-stdin a strong password is generated and printed once.\n"
            "  disable revokes the user's sessions at once.\n");
    return code;
}

struct user_opts {
    const char *db, *role, *scope, *display_name;
    int password_stdin;
};

static int parse(int argc, char **argv, struct user_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, 'r'},
        {"scope", required_argument, NULL, 's'},
        {"display-name", required_argument, NULL, 'n'},
        {"password-stdin", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof(*o));
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'r': o->role = optarg; break;
        case 's': o->scope = optarg; break;
        case 'n': o->display_name = optarg; break;
        case 'p': o->password_stdin = 1; break;
        case 'h': return usage(stdout, -1);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    return 0;
}

/* A password from stdin, or a generated one (printed by the caller). */
static int get_password(const struct user_opts *o, char *buf, int *generated)
{
    *generated = 0;
    if (o->password_stdin) {
        if (cli_read_secret(buf, PASSWORD_BUF) < 0)
            return cli_fail(CLI_USAGE, "no password on standard input");
        return 0;
    }
    /* 18 characters from a 54-symbol alphabet without look-alikes (about 103
     * bits), with a digit and a letter guaranteed. */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (;;) {
        int has_digit = 0, has_letter = 0;
        for (int i = 0; i < 18; i++) {
            char ch = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
            buf[i] = ch;
            has_digit |= ch >= '0' && ch <= '9';
            has_letter |= !(ch >= '0' && ch <= '9');
        }
        buf[18] = '\0';
        if (has_digit && has_letter)
            break;
    }
    *generated = 1;
    return 0;
}

static int do_add(struct store *st, const char *name, const struct user_opts *o)
{
    char password[PASSWORD_BUF];
    int generated, rc;
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    if (!o->role)
        return cli_fail(CLI_USAGE, "user add needs --role (admin, security_admin, auditor, ...)");
    if ((rc = get_password(o, password, &generated)) != 0)
        return rc;
    struct accounts_user_new in = {name, o->display_name, o->role, o->scope, password, generated};
    cli_actor(&actor);
    rc = accounts_user_add(st, &in, &actor, NULL, &err);
    if (rc == 0 && generated)
        printf("user %s added (role %s). One-time password, shown once: %s\n", name, o->role,
               password);
    else if (rc == 0)
        printf("user %s added (role %s)\n", name, o->role);
    sodium_memzero(password, sizeof(password));
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int do_list(struct store *st)
{
    struct ms_arena a;
    struct accounts_user *users;
    size_t n;
    struct ms_err err = MS_ERR_INIT;
    ms_arena_init(&a, 0);
    if (accounts_user_list(st, &a, &users, &n, &err) < 0) {
        ms_arena_release(&a);
        return cli_error(&err);
    }
    printf("%-20s %-18s %-13s %-9s %s\n", "USERNAME", "ROLE", "SCOPE", "STATUS", "LAST LOGIN");
    for (size_t i = 0; i < n; i++) {
        const struct accounts_user *u = &users[i];
        printf("%-20s %-18s %-13s %-9s %s\n", u->username, u->role, *u->scope ? u->scope : "*",
               u->is_disabled ? "disabled" : u->is_locked ? "locked" : "active",
               *u->last_login_at ? u->last_login_at : "-");
    }
    ms_arena_release(&a);
    return CLI_OK;
}

static int do_passwd(struct store *st, const char *name, const struct user_opts *o)
{
    char password[PASSWORD_BUF];
    int generated, rc;
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    if ((rc = get_password(o, password, &generated)) != 0)
        return rc;
    cli_actor(&actor);
    rc = accounts_user_set_password(st, name, password, &actor, &err);
    if (rc == 0)
        printf("password of %s changed; their sessions are revoked%s%s\n", name,
               generated ? ". One-time password, shown once: " : "", generated ? password : "");
    sodium_memzero(password, sizeof(password));
    return rc < 0 ? cli_error(&err) : CLI_OK;
}

static int do_disable(struct store *st, const char *name)
{
    struct ms_err err = MS_ERR_INIT;
    struct ms_actor actor;
    cli_actor(&actor);
    if (accounts_user_disable(st, name, &actor, &err) < 0)
        return cli_error(&err);
    printf("user %s disabled; their sessions are revoked\n", name);
    return CLI_OK;
}

static int cmd_user(int argc, char **argv)
{
    struct user_opts o;
    const char *sub;
    int rc = cli_subcommand(argc, argv, usage, &sub);
    if (rc >= 0)
        return rc;
    rc = parse(argc - 1, argv + 1, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char **pos = argv + 1 + optind;
    int npos = argc - 1 - optind;
    int is_list = strcmp(sub, "list") == 0;
    int is_named = strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0 ||
                   strcmp(sub, "disable") == 0;
    if ((!is_list && !is_named) || npos != (is_list ? 0 : 1))
        return usage(stderr, CLI_USAGE);

    struct store *st;
    if ((rc = cli_open_store(o.db, 0, &st)) != 0)
        return rc;
    if (is_list)
        rc = do_list(st);
    else if (strcmp(sub, "add") == 0)
        rc = do_add(st, pos[0], &o);
    else if (strcmp(sub, "passwd") == 0)
        rc = do_passwd(st, pos[0], &o);
    else
        rc = do_disable(st, pos[0]);
    store_close(st);
    return rc;
}

const struct cli_command accounts_cli_commands[] = {
    {"user", cmd_user, "Add, list, disable users; set passwords", "用户管理"},
    {NULL, NULL, NULL, NULL},
};
