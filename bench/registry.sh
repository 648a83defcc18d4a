#!/bin/sh
# registry.sh - the registry at district and city-district size (issue #3
# item 7): generation and load in residents/s, then search by name and by
# pinyin (p50, p99) and resident-detail requests/s (an audited read) under
# wrk, on SQLite.
#
#   bench/registry.sh BUILD_DIR [RESIDENTS]      (default 1000000)
#
# Env: BENCH_SECONDS (default 10) per wrk run; BENCH_OUT, a file for the
# Markdown report. Needs about 1 GB of disk per million residents in TMPDIR.
set -eu

if [ $# -lt 1 ] || [ ! -x "$1/minsheng" ]; then
    echo "usage: $0 BUILD_DIR [RESIDENTS]" >&2
    exit 2
fi
ms=$(cd "$1" && pwd)/minsheng
n=${2:-1000000}
secs=${BENCH_SECONDS:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
case $n in '' | *[!0-9]*) echo "RESIDENTS must be a whole number" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-regbench.XXXXXX")
pid=""
cleanup() {
    status=$?
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

db=$tmp/r.db
"$ms" migrate --db "$db" >/dev/null
"$ms" places import --file "$here/data/wansheng/placenames.csv" --db "$db" >/dev/null
start=$(date +%s.%N)
"$ms" gen --residents "$n" --seed 1 --db "$db" >"$tmp/gen.out" 2>&1
end=$(date +%s.%N)
gen_s=$(echo "$end $start" | awk '{ printf "%.1f", $1 - $2 }')
gen_rate=$(echo "$n $gen_s" | awk '{ printf "%.0f", $1 / $2 }')
db_mb=$(du -m "$db" | awk '{ print $1 }')

pw="Bench$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')7"
printf '%s\n' "$pw" | "$ms" user add benchcivil --role civil_caseworker --password-stdin \
    --db "$db" >/dev/null
"$ms" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-level warn \
    >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$tmp/port" ] || { echo "server did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
url=http://127.0.0.1:$(cat "$tmp/port")
token=$(curl -sS -H 'Content-Type: application/json' \
    -d "{\"username\":\"benchcivil\",\"password\":\"$pw\"}" "$url/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "login failed" >&2; exit 1; }

# Request lists for wrk: common surname + given-name prefixes in hanzi and
# in pinyin, and resident codes sampled from the database.
sqlite3 "$db" "SELECT code FROM residents ORDER BY id % 9973, id LIMIT 2000" >"$tmp/codes"
cat >"$tmp/names" <<'NAMES'
%E7%8E%8B%E5%BB%BA
%E6%9D%8E%E7%A7%80
%E5%BC%A0%E4%BC%9F
%E5%88%98%E6%B4%8B
%E9%99%88%E9%9D%99
%E6%9D%A8%E5%86%9B
%E9%BB%84%E4%B8%BD
%E7%BD%97%E6%98%8E
NAMES
cat >"$tmp/pinyin" <<'PINYIN'
wangjian
lixiu
zhangwei
liuyang
chenjing
yangjun
huangli
luoming
PINYIN
# list.lua: each request takes the next line of the file in LIST.
cat >"$tmp/list.lua" <<EOF
local lines = {}
for l in io.lines(os.getenv("LIST")) do lines[#lines + 1] = l end
local i = 0
wrk.headers["Authorization"] = "Bearer $token"
request = function()
    i = i % #lines + 1
    return wrk.format("GET", string.format(os.getenv("PATTERN"), lines[i]))
end
EOF
run() {
    LIST=$2 PATTERN=$3 timeout $((secs + 60)) wrk -t2 -c16 -d"$secs"s --latency \
        -s "$tmp/list.lua" "$url" >"$tmp/$1.wrk" 2>&1
    if grep -q Non-2xx "$tmp/$1.wrk"; then
        echo "$1: non-2xx answers: $(grep Non-2xx "$tmp/$1.wrk")" >&2
        exit 1
    fi
}
run name "$tmp/names" "/api/v1/residents?q=%s&page_size=20"
run pinyin "$tmp/pinyin" "/api/v1/residents?q=%s&page_size=20"
run detail "$tmp/codes" "/api/v1/residents/%s"

field() { awk -v p="$2" '$1 == p { print $2 }' "$tmp/$1.wrk"; }
{
    echo "## Registry at $n residents (SQLite)"
    echo
    echo "Command: \`bench/registry.sh build $n\` ($(date -u +%Y-%m-%dT%H:%MZ);" \
        "$(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))."
    echo
    echo "- Generation and load: $n residents in $gen_s s = **$gen_rate residents/s**" \
        "(database $db_mb MB)."
    echo "- Search and detail under \`wrk -t2 -c16 -d${secs}s\` as a district caseworker" \
        "(every request audited: a search or detail read is a read of personal data):"
    echo
    echo "| request | requests/s | p50 | p99 |"
    echo "|---|---:|---:|---:|"
    for r in name pinyin detail; do
        case $r in
        name) what="search by hanzi name prefix (\`q=王建\`, 8 names in turn)" ;;
        pinyin) what="search by full pinyin prefix (\`q=wangjian\`, 8 in turn)" ;;
        detail) what="resident detail \`GET /api/v1/residents/{code}\` (2000 codes)" ;;
        esac
        echo "| $what | $(field "$r" Requests/sec:) | $(field "$r" 50%) | $(field "$r" 99%) |"
    done
} >"$tmp/report.md"
cat "$tmp/report.md"
[ -z "${BENCH_OUT:-}" ] || cp "$tmp/report.md" "$BENCH_OUT"
