#!/bin/sh
# options.sh - numeric options are checked the one way (cli_int_option):
# empty, signed out of range, junk and overflowing values are usage errors
# (exit 2) that name the option, and nothing runs.
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
url=$(new_db options)
"$MS" migrate --db "$url" >/dev/null

usage_error() {
    what=$1
    want=$2
    shift 2
    expect_fail "$what" "$@"
    [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2 (usage)"
    grep -q -- "$want" "$TMP/err" || fail "$what: stderr does not name $want: $(cat "$TMP/err")"
}

usage_error "serve --threads ''" --threads "$MS" serve --db "$url" --threads ""
usage_error "serve --threads -1" --threads "$MS" serve --db "$url" --threads -1
usage_error "serve --threads 257" --threads "$MS" serve --db "$url" --threads 257
usage_error "serve --max-body 12x" --max-body "$MS" serve --db "$url" --max-body 12x
usage_error "serve --max-body 1023" --max-body "$MS" serve --db "$url" --max-body 1023
usage_error "gen --residents 0" --residents "$MS" gen --residents 0 --db "$url"
usage_error "gen --residents 99999999999999999999" --residents \
    "$MS" gen --residents 99999999999999999999 --db "$url"
usage_error "places search --limit 0" --limit "$MS" places search wang --limit 0 --db "$url"
usage_error "resident export --age-min -3" "an age" \
    "$MS" resident export --out "$TMP/x.xlsx" --age-min -3 --db "$url"
[ ! -e "$TMP/x.xlsx" ] || fail "an export file was written despite the usage error"
echo "all option checks passed"
