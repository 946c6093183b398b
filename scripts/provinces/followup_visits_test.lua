-- followup_visits_test.lua — cases for followup_visits.lua:
--   tuopin test scripts/provinces/followup_visits.lua

-- A household of `status` with a net income of `net` yuan for two adults.
local function household(status, net)
  return {
    household_id = "FV-1", region_code = "510104002003", status = status,
    wage_income = net,
    members = {
      { relation = "head", birth_date = "1975-04-01" },
      { relation = "spouse", birth_date = "1978-08-15" },
    },
  }
end

return {
  {
    name = "an exited household well above the monitoring line gets nothing",
    household = household("exited", 20000),          -- 10000 per person
  },
  {
    name = "an exited household below the monitoring line is unstable",
    household = household("exited", 11000),          -- 5500 per person
    expect = { warns = { "MONITOR_UNSTABLE_EXITED" } },
  },
  {
    name = "exactly at the monitoring line is not flagged",
    household = household("exited", 12000),          -- 6000.00 per person
  },
  {
    name = "a general household below the monitoring line is at the edge",
    household = household("一般户", 11000),
    expect = { warns = { "MONITOR_EDGE" } },
  },
  {
    name = "a poor household is not a monitoring case",
    household = household("poor", 3000),
  },
  {
    name = "the monitoring line is a parameter",
    params = { monitor_line = "5000" },               -- text, as from --param
    household = household("exited", 11000),
  },
  {
    name = "gaps found by the national stages call for a visit",
    household = household("poor", 20000),
    has = { "HOUSING_UNSAFE", "WATER_UNSAFE" },
    expect = { warns = { "VISIT_GUARANTEE_GAP" } },
  },
  {
    name = "other earlier codes do not",
    household = household("poor", 20000),
    has = { "INCOME_MISMATCH" },
  },
  {
    name = "a household of an elderly couple has no labour",
    household = {
      status = "exited", transfer_income = 14000,
      members = {
        { relation = "head", birth_date = "1948-01-01" },
        { relation = "spouse", birth_date = "1950-02-02" },
      },
    },
    expect = { warns = { "VISIT_NO_LABOUR" } },
  },
  {
    name = "an unknown age is not taken for no labour",
    household = {
      status = "exited", transfer_income = 14000,
      members = {
        { relation = "head", birth_date = "1948-01-01" },
        { relation = "spouse", birth_date = "" },
      },
    },
  },
  {
    name = "a keyword in the note flags the member's row",
    household = (function()
      local h = household("poor", 20000)
      h.members[2].village_note = "因病致贫，需复查"
      return h
    end)(),
    expect = { findings = { { "warn", "VISIT_NOTE", 2 } }, warns = { "VISIT_NOTE" } },
  },
  {
    name = "warnings only: never a fail",
    household = {
      status = "general", wage_income = 1000,
      members = {
        { relation = "head", birth_date = "1940-01-01", village_note = "突发重病" },
      },
    },
    has = { "MEDICAL_UNINSURED" },
    expect = {
      fails = {},
      warns = { "MONITOR_EDGE", "VISIT_GUARANTEE_GAP", "VISIT_NO_LABOUR", "VISIT_NOTE" },
    },
  },
}
