-- Incremental scans see new assistance data too (issue #6 items 1 and 5;
-- docs/monitor.md): every scan records the last assistance enrolment and
-- payment line it covered, beside its batch and registry marks, so that a
-- new enrolment or a month's payment lines touch their households and
-- payees in the next incremental scan.
ALTER TABLE monitor_scans ADD COLUMN enrolment_mark BIGINT NOT NULL DEFAULT 0;
ALTER TABLE monitor_scans ADD COLUMN payment_line_mark BIGINT NOT NULL DEFAULT 0;
