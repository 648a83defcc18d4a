-- Accounts, roles, permissions and sessions (issue #2 item 6; rules.md §12.3).
-- A user has exactly one role, so the three-role separation (system admin,
-- security admin, auditor) cannot be undone by stacking roles on one account.
CREATE TABLE roles (
    name       TEXT PRIMARY KEY,
    title_zh   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    is_builtin INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE permissions (
    name     TEXT PRIMARY KEY,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL
);

CREATE TABLE role_permissions (
    role       TEXT NOT NULL REFERENCES roles (name),
    permission TEXT NOT NULL REFERENCES permissions (name),
    PRIMARY KEY (role, permission)
);

CREATE TABLE users (
    id                   {{pk}},
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL REFERENCES roles (name),
    scope                TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    is_disabled          INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until_ms      BIGINT NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    last_login_at        TEXT NOT NULL DEFAULT ''
);

-- Tokens are stored as their BLAKE2b-256 hash; the token itself is shown once.
CREATE TABLE sessions (
    id           {{pk}},
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL,
    revoked_ms   BIGINT NOT NULL DEFAULT 0,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, revoked_ms);

INSERT INTO roles (name, title_zh, title_en, is_builtin) VALUES
    ('admin', '系统管理员', 'System administrator', 1),
    ('security_admin', '安全管理员', 'Security administrator', 1),
    ('auditor', '安全审计员', 'Security auditor', 1);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('system:user:read', '查看用户', 'View users'),
    ('system:user:manage', '管理用户', 'Manage users'),
    ('system:role:manage', '管理角色与权限', 'Manage roles and permissions'),
    ('system:session:manage', '管理在线会话', 'Manage sessions'),
    ('system:monitor', '服务监控', 'Service monitoring'),
    ('policy:read', '查看政策参数', 'View policy parameters'),
    ('policy:write', '维护政策参数', 'Maintain policy parameters'),
    ('audit:read', '查看审计日志', 'Read the audit log');

-- Three-role separation (等保 level 3): user management and the audit log
-- never meet in one role; accounts_check_separation() enforces it at start.
INSERT INTO role_permissions (role, permission) VALUES
    ('admin', 'system:monitor'),
    ('admin', 'policy:read'),
    ('admin', 'policy:write'),
    ('security_admin', 'system:user:read'),
    ('security_admin', 'system:user:manage'),
    ('security_admin', 'system:role:manage'),
    ('security_admin', 'system:session:manage'),
    ('security_admin', 'policy:read'),
    ('auditor', 'audit:read'),
    ('auditor', 'policy:read');

-- Session and password limits (rules.md §12.3 item 1). The absolute session
-- lifetime is not in the rules: 12 hours (a working day with overtime) is our
-- choice, recorded as such.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('auth.lockout_failures', 'int', 'times', '连续登录失败锁定次数', 'Failed logins before lock-out', 1, 100),
    ('auth.lockout_minutes', 'int', 'minutes', '账号锁定时长', 'Lock-out duration', 1, 1440),
    ('auth.session_idle_minutes', 'int', 'minutes', '会话空闲超时', 'Session idle timeout', 1, 1440),
    ('auth.session_max_hours', 'int', 'hours', '会话最长有效期', 'Session absolute lifetime', 1, 168),
    ('auth.password_min_length', 'int', 'characters', '密码最小长度', 'Minimum password length', 8, 128);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('auth.lockout_failures', '5', '2019-12-01', 'rules.md §12.3 (GB/T 22239-2019 practice)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('auth.lockout_minutes', '15', '2019-12-01', 'rules.md §12.3 (GB/T 22239-2019 practice)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('auth.session_idle_minutes', '30', '2019-12-01', 'rules.md §12.3 (GB/T 22239-2019 practice)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('auth.session_max_hours', '12', '2019-12-01', 'minsheng default', 'not in the rules; one working day with overtime', '2026-11-29T00:00:00.000Z', 'migration'),
    ('auth.password_min_length', '12', '2019-12-01', 'minsheng default', 'complexity: letters and digits', '2026-11-29T00:00:00.000Z', 'migration');
