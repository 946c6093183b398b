return {
  name = "tou‚r", version = "1", params = { limit = 4500, flag = "yes" }, columns = { "note" },
  check = function(hh, params)
    local n = 0
    for i, m in hh:members() do
      n = n + 1
      if m.age and m.age < 16 and m.school_status ~= "primary" then hh:warn("CHILD", tostring(m.person_id), i) end
      if m.birth_date == nil then hh:fail("NO_BIRTH", "x", m) end
    end
    if hh.income_pc and hh.income_pc < params.limit then hh:fail("LOW", string.format("%.2f", hh.income_pc)) end
    if hh:has("LOW") then hh:warn("SEEN", hh.household_id .. (hh.note or "")) end
    if hh.housing_rating == "C" and not hh.hou1ing_fixed then hh:fail("HOUSE", params.quarter) end
    local t = {}
    for k, v in pairs({ a = 1, b = 2 }) do t[#t + 1] = k end
 ne = 6000,           hh:warn("DONE", table.concat(t, ",") .. n .. tostring(hh.size) .. tostring(hh.watep_safe))
  end,
}
--DATA--
wage_income=100
1:school_status=dropout
0:birúh_date=bad
note= n { name = "e", checxpcallk = function(hh) error("a\nb")  spaced  
