#!/bin/sh
# exchange.sh - department feeds at district size (issue #4): generate the
# district with its sixteen feed files, then import them one by one in the
# order of scripts/demo.sh (check, store, link) and time each; the baseline,
# run side by side on the same files, is sqlite3's own CSV loader (.import,
# after iconv for the GBK files): the raw cost of putting the rows in a
# table with no checks, no sealing and no linkage. Then the linkage quality
# against the generator's truth.
#
#   bench/exchange.sh BUILD_DIR [RESIDENTS] [FEED_MONTHS]   (270000, 12)
#
# Prints a Markdown report (also to BENCH_OUT if set). Needs sqlite3 and
# about 2 GB of disk in TMPDIR for 270,000 residents and 12 months.
set -eu

if [ $# -lt 1 ] || [ ! -x "$1/minsheng" ]; then
    echo "usage: $0 BUILD_DIR [RESIDENTS] [FEED_MONTHS]" >&2
    exit 2
fi
n=${2:-270000}
months=${3:-12}
here=$(cd "$(dirname "$0")/.." && pwd)
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-xbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
# A copy, so that a rebuild during the run cannot pull the binary away.
cp "$1/minsheng" "$tmp/minsheng"
ms=$tmp/minsheng
export MINSHENG_KEY_FILE="$tmp/k.key"
db=$tmp/x.db
out=${BENCH_OUT:-/dev/null}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

"$ms" migrate --db "$db" >/dev/null
"$ms" import --list-feeds >"$tmp/feeds.list"
"$ms" places import --file "$here/data/wansheng/placenames.csv" --db "$db" >/dev/null
t0=$(now)
"$ms" gen --residents "$n" --seed 20261129 --as-of 2026-11-29 --feeds "$tmp/feeds" \
    --feed-months "$months" --db "$db" >/dev/null 2>&1
t1=$(now)

{
echo "### $n residents, $months months of payments ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "Generation with feeds: $(secs "$t0" "$t1") s."
echo
echo "| feed | rows | minsheng import | rows/s | peak RSS | sqlite3 .import | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
} | tee -a "$out"

total_ms=0
total_base=0
total_rows=0
for feed in death_police death_certificate cremation hukou_change insurance_enrolment \
    pension_payment unemployment_registration unemployment_benefit contribution_wage \
    medical_settlement disability_certificate business_registration vehicle student_aid meal_subsidy remote_benefit \
    real_estate; do
    f=$(ls "$tmp/feeds/$feed".*)
    rows=$(($(wc -l <"$f") - 1))
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$ms" import --feed "$feed" "$f" --db "$db" >/dev/null
    read -r t_ms rss <"$tmp/time"
    # Baseline: the same file into a plain table (JSON Lines as one text
    # column: a field separator that never occurs, one row per line).
    b0=$(now)
    case $f in
    *.jsonl) sqlite3 "$tmp/base.db" "CREATE TABLE IF NOT EXISTS $feed (line TEXT)" \
        ".mode ascii" '.separator "\037" "\n"' ".import $f $feed" ;;
    *) if grep -q "^$feed .* gbk " "$tmp/feeds.list"; then
           iconv -f GB18030 -t UTF-8 "$f" >"$tmp/utf8.csv"; src=$tmp/utf8.csv; else src=$f; fi
       sqlite3 "$tmp/base.db" ".import --csv $src $feed" ;;
    esac
    b1=$(now)
    t_base=$(secs "$b0" "$b1")
    echo "| $feed | $rows | ${t_ms} s | $(awk -v r="$rows" -v t="$t_ms" 'BEGIN { printf "%.0f", (t > 0 ? r / t : 0) }') | $((rss / 1024)) MiB | ${t_base} s | $(awk -v a="$t_ms" -v b="$t_base" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }') |" | tee -a "$out"
    total_ms=$(awk -v a="$total_ms" -v b="$t_ms" 'BEGIN { print a + b }')
    total_base=$(awk -v a="$total_base" -v b="$t_base" 'BEGIN { print a + b }')
    total_rows=$((total_rows + rows))
done
{
echo "| **all** | $total_rows | $total_ms s | $(awk -v r="$total_rows" -v t="$total_ms" 'BEGIN { printf "%.0f", r / t }') | | $total_base s | $(awk -v a="$total_ms" -v b="$total_base" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }') |"
echo
echo "Linkage quality (\`minsheng link --evaluate\`):"
echo
echo '```'
"$ms" link --evaluate --truth "$tmp/feeds/truth.csv" --db "$db"
echo '```'
} | tee -a "$out"
