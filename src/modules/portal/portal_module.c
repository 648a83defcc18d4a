/*
 * portal_module.c - what the portal module brings, including the
 * authenticator the HTTP server uses for ROUTE_RESIDENT routes.
 */
#include "modules/portal/portal.h"
#include "modules/portal/portal_int.h"
#include "core/banned.h"

const struct ms_module portal_module = {
    .name = "portal",
    .migrations = portal_migrations,
    .routes = portal_http_routes,
    .authenticate_resident = portal_http_authenticate,
};
