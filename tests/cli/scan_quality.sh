#!/bin/sh
# scan_quality.sh - the monitoring rules on the generator's feeds, pinned: a
# district of 3,000 residents (seed 20261129, as of 2026-11-29, twelve
# months of payments) with all fourteen feeds imported, a full scan, then
# `minsheng scan --evaluate` against truth.csv and truth_registry.csv.
# Every rule with planted cases must reach issue #6's aims (recall >= 0.98,
# precision >= 0.95); a second full scan and an incremental scan with
# nothing new add no alert (docs/monitor.md, "Measured discovery").
#
#   tests/cli/scan_quality.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
export MINSHENG_KEY_FILE="$TMP/test.key"
db=$(new_db scanq)
generated_district "$db" 12
"$MS" scan --as-of 2026-11-29 --db "$db" >"$TMP/scan1"
"$MS" scan --evaluate --truth "$TMP/feeds/truth.csv" --db "$db" >"$TMP/eval"
cat "$TMP/eval"

measured=$(awk '$2 + 0 > 0' "$TMP/eval" | wc -l)
[ "$measured" -ge 6 ] || fail "only $measured rules have planted cases"
pass "$measured rules have planted cases"
awk '$2 + 0 > 0 && ($5 + 0 < 0.98 || $6 + 0 < 0.95) { print; bad = 1 } END { exit bad }' \
    "$TMP/eval" || fail "a rule is below recall 0.98 or precision 0.95"
pass "every measured rule has recall >= 0.98 and precision >= 0.95"
# the rules the generator does not plant yet: the fall under the
# near-allowance line, and the vehicle and business owners the assistance
# roll keeps on purpose, whose truth it does not write yet (docs/monitor.md)
awk '$2 == 0 && $3 + 0 > 0 && $1 != "edge_income_no_assistance" &&
     $1 != "assisted_vehicle_business" { print; bad = 1 }
     END { exit bad }' "$TMP/eval" || fail "a rule alerted on subjects nobody planted"
pass "no rule alerts without planted truth, but the two without truth yet"

"$MS" scan --as-of 2026-11-29 --db "$db" >"$TMP/scan2"
awk '$1 == "total" { exit !($3 == 0) }' "$TMP/scan2" || fail "a second scan added alerts"
pass "a second full scan adds no alert"
"$MS" scan --as-of 2026-11-29 --incremental --db "$db" >"$TMP/scan3"
grep -q "incremental: batches" "$TMP/scan3" || fail "the scan was not incremental"
awk '$1 == "total" { exit !($3 == 0) }' "$TMP/scan3" || fail "an incremental scan added alerts"
awk '$1 == "disability_severe_new" { exit !($2 == 0) }' "$TMP/scan3" ||
    fail "an incremental scan with no new batch found rows of a records rule"
pass "an incremental scan with nothing new finds nothing in the records rules"
