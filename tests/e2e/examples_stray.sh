#!/bin/sh
# examples_stray.sh — the standard's worked example stray.csv (quarter.csv
# with three quotes typed by mistake into names, standard §1 "Stray quotes")
# through the national pipeline, against the standard's own outputs
# (examples/expected-stray): only the three households with a stray quote
# are rejected, the stray line as ROW_UNTERMINATED_QUOTE and the rest of its
# household as HOUSEHOLD_INCOMPLETE; every other household, and the
# legitimate quoted line breaks, read as in quarter.csv.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$EXAMPLES/national.lua" --input "$EXAMPLES/stray.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXAMPLES/expected-stray"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"

# The closing line counts the file's 286 physical lines beside its records.
grep -q "(286 lines of input)" "$out.stderr" \
    || fail "closing line without the physical line count: $(cat "$out.stderr")"
finish
