-- Scheduled jobs (定时任务; docs/jobs.md): the state of each job a module
-- offers (struct ms_job in src/modules/module.h) and the log of its runs.
--
-- The jobs themselves are code; a row here is created, disabled, the first
-- time a server or `minsheng jobs` sees a job, so a new install runs
-- nothing until an administrator enables it. next_run_at is claimed with a
-- guarded UPDATE, so two servers on one database never start the same
-- scheduled run twice; running_since marks a run in progress (a manual run
-- and a scheduled one never overlap).

CREATE TABLE jobs (
    name          TEXT PRIMARY KEY,
    schedule      TEXT NOT NULL,                 -- five-field cron, China time
    is_enabled    INTEGER NOT NULL DEFAULT 0 CHECK (is_enabled IN (0, 1)),
    next_run_at   TEXT NOT NULL DEFAULT '',      -- UTC timestamp; '' when disabled
    running_since TEXT NOT NULL DEFAULT '',      -- UTC timestamp; '' when idle
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);

CREATE TABLE job_runs (
    id          {{pk}},
    job         TEXT NOT NULL REFERENCES jobs (name),
    kind        TEXT NOT NULL CHECK (kind IN ('schedule', 'manual')),
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    duration_ms BIGINT NOT NULL DEFAULT 0,
    summary     TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    started_by  TEXT NOT NULL
);
CREATE INDEX job_runs_job ON job_runs (job, id);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('system:job:read', '查看定时任务', 'View scheduled jobs and their runs'),
    ('system:job:manage', '管理定时任务', 'Change schedules, enable, disable and run jobs');

INSERT INTO role_permissions (role, permission) VALUES
    ('admin', 'system:job:read'),
    ('admin', 'system:job:manage');
