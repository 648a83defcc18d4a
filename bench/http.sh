#!/bin/sh
# http.sh - HTTP throughput of minsheng against a bare libmicrohttpd server
# (issue #2 item 10).
#
#   bench/http.sh BUILD_DIR          e.g. bench/http.sh build
#
# Env: BENCH_SECONDS (default 10) per measured run; BENCH_ROUNDS (default 3):
# the three targets are measured in turn, round after round, and each figure
# is the median over the rounds, so a passing disturbance (another process)
# hits all three alike; BENCH_OUT, a file to write the Markdown table to (it
# is printed on stdout too).
#
# On a temporary SQLite database it adds an admin and a security admin,
# starts `minsheng serve --log-level warn` and bench/bare_server.c on
# ephemeral loopback ports, logs both users in, warms up, and runs
# `wrk -t2 -c64 -d${BENCH_SECONDS}s --latency` (a Lua script adds the
# Authorization header) against:
#   bare     GET / on the bare server (the ceiling)
#   me       GET /api/v1/me as the admin (session look-up + JSON)
#   audited  GET /api/v1/users/<admin> as the security admin (a read of a
#            personal record, which appends to the hash-chained audit log)
# and prints requests/s, p50, p99 and the ratio to bare, with the aims
# (me >= 0.50, audited >= 0.25) and the machine's facts. wrk shares the
# machine with the servers: read the ratios, not the absolute numbers.
set -eu

if [ $# -ne 1 ] || [ ! -x "$1/minsheng" ]; then
    echo "usage: $0 BUILD_DIR   (with BUILD_DIR/minsheng and BUILD_DIR/bench/bench_bare_server)" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
ms=$build/minsheng
bare=$build/bench/bench_bare_server
secs=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
case $secs in '' | *[!0-9]*) echo "BENCH_SECONDS must be a whole number" >&2; exit 2 ;; esac
case $rounds in '' | *[!0-9]* | 0) echo "BENCH_ROUNDS must be a whole number >= 1" >&2; exit 2 ;; esac
[ -x "$bare" ] || { echo "missing $bare (ninja -C $1 bench_bare_server)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ms-bench.XXXXXX")
pids=""

# Stops what we started: SIGTERM, up to 10 s, then SIGKILL; always reaped.
stop() {
    for pid in $pids; do
        kill -TERM "$pid" 2>/dev/null || continue
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "warning: pid $pid ignored SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    pids=""
}
cleanup() {
    status=$?
    stop
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
    echo "http.sh: $*" >&2
    for log in "$tmp"/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

# Waits (at most 10 s) for a port file; prints the port.
wait_port() {
    i=0
    while [ $i -lt 200 ]; do
        if [ -s "$1" ]; then
            cat "$1"
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    fail "no port in $1 after 10 s"
}

password() {
    echo "Bench$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')7"
}

login() {
    curl -sS --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$1/api/v1/session" |
        sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# --- set up -------------------------------------------------------------------------------
db=$tmp/bench.db
admin_pw=$(password)
sec_pw=$(password)
"$ms" migrate --db "$db" >/dev/null
printf '%s\n' "$admin_pw" | "$ms" user add benchadmin --role admin --password-stdin --db "$db" >/dev/null
printf '%s\n' "$sec_pw" | "$ms" user add benchsec --role security_admin --password-stdin --db "$db" >/dev/null

"$ms" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/ms.port" --log-level warn \
    >"$tmp/minsheng.log" 2>&1 &
pids="$pids $!"
"$bare" --listen 127.0.0.1:0 --port-file "$tmp/bare.port" >"$tmp/bare.log" 2>&1 &
pids="$pids $!"
ms_url=http://127.0.0.1:$(wait_port "$tmp/ms.port")
bare_url=http://127.0.0.1:$(wait_port "$tmp/bare.port")

admin_token=$(login "$ms_url" benchadmin "$admin_pw")
sec_token=$(login "$ms_url" benchsec "$sec_pw")
if [ -z "$admin_token" ] || [ -z "$sec_token" ]; then
    fail "could not log in"
fi
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$admin_token" >"$tmp/admin.lua"
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$sec_token" >"$tmp/sec.lua"

# Each target must answer 200 before it is measured.
check() {
    code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1")
    [ "$code" = 200 ] || fail "$1 answered $code"
}
check "$bare_url/" none
check "$ms_url/api/v1/me" "$admin_token"
check "$ms_url/api/v1/users/benchadmin" "$sec_token"

# run NAME URL LUA SECONDS: wrk's report in $tmp/NAME.wrk.
run() {
    timeout $(($4 + 60)) wrk -t2 -c64 -d"$4"s --latency -s "$3" "$2" >"$tmp/$1.wrk" 2>&1 ||
        fail "wrk failed on $2: $(cat "$tmp/$1.wrk")"
    if grep -q "Non-2xx" "$tmp/$1.wrk"; then
        fail "$2 gave non-2xx answers under load: $(grep Non-2xx "$tmp/$1.wrk")"
    fi
}

printf '' >"$tmp/none.lua"
targets="bare|$bare_url/|$tmp/none.lua me|$ms_url/api/v1/me|$tmp/admin.lua audited|$ms_url/api/v1/users/benchadmin|$tmp/sec.lua"
# each NAME: runs `run NAME-SUFFIX URL LUA SECONDS` for every target.
each() {
    for target in $targets; do
        name=${target%%|*}
        rest=${target#*|}
        run "$name-$1" "${rest%%|*}" "${rest#*|}" "$2"
    done
}
each warm 2
rm -f "$tmp"/*-warm.wrk
round=1
while [ "$round" -le "$rounds" ]; do
    each "$round" "$secs"
    round=$((round + 1))
done

# --- report ---------------------------------------------------------------------------------
# median NAME FIELD: the median over the rounds of one wrk figure (Requests/sec,
# or a latency percentile in ms).
median() {
    for f in "$tmp/$1"-*.wrk; do
        awk -v p="$2" '$1 == p { v = $2
            if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
            else if (v ~ /ms$/) { sub(/ms$/, "", v) }
            else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
            print v }' "$f"
    done | sort -g | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}
rps() { median "$1" "Requests/sec:"; }
pct() { median "$1" "$2"; }
errors() { cat "$tmp/$1"-*.wrk | awk '/Socket errors/ { print }'; }
bare_rps=$(rps bare)
[ -n "$bare_rps" ] || fail "no Requests/sec in the bare run: $(cat "$tmp/bare.wrk")"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
audit_rows=$(sqlite3 "$db" "SELECT count(*) FROM audit_log" 2>/dev/null || echo "?")

{
    echo "## HTTP throughput: minsheng against bare libmicrohttpd"
    echo
    echo "wrk -t2 -c64 -d${secs}s --latency, loopback, SQLite; the median of $rounds interleaved rounds; $(date -u +%Y-%m-%dT%H:%MZ)."
    echo "Machine: $(nproc) CPUs ($cpu), $(uname -sr); wrk shares these CPUs with the servers."
    echo
    echo "| route | requests/s | p50 (ms) | p99 (ms) | ratio to bare | aim |"
    echo "|---|---:|---:|---:|---:|---|"
    for name in bare me audited; do
        r=$(rps "$name")
        case $name in
        bare) route="GET / (bare libmicrohttpd)"; aim=0 ;;
        me) route="GET /api/v1/me"; aim=0.50 ;;
        audited) route="GET /api/v1/users/{username} (audited read)"; aim=0.25 ;;
        esac
        awk -v route="$route" -v r="$r" -v b="$bare_rps" -v aim="$aim" \
            -v p50="$(pct "$name" 50%)" -v p99="$(pct "$name" 99%)" 'BEGIN {
            ratio = b > 0 ? r / b : 0
            verdict = aim == 0 ? "-" : (ratio >= aim ? "≥ " aim " met" : "≥ " aim " MISSED")
            printf "| %s | %.0f | %s | %s | %.3f | %s |\n", route, r, p50, p99, ratio, verdict
        }'
    done
    echo
    for name in bare me audited; do
        e=$(errors "$name")
        [ -z "$e" ] || echo "- $name: $e"
    done
    echo "- audit_log rows after the run: $audit_rows (one per audited read)"
} >"$tmp/report.md"

cat "$tmp/report.md"
if [ -n "${BENCH_OUT:-}" ]; then
    cp "$tmp/report.md" "$BENCH_OUT"
    echo "(written to $BENCH_OUT)"
fi
