#!/bin/sh
# linkage.sh - `minsheng link` on two synthetic person files (issue #4):
# time, peak RSS, pairs compared, precision and recall of the pairs decided
# "match" against the known truth; and, side by side, the baseline of exact
# key linkage with sort | join on the ID number and on name + birth date.
#
#   bench/linkage.sh BUILD_DIR [N]      (default 100000 records a file)
#
# The files come from bench_link_gen (bench/link_gen.c): N left people, N
# right rows of which ~60% are left people with one kind of noise each.
set -eu

if [ $# -lt 1 ] || [ ! -x "$1/minsheng" ] || [ ! -x "$1/bench/bench_link_gen" ]; then
    echo "usage: $0 BUILD_DIR [N]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
n=${2:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-linkbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

"$build/bench/bench_link_gen" "$n" 42 "$tmp"
cat >"$tmp/cfg.json" <<'JSON'
{
  "id": "id",
  "columns": {"full_name": "name", "birth_date": "birth_date", "sex": "sex",
              "phone": "phone", "id_number": "id_number"},
  "right": {"id": "ref", "birth_date_format": "DD/MM/YYYY",
            "columns": {"full_name": "full_name", "birth_date": "dob", "sex": "gender",
                        "phone": "mobile", "id_number": "idno"}}
}
JSON

/usr/bin/time -v "$build/minsheng" link --left "$tmp/left.csv" --right "$tmp/right.csv" \
    --config "$tmp/cfg.json" --out "$tmp/pairs.csv" 2>"$tmp/log"
cat "$tmp/log" | grep -v '^\s' | grep -v '^$' | grep -v 'Command being timed' | head -30
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$tmp/log")
rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tmp/log")

# score FILE-OF-"left,right"-PAIRS: precision and recall against truth.csv.
score() {
    tail -n +2 "$tmp/truth.csv" | sort -u >"$tmp/t.sorted"
    sort -u "$1" >"$tmp/p.sorted"
    tp=$(comm -12 "$tmp/t.sorted" "$tmp/p.sorted" | wc -l)
    found=$(wc -l <"$tmp/p.sorted")
    truth=$(wc -l <"$tmp/t.sorted")
    awk -v tp="$tp" -v f="$found" -v t="$truth" 'BEGIN {
        printf "%d pairs, %d true of %d: precision %.4f, recall %.4f\n", f, tp, t,
            f ? tp / f : 0, t ? tp / t : 0 }'
}

awk -F, 'NR > 1 && $5 == "match" { print $1 "," $2 }' "$tmp/pairs.csv" >"$tmp/match.csv"
echo "minsheng link (match):       $(score "$tmp/match.csv")  ${secs}s, ${rss} MiB peak RSS"
awk -F, 'NR > 1 { print $1 "," $2 }' "$tmp/pairs.csv" >"$tmp/mr.csv"
echo "minsheng link (match+review): $(score "$tmp/mr.csv")"

# Baseline: exact keys, sort | join.
start=$(date +%s.%N)
awk -F, 'NR > 1 && $6 != "" { print $6 "," $1 }' "$tmp/left.csv" | sort -t, -k1,1 >"$tmp/l.id"
awk -F, 'NR > 1 && $6 != "" { print $6 "," $1 }' "$tmp/right.csv" | sort -t, -k1,1 >"$tmp/r.id"
join -t, "$tmp/l.id" "$tmp/r.id" | awk -F, '{ print $2 "," $3 }' >"$tmp/join_id.csv"
mid=$(date +%s.%N)
awk -F, 'NR > 1 { print $2 "|" $3 "," $1 }' "$tmp/left.csv" | sort -t, -k1,1 >"$tmp/l.nb"
awk -F, 'NR > 1 { split($3, d, "/"); print $2 "|" d[3] "-" d[2] "-" d[1] "," $1 }' \
    "$tmp/right.csv" | sort -t, -k1,1 >"$tmp/r.nb"
join -t, "$tmp/l.nb" "$tmp/r.nb" | awk -F, '{ print $2 "," $3 }' >"$tmp/join_nb.csv"
end=$(date +%s.%N)
echo "sort|join on id_number:      $(score "$tmp/join_id.csv")  $(echo "$mid - $start" | bc)s"
echo "sort|join on name+birth:     $(score "$tmp/join_nb.csv")  $(echo "$end - $mid" | bc)s"
cat "$tmp/join_id.csv" "$tmp/join_nb.csv" >"$tmp/join_any.csv"
echo "sort|join, either key:       $(score "$tmp/join_any.csv")"
