#!/bin/sh
# make demo: creates the demo database if it is absent, with one account per
# built-in role (their one-time passwords are printed once, here), and serves
# it on http://127.0.0.1:8080 until Ctrl-C.
#
#   scripts/demo.sh BUILD/minsheng
set -eu
bin=${1:-build/minsheng}
dir=demo
db=$dir/minsheng.db
listen=${MINSHENG_LISTEN:-127.0.0.1:8080}

if [ ! -f "$db" ]; then
    mkdir -p "$dir"
    "$bin" migrate --db "$db" >/dev/null
    echo "Demo database created: $db"
    echo "Demo accounts (write the passwords down: they are shown only now):"
    "$bin" user add admin --role admin --display-name "系统管理员" --db "$db"
    "$bin" user add secadmin --role security_admin --display-name "安全管理员" --db "$db"
    "$bin" user add auditor --role auditor --display-name "安全审计员" --db "$db"
    echo
else
    echo "Using the existing demo database $db (delete it to start afresh)."
fi
echo "Serving on http://$listen  (API: http://$listen/api/v1/openapi.json; Ctrl-C stops)"
exec "$bin" serve --db "$db" --listen "$listen"
