#!/bin/sh
# pay.sh - payment runs at district size (issue #5 item 6), on SQLite, side
# by side with a baseline: the same work as bare SQL in sqlite3.
#
#   bench/pay.sh BUILD_DIR [HOUSEHOLDS]      (default 200000)
#
# The data set is tests/cli/pay_cli.sh's: numbered households, each enrolled
# in 低保 with its own amount, one synthetic payee. Timed, each on a fresh
# copy of the same database so every step starts from the same state:
#   run      `minsheng pay --scheme dibao --period 2025-05` (chunks of 1000,
#            each committed with its audit entry, then the reconciliation)
#            against one INSERT ... SELECT ... ON CONFLICT DO NOTHING of every
#            line and the same sums, in sqlite3;
#   rerun    the run again (nothing new) against the INSERT again;
#   bank     `minsheng pay ... --export FILE` (claims the lines, opens every
#            sealed account number, writes the CSV) against the UPDATE that
#            claims them and a CSV of the same rows without the accounts;
#   return   `minsheng pay --return FILE` (every line paid) against one
#            UPDATE of every line.
# Env: BENCH_OUT, a file for the Markdown report.
set -eu

if [ $# -lt 1 ] || [ ! -x "$1/minsheng" ]; then
    echo "usage: $0 BUILD_DIR [HOUSEHOLDS]" >&2
    exit 2
fi
ms=$(cd "$1" && pwd)/minsheng
n=${2:-200000}
case $n in '' | *[!0-9]*) echo "HOUSEHOLDS must be a whole number" >&2; exit 2 ;; esac
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-paybench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
export MINSHENG_KEY_FILE="$tmp/bench.key"

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }

# --- the data set ----------------------------------------------------------------------
base=$tmp/base.db
"$ms" migrate --db "$base" >/dev/null
sqlite3 "$base" <<SQL
INSERT INTO residents (code, name, name_pinyin, name_initials, sex, birth_date, id_number_sealed,
    id_number_bidx, hukou_type, hukou_region_code, region_code, created_at, updated_at)
    VALUES ('TESTPAYEE01', '测试收款人', 'ceshishoukuanren', 'csskr', 'M', '1960-01-01', 'x',
    'bidx-test', 'rural', '500110101201', '500110101201', 'x', 'x');
INSERT INTO households (number, region_code, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
    SELECT 'P' || i, '500110101201', 'x', 'x' FROM n;
INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id, amount_fen,
    start_period, status, created_at, created_by)
    SELECT id, 'dibao', (SELECT id FROM residents WHERE code = 'TESTPAYEE01'),
    30000 + id % 50000, '2025-01', 'active', 'x', 'seed' FROM households;
SQL
# A sealed account on every enrolment, as applications give them: the bank
# file opens each one. One is sealed under the same key by the generator's
# roll in a small side district, then copied to every row (sealing is the
# application's cost, not the run's).
here=$(cd "$(dirname "$0")/.." && pwd)
side=$tmp/side.db
"$ms" migrate --db "$side" >/dev/null
"$ms" places import --file "$here/data/wansheng/placenames.csv" --db "$side" >/dev/null
"$ms" gen --residents 3000 --seed 1 --db "$side" >/dev/null 2>&1
sealed=$(sqlite3 "$side" "SELECT bank_account_sealed FROM assistance_enrolments
    WHERE bank_account_sealed <> '' LIMIT 1")
[ -n "$sealed" ] || { echo "the side district has no sealed account" >&2; exit 1; }
sqlite3 "$base" "UPDATE assistance_enrolments SET bank_account_sealed = '$sealed', bank_name = '测试银行'"

fresh() { cp "$base" "$tmp/$1.db"; echo "$tmp/$1.db"; }
pay() { "$ms" pay --scheme dibao --period 2025-05 --db "$@"; }

# The baseline's statements: what the run, the bank file and the return do, as bare SQL.
insert_sql="INSERT INTO assistance_payment_runs (scheme, period, status, started_at, started_by)
    VALUES ('dibao', '2025-05', 'running', 'x', 'x') ON CONFLICT (scheme, period) DO NOTHING;
INSERT INTO assistance_payment_lines (run_id, enrolment_id, household_id, scheme, period, issue_no,
    amount_fen, bank_account_sealed, bank_name, status, created_at, updated_at)
    SELECT (SELECT id FROM assistance_payment_runs WHERE scheme = 'dibao' AND period = '2025-05'),
    id, household_id, scheme, '2025-05', 1, amount_fen, bank_account_sealed, bank_name, 'pending',
    'x', 'x' FROM assistance_enrolments WHERE scheme = 'dibao' AND start_period <= '2025-05'
    AND (end_period = '' OR end_period >= '2025-05') ON CONFLICT DO NOTHING;
SELECT count(*), sum(amount_fen) FROM assistance_payment_lines WHERE scheme = 'dibao' AND period = '2025-05';
SELECT count(*), sum(amount_fen) FROM assistance_enrolments WHERE scheme = 'dibao'
    AND start_period <= '2025-05' AND (end_period = '' OR end_period >= '2025-05');"
bank_sql="UPDATE assistance_payment_lines SET status = 'exported', export_no = 1
    WHERE scheme = 'dibao' AND period <= '2025-05' AND status = 'pending';
.mode csv
.output $tmp/baseline-bank.csv
SELECT l.id, h.number, r.name, l.bank_name, l.amount_fen, l.period, l.scheme, l.issue_no
    FROM assistance_payment_lines l JOIN households h ON h.id = l.household_id
    JOIN assistance_enrolments e ON e.id = l.enrolment_id
    JOIN residents r ON r.id = e.payee_resident_id WHERE l.export_no = 1 ORDER BY l.id;"
return_sql="UPDATE assistance_payment_lines SET status = 'paid', updated_at = 'x' WHERE status = 'exported';"

# --- run and rerun ---------------------------------------------------------------------
db=$(fresh run)
t0=$(now); pay "$db" >"$tmp/run.out"; run_s=$(since "$t0")
grep -q 'reconciled (已核对一致)' "$tmp/run.out" || { cat "$tmp/run.out" >&2; exit 1; }
t0=$(now); pay "$db" >/dev/null; rerun_s=$(since "$t0")
cp "$db" "$tmp/paid.db"
t0=$(now); pay "$db" --export "$tmp/bank.csv" >/dev/null; bank_s=$(since "$t0")
awk -F, 'NR == 1 { print "reference,result,reason"; next } { print $1 ",paid," }' \
    "$tmp/bank.csv" >"$tmp/return.csv"
t0=$(now); "$ms" pay --return "$tmp/return.csv" --db "$db" >/dev/null; return_s=$(since "$t0")

# --- the baseline, on the same data ------------------------------------------------------
db=$(fresh baseline)
t0=$(now); echo "$insert_sql" | sqlite3 "$db" >/dev/null; run_b=$(since "$t0")
t0=$(now); echo "$insert_sql" | sqlite3 "$db" >/dev/null; rerun_b=$(since "$t0")
t0=$(now); echo "$bank_sql" | sqlite3 "$db" >/dev/null; bank_b=$(since "$t0")
t0=$(now); echo "$return_sql" | sqlite3 "$db" >/dev/null; return_b=$(since "$t0")

lines=$(($(wc -l <"$tmp/bank.csv") - 1))
[ "$lines" -eq "$n" ] || { echo "bank file: $lines lines, not $n" >&2; exit 1; }
{
    echo "## Payment runs at $n households (SQLite)"
    echo
    echo "Command: \`bench/pay.sh build $n\` ($(date -u +%Y-%m-%dT%H:%MZ);" \
        "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))."
    echo
    echo "| step | minsheng | baseline (sqlite3) | ratio |"
    echo "|---|---:|---:|---:|"
    echo "| run, $n new lines | $run_s s | $run_b s | $(ratio "$run_s" "$run_b") |"
    echo "| rerun, nothing new | $rerun_s s | $rerun_b s | $(ratio "$rerun_s" "$rerun_b") |"
    echo "| bank file, $n lines | $bank_s s | $bank_b s | $(ratio "$bank_s" "$bank_b") |"
    echo "| return file, $n rows paid | $return_s s | $return_b s | $(ratio "$return_s" "$return_b") |"
} >"$tmp/report.md"
cat "$tmp/report.md"
[ -z "${BENCH_OUT:-}" ] || cp "$tmp/report.md" "$BENCH_OUT"
