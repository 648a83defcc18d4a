/*
 * test_static.c - the web console's files (src/http/static.c): content
 * types, cache headers, history-mode fallback, refusal of traversal and of
 * symbolic links out of the root; then the same through a real server with
 * libcurl, to check the hook in server.c (one Cache-Control, 304, HEAD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h> /* after the three it needs */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/server.h"

#include "core/banned.h"

#define INDEX_HTML "<!doctype html><title>console</title>"
#define APP_JS     "console.log('app')"
#define PORTAL_HTML "<!doctype html><title>portal</title>"

static char root[64];
static char outside[64];

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* root/ index.html, favicon.svg, assets/app-3f2a.js, assets/app-3f2a.css,
 * .secret, leak.txt -> ../outside/secret.txt, alias.html -> index.html */
static int make_site(void **state)
{
    (void)state;
    char path[256];
    snprintf(root, sizeof(root), "/tmp/ms-static.XXXXXX");
    assert_non_null(mkdtemp(root));
    snprintf(outside, sizeof(outside), "/tmp/ms-static-out.XXXXXX");
    assert_non_null(mkdtemp(outside));
    write_file(root, "index.html", INDEX_HTML);
    write_file(root, "portal.html", PORTAL_HTML);
    write_file(root, "favicon.svg", "<svg/>");
    write_file(root, ".secret", "dot file");
    snprintf(path, sizeof(path), "%s/assets", root);
    assert_int_equal(mkdir(path, 0755), 0);
    write_file(path, "app-3f2a.js", APP_JS);
    write_file(path, "app-3f2a.css", "body{}");
    write_file(outside, "secret.txt", "outside the root");
    snprintf(path, sizeof(path), "%s/leak.txt", root);
    char target[256];
    snprintf(target, sizeof(target), "%s/secret.txt", outside);
    assert_int_equal(symlink(target, path), 0);
    snprintf(path, sizeof(path), "%s/alias.html", root);
    assert_int_equal(symlink("index.html", path), 0);
    return 0;
}

static int remove_site(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, outside);
    return system(cmd) == 0 ? 0 : -1;
}

static struct http_static *load(void)
{
    struct http_static *site = NULL;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_load(root, &site, &err), 0);
    return site;
}

static void test_static_content_types_and_cache_headers(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;

    assert_int_equal(http_static_lookup(site, "/assets/app-3f2a.js", NULL, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "text/javascript; charset=utf-8");
    assert_string_equal(r.cache_control, "public, max-age=31536000, immutable");
    assert_int_equal(r.len, strlen(APP_JS));
    assert_memory_equal(r.data, APP_JS, r.len);

    assert_int_equal(http_static_lookup(site, "/assets/app-3f2a.css", NULL, &r, &err), 0);
    assert_string_equal(r.content_type, "text/css; charset=utf-8");

    assert_int_equal(http_static_lookup(site, "/favicon.svg", NULL, &r, &err), 0);
    assert_string_equal(r.content_type, "image/svg+xml");
    assert_string_equal(r.cache_control, "no-cache"); /* not hashed: revalidate */

    assert_int_equal(http_static_lookup(site, "/", NULL, &r, &err), 0);
    assert_string_equal(r.content_type, "text/html; charset=utf-8");
    assert_string_equal(r.cache_control, "no-cache");
    assert_true(r.is_html);
    assert_memory_equal(r.data, INDEX_HTML, strlen(INDEX_HTML));
    http_static_free(site);
}

static void test_static_history_fallback_serves_index(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_lookup(site, "/residents/J58H-XA3S", NULL, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.cache_control, "no-cache");
    assert_memory_equal(r.data, INDEX_HTML, strlen(INDEX_HTML));

    /* Dot files are not served: the path falls back like any other. */
    assert_int_equal(http_static_lookup(site, "/.secret", NULL, &r, &err), 0);
    assert_memory_equal(r.data, INDEX_HTML, strlen(INDEX_HTML));
    http_static_free(site);
}

static void test_static_portal_paths_serve_portal_html(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;
    const char *portal[] = {"/portal", "/portal/", "/portal/login", "/portal/me"};
    for (size_t i = 0; i < sizeof(portal) / sizeof(portal[0]); i++) {
        assert_int_equal(http_static_lookup(site, portal[i], NULL, &r, &err), 0);
        assert_int_equal(r.status, 200);
        assert_true(r.is_html);
        assert_memory_equal(r.data, PORTAL_HTML, strlen(PORTAL_HTML));
    }
    /* Only the /portal segment: /portalx is a console path. */
    assert_int_equal(http_static_lookup(site, "/portalx", NULL, &r, &err), 0);
    assert_memory_equal(r.data, INDEX_HTML, strlen(INDEX_HTML));
    http_static_free(site);
}

static void test_static_api_paths_and_missing_assets_are_not_the_consoles(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;
    static const char *const not_ours[] = {
        "/api",       "/api/",    "/api/v1/nope",       "/healthz",
        "/healthz/x", "/metrics", "/assets/app-0000.js"};
    for (size_t i = 0; i < sizeof(not_ours) / sizeof(not_ours[0]); i++)
        assert_int_equal(http_static_lookup(site, not_ours[i], NULL, &r, &err), MS_ENOTFOUND);
    /* Only whole segments count: "/apiary" is a console path. */
    assert_int_equal(http_static_lookup(site, "/apiary", NULL, &r, &err), 0);
    http_static_free(site);
}

static void test_static_traversal_is_refused(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    static const char *const hostile[] = {"/../etc/passwd", "/assets/../../x", "/..",
                                          "/a\\..\\b",      "/a\x01",          "relative"};
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        struct ms_err err = MS_ERR_INIT;
        assert_int_equal(http_static_lookup(site, hostile[i], NULL, &r, &err), MS_EINVAL);
    }
    /* "..." or "..x" are ordinary names. */
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_lookup(site, "/...", NULL, &r, &err), 0);
    http_static_free(site);
}

static void test_static_symlink_out_of_root_is_not_loaded(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_lookup(site, "/leak.txt", NULL, &r, &err), 0);
    assert_true(r.is_html); /* the fallback, not the linked file */
    assert_null(strstr(r.data, "outside"));
    /* A link that stays inside the root is served. */
    assert_int_equal(http_static_lookup(site, "/alias.html", NULL, &r, &err), 0);
    assert_memory_equal(r.data, INDEX_HTML, strlen(INDEX_HTML));
    http_static_free(site);
}

static void test_static_etag_gives_304(void **state)
{
    (void)state;
    struct http_static *site = load();
    struct http_static_reply r;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_lookup(site, "/", NULL, &r, &err), 0);
    char etag[64];
    snprintf(etag, sizeof(etag), "%s", r.etag);
    assert_int_equal(http_static_lookup(site, "/", etag, &r, &err), 0);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_int_equal(http_static_lookup(site, "/", "\"other\"", &r, &err), 0);
    assert_int_equal(r.status, 200);
    http_static_free(site);
}

static void test_static_load_refuses_a_root_without_index(void **state)
{
    (void)state;
    struct http_static *site = NULL;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_static_load(outside, &site, &err), MS_EINVAL);
    assert_null(site);
    assert_non_null(strstr(err.message, "index.html"));
    struct ms_err err2 = MS_ERR_INIT;
    assert_int_equal(http_static_load("/nonexistent/web/dist", &site, &err2), MS_EINVAL);
}

/* --- through a real server --------------------------------------------- */

struct fetched {
    long status;
    char headers[4096];
    size_t header_len;
    char body[4096];
    size_t body_len;
};

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
    struct fetched *f = ud;
    size_t len = size * n;
    if (f->header_len + len < sizeof(f->headers)) {
        memcpy(f->headers + f->header_len, buf, len);
        f->header_len += len;
        f->headers[f->header_len] = '\0';
    }
    return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud)
{
    struct fetched *f = ud;
    size_t len = size * n;
    if (f->body_len + len < sizeof(f->body)) {
        memcpy(f->body + f->body_len, buf, len);
        f->body_len += len;
        f->body[f->body_len] = '\0';
    }
    return len;
}

static void fetch(uint16_t port, const char *method, const char *path, const char *header,
                  struct fetched *f)
{
    char url[512];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
    memset(f, 0, sizeof(*f));
    CURL *c = curl_easy_init();
    struct curl_slist *h = header ? curl_slist_append(NULL, header) : NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* send ".." as it is */
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "POST") == 0)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    if (h)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static int count_header(const char *headers, const char *name)
{
    int n = 0;
    size_t len = strlen(name);
    for (const char *p = headers; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncasecmp(p, name, len) == 0 && p[len] == ':')
            n++;
    return n;
}

static void test_static_served_by_the_server(void **state)
{
    (void)state;
    static const struct http_route_table no_tables[1]; /* only the built-in routes */
    struct http_server_config cfg = {.tables = no_tables,
                                     .host = "127.0.0.1",
                                     .threads = 2,
                                     .max_body_bytes = 1 << 20,
                                     .db_url = ":memory:",
                                     .web_root = root};
    struct http_server *srv;
    struct ms_err err = MS_ERR_INIT;
    assert_int_equal(http_server_start(&cfg, &srv, &err), 0);
    uint16_t port = http_server_port(srv);
    struct fetched f;

    fetch(port, "GET", "/assets/app-3f2a.js", NULL, &f);
    assert_int_equal(f.status, 200);
    assert_string_equal(f.body, APP_JS);
    assert_non_null(strstr(f.headers, "Content-Type: text/javascript; charset=utf-8"));
    assert_non_null(strstr(f.headers, "Cache-Control: public, max-age=31536000, immutable"));
    assert_int_equal(count_header(f.headers, "Cache-Control"), 1);

    fetch(port, "GET", "/residents/abc", NULL, &f);
    assert_int_equal(f.status, 200);
    assert_string_equal(f.body, INDEX_HTML);
    assert_non_null(strstr(f.headers, "Cache-Control: no-cache"));
    assert_int_equal(count_header(f.headers, "Cache-Control"), 1);
    assert_int_equal(count_header(f.headers, "Content-Security-Policy"), 1);

    char etag[128], *p = strstr(f.headers, "ETag: ");
    assert_non_null(p);
    snprintf(etag, sizeof(etag), "If-None-Match: %.*s", (int)strcspn(p + 6, "\r\n"), p + 6);
    fetch(port, "GET", "/", etag, &f);
    assert_int_equal(f.status, 304);

    fetch(port, "HEAD", "/", NULL, &f);
    assert_int_equal(f.status, 200);
    assert_int_equal(f.body_len, 0);

    fetch(port, "GET", "/assets/../../etc/passwd", NULL, &f);
    assert_int_equal(f.status, 400);
    assert_non_null(strstr(f.body, "\"invalid_request\""));

    fetch(port, "GET", "/%00x", NULL, &f); /* a decoded NUL never reaches a look-up */
    assert_int_equal(f.status, 400);

    fetch(port, "GET", "/api/v1/nope", NULL, &f);
    assert_int_equal(f.status, 404);
    assert_non_null(strstr(f.body, "\"not_found\""));
    assert_non_null(strstr(f.headers, "Cache-Control: no-store"));

    fetch(port, "GET", "/assets/gone-1234.js", NULL, &f);
    assert_int_equal(f.status, 404);

    fetch(port, "POST", "/residents", NULL, &f); /* only GET and HEAD fall back */
    assert_int_equal(f.status, 404);

    http_server_stop(srv, 1000);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_content_types_and_cache_headers),
        cmocka_unit_test(test_static_history_fallback_serves_index),
        cmocka_unit_test(test_static_portal_paths_serve_portal_html),
        cmocka_unit_test(test_static_api_paths_and_missing_assets_are_not_the_consoles),
        cmocka_unit_test(test_static_traversal_is_refused),
        cmocka_unit_test(test_static_symlink_out_of_root_is_not_loaded),
        cmocka_unit_test(test_static_etag_gives_304),
        cmocka_unit_test(test_static_load_refuses_a_root_without_index),
        cmocka_unit_test(test_static_served_by_the_server),
    };
    int rc = cmocka_run_group_tests(tests, make_site, remove_site);
    curl_global_cleanup();
    return rc;
}
