/*
 * e2e_runner.c - runs the end-to-end cases in tests/e2e/cases against the
 * real `minsheng` binary.
 *
 * The shape is h2o's spawn_h2o plus Redis's start_server: a temporary
 * folder, a fresh database (a SQLite file there, or a database `e2e_<pid>`
 * created on PostgreSQL through --pg-dsn-file and dropped at the end),
 * `minsheng migrate`, the users of --users created with random passwords,
 * `minsheng serve` on an ephemeral loopback port, one session per user. Then
 * every `*.case` file runs in name order. A case is data, in the manner of
 * curl's tests/data and jq's jq.test; tests/e2e/README.md describes the
 * format. After the cases the server gets SIGTERM and must exit 0 within
 * 10 s, and `minsheng audit verify` must pass on what the run left behind:
 * both are counted as tests.
 *
 * Output is TAP-like: `ok N - file: description` or `not ok N - ...` with
 * the reason on `#` lines, and last a line `N passed, M failed`. The exit
 * status is 1 if anything failed.
 */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/str.h"
#include "core/xalloc.h"

#include "core/banned.h" /* last */

#define SNIP_BYTES       500         /* response body shown on a failure */
#define LOG_TAIL_LINES   30          /* server log lines shown on a failure */
#define PROC_TIMEOUT_MS  60000       /* any CLI command */
#define HTTP_TIMEOUT_MS  30000       /* any request */
#define PORT_WAIT_MS     20000       /* serve writing its port file */
#define HEALTH_WAIT_MS   10000       /* /healthz answering 200 */
#define STOP_WAIT_MS     10000       /* SIGTERM to exit */
#define MAX_BODY_BYTES   (64u << 20) /* a case's request body */
#define MAX_OUTPUT_BYTES (16u << 20) /* a response or a command's output */
#define PASSWORD_CHARS   24

/* ---- the run ------------------------------------------------------------- */

struct user {
    char *name, *role, *scope;
    char password[PASSWORD_CHARS + 1];
    char *token; /* NULL if the login at start-up failed */
};

struct runner {
    const char *minsheng, *cases_dir, *users_file, *pg_dsn_file, *filter;
    int keep;

    char tmpdir[256];
    char *db_url;   /* what --db gets */
    char *pg_admin; /* the DSN from --pg-dsn-file, NULL on SQLite */
    char pg_db[64]; /* "e2e_<pid>" once created */
    char log_path[300];
    char port_path[300];
    pid_t server_pid; /* 0 when not running */
    char base_url[64];

    struct user *users;
    size_t n_users;
    CURL *curl;

    int n_run, n_failed;
};

static void die_usage(void)
{
    fprintf(stderr, "usage: e2e_runner --minsheng BIN --cases DIR [--users FILE]\n"
                    "                  [--pg-dsn-file FILE] [--filter SUBSTR] [--keep]\n");
    exit(2);
}

static void parse_args(int argc, char **argv, struct runner *r)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--keep") == 0) {
            r->keep = 1;
            continue;
        }
        if (strcmp(a, "--minsheng") == 0)
            slot = &r->minsheng;
        else if (strcmp(a, "--cases") == 0)
            slot = &r->cases_dir;
        else if (strcmp(a, "--users") == 0)
            slot = &r->users_file;
        else if (strcmp(a, "--pg-dsn-file") == 0)
            slot = &r->pg_dsn_file;
        else if (strcmp(a, "--filter") == 0)
            slot = &r->filter;
        if (!slot || i + 1 == argc)
            die_usage();
        *slot = argv[++i];
    }
    if (!r->minsheng || !r->cases_dir)
        die_usage();
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* The file's contents (caller frees), or only its last `tail` bytes if
 * tail is not 0; NULL if it cannot be read. */
static char *read_file(const char *path, size_t limit, long tail)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (tail && fseek(f, -tail, SEEK_END) != 0)
        rewind(f); /* shorter than tail */
    struct ms_str s;
    char buf[4096];
    size_t n;
    ms_str_init(&s, limit);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        ms_str_add(&s, buf, n);
    fclose(f);
    return ms_str_detach(&s, NULL);
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* Prints the text as `#`-prefixed diagnostic lines. */
static void print_diag(const char *label, const char *text, size_t len)
{
    printf("#   %s", label);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n')
            printf("\n#     ");
        else if (c < 0x20 && c != '\t')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
}

static void print_log_tail(const struct runner *r)
{
    char *text = read_file(r->log_path, MAX_OUTPUT_BYTES, 64 * 1024);
    if (!text)
        return;
    trim_end(text);
    size_t len = strlen(text), start = len;
    int lines = 0;
    while (start > 0 && !(text[start - 1] == '\n' && ++lines == LOG_TAIL_LINES))
        start--;
    printf("#   --- last lines of the server log (%s) ---\n", r->log_path);
    print_diag("", text + start, len - start);
    free(text);
}

/* ---- processes ----------------------------------------------------------- */

struct proc_result {
    int status; /* exit status, 128+signal, or -1 if it could not run or timed out */
    struct ms_str out, err;
};

static void proc_result_release(struct proc_result *p)
{
    ms_str_release(&p->out);
    ms_str_release(&p->err);
}

static void drain(int *fd, struct ms_str *to)
{
    char buf[8192];
    ssize_t n = read(*fd, buf, sizeof(buf));
    if (n > 0) {
        ms_str_add(to, buf, (size_t)n);
    } else if (n == 0 || errno != EINTR) {
        close(*fd);
        *fd = -1;
    }
}

/* Collects the child's stdout and stderr until both close or the deadline
 * passes; then kills it if it is still there, and reaps it. */
static int collect(pid_t pid, int out_fd, int err_fd, int timeout_ms, struct proc_result *p)
{
    double deadline = now_ms() + timeout_ms;
    int fds[2] = {out_fd, err_fd}, is_timeout = 0, st;
    while (fds[0] >= 0 || fds[1] >= 0) {
        struct pollfd pf[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
        int left = (int)(deadline - now_ms());
        if (left <= 0) {
            is_timeout = 1;
            break;
        }
        if (poll(pf, 2, left) < 0 && errno != EINTR)
            break;
        if (fds[0] >= 0 && pf[0].revents)
            drain(&fds[0], &p->out);
        if (fds[1] >= 0 && pf[1].revents)
            drain(&fds[1], &p->err);
    }
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (is_timeout)
        kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (is_timeout)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs argv[0] with `input` on stdin; output is collected into p. */
static int run_proc(char *const argv[], const char *input, int timeout_ms, struct proc_result *p)
{
    int in[2], out[2], err[2];
    ms_str_init(&p->out, MAX_OUTPUT_BYTES);
    ms_str_init(&p->err, MAX_OUTPUT_BYTES);
    p->status = -1;
    if (pipe2(in, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        return -1;
    }
    /* Inputs are a password line: far below a pipe's buffer. */
    if (input && write(in[1], input, strlen(input)) < 0)
        ms_str_adds(&p->err, "(could not write stdin)\n");
    close(in[1]);
    p->status = collect(pid, out[0], err[0], timeout_ms, p);
    return p->status;
}

/* Describes a failed command into why: its status and stderr. */
static void describe_proc(struct ms_str *why, const char *what, const struct proc_result *p)
{
    if (p->status == -1)
        ms_str_addf(why, "%s: did not run or timed out", what);
    else
        ms_str_addf(why, "%s: exit status %d", what, p->status);
    if (p->err.len)
        ms_str_addf(why, "; stderr: %.500s", p->err.buf);
}

/* ---- the database --------------------------------------------------------- */

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "database ... does not exist, skipping" is expected */
}

static int pg_exec(const char *dsn, const char *sql, struct ms_str *why)
{
    PGconn *conn = PQconnectdb(dsn);
    int rc = 0;
    if (PQstatus(conn) != CONNECTION_OK) {
        ms_str_addf(why, "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return -1;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        ms_str_addf(why, "%s: %s", sql, PQerrorMessage(conn));
        rc = -1;
    }
    PQclear(res);
    PQfinish(conn);
    return rc;
}

/* The URL of database `db` on the server of the URL `dsn`. */
static char *pg_url_with_db(const char *dsn, const char *db)
{
    const char *scheme = strstr(dsn, "://");
    if (!scheme ||
        !(strncmp(dsn, "postgresql://", 13) == 0 || strncmp(dsn, "postgres://", 11) == 0))
        return NULL;
    const char *auth = scheme + 3;
    const char *query = strchr(auth, '?');
    const char *slash = strchr(auth, '/');
    if (query && slash && slash > query)
        slash = NULL;
    size_t head = slash ? (size_t)(slash - dsn) : query ? (size_t)(query - dsn) : strlen(dsn);
    struct ms_str s = MS_STR_INIT;
    ms_str_add(&s, dsn, head);
    ms_str_addf(&s, "/%s%s", db, query ? query : "");
    return ms_str_detach(&s, NULL);
}

static int pick_database(struct runner *r, struct ms_str *why)
{
    struct ms_str s = MS_STR_INIT;
    if (!r->pg_dsn_file) {
        ms_str_addf(&s, "%s/e2e.db", r->tmpdir);
        r->db_url = ms_str_detach(&s, NULL);
        return 0;
    }
    r->pg_admin = read_file(r->pg_dsn_file, 4096, 0);
    if (!r->pg_admin) {
        ms_str_addf(why, "cannot read the DSN file %s: %s", r->pg_dsn_file, strerror(errno));
        return -1;
    }
    trim_end(r->pg_admin);
    snprintf(r->pg_db, sizeof(r->pg_db), "e2e_%ld", (long)getpid());
    r->db_url = pg_url_with_db(r->pg_admin, r->pg_db);
    if (!r->db_url) {
        ms_str_addf(why, "the DSN in %s is not a postgresql:// URL", r->pg_dsn_file);
        r->pg_db[0] = '\0';
        return -1;
    }
    /* A database left by an earlier run with the same pid goes first. */
    ms_str_addf(&s, "DROP DATABASE IF EXISTS %s WITH (FORCE)", r->pg_db);
    int rc = pg_exec(r->pg_admin, s.buf, why);
    ms_str_reset(&s);
    ms_str_addf(&s, "CREATE DATABASE %s", r->pg_db);
    if (rc == 0)
        rc = pg_exec(r->pg_admin, s.buf, why);
    ms_str_release(&s);
    if (rc < 0)
        r->pg_db[0] = '\0';
    return rc;
}

static void drop_database(struct runner *r)
{
    if (!r->pg_db[0])
        return;
    if (r->keep) {
        printf("# kept database %s\n", r->db_url);
        return;
    }
    struct ms_str sql = MS_STR_INIT, why = MS_STR_INIT;
    ms_str_addf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", r->pg_db);
    if (pg_exec(r->pg_admin, sql.buf, &why) < 0)
        printf("# warning: %s\n", why.buf);
    ms_str_release(&sql);
    ms_str_release(&why);
}

/* Runs `minsheng ARGS... --db URL` (args NULL-terminated, at most 12). */
static int minsheng(struct runner *r, const char *const *args, const char *input,
                    struct proc_result *p)
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)(uintptr_t)r->minsheng;
    for (; *args && n < 13; args++)
        argv[n++] = (char *)(uintptr_t)*args;
    argv[n++] = "--db";
    argv[n++] = r->db_url;
    argv[n] = NULL;
    return run_proc(argv, input, PROC_TIMEOUT_MS, p);
}

/* The `db digest` of everything but the audit log and sessions. */
static int db_digest(struct runner *r, char *out, size_t size, struct ms_str *why)
{
    static const char *const args[] = {"db",        "digest",    "--exclude",
                                       "audit_log", "--exclude", "audit_head",
                                       "--exclude", "sessions",  NULL};
    struct proc_result p;
    int rc = minsheng(r, args, NULL, &p);
    if (rc != 0) {
        describe_proc(why, "minsheng db digest", &p);
    } else {
        trim_end(p.out.buf);
        snprintf(out, size, "%s", p.out.buf);
        if (!out[0]) {
            ms_str_adds(why, "minsheng db digest printed nothing");
            rc = -1;
        }
    }
    proc_result_release(&p);
    return rc == 0 ? 0 : -1;
}

/* ---- users ---------------------------------------------------------------- */

static void make_password(char *out)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char raw[PASSWORD_CHARS];
    size_t got = 0;
    while (got < sizeof(raw)) {
        ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
        if (n < 0 && errno != EINTR)
            MS_BUG("getrandom failed");
        if (n > 0)
            got += (size_t)n;
    }
    for (int i = 0; i < PASSWORD_CHARS; i++)
        out[i] = alnum[raw[i] % (sizeof(alnum) - 1)];
    out[0] = (char)('a' + raw[0] % 26); /* at least one letter and one digit */
    out[1] = (char)('0' + raw[1] % 10);
    out[PASSWORD_CHARS] = '\0';
}

static int load_users(struct runner *r, struct ms_str *why)
{
    if (!r->users_file)
        return 0;
    FILE *f = fopen(r->users_file, "r");
    if (!f) {
        ms_str_addf(why, "cannot open %s: %s", r->users_file, strerror(errno));
        return -1;
    }
    char line[512];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        char name[128], role[128], scope[128] = "";
        lineno++;
        line[strcspn(line, "#")] = '\0'; /* a comment to the end of the line */
        trim_end(line);
        const char *p = line + strspn(line, " \t");
        if (!*p)
            continue;
        if (sscanf(p, "%127s %127s %127s", name, role, scope) < 2) {
            ms_str_addf(why, "%s:%d: expected NAME ROLE [SCOPE]", r->users_file, lineno);
            rc = -1;
            break;
        }
        r->users = ms_xrealloc(r->users, (r->n_users + 1) * sizeof(*r->users));
        struct user *u = &r->users[r->n_users++];
        memset(u, 0, sizeof(*u));
        u->name = ms_xstrdup(name);
        u->role = ms_xstrdup(role);
        u->scope = scope[0] ? ms_xstrdup(scope) : NULL;
        make_password(u->password);
    }
    fclose(f);
    return rc;
}

static struct user *find_user(struct runner *r, const char *name, size_t len)
{
    for (size_t i = 0; i < r->n_users; i++)
        if (strlen(r->users[i].name) == len && memcmp(r->users[i].name, name, len) == 0)
            return &r->users[i];
    return NULL;
}

static int create_users(struct runner *r, struct ms_str *why)
{
    for (size_t i = 0; i < r->n_users; i++) {
        struct user *u = &r->users[i];
        const char *args[12] = {"user", "add", u->name, "--role", u->role, "--password-stdin"};
        int n = 6;
        if (u->scope) {
            args[n++] = "--scope";
            args[n++] = u->scope;
        }
        args[n] = NULL;
        char input[PASSWORD_CHARS + 2];
        snprintf(input, sizeof(input), "%s\n", u->password);
        struct proc_result p;
        int rc = minsheng(r, args, input, &p);
        if (rc != 0)
            describe_proc(why, "minsheng user add", &p);
        proc_result_release(&p);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- HTTP ----------------------------------------------------------------- */

struct http_resp {
    long status;
    struct ms_str body;
    struct ms_str headers; /* the header lines of the last (final) response */
    json_t *json;          /* parsed on first use */
    int is_json_tried;
    char curl_err[CURL_ERROR_SIZE];
};

struct upload {
    const char *p;
    size_t left;
};

static size_t on_read(char *buf, size_t size, size_t nmemb, void *data)
{
    struct upload *u = data;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *data)
{
    ms_str_add(data, ptr, size * nmemb);
    return size * nmemb;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *data)
{
    struct ms_str *h = data;
    size_t n = size * nmemb;
    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0)
        ms_str_reset(h); /* a new response: an interim 100 Continue is forgotten */
    ms_str_add(h, ptr, n);
    return n;
}

static void http_resp_init(struct http_resp *resp)
{
    memset(resp, 0, sizeof(*resp));
    ms_str_init(&resp->body, MAX_OUTPUT_BYTES);
    ms_str_init(&resp->headers, MAX_OUTPUT_BYTES);
}

static void http_resp_release(struct http_resp *resp)
{
    ms_str_release(&resp->body);
    ms_str_release(&resp->headers);
    json_decref(resp->json);
    resp->json = NULL;
    resp->is_json_tried = 0;
}

static int has_header(const struct curl_slist *h, const char *name)
{
    size_t n = strlen(name);
    for (; h; h = h->next)
        if (strncasecmp(h->data, name, n) == 0 && (h->data[n] == ':' || h->data[n] == ';'))
            return 1;
    return 0;
}

struct http_req {
    const char *method, *path;
    char method_buf[16];
    struct curl_slist *headers; /* the case's; defaults are added to this list */
    const char *body;
    size_t body_len;
    int has_body;
};

/* Sends one request; 0 when a response arrived (whatever its status). */
static int http_do(struct runner *r, struct http_req *q, struct http_resp *resp)
{
    CURL *c = r->curl;
    struct upload up = {q->body, q->body_len};
    struct ms_str url = MS_STR_INIT;
    int is_bodied = q->has_body || strcmp(q->method, "POST") == 0 ||
                    strcmp(q->method, "PUT") == 0 || strcmp(q->method, "PATCH") == 0;

    curl_easy_reset(c); /* keeps the connection cache */
    ms_str_addf(&url, "%s%s", r->base_url, q->path);
    curl_easy_setopt(c, CURLOPT_URL, url.buf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)HTTP_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, resp->curl_err);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &resp->headers);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (strcmp(q->method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (is_bodied) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &up);
        /* With `Transfer-Encoding: chunked` in the case, curl sends chunks. */
        if (!has_header(q->headers, "Transfer-Encoding"))
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
        if (!has_header(q->headers, "Content-Type"))
            q->headers = curl_slist_append(q->headers, "Content-Type: application/json");
        if (strcmp(q->method, "POST") != 0)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        if (strcmp(q->method, "GET") != 0)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, q->headers);
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    ms_str_release(&url);
    if (cc != CURLE_OK && !resp->curl_err[0])
        snprintf(resp->curl_err, sizeof(resp->curl_err), "%s", curl_easy_strerror(cc));
    /* A server may answer early (413) and close while curl still sends:
     * the response counts if a final one arrived (1xx is interim). */
    if (resp->status >= 200)
        return 0;
    if (!resp->curl_err[0])
        snprintf(resp->curl_err, sizeof(resp->curl_err), "no final response (status %ld)",
                 resp->status);
    return -1;
}

static json_t *resp_json(struct http_resp *resp)
{
    if (!resp->is_json_tried) {
        resp->is_json_tried = 1;
        resp->json = json_loadb(resp->body.buf, resp->body.len, JSON_DECODE_ANY, NULL);
    }
    return resp->json;
}

/* The value of the n-th header `name` of the response, or NULL; caller frees. */
static char *resp_header(const struct http_resp *resp, const char *name, int nth)
{
    size_t n = strlen(name);
    const char *line = resp->headers.buf;
    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':' && nth-- == 0) {
            const char *v = line + n + 1;
            v += strspn(v, " \t");
            char *out = ms_xmalloc(len + 1);
            memcpy(out, v, (size_t)(line + len - v));
            out[line + len - v] = '\0';
            trim_end(out);
            return out;
        }
        line += len + (eol ? 1 : 0);
    }
    return NULL;
}

/* Logs a user in; returns the token (caller frees) or NULL with why filled. */
static char *login(struct runner *r, const char *name, const char *password, struct ms_str *why)
{
    json_t *body = json_pack("{s:s,s:s}", "username", name, "password", password);
    char *text = json_dumps(body, JSON_COMPACT);
    struct http_req q = {.method = "POST",
                         .path = "/api/v1/session",
                         .body = text,
                         .body_len = strlen(text),
                         .has_body = 1};
    struct http_resp resp;
    char *token = NULL;
    http_resp_init(&resp);
    if (http_do(r, &q, &resp) < 0) {
        ms_str_addf(why, "login of %s: %s", name, resp.curl_err);
    } else if (resp.status != 201 || !json_is_string(json_object_get(resp_json(&resp), "token"))) {
        ms_str_addf(why, "login of %s: status %ld, body %.500s", name, resp.status, resp.body.buf);
    } else {
        token = ms_xstrdup(json_string_value(json_object_get(resp.json, "token")));
    }
    http_resp_release(&resp);
    curl_slist_free_all(q.headers);
    free(text);
    json_decref(body);
    return token;
}

/* ---- the server ----------------------------------------------------------- */

static int server_spawn(struct runner *r, struct ms_str *why)
{
    char *argv[] = {(char *)(uintptr_t)r->minsheng,
                    "serve",
                    "--db",
                    r->db_url,
                    "--listen",
                    "127.0.0.1:0",
                    "--port-file",
                    r->port_path,
                    "--threads",
                    "2",
                    NULL};
    int log_fd = open(r->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        ms_str_addf(why, "cannot create %s: %s", r->log_path, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* Should the runner die, the server goes with it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(log_fd);
    if (pid < 0) {
        ms_str_addf(why, "fork: %s", strerror(errno));
        return -1;
    }
    r->server_pid = pid;
    return 0;
}

/* 1 if the server has exited (and is reaped); its status in *status. */
static int server_exited(struct runner *r, int *status)
{
    int st;
    pid_t got = waitpid(r->server_pid, &st, WNOHANG);
    if (got != r->server_pid)
        return 0;
    r->server_pid = 0;
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 1;
}

static int server_wait_port(struct runner *r, struct ms_str *why)
{
    double deadline = now_ms() + PORT_WAIT_MS;
    int status;
    while (now_ms() < deadline) {
        if (server_exited(r, &status)) {
            ms_str_addf(why, "minsheng serve exited with status %d before listening", status);
            return -1;
        }
        char *text = read_file(r->port_path, 64, 0);
        long port = text ? strtol(text, NULL, 10) : 0;
        free(text);
        if (port > 0 && port < 65536) {
            snprintf(r->base_url, sizeof(r->base_url), "http://127.0.0.1:%ld", port);
            return 0;
        }
        sleep_ms(50);
    }
    ms_str_addf(why, "no port file %s after %d ms", r->port_path, PORT_WAIT_MS);
    return -1;
}

static int server_wait_healthy(struct runner *r, struct ms_str *why)
{
    double deadline = now_ms() + HEALTH_WAIT_MS;
    long last = 0;
    while (now_ms() < deadline) {
        struct http_req q = {.method = "GET", .path = "/healthz"};
        struct http_resp resp;
        http_resp_init(&resp);
        http_do(r, &q, &resp);
        last = resp.status;
        http_resp_release(&resp);
        curl_slist_free_all(q.headers);
        if (last == 200)
            return 0;
        sleep_ms(50);
    }
    ms_str_addf(why, "/healthz did not answer 200 within %d ms (last status %ld)", HEALTH_WAIT_MS,
                last);
    return -1;
}

/* SIGTERM, then up to STOP_WAIT_MS for the exit; kill -9 after that. */
static int server_stop(struct runner *r, struct ms_str *why)
{
    int status;
    if (!r->server_pid) {
        ms_str_adds(why, "the server was not running at the end");
        return -1;
    }
    kill(r->server_pid, SIGTERM);
    double deadline = now_ms() + STOP_WAIT_MS;
    while (now_ms() < deadline) {
        if (server_exited(r, &status)) {
            if (status == 0)
                return 0;
            ms_str_addf(why, "exit status %d after SIGTERM (expected 0)", status);
            return -1;
        }
        sleep_ms(20);
    }
    kill(r->server_pid, SIGKILL);
    while (waitpid(r->server_pid, &status, 0) < 0 && errno == EINTR)
        ;
    r->server_pid = 0;
    ms_str_addf(why, "still running %d ms after SIGTERM; killed with SIGKILL", STOP_WAIT_MS);
    return -1;
}

/* ---- case files ------------------------------------------------------------ */

struct directive {
    char *key;
    char *value;
    int line;
};

struct step {
    struct directive *d;
    size_t n;
    int line; /* of its first directive */
};

struct case_file {
    char *name;
    char *description;
    struct step *steps;
    size_t n_steps;
};

/* Keys whose value is taken verbatim after "key: " (one space dropped). */
static int is_verbatim_key(const char *key)
{
    return strcmp(key, "body") == 0 || strcmp(key, "body-prefix") == 0 ||
           strcmp(key, "body-suffix") == 0 || strcmp(key, "body-repeat") == 0 ||
           strcmp(key, "body-contains") == 0 || strcmp(key, "body-lacks") == 0;
}

static int is_known_key(const char *key)
{
    static const char *const keys[] = {
        "as",         "request",     "header",        "body",
        "body-hex",   "body-repeat", "body-prefix",   "body-suffix",
        "status",     "json",        "header-expect", "body-contains",
        "body-lacks", "unchanged",   "capture",       "sleep-ms",
        NULL};
    for (const char *const *k = keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return 1;
    return 0;
}

static void case_free(struct case_file *c)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        for (size_t j = 0; j < c->steps[i].n; j++) {
            free(c->steps[i].d[j].key);
            free(c->steps[i].d[j].value);
        }
        free(c->steps[i].d);
    }
    free(c->steps);
    free(c->description);
    free(c->name);
}

static struct step *new_step(struct case_file *c)
{
    c->steps = ms_xrealloc(c->steps, (c->n_steps + 1) * sizeof(*c->steps));
    struct step *s = &c->steps[c->n_steps++];
    memset(s, 0, sizeof(*s));
    return s;
}

static int add_directive(struct case_file *c, struct step **cur, char *line, int lineno,
                         struct ms_str *why)
{
    char *colon = strchr(line, ':');
    if (!colon) {
        ms_str_addf(why, "line %d: expected `key: value`", lineno);
        return -1;
    }
    *colon = '\0';
    if (!is_known_key(line)) {
        ms_str_addf(why, "line %d: unknown directive '%s'", lineno, line);
        return -1;
    }
    char *value = colon + 1;
    if (is_verbatim_key(line)) {
        if (*value == ' ')
            value++;
    } else {
        value += strspn(value, " \t");
        trim_end(value);
    }
    if (!*cur)
        *cur = new_step(c);
    struct step *s = *cur;
    s->d = ms_xrealloc(s->d, (s->n + 1) * sizeof(*s->d));
    s->d[s->n] = (struct directive){ms_xstrdup(line), ms_xstrdup(value), lineno};
    if (s->n++ == 0)
        s->line = lineno;
    return 0;
}

static size_t count_key(const struct step *s, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += strcmp(s->d[i].key, key) == 0;
    return n;
}

static const struct directive *find_key(const struct step *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->d[i].key, key) == 0)
            return &s->d[i];
    return NULL;
}

/* What every step must hold: one request and one status, at most one of
 * the single-valued directives. */
static int check_step(const struct step *s, struct ms_str *why)
{
    static const char *const once[] = {"as",        "body-prefix", "body-suffix",
                                       "unchanged", "sleep-ms",    NULL};
    if (count_key(s, "request") != 1 || count_key(s, "status") != 1) {
        ms_str_addf(why, "step at line %d: needs exactly one `request:` and one `status:`",
                    s->line);
        return -1;
    }
    for (const char *const *k = once; *k; k++) {
        if (count_key(s, *k) > 1) {
            ms_str_addf(why, "step at line %d: more than one `%s:`", s->line, *k);
            return -1;
        }
    }
    return 0;
}

static int case_parse(const char *path, struct case_file *c, struct ms_str *why)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        ms_str_addf(why, "cannot open: %s", strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    struct step *cur = NULL;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (line[0] == '#') {
            if (!c->description && strncmp(line, "# ", 2) == 0)
                c->description = ms_xstrdup(line + 2);
            continue;
        }
        if (strspn(line, " \t") == n)
            continue;
        if (strncmp(line, "---", 3) == 0 && strspn(line + 3, " \t") == n - 3) {
            cur = NULL;
            continue;
        }
        rc = add_directive(c, &cur, line, lineno, why);
    }
    free(line);
    fclose(f);
    if (rc == 0 && c->n_steps == 0) {
        ms_str_adds(why, "no steps");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < c->n_steps; i++)
        rc = check_step(&c->steps[i], why);
    if (!c->description)
        c->description = ms_xstrdup("(no description)");
    return rc;
}

/* ---- running a case --------------------------------------------------------- */

struct var {
    char *name, *value;
};

struct case_ctx {
    struct runner *r;
    struct var *vars;
    size_t n_vars;
};

static void ctx_release(struct case_ctx *c)
{
    for (size_t i = 0; i < c->n_vars; i++) {
        free(c->vars[i].name);
        free(c->vars[i].value);
    }
    free(c->vars);
}

static void ctx_set(struct case_ctx *c, const char *name, const char *value)
{
    for (size_t i = 0; i < c->n_vars; i++) {
        if (strcmp(c->vars[i].name, name) == 0) {
            free(c->vars[i].value);
            c->vars[i].value = ms_xstrdup(value);
            return;
        }
    }
    c->vars = ms_xrealloc(c->vars, (c->n_vars + 1) * sizeof(*c->vars));
    c->vars[c->n_vars++] = (struct var){ms_xstrdup(name), ms_xstrdup(value)};
}

/* The value of ${name} (name is len bytes), or NULL. */
static const char *lookup(struct case_ctx *c, const char *name, size_t len)
{
    static const struct {
        const char *prefix;
        int what; /* 0 password, 1 user, 2 token */
    } kinds[] = {{"password:", 0}, {"user:", 1}, {"token:", 2}};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t pl = strlen(kinds[k].prefix);
        if (len <= pl || memcmp(name, kinds[k].prefix, pl) != 0)
            continue;
        struct user *u = find_user(c->r, name + pl, len - pl);
        if (!u)
            return NULL;
        return kinds[k].what == 0 ? u->password : kinds[k].what == 1 ? u->name : u->token;
    }
    for (size_t i = 0; i < c->n_vars; i++)
        if (strlen(c->vars[i].name) == len && memcmp(c->vars[i].name, name, len) == 0)
            return c->vars[i].value;
    return NULL;
}

/* ${repeat:COUNT:TEXT}: TEXT (up to the closing brace) COUNT times. */
static int add_repeated(const char *spec, const char *end, struct ms_str *out, struct ms_str *why)
{
    char *colon;
    unsigned long count = strtoul(spec, &colon, 10);
    if (colon == spec || *colon != ':' || colon >= end) {
        ms_str_adds(why, "expected ${repeat:COUNT:TEXT}");
        return -1;
    }
    size_t len = (size_t)(end - colon - 1);
    for (unsigned long i = 0; i < count && !out->is_too_big; i++)
        ms_str_add(out, colon + 1, len);
    return 0;
}

/* Replaces every ${...} in `in`; an unknown name is an error. */
static int subst(struct case_ctx *c, const char *in, struct ms_str *out, struct ms_str *why)
{
    ms_str_reset(out);
    while (*in) {
        const char *start = strstr(in, "${");
        const char *end = start ? strchr(start + 2, '}') : NULL;
        if (!start || !end) {
            ms_str_adds(out, in);
            break;
        }
        ms_str_add(out, in, (size_t)(start - in));
        if (strncmp(start + 2, "repeat:", 7) == 0) {
            if (add_repeated(start + 9, end, out, why) < 0)
                return -1;
            in = end + 1;
            continue;
        }
        const char *v = lookup(c, start + 2, (size_t)(end - start - 2));
        if (!v) {
            ms_str_addf(why, "unknown variable ${%.*s}", (int)(end - start - 2), start + 2);
            return -1;
        }
        ms_str_adds(out, v);
        in = end + 1;
    }
    return 0;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int add_hex(const char *hex, struct ms_str *out, struct ms_str *why)
{
    while (*hex) {
        if (*hex == ' ') {
            hex++;
            continue;
        }
        int hi = hex_value(hex[0]), lo = hi < 0 ? -1 : hex_value(hex[1]);
        if (lo < 0) {
            ms_str_addf(why, "body-hex: '%.10s' is not hex", hex);
            return -1;
        }
        ms_str_addch(out, (char)(hi * 16 + lo));
        hex += 2;
    }
    return 0;
}

static int add_repeat(struct case_ctx *c, const char *spec, struct ms_str *out, struct ms_str *why)
{
    char *end;
    unsigned long count = strtoul(spec, &end, 10);
    if (end == spec || *end != ' ' || !end[1]) {
        ms_str_adds(why, "body-repeat: expected COUNT TEXT");
        return -1;
    }
    struct ms_str text = MS_STR_INIT;
    int rc = subst(c, end + 1, &text, why);
    for (unsigned long i = 0; rc == 0 && i < count && !out->is_too_big; i++)
        ms_str_add(out, text.buf, text.len);
    ms_str_release(&text);
    return rc;
}

/* The request body: prefix, then body / body-hex / body-repeat lines in
 * order, then suffix. *has_body says whether any body line was present. */
static int build_body(struct case_ctx *c, const struct step *s, struct ms_str *body, int *has_body,
                      struct ms_str *why)
{
    struct ms_str tmp = MS_STR_INIT;
    const struct directive *prefix = find_key(s, "body-prefix");
    const struct directive *suffix = find_key(s, "body-suffix");
    int rc = 0;
    *has_body = 0;
    if (prefix && (rc = subst(c, prefix->value, &tmp, why)) == 0)
        ms_str_add(body, tmp.buf, tmp.len);
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        const struct directive *d = &s->d[i];
        if (strcmp(d->key, "body") == 0 && (rc = subst(c, d->value, &tmp, why)) == 0)
            ms_str_add(body, tmp.buf, tmp.len);
        else if (strcmp(d->key, "body-hex") == 0)
            rc = add_hex(d->value, body, why);
        else if (strcmp(d->key, "body-repeat") == 0)
            rc = add_repeat(c, d->value, body, why);
        *has_body |= strncmp(d->key, "body", 4) == 0 && strcmp(d->key, "body-contains") != 0 &&
                     strcmp(d->key, "body-lacks") != 0;
    }
    if (rc == 0 && suffix && (rc = subst(c, suffix->value, &tmp, why)) == 0)
        ms_str_add(body, tmp.buf, tmp.len);
    ms_str_release(&tmp);
    if (rc == 0 && body->is_too_big) {
        ms_str_addf(why, "request body over %u bytes", MAX_BODY_BYTES);
        rc = -1;
    }
    return rc;
}

/* Fills the request from the step: method, path, headers, body. */
static int build_request(struct case_ctx *c, const struct step *s, struct http_req *q,
                         struct ms_str *path, struct ms_str *body, struct ms_str *why)
{
    struct ms_str tmp = MS_STR_INIT;
    const struct directive *req = find_key(s, "request");
    const struct directive *as = find_key(s, "as");
    int rc = 0;
    if (!req) {
        ms_str_adds(why, "a step needs `request:`");
        return -1;
    }
    const char *sp = strchr(req->value, ' ');
    if (!sp || (size_t)(sp - req->value) >= sizeof(q->method_buf) || sp[1] != '/') {
        ms_str_addf(why, "line %d: expected `request: METHOD /path`", req->line);
        return -1;
    }
    memcpy(q->method_buf, req->value, (size_t)(sp - req->value));
    q->method_buf[sp - req->value] = '\0';
    q->method = q->method_buf;
    if (subst(c, sp + 1, path, why) < 0)
        return -1;
    q->path = path->buf;
    if (as && strcmp(as->value, "none") != 0) {
        struct user *u = find_user(c->r, as->value, strlen(as->value));
        if (!u || !u->token) {
            ms_str_addf(why, "line %d: no session for user '%s'", as->line, as->value);
            return -1;
        }
        ms_str_addf(&tmp, "Authorization: Bearer %s", u->token);
        q->headers = curl_slist_append(q->headers, tmp.buf);
    }
    for (size_t i = 0; rc == 0 && i < s->n; i++)
        if (strcmp(s->d[i].key, "header") == 0 && (rc = subst(c, s->d[i].value, &tmp, why)) == 0)
            q->headers = curl_slist_append(q->headers, tmp.buf);
    ms_str_release(&tmp);
    if (rc == 0 && (rc = build_body(c, s, body, &q->has_body, why)) == 0) {
        q->body = body->buf;
        q->body_len = body->len;
    }
    return rc;
}

/* Walks a dotted path ("error.code", "permissions.0", "a\.b" for a key
 * with a dot). NULL if some part is missing. */
static json_t *json_walk(json_t *v, const char *path)
{
    char key[512];
    while (v && *path) {
        size_t n = 0;
        while (*path && *path != '.' && n + 1 < sizeof(key)) {
            if (path[0] == '\\' && path[1] == '.')
                path++;
            key[n++] = *path++;
        }
        key[n] = '\0';
        if (*path == '.')
            path++;
        if (json_is_object(v)) {
            v = json_object_get(v, key);
        } else if (json_is_array(v) && n && strspn(key, "0123456789") == n) {
            v = json_array_get(v, strtoul(key, NULL, 10));
        } else {
            v = NULL;
        }
    }
    return v;
}

static void describe_json(struct ms_str *why, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    ms_str_addf(why, "%.200s", text ? text : "(absent)");
    free(text);
}

/* json: PATH = LITERAL | PATH exists | PATH absent | PATH ~ SUBSTRING | PATH ^ PREFIX */
static int check_json(struct http_resp *resp, const struct directive *d, const char *value,
                      struct ms_str *why)
{
    json_t *root = resp_json(resp);
    if (!root) {
        ms_str_addf(why, "line %d: the response body is not JSON", d->line);
        return -1;
    }
    size_t plen = strcspn(value, " \t");
    char *path = ms_xmalloc(plen + 1);
    memcpy(path, value, plen);
    path[plen] = '\0';
    const char *op = value + plen + strspn(value + plen, " \t");
    json_t *got = json_walk(root, path);
    int rc = 0;
    if (strcmp(op, "exists") == 0) {
        rc = got ? 0 : -1;
    } else if (strcmp(op, "absent") == 0) {
        rc = got ? -1 : 0;
    } else if (op[0] == '~' && op[1] == ' ') {
        rc = json_is_string(got) && strstr(json_string_value(got), op + 2) ? 0 : -1;
    } else if (op[0] == '^' && op[1] == ' ') {
        rc = json_is_string(got) && strncmp(json_string_value(got), op + 2, strlen(op + 2)) == 0
                 ? 0
                 : -1;
    } else if (op[0] == '=' && op[1] == ' ') {
        json_t *want = json_loads(op + 2, JSON_DECODE_ANY, NULL);
        if (!want) {
            ms_str_addf(why, "line %d: `%s` is not a JSON literal", d->line, op + 2);
            free(path);
            return -1;
        }
        rc = got && json_equal(got, want) ? 0 : -1;
        json_decref(want);
    } else {
        ms_str_addf(
            why, "line %d: expected `json: PATH = JSON`, `exists`, `absent`, `~ TEXT` or `^ TEXT`",
            d->line);
        free(path);
        return -1;
    }
    if (rc < 0) {
        ms_str_addf(why, "line %d: json %s %s: got ", d->line, path, op);
        describe_json(why, got);
    }
    free(path);
    return rc;
}

/* header-expect: Name exists | Name absent | Name ~ TEXT | Name = TEXT */
static int check_header(struct http_resp *resp, const struct directive *d, const char *value,
                        struct ms_str *why)
{
    size_t nlen = strcspn(value, " \t");
    char name[128];
    if (nlen == 0 || nlen >= sizeof(name)) {
        ms_str_addf(why, "line %d: expected `header-expect: Name ...`", d->line);
        return -1;
    }
    memcpy(name, value, nlen);
    name[nlen] = '\0';
    const char *op = value + nlen + strspn(value + nlen, " \t");
    int is_exists = strcmp(op, "exists") == 0, is_absent = strcmp(op, "absent") == 0;
    int is_contains = op[0] == '~' && op[1] == ' ', is_equal = op[0] == '=' && op[1] == ' ';
    if (!is_exists && !is_absent && !is_contains && !is_equal) {
        ms_str_addf(why, "line %d: expected exists, absent, `~ TEXT` or `= TEXT`", d->line);
        return -1;
    }
    int found = 0;
    char *first = resp_header(resp, name, 0);
    for (int i = 0; !found; i++) {
        char *v = resp_header(resp, name, i);
        if (!v)
            break;
        found = is_exists || is_absent || (is_contains && strstr(v, op + 2)) ||
                (is_equal && strcmp(v, op + 2) == 0);
        free(v);
    }
    int rc = found != is_absent ? 0 : -1;
    if (rc < 0)
        ms_str_addf(why, "line %d: header %s %s: got %s", d->line, name, op,
                    first ? first : "(absent)");
    free(first);
    return rc;
}

static int check_status(struct http_resp *resp, const struct directive *d, struct ms_str *why)
{
    char *end;
    if (!d) {
        ms_str_adds(why, "a step needs `status:`");
        return -1;
    }
    long want = strtol(d->value, &end, 10);
    if (end == d->value || *end) {
        ms_str_addf(why, "line %d: `status:` takes a number", d->line);
        return -1;
    }
    if (resp->status == want)
        return 0;
    ms_str_addf(why, "line %d: expected status %ld, got %ld", d->line, want, resp->status);
    return -1;
}

/*
 * The FIELD of the last line of the server log whose event is EVENT (what
 * is "EVENT/FIELD"), as a new string, or NULL. For values the server hands
 * out only through its log: the demo's one-time codes (portal.otp.demo_code),
 * which the log sender writes there exactly as a person running the demo
 * reads them. Cases run one at a time, so the last such line is the step's.
 */
static char *capture_from_log(struct case_ctx *c, const char *what)
{
    char event[128], field[64], needle[160];
    if (sscanf(what, "%127[^/]/%63s", event, field) != 2)
        return NULL;
    snprintf(needle, sizeof(needle), "\"event\":\"%s\"", event);
    char *text = read_file(c->r->log_path, MAX_OUTPUT_BYTES, 256 * 1024);
    char *value = NULL;
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strstr(line, needle)) {
            json_t *j = json_loads(line, 0, NULL);
            json_t *v = json_object_get(j, field);
            if (json_is_string(v)) {
                free(value);
                value = ms_xstrdup(json_string_value(v));
            }
            json_decref(j);
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
    return value;
}

/* capture: VAR = json PATH | VAR = header Name | VAR = log EVENT/FIELD */
static int do_capture(struct case_ctx *c, struct http_resp *resp, const struct directive *d,
                      struct ms_str *why)
{
    char var[64], kind[16], what[256];
    if (sscanf(d->value, "%63[A-Za-z0-9_] = %15s %255s", var, kind, what) != 3) {
        ms_str_addf(why, "line %d: expected `capture: VAR = json PATH` or `= header Name`",
                    d->line);
        return -1;
    }
    char *value = NULL;
    if (strcmp(kind, "json") == 0) {
        json_t *v = resp_json(resp) ? json_walk(resp->json, what) : NULL;
        if (json_is_string(v))
            value = ms_xstrdup(json_string_value(v));
        else if (v)
            value = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    } else if (strcmp(kind, "header") == 0) {
        value = resp_header(resp, what, 0);
    } else if (strcmp(kind, "log") == 0) {
        value = capture_from_log(c, what);
    }
    if (!value) {
        ms_str_addf(why, "line %d: nothing to capture at %s %s", d->line, kind, what);
        return -1;
    }
    ctx_set(c, var, value);
    free(value);
    return 0;
}

/* Runs the checks of one step against its response, in file order. */
static int check_response(struct case_ctx *c, const struct step *s, struct http_resp *resp,
                          struct ms_str *why)
{
    struct ms_str v = MS_STR_INIT;
    int rc = check_status(resp, find_key(s, "status"), why);
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        const struct directive *d = &s->d[i];
        int is_check = strcmp(d->key, "json") == 0 || strcmp(d->key, "header-expect") == 0 ||
                       strcmp(d->key, "body-contains") == 0 || strcmp(d->key, "body-lacks") == 0;
        if (is_check && (rc = subst(c, d->value, &v, why)) < 0)
            break;
        if (strcmp(d->key, "json") == 0) {
            rc = check_json(resp, d, v.buf, why);
        } else if (strcmp(d->key, "header-expect") == 0) {
            rc = check_header(resp, d, v.buf, why);
        } else if (strcmp(d->key, "body-contains") == 0 || strcmp(d->key, "body-lacks") == 0) {
            int is_in = memmem(resp->body.buf, resp->body.len, v.buf, v.len) != NULL;
            if (is_in != (d->key[5] == 'c')) {
                ms_str_addf(why, "line %d: body %s '%.200s'", d->line, is_in ? "contains" : "lacks",
                            v.buf);
                rc = -1;
            }
        } else if (strcmp(d->key, "capture") == 0) {
            rc = do_capture(c, resp, d, why);
        }
    }
    ms_str_release(&v);
    return rc;
}

/* Runs one step; on failure why says what and *show_body asks for the body. */
static int step_run(struct case_ctx *c, const struct step *s, struct http_resp *resp,
                    struct ms_str *why, int *show_body)
{
    struct http_req q = {0};
    struct ms_str path = MS_STR_INIT, body;
    const struct directive *unchanged = find_key(s, "unchanged");
    const struct directive *pause = find_key(s, "sleep-ms");
    char before[128] = "", after[128] = "";
    int rc;

    ms_str_init(&body, MAX_BODY_BYTES);
    *show_body = 0;
    rc = build_request(c, s, &q, &path, &body, why);
    if (rc == 0 && unchanged && strcmp(unchanged->value, "db") != 0) {
        ms_str_addf(why, "line %d: only `unchanged: db` is known", unchanged->line);
        rc = -1;
    }
    if (rc == 0 && unchanged)
        rc = db_digest(c->r, before, sizeof(before), why);
    if (rc == 0 && pause)
        sleep_ms(strtol(pause->value, NULL, 10));
    if (rc == 0 && (rc = http_do(c->r, &q, resp)) < 0)
        ms_str_addf(why, "line %d: %s %s: no response: %s", s->line, q.method, q.path,
                    resp->curl_err);
    if (rc == 0) {
        rc = check_response(c, s, resp, why);
        *show_body = rc < 0;
    }
    if (rc == 0 && unchanged && (rc = db_digest(c->r, after, sizeof(after), why)) == 0 &&
        strcmp(before, after) != 0) {
        ms_str_addf(why, "line %d: the database changed (digest %.16s... -> %.16s...)",
                    unchanged->line, before, after);
        rc = -1;
    }
    curl_slist_free_all(q.headers);
    ms_str_release(&path);
    ms_str_release(&body);
    return rc;
}

static void report(struct runner *r, const char *name, const char *desc, int ok)
{
    r->n_run++;
    r->n_failed += !ok;
    printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", r->n_run, name, desc);
}

static void case_run(struct runner *r, const char *name)
{
    struct case_file cf = {ms_xstrdup(name), NULL, NULL, 0};
    struct case_ctx ctx = {r, NULL, 0};
    struct ms_str path = MS_STR_INIT, why = MS_STR_INIT;
    struct http_resp resp;
    int rc, show_body = 0;
    size_t i = 0;

    ms_str_addf(&path, "%s/%s", r->cases_dir, name);
    http_resp_init(&resp);
    rc = case_parse(path.buf, &cf, &why);
    for (; rc == 0 && i < cf.n_steps; i++) {
        http_resp_release(&resp);
        http_resp_init(&resp);
        rc = step_run(&ctx, &cf.steps[i], &resp, &why, &show_body);
    }
    report(r, name, cf.description, rc == 0);
    if (rc < 0) {
        if (i > 0)
            printf("#   step %zu of %zu (line %d)\n", i, cf.n_steps, cf.steps[i - 1].line);
        print_diag("", why.buf, why.len);
        if (show_body)
            print_diag("body: ", resp.body.buf,
                       resp.body.len < SNIP_BYTES ? resp.body.len : SNIP_BYTES);
        print_log_tail(r);
    }
    fflush(stdout);
    http_resp_release(&resp);
    ms_str_release(&path);
    ms_str_release(&why);
    ctx_release(&ctx);
    case_free(&cf);
}

static int is_case_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".case") == 0;
}

static int run_cases(struct runner *r, struct ms_str *why)
{
    struct dirent **list;
    int n = scandir(r->cases_dir, &list, is_case_file, alphasort);
    if (n < 0) {
        ms_str_addf(why, "cannot read %s: %s", r->cases_dir, strerror(errno));
        return -1;
    }
    int n_matched = 0;
    for (int i = 0; i < n; i++) {
        if (!r->filter || strstr(list[i]->d_name, r->filter)) {
            case_run(r, list[i]->d_name);
            n_matched++;
        }
        free(list[i]);
    }
    free(list);
    if (n_matched == 0) {
        ms_str_addf(why, "no case in %s matches", r->cases_dir);
        return -1;
    }
    return 0;
}

/* ---- set-up and tear-down ----------------------------------------------------- */

static int setup(struct runner *r, struct ms_str *why)
{
    static const char *const migrate[] = {"migrate", NULL};
    const char *base = getenv("TMPDIR");
    snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/ms-e2e.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(r->tmpdir)) {
        ms_str_addf(why, "mkdtemp %s: %s", r->tmpdir, strerror(errno));
        r->tmpdir[0] = '\0';
        return -1;
    }
    /* The key for sealed personal fields (ID and phone numbers): the server,
     * the CLI and a PostgreSQL database need it named; it lives and dies
     * with the temporary directory. */
    {
        struct ms_str key = MS_STR_INIT;
        ms_str_addf(&key, "%s/minsheng.key", r->tmpdir);
        setenv("MINSHENG_KEY_FILE", key.buf, 1);
        ms_str_release(&key);
    }
    snprintf(r->log_path, sizeof(r->log_path), "%s/server.log", r->tmpdir);
    snprintf(r->port_path, sizeof(r->port_path), "%s/port", r->tmpdir);
    printf("# temp dir %s\n", r->tmpdir);
    if (load_users(r, why) < 0 || pick_database(r, why) < 0)
        return -1;
    printf("# database %s\n", r->db_url);

    struct proc_result p;
    int rc = minsheng(r, migrate, NULL, &p);
    if (rc != 0)
        describe_proc(why, "minsheng migrate", &p);
    proc_result_release(&p);
    if (rc != 0 || create_users(r, why) < 0)
        return -1;
    if (server_spawn(r, why) < 0 || server_wait_port(r, why) < 0 || server_wait_healthy(r, why) < 0)
        return -1;
    for (size_t i = 0; i < r->n_users; i++)
        if (!(r->users[i].token = login(r, r->users[i].name, r->users[i].password, why)))
            return -1;
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void teardown(struct runner *r)
{
    if (r->server_pid) {
        kill(r->server_pid, SIGKILL);
        while (waitpid(r->server_pid, NULL, 0) < 0 && errno == EINTR)
            ;
        r->server_pid = 0;
    }
    drop_database(r);
    if (r->tmpdir[0] && !r->keep)
        nftw(r->tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    else if (r->tmpdir[0])
        printf("# kept %s\n", r->tmpdir);
    for (size_t i = 0; i < r->n_users; i++) {
        free(r->users[i].name);
        free(r->users[i].role);
        free(r->users[i].scope);
        free(r->users[i].token);
    }
    free(r->users);
    free(r->db_url);
    free(r->pg_admin);
}

/* The tests after the cases: a clean stop, then an intact audit chain. */
static void final_checks(struct runner *r)
{
    static const char *const verify[] = {"audit", "verify", NULL};
    struct ms_str why = MS_STR_INIT;
    int ok = server_stop(r, &why) == 0;
    report(r, "shutdown", "SIGTERM stops the server with exit status 0", ok);
    if (!ok) {
        print_diag("", why.buf, why.len);
        print_log_tail(r);
    }
    ms_str_reset(&why);
    struct proc_result p;
    ok = minsheng(r, verify, NULL, &p) == 0;
    if (!ok)
        describe_proc(&why, "minsheng audit verify", &p);
    proc_result_release(&p);
    report(r, "audit-chain", "`minsheng audit verify` passes on the database the run left", ok);
    if (!ok)
        print_diag("", why.buf, why.len);
    ms_str_release(&why);
}

int main(int argc, char **argv)
{
    struct runner r;
    struct ms_str why = MS_STR_INIT;

    memset(&r, 0, sizeof(r));
    parse_args(argc, argv, &r);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(r.curl = curl_easy_init())) {
        fprintf(stderr, "e2e_runner: libcurl failed to initialise\n");
        return 2;
    }
    if (setup(&r, &why) < 0) {
        report(&r, "setup", "database, users, server and logins", 0);
        print_diag("", why.buf, why.len);
        if (r.log_path[0])
            print_log_tail(&r);
    } else {
        if (run_cases(&r, &why) < 0) {
            report(&r, "cases", "reading the case folder", 0);
            print_diag("", why.buf, why.len);
        }
        final_checks(&r);
    }
    curl_easy_cleanup(r.curl);
    curl_global_cleanup();
    teardown(&r);
    ms_str_release(&why);
    printf("%d passed, %d failed\n", r.n_run - r.n_failed, r.n_failed);
    return r.n_failed ? 1 : 0;
}
