/*
 * cmd_serve.c - `minsheng serve`: checks the database, starts the audit
 * writer and the HTTP server with every module's routes, and runs until
 * SIGTERM or SIGINT, when in-flight requests are allowed to finish.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/server.h"
#include "modules/accounts/accounts.h"
#include "modules/audit/audit.h"
#include "modules/jobs/jobs.h"
#include "modules/module.h"
#include "store/store.h"
#include "core/banned.h"

#define GRACE_MS 10000
#define CHECKPOINT_MS 500 /* SQLite: background WAL checkpoint period */

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: minsheng serve [--db URL] [--listen HOST:PORT] [--port-file FILE]\n"
            "                      [--threads N] [--max-body BYTES] [--log-level LEVEL]\n"
            "                      [--no-access-log] [--read-only] [--key-file FILE]\n"
            "                      [--web-root DIR] [--no-scheduler] [--scheduler-tick-ms N]\n"
            "\n"
            "  Serves the API on HOST:PORT (default 127.0.0.1:8080; port 0 picks a free\n"
            "  one, written to --port-file). --threads defaults to four per core, each with\n"
            "  its own database connection. --max-body defaults to 1048576. --read-only\n"
            "  refuses changes (for a server on a PostgreSQL replica). SIGTERM or SIGINT\n"
            "  stop it after in-flight requests finish. --key-file is the key for sealed\n"
            "  personal fields (default MINSHENG_KEY_FILE, else <db>.key beside a SQLite\n"
            "  file; created with mode 0600 on first start). --web-root serves the web\n"
            "  console built into DIR (scripts/web.sh build: web/dist) at /; default\n"
            "  MINSHENG_WEB_ROOT, else the API only. The server also runs the enabled\n"
            "  scheduled jobs (`minsheng jobs`) when they come due, checking every\n"
            "  --scheduler-tick-ms (default 30000); --no-scheduler (and --read-only) turn\n"
            "  that off (启动服务).\n");
    return code;
}

struct serve_opts {
    const char *db, *listen, *port_file, *key_file, *web_root;
    unsigned threads;
    size_t max_body;
    int access_log, read_only, no_scheduler, tick_ms;
};

static int parse_listen(const char *text, char *host, size_t host_size, uint16_t *port)
{
    const char *colon = strrchr(text, ':');
    if (!colon || (size_t)(colon - text) >= host_size || colon == text)
        return -1;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 0 || p > 65535)
        return -1;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    *port = (uint16_t)p;
    return 0;
}

static int parse(int argc, char **argv, struct serve_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"listen", required_argument, NULL, 'l'},
        {"port-file", required_argument, NULL, 'p'}, {"threads", required_argument, NULL, 't'},
        {"max-body", required_argument, NULL, 'm'}, {"log-level", required_argument, NULL, 'v'},
        {"no-access-log", no_argument, NULL, 'n'},  {"read-only", no_argument, NULL, 'r'},
        {"key-file", required_argument, NULL, 'k'}, {"web-root", required_argument, NULL, 'w'},
        {"no-scheduler", no_argument, NULL, 'S'}, {"scheduler-tick-ms", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int c;
    long long n;
    enum ms_log_level level;
    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->max_body = 1 << 20;
    o->access_log = 1;
    o->tick_ms = 30000;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'l': o->listen = optarg; break;
        case 'p': o->port_file = optarg; break;
        case 't':
            if (cli_int_option("--threads", optarg, 0, 256, &n) != 0)
                return CLI_USAGE;
            o->threads = (unsigned)n;
            break;
        case 'm':
            if (cli_int_option("--max-body", optarg, 1024, 1LL << 32, &n) != 0)
                return CLI_USAGE;
            o->max_body = (size_t)n;
            break;
        case 'v':
            if (ms_log_parse_level(optarg, &level) < 0)
                return cli_fail(CLI_USAGE, "--log-level is one of debug, info, warn, error, off");
            ms_log_set_level(level);
            break;
        case 'n': o->access_log = 0; break;
        case 'r': o->read_only = 1; break;
        case 'k': o->key_file = optarg; break;
        case 'w': o->web_root = optarg; break;
        case 'S': o->no_scheduler = 1; break;
        case 'T':
            if (cli_int_option("--scheduler-tick-ms", optarg, 10, 3600000, &n) != 0)
                return CLI_USAGE;
            o->tick_ms = (int)n;
            break;
        case 'h': return usage(stdout, -1);
        default: return usage(stderr, CLI_USAGE);
        }
    }
    if (optind != argc)
        return usage(stderr, CLI_USAGE);
    if (!o->web_root) {
        const char *env = getenv("MINSHENG_WEB_ROOT");
        o->web_root = env && *env ? env : NULL;
    }
    return 0;
}

/* Every module's routes, for the server. */
static struct http_route_table *route_tables(size_t *n, http_authenticate_fn **auth,
                                             http_authenticate_fn **auth_resident)
{
    size_t count = 0;
    while (ms_modules[count])
        count++;
    struct http_route_table *t = ms_xcalloc(count ? count : 1, sizeof(*t));
    *n = 0;
    *auth = NULL;
    *auth_resident = NULL;
    for (size_t i = 0; i < count; i++) {
        const struct ms_module *m = ms_modules[i];
        if (m->authenticate)
            *auth = m->authenticate;
        if (m->authenticate_resident)
            *auth_resident = m->authenticate_resident;
        if (!m->routes)
            continue;
        t[*n].module = m->name;
        t[*n].routes = m->routes;
        t[*n].count = ms_module_route_count(m);
        (*n)++;
    }
    return t;
}

/* Checks the schema and the role separation, and lets each module start
 * (e.g. load its keys), so a misconfigured server never listens. */
static int check_database(const struct serve_opts *o)
{
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    int rc = cli_open_store(o->db, 0, &st);
    if (rc)
        return rc;
    struct ms_module_env env = {cli_db_url(o->db), o->key_file};
    rc = accounts_check_separation(st, &err);
    for (size_t i = 0; rc == 0 && ms_modules[i]; i++)
        if (ms_modules[i]->start)
            rc = ms_modules[i]->start(st, &env, &err);
    store_close(st);
    return rc < 0 ? cli_error(&err) : 0;
}

static int write_port_file(const char *path, uint16_t port)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path); /* readers never see a half-written file */
}

int cmd_serve(int argc, char **argv)
{
    struct serve_opts o;
    char host[64];
    uint16_t port;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (parse_listen(o.listen, host, sizeof(host), &port) < 0)
        return cli_fail(CLI_USAGE, "--listen takes HOST:PORT, e.g. 127.0.0.1:8080");
    if ((rc = check_database(&o)) != 0)
        return rc;

    /* Block the stop signals before any thread starts, so every thread
     * inherits the mask and only sigwait() below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct ms_err err = MS_ERR_INIT;
    const char *url = cli_db_url(o.db);
    if (store_checkpointer_start(url, CHECKPOINT_MS, &err) < 0)
        return cli_error(&err);
    if (audit_writer_start(url, STORE_BACKGROUND_CHECKPOINT, &err) < 0) {
        store_checkpointer_stop();
        return cli_error(&err);
    }

    struct http_server_config cfg = {.host = host, .port = port, .threads = o.threads,
                                     .max_body_bytes = o.max_body, .db_url = url,
                                     .store_flags = STORE_BACKGROUND_CHECKPOINT,
                                     .is_read_only = o.read_only, .access_log = o.access_log,
                                     .web_root = o.web_root};
    struct http_route_table *tables = route_tables(&cfg.n_tables, &cfg.authenticate,
                                                  &cfg.authenticate_resident);
    cfg.tables = tables;
    struct http_server *srv;
    if (http_server_start(&cfg, &srv, &err) < 0) {
        free(tables);
        audit_writer_stop();
        store_checkpointer_stop();
        return cli_error(&err);
    }
    ms_log(MS_LOG_INFO, "http.listen", "{s:s,s:i,s:s,s:s}", "host", host, "port",
           (int)http_server_port(srv), "store", store_url_is_postgres(url) ? "postgres" : "sqlite",
           "web_root", o.web_root ? o.web_root : "");
    /* The scheduler starts after the server listens, so a job's failure
     * never keeps the API from coming up; it is logged in its run. */
    int has_scheduler = !o.read_only && !o.no_scheduler;
    if (has_scheduler && jobs_scheduler_start(url, STORE_BACKGROUND_CHECKPOINT, o.tick_ms, &err) < 0) {
        http_server_stop(srv, GRACE_MS);
        free(tables);
        audit_writer_stop();
        store_checkpointer_stop();
        return cli_error(&err);
    }
    if (o.port_file && write_port_file(o.port_file, http_server_port(srv)) < 0)
        ms_log(MS_LOG_ERROR, "http.port_file", "{s:s,s:s}", "path", o.port_file, "error",
               strerror(errno));

    int sig = 0;
    sigwait(&stop, &sig);
    ms_log(MS_LOG_INFO, "http.stopping", "{s:i}", "signal", sig);
    http_server_stop(srv, GRACE_MS);
    jobs_scheduler_stop(); /* waits for a job in progress */
    audit_writer_stop();
    store_checkpointer_stop();
    free(tables);
    ms_log(MS_LOG_INFO, "http.stopped", NULL);
    return CLI_OK;
}
