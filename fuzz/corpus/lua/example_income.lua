-- example_income.lua — 示例省定规则：提高收入标准，并增加稳定就业条件。
-- An example provincial rule: a higher income line and a stable-employment
-- condition read from the extra column stable_job (是/否).
--
-- 省份可以提高标准、增加条件，不能降低国家标准：本脚本只增加发现项。
-- Provinces may raise lines and add conditions, never lower the national
-- standard: this script only adds findings.
return {
  name = "example-income",
  version = "1",
  description = "省定收入标准与稳定就业 / provincial income line and stable employment",

  params = {
    income_line = 4600,        -- 元/人/年（浙江口径）/ yuan per person per year (Zhejiang's line)
    working_age_min = 16,      -- 劳动年龄 / working age, in whole years
    working_age_max = 59,
    require_stable_job = true, -- 有劳动年龄成员的户须至少一人稳定就业
  },

  columns = { "stable_job" },  -- 是否稳定就业：是/否 (yes/no also accepted)

  check = function(hh, params)
    -- 1. 收入：income_pc 为 nil 时国家 income 环节已判 BAD_VALUE，这里不重复。
    --    income_pc is nil when an income component is bad: the national
    --    income stage has already failed the household with BAD_VALUE.
    local pc = hh.income_pc
    if pc ~= nil and pc < params.income_line then
      hh:fail("PROVINCE_INCOME_BELOW_LINE",
              string.format("人均纯收入 %.2f 元，低于省定标准 %s 元 / per-capita net income "
                            .. "%.2f yuan is below the provincial line of %s yuan",
                            pc, params.income_line, pc, params.income_line))
    end

    -- 2. 稳定就业：劳动年龄成员中至少一人稳定就业。空白不算就业（缺失数据不能通过检查）。
    --    Stable employment: at least one working-age member in a stable job.
    --    A blank answer never passes.
    if not params.require_stable_job then return end
    local working, stable = 0, 0
    for i, m in hh:members() do
      local age = m.age
      if age and age >= params.working_age_min and age <= params.working_age_max then
        working = working + 1
        local job = m.stable_job
        if job == "是" or job == "yes" then
          stable = stable + 1
        elseif job == nil then
          hh:warn("STABLE_JOB_MISSING", "劳动年龄成员未填写是否稳定就业 / stable_job is blank", i)
        elseif job ~= "否" and job ~= "no" then
          hh:warn("STABLE_JOB_BAD_VALUE", "稳定就业应填是或否，而不是“" .. job .. "” / stable_job is not 是 or 否", i)
        end
      end
    end
    if working > 0 and stable == 0 then
      hh:fail("PROVINCE_NO_STABLE_JOB",
              string.format("%d 名劳动年龄成员均无稳定就业 / none of the %d working-age members has a stable job",
                            working, working))
    end
  end,
}
