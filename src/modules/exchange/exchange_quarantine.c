/*
 * exchange_quarantine.c - quarantined rows: listed with their reasons,
 * shown with their values (an audited read: they hold ID numbers), corrected
 * and re-submitted through the same checks as an import, or dismissed with a
 * reason. Also the batches as JSON for the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/seal.h"
#include "modules/audit/audit.h"
#include "modules/exchange/exchange_int.h"
#include "modules/exchange/exchange_review.h"
#include "modules/exchange/exchange_row.h"
#include "modules/exchange/exchange_sql.h"
#include "modules/registry/registry.h"
#include "store/store.h"
#include "core/banned.h"

#define QUARANTINE_COLS                                                                      \
    "q.id, q.batch_id, q.feed, q.row_no, q.field, q.reason_code, q.reason_zh, q.reason_en,"  \
    " q.status, q.resolved_at, q.resolved_by, q.note, coalesce(q.record_id, 0), b.file_name," \
    " q.raw_sealed FROM exchange_quarantine q JOIN exchange_batches b ON b.id = q.batch_id"

static const char sql_quarantine_list[] =
    "SELECT " QUARANTINE_COLS " WHERE q.status = ? AND (? = '' OR q.feed = ?)"
    " AND (? = 0 OR q.batch_id = ?) ORDER BY q.id LIMIT ? OFFSET ?";
static const char sql_quarantine_count[] =
    "SELECT count(*) FROM exchange_quarantine q WHERE q.status = ? AND (? = '' OR q.feed = ?)"
    " AND (? = 0 OR q.batch_id = ?)";
static const char sql_quarantine_get[] = "SELECT " QUARANTINE_COLS " WHERE q.id = ?";
static const char sql_quarantine_resolve[] =
    "UPDATE exchange_quarantine SET status = ?, record_id = ?, resolved_at = ?, resolved_by = ?,"
    " note = ? WHERE id = ? AND status = 'open'";
static const char sql_batch_moved[] =
    "UPDATE exchange_batches SET rows_accepted = rows_accepted + 1,"
    " rows_quarantined = rows_quarantined - 1 WHERE id = ?";

static json_t *quarantine_item(struct store_stmt *s)
{
    const struct feed_def *f = exchange_feed_find(store_col_text(s, 2), NULL);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_col_int64(s, 0)));
    json_object_set_new(o, "batch_id", json_integer(store_col_int64(s, 1)));
    json_object_set_new(o, "feed", json_string(store_col_text(s, 2)));
    json_object_set_new(o, "feed_title_zh", json_string(f ? f->title_zh : ""));
    json_object_set_new(o, "feed_title_en", json_string(f ? f->title_en : ""));
    json_object_set_new(o, "row_no", json_integer(store_col_int64(s, 3)));
    json_object_set_new(o, "field", json_string(store_col_text(s, 4)));
    json_object_set_new(o, "reason_code", json_string(store_col_text(s, 5)));
    json_object_set_new(o, "reason_zh", json_string(store_col_text(s, 6)));
    json_object_set_new(o, "reason_en", json_string(store_col_text(s, 7)));
    json_object_set_new(o, "status", json_string(store_col_text(s, 8)));
    json_object_set_new(o, "resolved_at", json_string(store_col_text(s, 9)));
    json_object_set_new(o, "resolved_by", json_string(store_col_text(s, 10)));
    json_object_set_new(o, "note", json_string(store_col_text(s, 11)));
    json_object_set_new(o, "record_id", store_col_int64(s, 12) ? json_integer(store_col_int64(s, 12))
                                                               : json_null());
    json_object_set_new(o, "file_name", json_string(store_col_text(s, 13)));
    return o;
}

/* Parameters 1-5 of the list and its count. */
static void bind_filters(struct store_stmt *s, const char *status, const char *feed,
                         int64_t batch_id)
{
    store_bind_text(s, 1, status);
    store_bind_text(s, 2, feed);
    store_bind_text(s, 3, feed);
    store_bind_int64(s, 4, batch_id);
    store_bind_int64(s, 5, batch_id);
}

int exchange_quarantine_list(struct store *st, const struct exchange_page_query *q, json_t **out,
                             struct ms_err *err)
{
    const char *status = q->status ? q->status : "open", *feed = q->feed ? q->feed : "";
    struct store_stmt *s;
    json_t *items;
    int64_t total = 0;
    int rc;
    if (strcmp(status, "open") && strcmp(status, "resubmitted") && strcmp(status, "dismissed"))
        return exchange__fail(err, MS_EFIELD, "status", "status is open, resubmitted or dismissed",
                    "状态应为 open、resubmitted 或 dismissed");
    if ((rc = store_prepare(st, sql_quarantine_count, &s, err)) < 0)
        return rc;
    bind_filters(s, status, feed, q->batch_id);
    if ((rc = store_step(s, err)) == STORE_ROW)
        total = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0 || (rc = store_prepare(st, sql_quarantine_list, &s, err)) < 0)
        return rc;
    bind_filters(s, status, feed, q->batch_id);
    store_bind_int64(s, 6, q->page_size);
    store_bind_int64(s, 7, (int64_t)(q->page - 1) * q->page_size);
    items = json_array();
    while ((rc = store_step(s, err)) == STORE_ROW)
        json_array_append_new(items, quarantine_item(s));
    store_reset(s);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page",
                     q->page, "page_size", q->page_size);
    return 0;
}

/* The quarantined row id: its item, its raw values (opened) and its feed. */
static int load(struct store *st, int64_t id, struct ms_arena *arena, json_t **item, json_t **raw,
                const struct feed_def **feed, struct ms_err *err)
{
    const struct ms_seal *seal;
    struct store_stmt *s;
    const char *plain = NULL;
    int rc;
    *item = *raw = NULL;
    if ((rc = registry_seal(st, &seal, err)) < 0 ||
        (rc = store_prepare(st, sql_quarantine_get, &s, err)) < 0)
        return rc;
    store_bind_int64(s, 1, id);
    rc = store_step(s, err);
    if (rc == STORE_DONE)
        rc = exchange__fail(err, MS_ENOTFOUND, "id", "no such quarantined row", "没有这条隔离数据");
    else if (rc == STORE_ROW) {
        *item = quarantine_item(s);
        rc = ms_seal_decrypt(seal, EXCHANGE_SEAL_ROW, store_col_text(s, 14), arena, &plain, err);
    }
    store_reset(s);
    if (rc >= 0 && !(*raw = json_loads(plain, 0, NULL)))
        rc = ms_err_set(err, MS_EINTEGRITY, "a quarantined row does not parse");
    if (rc >= 0 && !(*feed = exchange_feed_find(json_string_value(json_object_get(*item, "feed")),
                                                err)))
        rc = err->code;
    if (rc < 0) {
        json_decref(*item);
        json_decref(*raw);
        *item = *raw = NULL;
        return rc;
    }
    return 0;
}

int exchange_quarantine_get(struct store *st, int64_t id, struct ms_arena *arena, json_t **out,
                            struct audit_entry *read, struct ms_err *err)
{
    const struct feed_def *f;
    json_t *raw, *cols;
    int rc = load(st, id, arena, out, &raw, &f, err);
    if (rc < 0)
        return rc;
    if (!json_is_object(raw)) {
        json_decref(raw);
        raw = json_object(); /* a line that was not a JSON object: nothing to show by column */
    }
    json_object_set_new(*out, "values", raw);
    cols = json_array();
    for (size_t i = 0; i < f->n_columns; i++) {
        const struct feed_column *c = &f->columns[i];
        json_array_append_new(cols, json_pack("{s:s,s:s,s:b,s:s?}", "source", c->source, "field",
                                              c->field, "required", c->required, "format",
                                              c->format));
    }
    json_object_set_new(*out, "columns", cols);
    memset(read, 0, sizeof(*read));
    read->action = "exchange.quarantine.read";
    read->object_type = "quarantine";
    read->object_id = ms_arena_printf(arena, "%lld", (long long)id);
    read->result = "ok";
    return 0;
}

static int resolve(struct store *st, int64_t id, const char *status, int64_t record_id,
                   const char *note, const struct ms_actor *actor, struct ms_err *err)
{
    struct store_stmt *s;
    char now[MS_TS_LEN + 1];
    int64_t changes;
    int rc;
    ms_clock_format(ms_clock_now_ms(), now);
    if ((rc = store_prepare(st, sql_quarantine_resolve, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, status);
    if (record_id)
        store_bind_int64(s, 2, record_id);
    else
        store_bind_null(s, 2);
    store_bind_text(s, 3, now);
    store_bind_text(s, 4, actor->username);
    store_bind_text(s, 5, note);
    store_bind_int64(s, 6, id);
    rc = store_step(s, err);
    changes = store_changes(s);
    store_reset(s);
    if (rc < 0)
        return rc;
    if (changes != 1)
        return exchange__fail(err, MS_ECONFLICT, "status", "this row has been resolved already",
                    "这条数据已处理过");
    return 0;
}

static int audit_resolution(struct store *st, const struct ms_actor *actor, const char *action,
                            int64_t id, const char *detail, const char *purpose,
                            struct ms_arena *arena, struct ms_err *err)
{
    struct audit_entry e = {0};
    e.action = action;
    e.object_type = "quarantine";
    e.object_id = ms_arena_printf(arena, "%lld", (long long)id);
    e.purpose = purpose;
    e.result = "ok";
    e.detail = detail;
    return audit_append(st, actor, &e, err);
}

static int resubmit(struct store *st, int64_t id, json_t *values, const struct ms_actor *actor,
                    struct ms_arena *arena, json_t **out, struct ms_err *err)
{
    const struct feed_def *f;
    const struct ms_seal *seal;
    json_t *item, *raw, *v;
    const char *key, *vals[FEED_MAX_COLUMNS] = {0}, *reason = NULL, *method = "none";
    struct exchange_row r;
    char now[MS_TS_LEN + 1];
    int64_t record_id = 0, batch_id, row_no;
    int rc;
    if (!json_is_object(values))
        return exchange__fail(err, MS_EFIELD, "values", "values must be an object of column: text",
                    "values 应为“列名: 值”的对象");
    if ((rc = load(st, id, arena, &item, &raw, &f, err)) < 0)
        return rc;
    if (strcmp(json_string_value(json_object_get(item, "status")), "open")) {
        rc = exchange__fail(err, MS_ECONFLICT, "status", "this row has been resolved already",
                  "这条数据已处理过");
        goto out;
    }
    if (!json_is_object(raw)) {
        json_decref(raw);
        raw = json_object();
    }
    json_object_foreach(values, key, v) {
        size_t i;
        for (i = 0; i < f->n_columns; i++)
            if (!strcmp(f->columns[i].source, key))
                break;
        if (i == f->n_columns || !(json_is_string(v) || json_is_null(v))) {
            ms_err_field(err, MS_EFIELD, key, "'%s' is not a column of feed %s, or not text", key,
                         f->name);
            ms_err_zh(err, "“%s”不是该数据源的列，或值不是文本", key);
            rc = MS_EFIELD;
            goto out;
        }
        json_object_set(raw, key, json_is_null(v) ? json_string("") : v);
    }
    for (size_t i = 0; i < f->n_columns; i++)
        vals[i] = json_string_value(json_object_get(raw, f->columns[i].source));
    if ((rc = exchange_row_check(f, vals, ms_date_today_cst(), arena, &r, &reason, err)) < 0) {
        exchange_row_release(&r);
        goto out;
    }
    batch_id = json_integer_value(json_object_get(item, "batch_id"));
    row_no = json_integer_value(json_object_get(item, "row_no"));
    ms_clock_format(ms_clock_now_ms(), now);
    if ((rc = registry_seal(st, &seal, err)) == 0)
        rc = exchange_row_store(st, seal, f, batch_id, row_no, &r, now, &record_id, err);
    exchange_row_release(&r);
    if (rc < 0)
        goto out;
    if (!record_id) {
        rc = exchange__fail(err, MS_EEXISTS, "natural_key",
                  "a row with the same key is stored already; dismiss this one instead",
                  "已有相同编号的数据，请改为作废这条隔离数据");
        goto out;
    }
    {
        struct store_stmt *s;
        if ((rc = exchange__link_one(st, record_id, batch_id, f, &method, err)) < 0 ||
            (rc = resolve(st, id, "resubmitted", record_id, "", actor, err)) < 0 ||
            (rc = store_prepare(st, sql_batch_moved, &s, err)) < 0)
            goto out;
        store_bind_int64(s, 1, batch_id);
        rc = store_step(s, err);
        store_reset(s);
        if (rc < 0)
            goto out;
    }
    if ((rc = audit_resolution(st, actor, "exchange.quarantine.resubmit", id,
                               ms_arena_printf(arena, "record %lld, %s", (long long)record_id,
                                               method),
                               NULL, arena, err)) < 0)
        goto out;
    *out = json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)id, "status", "resubmitted",
                     "record_id", (json_int_t)record_id, "link_method", method);
out:
    json_decref(item);
    json_decref(raw);
    return rc < 0 ? rc : 0;
}

static int dismiss(struct store *st, int64_t id, const char *reason,
                   const struct ms_actor *actor, json_t **out, struct ms_err *err)
{
    struct ms_arena a;
    int rc;
    if (!reason || !*reason)
        return exchange__fail(err, MS_EMISSING, "reason", "dismissing a row needs a reason",
                    "作废隔离数据须填写理由");
    ms_arena_init(&a, 256);
    if ((rc = resolve(st, id, "dismissed", 0, reason, actor, err)) == 0 &&
        (rc = audit_resolution(st, actor, "exchange.quarantine.dismiss", id, NULL, reason, &a,
                               err)) == 0)
        *out = json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "dismissed");
    ms_arena_release(&a);
    if (rc == MS_ECONFLICT) {
        /* tell "no such row" from "already resolved" */
        struct ms_arena b;
        json_t *item = NULL, *raw = NULL;
        const struct feed_def *f;
        struct ms_err e2 = MS_ERR_INIT;
        ms_arena_init(&b, 256);
        if (load(st, id, &b, &item, &raw, &f, &e2) == MS_ENOTFOUND) {
            *err = e2;
            rc = MS_ENOTFOUND;
        }
        json_decref(item);
        json_decref(raw);
        ms_arena_release(&b);
    }
    return rc;
}

static int resubmit_write(struct store *st, const struct exchange__write *w, json_t **out,
                          struct ms_err *err)
{
    return resubmit(st, w->id, w->values, w->actor, w->arena, out, err);
}

static int dismiss_write(struct store *st, const struct exchange__write *w, json_t **out,
                         struct ms_err *err)
{
    return dismiss(st, w->id, w->reason, w->actor, out, err);
}

int exchange_quarantine_resubmit(struct store *st, int64_t id, json_t *values,
                                 const struct ms_actor *actor, struct ms_arena *arena,
                                 json_t **out, struct ms_err *err)
{
    struct exchange__write w = {.fn = resubmit_write, .id = id, .values = values,
                                .actor = actor, .arena = arena};
    return exchange__write_tx(st, &w, out, err);
}

int exchange_quarantine_dismiss(struct store *st, int64_t id, const char *reason,
                                const struct ms_actor *actor, json_t **out, struct ms_err *err)
{
    struct exchange__write w = {.fn = dismiss_write, .id = id, .reason = reason, .actor = actor};
    return exchange__write_tx(st, &w, out, err);
}

/* --- batches ------------------------------------------------------------------------- */

static json_t *summary_json(const struct exchange_summary *s)
{
    const struct feed_def *f = exchange_feed_find(s->feed, NULL);
    json_t *reasons = json_object();
    for (size_t i = 0; i < s->n_reasons; i++)
        json_object_set_new(reasons, s->reasons[i].code, json_integer(s->reasons[i].n));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "id",
                     (json_int_t)s->batch_id, "feed", s->feed, "feed_title_zh",
                     f ? f->title_zh : "", "feed_title_en", f ? f->title_en : "", "status",
                     s->status, "rows_read", (json_int_t)s->rows_read, "accepted",
                     (json_int_t)s->accepted, "duplicate", (json_int_t)s->duplicate,
                     "quarantined", (json_int_t)s->quarantined, "linked_exact",
                     (json_int_t)s->linked_exact, "linked_probabilistic",
                     (json_int_t)s->linked_probabilistic, "sent_to_review",
                     (json_int_t)s->sent_to_review, "not_linked", (json_int_t)s->not_linked,
                     "quarantined_by_reason", reasons);
}

json_t *exchange__summary_json(const struct exchange_summary *s)
{
    json_t *o = summary_json(s);
    json_object_set_new(o, "already_imported", json_boolean(s->already_imported));
    json_object_set_new(o, "resumed", json_boolean(s->resumed));
    return o;
}

int exchange_batch_json(struct store *st, int64_t id, json_t **out, struct ms_err *err)
{
    struct exchange_summary s;
    struct store_stmt *bs;
    int rc;
    if ((rc = exchange_batch_summary(st, id, &s, err)) < 0)
        return rc;
    *out = summary_json(&s);
    if ((rc = store_prepare(st, exchange_sql_batch_get, &bs, err)) < 0)
        return rc;
    store_bind_int64(bs, 1, id);
    if ((rc = store_step(bs, err)) == STORE_ROW) {
        json_object_set_new(*out, "file_name", json_string(store_col_text(bs, 11)));
        json_object_set_new(*out, "created_at", json_string(store_col_text(bs, 12)));
        json_object_set_new(*out, "created_by", json_string(store_col_text(bs, 13)));
        json_object_set_new(*out, "finished_at", json_string(store_col_text(bs, 14)));
    }
    store_reset(bs);
    return rc < 0 ? rc : 0;
}

int exchange_batches_list(struct store *st, const char *feed, int page, int page_size, json_t **out,
                          struct ms_err *err)
{
    struct store_stmt *s;
    int64_t ids[100], total = 0;
    size_t n = 0;
    json_t *items;
    int rc;
    if ((rc = store_prepare(st, exchange_sql_batch_list, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, feed ? feed : "");
    store_bind_text(s, 2, feed ? feed : "");
    store_bind_int64(s, 3, page_size);
    store_bind_int64(s, 4, (int64_t)(page - 1) * page_size);
    while ((rc = store_step(s, err)) == STORE_ROW && n < 100)
        ids[n++] = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    if ((rc = store_prepare(st, exchange_sql_batch_count, &s, err)) < 0)
        return rc;
    store_bind_text(s, 1, feed ? feed : "");
    store_bind_text(s, 2, feed ? feed : "");
    if ((rc = store_step(s, err)) == STORE_ROW)
        total = store_col_int64(s, 0);
    store_reset(s);
    if (rc < 0)
        return rc;
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *b;
        if ((rc = exchange_batch_json(st, ids[i], &b, err)) < 0) {
            json_decref(items);
            return rc;
        }
        json_array_append_new(items, b);
    }
    *out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page,
                     "page_size", page_size);
    return 0;
}
