-- 登录日志 (issue #7) pages through the session events of the log
-- (accounts_session.c and accounts_online.c write them) and counts them.
-- A partial index holds only those rows: the audited reads that make up most
-- of the log never match its WHERE, so they do not pay for it (002 dropped
-- the time index for that cost). audit_sql_logins repeats this WHERE
-- verbatim, which is what lets SQLite's planner use the index.
CREATE INDEX audit_log_logins ON audit_log (seq)
    WHERE action IN ('session.login', 'session.logout', 'session.revoke');
