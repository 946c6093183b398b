-- followup_visits.lua — 示例：列出需要入户走访的家庭（只给警告，不影响退出判定）。
-- An example that flags households for follow-up visits.  It gives warnings
-- only, so it never changes whether a household is exit-ready.
--
-- 依据 / grounds:
--   * 防返贫动态监测：人均纯收入低于监测线（约为国家线的 1.5 倍）的脱贫户
--     （脱贫不稳定户）和一般户（边缘易致贫户）;
--     dynamic monitoring: exited households (unstable) and general households
--     (at the edge of poverty) below the monitoring line, about 1.5 × the
--     national line;
--   * 国家环节已发现的“两不愁三保障”短板，需要上门核实整改;
--     gaps the national stages found, to be verified on site;
--   * 无劳动力户（全部成员未满 16 岁或已到老年）;
--     households without a member of working age;
--   * 村干部备注中出现的关键词（如“因病”）。
--     keywords in the village cadre's note.
return {
  name = "followup-visits",
  version = "1",
  description = "走访对象 / households to visit",

  params = {
    monitor_line = 6000,            -- 监测线，元/人/年 / monitoring line, yuan per person per year
    working_age_min = 16,
    elderly_age = 65,
    note_keywords = "因病,因残,突发", -- 逗号分隔 / comma-separated
  },

  columns = { "village_note" },

  check = function(hh, params)
    -- 1. 监测线 / the monitoring line
    local pc = hh.income_pc
    if pc ~= nil and pc < params.monitor_line then
      if hh.status == "exited" then
        hh:warn("MONITOR_UNSTABLE_EXITED",
                string.format("脱贫户人均纯收入 %.2f 元低于监测线 %s 元（脱贫不稳定户）/ "
                              .. "exited household below the monitoring line", pc, params.monitor_line))
      elseif hh.status == "general" then
        hh:warn("MONITOR_EDGE",
                string.format("一般户人均纯收入 %.2f 元低于监测线 %s 元（边缘易致贫户）/ "
                              .. "general household below the monitoring line", pc, params.monitor_line))
      end
    end

    -- 2. 国家环节发现的短板 / gaps found by the national stages
    local gaps = {}
    for _, code in ipairs({ "FOOD_CLOTHING_INSECURE", "SCHOOL_DROPOUT", "MEDICAL_UNINSURED",
                            "HOUSING_UNSAFE", "WATER_UNSAFE" }) do
      if hh:has(code) then gaps[#gaps + 1] = code end
    end
    if #gaps > 0 then
      hh:warn("VISIT_GUARANTEE_GAP", "需上门核实整改 / verify on site: " .. table.concat(gaps, ";"))
    end

    -- 3. 无劳动力户：年龄未知的成员按可能有劳动力处理（只是提示，不下结论）。
    --    No member of working age.  A member whose age is unknown might work:
    --    this is a prompt for a visit, not a verdict.
    local labour = false
    for _, m in hh:members() do
      if m.age == nil or (m.age >= params.working_age_min and m.age < params.elderly_age) then
        labour = true
        break
      end
    end
    if not labour then
      hh:warn("VISIT_NO_LABOUR", "家庭成员均未满劳动年龄或已到老年 / no member of working age")
    end

    -- 4. 备注关键词（任一成员行）/ keywords in the note, on any member's row
    for i, m in hh:members() do
      local note = m.village_note
      if note then
        for word in string.gmatch(params.note_keywords, "[^,]+") do
          if string.find(note, word, 1, true) then
            hh:warn("VISIT_NOTE", "村干部备注含“" .. word .. "” / the note mentions " .. word, i)
            break
          end
        end
      end
    end
  end,
}
