-- roster_rule.lua — a rule script that reads the department rosters
-- (standard §8) through m:roster(kind), as a province writing its own
-- comparison rules would: a member with a vehicle on the assets roster fails
-- an exited household; the medical roster's answer is echoed as warnings, so
-- that rosters.sh can hold them against stage rosters' own findings.
return {
  name = "roster-rule",
  version = "1",
  check = function(hh, params)
    for i, m in hh:members() do
      local a = m:roster("assets")
      if a then
        for _, asset in ipairs(a.assets) do
          hh:warn("P_ASSET_" .. string.upper(asset), "assets roster: " .. asset, i)
          if asset == "vehicle" and hh.status == "exited" then
            hh:fail("P_EXITED_WITH_VEHICLE", "exited, yet the assets roster has a vehicle", i)
          end
        end
      end
      local med = m:roster("medical")
      if med and med.insured == false then hh:warn("P_MEDICAL_NO", "medical roster: insured no", i) end
      local h = m:roster("hukou")
      if h and h.hukou_status ~= "active" and not h.event_date then
        error("a hukou event without a date")
      end
    end
  end,
}
