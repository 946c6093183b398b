-- example_income_test.lua — cases for example_income.lua:
--   tuopin test scripts/provinces/example_income.lua
-- 每个用例：一户数据（户级字段 + members 成员列表）、可选参数、期望的发现项。
-- Each case: one household (household columns + a members list), optional
-- params, and the findings the script must give (fails / warns: the exact
-- set of codes; none when left out).

-- A household of three whose net income is `net` yuan; member 2 works.
local function family(net, jobs)
  return {
    household_id = "ZJ-0001", region_code = "330102001001", status = "poor",
    wage_income = net, operating_income = 0, operating_cost = 0,
    property_income = 0, transfer_income = 0,
    members = {
      { person_id = "330102196001010019", relation = "户主", birth_date = "1960-01-01",
        stable_job = jobs[1] },
      { person_id = "330102198505050021", relation = "spouse", birth_date = "1985-05-05",
        stable_job = jobs[2] },
      { person_id = "330102201209090031", relation = "child", birth_date = "2012-09-09",
        school_status = "小学" },
    },
  }
end

return {
  {
    name = "income above the provincial line and a stable job passes",
    household = family(15000, { "否", "是" }),          -- 5000 per person
  },
  {
    name = "exactly at the provincial line passes",
    household = family(13800, { "否", "是" }),          -- 4600.00 per person
  },
  {
    name = "one cent per household below the line fails",
    household = family("13799.99", { "否", "是" }),
    expect = { fails = { "PROVINCE_INCOME_BELOW_LINE" } },
  },
  {
    name = "above the national line but below the provincial line fails",
    quarter = "2020Q4",
    household = family(12600, { "否", "是" }),          -- 4200 per person
    expect = { fails = { "PROVINCE_INCOME_BELOW_LINE" } },
  },
  {
    name = "the pipeline can raise the line further",
    params = { income_line = 5200 },
    household = family(15000, { "否", "是" }),
    expect = { fails = { "PROVINCE_INCOME_BELOW_LINE" } },
  },
  {
    name = "a bad income component is left to the national income stage",
    household = (function()
      local h = family(15000, { "否", "是" })
      h.property_income = "12,000"
      return h
    end)(),
  },
  {
    name = "no working-age member in a stable job fails",
    household = family(15000, { "否", "否" }),
    expect = { fails = { "PROVINCE_NO_STABLE_JOB" } },
  },
  {
    name = "a blank answer never passes and is flagged on the member",
    household = family(15000, { "否", nil }),
    expect = {
      findings = {
        { "warn", "STABLE_JOB_MISSING", 2 },
        { "fail", "PROVINCE_NO_STABLE_JOB" },
      },
      fails = { "PROVINCE_NO_STABLE_JOB" }, warns = { "STABLE_JOB_MISSING" },
    },
  },
  {
    name = "an answer that is not 是 or 否 is flagged and does not count as a job",
    household = family(15000, { "是", "有时" }),     -- member 1 is 60: not working age
    expect = { fails = { "PROVINCE_NO_STABLE_JOB" }, warns = { "STABLE_JOB_BAD_VALUE" } },
  },
  {
    name = "a household of elderly members and children has no working-age member",
    household = {
      status = "exited", wage_income = 0, transfer_income = 9600,
      members = {
        { relation = "head", birth_date = "1950-03-01" },
        { relation = "grandchild", birth_date = "2010-06-01", school_status = "初中" },
      },
    },
  },
  {
    name = "the condition can be switched off",
    params = { require_stable_job = false },
    household = family(15000, { "否", "否" }),
  },
  {
    name = "age comes from the resident ID when birth_date is blank",
    -- 330102200401010017 is a valid ID born 2004-01-01: 16 at 2020-12-31.
    household = {
      wage_income = 20000,
      members = {
        { relation = "head", birth_date = "1940-01-01" },
        { person_id = "330102200401010017", relation = "grandson", stable_job = "否" },
      },
    },
    expect = { fails = { "PROVINCE_NO_STABLE_JOB" } },
  },
}
