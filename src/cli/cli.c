/*
 * cli.c - helpers every command uses: error printing, opening the database
 * with its schema checked, the CLI's audit actor, reading a secret.
 */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "modules/module.h"
#include "store/migrate.h"
#include "store/store.h"
#include "core/banned.h"

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("minsheng: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

int cli_error(const struct ms_err *err)
{
    int code = err->code == MS_EUSAGE ? CLI_USAGE
               : err->code == MS_EINTEGRITY ? CLI_INTEGRITY : CLI_FAIL;
    fprintf(stderr, "minsheng: %s", err->message[0] ? err->message : ms_err_default_en(err->code));
    if (err->field[0])
        fprintf(stderr, " (field: %s)", err->field);
    fputc('\n', stderr);
    if (err->message_zh[0])
        fprintf(stderr, "minsheng: %s\n", err->message_zh);
    return code;
}

const char *cli_db_url(const char *option)
{
    if (option && *option)
        return option;
    const char *env = getenv("MINSHENG_DB");
    return env && *env ? env : NULL;
}

int cli_open_store(const char *option_url, int is_migrate, struct store **out)
{
    const char *url = cli_db_url(option_url);
    struct ms_err err = MS_ERR_INIT;
    struct store *st;
    size_t pending;

    if (!url)
        return cli_fail(CLI_USAGE, "no database: pass --db PATH (or postgresql://...) or set "
                                   "MINSHENG_DB");
    if (!is_migrate && !store_url_is_postgres(url) && access(url, F_OK) != 0)
        return cli_fail(CLI_FAIL,
                        "database '%s' does not exist; create it with 'minsheng migrate --db %s'",
                        url, url);
    if (store_open(url, is_migrate ? STORE_CREATE : 0, &st, &err) < 0)
        return cli_error(&err);
    if (!is_migrate) {
        if (store_migrate_check(st, ms_modules_migrations(), &pending, &err) < 0) {
            store_close(st);
            return cli_error(&err);
        }
        if (pending) {
            store_close(st);
            return cli_fail(CLI_FAIL,
                            "database schema is %zu migration(s) behind this binary; run "
                            "'minsheng migrate' first",
                            pending);
        }
    }
    *out = st;
    return 0;
}

void cli_actor(struct ms_actor *out)
{
    static char name[80];
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
        snprintf(name, sizeof(name), "cli:%s", res->pw_name);
    else
        snprintf(name, sizeof(name), "cli:uid%u", (unsigned)getuid());
    out->user_id = 0;
    out->username = name;
    out->role = "";
    out->ip = "";
    out->request_id = "";
}

int cli_subcommand(int argc, char **argv, cli_usage_fn *usage, const char **sub)
{
    if (argc < 2)
        return usage(stderr, CLI_USAGE);
    *sub = argv[1];
    if (strcmp(*sub, "--help") == 0 || strcmp(*sub, "-h") == 0 || strcmp(*sub, "help") == 0)
        return usage(stdout, CLI_OK);
    return -1;
}

int cli_int_option(const char *what, const char *text, long long min, long long max,
                   long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno == ERANGE || v < min || v > max)
        return cli_fail(CLI_USAGE, "%s takes a whole number from %lld to %lld, not '%.40s'", what,
                        min, max, text);
    *out = v;
    return 0;
}

int cli_read_secret(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        return -1;
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return n ? 0 : -1;
}

void cli_bar_start(struct cli_bar *b, const char *unit)
{
    b->start_ms = ms_clock_mono_ms();
    b->last_ms = 0;
    b->enabled = isatty(STDERR_FILENO);
    b->shown = 0;
    b->unit = unit;
}

void cli_bar_draw(struct cli_bar *b, long long done, long long total)
{
    enum { WIDTH = 30 };
    double now = ms_clock_mono_ms(), secs;
    char bar[WIDTH + 1];
    int filled;
    if (!b->enabled || (done < total && now - b->last_ms < 200))
        return;
    b->last_ms = now;
    b->shown = 1;
    filled = total > 0 ? (int)((double)done * WIDTH / (double)total) : WIDTH;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    secs = (now - b->start_ms) / 1000.0;
    fprintf(stderr, "\r[%s] %3d%% %lld/%lld %s  %.0f/s  %.1fs ", bar,
            total > 0 ? (int)(100.0 * (double)done / (double)total) : 100, done, total, b->unit,
            secs > 0 ? (double)done / secs : 0.0, secs);
    fflush(stderr);
}

void cli_bar_end(struct cli_bar *b)
{
    if (b->shown)
        fputc('\n', stderr);
    b->shown = 0;
}

int cli_is_tty(void)
{
    return isatty(STDOUT_FILENO);
}
