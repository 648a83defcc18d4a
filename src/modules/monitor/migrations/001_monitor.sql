-- Monitoring (issue #6, first increment; docs/monitor.md; rules.md §2, §4):
-- scans, the alerts they find, and the verification task of each alert.
--
-- An alert is unique per rule, subject and period (rules.md §2 "a dedupe key
-- of (rule, subject, period)"; §4.2 "repeat runs must not duplicate
-- alerts"), so a scan run twice, or two scans at once, add nothing twice.
-- subject_id is a resident's id or a household's id, as the rule's subject
-- says. region_code is the subject's residence (a household's own) at the
-- scan: the data scope of the alert and its task.

CREATE TABLE monitor_scans (
    id          {{pk}},
    rule_filter TEXT NOT NULL DEFAULT '',   -- '' for every rule
    scan_date   TEXT NOT NULL,              -- YYYY-MM-DD the parameters were read on
    rules_run   INTEGER NOT NULL DEFAULT 0,
    rows_found  BIGINT NOT NULL DEFAULT 0,
    alerts_new  BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done')),
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL
);

CREATE TABLE monitor_alerts (
    id           {{pk}},
    rule_id      TEXT NOT NULL,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('person', 'household')),
    subject_id   BIGINT NOT NULL,
    period       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    severity     TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    department   TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    scan_id      BIGINT NOT NULL REFERENCES monitor_scans (id),
    created_at   TEXT NOT NULL,
    UNIQUE (rule_id, subject_id, period)
);
CREATE INDEX monitor_alerts_region ON monitor_alerts (region_code, id);
CREATE INDEX monitor_alerts_scan ON monitor_alerts (scan_id, rule_id);

-- One task per alert, for the town (乡镇/街道, the 9-digit prefix of the
-- subject's region code) to verify by due_on (working days, policy
-- monitor.task.verify_workdays). A task is decided once: the outcome is
-- written only while status is 'open'.
CREATE TABLE monitor_tasks (
    id          {{pk}},
    alert_id    BIGINT NOT NULL UNIQUE REFERENCES monitor_alerts (id),
    town_code   TEXT NOT NULL CHECK (length(town_code) = 9),
    region_code TEXT NOT NULL,
    due_on      TEXT NOT NULL,              -- YYYY-MM-DD
    status      TEXT NOT NULL CHECK (status IN ('open', 'decided')),
    outcome     TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'dismiss', 'assist', 'refer')),
    reason      TEXT NOT NULL DEFAULT '',   -- required for dismiss
    department  TEXT NOT NULL DEFAULT '',   -- required for refer
    created_at  TEXT NOT NULL,
    decided_at  TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_tasks_region ON monitor_tasks (region_code, status, due_on);

INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('monitor:alert:read', '查看监测预警', 'View monitoring alerts and tasks'),
    ('monitor:task:decide', '处置核实任务', 'Decide verification tasks'),
    ('monitor:scan:run', '运行监测扫描', 'Run monitoring scans');

INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'monitor:alert:read'),
    ('civil_caseworker', 'monitor:task:decide'),
    ('civil_caseworker', 'monitor:scan:run'),
    ('town_caseworker', 'monitor:alert:read'),
    ('town_caseworker', 'monitor:task:decide');

-- Thresholds of the first rules. rules.md §2 found no national numeric list
-- [U]; values marked "minsheng default" are placeholders for `policy set`.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('monitor.medical.oop_threshold_fen', 'fen', 'fen/person/window', '个人自付医疗费用预警线', 'Out-of-pocket medical cost alert threshold', 0, NULL),
    ('monitor.medical.window_months', 'int', 'months', '自付医疗费用统计月数', 'Months of settlements summed', 1, 60),
    ('monitor.disability.new_within_days', 'int', 'days', '新办重度残疾人证预警天数', 'Days within which a grade 1-2 certificate counts as new', 1, 3650),
    ('monitor.task.verify_workdays', 'int', 'working days', '预警核实时限', 'Working days to verify an alert', 1, 60),
    ('monitor.task.urgent_workdays', 'int', 'working days', '紧急预警核实时限', 'Working days to verify a high-severity alert', 1, 60);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('monitor.medical.oop_threshold_fen', '2000000', '2020-01-01', 'rules.md §2 (1–2 万元 is common on local platforms) [U]', 'minsheng default: 20,000 yuan; the share-of-income variant is a later rule', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.medical.window_months', '12', '2020-01-01', 'rules.md §2 (individual annual out-of-pocket cost)', 'the last 12 months before the scan date', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.disability.new_within_days', '90', '2020-01-01', 'minsheng default', 'no source found; a quarter between scans of the disability feed', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.task.verify_workdays', '10', '2020-01-01', 'rules.md §2 time limits (home verification within 10–15 working days) [U]', 'minsheng default at the short end', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.task.urgent_workdays', '2', '2020-01-01', 'rules.md §2 (急难: contact within 24–48 h) [U]', 'minsheng default: 2 working days for high severity', '2026-11-29T00:00:00.000Z', 'migration');

-- The rules that follow a person's department records after an event on the
-- resident (pension_after_death) start from the few residents in a status
-- and look up each one's rows of a feed by period: without these two the
-- planner walks every pension row (seconds at 270,000 residents; 14 ms with
-- them).
CREATE INDEX residents_status ON residents (status, status_date);
CREATE INDEX exchange_records_feed_resident ON exchange_records (feed, resident_id, period);
