/*
 * openapi.c - the OpenAPI 3.0 document, generated from the route tables at
 * request time so the API description cannot drift from the code.
 *
 * Each route contributes its method, path parameters, summaries (English,
 * with the Chinese as x-summary-zh), permission (x-permission), optional
 * JSON Schemas for body and reply, and the shared error shape.
 */
#include "http/http_int.h"

#include <ctype.h>
#include <string.h>

#include "core/banned.h"

static json_t *error_schema(void)
{
    return json_pack(
        "{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}},s:[s,s]}},s:[s]}", "type",
        "object", "properties", "error", "type", "object", "properties", "code", "type", "string",
        "message", "type", "string", "detail", "type", "string", "field", "type", "string",
        "request_id", "type", "string", "required", "code", "message", "required", "error");
}

static json_t *schema_or_default(const char *text)
{
    if (!text)
        return json_pack("{s:s}", "type", "object");
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    /* A route table with a broken schema is our bug; show it rather than crash. */
    return v ? v : json_pack("{s:s,s:s}", "type", "object", "x-schema-error", jerr.text);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static json_t *operation(const struct http_compiled_route *c)
{
    const struct http_route *r = c->route;
    json_t *op = json_object();
    json_object_set_new(op, "summary", json_string(r->summary ? r->summary : ""));
    if (r->summary_zh)
        json_object_set_new(op, "x-summary-zh", json_string(r->summary_zh));
    json_object_set_new(op, "tags", json_pack("[s]", c->module ? c->module : "system"));
    json_object_set_new(op, "operationId", json_sprintf("%s %s", r->method, r->path));
    if (r->flags & ROUTE_PUBLIC)
        json_object_set_new(op, "security", json_array());
    else if (r->flags & ROUTE_RESIDENT) /* a resident's session, never a staff one */
        json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "bearer", "portal"));
    if (r->permission)
        json_object_set_new(op, "x-permission", json_string(r->permission));

    json_t *params = json_array();
    for (int i = 0; i < c->n_segments; i++)
        if (c->is_param[i])
            json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name",
                                                    c->segments[i], "in", "path", "required", 1,
                                                    "schema", "type", "string"));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);

    if (r->body_schema)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
                                      "application/json", "schema",
                                      schema_or_default(r->body_schema)));
    json_t *responses = json_object();
    json_object_set_new(responses, "2XX",
                        json_pack("{s:s,s:{s:{s:o}}}", "description", "success", "content",
                                  "application/json", "schema",
                                  schema_or_default(r->reply_schema)));
    json_object_set_new(responses, "default",
                        json_pack("{s:s,s:{s:{s:o}}}", "description", "error", "content",
                                  "application/json", "schema", error_schema()));
    json_object_set_new(op, "responses", responses);
    return op;
}

json_t *http__openapi_build(const struct http_router *r)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < r->n_routes; i++) {
        const struct http_compiled_route *c = &r->routes[i];
        json_t *item = json_object_get(paths, c->route->path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, c->route->path, item);
        }
        char method[16];
        snprintf(method, sizeof(method), "%s", c->route->method);
        lower(method);
        json_object_set_new(item, method, operation(c));
    }
    return json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:{s:{s:{s:s,s:s},s:{s:s,s:s,s:s},s:{s:s,s:s,s:s}}},"
                     "s:[{s:[]},{s:[]}]}",
                     "openapi", "3.0.3", "info", "title", "minsheng API", "version", MS_VERSION,
                     "description",
                     "民生 district livelihood-services platform. Errors share one shape: "
                     "{\"error\":{\"code\",\"message\",\"detail\",\"field\",\"request_id\"}}.",
                     "paths", paths, "components", "securitySchemes", "bearer", "type", "http",
                     "scheme", "bearer", "cookie", "type", "apiKey", "in", "cookie", "name",
                     HTTP_STAFF_COOKIE, "portal", "type", "apiKey", "in", "cookie", "name",
                     HTTP_RESIDENT_COOKIE, "security", "bearer", "cookie");
}
