-- pension_identity_change (docs/monitor.md) starts from the pension accounts
-- paid to more than one resident; this index answers that from the index
-- alone (feed, account, resident), and then gives each such account's rows.
-- Without it the rule read every pension row's table page: 0.8 s at 30,000
-- residents, seconds at a district's size.
CREATE INDEX exchange_records_feed_account ON exchange_records (feed, ref_code, resident_id, period);
