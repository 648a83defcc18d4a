#!/bin/sh
# monitor.sh - the monitoring scan at district and city size (issue #6 item
# 5). Two steps, because making the data takes far longer than scanning it:
#
#   bench/monitor.sh build BUILD_DIR RESIDENTS FEED_MONTHS DIR [DB_URL]
#       a generated district (seed 20261129, as of 2026-11-29) with its
#       seventeen feeds imported, in DIR/d.db (or the PostgreSQL database
#       DB_URL); 18 months of feeds give about ten rows per resident
#   bench/monitor.sh replicate BUILD_DIR DIR COPIES OUT
#       OUT/d.db: the SQLite district of DIR copied COPIES times side by side
#       (residents, households, feed rows, enrolments and payment lines, each
#       copy's ids and keys offset), for a city-sized scan without hours of
#       import and linkage; OUT/feeds and OUT/k.key point at DIR's
#   bench/monitor.sh run BUILD_DIR DIR [DB_URL]
#       on a copy of DIR/d.db (SQLite) or on DB_URL itself (PostgreSQL):
#       1. `minsheng scan` (the first: counts, alerts, tasks);
#       2. `minsheng scan` again (nothing new to write);
#       3. the baseline, side by side on the same data: each rule's query
#          with its parameters filled in (`minsheng scan --print-sql`) run
#          as SELECT count(*) in sqlite3 or psql, one after the other;
#       4. a new batch of 10,000 medical settlements (rows of the feed file
#          with new settlement numbers), then `minsheng scan --incremental`.
#
# Prints a Markdown report (also appended to BENCH_OUT if set). The scan's
# time is its own report's (rules run, alerts written); the baseline's is
# wall time around the sqlite3 or psql process.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
usage() {
    echo "usage: $0 build BUILD_DIR RESIDENTS FEED_MONTHS DIR [DB_URL]" >&2
    echo "       $0 replicate BUILD_DIR DIR COPIES OUT" >&2
    echo "       $0 run BUILD_DIR DIR [DB_URL]" >&2
    exit 2
}
[ $# -ge 3 ] || usage
cmd=$1
[ -x "$2/minsheng" ] || usage
out=${BENCH_OUT:-/dev/null}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

build() {
    n=$1 months=$2 dir=$3 url=${4:-}
    mkdir -p "$dir"
    cp "$bin" "$dir/minsheng"
    ms=$dir/minsheng
    export MINSHENG_KEY_FILE="$dir/k.key"
    db=${url:-$dir/d.db}
    "$ms" migrate --db "$db" >/dev/null
    "$ms" places import --file "$here/data/wansheng/placenames.csv" --db "$db" >/dev/null
    t0=$(now)
    "$ms" gen --residents "$n" --seed 20261129 --as-of 2026-11-29 --feeds "$dir/feeds" \
        --feed-months "$months" --db "$db" >"$dir/gen.log" 2>&1
    echo "gen $(secs "$t0" "$(now)") s" >"$dir/build.log"
    for feed in death_police death_certificate cremation hukou_change insurance_enrolment \
        pension_payment unemployment_registration unemployment_benefit contribution_wage \
        medical_settlement disability_certificate business_registration vehicle student_aid meal_subsidy remote_benefit \
        real_estate; do
        t0=$(now)
        "$ms" import --feed "$feed" "$dir/feeds/$feed".* --db "$db" >/dev/null
        echo "$feed $(secs "$t0" "$(now)") s" >>"$dir/build.log"
    done
}

# total_ms FILE: the total line of a scan report, its milliseconds.
total_ms() {
    awk '$1 == "total" { print $4 }' "$1"
}

run() {
    dir=$1 url=${2:-}
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-mbench.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' INT TERM HUP
    cp "$bin" "$tmp/minsheng" # a rebuild during the run cannot pull it away
    ms=$tmp/minsheng
    export MINSHENG_KEY_FILE="$dir/k.key"
    if [ -n "$url" ]; then
        db=$url
        engine=postgres
        command -v psql >/dev/null || { echo "psql is not installed" >&2; exit 2; }
    else
        db=$tmp/d.db
        engine=sqlite
        command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed" >&2; exit 2; }
        cp "$dir/d.db" "$db"
    fi
    "$ms" migrate --db "$db" >/dev/null
    if [ "$engine" = sqlite ]; then
        residents=$(sqlite3 "$db" "SELECT count(*) FROM residents")
        rows=$(sqlite3 "$db" "SELECT count(*) FROM exchange_records")
    else
        residents=$(psql "$db" -qAtX -c "SELECT count(*) FROM residents")
        rows=$(psql "$db" -qAtX -c "SELECT count(*) FROM exchange_records")
    fi
    "$ms" scan --print-sql --as-of 2026-11-29 --db "$db" >"$tmp/rules.sql"
    nrules=$(grep -c '^-- ' "$tmp/rules.sql")

    t0=$(now)
    "$ms" scan --as-of 2026-11-29 --db "$db" >"$tmp/scan1"
    w1=$(secs "$t0" "$(now)")
    t0=$(now)
    "$ms" scan --as-of 2026-11-29 --db "$db" >"$tmp/scan2"
    w2=$(secs "$t0" "$(now)")
    t0=$(now)
    if [ "$engine" = sqlite ]; then
        sqlite3 "$db" <"$tmp/rules.sql" >"$tmp/base"
    else
        psql "$db" -qAtX -v ON_ERROR_STOP=1 -f "$tmp/rules.sql" >"$tmp/base"
    fi
    wb=$(secs "$t0" "$(now)")

    # A new batch: 10,000 settlements with new numbers.
    head -n 10000 "$dir/feeds/medical_settlement.jsonl" |
        sed 's/"settle_no":"JS/"settle_no":"JB/' >"$tmp/medical_new.jsonl"
    "$ms" import --feed medical_settlement "$tmp/medical_new.jsonl" --db "$db" >/dev/null
    t0=$(now)
    "$ms" scan --as-of 2026-11-29 --incremental --db "$db" >"$tmp/scan3"
    w3=$(secs "$t0" "$(now)")

    {
    echo "### $residents residents, $rows feed rows, $engine ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo "| run | wall s | ratio to the baseline |"
    echo "|---|---:|---:|"
    echo "| full scan, first (alerts and tasks written) | $w1 | $(awk -v a="$w1" -v b="$wb" 'BEGIN { printf "%.2f", a / b }') |"
    echo "| full scan, again (nothing new) | $w2 | $(awk -v a="$w2" -v b="$wb" 'BEGIN { printf "%.2f", a / b }') |"
    echo "| baseline: the $nrules rule queries as SELECT count(*) in $( [ "$engine" = sqlite ] && echo sqlite3 || echo psql) | $wb | 1 |"
    echo "| incremental scan after a 10,000-row batch | $w3 | |"
    echo
    echo "Per rule, first full scan and incremental scan (ms, from the scan's own report):"
    echo
    echo '```'
    cat "$tmp/scan1"
    cat "$tmp/scan3"
    echo '```'
    } | tee -a "$out"
}

# replicate DIR COPIES OUT: copies 1..COPIES-1 of every row the rules read,
# ids offset by 10^7 per copy (the district has fewer rows than that in
# each table) and unique keys suffixed, so the copies never meet.
replicate() {
    src=$1 copies=$2 out=$3
    mkdir -p "$out"
    cp "$src/d.db" "$out/d.db"
    ln -sfn "$src/feeds" "$out/feeds"
    cp "$src/k.key" "$out/k.key"
    for max in $(sqlite3 "$out/d.db" "SELECT max(id) FROM residents UNION ALL SELECT max(id) FROM exchange_records"); do
        [ "$max" -lt 10000000 ] || { echo "replicate: ids above 10^7" >&2; exit 2; }
    done
    t0=$(now)
    k=1
    while [ "$k" -lt "$copies" ]; do
        o=$((k * 10000000))
        sqlite3 "$out/d.db" <<SQL
BEGIN;
INSERT INTO households SELECT id + $o, number || '-$k', head_id + $o, region_code, place_id,
    address, created_at, updated_at FROM households WHERE id < 10000000;
INSERT INTO residents SELECT id + $o, code || '$k', name, name_pinyin, name_initials, sex,
    birth_date, id_number_sealed, id_number_bidx || '.$k', phone_sealed, phone_bidx, ethnicity,
    hukou_type, hukou_region_code, hukou_place_id, hukou_address, region_code, place_id, address,
    household_id + $o, relation, status, status_date, version, created_at, updated_at
    FROM residents WHERE id < 10000000;
INSERT INTO exchange_records SELECT id + $o, feed, batch_id, row_no, natural_key || '.$k', name,
    id_number_sealed, id_number_bidx, birth_date, sex, region_code, phone_sealed, phone_bidx,
    fact_date, period, amount_fen, category, level, status, ref_code, data_json,
    resident_id + $o, link_method, link_weight_mb, link_evidence, created_at
    FROM exchange_records WHERE id < 10000000;
INSERT INTO assistance_enrolments (id, household_id, scheme, case_id, payee_resident_id,
    amount_fen, start_period, end_period, status, bank_account_sealed, bank_name, created_at,
    created_by, predecessor_id, has_facts, transition_end_period)
    SELECT id + $o, household_id + $o, scheme, NULL, payee_resident_id + $o, amount_fen,
    start_period, end_period, status, bank_account_sealed, bank_name, created_at, created_by,
    predecessor_id + $o, has_facts, transition_end_period
    FROM assistance_enrolments WHERE id < 10000000;
INSERT INTO assistance_payment_lines (id, run_id, enrolment_id, household_id, scheme, period,
    issue_no, reissue_of, amount_fen, bank_account_sealed, bank_name, status, export_no,
    result_reason, created_at, updated_at)
    SELECT id + $o, run_id, enrolment_id + $o, household_id + $o, scheme, period, issue_no,
    reissue_of + $o, amount_fen, bank_account_sealed, bank_name, status, NULL, result_reason,
    created_at, updated_at FROM assistance_payment_lines WHERE id < 10000000;
COMMIT;
SQL
        k=$((k + 1))
    done
    echo "replicate: $copies copies in $(secs "$t0" "$(now)") s: $(sqlite3 "$out/d.db" "SELECT count(*) FROM residents") residents, $(sqlite3 "$out/d.db" "SELECT count(*) FROM exchange_records") feed rows"
}

bin=$2/minsheng
case $cmd in
build) [ $# -ge 5 ] || usage; build "$3" "$4" "$5" "${6:-}" ;;
replicate) [ $# -eq 5 ] || usage; replicate "$3" "$4" "$5" ;;
run) run "$3" "${4:-}" ;;
*) usage ;;
esac
