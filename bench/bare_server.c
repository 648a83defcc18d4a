/*
 * bare_server.c - the baseline of bench/http.sh: a libmicrohttpd server
 * doing nothing but answer every GET with a fixed ~150-byte JSON body shaped
 * like GET /api/v1/me's, with the headers minsheng sends.
 *
 * It starts the daemon exactly as src/http/server.c does (internal polling
 * thread, epoll, a thread pool of one thread per core, the same timeouts and
 * connection limit) and queues the response on the second call of the
 * access handler, as minsheng must (DEPENDENCIES.md: queuing on the first
 * call makes libmicrohttpd close the connection, about 5x slower). So the
 * ratio of minsheng's requests/s to this server's is what minsheng's own
 * work per request costs: routing, the session look-up, the database, JSON.
 *
 *   bench_bare_server [--listen 127.0.0.1:PORT] [--port-file FILE] [--threads N]
 *
 * Port 0 (the default) picks a free port, written to --port-file once
 * listening. SIGTERM or SIGINT stop it; it exits 0.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/banned.h"

/* The size and shape of GET /api/v1/me for an admin. */
static const char body[] =
    "{\"username\":\"benchadmin\",\"display_name\":\"benchadmin\",\"role\":\"admin\",\"scope\":\"\","
    "\"permissions\":[\"policy:read\",\"policy:write\",\"system:monitor\"]}";

static struct MHD_Response *ok_response;
static struct MHD_Response *not_allowed_response;

/* The first call only marks the connection; the second queues the reply. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    static int marker;
    (void)cls;
    (void)url;
    (void)version;
    (void)upload_data;
    if (!*con_cls) {
        *con_cls = &marker;
        return MHD_YES;
    }
    *upload_data_size = 0;
    if (strcmp(method, "GET") != 0)
        return MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, not_allowed_response);
    return MHD_queue_response(conn, MHD_HTTP_OK, ok_response);
}

static struct MHD_Response *fixed_response(const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                                             MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(r, "X-Request-Id", "0123456789abcdef");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    return r;
}

static int parse_listen(const char *text, struct sockaddr_in *addr)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof(host))
        return -1;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return -1;
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1 ? 0 : -1;
}

static int write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_bare_server [--listen 127.0.0.1:PORT] [--port-file FILE] "
                    "[--threads N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:0", *port_file = NULL;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    struct sockaddr_in addr;

    for (int i = 1; i < argc; i++) {
        if (i + 1 == argc)
            usage();
        if (strcmp(argv[i], "--listen") == 0)
            listen = argv[++i];
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0)
            threads = strtol(argv[++i], NULL, 10);
        else
            usage();
    }
    if (parse_listen(listen, &addr) < 0 || threads < 1 || threads > 256)
        usage();

    /* Only sigwait() below sees the stop signals, in every thread. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    ok_response = fixed_response(body);
    not_allowed_response = fixed_response("{\"error\":{\"code\":\"method_not_allowed\"}}");
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL,
        NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bench_bare_server: cannot listen on %s\n", listen);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : ntohs(addr.sin_port);
    if (port_file && write_port_file(port_file, port) < 0) {
        fprintf(stderr, "bench_bare_server: cannot write %s\n", port_file);
        MHD_stop_daemon(d);
        return 1;
    }

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(ok_response);
    MHD_destroy_response(not_allowed_response);
    return 0;
}
