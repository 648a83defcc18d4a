-- A verification task may end by stopping the household's assistance
-- (issue #6 item 3; rules.md §2 分类处置): the outcome 'stop', and the
-- assistance change it made (assistance_changes.id of the first scheme
-- stopped), so the chain from alert to stopped payments can be followed.
--@sqlite
CREATE TABLE monitor_tasks_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id    BIGINT NOT NULL UNIQUE REFERENCES monitor_alerts (id),
    town_code   TEXT NOT NULL CHECK (length(town_code) = 9),
    region_code TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'decided')),
    outcome     TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'dismiss', 'assist', 'refer', 'stop')),
    reason      TEXT NOT NULL DEFAULT '',
    department  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    decided_at  TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL DEFAULT '',
    change_id   BIGINT REFERENCES assistance_changes (id)
);
INSERT INTO monitor_tasks_new (id, alert_id, town_code, region_code, due_on, status, outcome,
    reason, department, created_at, decided_at, decided_by)
    SELECT id, alert_id, town_code, region_code, due_on, status, outcome, reason, department,
    created_at, decided_at, decided_by FROM monitor_tasks;
DROP TABLE monitor_tasks;
ALTER TABLE monitor_tasks_new RENAME TO monitor_tasks;
CREATE INDEX monitor_tasks_region ON monitor_tasks (region_code, status, due_on);
--@end
--@postgres
ALTER TABLE monitor_tasks DROP CONSTRAINT monitor_tasks_outcome_check;
ALTER TABLE monitor_tasks ADD CONSTRAINT monitor_tasks_outcome_check
    CHECK (outcome IN ('', 'dismiss', 'assist', 'refer', 'stop'));
ALTER TABLE monitor_tasks ADD COLUMN change_id BIGINT REFERENCES assistance_changes (id);
--@end
