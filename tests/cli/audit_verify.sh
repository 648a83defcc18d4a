#!/bin/sh
# audit_verify.sh - `minsheng audit verify` passes on an intact audit log and
# names the first bad entry when a row was edited, deleted or inserted.
#
#   tests/cli/audit_verify.sh build/minsheng [PG_DSN_FILE]
#
# A fresh database gets a few audited actions from the CLI (user add three
# times, passwd, disable). Then three copies of it are tampered with, as an
# attacker with database access would: the append-only triggers are dropped
# first. On SQLite the copies are `.backup`s of the file; on PostgreSQL they
# are three more databases built the same way.
set -eu
. "$(dirname "$0")/lib.sh"
cli_init "$@"

# Builds the audited history in database $1.
build() {
    "$MS" migrate --db "$1" >/dev/null
    printf 'Audit-alice-pass-1\n' | "$MS" user add alice --role admin --password-stdin --db "$1" >/dev/null
    printf 'Audit-bob-pass-2\n' | "$MS" user add bob --role auditor --password-stdin --db "$1" >/dev/null
    printf 'Audit-carol-pass-3\n' | "$MS" user add carol --role security_admin --password-stdin --db "$1" >/dev/null
    printf 'Audit-bob-pass-4\n' | "$MS" user passwd bob --password-stdin --db "$1" >/dev/null
    "$MS" user disable alice --db "$1" >/dev/null
}

# A copy of the built database, ready to be tampered with.
copy_of() {
    if is_pg; then
        url=$(new_db "$1")
        build "$url"
        echo "$url"
    else
        sqlite3 "$base" ".backup '$TMP/$1.db'"
        echo "$TMP/$1.db"
    fi
}

drop_triggers() {
    if is_pg; then
        sql "$1" "DROP TRIGGER audit_log_append_only ON audit_log"
    else
        sql "$1" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"
    fi
}

# expect_tampered WHAT URL SEQ_PATTERN: verify must fail, naming the seq.
expect_tampered() {
    expect_fail "$1" "$MS" audit verify --db "$2"
    grep -Eq "seq ($3)([^0-9]|\$)" "$TMP/err" ||
        fail "$1: the message does not name seq $3: $(cat "$TMP/err")"
}

base=$(new_db base)
build "$base"

# --- intact ---------------------------------------------------------------------
"$MS" audit verify --db "$base" >"$TMP/out" 2>"$TMP/err" ||
    fail "verify of an intact log failed: $(cat "$TMP/err")"
grep -q "intact" "$TMP/out" || fail "verify said: $(cat "$TMP/out")"
last=$(sql "$base" "SELECT max(seq) FROM audit_log")
count=$(sql "$base" "SELECT count(*) FROM audit_log")
[ "$last" -ge 5 ] || fail "expected at least 5 audit entries, found $last"
[ "$count" = "$last" ] || fail "seq has gaps: $count rows, last seq $last"
for action in user.add user.passwd user.disable; do
    n=$(sql "$base" "SELECT count(*) FROM audit_log WHERE action = '$action'")
    [ "$n" -ge 1 ] || fail "no '$action' entry in the audit log"
done
pass "an intact log of $last entries verifies"

# --- the triggers refuse changes --------------------------------------------------
if sql "$base" "UPDATE audit_log SET action = 'x' WHERE seq = 1" >/dev/null 2>&1; then
    fail "UPDATE of audit_log succeeded with the triggers in place"
fi
if sql "$base" "DELETE FROM audit_log WHERE seq = 1" >/dev/null 2>&1; then
    fail "DELETE from audit_log succeeded with the triggers in place"
fi
"$MS" audit verify --db "$base" >/dev/null 2>&1 || fail "verify failed after refused changes"
pass "the append-only triggers refuse UPDATE and DELETE"

# --- an edited row ------------------------------------------------------------------
edited=$(copy_of edited)
drop_triggers "$edited"
sql "$edited" "UPDATE audit_log SET action = 'user.enable' WHERE seq = 2"
expect_tampered "an edited action (seq 2)" "$edited" 2

# A change that keeps the text's length, in another column.
edited2=$(copy_of edited2)
drop_triggers "$edited2"
sql "$edited2" "UPDATE audit_log SET actor = 'cli:xxxx' WHERE seq = 3"
expect_tampered "an edited actor (seq 3)" "$edited2" 3

# --- a deleted row --------------------------------------------------------------------
deleted=$(copy_of deleted)
drop_triggers "$deleted"
sql "$deleted" "DELETE FROM audit_log WHERE seq = 3"
expect_tampered "a deleted middle row (seq 3)" "$deleted" "3|4"

# The last row: the chain head still remembers it.
deleted_last=$(copy_of deleted_last)
drop_triggers "$deleted_last"
last_db=$(sql "$deleted_last" "SELECT max(seq) FROM audit_log")
sql "$deleted_last" "DELETE FROM audit_log WHERE seq = $last_db"
expect_tampered "a deleted last row (seq $last_db)" "$deleted_last" "$last_db|$((last_db - 1))"

# --- an inserted row ------------------------------------------------------------------
# seq is the primary key, so a forged row goes after the end, chained to the
# real last entry and carrying a copy of its hash.
inserted=$(copy_of inserted)
last_db=$(sql "$inserted" "SELECT max(seq) FROM audit_log")
sql "$inserted" "INSERT INTO audit_log (seq, ts, actor_user_id, actor, actor_role, ip,
    request_id, action, object_type, object_id, subject, purpose, result, detail, prev_hash,
    hash)
    SELECT seq + 1, ts, actor_user_id, 'cli:mallory', actor_role, ip, request_id, 'user.add',
    object_type, 'mallory', subject, purpose, result, detail, hash, hash
    FROM audit_log WHERE seq = $last_db"
expect_tampered "a forged row after the end (seq $((last_db + 1)))" "$inserted" "$((last_db + 1))"

echo "audit_verify: all passed ($(is_pg && echo postgresql || echo sqlite))"
