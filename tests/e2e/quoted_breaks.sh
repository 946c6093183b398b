#!/bin/sh
# quoted_breaks.sh — quoting end to end: line breaks inside quoted fields
# (an empty line among them), doubled quotes, text after a closing quote in
# the household id and the status, a quote inside an unquoted field, a lone
# CR as text.  The rejected rows come after multi-line records, so their line
# numbers are the physical lines where they start; their raw column keeps
# the record's bytes, line breaks included.  Expected outputs by hand.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$DATA/income.lua" --input "$DATA/quoted_breaks.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXPECTED/quoted_breaks"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"
finish
