#!/bin/sh
# examples_rosters.sh — the standard's worked example of department rosters
# (standard §8): quarter.csv through the national pipeline plus the five
# rosters of examples/rosters/ and stage rosters (examples/rosters.lua),
# against the standard's own outputs (tests/e2e/examples/expected-rosters):
# households.csv with fails and warnings as sets,
# rosters.csv exactly, roster_rejects.csv on kind,line,code.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$EXAMPLES/rosters.lua" --input "$EXAMPLES/quarter.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXAMPLES/expected-rosters"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rosters "$X/rosters.csv" "$out/rosters.csv" --exact-header
compare roster_rejects "$X/roster_rejects.csv" "$out/roster_rejects.csv"
# the file column names the roster file each reject came from
python3 - "$out/roster_rejects.csv" <<'PY' || fail "roster_rejects.csv: file column"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows and all(r["file"].endswith("rosters/%s.csv" % r["kind"]) for r in rows), rows[:3]
assert all(r["detail"] for r in rows)
PY
finish
