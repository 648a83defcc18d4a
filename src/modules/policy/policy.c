/*
 * policy.c - reading and adding versioned policy parameters.
 *
 * policy_get_int() sits on hot paths (every authenticated request reads the
 * session limits), so integer values are cached for CACHE_TTL_MS in a cache
 * per thread (no lock on the hot path). A value set elsewhere (another
 * thread, the CLI, another server) is seen within that time; the thread that
 * sets a value clears its own cache at once.
 */
#include "modules/policy/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "modules/audit/audit.h"
#include "modules/policy/policy_sql.h"
#include "store/store.h"
#include "core/banned.h"

#define CACHE_TTL_MS 5000.0
#define CACHE_SLOTS 64
#define KEY_MAX 80

struct cache_slot {
    char key[KEY_MAX];
    char date[11];
    int64_t value;
    double expires_ms;
};

static __thread struct {
    struct cache_slot slots[CACHE_SLOTS];
    size_t next; /* round-robin replacement */
} cache;

static const char *nz(const char *s)
{
    return s ? s : "";
}

static const char *date_or_today(const char *date, char *buf)
{
    if (date)
        return date;
    ms_clock_today_cst(buf);
    return buf;
}

static void read_value(struct store_stmt *s, int col, struct ms_arena *a, struct policy_value *v)
{
    const char **f[] = {&v->key, &v->value, &v->effective_from, &v->source, &v->note,
                        &v->created_at, &v->created_by};
    for (int i = 0; i < 7; i++)
        *f[i] = ms_arena_strdup(a, nz(store_col_text(s, col + i)));
}

/* Reads key, kind, unit, titles, min_value, max_value (columns 0-6). */
static void read_def(struct store_stmt *s, struct ms_arena *a, struct policy_def *d)
{
    const char **f[] = {&d->key, &d->kind, &d->unit, &d->title_zh, &d->title_en};
    for (int i = 0; i < 5; i++)
        *f[i] = ms_arena_strdup(a, nz(store_col_text(s, i)));
    d->has_min = !store_col_is_null(s, 5);
    d->min_value = d->has_min ? store_col_int64(s, 5) : 0;
    d->has_max = !store_col_is_null(s, 6);
    d->max_value = d->has_max ? store_col_int64(s, 6) : 0;
}

static int not_set(struct ms_err *err, const char *key, const char *date)
{
    int ret = ms_err_set(err, MS_ENOTFOUND, "policy '%s' has no value in force on %s", key, date);
    ms_err_zh(err, "政策参数“%s”在 %s 没有生效的取值", key, date);
    return ret;
}

int policy_get(struct store *st, const char *key, const char *date, struct ms_arena *arena,
               struct policy_value *out, struct ms_err *err)
{
    char today[11];
    struct store_stmt *s;
    date = date_or_today(date, today);
    if (store_prepare(st, policy_sql_get, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, date);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        read_value(s, 0, arena, out);
    store_reset(s);
    if (rc < 0)
        return rc;
    return rc == STORE_ROW ? 0 : not_set(err, key, date);
}

static int cache_find(const char *key, const char *date, int64_t *out)
{
    double now = ms_clock_mono_ms();
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct cache_slot *c = &cache.slots[i];
        if (c->expires_ms > now && strcmp(c->key, key) == 0 && strcmp(c->date, date) == 0) {
            *out = c->value;
            return 1;
        }
    }
    return 0;
}

static void cache_put(const char *key, const char *date, int64_t value)
{
    if (strlen(key) >= KEY_MAX || strlen(date) != 10)
        return;
    struct cache_slot *c = &cache.slots[cache.next++ % CACHE_SLOTS];
    snprintf(c->key, sizeof(c->key), "%s", key);
    snprintf(c->date, sizeof(c->date), "%s", date);
    c->value = value;
    c->expires_ms = ms_clock_mono_ms() + CACHE_TTL_MS;
}

static void cache_clear(void)
{
    memset(cache.slots, 0, sizeof(cache.slots));
}

int policy_get_int(struct store *st, const char *key, const char *date, int64_t *out,
                   struct ms_err *err)
{
    char today[11];
    date = date_or_today(date, today);
    if (cache_find(key, date, out))
        return 0;
    struct ms_arena a;
    struct policy_value v;
    ms_arena_init(&a, 1024);
    int rc = policy_get(st, key, date, &a, &v, err);
    if (rc == 0) {
        char *end;
        errno = 0;
        long long n = strtoll(v.value, &end, 10);
        if (!*v.value || *end || errno == ERANGE)
            rc = ms_err_set(err, MS_EINTEGRITY, "policy '%s' value '%s' is not an integer", key,
                            v.value);
        else
            *out = n;
    }
    ms_arena_release(&a);
    if (rc == 0)
        cache_put(key, date, *out);
    return rc;
}

int policy_list(struct store *st, const char *date, struct ms_arena *arena,
                struct policy_item **items, size_t *n, struct ms_err *err)
{
    char today[11];
    struct store_stmt *s;
    size_t cap = 64;
    int rc;
    date = date_or_today(date, today);
    if (store_prepare(st, policy_sql_list, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, date);
    *items = ms_arena_calloc(arena, cap, sizeof(**items));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct policy_item *bigger = ms_arena_calloc(arena, cap * 2, sizeof(*bigger));
            memcpy(bigger, *items, cap * sizeof(*bigger));
            *items = bigger;
            cap *= 2;
        }
        struct policy_item *it = &(*items)[(*n)++];
        read_def(s, arena, &it->def);
        it->has_value = !store_col_is_null(s, 7);
        if (it->has_value) {
            read_value(s, 6, arena, &it->value);
            it->value.key = it->def.key; /* column 6 is max_value; the key is the def's */
        }
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int unknown_key(struct ms_err *err, const char *key)
{
    int ret = ms_err_field(err, MS_ENOTFOUND, "key", "policy key '%.80s' is not defined", key);
    ms_err_zh(err, "未定义的政策参数“%.80s”", key);
    return ret;
}

static int load_def(struct store *st, const char *key, struct ms_arena *arena,
                    struct policy_def *def, struct ms_err *err)
{
    struct store_stmt *s;
    if (store_prepare(st, policy_sql_def, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, key);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        read_def(s, arena, def);
    store_reset(s);
    if (rc < 0)
        return rc;
    return rc == STORE_ROW ? 0 : unknown_key(err, key);
}

int policy_history(struct store *st, const char *key, struct ms_arena *arena,
                   struct policy_def *def, struct policy_value **values, size_t *n,
                   struct ms_err *err)
{
    struct store_stmt *s;
    size_t cap = 16;
    int rc;
    if (load_def(st, key, arena, def, err) < 0)
        return err->code;
    if (store_prepare(st, policy_sql_history, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, key);
    *values = ms_arena_calloc(arena, cap, sizeof(**values));
    *n = 0;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (*n == cap) {
            struct policy_value *bigger = ms_arena_calloc(arena, cap * 2, sizeof(*bigger));
            memcpy(bigger, *values, cap * sizeof(*bigger));
            *values = bigger;
            cap *= 2;
        }
        read_value(s, 0, arena, &(*values)[(*n)++]);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int out_of_range(const struct policy_def *def, int64_t lo, int64_t hi, int has_hi,
                        struct ms_err *err)
{
    int ret;
    if (has_hi) {
        ret = ms_err_field(err, MS_EFIELD, "value", "policy '%s' takes a whole number from %lld to %lld",
                           def->key, (long long)lo, (long long)hi);
        ms_err_zh(err, "政策参数“%s”的取值应为 %lld 到 %lld 之间的整数", def->key, (long long)lo,
                  (long long)hi);
    } else {
        ret = ms_err_field(err, MS_EFIELD, "value", "policy '%s' takes a whole number of at least %lld",
                           def->key, (long long)lo);
        ms_err_zh(err, "政策参数“%s”的取值应为不小于 %lld 的整数%s", def->key, (long long)lo,
                  strcmp(def->kind, "fen") == 0 ? "（单位：分）" : "");
    }
    return ret;
}

/* Checks text against the key's kind: int and fen are whole numbers (fen is
 * money in fen) within the key's bounds (0 and up unless the key says
 * otherwise), ratio a non-negative decimal, text anything non-empty. */
static int check_value(const struct policy_def *def, const char *value, struct ms_err *err)
{
    if (strcmp(def->kind, "int") == 0 || strcmp(def->kind, "fen") == 0) {
        int64_t lo = def->has_min ? def->min_value : 0;
        char *end;
        errno = 0;
        long long n = strtoll(value, &end, 10);
        if (!*value || *end || errno == ERANGE || n < lo || (def->has_max && n > def->max_value))
            return out_of_range(def, lo, def->max_value, def->has_max, err);
        return 0;
    }
    if (strcmp(def->kind, "ratio") == 0) {
        int64_t ppm;
        if (ms_money_parse_ratio(value, &ppm, NULL) == 0 && ppm >= 0)
            return 0;
        int ret = ms_err_field(err, MS_EFIELD, "value",
                               "policy '%s' takes a non-negative decimal such as 1.5", def->key);
        ms_err_zh(err, "政策参数“%s”的取值应为非负小数，例如 1.5", def->key);
        return ret;
    }
    return 0;
}

struct set_ctx {
    const struct policy_set_in *in;
    const struct ms_actor *actor;
};

static int set_tx(struct store *st, void *ctx, struct ms_err *err)
{
    struct set_ctx *c = ctx;
    const struct policy_set_in *in = c->in;
    char now[MS_TS_LEN + 1];
    struct store_stmt *s;

    ms_clock_format(ms_clock_now_ms(), now);
    if (store_prepare(st, policy_sql_insert, &s, err) < 0)
        return err->code;
    store_bind_text(s, 1, in->key);
    store_bind_text(s, 2, in->value);
    store_bind_text(s, 3, in->effective_from);
    store_bind_text(s, 4, in->source);
    store_bind_text(s, 5, nz(in->note));
    store_bind_text(s, 6, now);
    store_bind_text(s, 7, nz(c->actor->username));
    int rc = store_step(s, err);
    store_reset(s);
    if (rc == MS_EEXISTS) {
        ms_err_init(err);
        rc = ms_err_field(err, MS_EEXISTS, "effective_from",
                          "policy '%s' already has a value from %s", in->key, in->effective_from);
        ms_err_zh(err, "政策参数“%s”在 %s 已有取值；如需更正请使用新的生效日期", in->key,
                  in->effective_from);
        return rc;
    }
    if (rc < 0)
        return rc;
    char detail[256];
    snprintf(detail, sizeof(detail), "value=%.60s effective_from=%s", in->value,
             in->effective_from);
    struct audit_entry e = {.action = "policy.set", .object_type = "policy",
                            .object_id = in->key, .result = "ok", .detail = detail};
    return audit_append(st, c->actor, &e, err);
}

int policy_set(struct store *st, const struct policy_set_in *in, const struct ms_actor *actor,
               struct ms_err *err)
{
    struct ms_arena a;
    struct policy_def def;
    int32_t day;
    int rc;

    if (!in->source || !*in->source) {
        rc = ms_err_field(err, MS_EMISSING, "source", "a policy value needs its source document");
        ms_err_zh(err, "请填写依据文件（来源）");
        return rc;
    }
    if (ms_date_parse(in->effective_from, &day, err) < 0) {
        snprintf(err->field, sizeof(err->field), "effective_from");
        return err->code;
    }
    ms_arena_init(&a, 1024);
    rc = load_def(st, in->key, &a, &def, err);
    if (rc == 0)
        rc = check_value(&def, in->value, err);
    ms_arena_release(&a);
    if (rc < 0)
        return rc;
    struct set_ctx ctx = {in, actor};
    rc = store_tx(st, set_tx, &ctx, err);
    if (rc == 0)
        cache_clear();
    return rc;
}
