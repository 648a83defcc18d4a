-- Change and review of an enrolment (issue #5 item 4; docs/assistance.md
-- "Change and review"; rules.md §1.5 refusing work and 渐退期, §1.6 review
-- frequency, §1.11 "changes create new rows; the history is never edited").
--
-- An enrolment row is one *period* at one amount. A change ends the current
-- period (its end_period is set once, the month before the change takes
-- effect) and starts a successor with the new amount; the amount and start
-- of a period are never edited. Each period may hold its own household
-- facts (members and incomes, has_facts = 1); the first period of a case
-- uses the case's snapshot.

ALTER TABLE assistance_enrolments ADD COLUMN predecessor_id BIGINT REFERENCES assistance_enrolments (id);
ALTER TABLE assistance_enrolments ADD COLUMN has_facts INTEGER NOT NULL DEFAULT 0;
-- 渐退期 (§1.5): the last month paid after income rose above the standard
-- through work; '' for an ordinary period.
ALTER TABLE assistance_enrolments ADD COLUMN transition_end_period TEXT NOT NULL DEFAULT '';
CREATE INDEX assistance_enrolments_predecessor ON assistance_enrolments (predecessor_id);

-- The household facts of a period after a change (the case's own tables
-- stay as they were decided).
CREATE TABLE assistance_period_members (
    enrolment_id      BIGINT NOT NULL REFERENCES assistance_enrolments (id),
    resident_id       BIGINT NOT NULL REFERENCES residents (id),
    seq               INTEGER NOT NULL,         -- the order members are listed in
    relation          TEXT NOT NULL,
    is_counted        INTEGER NOT NULL CHECK (is_counted IN (0, 1)),
    exclusion_reason  TEXT NOT NULL DEFAULT '',
    disability_grade  INTEGER NOT NULL DEFAULT 0 CHECK (disability_grade BETWEEN 0 AND 4),
    has_major_illness INTEGER NOT NULL DEFAULT 0 CHECK (has_major_illness IN (0, 1)),
    is_student        INTEGER NOT NULL DEFAULT 0 CHECK (is_student IN (0, 1)),
    PRIMARY KEY (enrolment_id, resident_id)
);

CREATE TABLE assistance_period_incomes (
    id           {{pk}},
    enrolment_id BIGINT NOT NULL REFERENCES assistance_enrolments (id),
    resident_id  BIGINT NOT NULL REFERENCES residents (id),
    kind         TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen >= 0),
    months       INTEGER NOT NULL CHECK (months BETWEEN 1 AND 12)
);
CREATE INDEX assistance_period_incomes_enrolment ON assistance_period_incomes (enrolment_id);

-- Every change, with its written reason (§1.6: a cut or stop needs written
-- reasons) and what it did to the money; never edited.
CREATE TABLE assistance_changes (
    id                    {{pk}},
    enrolment_id          BIGINT NOT NULL REFERENCES assistance_enrolments (id), -- the period it ended
    successor_id          BIGINT REFERENCES assistance_enrolments (id),          -- NULL: stopped
    household_id          BIGINT NOT NULL REFERENCES households (id),
    scheme                TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('income', 'member_leaves', 'member_joins',
                              'death', 'exit', 'stop', 'work_refusals')),
    resident_id           BIGINT REFERENCES residents (id),
    changed_on            TEXT NOT NULL,
    effective_period      TEXT NOT NULL,
    outcome               TEXT NOT NULL CHECK (outcome IN ('recalculated', 'stopped', 'transition')),
    is_employment         INTEGER NOT NULL DEFAULT 0 CHECK (is_employment IN (0, 1)),
    old_amount_fen        BIGINT NOT NULL,
    new_amount_fen        BIGINT NOT NULL,
    standard_fen          BIGINT NOT NULL DEFAULT 0,
    members_counted       INTEGER NOT NULL DEFAULT 0,
    income_fen            BIGINT NOT NULL DEFAULT 0,
    transition_end_period TEXT NOT NULL DEFAULT '',
    reason_zh             TEXT NOT NULL CHECK (reason_zh <> ''),
    lines_cancelled       BIGINT NOT NULL DEFAULT 0,
    lines_replaced        BIGINT NOT NULL DEFAULT 0,
    recoveries            BIGINT NOT NULL DEFAULT 0,
    recovered_fen         BIGINT NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    created_by            TEXT NOT NULL
);
CREATE INDEX assistance_changes_household ON assistance_changes (household_id, scheme, id);

-- Pending (never exported) lines a change cancelled, as they were: nothing
-- of them reached the bank. replaced_by: the line written instead at the
-- new period's amount (NULL after a stop).
CREATE TABLE assistance_line_cancellations (
    line_id      BIGINT PRIMARY KEY,
    change_id    BIGINT NOT NULL REFERENCES assistance_changes (id),
    run_id       BIGINT NOT NULL,
    enrolment_id BIGINT NOT NULL,
    household_id BIGINT NOT NULL,
    scheme       TEXT NOT NULL,
    period       TEXT NOT NULL,
    issue_no     INTEGER NOT NULL,
    reissue_of   BIGINT,
    amount_fen   BIGINT NOT NULL,
    bank_account_sealed TEXT NOT NULL DEFAULT '',
    bank_name    TEXT NOT NULL DEFAULT '',
    replaced_by  BIGINT,
    created_at   TEXT NOT NULL
);
CREATE INDEX assistance_line_cancellations_change ON assistance_line_cancellations (change_id);

-- Review schedule (§1.6 动态管理): one scheduled review per household and
-- scheme; recording it closes the row with its outcome and schedules the
-- next. basis: which branch of the frequency rule applied.
CREATE TABLE assistance_reviews (
    id           {{pk}},
    household_id BIGINT NOT NULL REFERENCES households (id),
    scheme       TEXT NOT NULL,
    enrolment_id BIGINT NOT NULL REFERENCES assistance_enrolments (id),
    due_on       TEXT NOT NULL,
    months       INTEGER NOT NULL CHECK (months > 0),
    rule         TEXT NOT NULL,
    basis        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'closed')),
    reviewed_on  TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'unchanged', 'changed')),
    change_id    BIGINT REFERENCES assistance_changes (id),
    note_zh      TEXT NOT NULL DEFAULT '',
    reviewed_by  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX assistance_reviews_scheduled ON assistance_reviews (household_id, scheme)
    WHERE status = 'scheduled';
CREATE INDEX assistance_reviews_due ON assistance_reviews (status, due_on);

-- Job offers to a member (§1.5 审核确认办法 第三十四条): refusals without a
-- good reason in a row (streak) cut the member's share at the limit.
CREATE TABLE assistance_work_offers (
    id              {{pk}},
    household_id    BIGINT NOT NULL REFERENCES households (id),
    scheme          TEXT NOT NULL,
    enrolment_id    BIGINT NOT NULL REFERENCES assistance_enrolments (id),
    resident_id     BIGINT NOT NULL REFERENCES residents (id),
    offered_on      TEXT NOT NULL,
    is_accepted     INTEGER NOT NULL CHECK (is_accepted IN (0, 1)),
    has_good_reason INTEGER NOT NULL CHECK (has_good_reason IN (0, 1)),
    streak          INTEGER NOT NULL,
    note_zh         TEXT NOT NULL DEFAULT '',
    change_id       BIGINT REFERENCES assistance_changes (id),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE INDEX assistance_work_offers_member ON assistance_work_offers (household_id, resident_id, id);

-- A stopped case no longer holds its members.
INSERT INTO assistance_states (state, title_zh, title_en, is_open) VALUES
    ('stopped', '已停保', 'stopped', 0) ON CONFLICT DO NOTHING;
INSERT INTO assistance_transitions (from_state, action, to_state) VALUES
    ('enrolled', 'stop', 'stopped') ON CONFLICT DO NOTHING;

-- The recovery ledger gets the reasons of a change: a line exported or paid
-- for a month after a stop, or above the amount after a cut.
--@sqlite
CREATE TABLE assistance_recoveries_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    line_id      BIGINT NOT NULL UNIQUE REFERENCES assistance_payment_lines (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    resident_id  BIGINT NOT NULL REFERENCES residents (id),
    scheme       TEXT NOT NULL,
    period       TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('paid_after_death', 'paid_after_stop', 'paid_above_change')),
    death_date   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recovered', 'waived')),
    detected_at  TEXT NOT NULL,
    detected_by  TEXT NOT NULL,
    change_id    BIGINT REFERENCES assistance_changes (id)
);
INSERT INTO assistance_recoveries_new (id, line_id, household_id, resident_id, scheme, period,
    amount_fen, reason, death_date, status, detected_at, detected_by)
    SELECT id, line_id, household_id, resident_id, scheme, period, amount_fen, reason, death_date,
    status, detected_at, detected_by FROM assistance_recoveries;
DROP TABLE assistance_recoveries;
ALTER TABLE assistance_recoveries_new RENAME TO assistance_recoveries;
--@end
--@postgres
ALTER TABLE assistance_recoveries DROP CONSTRAINT assistance_recoveries_reason_check;
ALTER TABLE assistance_recoveries ADD CONSTRAINT assistance_recoveries_reason_check
    CHECK (reason IN ('paid_after_death', 'paid_after_stop', 'paid_above_change'));
ALTER TABLE assistance_recoveries ADD COLUMN change_id BIGINT REFERENCES assistance_changes (id);
--@end

INSERT INTO policy_keys (key, kind, unit, title_zh, title_en, min_value, max_value) VALUES
    ('assistance.review.rule', 'text', 'cq2016|nat2021', '低保核查周期适用规则', 'Which review-frequency rule applies', NULL, NULL),
    ('nat.dibao.review_months.stable', 'int', 'months', '核查周期：家庭经济状况相对稳定（全国）', 'Review period: stable household (national)', 1, 60),
    ('nat.dibao.review_months.unstable', 'int', 'months', '核查周期：收入不稳定或有劳动能力成员（全国）', 'Review period: unstable income or members able to work (national)', 1, 60),
    ('assistance.review.working_age_min', 'int', 'years', '劳动年龄下限', 'Working age from', 0, 100),
    ('assistance.review.working_age_below', 'int', 'years', '劳动年龄上限（不含）', 'Working age below', 0, 100),
    ('assistance.dibao.transition_months', 'int', 'months', '低保渐退期月数', 'Months a household keeps the benefit after income rose above the standard through work', 0, 24),
    ('assistance.change.months_after', 'int', 'months', '变更自发生后第几个月起生效', 'Months after the change month that a change takes effect', 0, 3);
INSERT INTO policy_values (key, value, effective_from, source, note, created_at, created_by) VALUES
    ('assistance.review.rule', 'cq2016', '2016-05-01', 'rules.md §1.6', 'Chongqing 2016 rule (重庆低保条例 第二十六条), stricter; nat2021 for 审核确认办法 第三十一条', '2026-11-29T00:00:00.000Z', 'migration'),
    ('nat.dibao.review_months.stable', '12', '2021-07-01', '最低生活保障审核确认办法 第三十一条', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('nat.dibao.review_months.unstable', '6', '2021-07-01', '最低生活保障审核确认办法 第三十一条', '', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.review.working_age_min', '16', '2016-05-01', 'minsheng assumption', 'placeholder: working age 16-60 (劳动年龄); not in the rules [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.review.working_age_below', '60', '2016-05-01', 'minsheng assumption', 'placeholder: working age 16-60 (劳动年龄); not in the rules [U]', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.dibao.transition_months', '6', '2021-07-01', '最低生活保障审核确认办法 第三十三条', 'placeholder: Chongqing length unknown [U]; 6-12 months is common practice', '2026-11-29T00:00:00.000Z', 'migration'),
    ('assistance.change.months_after', '1', '2016-05-01', 'minsheng assumption', 'the month of the change is paid as before, the new amount from the next month (as the month of death is due)', '2026-11-29T00:00:00.000Z', 'migration');
