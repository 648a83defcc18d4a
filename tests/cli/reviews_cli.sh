#!/bin/sh
# reviews_cli.sh - `minsheng assistance reviews --due`: usage errors, the
# reviews due by a date, and a payee the registry marks deceased listed as
# a change to propose (rules.md §1.6; docs/assistance.md "Change and
# review"). Synthetic rows only: one made-up payee, numbered households.
#
#   tests/cli/reviews_cli.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"

db=$(new_db reviews)
"$MS" migrate --db "$db" >/dev/null
sql "$db" "INSERT INTO residents (code, name, name_pinyin, name_initials, sex, birth_date,
    id_number_sealed, id_number_bidx, hukou_type, hukou_region_code, region_code, created_at,
    updated_at) VALUES ('TESTREVIEW1', '测试核查人', 'ceshihecharen', 'cshcr', 'F',
    '1960-01-01', 'x', 'bidx-review', 'rural', '500110101201', '500110101201', 'x', 'x')"
sql "$db" "INSERT INTO households (number, region_code, created_at, updated_at) VALUES
    ('RV1', '500110101201', 'x', 'x'), ('RV2', '500110002001', 'x', 'x')"
sql "$db" "INSERT INTO assistance_enrolments (household_id, scheme, payee_resident_id,
    amount_fen, start_period, status, created_at, created_by)
    SELECT id, 'dibao', (SELECT id FROM residents WHERE code = 'TESTREVIEW1'), 30000,
    '2025-01', 'active', 'x', 'seed' FROM households"
sql "$db" "INSERT INTO assistance_reviews (household_id, scheme, enrolment_id, due_on, months,
    rule, basis, status, created_at) SELECT e.household_id, 'dibao', e.id,
    CASE h.number WHEN 'RV1' THEN '2025-04-01' ELSE '2025-07-01' END, 3, 'cq2016',
    'unemployed_ablebodied', 'scheduled', 'x' FROM assistance_enrolments e
    JOIN households h ON h.id = e.household_id"

set +e
"$MS" assistance --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "assistance without a subcommand must exit 2"
"$MS" assistance reviews --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "reviews without --due must exit 2"
"$MS" assistance reviews --due --limit 0 --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--limit 0 must exit 2"
set -e
"$MS" assistance --help | grep -q -- '--due' || fail "--help does not show --due"
pass "usage errors exit 2"
expect_fail "a bad date" "$MS" assistance reviews --due --as-of 2025-13-01 --db "$db"
grep -q 'YYYY-MM-DD' "$TMP/err" || fail "bad date: the message does not say the format"

"$MS" assistance reviews --due --as-of 2025-03-31 --db "$db" >"$TMP/out"
grep -q '^0 due$' "$TMP/out" || fail "nothing is due before 2025-04-01: $(cat "$TMP/out")"
"$MS" assistance reviews --due --as-of 2025-04-01 --db "$db" >"$TMP/out"
grep -q '^review_due	[0-9]*	RV1	500110101201	2025-04-01	unemployed_ablebodied	300.00$' \
    "$TMP/out" || fail "RV1 is due on 2025-04-01: $(cat "$TMP/out")"
grep -q '^1 due$' "$TMP/out" || fail "only RV1 is due: $(cat "$TMP/out")"
"$MS" assistance reviews --due --as-of 2025-12-31 --region 500110002 --db "$db" >"$TMP/out"
grep -q 'RV2' "$TMP/out" && ! grep -q 'RV1' "$TMP/out" || fail "--region: $(cat "$TMP/out")"
pass "reviews due by date and region"

sql "$db" "UPDATE residents SET status = 'deceased', status_date = '2025-05-03'
    WHERE code = 'TESTREVIEW1'"
"$MS" assistance reviews --due --as-of 2025-03-31 --db "$db" >"$TMP/out"
[ "$(grep -c '^member_deceased	.*TESTREVIEW1' "$TMP/out")" -eq 2 ] ||
    fail "the payee's death is proposed for both households: $(cat "$TMP/out")"
[ "$(sql "$db" "SELECT count(*) FROM assistance_changes")" -eq 0 ] ||
    fail "listing applied a change"
pass "a death is proposed, not applied"
