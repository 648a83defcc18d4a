-- The assistance procedure with its time limits (issue #5 item 3,
-- rules.md §1.5, §1.8; docs/assistance.md "The procedure") and one
-- application for several schemes (item 1, 社会救助一件事).
--
-- New states and moves are rows, as migration 001 planned. The old short
-- flow moves (draft -> computed -> approved) are removed so that nothing
-- reaches a decision without the investigation, the town review and the
-- publicity; a case already in computed goes on with investigate.
-- Tables are altered, never rebuilt (ADD COLUMN works on both engines).

INSERT INTO assistance_states (state, title_zh, title_en, is_open) VALUES
    ('investigating', '调查核实中', 'investigating', 1),
    ('visited', '已入户调查', 'home visit recorded', 1),
    ('town_reviewed', '乡镇（街道）已初审', 'town review done', 1),
    ('publicity', '公示中', 'publicity', 1),
    ('reinvestigating', '异议复查中', 're-investigating an objection', 1),
    ('district_review', '区县审核确认中', 'district review', 1);

-- Who may make a move (the permission the caller needs), whether it needs a
-- reason (going back, an extension), and its button text.
ALTER TABLE assistance_transitions ADD COLUMN permission TEXT NOT NULL DEFAULT 'assistance:case:write';
ALTER TABLE assistance_transitions ADD COLUMN needs_reason INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assistance_transitions ADD COLUMN title_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_transitions ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_transitions ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;

-- Only the old short flow goes: on a database where later migrations ran
-- first (004 adds enrolled -> stop), their rows stay.
DELETE FROM assistance_transitions WHERE from_state = 'draft' AND action = 'compute';
DELETE FROM assistance_transitions WHERE from_state = 'computed' AND action IN ('compute', 'approve', 'refuse');
DELETE FROM assistance_transitions WHERE from_state = 'approved' AND action = 'enrol';
INSERT INTO assistance_transitions (from_state, action, to_state, permission, needs_reason, title_zh, title_en, sort_order) VALUES
    ('draft', 'investigate', 'investigating', 'assistance:case:write', 0, '开始调查核实', 'Start the investigation', 10),
    ('computed', 'investigate', 'investigating', 'assistance:case:write', 0, '开始调查核实', 'Start the investigation', 10),
    ('investigating', 'compute', 'investigating', 'assistance:case:write', 0, '核算', 'Compute', 20),
    ('investigating', 'visit', 'visited', 'assistance:case:write', 0, '登记入户调查', 'Record the home visit', 30),
    ('visited', 'compute', 'visited', 'assistance:case:write', 0, '核算', 'Compute', 20),
    ('visited', 'town_review', 'town_reviewed', 'assistance:case:write', 0, '乡镇（街道）初审', 'Town review', 40),
    ('town_reviewed', 'compute', 'town_reviewed', 'assistance:case:write', 0, '核算', 'Compute', 20),
    ('town_reviewed', 'publish', 'publicity', 'assistance:case:write', 0, '公示初审意见', 'Publish the preliminary opinion', 50),
    ('town_reviewed', 'return', 'investigating', 'assistance:case:write', 1, '退回重新调查', 'Back to investigation', 90),
    ('publicity', 'object', 'reinvestigating', 'assistance:case:write', 0, '登记异议', 'Record an objection', 60),
    ('publicity', 'close_publicity', 'district_review', 'assistance:case:write', 0, '公示期满，报送区县', 'Publicity over: send to the district', 70),
    ('reinvestigating', 'compute', 'reinvestigating', 'assistance:case:write', 0, '核算', 'Compute', 20),
    ('reinvestigating', 'republish', 'publicity', 'assistance:case:write', 0, '复查完毕，再次公示', 'Re-investigated: publish again', 65),
    ('district_review', 'compute', 'district_review', 'assistance:case:write', 0, '核算', 'Compute', 20),
    ('district_review', 'spot_visit', 'district_review', 'assistance:case:decide', 0, '区县入户抽查', 'District spot visit', 75),
    ('district_review', 'approve', 'approved', 'assistance:case:decide', 0, '批准', 'Approve', 80),
    ('district_review', 'refuse', 'refused', 'assistance:case:decide', 1, '不予批准', 'Refuse', 81),
    ('district_review', 'return', 'investigating', 'assistance:case:decide', 1, '退回乡镇重新调查', 'Return to the town', 90),
    ('approved', 'enrol', 'enrolled', 'assistance:case:decide', 0, '纳入保障', 'Enrol', 85),
    ('approved', 'notify', 'approved', 'assistance:case:decide', 0, '书面告知', 'Record the written notice', 88),
    ('enrolled', 'notify', 'enrolled', 'assistance:case:decide', 0, '书面告知', 'Record the written notice', 88),
    ('refused', 'notify', 'refused', 'assistance:case:decide', 0, '书面告知', 'Record the written notice', 88),
    ('draft', 'extend', 'draft', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('investigating', 'extend', 'investigating', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('visited', 'extend', 'visited', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('town_reviewed', 'extend', 'town_reviewed', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('publicity', 'extend', 'publicity', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('reinvestigating', 'extend', 'reinvestigating', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95),
    ('district_review', 'extend', 'district_review', 'assistance:case:decide', 1, '延长办理期限', 'Extend the time limit', 95);

-- The procedure facts on the case. state_since: the date (business date,
-- China) the case entered its state; due_on: that state due date, worked
-- out at each move by assistance_due() and stored so that the list can
-- filter overdue cases with an index (empty: no limit runs).
ALTER TABLE assistance_cases ADD COLUMN state_since TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN near_relative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assistance_cases ADD COLUMN near_relative_note TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN publicity_start TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN publicity_end TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN publicity_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assistance_cases ADD COLUMN received_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN extension_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN notified_on TEXT NOT NULL DEFAULT '';
UPDATE assistance_cases SET state_since = applied_on;
CREATE INDEX assistance_cases_due ON assistance_cases (region_code, due_on);

-- Each event is a step of the timeline: its business date, the due date
-- that applied to the step it ended, and what was recorded (investigators,
-- the family signature, the objection, ...) as JSON.
ALTER TABLE assistance_case_events ADD COLUMN step_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_case_events ADD COLUMN due_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_case_events ADD COLUMN detail_json TEXT NOT NULL DEFAULT '{}';

-- One application, several schemes (社会救助一件事): the case is the
-- application (one household snapshot, one procedure run); each scheme
-- asked for has its determination here, with its own computation and
-- decision. status: pending (not computed), computed, unavailable (no
-- computation for the scheme yet), approved, refused.
CREATE TABLE assistance_determinations (
    id           {{pk}},
    case_id      BIGINT NOT NULL REFERENCES assistance_cases (id),
    scheme       TEXT NOT NULL REFERENCES assistance_schemes (code),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'computed', 'unavailable', 'approved', 'refused')),
    computed_on  TEXT NOT NULL DEFAULT '',
    is_eligible  INTEGER NOT NULL DEFAULT 0,
    standard_fen BIGINT NOT NULL DEFAULT 0,
    amount_fen   BIGINT NOT NULL DEFAULT 0,
    reasons_json TEXT NOT NULL DEFAULT '[]',
    decided_on   TEXT NOT NULL DEFAULT '',
    reason_zh    TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, scheme)
);
INSERT INTO assistance_determinations (case_id, scheme, status, computed_on, is_eligible, standard_fen, amount_fen, reasons_json)
    SELECT id, scheme,
           CASE WHEN status = 'refused' THEN 'refused'
                WHEN status IN ('approved', 'enrolled') THEN 'approved'
                WHEN computed_on <> '' THEN 'computed' ELSE 'pending' END,
           computed_on, is_eligible, standard_fen, amount_fen, reasons_json
    FROM assistance_cases;

-- Time limits, keyed by scheme (rules.md §1.5 for 低保, §1.8 for 特困).
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('assistance.limit.dibao.investigation_start_workdays', 'int', 'workdays', '低保受理后开始调查时限', 'Working days from acceptance to the start of the investigation (dibao)', 1, 365),
    ('assistance.limit.dibao.town_workdays', 'int', 'workdays', '低保乡镇调查及初审时限（自受理起）', 'Working days from acceptance for the town investigation and review (dibao)', 1, 365),
    ('assistance.limit.dibao.publicity_days', 'int', 'days', '低保公示天数', 'Days of publicity of the preliminary opinion (dibao)', 1, 365),
    ('assistance.limit.dibao.further_publicity_days', 'int', 'days', '低保异议复查后再公示天数', 'Days of the further publicity after an objection (dibao)', 1, 365),
    ('assistance.limit.dibao.county_workdays', 'int', 'workdays', '低保区县审核确认时限（自收到材料起）', 'Working days for the district decision from receiving the materials (dibao)', 1, 365),
    ('assistance.limit.dibao.total_workdays', 'int', 'workdays', '低保审核确认总时限（自受理起）', 'Working days from acceptance to the decision (dibao)', 1, 365),
    ('assistance.limit.dibao.extended_total_workdays', 'int', 'workdays', '低保延长后的审核确认总时限', 'Working days from acceptance to the decision when extended (dibao)', 1, 365),
    ('assistance.limit.dibao.refusal_notice_workdays', 'int', 'workdays', '低保不予批准书面告知时限', 'Working days to notify a refusal in writing (dibao)', 1, 365),
    ('assistance.limit.tekun.investigation_start_workdays', 'int', 'workdays', '特困受理后开始调查时限', 'Working days from acceptance to the start of the investigation (tekun)', 1, 365),
    ('assistance.limit.tekun.town_workdays', 'int', 'workdays', '特困乡镇调查及初审时限（自受理起）', 'Working days from acceptance for the town investigation and review (tekun)', 1, 365),
    ('assistance.limit.tekun.publicity_days', 'int', 'days', '特困公示天数', 'Days of publicity of the preliminary opinion (tekun)', 1, 365),
    ('assistance.limit.tekun.further_publicity_days', 'int', 'days', '特困异议复查后再公示天数', 'Days of the further publicity after an objection (tekun)', 1, 365),
    ('assistance.limit.tekun.county_workdays', 'int', 'workdays', '特困区县审核确认时限（自收到材料起）', 'Working days for the district decision from receiving the materials (tekun)', 1, 365),
    ('assistance.limit.tekun.total_workdays', 'int', 'workdays', '特困审核确认总时限（自受理起）', 'Working days from acceptance to the decision (tekun)', 1, 365),
    ('assistance.limit.tekun.extended_total_workdays', 'int', 'workdays', '特困延长后的审核确认总时限', 'Working days from acceptance to the decision when extended (tekun)', 1, 365),
    ('assistance.limit.tekun.refusal_notice_workdays', 'int', 'workdays', '特困不予批准书面告知时限', 'Working days to notify a refusal in writing (tekun)', 1, 365),
    ('assistance.limit.linshi.investigation_start_workdays', 'int', 'workdays', '临时救助受理后开始调查时限', 'Working days from acceptance to the start of the investigation (linshi)', 1, 365),
    ('assistance.limit.linshi.town_workdays', 'int', 'workdays', '临时救助乡镇调查及初审时限（自受理起）', 'Working days from acceptance for the town investigation and review (linshi)', 1, 365),
    ('assistance.limit.linshi.publicity_days', 'int', 'days', '临时救助公示天数', 'Days of publicity of the preliminary opinion (linshi)', 1, 365),
    ('assistance.limit.linshi.further_publicity_days', 'int', 'days', '临时救助异议复查后再公示天数', 'Days of the further publicity after an objection (linshi)', 1, 365),
    ('assistance.limit.linshi.county_workdays', 'int', 'workdays', '临时救助区县审核确认时限（自收到材料起）', 'Working days for the district decision from receiving the materials (linshi)', 1, 365),
    ('assistance.limit.linshi.total_workdays', 'int', 'workdays', '临时救助审核确认总时限（自受理起）', 'Working days from acceptance to the decision (linshi)', 1, 365),
    ('assistance.limit.linshi.extended_total_workdays', 'int', 'workdays', '临时救助延长后的审核确认总时限', 'Working days from acceptance to the decision when extended (linshi)', 1, 365),
    ('assistance.limit.linshi.refusal_notice_workdays', 'int', 'workdays', '临时救助不予批准书面告知时限', 'Working days to notify a refusal in writing (linshi)', 1, 365);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('assistance.limit.dibao.investigation_start_workdays', '3', '2021-07-01', '最低生活保障审核确认办法 (rules.md §1.5)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.town_workdays', '15', '2021-07-01', 'minsheng placeholder', 'placeholder: the national rules set only the start (3), the county (10) and the total (30) working days (rules.md §1.5) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.publicity_days', '7', '2021-07-01', '最低生活保障审核确认办法 第十九条', 'same figure as nat.dibao.publicity_days', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.further_publicity_days', '3', '2016-05-01', '重庆市城乡居民最低生活保障条例 第十八条', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.county_workdays', '10', '2021-07-01', '最低生活保障审核确认办法 (rules.md §1.5)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.total_workdays', '30', '2021-07-01', '最低生活保障审核确认办法 第二十二条', 'same figure as nat.dibao.decision_limit_workdays; 重庆低保条例 第十九条 counts 30 days without 评议/公示, not applied', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.extended_total_workdays', '45', '2021-07-01', '最低生活保障审核确认办法 第二十二条', 'same figure as nat.dibao.decision_limit_max_workdays', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.dibao.refusal_notice_workdays', '3', '2021-07-01', '最低生活保障审核确认办法 (rules.md §1.5)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.investigation_start_workdays', '3', '2021-07-01', 'minsheng assumption', 'placeholder: 特困认定办法 gives no start limit; the 低保 figure is used [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.town_workdays', '15', '2021-07-01', '特困人员认定办法 (rules.md §1.8)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.publicity_days', '7', '2021-07-01', '特困人员认定办法 (rules.md §1.8)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.further_publicity_days', '3', '2016-05-01', 'minsheng assumption', 'placeholder: the Chongqing 低保 rule (重庆低保条例 第十八条) applied to 特困 [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.county_workdays', '15', '2021-07-01', '特困人员认定办法 (rules.md §1.8)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.total_workdays', '35', '2021-07-01', 'minsheng placeholder', 'placeholder: no total limit found for 特困; 15 town + about 5 working days of publicity + 15 county [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.extended_total_workdays', '50', '2021-07-01', 'minsheng placeholder', 'placeholder: no extension rule found for 特困 [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.refusal_notice_workdays', '3', '2021-07-01', '特困人员认定办法 (rules.md §1.8)', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.investigation_start_workdays', '3', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.town_workdays', '15', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.publicity_days', '7', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.further_publicity_days', '3', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.county_workdays', '10', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.total_workdays', '30', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.extended_total_workdays', '45', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.refusal_notice_workdays', '3', '2021-07-01', 'minsheng placeholder', 'placeholder: the 低保 figure; 临时救助 procedure limits are set locally (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration');
