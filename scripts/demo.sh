#!/bin/sh
# make demo: creates the demo district if demo/minsheng.db is absent, then
# serves it on http://127.0.0.1:8080 (MINSHENG_LISTEN overrides) until Ctrl-C.
#
# Creating it: migrate; import the Wansheng place names
# (data/wansheng/placenames.csv); generate the synthetic district of 270,000
# residents with a fixed seed (docs/gen.md) and the departments' files about
# them (demo/feeds, three months of payments) with its roll of 低保 and 特困
# recipients and their paid months; import those files, which
# links their rows to residents and fills the quarantine and the review
# queue (docs/exchange.md); look for probable duplicate residents; make
# this month's payment runs of the roll (docs/assistance.md); run the
# monitoring rules, which turn what the files show (pensions paid after a
# death, high medical costs, new severe disabilities) into alerts and the
# towns' verification tasks (docs/monitor.md); add one
# account per role, whose one-time passwords are printed once, here. Each
# stage prints its time.
#
#   scripts/demo.sh BUILD/minsheng
#
# Every person in the demo is synthetic. MINSHENG_DEMO_RESIDENTS,
# MINSHENG_DEMO_SEED and MINSHENG_DEMO_FEED_MONTHS change the size, the seed
# and the months of payment files of a new district.
set -eu
bin=${1:-build/minsheng}
dir=demo
db=$dir/minsheng.db
listen=${MINSHENG_LISTEN:-127.0.0.1:8080}
residents=${MINSHENG_DEMO_RESIDENTS:-270000}
seed=${MINSHENG_DEMO_SEED:-20261129}
feed_months=${MINSHENG_DEMO_FEED_MONTHS:-3}
feeds=$dir/feeds
places=data/wansheng/placenames.csv

now() { date +%s.%N; }
# stage NAME COMMAND...: runs the command and prints how long it took.
stage() {
    name=$1
    shift
    t0=$(now)
    "$@"
    t1=$(now)
    awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "  [%-10s %6.1f s]\n", n, b - a }'
}

user() { "$bin" user add "$@" --db "$db"; }

# The feeds in an order where the files that name people best come first.
import_feeds() {
    for feed in death_police death_certificate cremation hukou_change insurance_enrolment \
        pension_payment unemployment_registration unemployment_benefit contribution_wage \
        medical_settlement disability_certificate business_registration vehicle student_aid meal_subsidy remote_benefit \
        real_estate; do
        out=$("$bin" import --feed "$feed" "$feeds/$feed".* --db "$db") || exit 1
        echo "$out" | sed -n '2,3p' | tr -s ' ' | sed "s/^/  $feed:/"
    done
}
migrate() { "$bin" migrate --db "$db" >/dev/null; }

# This month's payment runs (China time, as gen's default as-of date), so
# the console shows a run with its lines waiting for the bank file.
pay_month() {
    period=$(TZ=Asia/Shanghai date +%Y-%m)
    for scheme in dibao tekun; do
        out=$("$bin" pay --scheme "$scheme" --period "$period" --db "$db") || exit 1
        echo "$out" | sed -n '1p' | sed 's/^/  /'
    done
}

create_accounts() {
    # The town caseworker sees 万东镇 only: its 9-digit prefix, from the places table.
    town=$("$bin" places search 万东镇 --kind town --db "$db" |
        awk '$1 == "万东镇" { print substr($3, 1, 9); exit }')
    if [ -z "$town" ]; then
        echo "demo: 万东镇 is not in the places table" >&2
        exit 1
    fi
    echo "Demo accounts (write the passwords down: they are shown only now):"
    user admin --role admin --display-name "系统管理员"
    user secadmin --role security_admin --display-name "安全管理员"
    user auditor --role auditor --display-name "安全审计员"
    user civil --role civil_caseworker --display-name "区民政局经办人"
    user wandong --role town_caseworker --scope "$town" --display-name "万东镇经办人"
    user hrss --role hrss_officer --display-name "区人社局经办人"
    user health --role health_officer --display-name "区卫健委经办人"
    user exchange --role exchange_officer --display-name "区数据交换专员"
}

if [ ! -f "$db" ]; then
    if [ ! -f "$places" ]; then
        echo "demo: $places not found; run make demo from the repository root" >&2
        exit 1
    fi
    mkdir -p "$dir"
    trap 'echo "demo: creating $db failed; delete $dir/ and try again" >&2' EXIT
    echo "Creating the demo district in $db ($residents synthetic residents, seed $seed):"
    total0=$(now)
    stage migrate migrate
    stage places "$bin" places import --file "$places" --db "$db"
    stage generate "$bin" gen --residents "$residents" --seed "$seed" --feeds "$feeds" \
        --feed-months "$feed_months" --db "$db"
    stage import import_feeds
    stage duplicates "$bin" link --registry --db "$db"
    stage pay pay_month
    stage scan "$bin" scan --db "$db"
    stage accounts create_accounts
    trap - EXIT
    awk -v a="$total0" -v b="$(now)" 'BEGIN { printf "Demo district ready in %.1f s.\n\n", b - a }'
else
    echo "Using the existing demo database $db (delete $dir/ to start afresh)."
    # A newer build may bring migrations; applying them is idempotent.
    "$bin" migrate --db "$db" | grep -v '^database is up to date' || true
fi
echo "Serving on http://$listen  (console: http://$listen/ ; API: http://$listen/api/v1/openapi.json; Ctrl-C stops)"
# The console is served from web/dist when it has been built (make demo
# builds it); without it the API is served alone.
web_root=""
[ -f web/dist/index.html ] && web_root="--web-root web/dist"
# shellcheck disable=SC2086 # empty, or two words on purpose
exec "$bin" serve --db "$db" --listen "$listen" $web_root
