#!/bin/sh
# examples_faulty.sh — the standard's worked example faulty.csv (structural
# faults, rejects with line numbers) through the national pipeline, against
# the standard's own outputs (examples/expected-faulty).
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$EXAMPLES/national.lua" --input "$EXAMPLES/faulty.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXAMPLES/expected-faulty"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"
finish
