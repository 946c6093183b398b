#!/bin/sh
# examples_quarter.sh — the standard's worked example quarter.csv (clean
# structure, every kind of value fault and boundary, BOM, shuffled columns,
# extra columns, quoted line breaks) through the national pipeline, against
# the standard's own outputs (tests/e2e/examples/expected-quarter).  fails
# and warnings are compared as sets, as the examples' README says; rejects on
# line,household_id,code.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$EXAMPLES/national.lua" --input "$EXAMPLES/quarter.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXAMPLES/expected-quarter"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"
finish
