-- Monitoring, third increment (issue #6 "left out" rules; docs/monitor.md):
-- the thresholds of rigid_expenditure_hardship (刚性支出困难, rules.md §1.9).
-- meal_subsidy_after_death has none: any month subsidised after the death
-- month is an alert, as for pensions.
--
-- The rule also reads monitor.medical.income_base_fen (migration 002): last
-- year's per-capita disposable income is one figure for both rules.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('monitor.rigid.window_months', 'int', 'months', '刚性支出统计月数', 'Months of rigid spending and income compared (rigid-expenditure hardship)', 1, 24),
    ('monitor.rigid.expense_share_pct', 'int', 'percent', '刚性支出占家庭收入比例', 'Rigid spending as a share of the household''s income, percent, above which a household is flagged', 1, 10000),
    ('monitor.rigid.min_expense_fen', 'fen', 'fen/household', '刚性支出预警最低金额', 'Smallest rigid spending in the window that raises an alert', 0, NULL);

INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('monitor.rigid.window_months', '12', '2025-01-01', '刚性支出困难家庭认定办法 (in force 2025-01-01; rules.md §1.9 condition 4: the 12 months before applying)', 'the last 12 complete months before the scan month', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.rigid.expense_share_pct', '50', '2025-01-01', 'rules.md §1.9 condition 4: the Chongqing ratio is [U]', 'placeholder: half of the income the feeds carry (wages, pensions, unemployment benefit)', '2026-11-29T00:00:00.000Z', 'migration'),
    ('monitor.rigid.min_expense_fen', '1000000', '2025-01-01', 'minsheng default', 'placeholder: 10,000 yuan of self-paid medical cost in the window, so that a household whose income the feeds do not see is not flagged for ordinary bills', '2026-11-29T00:00:00.000Z', 'migration');
