#!/bin/sh
# jobs_cli.sh - `minsheng jobs` and the scheduler in `minsheng serve`: a job
# made due runs once in a real server (as the scheduler), a server with
# --no-scheduler runs nothing, two servers on one database run a due job
# once, and the CLI's bad input fails with a message.
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"

url=$(new_db jobs)
# The key for sealed fields: beside a SQLite file by default, named for
# PostgreSQL.
MINSHENG_KEY_FILE=$TMP/test.key
export MINSHENG_KEY_FILE
"$MS" migrate --db "$url" >/dev/null

# Bad input: a message and a non-zero exit, nothing changed.
expect_fail "jobs set with a bad schedule" "$MS" jobs set monitor.scan --schedule "61 * * * *" --db "$url"
grep -q "分钟" "$TMP/err" || fail "the schedule error is not in Chinese: $(cat "$TMP/err")"
expect_fail "jobs run of an unknown job" "$MS" jobs run no.such --db "$url"
expect_fail "jobs set with nothing to set" "$MS" jobs set monitor.scan --db "$url"
expect_fail "jobs set with --enable and --disable" "$MS" jobs set monitor.scan --enable --disable --db "$url"
[ "$(sql "$url" "SELECT count(*) FROM job_runs")" = 0 ] || fail "a refused command ran a job"

"$MS" jobs set monitor.scan --enable --schedule "0 2 * * *" --db "$url" >"$TMP/out"
grep -q "^monitor.scan  *yes  *0 2 \* \* \*" "$TMP/out" || fail "jobs set did not list the job enabled: $(cat "$TMP/out")"
pass "jobs set enables a job with its schedule"

due() {
    sql "$url" "UPDATE jobs SET next_run_at = '2000-01-01T00:00:00.000Z' WHERE name = 'monitor.scan'"
}

# serve_for SECONDS ARGS...: runs a server on a free port for a while, then
# stops it with SIGTERM and checks it exits 0.
serve_for() {
    secs=$1
    shift
    "$MS" serve --db "$url" --listen 127.0.0.1:0 --port-file "$TMP/port.$$" \
        --no-access-log "$@" >>"$TMP/server.log" 2>&1 &
    pid=$!
    sleep "$secs"
    kill -TERM "$pid" 2>/dev/null || fail "the server stopped early: $(tail -n 5 "$TMP/server.log")"
    wait "$pid" || fail "the server exited with status $? (log: $(tail -n 5 "$TMP/server.log"))"
}

runs() {
    sql "$url" "SELECT count(*) FROM job_runs WHERE kind = 'schedule'"
}

due
serve_for 2 --no-scheduler --scheduler-tick-ms 100
[ "$(runs)" = 0 ] || fail "--no-scheduler ran a job"
pass "a server with --no-scheduler runs nothing"

# Two servers on the one database, each checking ten times a second: the
# job was due once, so it runs once.
due
"$MS" serve --db "$url" --listen 127.0.0.1:0 --port-file "$TMP/port2" --no-access-log \
    --scheduler-tick-ms 100 >>"$TMP/server.log" 2>&1 &
other=$!
serve_for 3 --scheduler-tick-ms 100
kill -TERM "$other"
wait "$other" || fail "the second server exited with status $?"
[ "$(runs)" = 1 ] || fail "expected one scheduled run, found $(runs)"
[ "$(sql "$url" "SELECT status || ' ' || started_by FROM job_runs WHERE kind = 'schedule'")" = \
    "succeeded system:scheduler" ] || fail "the scheduled run did not succeed as the scheduler"
next=$(sql "$url" "SELECT next_run_at FROM jobs WHERE name = 'monitor.scan'")
case $next in
*T18:00:00.000Z) ;; # 02:00 China time
*) fail "the next run was not moved to 02:00 China time: $next" ;;
esac
pass "a due job runs once in two servers, and its next run is 02:00 China time"

"$MS" jobs run monitor.scan --db "$url" >"$TMP/out"
grep -q "succeeded" "$TMP/out" || fail "jobs run: $(cat "$TMP/out")"
"$MS" jobs runs --job monitor.scan --db "$url" >"$TMP/out"
[ "$(wc -l <"$TMP/out")" -eq 2 ] || fail "jobs runs lists $(wc -l <"$TMP/out") runs, expected 2"
pass "jobs run and jobs runs"
echo "all job checks passed"
