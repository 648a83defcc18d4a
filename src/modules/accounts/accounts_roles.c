/*
 * accounts_roles.c - 角色管理: the roles with their permissions and their
 * users' data scopes, and changing a business role's permissions.
 *
 * What may change is narrow on purpose, so the three-role separation of
 * docs/security.md cannot be undone from the console: the three system
 * roles (admin, security_admin, auditor) are fixed by migration; nobody
 * changes the role they hold themselves; and a business role can never be
 * given a reserved permission (system:*, audit:*), which belong to those
 * three. accounts_check_separation() runs again inside the transaction as
 * a last guard. Sessions pick the change up within the per-thread cache's
 * 5 seconds (accounts_session.c).
 */
#include "modules/accounts/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules/accounts/accounts_int.h"
#include "modules/accounts/accounts_sql.h"
#include "modules/audit/audit.h"
#include "store/store.h"
#include "core/banned.h"

/* clang-format off */
static const char *const system_roles[] = { "admin", "security_admin", "auditor", NULL };
static const char *const reserved_prefixes[] = { "system:", "audit:", NULL };
/* clang-format on */

static int is_system_role(const char *role)
{
    for (size_t i = 0; system_roles[i]; i++)
        if (!strcmp(role, system_roles[i]))
            return 1;
    return 0;
}

static int is_reserved(const char *permission)
{
    for (size_t i = 0; reserved_prefixes[i]; i++)
        if (!strncmp(permission, reserved_prefixes[i], strlen(reserved_prefixes[i])))
            return 1;
    return 0;
}

/* Room for one more element in an arena array of *cap elements of size. */
static void *grow(struct ms_arena *arena, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t bigger = *cap ? *cap * 2 : 16;
    void *out = ms_arena_calloc(arena, bigger, size);
    if (n)
        memcpy(out, items, n * size);
    *cap = bigger;
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_permission(const void *a, const void *b)
{
    return strcmp(((const struct accounts_permission *)a)->name,
                  ((const struct accounts_permission *)b)->name);
}

static struct accounts_role *role_named(struct accounts_roles *r, const char *name)
{
    for (size_t i = 0; i < r->n_roles; i++)
        if (!strcmp(r->roles[i].name, name))
            return &r->roles[i];
    return NULL;
}

static int load_roles(struct store *st, struct ms_arena *arena, struct accounts_roles *out,
                      struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    int rc;
    if (store_prepare(st, accounts_sql_roles_list, &s, err) < 0)
        return err->code;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        out->roles = grow(arena, out->roles, out->n_roles, &cap, sizeof(*out->roles));
        struct accounts_role *r = &out->roles[out->n_roles++];
        r->name = ms_arena_strdup(arena, store_col_text(s, 0));
        r->title_zh = ms_arena_strdup(arena, store_col_text(s, 1));
        r->title_en = ms_arena_strdup(arena, store_col_text(s, 2));
        r->is_builtin = store_col_int64(s, 3) != 0;
        r->is_editable = !is_system_role(r->name);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

/* Adds the current row (role in column 0) to role r; cap is r's own. */
typedef void role_row_fn(struct ms_arena *arena, struct accounts_role *r, size_t *cap,
                         struct store_stmt *s);

static void add_grant(struct ms_arena *arena, struct accounts_role *r, size_t *cap,
                      struct store_stmt *s)
{
    r->permissions = grow(arena, r->permissions, r->n_permissions, cap, sizeof(char *));
    r->permissions[r->n_permissions++] = ms_arena_strdup(arena, store_col_text(s, 1));
}

static void add_scope(struct ms_arena *arena, struct accounts_role *r, size_t *cap,
                      struct store_stmt *s)
{
    r->scopes = grow(arena, r->scopes, r->n_scopes, cap, sizeof(*r->scopes));
    struct accounts_role_scope *sc = &r->scopes[r->n_scopes++];
    sc->scope = ms_arena_strdup(arena, store_col_text(s, 1));
    sc->users = store_col_int64(s, 2);
}

/* Shares the rows of sql out to their roles (the grants, the users'
 * scopes). Each role's capacity is kept in a parallel array so that growing
 * one role's list does not touch another's. */
static int load_per_role(struct store *st, const char *sql, role_row_fn *add,
                         struct ms_arena *arena, struct accounts_roles *out, struct ms_err *err)
{
    struct store_stmt *s;
    size_t *caps = ms_arena_calloc(arena, out->n_roles + 1, sizeof(size_t));
    int rc;
    if (store_prepare(st, sql, &s, err) < 0)
        return err->code;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct accounts_role *r = role_named(out, store_col_text(s, 0));
        if (r)
            add(arena, r, &caps[r - out->roles], s);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int load_permissions(struct store *st, struct ms_arena *arena, struct accounts_roles *out,
                            struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    int rc;
    if (store_prepare(st, accounts_sql_permissions_list, &s, err) < 0)
        return err->code;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        out->permissions =
            grow(arena, out->permissions, out->n_permissions, &cap, sizeof(*out->permissions));
        struct accounts_permission *p = &out->permissions[out->n_permissions++];
        p->name = ms_arena_strdup(arena, store_col_text(s, 0));
        p->title_zh = ms_arena_strdup(arena, store_col_text(s, 1));
        p->title_en = ms_arena_strdup(arena, store_col_text(s, 2));
        p->is_reserved = is_reserved(p->name);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int accounts_role_list(struct store *st, struct ms_arena *arena, struct accounts_roles *out,
                       struct ms_err *err)
{
    memset(out, 0, sizeof(*out));
    if (load_roles(st, arena, out, err) < 0 ||
        load_per_role(st, accounts_sql_role_grants, add_grant, arena, out, err) < 0 ||
        load_per_role(st, accounts_sql_role_scopes, add_scope, arena, out, err) < 0 ||
        load_permissions(st, arena, out, err) < 0)
        return err->code;
    /* Sorted in C: the engines' collations may differ on ':' and '_'. */
    for (size_t i = 0; i < out->n_roles; i++)
        if (out->roles[i].n_permissions)
            qsort(out->roles[i].permissions, out->roles[i].n_permissions, sizeof(char *), cmp_str);
    if (out->n_permissions)
        qsort(out->permissions, out->n_permissions, sizeof(*out->permissions), cmp_permission);
    return 0;
}

static int has(const char *const *set, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(set[i], name))
            return 1;
    return 0;
}

/* The English message names the permission; the Chinese one says why. */
static int bad_permission(struct ms_err *err, size_t i, const char *why_en, const char *why_zh,
                          const char *name)
{
    char field[48];
    snprintf(field, sizeof(field), "permissions[%zu]", i);
    int ret = ms_err_field(err, MS_EFIELD, field, "permission '%s': %s", name, why_en);
    ms_err_zh(err, "%s：%s", why_zh, name);
    return ret;
}

/* Each new permission exists, is named once, and is not reserved. */
static int check_new_set(const struct accounts_role_change *in, const struct accounts_roles *all,
                         struct ms_err *err)
{
    for (size_t i = 0; i < in->n_permissions; i++) {
        const char *p = in->permissions[i];
        const struct accounts_permission *known = NULL;
        for (size_t j = 0; j < all->n_permissions && !known; j++)
            if (!strcmp(all->permissions[j].name, p))
                known = &all->permissions[j];
        if (!known)
            return bad_permission(err, i, "unknown", "权限不存在", p);
        if (has(in->permissions, i, p))
            return bad_permission(err, i, "named twice", "权限重复", p);
        if (known->is_reserved)
            return bad_permission(err, i, "kept to the three system roles",
                                  "系统管理与审计权限只属于三员角色，不能授予业务角色", p);
    }
    return 0;
}

static int role_may_change(const char *role, const struct ms_actor *actor, struct ms_err *err)
{
    int ret;
    if (is_system_role(role)) {
        ret = ms_err_set(err, MS_ECONFLICT,
                         "the permissions of role '%s' are fixed (three-role separation)", role);
        ms_err_zh(err,
                  "三员角色（系统管理员、安全管理员、安全审计员）的权限由系统固定，不能在线修改");
        return ret;
    }
    if (actor->role && !strcmp(actor->role, role)) {
        ret = ms_err_set(err, MS_ECONFLICT, "nobody changes the permissions of their own role");
        ms_err_zh(err, "不能修改本人所属角色的权限");
        return ret;
    }
    return 0;
}

/* "added=a,b removed=c", in arena. */
static const char *change_detail(struct ms_arena *arena, const struct accounts_role_change *in,
                                 const char **old, size_t n_old, int *changed)
{
    const char *added = "", *removed = "";
    for (size_t i = 0; i < in->n_permissions; i++)
        if (!has(old, n_old, in->permissions[i]))
            added = ms_arena_printf(arena, "%s%s%s", added, *added ? "," : "", in->permissions[i]);
    for (size_t i = 0; i < n_old; i++)
        if (!has(in->permissions, in->n_permissions, old[i]))
            removed = ms_arena_printf(arena, "%s%s%s", removed, *removed ? "," : "", old[i]);
    *changed = *added || *removed;
    return ms_arena_printf(arena, "added=%s removed=%s", added, removed);
}

struct set_ctx {
    const struct accounts_role_change *in;
    const struct ms_actor *actor;
    struct ms_arena *arena;
    int *changed;
};

static int replace_grants(struct store *st, const struct accounts_role_change *in,
                          struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, accounts_sql_role_grants_clear, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->role);
    int rc = store_step(s, err);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (store_prepare(st, accounts_sql_role_grant, &s, err) < 0)
        return err->code;
    for (size_t i = 0; i < in->n_permissions && rc >= 0; i++) {
        store_bind_text(s, 1, in->role);
        store_bind_text(s, 2, in->permissions[i]);
        rc = store_step(s, err);
        store_reset(s);
    }
    return rc < 0 ? rc : 0;
}

static int set_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct set_ctx *c = ctx;
    struct accounts_roles all;
    const char **old;
    size_t n_old;
    if (accounts_role_list(st, c->arena, &all, err) < 0)
        return err->code;
    if (!role_named(&all, c->in->role))
        return ms_err_set(err, MS_ENOTFOUND, "role '%s' not found", c->in->role);
    if (check_new_set(c->in, &all, err) < 0 ||
        accounts__load_permissions(st, c->in->role, c->arena, &old, &n_old, err) < 0)
        return err->code;
    const char *detail = change_detail(c->arena, c->in, old, n_old, c->changed);
    if (!*c->changed)
        return 0;
    if (replace_grants(st, c->in, err) < 0 || accounts_check_separation(st, err) < 0)
        return err->code;
    struct audit_entry e = {.action = "role.set_permissions",
                            .object_type = "role",
                            .object_id = c->in->role,
                            .purpose = c->in->reason,
                            .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int accounts_role_set_permissions(struct store *st, const struct accounts_role_change *in,
                                  const struct ms_actor *actor, struct ms_arena *arena,
                                  int *changed, struct ms_err *err)
{
    *changed = 0;
    if (role_may_change(in->role, actor, err) < 0)
        return err->code;
    struct set_ctx ctx = {in, actor, arena, changed};
    return store_tx(st, set_tx, &ctx, err);
}
