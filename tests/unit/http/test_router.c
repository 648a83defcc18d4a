/*
 * test_router.c - route matching: literals, {params}, 404 vs 405 with the
 * Allow list, refusal of duplicate routes, and path ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "http/http_int.h"
#include "core/banned.h"

static int h(struct http_request *req)
{
    (void)req;
    return 0;
}

static const struct http_route routes[] = {
    {.method = "GET", .path = "/api/v1/users", .fn = h},
    {.method = "POST", .path = "/api/v1/users", .fn = h},
    {.method = "GET", .path = "/api/v1/users/{username}", .fn = h},
    {.method = "POST", .path = "/api/v1/users/{username}/disable", .fn = h},
    {.method = "GET", .path = "/api/v1/households/{id}/members/{member}", .fn = h},
};

struct fixture {
    struct http_router router;
    struct ms_arena arena;
    struct http_request req;
};

static int setup(void **state)
{
    static struct fixture f;
    struct ms_err err = MS_ERR_INIT;
    struct http_route_table t = {"test", routes, sizeof(routes) / sizeof(routes[0])};
    memset(&f, 0, sizeof(f));
    assert_int_equal(http__router_init(&f.router, &t, 1, &err), 0);
    ms_arena_init(&f.arena, 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    http__router_release(&f->router);
    ms_arena_release(&f->arena);
    return 0;
}

static struct http_compiled_route *match(struct fixture *f, const char *method, const char *path,
                                         int *code, const char **allow)
{
    memset(&f->req, 0, sizeof(f->req));
    f->req.arena = &f->arena;
    f->req.method = method;
    f->req.path = path;
    return http__router_match(&f->router, &f->req, code, allow);
}

static void test_router_matches_literal_and_method(void **state)
{
    struct fixture *f = *state;
    int code;
    const char *allow;
    struct http_compiled_route *c = match(f, "POST", "/api/v1/users", &code, &allow);
    assert_non_null(c);
    assert_string_equal(c->route->method, "POST");
    assert_int_equal(f->req.n_params, 0);
}

static void test_router_captures_params(void **state)
{
    struct fixture *f = *state;
    int code;
    const char *allow;
    struct http_compiled_route *c =
        match(f, "GET", "/api/v1/households/42/members/7", &code, &allow);
    assert_non_null(c);
    assert_string_equal(http_param(&f->req, "id"), "42");
    assert_string_equal(http_param(&f->req, "member"), "7");
    assert_null(http_param(&f->req, "nope"));
    c = match(f, "POST", "/api/v1/users/alice/disable", &code, &allow);
    assert_non_null(c);
    assert_string_equal(http_param(&f->req, "username"), "alice");
}

static void test_router_unknown_path_is_not_found(void **state)
{
    struct fixture *f = *state;
    int code;
    const char *allow;
    assert_null(match(f, "GET", "/api/v1/nothing", &code, &allow));
    assert_int_equal(code, MS_ENOTFOUND);
    assert_null(match(f, "GET", "/api/v1/users/alice/extra/more", &code, &allow));
    assert_int_equal(code, MS_ENOTFOUND);
    assert_null(match(f, "GET", "relative", &code, &allow));
    assert_int_equal(code, MS_ENOTFOUND);
    /* An empty parameter segment does not match. */
    assert_null(match(f, "GET", "/api/v1/households//members/7", &code, &allow));
}

static void test_router_wrong_method_lists_allowed(void **state)
{
    struct fixture *f = *state;
    int code;
    const char *allow;
    assert_null(match(f, "DELETE", "/api/v1/users", &code, &allow));
    assert_int_equal(code, MS_EMETHOD);
    assert_string_equal(allow, "GET, POST");
}

static void test_router_refuses_duplicate_routes(void **state)
{
    (void)state;
    static const struct http_route dup[] = {
        {.method = "GET", .path = "/a/{x}", .fn = h},
        {.method = "GET", .path = "/a/{y}", .fn = h},
    };
    struct http_router r;
    struct ms_err err = MS_ERR_INIT;
    struct http_route_table t = {"test", dup, 2};
    assert_int_equal(http__router_init(&r, &t, 1, &err), MS_EINTERNAL);
    assert_non_null(strstr(err.message, "declared twice"));
    http__router_release(&r);
}

/* A path id is a positive 64-bit integer, or not an id at all. */
static void test_param_id_takes_positive_integers_only(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "0", "-1", "12a", "abc", "99999999999999999999"};
    struct http_request req = {.n_params = 1, .param_names = {"id"}};
    int64_t id = 0;
    req.param_values[0] = "42";
    assert_int_equal(http_param_id(&req, "id", &id), 1);
    assert_int_equal(id, 42);
    assert_int_equal(http_param_id(&req, "other", &id), 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req.param_values[0] = bad[i];
        if (http_param_id(&req, "id", &id) != 0)
            fail_msg("'%s' taken for an id", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_router_matches_literal_and_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_router_captures_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_router_unknown_path_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_router_wrong_method_lists_allowed, setup, teardown),
        cmocka_unit_test(test_router_refuses_duplicate_routes),
        cmocka_unit_test(test_param_id_takes_positive_integers_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
