#!/bin/sh
# runaway.sh — issue 17, item 6: a rule script that fails on each of its
# first 100 households stops the run (exit 1, one line naming the script and
# its most common error, no outputs), unless --keep-going; an endless loop
# on 16,000 households stops within 30 s.  Before: each household spent
# the whole instruction budget (~33 ms), hours for a province, exit 0.
. "$abs_top_srcdir/tests/e2e/lib.sh"

command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout is needed" >&2; exit 77; }

{
    echo "household_id,region_code,status"
    i=1
    while [ $i -le 16000 ]; do echo "H$i,530102001001,poor"; i=$((i + 1)); done
} >"$tmp/in.csv"
head -151 "$tmp/in.csv" >"$tmp/in150.csv"
printf 'return { name = "loop", check = function(hh) while true do end end }\n' >"$tmp/loop.lua"
printf 'return { name = "nofield", check = function(hh) local t return t.x end }\n' >"$tmp/nofield.lua"
printf 'return { name = "once", check = function(hh) if hh.household_id ~= "H1" then error("boom") end end }\n' >"$tmp/once.lua"
pipe() { printf 'quarter "2020Q3"\ninput { path = "%s" }\nstage { script = "%s" }\noutput { dir = "out" }\n' "$2" "$3" >"$tmp/$1"; }
pipe p_loop.lua in.csv loop.lua
pipe p_loop150.lua in150.csv loop.lua
pipe p_nofield.lua in150.csv nofield.lua
pipe p_once.lua in150.csv once.lua

start=$(date +%s)
timeout 120 "$TUOPIN" --lang en run "$tmp/p_loop.lua" --out "$tmp/out_loop" 2>"$tmp/loop.err"
status=$?
took=$(( $(date +%s) - start ))
[ "$status" -eq 1 ] || fail "endless loop on 16,000 households: exit $status (want 1; 124 = still running after 120 s)"
[ "$took" -le 30 ] || fail "endless loop on 16,000 households: stopped after $took s (want at most 30)"
grep -q "^tuopin: loop: rule script $tmp/loop.lua failed on each of its first 100 households; the run stops (most common error, 100 times: loop.lua:1: instruction budget exceeded" "$tmp/loop.err" \
    || fail "the stop does not name the script and its error: $(head -c 400 "$tmp/loop.err")"
[ ! -e "$tmp/out_loop/households.csv" ] || fail "a stopped run left households.csv"

"$TUOPIN" --lang zh run "$tmp/p_nofield.lua" --out "$tmp/out_nf" 2>"$tmp/nf.err"
[ $? -eq 1 ] || fail "a script failing on every household (zh): not stopped"
grep -q "规则脚本 $tmp/nofield.lua 在前 100 户每户都出错，运行停止（最常见的错误，100 次：" "$tmp/nf.err" || fail "zh stop message: $(head -c 400 "$tmp/nf.err")"

"$TUOPIN" --lang en run "$tmp/p_loop150.lua" --keep-going --out "$tmp/out_kg" --quiet 2>"$tmp/kg.err" \
    || fail "--keep-going: the run stopped: $(head -c 300 "$tmp/kg.err")"
n=$(grep -c ',loop,fail,SCRIPT_ERROR,' "$tmp/out_kg/findings.csv" 2>/dev/null)
[ "$n" = 150 ] || fail "--keep-going: $n SCRIPT_ERROR findings (want 150)"

# one success among the first households: the run goes on
"$TUOPIN" --lang en run "$tmp/p_once.lua" --jobs 1 --out "$tmp/out_once" --quiet 2>"$tmp/once.err" \
    || fail "a script that succeeds on its first household was stopped: $(head -c 300 "$tmp/once.err")"
n=$(grep -c ',once,fail,SCRIPT_ERROR,' "$tmp/out_once/findings.csv" 2>/dev/null)
[ "$n" = 149 ] || fail "once: $n SCRIPT_ERROR findings (want 149)"
finish
