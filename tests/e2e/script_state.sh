#!/bin/sh
# script_state.sh — issue 18, Low item 9: a rule script keeps no state
# between households, and the sandbox's other loose ends.
#  - its globals (and every table reachable from them) are read-only once
#    it is loaded: a script counting households in a global gets a
#    SCRIPT_ERROR naming the variable on every household, so --jobs 1 and
#    --jobs 2 (and two --jobs 2 runs) give identical outputs, and without
#    --keep-going the run stops naming it (before: the counts, and so the
#    findings, differed with the jobs and from run to run);
#  - rawset(params, "year", 1) is refused (before: it changed the year);
#  - tostring({}) prints "table" and string.format's %p is refused (before:
#    addresses, different every run);
#  - a finding's detail that is not UTF-8 (utf8.char(0x7FFFFFFF)) reaches
#    findings.csv with U+FFFD for each bad byte (before: the raw bytes);
#  - a stage named twice is refused (before: 100 x stage "water" ran 100
#    times with 100 identical columns);
#  - --jobs is at most 64 (the error names the limit).
. "$abs_top_srcdir/tests/e2e/lib.sh"

# 1,200 one-member households: more than two chunks of 512, so that
# --jobs 2 spreads them over two threads.
awk 'BEGIN { print "household_id,region_code,status,wage_income,person_id,relation";
             for (i = 1; i <= 1200; i++) printf "H%04d,530102001001,poor,%d,,head\n", i, 3000 + i }' >"$tmp/in.csv"

# pipeline NAME: the script NAME.lua alone
pipeline() {
    printf 'quarter "2020Q3"\ninput { path = "in.csv" }\nstage { script = "%s.lua" }\noutput { dir = "out" }\n' \
        "$1" >"$tmp/p_$1.lua"
}

# 1. counters in a global and in a table reachable from the globals
cat >"$tmp/count.lua" <<'LUA'
return { name = "count", check = function(hh, params)
  n = (n or 0) + 1
  if n % 2 == 0 then hh:warn("EVEN", tostring(n)) end
end }
LUA
cat >"$tmp/tcount.lua" <<'LUA'
seen = { n = 0 }
return { name = "tcount", check = function(hh, params)
  seen.n = seen.n + 1
  if seen.n % 2 == 0 then hh:warn("EVEN", tostring(seen.n)) end
end }
LUA
for s in count tcount; do
    pipeline $s
    "$TUOPIN" --lang en run "$tmp/p_$s.lua" --out "$tmp/${s}_j1" --jobs 1 --keep-going --quiet 2>"$tmp/e" \
        || fail "$s --jobs 1: exit $?: $(head -c 300 "$tmp/e")"
    for r in a b; do
        "$TUOPIN" --lang en run "$tmp/p_$s.lua" --out "$tmp/${s}_j2$r" --jobs 2 --keep-going --quiet 2>"$tmp/e" \
            || fail "$s --jobs 2: exit $?: $(head -c 300 "$tmp/e")"
        for f in findings.csv households.csv; do
            cmp -s "$tmp/${s}_j1/$f" "$tmp/${s}_j2$r/$f" || fail "$s: $f differs between --jobs 1 and --jobs 2 (run $r)"
        done
    done
    grep -q EVEN "$tmp/${s}_j1/findings.csv" && fail "$s: a count across households reached a finding"
done
n=$(grep -c "^H[0-9]*,count,fail,SCRIPT_ERROR,,count.lua:2: global variable n cannot be set once the script is loaded" "$tmp/count_j1/findings.csv")
[ "$n" = 1200 ] || fail "count: $n of 1200 households have the SCRIPT_ERROR naming the global: $(sed -n 2p "$tmp/count_j1/findings.csv")"
n=$(grep -c "^H[0-9]*,tcount,fail,SCRIPT_ERROR,,\"\{0,1\}tcount.lua:3: this table is read-only once the script is loaded" "$tmp/tcount_j1/findings.csv")
[ "$n" = 1200 ] || fail "tcount: $n of 1200 households have the SCRIPT_ERROR: $(sed -n 2p "$tmp/tcount_j1/findings.csv")"
# without --keep-going the run stops (issue 17.6), naming the global
"$TUOPIN" --lang en run "$tmp/p_count.lua" --out "$tmp/count_stop" 2>"$tmp/e" && fail "count: the run did not stop"
grep -q "global variable n cannot be set once the script is loaded" "$tmp/e" || fail "count: the stop does not name the global: $(head -c 400 "$tmp/e")"
"$TUOPIN" --lang zh run "$tmp/p_count.lua" --out "$tmp/count_stop" 2>"$tmp/e"
grep -q "全局变量 n 在脚本加载后不能再赋值" "$tmp/e" || fail "count (zh): $(head -c 400 "$tmp/e")"

# 2.-4. params, addresses, UTF-8: one household
head -2 "$tmp/in.csv" >"$tmp/one.csv"
one() {
    printf 'return { name = "%s", params = { list = { 1, 2 } }, check = function(hh, params)\n%s\nend }\n' "$1" "$2" >"$tmp/$1.lua"
    printf 'quarter "2020Q3"\ninput { path = "one.csv" }\nstage { script = "%s.lua" }\noutput { dir = "out" }\n' "$1" >"$tmp/p_$1.lua"
    "$TUOPIN" --lang en run "$tmp/p_$1.lua" --out "$tmp/o_$1" --quiet 2>"$tmp/e" || fail "$1: exit $?: $(head -c 300 "$tmp/e")"
    sed -n 2p "$tmp/o_$1/findings.csv"
}
got=$(one rawset 'rawset(params, "year", 1) hh:warn("YEAR", tostring(params.year))')
case $got in
    *"SCRIPT_ERROR,,"*"rawset.lua:2: rawset cannot change a read-only table"*) ;;
    *) fail "rawset(params, 'year', 1): $got" ;;
esac
got=$(one nested 'table.insert(params.list, 3) hh:warn("LIST", tostring(#params.list))')
case $got in
    *"SCRIPT_ERROR,,"*"params are read-only"*) ;;
    *) fail "table.insert(params.list, 3): $got" ;;
esac
got=$(one addr 'hh:warn("ADDR", tostring({}) .. " " .. tostring(print) .. " " .. string.format("%s", {}))')
[ "$got" = "H0001,addr,warn,ADDR,,table function table" ] || fail "tostring({}): $got"
got=$(one pfmt 'hh:warn("ADDR", string.format("%p", {}))')
case $got in
    *"SCRIPT_ERROR,,pfmt.lua:2: string.format: %p is not available in the tuopin sandbox"*) ;;
    *) fail "string.format('%p'): $got" ;;
esac
got=$(one utf 'hh:warn("BAD", "a" .. utf8.char(0x7FFFFFFF) .. "b")')
[ "$got" = "H0001,utf,warn,BAD,,a������b" ] || fail "utf8.char(0x7FFFFFFF): $got"
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$tmp/o_utf/findings.csv" 2>/dev/null \
    || fail "findings.csv is not UTF-8"
got=$(one nextg 'local t = { a = 1 } hh:warn("NEXT", tostring(next(string) ~= nil) .. tostring(rawget(string, "upper") ~= nil) .. rawlen(params.list))')
[ "$got" = "H0001,nextg,warn,NEXT,,truetrue2" ] || fail "next/rawget/rawlen on read-only tables: $got"

# 5. a stage named twice
printf 'household_id,region_code,status,water_safe,person_id,relation\nH1,530102001001,poor,yes,,head\n' >"$tmp/water.csv"
{
    printf 'quarter "2020Q3"\ninput { path = "water.csv" }\nstage "identity"\n'
    i=0
    while [ $i -lt 100 ]; do echo 'stage "water"'; i=$((i + 1)); done
    printf 'output { dir = "out" }\n'
} >"$tmp/p_water.lua"
"$TUOPIN" --lang en run "$tmp/p_water.lua" --out "$tmp/o_water" --quiet 2>"$tmp/e" && fail "100 x stage water was accepted"
grep -q "stage water appears twice in the pipeline (stages 2 and 3)" "$tmp/e" || fail "stage twice: $(head -c 300 "$tmp/e")"
[ -e "$tmp/o_water/households.csv" ] && fail "stage twice: outputs written"
"$TUOPIN" --lang zh run "$tmp/p_water.lua" --out "$tmp/o_water" --quiet 2>"$tmp/e"
grep -q "检查环节 water 在流水线中出现了两次" "$tmp/e" || fail "stage twice (zh): $(head -c 300 "$tmp/e")"
printf 'quarter "2020Q3"\ninput { path = "one.csv" }\nstage { script = "addr.lua" }\nstage { script = "addr.lua" }\noutput { dir = "out" }\n' >"$tmp/p_twice.lua"
"$TUOPIN" --lang en run "$tmp/p_twice.lua" --out "$tmp/o_twice" --quiet 2>"$tmp/e" && fail "one script twice was accepted"
grep -q "stage addr appears twice" "$tmp/e" || fail "script twice: $(head -c 300 "$tmp/e")"

# 6. --jobs is capped
"$TUOPIN" --lang en run "$tmp/p_addr.lua" --out "$tmp/o_jobs" --jobs 1024 --quiet 2>"$tmp/e"
[ $? -eq 2 ] || fail "--jobs 1024 is not a usage error"
grep -q "1-64" "$tmp/e" || fail "--jobs 1024: the error does not name the limit: $(head -c 300 "$tmp/e")"
finish
