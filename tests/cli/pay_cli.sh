#!/bin/sh
# pay_cli.sh - `minsheng pay`: usage and input errors, a kill -9 in the
# middle of a payment run (only whole chunks are left, and the next run
# completes it with exactly one line per household), two runs at once
# (exactly one line each), totals reconciled to the fen, a rerun that
# changes nothing, and the bank file with its return file and a re-issue.
# All data is synthetic: numbered households and one made-up payee.
#
#   tests/cli/pay_cli.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
export MINSHENG_KEY_FILE="$TMP/test.key"

db=$(new_db pay)
"$MS" migrate --db "$db" >/dev/null

# Big enough that a run with small chunks is still going when it is killed;
# PostgreSQL commits more slowly, so fewer households keep the test short.
rows=200000
is_pg && rows=40000
sql "$db" "INSERT INTO residents (code, name, name_pinyin, name_initials, sex, birth_date,
    id_number_sealed, id_number_bidx, hukou_type, hukou_region_code, region_code, created_at,
    updated_at) VALUES ('TESTPAYEE01', '测试收款人', 'ceshishoukuanren', 'csskr', 'M',
    '1960-01-01', 'x', 'bidx-test', 'rural', '500110101201', '500110101201', 'x', 'x')"
sql "$db" "INSERT INTO households (number, region_code, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
    SELECT 'P' || i, '500110101201', 'x', 'x' FROM n"
sql "$db" "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,
    amount_fen, start_period, status, created_at, created_by)
    SELECT id, 'dibao', (SELECT id FROM residents WHERE code = 'TESTPAYEE01'),
    30000 + id % 50000, '2025-01', 'active', 'x', 'seed' FROM households"
due_fen=$(sql "$db" "SELECT sum(amount_fen) FROM assistance_enrolments")
due_yuan=$(awk -v f="$due_fen" 'BEGIN { printf "%.0f.%02d", (f - f % 100) / 100, f % 100 }')

# --- refusals ----------------------------------------------------------------------
set +e
"$MS" pay --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "pay without options must exit 2"
"$MS" pay --scheme dibao --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "pay without --period must exit 2"
"$MS" pay --scheme dibao --period 2025-05 --detect-recoveries --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "two modes at once must exit 2"
set -e
pass "usage errors exit 2"
expect_fail "a period in the future" "$MS" pay --scheme dibao --period 2999-01 --db "$db"
grep -q 'period' "$TMP/err" || fail "future period: the message does not name the period"
expect_fail "an unknown scheme" "$MS" pay --scheme wubao --period 2025-05 --db "$db"
[ "$(sql "$db" "SELECT count(*) FROM assistance_payment_runs")" -eq 0 ] || fail "a refused run left a run"

# --- kill -9 in the middle, then run again ---------------------------------------------
"$MS" pay --scheme dibao --period 2025-05 --chunk 20 --db "$db" >"$TMP/first.out" 2>&1 &
pid=$!
i=0
while :; do
    n=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 2000 ] && break
    i=$((i + 1))
    [ $i -lt 600 ] || fail "the run did not commit 2000 lines within 30 s"
    sleep 0.05
done
kill -9 $pid
set +e
wait $pid
set -e
status=$(sql "$db" "SELECT status FROM assistance_payment_runs")
[ "$status" = running ] || fail "after kill -9 the run is '$status', expected running (it ended too soon?)"
committed=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines")
[ $((committed % 20)) -eq 0 ] || fail "after kill -9: $committed lines, not whole chunks of 20"
pass "kill -9 after $committed lines leaves whole chunks only"

"$MS" pay --scheme dibao --period 2025-05 --chunk 500 --db "$db" >"$TMP/second.out"
grep -q "$((rows - committed)) new lines" "$TMP/second.out" || fail "second run: $(cat "$TMP/second.out")"
grep -q 'reconciled (已核对一致)' "$TMP/second.out" || fail "second run not reconciled: $(cat "$TMP/second.out")"
grep -q "total $due_yuan yuan; due $rows households, $due_yuan yuan" "$TMP/second.out" ||
    fail "totals: $(cat "$TMP/second.out") (expected $due_yuan)"
[ "$(sql "$db" "SELECT count(*) FROM assistance_payment_lines WHERE period = '2025-05'")" -eq $rows ] ||
    fail "lines after the rerun: not $rows"
[ "$(sql "$db" "SELECT count(*) FROM (SELECT household_id FROM assistance_payment_lines
    WHERE period = '2025-05' GROUP BY household_id HAVING count(*) > 1) t")" -eq 0 ] ||
    fail "a household has two lines for 2025-05"
[ "$(sql "$db" "SELECT sum(amount_fen) FROM assistance_payment_lines WHERE period = '2025-05'")" = "$due_fen" ] ||
    fail "the lines do not add up to what was due"
[ "$(sql "$db" "SELECT status || ' ' || lines || ' ' || total_fen FROM assistance_payment_runs")" = "done $rows $due_fen" ] ||
    fail "run row: $(sql "$db" "SELECT status, lines, total_fen FROM assistance_payment_runs")"
pass "the next run completed it: one line per household, $due_yuan yuan to the fen"

# --- a rerun changes nothing --------------------------------------------------------------
"$MS" db digest --db "$db" >"$TMP/digest1"
"$MS" pay --scheme dibao --period 2025-05 --db "$db" >"$TMP/third.out"
grep -q ': 0 new lines' "$TMP/third.out" || fail "third run: $(cat "$TMP/third.out")"
"$MS" db digest --db "$db" >"$TMP/digest2"
cmp -s "$TMP/digest1" "$TMP/digest2" || fail "a rerun changed the database"
pass "running it again changes nothing"

# --- two runs at once ---------------------------------------------------------------------
"$MS" pay --scheme dibao --period 2025-06 --chunk 50 --db "$db" >"$TMP/a.out" 2>&1 &
pa=$!
"$MS" pay --scheme dibao --period 2025-06 --chunk 50 --db "$db" >"$TMP/b.out" 2>&1 &
pb=$!
wait $pa || fail "run A failed: $(cat "$TMP/a.out")"
wait $pb || fail "run B failed: $(cat "$TMP/b.out")"
new_a=$(sed -n 's/.*: \([0-9]*\) new lines/\1/p' "$TMP/a.out")
new_b=$(sed -n 's/.*: \([0-9]*\) new lines/\1/p' "$TMP/b.out")
[ $((new_a + new_b)) -eq $rows ] || fail "the two runs made $new_a + $new_b lines, not $rows"
[ "$(sql "$db" "SELECT count(*) FROM assistance_payment_lines WHERE period = '2025-06'")" -eq $rows ] ||
    fail "lines of two concurrent runs: not $rows"
[ "$(sql "$db" "SELECT count(*) FROM (SELECT household_id FROM assistance_payment_lines
    WHERE period = '2025-06' GROUP BY household_id HAVING count(*) > 1) t")" -eq 0 ] ||
    fail "two concurrent runs paid a household twice"
[ "$(sql "$db" "SELECT sum(amount_fen) FROM assistance_payment_lines WHERE period = '2025-06'")" = "$due_fen" ] ||
    fail "concurrent totals do not reconcile"
[ "$(sql "$db" "SELECT count(*) FROM assistance_payment_runs WHERE period = '2025-06'")" -eq 1 ] ||
    fail "two concurrent runs made two run rows"
pass "two runs at once: $new_a + $new_b lines, one per household, totals reconciled"

# --- the bank file and its return ----------------------------------------------------------
# May's file first: a month's file also takes what is still pending for earlier months
"$MS" pay --scheme dibao --period 2025-05 --export "$TMP/may.csv" --db "$db" >/dev/null
[ "$(grep -c ',2025-05,dibao,1$' "$TMP/may.csv")" -eq $rows ] || fail "May's file: not $rows May lines"
"$MS" pay --scheme dibao --period 2025-06 --export "$TMP/bank.csv" --db "$db" >"$TMP/export.out"
[ "$(wc -l <"$TMP/bank.csv")" -eq $((rows + 1)) ] || fail "bank file: not $rows lines and a header"
head -n 1 "$TMP/bank.csv" | grep -q '^reference,household,payee,account,bank,amount,period,scheme,issue$' ||
    fail "bank file header: $(head -n 1 "$TMP/bank.csv")"
file_total=$(awk -F, 'NR > 1 { split($6, p, "."); fen += p[1] * 100 + p[2] } END { printf "%.0f", fen }' "$TMP/bank.csv")
[ "$file_total" = "$due_fen" ] || fail "bank file total $file_total, not $due_fen"
grep -q "$rows lines, $due_yuan yuan" "$TMP/export.out" || fail "export: $(cat "$TMP/export.out")"
"$MS" pay --scheme dibao --period 2025-06 --export "$TMP/bank2.csv" --db "$db" >"$TMP/export2.out"
[ "$(wc -l <"$TMP/bank2.csv")" -eq 1 ] || fail "a second export repeated lines"
pass "bank file: every line once, total $due_yuan yuan; a second export is empty"

awk -F, 'NR == 1 { print "reference,result,reason"; next }
    NR == 2 { print $1 ",failed,账户已冻结"; next } { print $1 ",paid," }' "$TMP/bank.csv" >"$TMP/return.csv"
"$MS" pay --return "$TMP/return.csv" --db "$db" >"$TMP/return.out"
grep -q "paid $((rows - 1)), failed 1 (re-issued 1), unchanged 0" "$TMP/return.out" || fail "return: $(cat "$TMP/return.out")"
"$MS" pay --return "$TMP/return.csv" --db "$db" >"$TMP/return2.out"
grep -q "paid 0, failed 0 (re-issued 0), unchanged $rows" "$TMP/return2.out" || fail "return again: $(cat "$TMP/return2.out")"
"$MS" pay --scheme dibao --period 2025-06 --export "$TMP/bank3.csv" --db "$db" >/dev/null
[ "$(wc -l <"$TMP/bank3.csv")" -eq 2 ] || fail "the re-issue is not in the next file"
tail -n 1 "$TMP/bank3.csv" | grep -q ',2025-06,dibao,2$' || fail "re-issue line: $(tail -n 1 "$TMP/bank3.csv")"
[ "$(sql "$db" "SELECT count(*) FROM (SELECT household_id FROM assistance_payment_lines
    WHERE period = '2025-06' AND status <> 'failed' GROUP BY household_id HAVING count(*) > 1) t")" -eq 0 ] ||
    fail "a household has two live lines after the re-issue"
pass "return file: paid and failed applied once, the failed line re-issued in the next file"

"$MS" pay --detect-recoveries --db "$db" >"$TMP/recover.out"
grep -q 'recoveries: 0 new' "$TMP/recover.out" || fail "recoveries with nobody dead: $(cat "$TMP/recover.out")"
pass "no recoveries while the payee lives"
