-- Department data exchange (issue #4; docs/exchange.md): batches of feed
-- rows, the rows themselves with their link to a resident, quarantined rows,
-- link models, and the clerical review queue.
--
-- Feed rows keep the identity they arrived with (name, sealed ID and phone
-- numbers with blind indexes, birth date, sex, region code) so a link can be
-- explained and re-examined, and their facts in a few typed columns shared
-- by all feeds (fact_date, period, amount_fen, category, level, status,
-- ref_code; the rest in data_json), so monitoring rules query one table
-- with plain indexes. The feed definitions (src/modules/exchange/feeds/)
-- say which column means what for each feed.

CREATE TABLE exchange_batches (
    id               {{pk}},
    feed             TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    content_hash     TEXT NOT NULL,          -- BLAKE2b-256 of the file's bytes, hex
    status           TEXT NOT NULL CHECK (status IN ('loading', 'linking', 'done')),
    rows_read        BIGINT NOT NULL DEFAULT 0,
    rows_accepted    BIGINT NOT NULL DEFAULT 0,
    rows_duplicate   BIGINT NOT NULL DEFAULT 0,  -- natural key seen before
    rows_quarantined BIGINT NOT NULL DEFAULT 0,
    linked_exact     BIGINT NOT NULL DEFAULT 0,
    linked_probabilistic BIGINT NOT NULL DEFAULT 0,
    sent_to_review   BIGINT NOT NULL DEFAULT 0,
    not_linked       BIGINT NOT NULL DEFAULT 0,
    resume_row       BIGINT NOT NULL DEFAULT 0,  -- data rows committed so far
    model_json       TEXT NOT NULL DEFAULT '',   -- the link model its weights came from
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    finished_at      TEXT NOT NULL DEFAULT '',
    UNIQUE (feed, content_hash)
);

CREATE TABLE exchange_records (
    id               {{pk}},
    feed             TEXT NOT NULL,
    batch_id         BIGINT NOT NULL REFERENCES exchange_batches (id),
    row_no           BIGINT NOT NULL,
    natural_key      TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    id_number_sealed TEXT NOT NULL DEFAULT '',
    id_number_bidx   TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    sex              TEXT NOT NULL DEFAULT '',
    region_code      TEXT NOT NULL DEFAULT '',
    phone_sealed     TEXT NOT NULL DEFAULT '',
    phone_bidx       TEXT NOT NULL DEFAULT '',
    fact_date        TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD
    period           TEXT NOT NULL DEFAULT '',   -- YYYY-MM
    amount_fen       BIGINT,
    category         TEXT NOT NULL DEFAULT '',
    level            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT '',
    ref_code         TEXT NOT NULL DEFAULT '',
    data_json        TEXT NOT NULL DEFAULT '{}',
    resident_id      BIGINT REFERENCES residents (id),
    link_method      TEXT NOT NULL DEFAULT 'pending'
                     CHECK (link_method IN ('pending', 'exact', 'probabilistic', 'review',
                                            'none', 'clerical')),
    link_weight_mb   BIGINT,                     -- total weight in thousandths of a bit
    link_evidence    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    UNIQUE (feed, natural_key)
);
CREATE INDEX exchange_records_resident ON exchange_records (resident_id, feed, fact_date);
CREATE INDEX exchange_records_batch ON exchange_records (batch_id, link_method);
CREATE INDEX exchange_records_feed_period ON exchange_records (feed, period);

-- Rows that failed validation: nothing is dropped silently. raw_sealed is
-- the row as read (source column -> text, JSON), sealed like an ID number
-- because it holds one in clear.
CREATE TABLE exchange_quarantine (
    id           {{pk}},
    batch_id     BIGINT NOT NULL REFERENCES exchange_batches (id),
    feed         TEXT NOT NULL,
    row_no       BIGINT NOT NULL,
    field        TEXT NOT NULL DEFAULT '',
    reason_code  TEXT NOT NULL,
    reason_zh    TEXT NOT NULL,
    reason_en    TEXT NOT NULL,
    raw_sealed   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resubmitted', 'dismissed')),
    record_id    BIGINT REFERENCES exchange_records (id),
    resolved_at  TEXT NOT NULL DEFAULT '',
    resolved_by  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (batch_id, row_no)
);
CREATE INDEX exchange_quarantine_status ON exchange_quarantine (status, feed);

-- The clerical review queue: a feed row and a candidate resident (kind
-- 'feed'), or two residents that may be one person (kind 'duplicate').
-- One item per pair.
CREATE TABLE exchange_reviews (
    id             {{pk}},
    kind           TEXT NOT NULL CHECK (kind IN ('feed', 'duplicate')),
    record_id      BIGINT REFERENCES exchange_records (id),
    left_resident  BIGINT REFERENCES residents (id),
    resident_id    BIGINT NOT NULL REFERENCES residents (id),
    weight_mb      BIGINT NOT NULL,        -- thousandths of a bit
    levels         TEXT NOT NULL,          -- the comparison vector, for the model's feedback
    evidence       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    decided_at     TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX exchange_reviews_status ON exchange_reviews (status, kind, id);
CREATE UNIQUE INDEX exchange_reviews_feed_pair ON exchange_reviews (record_id, resident_id)
    WHERE kind = 'feed';
CREATE UNIQUE INDEX exchange_reviews_dup_pair ON exchange_reviews (left_resident, resident_id)
    WHERE kind = 'duplicate';

-- The registry's blocking for linkage looks residents up by birth date.
CREATE INDEX residents_birth ON residents (birth_date);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('exchange:batch:read', '查看数据交换批次', 'View exchange batches'),
    ('exchange:batch:import', '导入部门数据', 'Import department data'),
    ('exchange:quarantine:write', '更正和处理隔离数据', 'Correct and resolve quarantined rows'),
    ('exchange:review:read', '查看人工核对队列', 'View the clerical review queue'),
    ('exchange:review:decide', '人工核对比对结果', 'Decide clerical review items');

INSERT INTO roles (name, title_zh, title_en, is_builtin) VALUES
    ('exchange_officer', '数据交换专员', 'Data exchange officer', 1);

INSERT INTO role_permissions (role, permission) VALUES
    ('exchange_officer', 'exchange:batch:read'),
    ('exchange_officer', 'exchange:batch:import'),
    ('exchange_officer', 'exchange:quarantine:write'),
    ('exchange_officer', 'exchange:review:read'),
    ('exchange_officer', 'exchange:review:decide'),
    ('exchange_officer', 'registry:resident:read'),
    ('exchange_officer', 'policy:read'),
    ('exchange_officer', 'places:read'),
    ('civil_caseworker', 'exchange:batch:read'),
    ('civil_caseworker', 'exchange:review:read'),
    ('civil_caseworker', 'exchange:review:decide');

-- Linkage thresholds (docs/linkage.md, "Linking feed rows"): the posterior
-- probability that a candidate is the row's person, at or above which it is
-- linked, and from which it goes to clerical review. Not in the rules; chosen
-- so that at the generator's default noise precision stays above 0.995
-- (docs/benchmarks.md).
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en) VALUES
    ('exchange.link_match_probability', 'ratio', '', '自动关联的后验概率下限',
     'Posterior probability at or above which a row is linked'),
    ('exchange.link_review_probability', 'ratio', '', '转人工核对的后验概率下限',
     'Posterior probability from which a row goes to clerical review'),
    ('exchange.name_jw_min', 'ratio', '', '姓名拼音相似度阈值（Jaro-Winkler）',
     'Jaro-Winkler threshold for similar pinyin names'),
    ('exchange.dedup_review_weight', 'ratio', 'bits', '疑似重复居民转人工核对的权重下限',
     'Weight from which two residents are queued as probable duplicates'),
    ('exchange.dedup_strong_weight', 'ratio', 'bits', '疑似重复居民“强匹配”权重下限（仅统计，不自动合并）',
     'Weight from which a duplicate pair counts as strong (reported only; never merged)');
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('exchange.link_match_probability', '0.99', '2019-12-01', 'minsheng default',
     'not in the rules; see docs/linkage.md', '2026-11-29T00:00:00.000Z', 'migration'),
    ('exchange.link_review_probability', '0.1', '2019-12-01', 'minsheng default',
     'not in the rules; see docs/linkage.md', '2026-11-29T00:00:00.000Z', 'migration'),
    ('exchange.name_jw_min', '0.92', '2019-12-01', 'minsheng default',
     'docs/linkage.md, names', '2026-11-29T00:00:00.000Z', 'migration'),
    ('exchange.dedup_review_weight', '4', '2019-12-01', 'minsheng default',
     'not in the rules; see docs/linkage.md, registry de-duplication',
     '2026-11-29T00:00:00.000Z', 'migration'),
    ('exchange.dedup_strong_weight', '12', '2019-12-01', 'minsheng default',
     'not in the rules; see docs/linkage.md, registry de-duplication',
     '2026-11-29T00:00:00.000Z', 'migration');
