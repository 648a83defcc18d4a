-- Residents, households and life events (issue #3 item 2; DESIGN "Data";
-- rules.md §11, §12). One resident, one code, one file.
--
-- ID and phone numbers are never stored in clear: *_sealed holds the
-- XChaCha20-Poly1305 sealed text (core/seal.h, "x1." + base64url) and
-- *_bidx a keyed BLAKE2b blind index (64 hex digits) for exact look-up.
--
-- Addresses carry a 12-digit statistical region code (rules.md §11.3) and an
-- optional standard place (place_id, a placenames place).
--
-- Data scope is a range on residents.region_code (the residence address):
-- region_code >= prefix AND region_code < prefix-with-last-digit-plus-one,
-- which a plain index serves on both engines.

CREATE TABLE households (
    id             {{pk}},
    number         TEXT NOT NULL UNIQUE,   -- 户号
    head_id        BIGINT,                 -- residents.id of the head (户主); no FK (cycle)
    region_code    TEXT NOT NULL CHECK (length(region_code) = 12),
    place_id       BIGINT REFERENCES places (id),
    address        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX households_region ON households (region_code);

CREATE TABLE residents (
    id                {{pk}},
    code              TEXT NOT NULL UNIQUE,          -- core/rescode.h, stored form
    name              TEXT NOT NULL,
    name_pinyin       TEXT NOT NULL,                 -- joined, "zhangsanfeng"
    name_initials     TEXT NOT NULL,                 -- "zsf"
    sex               TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date        TEXT NOT NULL,                 -- YYYY-MM-DD
    id_number_sealed  TEXT NOT NULL,
    id_number_bidx    TEXT NOT NULL UNIQUE,
    phone_sealed      TEXT NOT NULL DEFAULT '',
    phone_bidx        TEXT NOT NULL DEFAULT '',
    ethnicity         TEXT NOT NULL DEFAULT '',
    hukou_type        TEXT NOT NULL CHECK (hukou_type IN ('urban', 'rural')),
    hukou_region_code TEXT NOT NULL CHECK (length(hukou_region_code) = 12),
    hukou_place_id    BIGINT REFERENCES places (id),
    hukou_address     TEXT NOT NULL DEFAULT '',
    region_code       TEXT NOT NULL CHECK (length(region_code) = 12), -- residence; the scope
    place_id          BIGINT REFERENCES places (id),
    address           TEXT NOT NULL DEFAULT '',
    household_id      BIGINT REFERENCES households (id),
    relation          TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'alive'
                      CHECK (status IN ('alive', 'deceased', 'moved_out')),
    status_date       TEXT NOT NULL DEFAULT '',
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX residents_region ON residents (region_code);
CREATE INDEX residents_name ON residents (name);
CREATE INDEX residents_pinyin ON residents (name_pinyin);
CREATE INDEX residents_initials ON residents (name_initials);
CREATE INDEX residents_phone ON residents (phone_bidx);
CREATE INDEX residents_household ON residents (household_id);

-- A person's timeline. The registry writes birth, marriage, divorce, death,
-- move_in and move_out; later modules add their own kinds (assistance,
-- insurance, health) with their name in source_module, so kind has no CHECK.
CREATE TABLE life_events (
    id            {{pk}},
    resident_id   BIGINT NOT NULL REFERENCES residents (id),
    kind          TEXT NOT NULL,
    event_date    TEXT NOT NULL,            -- YYYY-MM-DD
    source_module TEXT NOT NULL,
    detail_json   TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX life_events_resident ON life_events (resident_id, event_date, id);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('registry:resident:read', '查看居民档案', 'View resident records'),
    ('registry:resident:write', '登记和修改居民档案', 'Register and change residents'),
    ('registry:resident:view_full_id', '查看完整身份证号码（须说明用途，记入审计）',
     'View full ID numbers (purpose stated and audited)'),
    ('registry:resident:export', '导出居民档案', 'Export resident records');

-- Roles for the bureaus. Scope (a region prefix) is set per user. The admin
-- role gets none of these: under the three-role separation the system
-- administrator runs the system but does not read personal data.
INSERT INTO roles (name, title_zh, title_en, is_builtin) VALUES
    ('civil_caseworker', '民政经办人', 'Civil-affairs caseworker', 1),
    ('town_caseworker', '镇街经办人', 'Town caseworker', 1),
    ('hrss_officer', '人社经办人', 'Human-resources and social-security officer', 1),
    ('health_officer', '卫健经办人', 'Health officer', 1);

INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'registry:resident:read'),
    ('civil_caseworker', 'registry:resident:write'),
    ('civil_caseworker', 'registry:resident:view_full_id'),
    ('civil_caseworker', 'policy:read'),
    ('town_caseworker', 'registry:resident:read'),
    ('town_caseworker', 'registry:resident:write'),
    ('town_caseworker', 'policy:read'),
    ('hrss_officer', 'registry:resident:read'),
    ('hrss_officer', 'policy:read'),
    ('health_officer', 'registry:resident:read'),
    ('health_officer', 'policy:read');
