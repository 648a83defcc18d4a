/*
 * exchange_sql.h - every statement the exchange module runs (exchange_sql.c).
 */
#ifndef MS_EXCHANGE_SQL_H
#define MS_EXCHANGE_SQL_H

extern const char exchange_sql_batch_find[];
extern const char exchange_sql_batch_insert[];
extern const char exchange_sql_batch_progress[];
extern const char exchange_sql_batch_set_status[];
extern const char exchange_sql_batch_link_counts[];
extern const char exchange_sql_batch_set_model[];
extern const char exchange_sql_batch_get[];
extern const char exchange_sql_batch_reasons[];
extern const char exchange_sql_batch_list[];
extern const char exchange_sql_batch_count[];
extern const char exchange_sql_feed_last_model[];
extern const char exchange_sql_record_insert[];
extern const char exchange_sql_quarantine_insert[];
extern const char exchange_sql_pending[];
extern const char exchange_sql_pending_sample[];
extern const char exchange_sql_record_identity[];
extern const char exchange_sql_record_link[];
extern const char exchange_sql_candidates[];
extern const char exchange_sql_resident_by_bidx[];
extern const char exchange_sql_random_residents[];
extern const char exchange_sql_review_insert[];
extern const char exchange_sql_labelled[];
extern const char exchange_sql_dedup_residents[];

#endif
