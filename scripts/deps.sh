#!/bin/sh
# Installs the Debian 12 packages minsheng needs, and only those missing.
#
#   scripts/deps.sh [build] [test] [bench] [web]     (default: build)
#
# web: the browser tests' chromium and a CJK font. Node.js (>= 20.19, for
# Vite 8) and npm are not installed here: Debian 12's nodejs is 18.
#
# Idempotent: a package already installed is left alone and nothing is
# downloaded when everything is present. Runs apt-get as root, through sudo
# otherwise. Says what it installs.
set -eu

build_pkgs="gcc cmake ninja-build pkg-config libmicrohttpd-dev libjansson-dev
libsqlite3-dev libpq-dev libsodium-dev libicu-dev libcsv-dev libxlsxwriter-dev"
test_pkgs="libcmocka-dev libcurl4-openssl-dev sqlite3 unzip postgresql-15
postgresql-client-15"
bench_pkgs="wrk curl"
web_pkgs="chromium fonts-wqy-microhei"

want=""
[ $# -eq 0 ] && set -- build
for group in "$@"; do
    case "$group" in
    build) want="$want $build_pkgs" ;;
    test) want="$want $build_pkgs $test_pkgs" ;;
    bench) want="$want $build_pkgs $bench_pkgs" ;;
    web) want="$want $web_pkgs" ;;
    *) echo "deps.sh: unknown group '$group' (build, test, bench, web)" >&2; exit 2 ;;
    esac
done

missing=""
for p in $want; do
    case " $missing " in *" $p "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "deps.sh: missing packages:$missing" >&2
    echo "deps.sh: run this script as root (or install sudo) to install them" >&2
    exit 1
fi

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps.sh: done"
