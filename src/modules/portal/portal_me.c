/*
 * portal_me.c - a resident's own record, as the portal shows it.
 *
 * Built from the registry's own reads (the whole district's scope: the
 * resident is fixed by the session, not by anything in the request), then
 * cut down to what a resident needs to check their file (PIPL art. 45, the
 * right to access; rules.md §12.2 minimisation): the ID and phone numbers
 * masked 6+4 and 3+4, the household as masked names and relations only (no
 * member's number, birth date or code), and the timeline as kinds and
 * dates (event details may name other people). The registry's per-read
 * audit entries are not recorded: the one portal.me entry says who read
 * what, with the resident as both actor and subject.
 */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>

#include "core/mask.h"
#include "core/str.h"
#include "modules/audit/audit.h"
#include "modules/placenames/placenames.h"
#include "modules/portal/portal_int.h"
#include "modules/portal/portal_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

static int load_code(struct store *st, int64_t resident_id, struct ms_arena *arena,
                     const char **code, int64_t *household_id, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, portal_sql_me, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, resident_id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *code = ms_arena_strdup(arena, store_col_text(s, 0));
        *household_id = store_col_is_null(s, 1) ? 0 : store_col_int64(s, 1);
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return ms_err_set(err, MS_ENOTFOUND, "resident not found");
    return 0;
}

/* "万东镇 / 幸福村" for an address: its place and the place's ancestors below
 * the district; "" when no place carries the code. */
static const char *place_label(struct store *st, const struct registry_address *a,
                               struct ms_arena *arena)
{
    struct place p, *up;
    size_t n_up;
    struct ms_err err = MS_ERR_INIT;
    int rc = a->place_id ? placenames_get(st, a->place_id, arena, &p, &err)
                         : placenames_get_by_code(st, a->region_code, arena, &p, &err);
    if (rc < 0 || placenames_ancestors(st, &p, arena, &up, &n_up, &err) < 0)
        return "";
    struct ms_str out = MS_STR_INIT;
    for (size_t i = 0; i < n_up; i++) {
        if (strcmp(up[i].kind, "district") == 0 || strcmp(up[i].kind, "county") == 0)
            continue;
        ms_str_addf(&out, "%s / ", up[i].name);
    }
    ms_str_addf(&out, "%s", p.name);
    const char *label = ms_arena_strdup(arena, out.buf ? out.buf : "");
    ms_str_release(&out);
    return label;
}

static int load_members(struct store *st, int64_t household_id, const char *self_code,
                        struct ms_arena *arena, struct portal_me *out, struct ms_err *err)
{
    struct registry_household h;
    struct audit_entry unused;
    if (registry_household_get(st, "", household_id, arena, &h, &unused, err) < 0)
        return err->code;
    out->members = ms_arena_calloc(arena, h.n_members ? h.n_members : 1, sizeof(*out->members));
    for (size_t i = 0; i < h.n_members; i++) {
        char masked[MS_MASK_NAME_BUF];
        ms_mask_name(h.members[i].name, masked);
        out->members[i].name_masked = ms_arena_strdup(arena, masked);
        out->members[i].relation = h.members[i].relation;
        out->members[i].is_self = strcmp(h.members[i].code, self_code) == 0;
    }
    out->n_members = h.n_members;
    return 0;
}

static int load_events(struct store *st, const char *code, struct ms_arena *arena,
                       struct portal_me *out, struct ms_err *err)
{
    struct registry_event *ev;
    size_t n;
    struct audit_entry unused;
    if (registry_event_list(st, "", code, arena, &ev, &n, &unused, err) < 0)
        return err->code;
    out->events = ms_arena_calloc(arena, n ? n : 1, sizeof(*out->events));
    for (size_t i = 0; i < n; i++)
        out->events[i] = (struct portal_event){ev[i].kind, ev[i].date, ev[i].source_module};
    out->n_events = n;
    return 0;
}

int portal_me_get(struct store *st, int64_t resident_id, struct ms_arena *arena,
                  struct portal_me *out, struct audit_entry *read, struct ms_err *err)
{
    const char *code = NULL;
    int64_t household_id = 0;
    struct registry_resident r;
    struct audit_entry unused;
    memset(out, 0, sizeof(*out));
    if (load_code(st, resident_id, arena, &code, &household_id, err) < 0 ||
        registry_resident_get(st, "", code, arena, &r, &unused, err) < 0)
        return err->code;
    out->code = r.code;
    out->name = r.name;
    out->sex = r.sex;
    out->birth_date = r.birth_date;
    out->age = r.age;
    out->id_number_masked = r.id_number_masked;
    out->phone_masked = r.phone_masked;
    out->hukou_type = r.hukou_type;
    out->status = r.status;
    out->region_code = r.residence.region_code;
    out->address = r.residence.detail ? r.residence.detail : "";
    out->place = place_label(st, &r.residence, arena);
    if (household_id && load_members(st, household_id, r.code, arena, out, err) < 0)
        return err->code;
    if (load_events(st, r.code, arena, out, err) < 0)
        return err->code;
    *read = (struct audit_entry){.action = "portal.me",
                                 .object_type = "resident",
                                 .object_id = out->code,
                                 .subject = out->code,
                                 .result = "ok"};
    return 0;
}
