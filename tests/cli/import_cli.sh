#!/bin/sh
# import_cli.sh - `minsheng import`: the feed list, usage and input errors,
# and a kill -9 in the middle of an import: the database keeps only whole
# chunks, and running the same command again resumes and ends with every
# row exactly once.
#
#   tests/cli/import_cli.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
export MINSHENG_KEY_FILE="$TMP/test.key"

db=$(new_db import)
"$MS" migrate --db "$db" >/dev/null

# --- the feed list and refusals ------------------------------------------------
"$MS" import --list-feeds >"$TMP/feeds"
[ "$(wc -l <"$TMP/feeds")" -eq 17 ] || fail "--list-feeds lists $(wc -l <"$TMP/feeds") feeds, not 17"
grep -q '^death_police .*gbk' "$TMP/feeds" || fail "--list-feeds: death_police is not a gbk feed"
pass "--list-feeds lists the 17 feeds with format and encoding"

set +e
"$MS" import --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "import without --feed must exit 2"
"$MS" import --feed cremation --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "import without a file must exit 2"
set -e
pass "usage errors exit 2"
expect_fail "an unknown feed" "$MS" import --feed no_such --db "$db" "$TMP/feeds"
grep -q 'no feed called' "$TMP/err" || fail "unknown feed: $(cat "$TMP/err")"
expect_fail "a missing file" "$MS" import --feed cremation --db "$db" "$TMP/nope.csv"
grep -q 'nope.csv' "$TMP/err" || fail "missing file: the message does not name it"
printf '火化证号,姓名\nX1,某\n' >"$TMP/badheader.csv"
expect_fail "a header without a required column" "$MS" import --feed cremation --db "$db" "$TMP/badheader.csv"
grep -q '逝者姓名' "$TMP/err" || fail "bad header: the message does not name the column"
[ "$(sql "$db" "SELECT count(*) FROM exchange_batches")" -eq 0 ] || fail "a refused file left a batch"

# --- kill -9 in the middle, then resume -------------------------------------------
# Big enough that the import is still running when it is killed; PostgreSQL
# commits more slowly, so fewer rows keep the test short there.
rows=200000
is_pg && rows=40000
awk -v n=$rows 'BEGIN {
    print "火化证号,逝者姓名,证件号码,性别,出生日期,死亡日期,火化日期,家属联系电话"
    for (i = 1; i <= n; i++) {
        death = (i % 1000 == 0) ? "2026-13-01" : "2026-01-01"
        printf "K%07d,某某%d,,男,1950-01-01,%s,,\n", i, i, death
    }
}' >"$TMP/big.csv"
bad=$((rows / 1000))

"$MS" import --feed cremation --chunk 500 --db "$db" "$TMP/big.csv" >"$TMP/first.out" 2>&1 &
pid=$!
i=0
while :; do
    done_rows=$(sql "$db" "SELECT coalesce(max(resume_row), 0) FROM exchange_batches" 2>/dev/null || echo 0)
    [ "${done_rows:-0}" -ge 2000 ] && break
    i=$((i + 1))
    [ $i -lt 600 ] || fail "the import did not commit 2000 rows within 30 s"
    sleep 0.05
done
kill -9 $pid
set +e
wait $pid
set -e
status=$(sql "$db" "SELECT status FROM exchange_batches")
[ "$status" = loading ] || fail "after kill -9 the batch is '$status', expected loading (the import ended too soon?)"
committed=$(sql "$db" "SELECT resume_row FROM exchange_batches")
stored=$(sql "$db" "SELECT (SELECT count(*) FROM exchange_records) + (SELECT count(*) FROM exchange_quarantine)")
[ "$stored" -eq "$committed" ] || fail "after kill -9: $stored rows stored but $committed committed (half a chunk?)"
[ $((committed % 500)) -eq 0 ] || fail "committed $committed rows: not whole chunks of 500"
pass "kill -9 after $committed rows leaves whole chunks only"

"$MS" import --feed cremation --chunk 500 --db "$db" "$TMP/big.csv" >"$TMP/second.out"
grep -q 'resumed an interrupted import' "$TMP/second.out" || fail "the second run did not resume: $(cat "$TMP/second.out")"
[ "$(sql "$db" "SELECT count(*) FROM exchange_batches")" -eq 1 ] || fail "resuming made a second batch"
[ "$(sql "$db" "SELECT count(*) FROM exchange_records")" -eq $((rows - bad)) ] || fail "records after resume: not $((rows - bad))"
[ "$(sql "$db" "SELECT count(*) FROM exchange_quarantine")" -eq $bad ] || fail "quarantine after resume: not $bad"
[ "$(sql "$db" "SELECT count(*) FROM exchange_records WHERE link_method = 'pending'")" -eq 0 ] || fail "rows left unlinked"
[ "$(sql "$db" "SELECT rows_read || ' ' || rows_accepted || ' ' || rows_quarantined || ' ' || status FROM exchange_batches")" = "$rows $((rows - bad)) $bad done" ] ||
    fail "batch counters after resume: $(sql "$db" "SELECT rows_read, rows_accepted, rows_quarantined, status FROM exchange_batches")"
grep -q "rows read $rows: accepted $((rows - bad)), duplicate 0, quarantined $bad" "$TMP/second.out" ||
    fail "summary: $(cat "$TMP/second.out")"
grep -q "quarantined by reason: bad_date $bad" "$TMP/second.out" || fail "reasons: $(cat "$TMP/second.out")"
pass "the second run resumed and every row is stored exactly once"

"$MS" import --feed cremation --db "$db" "$TMP/big.csv" >"$TMP/third.out"
grep -q 'already imported' "$TMP/third.out" || fail "a third run should say already imported"
[ "$(sql "$db" "SELECT count(*) FROM exchange_records")" -eq $((rows - bad)) ] || fail "a third run changed the records"
pass "importing the same file again changes nothing"
