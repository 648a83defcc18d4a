-- Monitoring, second increment (issue #6 items 1, 2, 4, 5; docs/monitor.md):
-- the high-water marks of incremental scans, and the thresholds of the rest
-- of the rule list.
--
-- Every scan records where it stopped: batch_mark, the highest exchange
-- batch id below any batch not yet done, and registry_mark, the latest
-- residents.updated_at. An incremental scan runs the rules over the
-- subjects touched after the marks of the last finished scan of every rule.
ALTER TABLE monitor_scans ADD COLUMN mode TEXT NOT NULL DEFAULT 'full';
ALTER TABLE monitor_scans ADD COLUMN batch_mark BIGINT NOT NULL DEFAULT 0;
ALTER TABLE monitor_scans ADD COLUMN registry_mark TEXT NOT NULL DEFAULT '';

-- Registry changes since a time (deaths, moves): the incremental scan's
-- second source of touched residents.
CREATE INDEX residents_updated ON residents (updated_at);

-- Thresholds. rules.md §2: "No national numeric list was found [U]"; every
-- value whose note says placeholder is a minsheng default for `policy set`.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('monitor.medical.income_base_fen', 'fen', 'fen/person/year', '上年度当地居民人均可支配收入（医疗自付预警）', 'Last year''s local per-capita disposable income (medical share rule)', 0, NULL),
    ('monitor.medical.income_share_pct', 'int', 'percent', '自付医疗费用占人均可支配收入预警比例', 'Out-of-pocket cost alert share of per-capita disposable income', 1, 1000),
    ('monitor.unemployment.new_within_days', 'int', 'days', '新登记失业预警天数', 'Days within which an unemployment registration counts as new', 1, 3650),
    ('monitor.earner.death_within_days', 'int', 'days', '户主死亡预警天数', 'Days within which a head''s death raises an alert', 1, 3650),
    ('monitor.earner.age_min', 'int', 'years', '劳动年龄下限（主要劳动力死亡）', 'Working age, lowest (main earner death)', 0, 120),
    ('monitor.earner.age_max', 'int', 'years', '劳动年龄上限（主要劳动力死亡）', 'Working age, highest (main earner death)', 0, 120),
    ('monitor.edge.income_pct', 'int', 'percent of standard', '低保边缘收入线（低保标准的百分比）', 'Near-allowance income line, percent of the dibao standard', 100, 1000),
    ('monitor.edge.window_months', 'int', 'months', '近期家庭收入统计月数', 'Recent months of income compared with the near-allowance line', 1, 24),
    ('monitor.edge.history_months', 'int', 'months', '家庭收入对比总月数', 'Months of income looked at: the recent window and the months before it', 2, 48),
    ('monitor.elderly.alone_age', 'int', 'years', '独居高龄老人年龄', 'Age from which a person living alone raises an alert', 60, 120),
    ('monitor.student.new_within_days', 'int', 'days', '新入学预警天数', 'Days within which a university enrolment counts as new', 1, 3650),
    ('monitor.reverse.wage_threshold_fen', 'fen', 'fen/month', '救助家庭成员缴费工资预警线', 'Contribution wage above which an assisted member raises an alert', 0, NULL),
    ('monitor.age.min_contribution_age', 'int', 'years', '缴费最低合理年龄', 'Lowest plausible age for wage contributions', 0, 30),
    ('monitor.age.min_pension_age', 'int', 'years', '领取养老金最低合理年龄', 'Lowest plausible age for a pension', 0, 70);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('monitor.medical.income_base_fen', '3759500', '2020-01-01', 'Chongqing per-capita disposable income (全体居民人均可支配收入) of 2024 as reported, not verified against the statistical bulletin [U]', 'placeholder: set each year from the bulletin of the year before', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.medical.income_share_pct', '50', '2020-01-01', 'rules.md §2 warning thresholds (X% of last year''s per-capita disposable income) [U]', 'placeholder: no source gives X', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.unemployment.new_within_days', '90', '2020-01-01', 'minsheng default', 'placeholder: a quarter, as for new disability certificates', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.earner.death_within_days', '180', '2020-01-01', 'minsheng default', 'placeholder: half a year, the 防返贫 observation span (rules.md §2)', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.earner.age_min', '16', '1995-01-01', '劳动法 第十五条 (no employment under 16)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.earner.age_max', '59', '2020-01-01', 'minsheng default', 'placeholder: below the men''s statutory retirement age of 60 before the 2025 reform', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.edge.income_pct', '150', '2021-07-01', '最低生活保障审核确认办法 第八条 (1.5 × the standard; nat.dibao.marginal_multiplier)', 'whether Chongqing uses exactly 1.5 is [U] (rules.md §1.9)', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.edge.window_months', '6', '2020-01-01', 'minsheng default', 'placeholder: the last 6 complete months, against the line; only incomes the feeds carry (wages, pensions, unemployment benefit)', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.edge.history_months', '12', '2020-01-01', 'minsheng default', 'placeholder: the 6 months before the window must have been at or above the line (a fall, not a state)', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.elderly.alone_age', '80', '2020-01-01', 'issue #6 (people of 80 and over living alone)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.student.new_within_days', '365', '2020-01-01', 'minsheng default', 'placeholder: one school year', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.reverse.wage_threshold_fen', '420000', '2020-01-01', 'rules.md §2 reverse warnings (a wage above the standard) [U]', 'placeholder: 4,200 yuan, twice the lowest contribution base the generator uses', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.age.min_contribution_age', '16', '1995-01-01', '劳动法 第十五条; rules.md §4.2 category 6', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.age.min_pension_age', '40', '2020-01-01', 'rules.md §4.2 categories 5-6 ("20岁退休")', 'placeholder: below any early retirement (特殊工种 men 55, women 45)', '2026-11-29T00:00:00.000Z', 'migration');

-- Rules written through the API (issue #6 item 5): the files under rules/
-- are the shipped defaults; a row here with a shipped id overrides it, any
-- other id adds a rule. body is the rule's JSON as validated.
CREATE TABLE monitor_rule_defs (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Rules are configuration, not personal data: the system administrator
-- writes them; caseworkers may read them, as they read the alerts.
INSERT INTO permissions (name, title_zh, title_en) VALUES
    ('monitor:rule:read', '查看监测规则', 'View monitoring rules'),
    ('monitor:rule:admin', '管理监测规则', 'Add and edit monitoring rules');
INSERT INTO role_permissions (role, permission) VALUES
    ('admin', 'monitor:rule:read'),
    ('admin', 'monitor:rule:admin'),
    ('civil_caseworker', 'monitor:rule:read'),
    ('town_caseworker', 'monitor:rule:read');

INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('monitor.rule.validate_timeout_ms', 'int', 'ms', '规则校验查询时限', 'Time limit of a rule query run to validate it', 100, 600000);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('monitor.rule.validate_timeout_ms', '5000', '2020-01-01', 'minsheng default', 'placeholder: a rule that takes longer on the live data is refused, not stored', '2026-11-29T00:00:00.000Z', 'migration');
