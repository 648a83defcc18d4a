#!/bin/sh
# gen_roll_cli.sh - `minsheng gen` makes the assistance roll by default and
# says so; `minsheng pay` then has someone to pay for this month and the
# history is paid; the planted lines go to truth.csv with --feeds; --no-roll
# makes none. A district of 1,500 synthetic residents.
#
#   tests/cli/gen_roll_cli.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
export MINSHENG_KEY_FILE="$TMP/test.key"
root=$(cd "$(dirname "$0")/../.." && pwd)
# A fixed as-of date, so the district (and its one planted payee) is the same every day.
as_of=2026-11-29
month=2026-11

district() {
    "$MS" migrate --db "$1" >/dev/null
    "$MS" places import --file "$root/data/wansheng/placenames.csv" --db "$1" >/dev/null
}

db=$(new_db roll)
district "$db"
"$MS" gen --residents 1500 --seed 5 --as-of "$as_of" --feeds "$TMP/feeds" --feed-months 3 --db "$db" \
    >"$TMP/out" 2>/dev/null
grep -q '^assistance roll: dibao [1-9][0-9]* households' "$TMP/out" ||
    fail "gen does not report the roll: $(cat "$TMP/out")"
pass "gen reports the roll ($(grep '^assistance roll' "$TMP/out" | cut -c1-80))"

open=$(sql "$db" "SELECT count(*) FROM assistance_enrolments WHERE status = 'active'")
"$MS" pay --scheme dibao --period "$month" --db "$db" >"$TMP/pay"
"$MS" pay --scheme tekun --period "$month" --db "$db" >>"$TMP/pay"
paid=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines WHERE period = '$month'")
[ "$paid" -gt 0 ] && [ "$paid" -eq "$open" ] ||
    fail "this month's runs made $paid lines for $open open enrolments"
pass "this month's runs pay every open enrolment ($paid lines)"
grep -q 'reconciled' "$TMP/pay" || fail "runs not reconciled: $(cat "$TMP/pay")"

unpaid=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines WHERE period < '$month'
    AND status <> 'paid'")
history=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines WHERE period < '$month'")
[ "$unpaid" -eq 0 ] && [ "$history" -gt 0 ] || fail "history: $history lines, $unpaid not paid"
pass "the history's $history lines are paid"

planted=$(grep -c '^assistance_payment,.*,paid_after_death$' "$TMP/feeds/truth.csv" || true)
after=$(sql "$db" "SELECT count(*) FROM assistance_payment_lines l JOIN assistance_enrolments e
    ON e.id = l.enrolment_id JOIN residents r ON r.id = e.payee_resident_id
    WHERE r.status = 'deceased' AND l.period > substr(r.status_date, 1, 7)
    AND l.period < '$month'")
[ "$planted" -gt 0 ] && [ "$planted" -eq "$after" ] || fail "truth.csv plants $planted lines, the database has $after"
pass "truth.csv holds the $planted lines paid after death"

db2=$(new_db noroll)
district "$db2"
"$MS" gen --residents 1500 --seed 5 --as-of "$as_of" --no-roll --db "$db2" >"$TMP/out" 2>/dev/null
grep -q '^assistance roll' "$TMP/out" && fail "--no-roll still reports a roll"
[ "$(sql "$db2" "SELECT count(*) FROM assistance_enrolments")" -eq 0 ] ||
    fail "--no-roll made enrolments"
pass "--no-roll makes no roll"
