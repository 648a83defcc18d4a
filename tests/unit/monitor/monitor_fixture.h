/*
 * monitor_fixture.h - helpers of the monitor tests: department batches and
 * linked feed rows written straight into the exchange tables, deaths, a
 * scan of one rule. On top of the assistance fixture's made-up people.
 */
#ifndef MS_TEST_MONITOR_FIXTURE_H
#define MS_TEST_MONITOR_FIXTURE_H

#include "unit/assistance/assistance_fixture.h"

#include "modules/monitor/monitor.h"

#define AS_OF "2026-11-29"

static inline int64_t one_id(struct store *st, const char *sql)
{
    return count_rows(st, sql);
}

static inline int64_t add_batch(struct store *st, const char *feed, const char *status)
{
    char sql[400];
    snprintf(sql, sizeof(sql),
             "INSERT INTO exchange_batches (feed, file_name, content_hash, status, created_at,"
             " created_by) VALUES ('%s', 'f', '%s-%s-%lld', '%s', 'x', 'test') RETURNING id",
             feed, feed, status, (long long)count_rows(st, "SELECT count(*) FROM exchange_batches"),
             status);
    return one_id(st, sql);
}

/* A linked feed row of resident rid, with its category and data. */
static inline void add_row(struct store *st, int64_t batch, const char *feed, int64_t rid,
                           const char *fact_date, const char *period, int64_t amount_fen,
                           const char *category, const char *level, const char *status,
                           const char *data_json)
{
    char sql[900];
    static int n;
    n++;
    snprintf(sql, sizeof(sql),
             "INSERT INTO exchange_records (feed, batch_id, row_no, natural_key, fact_date, period,"
             " amount_fen, category, level, status, data_json, resident_id, link_method,"
             " created_at) VALUES ('%s', %lld, %d, 'k%d', '%s', '%s', %lld, '%s', '%s', '%s',"
             " '%s', %lld, 'exact', 'x')",
             feed, (long long)batch, n, n, fact_date, period, (long long)amount_fen, category,
             level, status, data_json, (long long)rid);
    fixture_exec(st, sql);
}

/* A linked feed row of resident rid. */
static inline void add_record(struct store *st, int64_t batch, const char *feed, int64_t rid,
                              const char *fact_date, const char *period, int64_t amount_fen,
                              const char *level, const char *status)
{
    add_row(st, batch, feed, rid, fact_date, period, amount_fen, "", level, status, "{}");
}

static inline void dies(struct store *st, int64_t rid, const char *date)
{
    char sql[200];
    snprintf(sql, sizeof(sql),
             "UPDATE residents SET status = 'deceased', status_date = '%s' WHERE id = %lld", date,
             (long long)rid);
    fixture_exec(st, sql);
}

static inline const struct monitor_rule_result *scan_rule(struct store *st, const char *rule,
                                                          struct monitor_scan_result *r)
{
    struct ms_err err = MS_ERR_INIT;
    if (monitor_scan(st, rule, AS_OF, &test_actor, r, &err) != 0)
        fail_msg("scan %s: %s", rule ? rule : "all", err.message);
    return &r->rules[0];
}

static inline int64_t alerts_of(struct store *st, const char *rule)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM monitor_alerts WHERE rule_id = '%s'", rule);
    return count_rows(st, sql);
}

#endif
