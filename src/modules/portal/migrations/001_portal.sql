-- The resident portal (issue #7 item 3): residents log in with their ID
-- number and a one-time code. A resident is not a staff user: resident
-- sessions have their own table, no role row and no permission rows, so
-- nothing in 角色管理 can ever give a resident a staff permission or a staff
-- user a resident session (docs/security.md, "Residents").

-- Every accepted code request, registered number or not, so the per-number
-- limit answers the same for both (no enumeration). id_bidx is the
-- registry's blind index of the number (never the number); rows older than a
-- day are purged by the next request.
CREATE TABLE portal_otp_requests (
    id         {{pk}},
    id_bidx    TEXT NOT NULL,
    ip         TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX portal_otp_requests_bidx ON portal_otp_requests (id_bidx, created_ms);
CREATE INDEX portal_otp_requests_ip ON portal_otp_requests (ip, created_ms);
CREATE INDEX portal_otp_requests_created ON portal_otp_requests (created_ms);

-- A code sent to a registered resident. The code is kept only as a keyed
-- hash (the seal's blind-index key, outside the database, over a random salt
-- and the code), so a copy of the database cannot be searched for the 10^6
-- possible codes. used_ms: when it was used or superseded (0: open).
CREATE TABLE portal_otp_challenges (
    id          {{pk}},
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    salt        TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_ms     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX portal_otp_challenges_resident ON portal_otp_challenges (resident_id, used_ms);

-- Resident sessions, shaped like staff sessions (tokens stored as their
-- BLAKE2b-256 hash) but apart from them.
CREATE TABLE portal_sessions (
    id           {{pk}},
    token_hash   TEXT NOT NULL UNIQUE,
    resident_id  BIGINT NOT NULL REFERENCES residents (id),
    created_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL,
    revoked_ms   BIGINT NOT NULL DEFAULT 0,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX portal_sessions_resident ON portal_sessions (resident_id, revoked_ms);

-- The portal's limits. None is in the rules: these are our choices, in line
-- with common practice for SMS codes (5-minute validity, a handful of tries)
-- and shorter sessions than staff get, since phones are lost and shared.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('portal.otp_ttl_minutes', 'int', 'minutes', '居民验证码有效期', 'Resident code validity', 1, 30),
    ('portal.otp_max_attempts', 'int', 'times', '验证码最多尝试次数', 'Tries per code', 1, 10),
    ('portal.otp_per_id_per_hour', 'int', 'times', '同一身份证号每小时获取验证码次数', 'Codes per ID number per hour', 1, 100),
    ('portal.otp_per_ip_per_hour', 'int', 'times', '同一地址每小时获取验证码次数', 'Codes per source address per hour', 1, 100000),
    ('portal.session_idle_minutes', 'int', 'minutes', '居民会话空闲超时', 'Resident session idle timeout', 1, 1440),
    ('portal.session_max_hours', 'int', 'hours', '居民会话最长有效期', 'Resident session absolute lifetime', 1, 72);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('portal.otp_ttl_minutes', '5', '2019-12-01', 'minsheng default', 'common SMS-code practice; not in the rules', '2026-11-29T00:00:00.000Z', 'migration'),
    ('portal.otp_max_attempts', '5', '2019-12-01', 'minsheng default', 'as auth.lockout_failures', '2026-11-29T00:00:00.000Z', 'migration'),
    ('portal.otp_per_id_per_hour', '5', '2019-12-01', 'minsheng default', 'one resident, a few tries', '2026-11-29T00:00:00.000Z', 'migration'),
    ('portal.otp_per_ip_per_hour', '60', '2019-12-01', 'minsheng default', 'a service hall or a carrier NAT shares one address', '2026-11-29T00:00:00.000Z', 'migration'),
    ('portal.session_idle_minutes', '15', '2019-12-01', 'minsheng default', 'shorter than staff: phones are shared', '2026-11-29T00:00:00.000Z', 'migration'),
    ('portal.session_max_hours', '2', '2019-12-01', 'minsheng default', 'not in the rules', '2026-11-29T00:00:00.000Z', 'migration');
