#!/bin/sh
# script_mistakes.sh — issue 17, item 5: a script's mistakes are errors.
# Reading a field that is neither a column of the standard, a column the
# script lists in `columns` nor a handle method raises "unknown field" with
# the closest name (the household gets SCRIPT_ERROR; `tuopin test` shows
# it); an unknown key in the script's table is refused at load with "did
# you mean"; `tuopin test` reports a script that will not load once, names
# a missing script (not its cases file), and names every unknown field of
# a case.  Before: hh.incom_pc read nil (exit 0, the rule silently never
# fired), `colums =` was ignored, and `tuopin test` printed the load error
# once per case and blamed nonexist_test.lua for a missing nonexist.lua.
. "$abs_top_srcdir/tests/e2e/lib.sh"

# Four households without the optional columns declared_income_pc,
# satisfied and school_status: income 3000 a head (below 4000) for H1, H2.
{
    echo "household_id,region_code,status,wage_income,person_id,relation,village_note"
    echo "H1,530102001001,poor,3000,530102198005120111,head,"
    echo "H2,530102001001,poor,3000,530102198005120112,head,"
    echo "H3,530102001001,poor,9000,530102198005120113,head,因病"
    echo "H4,530102001001,poor,9000,530102198005120114,head,"
} >"$tmp/in.csv"

# pipeline NAME: identity, then the script NAME.lua
pipeline() {
    printf 'quarter "2020Q3"\ninput { path = "in.csv" }\nstage "identity"\nstage { script = "%s.lua" }\noutput { dir = "out" }\n' \
        "$1" >"$tmp/p_$1.lua"
}

# 1. A misspelt field is a SCRIPT_ERROR naming it and the field meant.
cat >"$tmp/typo.lua" <<'LUA'
return { name = "typo", check = function(hh, params)
  if hh.incom_pc and hh.incom_pc < 4000 then hh:fail("PROVINCE_LOW") end
end }
LUA
pipeline typo
"$TUOPIN" --lang en run "$tmp/p_typo.lua" --out "$tmp/o1" --quiet --keep-going 2>"$tmp/e1"
[ $? -eq 0 ] || fail "typo (--keep-going): exit $?: $(head -c 300 "$tmp/e1")"
n=$(grep -c "^H[1-4],typo,fail,SCRIPT_ERROR,,typo.lua:2: unknown field 'incom_pc' (did you mean 'income_pc'?)" "$tmp/o1/findings.csv")
[ "$n" = 4 ] || fail "typo: $n of 4 households have the SCRIPT_ERROR naming incom_pc and income_pc: $(grep typo "$tmp/o1/findings.csv" | head -2)"
grep -q PROVINCE_LOW "$tmp/o1/findings.csv" && fail "typo: a rule fired on a misspelt field"

# the same in Chinese
"$TUOPIN" --lang zh run "$tmp/p_typo.lua" --out "$tmp/o1zh" --quiet --keep-going 2>"$tmp/e1zh"
grep -q "typo.lua:2: 未知字段 'incom_pc'（是否应为 'income_pc'？）" "$tmp/o1zh/findings.csv" \
    || fail "typo (zh): $(grep typo "$tmp/o1zh/findings.csv" | head -1)"

# a member field, and an input column the script does not list
cat >"$tmp/mtypo.lua" <<'LUA'
return { name = "mtypo", check = function(hh, params)
  for i, m in hh:members() do
    if m.village_note then hh:warn("NOTE", m.village_note, i) end
  end
end }
LUA
pipeline mtypo
"$TUOPIN" --lang en run "$tmp/p_mtypo.lua" --out "$tmp/o2" --quiet --keep-going 2>"$tmp/e2" \
    || fail "mtypo: exit $?: $(head -c 300 "$tmp/e2")"
n=$(grep -c "SCRIPT_ERROR,,\"\{0,1\}mtypo.lua:3: unknown field 'village_note': the input has this column, but the script does not list it in columns" "$tmp/o2/findings.csv")
[ "$n" = 4 ] || fail "undeclared column: $n of 4: $(grep mtypo "$tmp/o2/findings.csv" | head -1)"
cat >"$tmp/mtypo2.lua" <<'LUA'
return { name = "mtypo2", columns = { "village_note" }, check = function(hh, params)
  for i, m in hh:members() do
    if m.vilage_note then hh:warn("NOTE", m.village_note, i) end
  end
end }
LUA
pipeline mtypo2
"$TUOPIN" --lang en run "$tmp/p_mtypo2.lua" --out "$tmp/o3" --quiet --keep-going 2>"$tmp/e3" \
    || fail "mtypo2: exit $?: $(head -c 300 "$tmp/e3")"
n=$(grep -c "SCRIPT_ERROR,,mtypo2.lua:3: unknown field 'vilage_note' (did you mean 'village_note'?)" "$tmp/o3/findings.csv")
[ "$n" = 4 ] || fail "member typo: $n of 4: $(grep mtypo2 "$tmp/o3/findings.csv" | head -1)"

# 2. Known columns read nil when this input lacks them (no error), in any
# case and by their Chinese names; the methods and computed fields work.
cat >"$tmp/known.lua" <<'LUA'
return { name = "known", check = function(hh, params)
  local ok = hh.declared_income_pc == nil and hh.SATISFIED == nil and hh["饮水安全"] == nil
  for _, m in hh:members() do ok = ok and m.school_status == nil and m.relation == "head" end
  ok = ok and hh.size == 1 and hh.income_pc ~= nil and hh.status == "poor"
  if ok then hh:warn("KNOWN_NIL") end
end }
LUA
pipeline known
"$TUOPIN" --lang en run "$tmp/p_known.lua" --out "$tmp/o5" --quiet 2>"$tmp/e5" || fail "known: exit $?: $(head -c 300 "$tmp/e5")"
n=$(grep -c "^H[1-4],known,warn,KNOWN_NIL," "$tmp/o5/findings.csv")
[ "$n" = 4 ] || fail "known columns absent from the input: $n of 4 households read them as nil: $(grep known "$tmp/o5/findings.csv" | head -2)"

# 3. Unknown keys of the script's table are refused at load, each named.
printf 'return { name = "keys", colums = { "village_note" }, paramz = { x = 1 }, check = function(hh) end }\n' >"$tmp/keys.lua"
pipeline keys
"$TUOPIN" --lang en run "$tmp/p_keys.lua" --out "$tmp/o6" --quiet 2>"$tmp/e6"
st=$?
[ $st -ne 0 ] || fail "a script table with colums and paramz was accepted"
grep -q "keys.lua: unknown key in the script's table: 'colums' (did you mean 'columns'?), 'paramz' (did you mean 'params'?)" "$tmp/e6" \
    || fail "keys: $(head -c 400 "$tmp/e6")"
[ -e "$tmp/o6/households.csv" ] && fail "keys: outputs written"
"$TUOPIN" --lang zh run "$tmp/p_keys.lua" --out "$tmp/o6" --quiet 2>"$tmp/e6zh"
grep -q "脚本返回的表中有未知的键：'colums'（是否应为 'columns'？）、'paramz'（是否应为 'params'？）" "$tmp/e6zh" \
    || fail "keys (zh): $(head -c 400 "$tmp/e6zh")"

# 4. tuopin test
cat >"$tmp/typo_test.lua" <<'LUA'
local function hh(w) return { wage_income = w, members = { { relation = "户主" } } } end
return {
  { name = "low", household = hh(3000), expect = { fails = { "PROVINCE_LOW" } } },
  { name = "high", household = hh(9000) },
}
LUA
"$TUOPIN" --lang en test "$tmp/typo.lua" >"$tmp/t1" 2>&1
[ $? -eq 1 ] || fail "tuopin test typo.lua: exit not 1"
grep -q "FAIL  low: .*unknown field 'incom_pc' (did you mean 'income_pc'?)" "$tmp/t1" || fail "tuopin test does not report the misspelt field: $(cat "$tmp/t1")"

cp "$tmp/typo_test.lua" "$tmp/keys_test.lua"
"$TUOPIN" --lang en test "$tmp/keys.lua" >"$tmp/t2" 2>&1
[ $? -eq 1 ] || fail "tuopin test keys.lua: exit not 1"
n=$(grep -c "colums" "$tmp/t2")
[ "$n" = 1 ] || fail "tuopin test: a script that will not load is reported $n times, not once: $(cat "$tmp/t2")"
grep -q "FAIL" "$tmp/t2" && fail "tuopin test: a script that will not load is reported per case: $(cat "$tmp/t2")"

"$TUOPIN" --lang en test "$tmp/nonexist.lua" >"$tmp/t3" 2>&1
[ $? -eq 1 ] || fail "tuopin test nonexist.lua: exit not 1"
grep -q "cannot open $tmp/nonexist.lua" "$tmp/t3" || fail "tuopin test nonexist.lua: does not name the script: $(cat "$tmp/t3")"
grep -q "nonexist_test" "$tmp/t3" && fail "tuopin test nonexist.lua names the cases file: $(cat "$tmp/t3")"

printf 'return { name = "ok", check = function(hh) end }\n' >"$tmp/ok.lua"
printf 'return { { name = "two", houshold = {}, expected = {} } }\n' >"$tmp/ok_test.lua"
"$TUOPIN" --lang en test "$tmp/ok.lua" >"$tmp/t4" 2>&1
grep -q "FAIL  two: bad case: unknown fields 'expected' (did you mean 'expect'?), 'houshold' (did you mean 'household'?)" "$tmp/t4" \
    || fail "a case with two unknown fields: $(cat "$tmp/t4")"
finish
