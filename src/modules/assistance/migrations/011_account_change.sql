-- A change of the payee's bank account (or of who is paid) without a death
-- or a move (issue #5 item 4; docs/assistance.md "A new account"): kind
-- 'account', outcome 'payee_changed'. The kinds and outcomes are CHECKs of
-- assistance_changes, which the lines, the ledger, the cancellations, the
-- reviews, the work offers and the monitor's tasks reference: SQLite widens
-- them by copying the table (store.md, --@sqlite-rebuild).
--@sqlite-rebuild
--@sqlite
CREATE TABLE assistance_changes_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    enrolment_id          BIGINT NOT NULL REFERENCES assistance_enrolments (id), -- the period it ended
    successor_id          BIGINT REFERENCES assistance_enrolments (id),          -- NULL: stopped
    household_id          BIGINT NOT NULL REFERENCES households (id),
    scheme                TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('income', 'member_leaves', 'member_joins',
                              'death', 'exit', 'stop', 'work_refusals', 'account')),
    resident_id           BIGINT REFERENCES residents (id),
    changed_on            TEXT NOT NULL,
    effective_period      TEXT NOT NULL,
    outcome               TEXT NOT NULL CHECK (outcome IN ('recalculated', 'stopped', 'transition',
                              'payee_changed')),
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
    created_by            TEXT NOT NULL,
    arrears               BIGINT NOT NULL DEFAULT 0,
    arrears_fen           BIGINT NOT NULL DEFAULT 0
);
INSERT INTO assistance_changes_new (id, enrolment_id, successor_id, household_id, scheme, kind,
    resident_id, changed_on, effective_period, outcome, is_employment, old_amount_fen,
    new_amount_fen, standard_fen, members_counted, income_fen, transition_end_period, reason_zh,
    lines_cancelled, lines_replaced, recoveries, recovered_fen, created_at, created_by, arrears,
    arrears_fen)
    SELECT id, enrolment_id, successor_id, household_id, scheme, kind, resident_id, changed_on,
    effective_period, outcome, is_employment, old_amount_fen, new_amount_fen, standard_fen,
    members_counted, income_fen, transition_end_period, reason_zh, lines_cancelled,
    lines_replaced, recoveries, recovered_fen, created_at, created_by, arrears, arrears_fen
    FROM assistance_changes;
DROP TABLE assistance_changes;
ALTER TABLE assistance_changes_new RENAME TO assistance_changes;
CREATE INDEX assistance_changes_household ON assistance_changes (household_id, scheme, id);
--@end
--@postgres
ALTER TABLE assistance_changes DROP CONSTRAINT assistance_changes_kind_check;
ALTER TABLE assistance_changes ADD CONSTRAINT assistance_changes_kind_check
    CHECK (kind IN ('income', 'member_leaves', 'member_joins', 'death', 'exit', 'stop',
                    'work_refusals', 'account'));
ALTER TABLE assistance_changes DROP CONSTRAINT assistance_changes_outcome_check;
ALTER TABLE assistance_changes ADD CONSTRAINT assistance_changes_outcome_check
    CHECK (outcome IN ('recalculated', 'stopped', 'transition', 'payee_changed'));
--@end
