#!/bin/sh
# user_cli.sh - `minsheng user add | list | passwd | disable`: what works
# works, and bad input gets a message on stderr and a non-zero exit without
# changing anything.
#
#   tests/cli/user_cli.sh build/minsheng [PG_DSN_FILE]
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"

db=$(new_db users)

# --- help -------------------------------------------------------------------------
for args in "--help" "user --help"; do
    # shellcheck disable=SC2086 # split on purpose
    "$MS" $args >"$TMP/out" 2>"$TMP/err" || fail "minsheng $args: exit status $?"
    grep -qi "usage" "$TMP/out" || fail "minsheng $args printed no usage on stdout"
    pass "minsheng $args exits 0 with usage"
done
grep -q "user add" "$TMP/out" || fail "user --help does not show 'user add'"

"$MS" migrate --db "$db" >/dev/null

# --- adding ---------------------------------------------------------------------------
printf 'Alice-pass-2024\n' | "$MS" user add alice --role admin --display-name '李 Alice' \
    --password-stdin --db "$db" >"$TMP/out"
grep -q alice "$TMP/out" || fail "user add printed: $(cat "$TMP/out")"
printf 'Bob-pass-20240\n' | "$MS" user add bob --role auditor --scope 500110001 \
    --password-stdin --db "$db" >/dev/null
pass "user add with --password-stdin"

# Without --password-stdin a password is generated and shown once.
"$MS" user add carol --role security_admin --db "$db" </dev/null >"$TMP/out"
grep -qi "password" "$TMP/out" || fail "user add without a password printed: $(cat "$TMP/out")"
pass "user add without a password generates one"

"$MS" user list --db "$db" >"$TMP/list"
for want in "alice.*admin" "bob.*auditor.*500110001" "carol.*security_admin"; do
    grep -Eq "$want" "$TMP/list" || fail "user list lacks /$want/: $(cat "$TMP/list")"
done
[ "$(sql "$db" "SELECT count(*) FROM users")" = 3 ] || fail "expected 3 users in the table"
[ "$(sql "$db" "SELECT display_name FROM users WHERE username = 'alice'")" = "李 Alice" ] ||
    fail "display name not stored as given"
pass "user list shows the three users with roles and scope"

# --- bad input ---------------------------------------------------------------------------
before=$("$MS" db digest --db "$db" --exclude audit_log --exclude audit_head)
expect_fail "unknown role" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add dave --role superuser --password-stdin --db '$db'"
expect_fail "user name with a space" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add 'a b' --role admin --password-stdin --db '$db'"
expect_fail "user name with a quote" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add \"o'hara\" --role admin --password-stdin --db '$db'"
expect_fail "upper-case user name" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add Dave --role admin --password-stdin --db '$db'"
expect_fail "empty user name" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add '' --role admin --password-stdin --db '$db'"
expect_fail "weak password (short)" sh -c \
    "printf 'short1\n' | '$MS' user add dave --role admin --password-stdin --db '$db'"
expect_fail "weak password (no digit)" sh -c \
    "printf 'NoDigitsAtAllHere\n' | '$MS' user add dave --role admin --password-stdin --db '$db'"
expect_fail "weak password (the user name)" sh -c \
    "printf 'dave12345678\n' | '$MS' user add dave12345678 --role admin --password-stdin --db '$db'"
expect_fail "no password on stdin" sh -c \
    "'$MS' user add dave --role admin --password-stdin --db '$db' </dev/null"
expect_fail "duplicate user" sh -c \
    "printf 'Alice-pass-2025\n' | '$MS' user add alice --role auditor --password-stdin --db '$db'"
expect_fail "bad scope" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add dave --role admin --scope 5001x --password-stdin --db '$db'"
expect_fail "missing --role" sh -c \
    "printf 'Dave-pass-20240\n' | '$MS' user add dave --password-stdin --db '$db'"
expect_fail "unknown subcommand" "$MS" user frobnicate --db "$db"
expect_fail "unknown option" "$MS" user list --colour --db "$db"
expect_fail "add without a name" "$MS" user add --role admin --db "$db"
after=$("$MS" db digest --db "$db" --exclude audit_log --exclude audit_head)
[ "$before" = "$after" ] || fail "a refused command changed the database"
[ "$(sql "$db" "SELECT count(*) FROM users")" = 3 ] || fail "a refused add created a user"
pass "refused commands changed nothing"

# --- passwd ----------------------------------------------------------------------------------
old_hash=$(sql "$db" "SELECT password_hash FROM users WHERE username = 'alice'")
expect_fail "passwd with a weak password" sh -c \
    "printf 'weak\n' | '$MS' user passwd alice --password-stdin --db '$db'"
[ "$(sql "$db" "SELECT password_hash FROM users WHERE username = 'alice'")" = "$old_hash" ] ||
    fail "a refused passwd changed the hash"
expect_fail "passwd of an unknown user" sh -c \
    "printf 'Nobody-pass-2024\n' | '$MS' user passwd nobody --password-stdin --db '$db'"
printf 'Alice-new-pass-2025\n' | "$MS" user passwd alice --password-stdin --db "$db" >/dev/null
new_hash=$(sql "$db" "SELECT password_hash FROM users WHERE username = 'alice'")
[ "$new_hash" != "$old_hash" ] || fail "passwd did not change the hash"
# shellcheck disable=SC2016 # '$argon2id$' is a literal prefix
case $new_hash in
*Alice-new-pass-2025*) fail "the password is stored in clear" ;;
'$argon2id$'*) ;;
*) fail "the new hash is not argon2id: $new_hash" ;;
esac
pass "passwd changes the (argon2id) hash"

# --- disable ---------------------------------------------------------------------------------
expect_fail "disable an unknown user" "$MS" user disable nobody --db "$db"
"$MS" user disable bob --db "$db" >/dev/null
"$MS" user list --db "$db" >"$TMP/list"
grep -Eq "^bob .*disabled" "$TMP/list" || fail "bob not shown disabled: $(cat "$TMP/list")"
grep -Eq "^alice .*active" "$TMP/list" || fail "alice not shown active: $(cat "$TMP/list")"
pass "disable marks the user disabled and only that user"

# --- the audit log saw all of it -------------------------------------------------------------
"$MS" audit verify --db "$db" >/dev/null || fail "audit verify failed"
n=$(sql "$db" "SELECT count(*) FROM audit_log WHERE action IN ('user.add', 'user.passwd', 'user.disable')")
[ "$n" -ge 5 ] || fail "expected at least 5 audited user changes, found $n"
pass "the changes are audited and the chain verifies"

echo "user_cli: all passed ($(is_pg && echo postgresql || echo sqlite))"
