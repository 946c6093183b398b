#!/bin/sh
# script_findings.sh — `tuopin test`: a case that gives only expect.findings
# is checked by its findings (docs/scripts.md); fails and warns left out are
# not read as "none" then (issue 17 item 11: the findings-only case was a
# trap that could never pass when the findings held a fail).
. "$abs_top_srcdir/tests/e2e/lib.sh"

cp "$abs_top_srcdir/scripts/provinces/example_income.lua" "$tmp/"
cat >"$tmp/example_income_test.lua" <<'LUA'
local function hh(wage)
  return {
    household_id = "F1", region_code = "330102001001", status = "poor",
    wage_income = wage, operating_income = 0, operating_cost = 0,
    property_income = 0, transfer_income = 0,
    members = { { person_id = "330102198505050021", relation = "户主",
                  birth_date = "1985-05-05", stable_job = "是" } },
  }
end
return {
  { name = "below the line, findings only", household = hh(3000),
    expect = { findings = { { "fail", "PROVINCE_INCOME_BELOW_LINE" } } } },
  { name = "above the line, no findings", household = hh(6000),
    expect = { findings = {} } },
  { name = "findings only, wrong", household = hh(3000),
    expect = { findings = {} } },
}
LUA
"$TUOPIN" --lang en test "$tmp/example_income.lua" >"$tmp/out" 2>&1 && fail "a wrong findings-only case passed"
grep -q '^PASS  below the line, findings only$' "$tmp/out" || fail "findings-only case: $(cat "$tmp/out")"
grep -q '^PASS  above the line, no findings$' "$tmp/out" || fail "empty findings case: $(cat "$tmp/out")"
grep -q '^FAIL  findings only, wrong: expected 0 findings, got 1$' "$tmp/out" || fail "wrong case: $(cat "$tmp/out")"
finish
