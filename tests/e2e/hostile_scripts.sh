#!/bin/sh
# hostile_scripts.sh — issue 18, items 1 and 2: a rule script, a pipeline
# file or a mapping file can exhaust neither memory nor CPU.  Each hostile
# script of the issue runs on 4 households after `identity` and must finish
# within 30 s of CPU (user + system) with a peak resident size under 1 GiB,
# every household ending in SCRIPT_ERROR that names the limit it met (the
# instruction budget, the CPU-time budget, or the findings' byte cap).
# Before the fix: findings of 1990 bytes × 10,000 reached 4 GB for 100
# households; a 1 MB code 10,000 times asked for 10 GB; each of the others
# ran for minutes to hours per household.
. "$abs_top_srcdir/tests/e2e/lib.sh"

[ -x /usr/bin/time ] || { echo "SKIP: GNU time (/usr/bin/time) is needed" >&2; exit 77; }
command -v timeout >/dev/null 2>&1 || { echo "SKIP: timeout is needed" >&2; exit 77; }

{
    echo "household_id,region_code,status,person_id,relation"
    for i in 1 2 3 4; do echo "H$i,530102001001,poor,53010219800512011$i,head"; done
} >"$tmp/in.csv"

# measured CMD...: runs CMD (at most 120 s of wall time on a loaded
# machine), sets $status, $cpu (whole seconds, user + system) and $kb (peak RSS)
measured() {
    /usr/bin/time -f '%U %S %M' -o "$tmp/time" timeout ${HOSTILE_TIMEOUT:-120} "$@" >/dev/null 2>"$tmp/stderr"
    status=$?
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$tmp/time" 2>/dev/null)
    kb=$(awk '{ print $3 }' "$tmp/time" 2>/dev/null)
    [ -n "$cpu" ] || cpu=999
    [ -n "$kb" ] || kb=99999999
}

# hostile NAME LIMIT BODY: the script `check = function(hh) BODY end`
hostile() {
    name=$1 want=$2 body=$3
    printf 'return { name = "hostile", check = function(hh)\n%s\nend }\n' "$body" >"$tmp/$name.lua"
    printf 'quarter "2020Q3"\ninput { path = "in.csv" }\nstage "identity"\nstage { script = "%s.lua" }\noutput { dir = "out" }\n' \
        "$name" >"$tmp/p_$name.lua"
    measured "$TUOPIN" --lang en run "$tmp/p_$name.lua" --out "$tmp/out_$name" --quiet
    if [ "$status" -ne 0 ]; then
        fail "$name: exit $status (124: still running after 120 s): $(head -c 300 "$tmp/stderr")"
        return
    fi
    [ "$cpu" -lt 30 ] || fail "$name: $cpu s of CPU for 4 households (limit 30)"
    [ "$kb" -lt 1048576 ] || fail "$name: peak RSS $kb KiB (limit 1 GiB)"
    n=$(grep -c "^H[1-4],hostile,fail,SCRIPT_ERROR,,\"\{0,1\}$name.lua:[0-9]*: .*$want" "$tmp/out_$name/findings.csv")
    [ "$n" -eq 4 ] || fail "$name: $n of 4 households have a SCRIPT_ERROR naming '$want': $(grep SCRIPT_ERROR "$tmp/out_$name/findings.csv" | head -1 | cut -c1-200)"
}

BUDGET='budget exceeded'
# 18.1: memory through findings
hostile warnbig 'findings of one household pass 65536 bytes: 32 kept' \
    'for i = 1, 10000 do hh:warn("W", ("x"):rep(1990)) end'
hostile codebig 'a finding code is at most 64 characters' \
    'for i = 1, 10000 do hh:warn(("A"):rep(1e6), "d") end'
# 18.2: work inside one instruction
hostile findlit "$BUDGET" 'local s = ("a"):rep(2e5) local p = ("a"):rep(1e5) .. "%d" for i = 1, 1e6 do s:find(p) end'
hostile findplain "$BUDGET" 'local s = ("a"):rep(2e5) local p = ("a"):rep(1e5) .. "b" for i = 1, 1e6 do s:find(p, 1, true) end'
hostile backref "$BUDGET" 'local s = ("a"):rep(2e6) for i = 1, 1e6 do s:find("^(.*)%1x") end'
hostile compare "$BUDGET" 'local s, t = ("a"):rep(25e6), ("a"):rep(25e6) local n = 0 for i = 1, 1e7 do if s < t then n = n + 1 end end'
hostile equal "$BUDGET" 'local s, t = ("a"):rep(25e6), ("a"):rep(25e6) local n = 0 for i = 1, 1e7 do if s == t .. "" then n = n + 1 end end'
hostile utf8len "$BUDGET" 'local s = ("a"):rep(25e6) for i = 1, 1e7 do utf8.len(s) end'
hostile pack "$BUDGET" 'for i = 1, 1e7 do string.pack("c20000000", "") end'
hostile unpack "$BUDGET" 'local t = {} for i = 1, 900000 do t[i] = i end for i = 1, 1e7 do local x = select("#", table.unpack(t)) end'
hostile sub "$BUDGET" 'local s = ("a"):rep(25e6) for i = 1, 1e7 do local x = s:sub(2) end'
hostile sort "$BUDGET" 'local t = {} for i = 1, 1000 do t[i] = ("a"):rep(40000) .. i end for i = 1, 1e7 do table.sort(t) end'
hostile gsub "$BUDGET" 'local s, r = ("a"):rep(1000), ("b"):rep(20000) for i = 1, 1e7 do local x = s:gsub("a", r) end'
hostile set "$BUDGET" 'local s, p = ("a"):rep(1e6), "[" .. ("b"):rep(1e6) .. "]" for i = 1, 1e7 do s:find(p) end'
hostile tonumber "$BUDGET" 'local s = ("1"):rep(2e7) for i = 1, 1e7 do local x = tonumber(s) end'

# A detail longer than 2000 bytes is cut, and the cut is said.
printf 'return { name = "long", check = function(hh) hh:warn("LONG", ("x"):rep(5000)) end }\n' >"$tmp/long.lua"
printf 'quarter "2020Q3"\ninput { path = "in.csv" }\nstage { script = "long.lua" }\noutput { dir = "out" }\n' >"$tmp/p_long.lua"
"$TUOPIN" --lang en run "$tmp/p_long.lua" --out "$tmp/out_long" --quiet 2>"$tmp/long.err" || fail "long detail: $(cat "$tmp/long.err")"
grep -q '^H1,long,warn,LONG,,x*x \[3096 more bytes cut\]$' "$tmp/out_long/findings.csv" \
    || fail "a 5000-byte detail is not cut with a note: $(grep LONG "$tmp/out_long/findings.csv" | head -1 | cut -c1-40)...$(grep LONG "$tmp/out_long/findings.csv" | head -1 | tail -c 60)"
"$TUOPIN" --lang zh run "$tmp/p_long.lua" --out "$tmp/out_longzh" --quiet 2>"$tmp/long.err" || fail "long detail (zh): $(cat "$tmp/long.err")"
grep -q '^H1,long,warn,LONG,,x*［截去其后 3096 字节］$' "$tmp/out_longzh/findings.csv" || fail "the cut note is not in Chinese"

# Pipeline and mapping files: no string library, but `<` on strings of
# megabytes made by `..`.
LOOP='local s = "a" for i = 1, 22 do s = s .. s end
local t = s .. "" local n = 0
while true do if s < t then n = n + 1 end end'
printf '%s\n' "$LOOP" >"$tmp/pcmp.lua"
measured "$TUOPIN" --lang en run "$tmp/pcmp.lua" --out "$tmp/out_pcmp"
[ "$status" -eq 1 ] || fail "pipeline comparing long strings: exit $status (want 1)"
[ "$cpu" -lt 30 ] || fail "pipeline comparing long strings: $cpu s of CPU"
grep -q 'pcmp.lua:3: CPU time budget exceeded' "$tmp/stderr" || fail "pipeline: $(head -c 300 "$tmp/stderr")"
printf '%s\nreturn {}\n' "$LOOP" >"$tmp/mcmp.lua"
printf 'quarter "2020Q3"\ninput { path = "in.csv", mapping = "mcmp.lua" }\nstage "identity"\noutput { dir = "out" }\n' >"$tmp/p_mcmp.lua"
measured "$TUOPIN" --lang en run "$tmp/p_mcmp.lua" --out "$tmp/out_mcmp"
[ "$status" -eq 1 ] || fail "mapping comparing long strings: exit $status (want 1)"
[ "$cpu" -lt 30 ] || fail "mapping comparing long strings: $cpu s of CPU"
grep -q 'mcmp.lua:3: CPU time budget exceeded' "$tmp/stderr" || fail "mapping: $(head -c 300 "$tmp/stderr")"
finish
