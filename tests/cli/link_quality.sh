#!/bin/sh
# link_quality.sh - linkage quality on the generator's feeds, pinned: a
# district of 3,000 residents (seed 20261129, as of 2026-11-29, three months
# of payments) with all seventeen feeds, imported in a fixed order, then
# `minsheng link --evaluate` against the truth file. The floors are issue
# #4's aims (precision >= 0.995 and recall >= 0.98 on the rows only
# probabilistic linkage can link) and the figures measured when this test
# was written (docs/linkage.md, "Quality"), so a change that makes linkage
# worse fails here.
#
#   tests/cli/link_quality.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
export MINSHENG_KEY_FILE="$TMP/test.key"
db=$(new_db quality)
generated_district "$db" 3
"$MS" link --evaluate --truth "$TMP/feeds/truth.csv" --db "$db" >"$TMP/eval"
cat "$TMP/eval"

# at_least NAME VALUE FLOOR
at_least() {
    awk -v v="$2" -v f="$3" 'BEGIN { exit !(v + 0 >= f + 0) }' ||
        fail "$1 is $2, below the pinned $3"
    pass "$1 $2 >= $3"
}
set -- $(awk '$1 == "total" { print $3, $4, $8, $9, $13 }' "$TMP/eval")
at_least "precision (all rows)" "$1" 0.995
at_least "recall (all rows)" "$2" 0.995
at_least "precision (rows only probabilistic linkage can link)" "$3" 0.995
at_least "recall (rows only probabilistic linkage can link)" "$4" 0.98
bad=$(awk '$1 == "total" { print $NF }' "$TMP/eval")
[ "${bad%/*}" = "${bad#*/}" ] || fail "bad rows caught: $bad"
pass "every deliberately bad row was quarantined ($bad)"
grep -q 'not in the database' "$TMP/eval" && fail "rows of the truth are missing from the database"
pass "every good row of the truth was imported"
