-- Every audited read inserts into audit_log; each secondary index is one more
-- b-tree to update per entry. The time index served only searches by time
-- alone, which can walk the log newest-first by seq instead (seq and ts rise
-- together); searches by actor or object keep their indexes. Dropping it
-- raised audited reads by about 9% (docs/benchmarks.md).
DROP INDEX audit_log_ts;
