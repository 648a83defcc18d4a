/*
 * registry_household.c - households (户) with their members, and life events
 * (a person's timeline).
 *
 * A household is in scope when its own region code is; its members are
 * listed only as far as they are in scope too, so a household split across
 * two towns shows each town only its own residents.
 */
#include "modules/registry/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/registry/registry_int.h"
#include "modules/registry/registry_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define HOUSEHOLD_NUMBER_MAX 20
#define DETAIL_JSON_MAX      2000

/* --- households ------------------------------------------------------------------ */

static int check_number(const char *number, struct ms_err *err)
{
    size_t n = number ? strlen(number) : 0;
    int ok = n >= 1 && n <= HOUSEHOLD_NUMBER_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = (number[i] >= '0' && number[i] <= '9') || (number[i] >= 'A' && number[i] <= 'Z');
    if (ok)
        return 0;
    return registry__bad_field(err, n ? MS_EFIELD : MS_EMISSING, "number",
                               "户号应为 1 至 20 位数字或大写字母",
                               "number must be 1-20 digits or capital letters");
}

struct hh_ctx {
    const struct registry_household_new *in;
    const struct ms_actor *actor;
    int64_t id;
};

static int household_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct hh_ctx *c = ctx;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, registry_sql_household_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, c->in->number);
    store_bind_text(s, 2, c->in->address.region_code);
    if (c->in->address.place_id > 0)
        store_bind_int64(s, 3, c->in->address.place_id);
    else
        store_bind_null(s, 3);
    store_bind_text(s, 4, c->in->address.detail ? c->in->address.detail : "");
    store_bind_text(s, 5, now);
    store_bind_text(s, 6, now);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->id = store_col_int64(s, 0);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        return registry__bad_field(err, MS_EEXISTS, "number", "该户号已存在",
                                   "a household with this number exists already");
    }
    if (rc < 0)
        return rc;
    char id[24], detail[64];
    snprintf(id, sizeof(id), "%lld", (long long)c->id);
    snprintf(detail, sizeof(detail), "region=%s", c->in->address.region_code);
    struct audit_entry e = {.action = "household.create", .object_type = "household",
                            .object_id = id, .result = "ok", .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int registry_household_create(struct store *st, const char *scope,
                              const struct registry_household_new *in,
                              const struct ms_actor *actor, int64_t *id_out, struct ms_err *err)
{
    struct registry_range r;
    if (registry__scope_range(scope, &r, err) < 0 || check_number(in->number, err) < 0 ||
        registry__check_region("address.region_code", in->address.region_code, err) < 0 ||
        (in->address.detail &&
         registry__check_text("address.detail", "详细地址", in->address.detail, 100, err) < 0))
        return err->code;
    if (!registry__in_scope(scope, in->address.region_code))
        return registry__bad_field(err, MS_EFIELD, "address.region_code",
                                   "该地址不在您的数据范围内",
                                   "the address is outside your data scope");
    struct hh_ctx c = {in, actor, 0};
    int rc = store_tx(st, household_tx, &c, err);
    if (rc == 0 && id_out)
        *id_out = c.id;
    return rc;
}

static int household_not_found(struct ms_err *err, int64_t id)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "household %lld not found", (long long)id);
    ms_err_zh(err, "未找到户 %lld", (long long)id);
    return ret;
}

static int load_members(struct store *st, const struct registry_range *r,
                        struct ms_arena *arena, struct registry_household *out,
                        struct ms_err *err)
{
    const struct ms_seal *seal;
    struct store_stmt *s;
    size_t cap = 8;
    int rc;
    if (registry__seal(st, &seal, err) < 0 ||
        store_prepare(st, registry_sql_household_members, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, out->id);
    store_bind_text(s, 2, r->lo);
    store_bind_text(s, 3, r->hi);
    out->members = ms_arena_calloc(arena, cap, sizeof(*out->members));
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (out->n_members == cap) {
            struct registry_resident *bigger = ms_arena_calloc(arena, cap * 2, sizeof(*bigger));
            memcpy(bigger, out->members, cap * sizeof(*bigger));
            out->members = bigger;
            cap *= 2;
        }
        if ((rc = registry__read_resident(s, seal, arena, &out->members[out->n_members], err)) < 0)
            break;
        out->n_members++;
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int registry_household_get(struct store *st, const char *scope, int64_t id,
                           struct ms_arena *arena, struct registry_household *out,
                           struct audit_entry *read, struct ms_err *err)
{
    struct registry_range r;
    struct store_stmt *s;
    memset(out, 0, sizeof(*out));
    if (registry__scope_range(scope, &r, err) < 0 ||
        store_prepare(st, registry_sql_household_get, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, r.lo);
    store_bind_text(s, 3, r.hi);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->id = store_col_int64(s, 0);
        out->number = ms_arena_strdup(arena, store_col_text(s, 1));
        out->head_code = ms_arena_strdup(arena, store_col_text(s, 2));
        out->address.region_code = ms_arena_strdup(arena, store_col_text(s, 3));
        out->address.place_id = store_col_int64(s, 4);
        out->address.detail = ms_arena_strdup(arena, store_col_text(s, 5));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return household_not_found(err, id);
    if (load_members(st, &r, arena, out, err) < 0)
        return err->code;

    struct ms_str codes = MS_STR_INIT;
    for (size_t i = 0; i < out->n_members; i++)
        ms_str_addf(&codes, "%s%s", i ? "," : "", out->members[i].code);
    *read = (struct audit_entry){.action = "household.read", .object_type = "household",
                                 .object_id = ms_arena_printf(arena, "%lld", (long long)id),
                                 .subject = ms_arena_strdup(arena, codes.buf), .result = "ok"};
    ms_str_release(&codes);
    return 0;
}

/* --- life events ------------------------------------------------------------------ */

static const char *const event_kinds[] = {"birth", "marriage", "divorce", "death", "move_in",
                                          "move_out", NULL};

/* The status an event leaves the resident in, or NULL if it changes none. */
static const char *status_after(const char *kind)
{
    if (strcmp(kind, "death") == 0)
        return "deceased";
    if (strcmp(kind, "move_out") == 0)
        return "moved_out";
    if (strcmp(kind, "move_in") == 0)
        return "alive";
    return NULL;
}

static int check_event(const char *kind, const char *date, const char *detail_json,
                       struct ms_err *err)
{
    int known = 0;
    for (size_t i = 0; kind && event_kinds[i]; i++)
        known |= strcmp(kind, event_kinds[i]) == 0;
    if (!known)
        return registry__bad_field(err, kind ? MS_EFIELD : MS_EMISSING, "kind",
                                   "事件类型应为 birth、marriage、divorce、death、move_in 或 "
                                   "move_out",
                                   "kind must be birth, marriage, divorce, death, move_in or "
                                   "move_out");
    if (!date)
        return registry__bad_field(err, MS_EMISSING, "date", "缺少事件日期", "date is missing");
    if (registry__check_date("date", date, err) < 0)
        return err->code;
    if (detail_json) {
        json_t *v = NULL;
        int ok = strlen(detail_json) <= DETAIL_JSON_MAX &&
                 ms_json_parse(detail_json, strlen(detail_json), &v, NULL) == 0 &&
                 json_is_object(v);
        json_decref(v);
        if (!ok)
            return registry__bad_field(err, MS_EFIELD, "detail",
                                       "事件详情应为不超过 2000 字节的 JSON 对象",
                                       "detail must be a JSON object of at most 2000 bytes");
    }
    return 0;
}

struct event_ctx {
    const char *scope, *code, *kind, *date, *detail_json;
    const struct ms_actor *actor;
    struct ms_arena *arena;
    int64_t id;
};

static int event_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct event_ctx *c = ctx;
    struct registry_resident r;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;
    if (registry__load(st, c->scope, c->code, c->arena, &r, NULL, err) < 0)
        return err->code;
    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, registry_sql_event_insert, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, r.id);
    store_bind_text(s, 2, c->kind);
    store_bind_text(s, 3, c->date);
    store_bind_text(s, 4, "registry");
    store_bind_text(s, 5, c->detail_json ? c->detail_json : "{}");
    store_bind_text(s, 6, now);
    store_bind_text(s, 7, c->actor->username ? c->actor->username : "");
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        c->id = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    const char *status = status_after(c->kind);
    if (status) {
        if (store_prepare(st, registry_sql_resident_set_status, &s, err) < 0)
            return err->code;
        store_bind_text(s, 1, status);
        store_bind_text(s, 2, c->date);
        store_bind_text(s, 3, now);
        store_bind_int64(s, 4, r.id);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            return rc;
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "kind=%s date=%s", c->kind, c->date);
    struct audit_entry e = {.action = "resident.event", .object_type = "resident",
                            .object_id = r.code, .subject = r.code, .result = "ok",
                            .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int registry_event_add(struct store *st, const char *scope, const char *code, const char *kind,
                       const char *date, const char *detail_json, const struct ms_actor *actor,
                       int64_t *id_out, struct ms_err *err)
{
    struct registry_range r;
    struct ms_arena a;
    if (registry__scope_range(scope, &r, err) < 0 ||
        check_event(kind, date, detail_json, err) < 0)
        return err->code;
    ms_arena_init(&a, 0);
    struct event_ctx c = {scope, code, kind, date, detail_json, actor, &a, 0};
    int rc = store_tx(st, event_tx, &c, err);
    ms_arena_release(&a);
    if (rc == 0 && id_out)
        *id_out = c.id;
    return rc;
}

int registry_event_list(struct store *st, const char *scope, const char *code,
                        struct ms_arena *arena, struct registry_event **events, size_t *n,
                        struct audit_entry *read, struct ms_err *err)
{
    struct registry_resident r;
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    *n = 0;
    if (registry__load(st, scope, code, arena, &r, NULL, err) < 0 ||
        store_prepare(st, registry_sql_event_list, &s, err) < 0)
        return err->code;
    store_bind_int64(s, 1, r.id);
    *events = ms_arena_calloc(arena, cap, sizeof(**events));
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct registry_event *bigger = ms_arena_calloc(arena, cap * 2, sizeof(*bigger));
            memcpy(bigger, *events, cap * sizeof(*bigger));
            *events = bigger;
            cap *= 2;
        }
        struct registry_event *e = &(*events)[(*n)++];
        e->id = store_col_int64(s, 0);
        e->kind = ms_arena_strdup(arena, store_col_text(s, 1));
        e->date = ms_arena_strdup(arena, store_col_text(s, 2));
        e->source_module = ms_arena_strdup(arena, store_col_text(s, 3));
        e->detail_json = ms_arena_strdup(arena, store_col_text(s, 4));
        e->created_at = ms_arena_strdup(arena, store_col_text(s, 5));
        e->created_by = ms_arena_strdup(arena, store_col_text(s, 6));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    *read = (struct audit_entry){.action = "resident.events", .object_type = "resident",
                                 .object_id = r.code, .subject = r.code, .result = "ok"};
    return 0;
}
