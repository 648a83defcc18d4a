/*
 * static.c - the web console's files (web/dist), served by the API server.
 *
 * The whole folder is read into memory once, at start (http_static_load),
 * and every reply points into that copy (MHD_RESPMEM_PERSISTENT): no file
 * system call per request, no file descriptor whose lifetime must follow a
 * response, and nothing on disk can change what is served while it runs.
 * The console is a few hundred kilobytes of Vite output whose asset names
 * change with their content, so a new build means a restart anyway. The
 * price is memory, which the load caps (STATIC_MAX_TOTAL_BYTES).
 *
 * Loading the table once also settles directory traversal: a request can
 * only ever name a file that was inside the root at start. Symbolic links
 * are resolved while loading, and one that leads out of the root is
 * skipped (and logged). Requests holding a ".." segment, a backslash or a
 * control character are refused with 400 before any look-up, so the rule
 * is visible rather than incidental.
 *
 * What a GET or HEAD gets (the caller has already found no API route):
 *   - a file of the table: 200 with its type, and
 *       Cache-Control: public, max-age=31536000, immutable under /assets/
 *       (Vite puts a content hash in those names), no-cache elsewhere;
 *     an ETag, so no-cache costs a 304 and not a download;
 *   - "/" or any other path that is no file: index.html (history-mode
 *     routing in the browser), except under /api/, /healthz, /metrics,
 *     which stay the API's 404, and under /assets/, where a missing file is
 *     a stale or wrong asset name: 404 there, because index.html served as
 *     JavaScript fails in the browser with an error that hides the cause;
 *   - "/portal" and any "/portal/..." path that is no file: portal.html, the
 *     resident portal's own page (a second Vite entry, so phones never load
 *     the console), when the build has one.
 */
#include "http/server.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/xalloc.h"

#include "core/banned.h" /* last: it redefines the banned names */

#define STATIC_MAX_FILES       4096
#define STATIC_MAX_TOTAL_BYTES ((size_t)256 << 20)
#define STATIC_MAX_DEPTH       16

#define CACHE_IMMUTABLE  "public, max-age=31536000, immutable"
#define CACHE_REVALIDATE "no-cache"

/* Sent with HTML only: the console loads nothing from elsewhere and runs no
 * inline script. Element Plus sets inline styles, hence 'unsafe-inline'
 * for styles; ECharts draws on a canvas and exports through data: URLs. */
#define HTML_CSP                                                                \
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "   \
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

struct static_file {
    char *url_path; /* "/assets/index-3f2a.js" */
    const char *content_type;
    const char *cache_control;
    char etag[2 + 32 + 1]; /* "\"" + 16 bytes in hex + "\"" */
    char *data;
    size_t len;
};

struct http_static {
    char *root;                /* the real path, without a trailing slash */
    struct static_file *files; /* sorted by url_path, for bsearch */
    size_t n_files;
    size_t total_bytes;
    const struct static_file *index;
    const struct static_file *portal; /* portal.html, or NULL */
};

/* clang-format off */
static const struct { const char *ext; const char *type; } content_types[] = {
    { "html",  "text/html; charset=utf-8" },
    { "js",    "text/javascript; charset=utf-8" },
    { "mjs",   "text/javascript; charset=utf-8" },
    { "css",   "text/css; charset=utf-8" },
    { "json",  "application/json" },
    { "map",   "application/json" },
    { "txt",   "text/plain; charset=utf-8" },
    { "svg",   "image/svg+xml" },
    { "png",   "image/png" },
    { "jpg",   "image/jpeg" },
    { "jpeg",  "image/jpeg" },
    { "gif",   "image/gif" },
    { "webp",  "image/webp" },
    { "ico",   "image/x-icon" },
    { "woff",  "font/woff" },
    { "woff2", "font/woff2" },
    { "ttf",   "font/ttf" },
    { "wasm",  "application/wasm" },
};
/* clang-format on */

static const char *content_type_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(content_types) / sizeof(content_types[0]); i++)
            if (strcasecmp(dot + 1, content_types[i].ext) == 0)
                return content_types[i].type;
    return "application/octet-stream";
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "/api/..." and the built-in routes are never the console's. */
static int is_api_path(const char *path)
{
    static const char *const exact[] = {"/api", "/healthz", "/metrics"};
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        size_t n = strlen(exact[i]);
        if (strncmp(path, exact[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return 1;
    }
    return 0;
}

/* A ".." segment, a backslash or a control byte: never a console path. */
static int is_hostile_path(const char *path)
{
    if (path[0] != '/')
        return 1;
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || c == '\\')
            return 1;
        if (c == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0'))
            return 1;
    }
    return 0;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const struct static_file *)a)->url_path,
                  ((const struct static_file *)b)->url_path);
}

static const struct static_file *find_file(const struct http_static *site, const char *path)
{
    struct static_file key = {.url_path = (char *)(uintptr_t)path};
    return bsearch(&key, site->files, site->n_files, sizeof(key), file_cmp);
}

static int read_whole(const char *fs_path, size_t size, char **out, struct ms_err *err)
{
    FILE *f = fopen(fs_path, "rb");
    if (!f)
        return ms_err_set(err, MS_EIO, "cannot open '%s': %s", fs_path, strerror(errno));
    char *buf = ms_xmalloc(size + 1);
    size_t got = fread(buf, 1, size, f);
    fclose(f);
    if (got != size) {
        free(buf);
        return ms_err_set(err, MS_EIO, "short read of '%s' (it changed while loading?)", fs_path);
    }
    buf[size] = '\0';
    *out = buf;
    return 0;
}

static int add_file(struct http_static *site, const char *fs_path, const char *url_path,
                    size_t size, struct ms_err *err)
{
    if (site->n_files >= STATIC_MAX_FILES)
        return ms_err_set(err, MS_EINVAL, "web root '%s' holds more than %d files", site->root,
                          STATIC_MAX_FILES);
    if (size > STATIC_MAX_TOTAL_BYTES - site->total_bytes)
        return ms_err_set(err, MS_EINVAL, "web root '%s' holds more than %zu MiB", site->root,
                          STATIC_MAX_TOTAL_BYTES >> 20);
    struct static_file f = {0};
    if (read_whole(fs_path, size, &f.data, err) < 0)
        return err->code;
    f.len = size;
    f.url_path = ms_xstrdup(url_path);
    f.content_type = content_type_of(url_path);
    f.cache_control = has_prefix(url_path, "/assets/") ? CACHE_IMMUTABLE : CACHE_REVALIDATE;

    unsigned char hash[16];
    crypto_generichash(hash, sizeof(hash), (const unsigned char *)f.data, f.len, NULL, 0);
    f.etag[0] = '"';
    sodium_bin2hex(f.etag + 1, 33, hash, sizeof(hash));
    f.etag[33] = '"';
    f.etag[34] = '\0';

    site->files = ms_xrealloc(site->files, (site->n_files + 1) * sizeof(*site->files));
    site->files[site->n_files++] = f;
    site->total_bytes += size;
    return 0;
}

/* Resolves fs_path (following links) and says whether it stays inside the
 * root; fills *st for what it points at. */
static int is_inside_root(const struct http_static *site, const char *fs_path, struct stat *st)
{
    char real[PATH_MAX];
    if (!realpath(fs_path, real) || stat(real, st) < 0)
        return 0;
    size_t n = strlen(site->root);
    return strncmp(real, site->root, n) == 0 && real[n] == '/';
}

static int load_dir(struct http_static *site, const char *fs_dir, const char *url_dir, int depth,
                    struct ms_err *err)
{
    if (depth > STATIC_MAX_DEPTH)
        return ms_err_set(err, MS_EINVAL, "web root '%s' nests deeper than %d folders", site->root,
                          STATIC_MAX_DEPTH);
    DIR *d = opendir(fs_dir);
    if (!d)
        return ms_err_set(err, MS_EIO, "cannot read folder '%s': %s", fs_dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and dot files are never served */
        char fs_path[PATH_MAX], url_path[PATH_MAX];
        if (snprintf(fs_path, sizeof(fs_path), "%s/%s", fs_dir, e->d_name) >=
                (int)sizeof(fs_path) ||
            snprintf(url_path, sizeof(url_path), "%s/%s", url_dir, e->d_name) >=
                (int)sizeof(url_path)) {
            rc = ms_err_set(err, MS_EINVAL, "path too long under '%s'", fs_dir);
            break;
        }
        struct stat st;
        if (!is_inside_root(site, fs_path, &st)) {
            ms_log(MS_LOG_WARN, "http.static.skip", "{s:s,s:s}", "path", fs_path, "reason",
                   "leads out of the web root");
            continue;
        }
        if (S_ISDIR(st.st_mode))
            rc = load_dir(site, fs_path, url_path, depth + 1, err);
        else if (S_ISREG(st.st_mode))
            rc = add_file(site, fs_path, url_path, (size_t)st.st_size, err);
    }
    closedir(d);
    return rc;
}

int http_static_load(const char *root, struct http_static **out, struct ms_err *err)
{
    char real[PATH_MAX];
    struct stat st;
    *out = NULL;
    if (!realpath(root, real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
        return ms_err_set(err, MS_EINVAL, "web root '%s' is not a folder", root);
    struct http_static *site = ms_xcalloc(1, sizeof(*site));
    site->root = ms_xstrdup(real);
    int rc = load_dir(site, site->root, "", 0, err);
    if (rc == 0) {
        qsort(site->files, site->n_files, sizeof(*site->files), file_cmp);
        site->index = find_file(site, "/index.html");
        site->portal = find_file(site, "/portal.html");
        if (!site->index)
            rc = ms_err_set(err, MS_EINVAL,
                            "web root '%s' has no index.html (run scripts/web.sh build)", root);
    }
    if (rc < 0) {
        http_static_free(site);
        return rc;
    }
    ms_log(MS_LOG_INFO, "http.static.loaded", "{s:s,s:I,s:I}", "root", site->root, "files",
           (json_int_t)site->n_files, "bytes", (json_int_t)site->total_bytes);
    *out = site;
    return 0;
}

void http_static_free(struct http_static *site)
{
    if (!site)
        return;
    for (size_t i = 0; i < site->n_files; i++) {
        free(site->files[i].url_path);
        free(site->files[i].data);
    }
    free(site->files);
    free(site->root);
    free(site);
}

/* If-None-Match holds our tag (or is "*"): the client's copy is current. */
static int etag_matches(const char *if_none_match, const char *etag)
{
    return if_none_match &&
           (strcmp(if_none_match, "*") == 0 || strstr(if_none_match, etag) != NULL);
}

int http_static_lookup(const struct http_static *site, const char *path, const char *if_none_match,
                       struct http_static_reply *out, struct ms_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!site || is_api_path(path))
        return MS_ENOTFOUND;
    if (is_hostile_path(path)) {
        int ret = ms_err_set(err, MS_EINVAL, "refused path (\"..\", backslash or control byte)");
        ms_err_zh(err, "请求路径不合法");
        return ret;
    }
    const struct static_file *f = strcmp(path, "/") == 0 ? site->index : find_file(site, path);
    if (!f) {
        if (has_prefix(path, "/assets/"))
            return MS_ENOTFOUND;
        /* A console or portal route: the browser's router takes it from there. */
        int is_portal = strncmp(path, "/portal", 7) == 0 && (path[7] == '\0' || path[7] == '/');
        f = is_portal && site->portal ? site->portal : site->index;
    }
    out->content_type = f->content_type;
    out->cache_control = f->cache_control;
    out->etag = f->etag;
    out->is_html = f->content_type == content_types[0].type;
    if (etag_matches(if_none_match, f->etag)) {
        out->status = 304;
        out->data = "";
        return 0;
    }
    out->status = 200;
    out->data = f->data;
    out->len = f->len;
    return 0;
}

struct MHD_Response *http_static_response(const struct http_static_reply *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->len, (void *)(uintptr_t)r->data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache_control);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
    if (r->is_html) {
        MHD_add_response_header(resp, "Content-Security-Policy", HTML_CSP);
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    }
    return resp;
}
