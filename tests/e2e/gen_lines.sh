#!/bin/sh
# gen_lines.sh — a generated quarter whose year has no national line in the
# table (data/national-lines.csv ends at 2020) is one a run refuses without an
# income_line: `tuopin gen` says so and how to give the line, and the run
# given that line goes through (issue 17 item 11).
. "$abs_top_srcdir/tests/e2e/lib.sh"

"$TUOPIN" gen --households 40 --quarters 2 --out "$tmp/q" >/dev/null 2>"$tmp/gen.err" || fail "gen --quarters 2"
[ -f "$tmp/q-2021Q1.csv" ] || fail "gen --quarters 2 wrote no 2021Q1"
grep -q 'no value for 2021; run 2021Q1 with its line given: params { income_line = 4000.00 } in the pipeline or --param income_line=4000.00' "$tmp/gen.err" \
    || fail "gen does not say how to set 2021's line: $(cat "$tmp/gen.err")"
grep -q 2020Q4 "$tmp/gen.err" && fail "gen notes 2020Q4, which the table covers"
# a quarter the table covers: no note
"$TUOPIN" gen --households 5 --quarter 2020Q4 --out "$tmp/one.csv" 2>"$tmp/one.err" || fail "gen 2020Q4"
[ -s "$tmp/one.err" ] && fail "gen 2020Q4 printed: $(cat "$tmp/one.err")"

# the pipeline without a line: refused for 2021Q1; with the line gen names, it runs
grep -v income_line "$abs_top_srcdir/examples/national.lua" >"$tmp/p.lua"
"$TUOPIN" run "$tmp/p.lua" --input "$tmp/q-2021Q1.csv" --quarter 2021Q1 --out "$tmp/o1" --quiet 2>"$tmp/run1.err" \
    && fail "a 2021 quarter without income_line ran"
grep -q 'has no value for 2021' "$tmp/run1.err" || fail "run: $(cat "$tmp/run1.err")"
"$TUOPIN" run "$tmp/p.lua" --input "$tmp/q-2021Q1.csv" --quarter 2021Q1 --out "$tmp/o2" --quiet \
    --param income_line=4000.00 || fail "the line gen names is refused"
[ -f "$tmp/o2/households.csv" ] || fail "no households.csv"
finish
