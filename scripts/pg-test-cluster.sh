#!/bin/sh
# pg-test-cluster.sh - a throwaway PostgreSQL 15 cluster for the `pg` tests.
#
#   scripts/pg-test-cluster.sh start DIR   initialise (once) and start a cluster,
#                                          then write its libpq URL to DIR/dsn
#   scripts/pg-test-cluster.sh stop DIR    stop it and remove its data
#
# ctest runs these as the setup and cleanup of the `pg` fixture
# (tests/CMakeLists.txt). Both are idempotent: starting a running cluster
# only rewrites DIR/dsn, stopping nothing succeeds.
#
# The cluster trusts every local connection and runs with fsync off: it is
# for tests only and holds nothing worth keeping. PostgreSQL refuses to run
# as root, so as root the server runs as the `postgres` user, in DIR/data
# when postgres can reach it, or else in a private folder under /tmp whose
# path is kept in DIR/datadir (so we never loosen permissions on DIR's
# parents).
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
FIRST_PORT=${MS_PG_TEST_PORT:-55432}

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
cd /   # postgres may not be allowed into the caller's working folder

is_root() {
    [ "$(id -u)" -eq 0 ]
}

# Runs a PostgreSQL program as the user that owns the cluster.
as_owner() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The data folder: recorded in DIR/datadir once chosen.
data_dir() {
    if [ -f "$dir/datadir" ]; then
        cat "$dir/datadir"
    else
        echo ""
    fi
}

choose_data_dir() {
    data=$dir/data
    if is_root; then
        mkdir -p "$data"
        chown postgres: "$data"
        chmod 700 "$data"
        if ! runuser -u postgres -- test -w "$data"; then
            rmdir "$data"
            data=$(mktemp -d /tmp/ms-pgtest.XXXXXX)
            chown postgres: "$data"
        fi
    else
        mkdir -p "$data"
        chmod 700 "$data"
    fi
    echo "$data" >"$dir/datadir"
}

is_running() {
    [ -n "$1" ] && [ -f "$1/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# A port nothing listens on; the start below still retries if another
# process takes it first.
port_is_free() {
    ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

write_dsn() {
    echo "postgresql://postgres@127.0.0.1:$1/postgres" >"$dir/dsn.tmp"
    mv "$dir/dsn.tmp" "$dir/dsn"
}

start() {
    data=$(data_dir)
    if is_running "$data"; then
        port=$(sed -n 4p "$data/postmaster.pid")
        write_dsn "$port"
        echo "pg-test-cluster: already running on port $port"
        return 0
    fi
    if [ -z "$data" ] || [ ! -d "$data" ]; then
        choose_data_dir
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$PGBIN/initdb" -D "$data" --auth=trust -U postgres -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
    fi
    port=$FIRST_PORT
    last=$((FIRST_PORT + 100))
    while [ "$port" -le "$last" ]; do
        if port_is_free "$port" &&
            as_owner "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
                -o "-k $data -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
                start >/dev/null 2>&1; then
            "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || {
                echo "pg-test-cluster: server on port $port is not ready" >&2
                exit 1
            }
            write_dsn "$port"
            echo "pg-test-cluster: running on port $port ($data)"
            return 0
        fi
        port=$((port + 1))
    done
    echo "pg-test-cluster: could not start a server on ports $FIRST_PORT-$last" >&2
    tail -n 20 "$data/server.log" >&2 2>/dev/null || true
    exit 1
}

stop() {
    data=$(data_dir)
    if is_running "$data"; then
        as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
    if [ -n "$data" ]; then
        rm -rf "$data"
    fi
    rm -f "$dir/dsn" "$dir/datadir" "$dir/initdb.log"
    echo "pg-test-cluster: stopped"
}

case $cmd in
start) start ;;
stop) stop ;;
*) usage ;;
esac
