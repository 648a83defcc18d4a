-- Excel export of a search result (issue #3; rules.md §12.3 item 6): the
-- most rows one export may hold, and who may export. Exports show ID and
-- phone numbers masked only; each is audited with its row count.
--
-- 50 000 covers the largest town's residents with room to spare; a request
-- for more is refused and asks for narrower filters. The upper bound is what
-- one Excel sheet holds below its header row (1 048 576 rows in all).
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('registry.export_max_rows', 'int', 'rows', '居民档案单次导出最多行数',
     'Most rows in one resident export', 1, 1048575);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('registry.export_max_rows', '50000', '2019-12-01', 'minsheng default',
     'not in the rules; the largest town with room to spare', '2026-11-29T00:00:00.000Z',
     'migration');

INSERT INTO role_permissions (role, permission) VALUES
    ('civil_caseworker', 'registry:resident:export'),
    ('town_caseworker', 'registry:resident:export');
