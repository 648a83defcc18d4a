#!/bin/sh
# link_cli.sh - `minsheng link` on two small synthetic files: the output's
# header and its pairs, the summary, one-to-one, and the exit codes of bad
# usage (2), bad config (2, naming the key) and bad input (1, naming the
# file and row), with no PAIRS.csv left behind by a failure. Needs no
# database; the PostgreSQL variant runs the same checks.
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"
trap - EXIT

# 30 made-up people on the left; the right file holds 10 of them with a
# homophone surname, a day/month swap or a Latin spelling variant, and 5
# people of its own. With so few pairs EM has too little to learn from, so
# the config uses the starting values (em.max_iterations 0) and u from
# random pairs.
cat >"$TMP/a.csv" <<'CSV'
id,name,birth,sex,phone
A1,王芳军,1941-02-17,男,13900000001
A2,张敏,1942-03-21,女,13900000002
A3,赵静勇,1943-04-09,男,13900000003
A4,刘丽丽,1944-05-25,女,13900000004
A5,陈强杰,1945-06-13,男,13900000005
A31,Jon Smith,1985-07-30,男,13912345678
CSV
# Filler: 25 more made-up people, none of them on the right.
awk 'BEGIN {
    split("杨 黄 周 吴 徐", s, " ");
    split("伟 芳 敏 静 丽 强 磊 军 洋 勇 艳 杰", g, " ");
    for (i = 6; i <= 30; i++)
        printf "A%d,%s%s%s,19%02d-%02d-%02d,%s,1390000%04d\n", i, s[(i % 5) + 1],
            g[(i % 12) + 1], g[((i * 7) % 12) + 1], 40 + i, (i % 12) + 1, (i % 27) + 1,
            i % 2 ? "男" : "女", i;
}' >>"$TMP/a.csv"
# The same five people (B2 with a homophone surname, B3 with day and month
# swapped), a Latin spelling variant, and two people of the right file only.
cat >"$TMP/b.csv" <<'CSV'
ref,full,dob,gender,tel
B1,王芳军,17/02/1941,男,13900000001
B2,章敏,21/03/1942,女,13900000002
B3,赵静勇,04/09/1943,男,13900000003
B4,刘丽丽,25/05/1944,女,13900000004
B5,陈强杰,13/06/1945,男,13900000005
B31,John Smith,30/07/1985,男,13912345678
N1,钱多多,01/01/1990,男,13800000001
N2,孙小美,02/02/1991,女,13800000002
CSV

cat >"$TMP/cfg.json" <<'JSON'
{
  "id": "id",
  "columns": {"full_name": "name", "birth_date": "birth", "sex": "sex", "phone": "phone"},
  "right": {"id": "ref", "birth_date_format": "DD/MM/YYYY",
            "columns": {"full_name": "full", "birth_date": "dob", "sex": "gender",
                        "phone": "tel"}},
  "thresholds": {"upper": 10, "lower": 3},
  "em": {"max_iterations": 0}
}
JSON

"$MS" link --left "$TMP/a.csv" --right "$TMP/b.csv" --config "$TMP/cfg.json" \
    --out "$TMP/pairs.csv" 2>"$TMP/summary" || fail "link exited $?: $(cat "$TMP/summary")"
head -n 1 "$TMP/pairs.csv" | grep -qx 'left_id,right_id,weight,probability,decision,name,birth_date,sex,phone' ||
    fail "PAIRS.csv header: $(head -n 1 "$TMP/pairs.csv")"
for p in A1,B1 A2,B2 A3,B3 A4,B4 A5,B5 A31,B31; do
    grep -q "^$p,.*,match," "$TMP/pairs.csv" || fail "pair $p is not a match: $(cat "$TMP/pairs.csv")"
done
grep -q '^A2,B2,.*,match,3,' "$TMP/pairs.csv" || fail "A2/B2 should show name level 3 (homophone)"
grep -q '^A3,B3,.*,match,4,2,' "$TMP/pairs.csv" || fail "A3/B3 should show birth level 2 (swap)"
[ "$(grep -c ',match,' "$TMP/pairs.csv")" -eq 6 ] || fail "expected 6 matches: $(cat "$TMP/pairs.csv")"
grep -q '^records: 31 left, 8 right' "$TMP/summary" || fail "summary: $(cat "$TMP/summary")"
grep -q '^pairs compared: ' "$TMP/summary" || fail "summary lacks the pair count"
grep -q '^decisions: 6 match' "$TMP/summary" || fail "summary decisions: $(cat "$TMP/summary")"
pass "two files linked, every true pair a match"

"$MS" link --left "$TMP/a.csv" --right "$TMP/b.csv" --config "$TMP/cfg.json" \
    --out "$TMP/all.csv" --all --one-to-one 2>/dev/null
dups=$(tail -n +2 "$TMP/all.csv" | cut -d, -f1 | sort | uniq -d)
[ -z "$dups" ] || fail "--one-to-one left a record twice: $dups"
pass "--one-to-one keeps one pair a record"

"$MS" link --left "$TMP/a.csv" --config "$TMP/cfg.json" --out "$TMP/dedup.csv" 2>/dev/null
[ "$(tail -n +2 "$TMP/dedup.csv" | grep -c ',match,' || true)" -eq 0 ] ||
    fail "the left file has no duplicates: $(cat "$TMP/dedup.csv")"
pass "de-duplication of one file"

usage_error() {
    what=$1
    want=$2
    shift 2
    expect_fail "$what" "$@"
    [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2 (usage)"
    grep -q -- "$want" "$TMP/err" || fail "$what: stderr does not name $want: $(cat "$TMP/err")"
}
usage_error "no --out" "--out" "$MS" link --left "$TMP/a.csv" --config "$TMP/cfg.json"
usage_error "bad threshold" "--threshold-upper" "$MS" link --left "$TMP/a.csv" \
    --config "$TMP/cfg.json" --out "$TMP/x.csv" --threshold-upper 12x
usage_error "one-to-one without --right" "--one-to-one" "$MS" link --left "$TMP/a.csv" \
    --config "$TMP/cfg.json" --out "$TMP/x.csv" --one-to-one
usage_error "unknown option" "usage" "$MS" link --left "$TMP/a.csv" --config "$TMP/cfg.json" \
    --out "$TMP/x.csv" --colour
sed 's/"thresholds": {"upper": 10/"thresholds": {"uper": 10/' "$TMP/cfg.json" >"$TMP/bad.json"
usage_error "unknown config key" "uper" "$MS" link --left "$TMP/a.csv" --config "$TMP/bad.json" \
    --out "$TMP/x.csv"
sed 's/"sex": "sex"/"gender": "sex"/' "$TMP/cfg.json" >"$TMP/bad.json"
usage_error "unknown role" "columns.gender" "$MS" link --left "$TMP/a.csv" \
    --config "$TMP/bad.json" --out "$TMP/x.csv"

printf 'id,name,birth,sex,phone\nA1,张三,1980-01-01,男,\nA2,\324\305,1980-01-02,男,\n' >"$TMP/bad.csv"
expect_fail "bad UTF-8 row" "$MS" link --left "$TMP/bad.csv" --config "$TMP/cfg.json" \
    --out "$TMP/x.csv"
[ "$rc" -eq 1 ] || fail "bad UTF-8: exit $rc, expected 1"
grep -q 'bad.csv row 3' "$TMP/err" || fail "bad UTF-8: no file and row: $(cat "$TMP/err")"
expect_fail "missing file" "$MS" link --left "$TMP/none.csv" --config "$TMP/cfg.json" \
    --out "$TMP/x.csv"
[ "$rc" -eq 1 ] || fail "missing file: exit $rc, expected 1"
[ ! -e "$TMP/x.csv" ] || fail "a PAIRS.csv was written despite the failures"
[ -z "$(find "$TMP" -name 'x.csv.*')" ] || fail "a temporary output file was left behind"
echo "all link checks passed"
