-- Online applications from the resident portal (网上申请; issue #7 item 3,
-- issue #5 item 1; docs/assistance.md "Online applications").
--
-- A resident applies for their own registry household; the case starts in
-- `submitted` (网上申请，待受理): it holds its counted members like any open
-- case, but it is not accepted yet, and its time limits count from the
-- acceptance. The town accepts it (受理, submitted -> draft, dated: the
-- acceptance date is the case's accepted_on) or declines it (不予受理, with
-- the reasons; the members are freed).

INSERT INTO assistance_states (state, title_zh, title_en, is_open) VALUES
    ('submitted', '网上申请，待受理', 'submitted online, awaiting acceptance', 1),
    ('declined', '不予受理', 'declined', 0);

INSERT INTO assistance_transitions (from_state, action, to_state, permission, needs_reason,
                                    title_zh, title_en, sort_order) VALUES
    ('submitted', 'accept', 'draft', 'assistance:case:write', 0, '受理', 'Accept', 1),
    ('submitted', 'decline', 'declined', 'assistance:case:write', 1, '不予受理', 'Decline', 2);

-- channel: window (taken by a caseworker) or online (the portal).
-- accepted_on: the acceptance (受理) from which the working-day limits count;
-- a window application is accepted when it is taken, so its accepted_on is
-- its applied_on. statement_zh: the resident's own account of the hardship.
-- The contact phone is sealed like the bank account (field "contact_phone");
-- only its last four digits are kept in clear.
ALTER TABLE assistance_cases ADD COLUMN channel TEXT NOT NULL DEFAULT 'window'
    CHECK (channel IN ('window', 'online'));
ALTER TABLE assistance_cases ADD COLUMN accepted_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN statement_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN contact_phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_cases ADD COLUMN contact_phone_last4 TEXT NOT NULL DEFAULT '';
UPDATE assistance_cases SET accepted_on = applied_on;

-- A resident's own applications, newest first (the portal's 办事进度).
CREATE INDEX assistance_cases_applicant ON assistance_cases (applicant_id, id);

-- How long an online application may wait for the town's acceptance. The
-- rules set no figure (rules.md §1.5 counts from acceptance): placeholders.
INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('assistance.limit.dibao.acceptance_workdays', 'int', 'workdays', '低保网上申请受理时限', 'Working days for the town to accept or decline an online application (dibao)', 1, 365),
    ('assistance.limit.tekun.acceptance_workdays', 'int', 'workdays', '特困网上申请受理时限', 'Working days for the town to accept or decline an online application (tekun)', 1, 365),
    ('assistance.limit.linshi.acceptance_workdays', 'int', 'workdays', '临时救助网上申请受理时限', 'Working days for the town to accept or decline an online application (linshi)', 1, 365);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('assistance.limit.dibao.acceptance_workdays', '3', '2016-01-01', 'minsheng placeholder', 'placeholder: no limit for accepting an online application was found (rules.md §1.5 counts from acceptance) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.tekun.acceptance_workdays', '3', '2016-01-01', 'minsheng placeholder', 'placeholder: no limit for accepting an online application was found (rules.md §1.5, §1.8) [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.limit.linshi.acceptance_workdays', '3', '2016-01-01', 'minsheng placeholder', 'placeholder: no limit for accepting an online application was found (rules.md §1.10) [U]', '2026-11-29T00:00:00.000Z', 'migration');
