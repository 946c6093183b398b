#!/bin/sh
# inputs_postgres.sh — the quarter as a PostgreSQL table read with
# input { postgres = ..., query = ... } gives byte-identical households.csv
# and findings.csv to the canonical UTF-8 CSV.  The test starts its own server
# (Debian postgresql: initdb, pg_ctl) on a private socket directory, as a
# non-root user when run as root, and always stops it; it skips only when the
# server's programs are not installed.  Also: typed columns (boolean, numeric,
# NULL), a query without ORDER BY, a query the server refuses, and that the
# query runs read-only.
. "$abs_top_srcdir/tests/e2e/lib.sh"
. "$abs_top_srcdir/tests/e2e/inputs_lib.sh"
need_python

PGBIN=
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] && PGBIN=$d
done
if [ -z "$PGBIN" ]; then
    echo "SKIP: PostgreSQL server programs (initdb, pg_ctl, psql) not found;" \
         "install them (Debian: apt-get install postgresql) to run this test" >&2
    exit 77
fi

# The server refuses to run as root: use the postgres account (Debian's
# package makes it) or nobody.
as_user=
if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then as_user=postgres; else as_user=nobody; fi
    if command -v runuser >/dev/null 2>&1; then
        run_pg() { runuser -u "$as_user" -- "$@"; }
    elif command -v setpriv >/dev/null 2>&1; then
        run_pg() { setpriv --reuid="$as_user" --regid="$(id -g "$as_user")" --init-groups -- "$@"; }
    else
        echo "SKIP: running as root without runuser or setpriv to start PostgreSQL as another user" >&2
        exit 77
    fi
else
    run_pg() { "$@"; }
fi

pg=$(mktemp -d "${TMPDIR:-/tmp}/tuopin-pg.XXXXXX") || exit 99
chmod 755 "$pg"
[ -n "$as_user" ] && chown "$as_user" "$pg"
port=$((50000 + $$ % 10000))
stop_pg() {
    run_pg "$PGBIN/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$pg" "$tmp"
}
trap stop_pg EXIT

if ! run_pg "$PGBIN/initdb" -D "$pg/data" -A trust -U tuopin -E UTF8 --locale=C --no-sync \
        >"$pg/initdb.log" 2>&1; then
    echo "FAIL: initdb failed:" >&2
    cat "$pg/initdb.log" >&2
    exit 1
fi
# Unix socket only, in the private directory: no port is taken on the host.
if ! run_pg "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
        -o "-k $pg -c listen_addresses= -p $port -c fsync=off" start >/dev/null 2>&1; then
    echo "FAIL: the PostgreSQL server did not start:" >&2
    cat "$pg/server.log" >&2
    exit 1
fi
CONN="host=$pg port=$port user=tuopin dbname=postgres"
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg" -p "$port" -U tuopin -d postgres "$@"; }

baseline

# The quarter's header as the table's columns (all text), a serial for the order.
cols=$(head -1 "$Q")
coldefs=$(printf '%s\n' "$cols" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
psql_ -c "CREATE TABLE quarter (seq bigserial, $coldefs)" || { fail "CREATE TABLE"; finish; }
psql_ -c "\\copy quarter ($cols) FROM '$Q' WITH (FORMAT csv, HEADER true)" || { fail "\\copy"; finish; }

pipeline "$tmp/b.lua" "postgres = \"$CONN\", query = \"SELECT $cols FROM quarter ORDER BY seq\""
run_tuopin "$tmp/b" "$tmp/b.lua" --quiet
[ "$status" -eq 0 ] || { fail "PostgreSQL run: exit status $status"; cat "$tmp/b.stderr" >&2; }
same_households "PostgreSQL table" "$tmp/b"
[ "$(wc -l <"$tmp/b/rejects.csv")" -eq 1 ] || fail "PostgreSQL: rows were rejected"

# Typed columns: numeric money, boolean yes/no, NULL as blank; the line of a
# row is its number + 1.
psql_ <<'SQL' || fail "typed table"
CREATE TABLE typed (household_id text, region_code text, status text, wage_income numeric(12,2),
                    water_safe boolean, person_id text, relation text, member int);
INSERT INTO typed VALUES
  ('T1', '110101001001', 'poor', 4800.5, true, NULL, 'head', 1),
  ('T2', '110101001001', 'exited', 100, false, NULL, 'head', 1),
  ('T2', '110101001001', 'exited', 100, false, NULL, 'child', 2),
  ('T3', '990101001001', 'poor', NULL, NULL, NULL, 'head', 1);
SQL
cat >"$tmp/t.lua" <<PIPE
quarter "2020Q4"
input { postgres = "$CONN", query = "SELECT * FROM typed ORDER BY household_id, member" }
stage "water"
output { dir = "out" }
PIPE
run_tuopin "$tmp/t" "$tmp/t.lua" --quiet
[ "$status" -eq 0 ] || { fail "typed run: exit status $status"; cat "$tmp/t.stderr" >&2; }
grep -q '^T2,water,fail,WATER_UNSAFE,' "$tmp/t/findings.csv" || fail "boolean false is not water_safe = no"
grep -q '^T1,' "$tmp/t/findings.csv" && fail "boolean true is not water_safe = yes"
grep -q '^5,T3,BAD_REGION,' "$tmp/t/rejects.csv" || fail "the row of T3 is not rejected on line 5 (row 4 + 1)"

# Look-alike ids (standard §1): a byte-order mark in P1's second row makes it
# ROW_ENCODING and, read without it, the row stays in P1's block (no second
# "P1"); a control character in P3's id is BAD_HOUSEHOLD_ID.
psql_ <<'SQL' || fail "look-alike table"
CREATE TABLE lookalike (ord int, household_id text, region_code text, status text,
                        water_safe text, relation text);
INSERT INTO lookalike VALUES
  (1, 'P1', '110101001001', 'poor', 'yes', 'head'),
  (2, E'P1\uFEFF', '110101001001', 'poor', 'yes', 'child'),
  (3, 'P2', '110101001001', 'poor', 'yes', 'head'),
  (4, E'P3\x01', '110101001001', 'poor', 'yes', 'head');
SQL
cat >"$tmp/l.lua" <<PIPE
quarter "2020Q4"
input { postgres = "$CONN", query = "SELECT * FROM lookalike ORDER BY ord" }
stage "water"
output { dir = "out" }
PIPE
run_tuopin "$tmp/l" "$tmp/l.lua" --quiet
[ "$status" -eq 0 ] || { fail "look-alike run: exit status $status"; cat "$tmp/l.stderr" >&2; }
printf 'line,household_id,code\n2,P1,HOUSEHOLD_INCOMPLETE\n3,P1,ROW_ENCODING\n5,P3\001,BAD_HOUSEHOLD_ID\n' >"$tmp/l.want"
compare "PostgreSQL look-alike rejects" "$tmp/l.want" "$tmp/l/rejects.csv"
[ "$(cut -d, -f1 "$tmp/l/households.csv" | tail -n +2)" = "P2" ] \
    || fail "PostgreSQL look-alikes: households.csv should hold P2 alone: $(cat "$tmp/l/households.csv")"

# A query without ORDER BY is refused before connecting; a bad query names
# the server's message; the query cannot write.
pipeline "$tmp/n.lua" "postgres = \"$CONN\", query = \"SELECT * FROM quarter\""
expect_fatal "no ORDER BY" "has no ORDER BY" -- run "$tmp/n.lua" --out "$tmp/x2"
pipeline "$tmp/e.lua" "postgres = \"$CONN\", query = \"SELECT * FROM nosuchtable ORDER BY 1\""
expect_fatal "bad query" "nosuchtable" -- run "$tmp/e.lua" --out "$tmp/x3"
pipeline "$tmp/w.lua" "postgres = \"$CONN\", query = \"DELETE FROM quarter RETURNING * ORDER BY 1\""
"$TUOPIN" run "$tmp/w.lua" --out "$tmp/x4" >/dev/null 2>&1
[ "$(psql_ -A -t -c 'SELECT count(*) FROM quarter')" -gt 0 ] || fail "the query could delete rows"
pipeline "$tmp/c.lua" "postgres = \"host=$pg port=1 user=tuopin dbname=postgres\", query = \"SELECT 1 ORDER BY 1\""
expect_fatal "no server" "cannot connect" -- run "$tmp/c.lua" --out "$tmp/x5"
finish
