-- Standard place names (标准地名; issue #3 item 1, docs/placenames.md): one
-- tree of district, towns and streets, villages and communities, roads,
-- buildings and landmarks. No place data here: a district imports its own
-- names (`minsheng places import --file`; the Wansheng demo's are in
-- data/wansheng/placenames.csv).
--
-- region_code: the 12-digit statistical region code, or '' (roads, buildings
--   and landmarks never have one). Unique when set.
-- scope_code: region_code, else the nearest coded ancestor's; what data scope
--   and `under` filters compare with a range (>= prefix AND < next prefix),
--   which a plain index serves on both engines.
-- pinyin, pinyin_initials: search keys computed from name at write time.
-- lng_microdeg, lat_microdeg: coordinates in 1e-6 degree (NULL: unknown).
-- outline: a GeoJSON Polygon's coordinates array, or ''.
CREATE TABLE places (
    id              {{pk}},
    kind            TEXT NOT NULL CHECK (kind IN ('district', 'town', 'street', 'village',
                                                  'community', 'road', 'building', 'landmark')),
    name            TEXT NOT NULL,
    region_code     TEXT NOT NULL DEFAULT '',
    scope_code      TEXT NOT NULL DEFAULT '',
    parent_id       BIGINT REFERENCES places (id),
    pinyin          TEXT NOT NULL DEFAULT '',
    pinyin_initials TEXT NOT NULL DEFAULT '',
    aliases         TEXT NOT NULL DEFAULT '',
    lng_microdeg    BIGINT,
    lat_microdeg    BIGINT,
    outline         TEXT NOT NULL DEFAULT '',
    is_synthetic    INTEGER NOT NULL DEFAULT 0,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX places_region_code ON places (region_code) WHERE region_code <> '';
CREATE UNIQUE INDEX places_parent_name ON places (parent_id, name);
CREATE INDEX places_scope ON places (scope_code);
CREATE INDEX places_kind_scope ON places (kind, scope_code);
CREATE INDEX places_name ON places (name);
CREATE INDEX places_pinyin ON places (pinyin);
CREATE INDEX places_initials ON places (pinyin_initials);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('places:read', '查看标准地名', 'View standard place names'),
    ('places:write', '维护标准地名', 'Maintain standard place names');

-- Place names are public data: every built-in role may read them; only the
-- system administrator maintains them.
INSERT INTO role_permissions (role, permission)
    SELECT name, 'places:read' FROM roles WHERE is_builtin = 1;
INSERT INTO role_permissions (role, permission) VALUES ('admin', 'places:write');
