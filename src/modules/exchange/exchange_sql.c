/*
 * exchange_sql.c - every statement the exchange module runs.
 */
#include "modules/exchange/exchange_sql.h"

/* Used in exchange_import(): is this file of this feed known already? */
const char exchange_sql_batch_find[] =
    "SELECT id, status, resume_row FROM exchange_batches WHERE feed = ? AND content_hash = ?";

/* Used in exchange_import() for a new file. */
const char exchange_sql_batch_insert[] =
    "INSERT INTO exchange_batches (feed, file_name, content_hash, status, created_at, created_by)"
    " VALUES (?, ?, ?, 'loading', ?, ?) RETURNING id";

/* Used at each commit of the load phase: the counters and how far it got,
 * in the transaction of the rows they count. */
const char exchange_sql_batch_progress[] =
    "UPDATE exchange_batches SET rows_read = ?, rows_accepted = rows_accepted + ?,"
    " rows_duplicate = rows_duplicate + ?, rows_quarantined = rows_quarantined + ?,"
    " resume_row = ? WHERE id = ?";

const char exchange_sql_batch_set_status[] =
    "UPDATE exchange_batches SET status = ?, finished_at = ? WHERE id = ?";

/* Used at each commit of the link phase. */
const char exchange_sql_batch_link_counts[] =
    "UPDATE exchange_batches SET linked_exact = linked_exact + ?,"
    " linked_probabilistic = linked_probabilistic + ?, sent_to_review = sent_to_review + ?,"
    " not_linked = not_linked + ? WHERE id = ?";

const char exchange_sql_batch_set_model[] =
    "UPDATE exchange_batches SET model_json = ? WHERE id = ?";

const char exchange_sql_batch_get[] =
    "SELECT id, feed, status, rows_read, rows_accepted, rows_duplicate, rows_quarantined,"
    " linked_exact, linked_probabilistic, sent_to_review, not_linked, file_name, created_at,"
    " created_by, finished_at FROM exchange_batches WHERE id = ?";

const char exchange_sql_batch_reasons[] =
    "SELECT reason_code, count(*) FROM exchange_quarantine WHERE batch_id = ?"
    " GROUP BY reason_code ORDER BY count(*) DESC, reason_code";

/* Used by the batches API, newest first, one feed or all ('' = all). */
const char exchange_sql_batch_list[] =
    "SELECT id FROM exchange_batches WHERE (? = '' OR feed = ?) ORDER BY id DESC LIMIT ? OFFSET ?";

const char exchange_sql_batch_count[] =
    "SELECT count(*) FROM exchange_batches WHERE (? = '' OR feed = ?)";

/* The model of the feed's latest finished batch that estimated one. */
const char exchange_sql_feed_last_model[] =
    "SELECT model_json FROM exchange_batches WHERE feed = ? AND status = 'done'"
    " AND model_json <> '' ORDER BY id DESC LIMIT 1";

/* Used per accepted row; a natural key seen before returns no row. */
const char exchange_sql_record_insert[] =
    "INSERT INTO exchange_records (feed, batch_id, row_no, natural_key, name, id_number_sealed,"
    " id_number_bidx, birth_date, sex, region_code, phone_sealed, phone_bidx, fact_date, period,"
    " amount_fen, category, level, status, ref_code, data_json, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (feed, natural_key) DO NOTHING RETURNING id";

/* Used per bad row; a resumed import may meet the same row again. */
const char exchange_sql_quarantine_insert[] =
    "INSERT INTO exchange_quarantine (batch_id, feed, row_no, field, reason_code, reason_zh,"
    " reason_en, raw_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (batch_id, row_no) DO NOTHING";

#define RECORD_IDENTITY                                                                  \
    "id, name, id_number_sealed, id_number_bidx, birth_date, sex, region_code, phone_sealed"

/* The link phase: the next rows of a batch still to link, by id. */
const char exchange_sql_pending[] =
    "SELECT " RECORD_IDENTITY " FROM exchange_records WHERE batch_id = ? AND link_method = 'pending'"
    " AND id > ? ORDER BY id LIMIT ?";

/* One row, for linking a corrected row at once. */
const char exchange_sql_record_identity[] =
    "SELECT " RECORD_IDENTITY " FROM exchange_records WHERE id = ?";

/* The rows EM learns from: the first of the batch, linked or not. */
const char exchange_sql_pending_sample[] =
    "SELECT " RECORD_IDENTITY " FROM exchange_records WHERE batch_id = ? ORDER BY id LIMIT ?";

const char exchange_sql_record_link[] =
    "UPDATE exchange_records SET resident_id = ?, link_method = ?, link_weight_mb = ?,"
    " link_evidence = ? WHERE id = ?";

/*
 * Candidate residents for one row: the union of the blocking rules
 * (docs/linkage.md, "Blocking against the registry"). Each rule is an
 * indexed equality or range; a rule whose value is unknown is bound to
 * NULL, which no resident matches (one index probe; '' would walk every
 * resident without a phone), so one statement text serves every row.
 *   1 the blind index of the row's ID number (valid or not);
 *   2 the birth date; 3 the birth date with day and month swapped;
 *   4 the birth date written in the row's ID number (when it differs);
 *   5 name initials within the birth year;
 *   6 the joined pinyin of the name (homophones), only for rows without a
 *     birth date or without an ID number (else it would add hundreds of
 *     王伟 for nothing);
 *   7 the phone's blind index.
 */
const char exchange_sql_candidates[] =
    "SELECT r.id, r.code, r.name, r.sex, r.birth_date, r.region_code, r.id_number_sealed,"
    " r.phone_sealed FROM residents r WHERE r.id IN ("
    " SELECT id FROM residents WHERE id_number_bidx = ?"
    " UNION SELECT id FROM residents WHERE birth_date = ?"
    " UNION SELECT id FROM residents WHERE birth_date = ?"
    " UNION SELECT id FROM residents WHERE birth_date = ?"
    " UNION SELECT id FROM residents WHERE name_initials = ? AND birth_date >= ? AND birth_date < ?"
    " UNION SELECT id FROM residents WHERE name_pinyin = ?"
    " UNION SELECT id FROM residents WHERE phone_bidx = ? AND phone_bidx <> '')"
    " ORDER BY r.id LIMIT ?";

/* Residents in a scrambled but fixed order (a multiplicative hash of the
 * id), in the columns of exchange_sql_candidates: the random pairs of u.
 * Fixed, so the same data always gives the same model. */
const char exchange_sql_random_residents[] =
    "SELECT r.id, r.code, r.name, r.sex, r.birth_date, r.region_code, r.id_number_sealed,"
    " r.phone_sealed FROM residents r ORDER BY (r.id * 2654435761) % 1000003, r.id LIMIT ?";

/* The exact pass: the resident a valid ID number names, in the columns of
 * exchange_sql_candidates. */
const char exchange_sql_resident_by_bidx[] =
    "SELECT r.id, r.code, r.name, r.sex, r.birth_date, r.region_code, r.id_number_sealed,"
    " r.phone_sealed FROM residents r WHERE r.id_number_bidx = ?";


/* Used in exchange_link.c (kind feed) and exchange_dedup.c (kind duplicate);
 * an existing item of the pair, whatever its status, is left alone. */
const char exchange_sql_review_insert[] =
    "INSERT INTO exchange_reviews (kind, record_id, left_resident, resident_id, weight_mb, levels,"
    " evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";

/* Clerical decisions on a feed's pairs: the model's feedback. */
const char exchange_sql_labelled[] =
    "SELECT v.levels, v.status FROM exchange_reviews v JOIN exchange_records e"
    " ON e.id = v.record_id WHERE v.kind = 'feed' AND e.feed = ? AND v.status <> 'open'"
    " ORDER BY v.id DESC LIMIT 5000";

/* Used in exchange_dedup_registry(): every resident, any status, a page at a
 * time in id order (keyset paging: no open cursor, memory bounded on both
 * engines). */
const char exchange_sql_dedup_residents[] =
    "SELECT id, name, id_number_sealed, birth_date, sex, region_code, phone_sealed"
    " FROM residents WHERE id > ? ORDER BY id LIMIT ?";
