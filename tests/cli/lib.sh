# lib.sh - shared by the CLI tests: a temp folder, fresh databases on SQLite
# or PostgreSQL, SQL for tampering, and assertions. Sourced, not run.
#
#   . "$(dirname "$0")/lib.sh"
#   cli_init "$@"              # $1 the minsheng binary, $2 (optional) a file
#                              # holding a postgresql:// URL: then databases
#                              # are created on that server
#   url=$(new_db name)         # a fresh, empty database
#   sql "$url" "SELECT ..."    # sqlite3 or psql, results unaligned
#
# Everything made is removed on exit (databases dropped, folder deleted).

# shellcheck disable=SC2034 # used by the scripts that source this file
MS=
PG_ADMIN=
TMP=

cli_cleanup() {
    status=$?
    if [ -n "$TMP" ] && [ -f "$TMP/pg-databases" ] && [ -n "$PG_ADMIN" ]; then
        while read -r db; do
            psql "$PG_ADMIN" -qAtX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
                >/dev/null 2>&1 || echo "warning: could not drop database $db" >&2
        done <"$TMP/pg-databases"
    fi
    if [ -n "$TMP" ]; then
        rm -rf "$TMP"
    fi
    exit "$status"
}

cli_init() {
    if [ $# -lt 1 ] || [ ! -x "$1" ]; then
        echo "usage: $0 MINSHENG_BINARY [PG_DSN_FILE]" >&2
        exit 2
    fi
    MS=$1
    if [ $# -ge 2 ] && [ -n "$2" ]; then
        PG_ADMIN=$(cat "$2")
        case $PG_ADMIN in
        postgresql://* | postgres://*) ;;
        *)
            echo "$2 does not hold a postgresql:// URL" >&2
            exit 2
            ;;
        esac
    fi
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/ms-cli.XXXXXX")
    trap cli_cleanup EXIT
    trap 'exit 1' INT TERM HUP
}

is_pg() {
    [ -n "$PG_ADMIN" ]
}

# Prints the URL of a new, empty database called $1 (a-z, 0-9, _).
new_db() {
    if is_pg; then
        db="ms_cli_$$_$1"
        echo "$db" >>"$TMP/pg-databases"
        psql "$PG_ADMIN" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
        # The admin URL names the database last: postgresql://.../postgres
        echo "${PG_ADMIN%/*}/$db"
    else
        echo "$TMP/$1.db"
    fi
}

# sql URL STATEMENTS: runs them; rows come out one a line, columns split by |.
sql() {
    if is_pg; then
        psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"
    else
        sqlite3 -bail "$1" "$2"
    fi
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

pass() {
    echo "ok - $*"
}

# expect_fail WHAT CMD...: CMD must exit non-zero (not by a signal) and say
# something on stderr. Its stderr is left in $TMP/err.
expect_fail() {
    what=$1
    shift
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$what: exit status 0, expected a failure"
    [ "$rc" -lt 128 ] || fail "$what: killed by signal $((rc - 128))"
    [ -s "$TMP/err" ] || fail "$what: exit status $rc but nothing on stderr"
    pass "$what (exit $rc: $(head -n 1 "$TMP/err"))"
}

# generated_district DB MONTHS: a migrated database with the Wansheng places
# and a generated district of 3,000 residents (seed 20261129, as of
# 2026-11-29) whose MONTHS months of feeds (in $TMP/feeds, with the truth)
# are imported in a fixed order, the files that name people best first.
generated_district() {
    root=$(cd "$(dirname "$0")/../.." && pwd)
    "$MS" migrate --db "$1" >/dev/null
    "$MS" places import --file "$root/data/wansheng/placenames.csv" --db "$1" >/dev/null
    "$MS" gen --residents 3000 --seed 20261129 --as-of 2026-11-29 --feeds "$TMP/feeds" \
        --feed-months "$2" --db "$1" >/dev/null 2>&1
    for feed in death_police death_certificate cremation hukou_change insurance_enrolment \
        pension_payment unemployment_registration unemployment_benefit contribution_wage \
        medical_settlement disability_certificate business_registration vehicle student_aid meal_subsidy remote_benefit \
        real_estate; do
        "$MS" import --feed "$feed" "$TMP"/feeds/"$feed".* --db "$1" >/dev/null
    done
}
