-- Versioned policy parameters: every number the rules use (standards,
-- thresholds, time limits) with the date it takes effect and its source.
-- A key is defined once (policy_keys); its values are never updated in
-- place: a change is a new row with a later effective_from.
CREATE TABLE policy_keys (
    key      TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('int', 'fen', 'ratio', 'text')),
    unit     TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- Bounds for int and fen values (NULL: no lower bound below 0, no upper
    -- bound). A limit like a session timeout must not be set to 0 or to a
    -- number that overflows when converted to milliseconds.
    min_value BIGINT,
    max_value BIGINT
);

CREATE TABLE policy_values (
    id             {{pk}},
    key            TEXT NOT NULL REFERENCES policy_keys (key),
    value          TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    source         TEXT NOT NULL,
    note           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    UNIQUE (key, effective_from)
);
