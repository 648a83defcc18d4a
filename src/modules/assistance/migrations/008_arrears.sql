-- Arrears (补发) and the month's settlement after a change (issue #5 item 4;
-- docs/assistance.md "Money already in the pipeline").
--
-- A change that raises the amount for months already sent to the bank owes
-- the household the difference: an arrears line, a payment line of kind
-- 'arrears' for the month it is owed for, written by the change (change_id)
-- and sent in the next bank file. A month may then hold a regular line and
-- arrears lines, so what a month was paid is the sum of its lines less what
-- the recovery ledger claims back, and a later change settles the month on
-- that sum: the recovery ledger holds one row per line and change (a month
-- cut twice is claimed twice), and one per line from the death detection.

ALTER TABLE assistance_payment_lines ADD COLUMN kind TEXT NOT NULL DEFAULT 'regular'
    CHECK (kind IN ('regular', 'arrears'));
ALTER TABLE assistance_payment_lines ADD COLUMN change_id BIGINT
    REFERENCES assistance_changes (id);

-- One live regular line per household, scheme and month, as before; arrears
-- lines once per change and month.
DROP INDEX assistance_payment_lines_live;
CREATE UNIQUE INDEX assistance_payment_lines_live
    ON assistance_payment_lines (household_id, scheme, period)
    WHERE status <> 'failed' AND kind = 'regular';
CREATE UNIQUE INDEX assistance_payment_lines_arrears
    ON assistance_payment_lines (change_id, period)
    WHERE status <> 'failed' AND kind = 'arrears';
CREATE INDEX assistance_payment_lines_household
    ON assistance_payment_lines (household_id, scheme, period);

ALTER TABLE assistance_line_cancellations ADD COLUMN kind TEXT NOT NULL DEFAULT 'regular';

ALTER TABLE assistance_changes ADD COLUMN arrears BIGINT NOT NULL DEFAULT 0;
ALTER TABLE assistance_changes ADD COLUMN arrears_fen BIGINT NOT NULL DEFAULT 0;

-- The recovery ledger: no longer one row per line.
--@sqlite
CREATE TABLE assistance_recoveries_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    line_id      BIGINT NOT NULL REFERENCES assistance_payment_lines (id),
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
    amount_fen, reason, death_date, status, detected_at, detected_by, change_id)
    SELECT id, line_id, household_id, resident_id, scheme, period, amount_fen, reason, death_date,
    status, detected_at, detected_by, change_id FROM assistance_recoveries;
DROP TABLE assistance_recoveries;
ALTER TABLE assistance_recoveries_new RENAME TO assistance_recoveries;
--@end
--@postgres
ALTER TABLE assistance_recoveries DROP CONSTRAINT assistance_recoveries_line_id_key;
--@end
CREATE UNIQUE INDEX assistance_recoveries_detected ON assistance_recoveries (line_id)
    WHERE change_id IS NULL;
CREATE UNIQUE INDEX assistance_recoveries_change ON assistance_recoveries (change_id, period)
    WHERE change_id IS NOT NULL;
CREATE INDEX assistance_recoveries_month ON assistance_recoveries (household_id, scheme, period);

-- A change may name a new payee when the payee dies or leaves: the period
-- keeps the last four digits of its own account for screens (a period
-- before this migration shows its case's).
ALTER TABLE assistance_enrolments ADD COLUMN bank_account_last4 TEXT NOT NULL DEFAULT '';
UPDATE assistance_enrolments SET bank_account_last4 = coalesce((SELECT c.bank_account_last4
    FROM assistance_cases c WHERE c.id = assistance_enrolments.case_id), '')
    WHERE case_id IS NOT NULL;

-- Following a recovery up (追回): recovered, or waived with the reasons
-- (e.g. the district's decision not to claim from a family in hardship);
-- the date, who recorded it and the note.
ALTER TABLE assistance_recoveries ADD COLUMN resolved_on TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_recoveries ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance_recoveries ADD COLUMN note_zh TEXT NOT NULL DEFAULT '';
CREATE INDEX assistance_recoveries_status ON assistance_recoveries (status, id);
