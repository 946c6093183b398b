#!/bin/sh
# examples_counties.sh — the standard's worked example counties-quarter.csv
# through the national pipeline, against its own outputs
# (examples/expected-counties): households.csv and rejects.csv, and
# counties.csv (standard §5) whole.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$EXAMPLES/national.lua" --input "$EXAMPLES/counties-quarter.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXAMPLES/expected-counties"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"
compare counties "$X/counties.csv" "$out/counties.csv" --exact-header
finish
