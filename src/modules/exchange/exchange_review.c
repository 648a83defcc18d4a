/*
 * exchange_review.c - the clerical review queue: feed rows and residents
 * side by side with the per-field evidence, and the decisions on them.
 *
 * Accepting a feed pair links the row to the resident ("clerical") and
 * closes the row's other open pairs; rejecting the last open pair of a row
 * leaves it unlinked ("none"). Each decision is audited, and the decided
 * pairs become labelled data for the feed's next model (exchange_link.c,
 * add_feedback). A duplicate pair records the decision only: merging two
 * residents is a registry change of its own (docs/exchange.md).
 */
#include "modules/exchange/exchange_review.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/mask.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange_int.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define PERSON_COLS(a)                                                                       \
    a ".name, " a ".id_number_sealed, " a ".birth_date, " a ".sex, " a ".region_code, " a \
    ".phone_sealed"

/* Used in exchange_reviews_list() and exchange_review_get(). */
static const char sql_reviews[] =
    "SELECT v.id, v.kind, v.status, v.weight_mb, v.evidence, v.created_at, v.decided_at,"
    " v.decided_by, v.reason, coalesce(e.id, 0), coalesce(e.feed, ''), coalesce(e.row_no, 0),"
    " coalesce(e.fact_date, ''), coalesce(e.category, ''), "
    " coalesce(e.name, ''), coalesce(e.id_number_sealed, ''), coalesce(e.birth_date, ''),"
    " coalesce(e.sex, ''), coalesce(e.region_code, ''), coalesce(e.phone_sealed, ''),"
    " r.code, r.address, r.status, " PERSON_COLS("r") ","
    " coalesce(l.code, ''), coalesce(l.address, ''), coalesce(l.status, ''),"
    " coalesce(l.name, ''), coalesce(l.id_number_sealed, ''), coalesce(l.birth_date, ''),"
    " coalesce(l.sex, ''), coalesce(l.region_code, ''), coalesce(l.phone_sealed, '')"
    " FROM exchange_reviews v JOIN residents r ON r.id = v.resident_id"
    " LEFT JOIN exchange_records e ON e.id = v.record_id"
    " LEFT JOIN residents l ON l.id = v.left_resident"
    " WHERE (? = 0 OR v.id = ?) AND (? = '' OR v.status = ?) AND (? = '' OR v.kind = ?)"
    " AND (? = '' OR e.feed = ?) AND r.region_code >= ? AND r.region_code < ?"
    " ORDER BY v.id LIMIT ? OFFSET ?";

static const char sql_reviews_count[] =
    "SELECT count(*) FROM exchange_reviews v JOIN residents r ON r.id = v.resident_id"
    " LEFT JOIN exchange_records e ON e.id = v.record_id"
    " WHERE (? = '' OR v.status = ?) AND (? = '' OR v.kind = ?) AND (? = '' OR e.feed = ?)"
    " AND r.region_code >= ? AND r.region_code < ?";

/* Used in exchange_review_decide(). */
static const char sql_review_for_update[] =
    "SELECT v.kind, v.status, coalesce(v.record_id, 0), v.resident_id, r.code,"
    " coalesce(e.batch_id, 0) FROM exchange_reviews v JOIN residents r ON r.id = v.resident_id"
    " LEFT JOIN exchange_records e ON e.id = v.record_id"
    " WHERE v.id = ? AND r.region_code >= ? AND r.region_code < ?";
static const char sql_review_set[] =
    "UPDATE exchange_reviews SET status = ?, decided_at = ?, decided_by = ?, reason = ?"
    " WHERE id = ? AND status = 'open'";
static const char sql_review_close_others[] =
    "UPDATE exchange_reviews SET status = 'rejected', decided_at = ?, decided_by = ?, reason = ?"
    " WHERE kind = 'feed' AND record_id = ? AND status = 'open' AND id <> ?";
static const char sql_record_clerical[] =
    "UPDATE exchange_records SET resident_id = ?, link_method = 'clerical' WHERE id = ?";
static const char sql_record_open_reviews[] =
    "SELECT count(*) FROM exchange_reviews WHERE kind = 'feed' AND record_id = ? AND status = 'open'";
static const char sql_record_none[] =
    "UPDATE exchange_records SET link_method = 'none' WHERE id = ? AND link_method = 'review'";

static int open_masked(const struct ms_seal *seal, const char *field, const char *sealed,
                       struct ms_arena *arena, char *out, size_t size, struct ms_err *err)
{
    const char *plain;
    out[0] = 0;
    if (!*sealed)
        return 0;
    if (ms_seal_decrypt(seal, field, sealed, arena, &plain, err) < 0)
        return err->code;
    if (!strcmp(field, REGISTRY_SEAL_ID_NUMBER)) {
        char m[MS_MASK_ID_BUF];
        ms_mask_id_number(plain, m);
        snprintf(out, size, "%s", m);
    } else {
        char m[MS_MASK_PHONE_BUF];
        ms_mask_phone(plain, m);
        snprintf(out, size, "%s", m);
    }
    return 0;
}

/* A person from six columns starting at col: name, sealed ID, birth, sex,
 * region, sealed phone; ID and phone masked. */
static int person_json(const struct ms_seal *seal, struct store_stmt *s, int col,
                       struct ms_arena *arena, json_t *o, struct ms_err *err)
{
    char id[MS_MASK_ID_BUF + 8], phone[MS_MASK_PHONE_BUF + 8];
    if (open_masked(seal, REGISTRY_SEAL_ID_NUMBER, store_col_text(s, col + 1), arena, id,
                    sizeof(id), err) < 0 ||
        open_masked(seal, REGISTRY_SEAL_PHONE, store_col_text(s, col + 5), arena, phone,
                    sizeof(phone), err) < 0)
        return err->code;
    json_object_set_new(o, "name", json_string(store_col_text(s, col)));
    json_object_set_new(o, "id_number", json_string(id));
    json_object_set_new(o, "birth_date", json_string(store_col_text(s, col + 2)));
    json_object_set_new(o, "sex", json_string(store_col_text(s, col + 3)));
    json_object_set_new(o, "region_code", json_string(store_col_text(s, col + 4)));
    json_object_set_new(o, "phone", json_string(phone));
    return 0;
}

static json_t *parse_or_empty(const char *text)
{
    json_t *j = *text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_object();
}

static int review_item(const struct ms_seal *seal, struct store_stmt *s, struct ms_arena *arena,
                       json_t **out, struct ms_err *err)
{
    const struct feed_def *f;
    json_t *o = json_object(), *left = json_object(), *right = json_object();
    int is_feed = !strcmp(store_col_text(s, 1), "feed");
    json_object_set_new(o, "id", json_integer(store_col_int64(s, 0)));
    json_object_set_new(o, "kind", json_string(store_col_text(s, 1)));
    json_object_set_new(o, "status", json_string(store_col_text(s, 2)));
    json_object_set_new(o, "weight", json_real((double)store_col_int64(s, 3) / 1000.0));
    json_object_set_new(o, "evidence", parse_or_empty(store_col_text(s, 4)));
    json_object_set_new(o, "created_at", json_string(store_col_text(s, 5)));
    json_object_set_new(o, "decided_at", json_string(store_col_text(s, 6)));
    json_object_set_new(o, "decided_by", json_string(store_col_text(s, 7)));
    json_object_set_new(o, "reason", json_string(store_col_text(s, 8)));
    if (is_feed) {
        f = exchange_feed_find(store_col_text(s, 10), NULL);
        json_object_set_new(left, "record_id", json_integer(store_col_int64(s, 9)));
        json_object_set_new(left, "feed", json_string(store_col_text(s, 10)));
        json_object_set_new(left, "feed_title_zh", json_string(f ? f->title_zh : ""));
        json_object_set_new(left, "feed_title_en", json_string(f ? f->title_en : ""));
        json_object_set_new(left, "row_no", json_integer(store_col_int64(s, 11)));
        json_object_set_new(left, "fact_date", json_string(store_col_text(s, 12)));
        json_object_set_new(left, "category", json_string(store_col_text(s, 13)));
        if (person_json(seal, s, 14, arena, left, err) < 0)
            goto fail;
    } else {
        json_object_set_new(left, "code", json_string(store_col_text(s, 29)));
        json_object_set_new(left, "address", json_string(store_col_text(s, 30)));
        json_object_set_new(left, "status", json_string(store_col_text(s, 31)));
        if (person_json(seal, s, 32, arena, left, err) < 0)
            goto fail;
    }
    json_object_set_new(right, "code", json_string(store_col_text(s, 20)));
    json_object_set_new(right, "address", json_string(store_col_text(s, 21)));
    json_object_set_new(right, "status", json_string(store_col_text(s, 22)));
    if (person_json(seal, s, 23, arena, right, err) < 0)
        goto fail;
    json_object_set_new(o, is_feed ? "record" : "left", left);
    json_object_set_new(o, "resident", right);
    *out = o;
    return 0;
fail:
    json_decref(left);
    json_decref(right);
    json_decref(o);
    return err->code;
}

static void bind_filters(struct store_stmt *s, int first, const struct exchange_page_query *q)
{
    const char *status = q->status ? q->status : "open";
    const char *kind = q->kind ? q->kind : "", *feed = q->feed ? q->feed : "";
    store_bind_text(s, first, status);
    store_bind_text(s, first + 1, status);
    store_bind_text(s, first + 2, kind);
    store_bind_text(s, first + 3, kind);
    store_bind_text(s, first + 4, feed);
    store_bind_text(s, first + 5, feed);
}

static int check_status(const char *status, const char *const *allowed, struct ms_err *err)
{
    if (!status)
        return 0;
    for (; *allowed; allowed++)
        if (!strcmp(status, *allowed))
            return 0;
    return exchange__fail(err, MS_EFIELD, "status", "unknown status", "状态取值不正确");
}

static int query_reviews(struct store *st, const char *scope, int64_t id,
                         const struct exchange_page_query *q, struct ms_arena *arena, json_t *items,
                         struct ms_err *err)
{
    const struct ms_seal *seal;
    struct store_stmt *s;
    char lo[16], hi[16];
    int rc;
    if ((rc = registry_scope_bounds(scope, lo, hi, err)) < 0 ||
        (rc = registry_seal(st, &seal, err)) < 0 ||
        (rc = store_prepare(st, sql_reviews, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, id);
    store_bind_int64(s, 2, id);
    bind_filters(s, 3, q);
    store_bind_text(s, 9, lo);
    store_bind_text(s, 10, hi);
    store_bind_int64(s, 11, q->page_size);
    store_bind_int64(s, 12, (int64_t)(q->page - 1) * q->page_size);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        json_t *item = NULL;
        if ((rc = review_item(seal, s, arena, &item, err)) < 0)
            break;
        json_array_append_new(items, item);
    }
    store_reset(s);
    return rc < 0 ? rc : 0;
}

int exchange_reviews_list(struct store *st, const char *scope, const struct exchange_page_query *q,
                          struct ms_arena *arena, json_t **out, struct audit_entry *read,
                          struct ms_err *err)
{
    static const char *const statuses[] = {"open", "accepted", "rejected", NULL};
    static const char *const kinds[] = {"feed", "duplicate", NULL};
    struct store_stmt *s;
    json_t *items;
    char lo[16], hi[16];
    int64_t total = 0;
    int rc;
    if (check_status(q->status, statuses, err) < 0)
        return err->code;
    if (q->kind && check_status(q->kind, kinds, NULL) < 0)
        return exchange__fail(err, MS_EFIELD, "kind", "kind is feed or duplicate",
                           "类型应为 feed 或 duplicate");
    if ((rc = registry_scope_bounds(scope, lo, hi, err)) < 0 ||
        (rc = store_prepare(st, sql_reviews_count, &s, err)) < 0)
        return rc;
    bind_filters(s, 1, q);
    store_bind_text(s, 7, lo);
    store_bind_text(s, 8, hi);
    if ((rc = store_step(s, err)) == STORE_ROW)
        total = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    items = json_array();
    if ((rc = query_reviews(st, scope, 0, q, arena, items, err)) < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page",
                     q->page, "page_size", q->page_size);
    memset(read, 0, sizeof(*read));
    read->action = "exchange.review.list";
    read->object_type = "review";
    read->object_id = "list";
    read->result = "ok";
    read->detail = ms_arena_printf(arena, "%zu items of %lld", json_array_size(items),
                                   (long long)total);
    return 0;
}

int exchange_review_get(struct store *st, const char *scope, int64_t id, struct ms_arena *arena,
                        json_t **out, struct audit_entry *read, struct ms_err *err)
{
    struct exchange_page_query q = {.status = "", .page = 1, .page_size = 1};
    json_t *items = json_array();
    int rc = query_reviews(st, scope, id, &q, arena, items, err);
    if (rc == 0 && json_array_size(items) == 0)
        rc = exchange__fail(err, MS_ENOTFOUND, "id", "no such review item", "没有这个核对事项");
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_incref(json_array_get(items, 0));
    json_decref(items);
    memset(read, 0, sizeof(*read));
    read->action = "exchange.review.read";
    read->object_type = "review";
    read->object_id = ms_arena_printf(arena, "%lld", (long long)id);
    read->subject = json_string_value(json_object_get(json_object_get(*out, "resident"), "code"));
    read->subject = read->subject ? ms_arena_strdup(arena, read->subject) : NULL;
    read->result = "ok";
    return 0;
}

static int exec_update(struct store *st, const char *sql, struct ms_err *err, int64_t *changes,
                       int n, const char *const *texts, const int64_t *ints, const char *types)
{
    struct store_stmt *s;
    int rc, ti = 0, ii = 0;
    if ((rc = store_prepare(st, sql, &s, err)) < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        if (types[i] == 't')
            store_bind_text(s, i + 1, texts[ti++]);
        else
            store_bind_int64(s, i + 1, ints[ii++]);
    }
    rc = store_step(s, err);
    if (changes)
        *changes = store_changes(s);
    store_reset(s);
    return rc < 0 ? rc : 0;
}

static int decide(struct store *st, const char *scope, int64_t id, const char *decision,
                  const char *reason, const struct ms_actor *actor, struct ms_arena *arena,
                  json_t **out, struct ms_err *err)
{
    struct store_stmt *s;
    struct audit_entry e = {0};
    char lo[16], hi[16], now[MS_TS_LEN + 1], kind[16] = "", status[16] = "", code[32] = "";
    int64_t record_id = 0, resident_id = 0, changes = 0;
    int accept, rc;
    if (!decision || (strcmp(decision, "accept") && strcmp(decision, "reject")))
        return exchange__fail(err, MS_EFIELD, "decision", "decision is accept or reject",
                           "核对结论应为 accept（确认是同一人）或 reject（不是同一人）");
    accept = !strcmp(decision, "accept");
    if (!accept && (!reason || !*reason))
        return exchange__fail(err, MS_EMISSING, "reason", "a rejection needs a reason",
                           "否定比对结果须填写理由");
    if ((rc = registry_scope_bounds(scope, lo, hi, err)) < 0 ||
        (rc = store_prepare(st, sql_review_for_update, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, id);
    store_bind_text(s, 2, lo);
    store_bind_text(s, 3, hi);
    if ((rc = store_step(s, err)) == STORE_ROW) {
        snprintf(kind, sizeof(kind), "%s", store_col_text(s, 0));
        snprintf(status, sizeof(status), "%s", store_col_text(s, 1));
        record_id = store_col_int64(s, 2);
        resident_id = store_col_int64(s, 3);
        snprintf(code, sizeof(code), "%s", store_col_text(s, 4));
    }
    store_reset(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return exchange__fail(err, MS_ENOTFOUND, "id", "no such review item", "没有这个核对事项");
    if (strcmp(status, "open"))
        return exchange__fail(err, MS_ECONFLICT, "status", "this item has been decided already",
                           "该事项已有核对结论，不能重复处理");
    ms_clock_format(ms_clock_now_ms(), now);
    {
        const char *t[] = {accept ? "accepted" : "rejected", now, actor->username,
                           reason ? reason : ""};
        int64_t n[] = {id};
        if ((rc = exec_update(st, sql_review_set, err, &changes, 5, t, n, "ttttn")) < 0)
            return rc;
        if (changes != 1)
            return exchange__fail(err, MS_ECONFLICT, "status", "this item has been decided already",
                               "该事项已有核对结论，不能重复处理");
    }
    if (!strcmp(kind, "feed") && accept) {
        const char *t[] = {now, actor->username, "另一候选已确认为同一人 / another candidate accepted"};
        int64_t n1[] = {resident_id, record_id}, n2[] = {record_id, id};
        if ((rc = exec_update(st, sql_record_clerical, err, NULL, 2, NULL, n1, "nn")) < 0 ||
            (rc = exec_update(st, sql_review_close_others, err, NULL, 5, t, n2, "tttnn")) < 0)
            return rc;
    } else if (!strcmp(kind, "feed")) {
        int64_t open = 0;
        if ((rc = store_prepare(st, sql_record_open_reviews, &s, err)) < 0)
            return rc;
        store_bind_int64(s, 1, record_id);
        if ((rc = store_step(s, err)) == STORE_ROW)
            open = store_col_int64(s, 0);
        store_reset(s);
        if (rc < 0)
            return rc;
        if (!open) {
            int64_t n[] = {record_id};
            if ((rc = exec_update(st, sql_record_none, err, NULL, 1, NULL, n, "n")) < 0)
                return rc;
        }
    }
    e.action = accept ? "exchange.review.accept" : "exchange.review.reject";
    e.object_type = "review";
    e.object_id = ms_arena_printf(arena, "%lld", (long long)id);
    e.subject = code;
    e.purpose = reason && *reason ? reason : NULL;
    e.result = "ok";
    e.detail = !strcmp(kind, "feed") ? ms_arena_printf(arena, "feed record %lld", (long long)record_id)
                                     : "duplicate residents";
    if ((rc = audit_append(st, actor, &e, err)) < 0)
        return rc;
    *out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status",
                     accept ? "accepted" : "rejected", "kind", kind);
    return 0;
}

static int decide_write(struct store *st, const struct exchange__write *w, json_t **out,
                        struct ms_err *err)
{
    return decide(st, w->scope, w->id, w->decision, w->reason, w->actor, w->arena, out, err);
}

int exchange_review_decide(struct store *st, const char *scope, int64_t id, const char *decision,
                           const char *reason, const struct ms_actor *actor, struct ms_arena *arena,
                           json_t **out, struct ms_err *err)
{
    struct exchange__write w = {.fn = decide_write, .scope = scope, .decision = decision,
                                .reason = reason, .id = id, .actor = actor, .arena = arena};
    return exchange__write_tx(st, &w, out, err);
}
