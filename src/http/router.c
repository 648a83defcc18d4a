/*
 * router.c - matches a method and path against the route tables.
 *
 * Routes are compiled once into segment lists; a request's path is split the
 * same way and compared segment by segment, `{name}` segments capturing.
 * A linear scan is fast enough for a few hundred routes (measured in
 * docs/benchmarks.md); the match order is the table order, so put literal
 * routes before parameterised ones that could shadow them.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "core/banned.h"

static int split_path(char *path, char **segs, int max)
{
    int n = 0;
    char *p = path;
    if (*p != '/')
        return -1;
    while (*p == '/')
        p++;
    while (*p) {
        if (n == max)
            return -1;
        segs[n++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
    }
    return n;
}

static int compile_route(struct http_compiled_route *c, const struct http_route *r,
                         const char *module, struct ms_err *err)
{
    char *copy = ms_xstrdup(r->path);
    char *segs[HTTP_MAX_SEGMENTS];
    int n = split_path(copy, segs, HTTP_MAX_SEGMENTS);
    if (n < 0) {
        free(copy);
        return ms_err_set(err, MS_EINTERNAL, "route '%s %s': bad path", r->method, r->path);
    }
    memset(c, 0, sizeof(*c));
    c->route = r;
    c->module = module;
    c->n_segments = n;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(segs[i]);
        if (len >= 2 && segs[i][0] == '{' && segs[i][len - 1] == '}') {
            c->is_param[i] = 1;
            c->segments[i] = ms_xstrdup(segs[i] + 1);
            c->segments[i][len - 2] = '\0';
        } else {
            c->segments[i] = ms_xstrdup(segs[i]);
        }
    }
    free(copy);
    return 0;
}

static int same_shape(const struct http_compiled_route *a, const struct http_compiled_route *b)
{
    if (a->n_segments != b->n_segments || strcmp(a->route->method, b->route->method) != 0)
        return 0;
    for (int i = 0; i < a->n_segments; i++) {
        if (a->is_param[i] != b->is_param[i])
            return 0;
        if (!a->is_param[i] && strcmp(a->segments[i], b->segments[i]) != 0)
            return 0;
    }
    return 1;
}

int http__router_init(struct http_router *r, const struct http_route_table *tables,
                      size_t n_tables, struct ms_err *err)
{
    size_t total = 0;
    for (size_t t = 0; t < n_tables; t++)
        total += tables[t].count;
    memset(r, 0, sizeof(*r));
    r->routes = ms_xcalloc(total, sizeof(*r->routes));
    for (size_t t = 0; t < n_tables; t++) {
        for (size_t i = 0; i < tables[t].count; i++) {
            struct http_compiled_route *c = &r->routes[r->n_routes];
            if (compile_route(c, &tables[t].routes[i], tables[t].module, err) < 0)
                return err->code;
            r->n_routes++;
            for (size_t j = 0; j + 1 < r->n_routes; j++) {
                if (same_shape(&r->routes[j], c))
                    return ms_err_set(err, MS_EINTERNAL, "route '%s %s' is declared twice",
                                      c->route->method, c->route->path);
            }
        }
    }
    return 0;
}

void http__router_release(struct http_router *r)
{
    for (size_t i = 0; i < r->n_routes; i++)
        for (int s = 0; s < r->routes[i].n_segments; s++)
            free(r->routes[i].segments[s]);
    free(r->routes);
    memset(r, 0, sizeof(*r));
}

static int path_matches(const struct http_compiled_route *c, char **segs, int n)
{
    if (c->n_segments != n)
        return 0;
    for (int i = 0; i < n; i++) {
        if (c->is_param[i]) {
            if (!*segs[i])
                return 0;
        } else if (strcmp(c->segments[i], segs[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

struct http_compiled_route *http__router_match(struct http_router *r, struct http_request *req,
                                               int *code, const char **allow)
{
    char *copy = ms_arena_strdup(req->arena, req->path);
    char *segs[HTTP_MAX_SEGMENTS];
    int n = split_path(copy, segs, HTTP_MAX_SEGMENTS);
    struct ms_str methods = MS_STR_INIT;

    *code = MS_ENOTFOUND;
    *allow = NULL;
    if (n < 0)
        return NULL;
    for (size_t i = 0; i < r->n_routes; i++) {
        struct http_compiled_route *c = &r->routes[i];
        if (!path_matches(c, segs, n))
            continue;
        if (strcmp(c->route->method, req->method) != 0) {
            if (methods.len)
                ms_str_adds(&methods, ", ");
            ms_str_adds(&methods, c->route->method);
            continue;
        }
        req->n_params = 0;
        for (int s = 0; s < n && req->n_params < HTTP_MAX_PARAMS; s++) {
            if (c->is_param[s]) {
                req->param_names[req->n_params] = c->segments[s];
                req->param_values[req->n_params] = segs[s];
                req->n_params++;
            }
        }
        ms_str_release(&methods);
        return c;
    }
    if (methods.len) {
        *code = MS_EMETHOD;
        *allow = ms_arena_strdup(req->arena, methods.buf);
    }
    ms_str_release(&methods);
    return NULL;
}
