-- The means check's medical costs and real estate (issue #5 item 2;
-- docs/assistance.md "The means check").
--
-- A member's self-paid settlements (医保 medical_settlement) in the
-- window are shown beside the medical expenses the application declared;
-- declared above found is flagged, and found at least this much above
-- declared is noted: spending the household did not claim, which may make
-- it a 刚性支出困难 case (rules.md §1.9). No figure in the rules: a
-- placeholder.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('assistance.means.medical_note_fen', 'fen', 'fen', '核对：未申报医疗自付费用提示金额', 'Means check: self-paid medical costs found above declared from which a note is shown', 0, NULL);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('assistance.means.medical_note_fen', '500000', '2016-05-01', 'minsheng placeholder', 'placeholder: 5,000 yuan in the means-check window; no figure in the rules (rules.md §1.9, 刚性支出 ratio [U])', '2026-11-29T00:00:00.000Z', 'migration');
