#!/bin/sh
# The web console (web/): install, build, and the browser tests.
#
#   scripts/web.sh build               npm ci if needed, then vite build into web/dist
#   scripts/web.sh test BUILD/minsheng build, then run tests/browser/*.mjs against it
#
# `npm ci` runs only when web/node_modules is missing or package-lock.json
# changed since the last install (its hash is kept in node_modules). Node 20
# (>= 20.19, for Vite 8) and npm come with the machine; the browser tests
# need Debian's chromium and a CJK font: scripts/deps.sh web.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
stamp=$web/node_modules/.minsheng-lock-sha256

install() {
    want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
    if [ -d "$web/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "web.sh: npm ci (node $(node -v))"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
}

build() {
    install
    (cd "$web" && npx --no-install vite build --logLevel warn)
    echo "web.sh: built $web/dist"
}

case "${1:-}" in
build)
    build
    ;;
test)
    [ $# -ge 2 ] || { echo "usage: scripts/web.sh test BUILD/minsheng" >&2; exit 2; }
    bin=$2
    build
    status=0
    # A failing script's "not ok" lines and their details are repeated at
    # the end, where a long log's tail shows them.
    failures=$(mktemp)
    trap 'rm -f "$failures" "$failures.out"' EXIT
    for t in "$root"/tests/browser/*.mjs; do
        if ! node "$t" --minsheng "$bin" --web-root "$web/dist" >"$failures.out" 2>&1; then
            status=1
            { echo "web.sh: $(basename "$t") failed:"; grep -E '^(not ok|#)' "$failures.out"; } >>"$failures"
        fi
        cat "$failures.out"
    done
    cat "$failures"
    exit $status
    ;;
*)
    echo "usage: scripts/web.sh build | test BUILD/minsheng" >&2
    exit 2
    ;;
esac
