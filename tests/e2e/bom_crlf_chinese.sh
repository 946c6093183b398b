#!/bin/sh
# bom_crlf_chinese.sh — standard §1's input forms end to end: a UTF-8 BOM,
# CRLF line breaks (also inside a quoted field), an empty CRLF line, the
# Chinese header names in a shuffled order with an extra column, Chinese
# status aliases, spaces and tabs around fields.  Expected outputs written
# by hand; statuses come out canonical.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$DATA/income.lua" --input "$DATA/bom_crlf_chinese.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

X="$EXPECTED/bom_crlf_chinese"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare rejects "$X/rejects.csv" "$out/rejects.csv"
finish
