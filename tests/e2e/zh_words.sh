#!/bin/sh
# zh_words.sh — the Chinese outputs hold no untranslated English (issue 17
# item 7): report.html and compare.html in their Chinese view, the terminal
# lines of run, compare and history, and the errors of a set of bad
# invocations (wrong parameter types, a lowered line, a missing column, a
# script Lua itself stops).  tests/e2e/zh_words.py says what is allowed:
# codes, parameter names, file names, options, digests, a few proper names.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
EX="$abs_top_srcdir/examples"
NAT="$EX/national.lua"
Z="$TUOPIN --lang zh"

$Z run "$NAT" --input "$EX/quarter-2020Q3.csv" --out "$tmp/q3" 2>"$tmp/run.err" || fail "run 2020Q3 failed"
$Z run "$NAT" --input "$EX/quarter-2020Q4.csv" --quarter 2020Q4 --out "$tmp/q4" 2>>"$tmp/run.err" \
    || fail "run 2020Q4 failed"
$Z compare "$tmp/q3" "$tmp/q4" --out "$tmp/cmp" 2>"$tmp/compare.err" || fail "compare failed"
$Z history add "$tmp/q3" --history "$tmp/h.sqlite" 2>"$tmp/history.err" || fail "history add failed"
$Z history add "$tmp/q4" --history "$tmp/h.sqlite" 2>>"$tmp/history.err" || fail "history add failed"
$Z compare 2020Q3 2020Q4 --history "$tmp/h.sqlite" --out "$tmp/cmph" 2>>"$tmp/compare.err" \
    || fail "compare from the history failed"

# errors of bad invocations, one line each
: >"$tmp/errors.err"
bad() { $Z "$@" >/dev/null 2>>"$tmp/errors.err" && fail "tuopin $* succeeded"; }
bad run "$NAT" --out "$tmp/x" --param income_line=4600.555
bad run "$NAT" --out "$tmp/x" --param school_age_min=1.5
bad run "$NAT" --out "$tmp/x" --param near_line_margin=0.1234567
bad run "$NAT" --out "$tmp/x" --param income_line=3000
bad run "$NAT" --out "$tmp/x" --param missed_max=0.05
cut -d, -f1-3,16- "$EX/quarter.csv" >"$tmp/nocol.csv"
bad run "$NAT" --input "$tmp/nocol.csv" --out "$tmp/x"
cat >"$tmp/badload.lua" <<'LUA'
return { name = "bad-load", check = function(hh, p) end } + 1
LUA
cat >"$tmp/badrun.lua" <<'LUA'
return { name = "bad-run", check = function(hh, p) local t = nil; return t.x end }
LUA
for s in badload badrun; do
    { sed -n '/^stage/p' "$NAT"; echo "stage { script = \"$tmp/$s.lua\" }"; } >"$tmp/p_$s.lua"
done
bad run "$tmp/p_badload.lua" --quarter 2020Q3 --input "$EX/quarter.csv" --out "$tmp/x"
$Z run "$tmp/p_badrun.lua" --quarter 2020Q3 --input "$EX/quarter.csv" --out "$tmp/br" --quiet --keep-going \
    || fail "the run with a failing script failed"
grep ',SCRIPT_ERROR,' "$tmp/br/findings.csv" | head -1 | cut -d, -f6- >"$tmp/script_error.txt"
grep -q 'Lua 错误' "$tmp/script_error.txt" || fail "SCRIPT_ERROR of Lua itself has no Chinese framing: $(cat "$tmp/script_error.txt")"
[ "$(wc -l <"$tmp/errors.err")" -eq 7 ] || fail "expected 7 error lines: $(cat "$tmp/errors.err")"

# the quarters' sources in compare.html: "FILE (history)" was English only
grep -q 'h\.sqlite (history)' "$tmp/cmph/compare.html" && fail "compare.html names the history in English only"
grep -q 'h\.sqlite<span class="zh">（历史库）</span>' "$tmp/cmph/compare.html" || fail "compare.html: no 历史库 beside the history"

python3 "$E2E/zh_words.py" "$tmp/q3/report.html" "$tmp/cmp/compare.html" "$tmp/cmph/compare.html" \
    "$tmp/run.err" "$tmp/compare.err" "$tmp/history.err" "$tmp/errors.err" "$tmp/script_error.txt" \
    || fail "untranslated English in the Chinese outputs (lines above)"
finish
