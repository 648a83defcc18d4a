-- Monitoring, fourth increment (issue #6, the last rule; docs/monitor.md):
-- benefit_two_regions (跨区域重复享受) compares the remote_benefit feed's
-- paying region with this district's own 6-digit region code, so that a
-- row the platform sends back about our own payments is never an alert.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('monitor.two_regions.own_region', 'int', 'region code', '本区行政区划代码（前6位）', 'This district''s 6-digit region code: remote benefits paid under it are our own', 110000, 829999);

INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('monitor.two_regions.own_region', '500110', '2011-01-01', 'rules.md §11.2 (Wansheng residents carry 500110)', 'the district''s code as the registry and the feeds carry it', '2026-11-29T00:00:00.000Z', 'migration');
