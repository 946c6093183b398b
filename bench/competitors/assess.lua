-- assess.lua — the poverty-exit checks of standard §3–§4 as one plain Lua 5.4
-- script, the way an analyst without tuopin would write them: read the CSV,
-- group rows into households, apply the checks, count the assessments.
--
--   lua5.4 assess.lua FILE QUARTER INCOME_LINE [SCHOOL_AGE_MIN SCHOOL_AGE_MAX]
--
-- Prints one line per assessment, "name count", in the standard's order.
-- Exact: money is held in integer cents (Lua 5.4 integers), never floats.
-- Identity warnings do not change an assessment, so identity is not checked;
-- structural faults (rejects) are not looked for: the benchmark's generated
-- data has none, and every row read is counted in a household.

local path, quarter, line_arg = arg[1], arg[2], arg[3]
local age_min = math.tointeger(tonumber(arg[4] or "6"))
local age_max = math.tointeger(tonumber(arg[5] or "15"))
if not (path and quarter and line_arg) then
  io.stderr:write("usage: lua5.4 assess.lua FILE YYYYQn INCOME_LINE [AGE_MIN AGE_MAX]\n")
  os.exit(2)
end

local sub, find, byte, lower, match = string.sub, string.find, string.byte, string.lower, string.match

-- as-of date: the quarter's last day (§2)
local AY, QN = match(quarter, "^(%d%d%d%d)[Qq]([1-4])$")
assert(AY, "bad quarter " .. quarter)
AY = math.tointeger(tonumber(AY))
local AM = ({ 3, 6, 9, 12 })[tonumber(QN)]
local AD = ({ 31, 30, 30, 31 })[tonumber(QN)]

-- ------------------------------------------------------------------ values

local function trim(s)
  -- ASCII spaces and tabs only (§1)
  return (match(s, "^[ \t]*(.-)[ \t]*$"))
end

-- money (§1): the whole field matches -?[0-9]+(\.[0-9]{1,2})? ; returns cents,
-- or nil, "missing" / "bad"
local function money(s, nonneg)
  if s == "" then return nil, "missing" end
  local neg, int, frac = match(s, "^(%-?)(%d+)%.(%d%d?)$")
  if not neg then
    neg, int = match(s, "^(%-?)(%d+)$")
    if not neg then return nil, "bad" end
    frac = "0"
  elseif #frac == 1 then
    frac = frac .. "0"
  end
  local c = math.tointeger(tonumber(int)) * 100 + math.tointeger(tonumber(frac))
  if neg == "-" then
    if nonneg and c ~= 0 then return nil, "bad" end
    c = -c
  end
  return c
end

local YES = { yes = true, y = true, ["true"] = true, ["1"] = true, ["是"] = true }
local NO = { no = true, n = true, ["false"] = true, ["0"] = true, ["否"] = true }
-- yes/no (§1): true / false, or nil, "missing" / "bad"
local function yesno(s)
  if s == "" then return nil, "missing" end
  local l = lower(s) -- C locale: ASCII letters only
  if YES[l] then return true end
  if NO[l] then return false end
  return nil, "bad"
end

local function real_date(y, m, d)
  if y < 1 or m < 1 or m > 12 or d < 1 then return false end
  local md = ({ 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 })[m]
  if m == 2 and ((y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0) then md = 29 end
  return d <= md
end

-- date (§1): YYYY-MM-DD, YYYY/M/D, YYYYMMDD; returns y, m, d or nil
local function date(s)
  local y, m, d = match(s, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y, m, d = match(s, "^(%d%d%d%d)/(%d%d?)/(%d%d?)$") end
  if not y then y, m, d = match(s, "^(%d%d%d%d)(%d%d)(%d%d)$") end
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not real_date(y, m, d) then return nil end
  return y, m, d
end

-- birth date in a valid resident ID (GB 11643, ISO 7064 MOD 11-2), or nil
local W = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local CHECK = "10X98765432"
local function id_birth(s)
  if #s ~= 18 or not find(s, "^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d[%dXx]$") then return nil end
  local sum = 0
  for i = 1, 17 do sum = sum + (byte(s, i) - 48) * W[i] end
  local c = sub(s, 18, 18)
  if c == "x" then c = "X" end
  if sub(CHECK, sum % 11 + 1, sum % 11 + 1) ~= c then return nil end
  local y, m, d = tonumber(sub(s, 7, 10)), tonumber(sub(s, 11, 12)), tonumber(sub(s, 13, 14))
  if not real_date(y, m, d) then return nil end
  return y, m, d
end

local function age_at(y, m, d)
  local a = AY - y
  if AM < m or (AM == m and AD < d) then a = a - 1 end
  return a
end

-- school status (§3.3), ASCII names in any case: covered or not
local SCHOOL = {
  preschool = true, ["学前教育"] = true, primary = true, ["小学"] = true,
  junior = true, ["初中"] = true, senior = true, ["高中"] = true,
  vocational = true, ["中职"] = true, ["技工"] = true,
  college = true, ["大专"] = true, ["本科"] = true,
  home_schooling = true, ["送教上门"] = true, exempt = true, ["免学"] = true,
  dropout = false, ["辍学"] = false, not_enrolled = false, ["未入学"] = false,
  ["失学"] = false, not_in_school = false, ["非在校生"] = false,
}

local STATUS = {
  poor = "poor", ["贫困户"] = "poor", ["未脱贫"] = "poor",
  exited = "exited", ["已脱贫"] = "exited", ["脱贫户"] = "exited",
  general = "general", ["一般户"] = "general", ["非贫困户"] = "general",
}

-- housing rating (§1): A B C D, also A级 …; returns the letter or nil, why
local function rating(s)
  if s == "" then return nil, "missing" end
  local l = lower(s)
  local c = sub(l, 1, 1)
  if (c == "a" or c == "b" or c == "c" or c == "d") and (#l == 1 or sub(l, 2) == "级") then
    return c
  end
  return nil, "bad"
end

-- ------------------------------------------------------------------ parameters

local LINE = money(line_arg, true)
assert(LINE, "bad income line " .. line_arg)

-- ------------------------------------------------------------------ columns

local CANON = {
  household_id = "户编号", region_code = "行政区划代码", status = "户类型",
  wage_income = "工资性收入", operating_income = "生产经营性收入",
  operating_cost = "生产经营性支出", property_income = "财产性收入",
  transfer_income = "转移性收入", declared_income_pc = "人均纯收入",
  food_clothing_secure = "吃穿不愁", housing_rating = "住房安全等级",
  housing_fixed = "危房改造或搬迁完成", water_safe = "饮水安全", satisfied = "群众认可",
  person_id = "证件号码", name = "姓名", relation = "与户主关系",
  birth_date = "出生日期", school_status = "在校生状况", medical_insured = "参加基本医疗保险",
}
local col = {}

-- ------------------------------------------------------------------ the checks

local counts = {
  can_exit = 0, remains_poor = 0, exit_confirmed = 0, wrongly_exited = 0,
  missed = 0, unverified = 0, not_poor = 0,
}

-- rows: array of field arrays (trimmed), all of one household
local function assess(rows, n)
  local r1 = rows[1]
  local fail = false
  local below, income_bad = false, false

  -- income (§3.1)
  local net = 0
  for k, name in ipairs({ "wage_income", "operating_income", "operating_cost",
                          "property_income", "transfer_income" }) do
    local c, why = money(r1[col[name]], true)
    if why == "bad" then income_bad = true
    elseif c then net = net + (k == 3 and -c or c) end
  end
  if income_bad then
    fail = true
  elseif net < LINE * n then
    below = true
    fail = true
  end

  -- food_clothing (§3.2), water (§3.6)
  if yesno(r1[col.food_clothing_secure]) ~= true then fail = true end
  if yesno(r1[col.water_safe]) ~= true then fail = true end

  -- housing (§3.5)
  if not fail then
    local rt = rating(r1[col.housing_rating])
    if not rt then fail = true
    elseif rt == "c" or rt == "d" then
      if yesno(r1[col.housing_fixed]) ~= true then fail = true end
    end
  end

  -- medical (§3.4) and education (§3.3), per member
  local i = 1
  while not fail and i <= n do
    local r = rows[i]
    if yesno(r[col.medical_insured]) ~= true then fail = true break end
    local bd = r[col.birth_date]
    local y, m, d
    if bd ~= "" then
      y, m, d = date(bd)          -- present but not a date: BAD_VALUE, no fall-back
    else
      y, m, d = id_birth(r[col.person_id])
    end
    if not y then fail = true break end
    local age = age_at(y, m, d)
    if age >= age_min and age <= age_max then
      if SCHOOL[lower(r[col.school_status])] ~= true then fail = true break end
    end
    i = i + 1
  end

  -- verdict (§4)
  local st = STATUS[lower(r1[col.status])]
  local a
  if st == "poor" then a = fail and "remains_poor" or "can_exit"
  elseif st == "exited" then a = fail and "wrongly_exited" or "exit_confirmed"
  elseif st == "general" then
    a = below and "missed" or income_bad and "unverified" or "not_poor"
  else
    error("bad status " .. tostring(r1[col.status]))
  end
  counts[a] = counts[a] + 1
end

-- ------------------------------------------------------------------ CSV (§1)

-- Splits one record that has quotes; `more` returns the next physical line
-- (for line breaks inside quotes). Returns the list of trimmed fields.
local function split_quoted(line, more)
  local out, pos = {}, 1
  while true do
    local f
    local q = match(line, '^[ \t]*()"', pos)
    if q then
      local buf, p = {}, q + 1
      while true do
        local e = find(line, '"', p, true)
        if not e then
          buf[#buf + 1] = sub(line, p) .. "\n"
          line = more()
          assert(line, "unterminated quote")
          p = 1
        elseif sub(line, e + 1, e + 1) == '"' then
          buf[#buf + 1] = sub(line, p, e)
          p = e + 2
        else
          buf[#buf + 1] = sub(line, p, e - 1)
          local c = find(line, ",", e + 1, true)
          buf[#buf + 1] = sub(line, e + 1, (c or #line + 1) - 1)
          pos = c and c + 1 or nil
          break
        end
      end
      f = table.concat(buf)
    else
      local c = find(line, ",", pos, true)
      f = sub(line, pos, (c or #line + 1) - 1)
      pos = c and c + 1 or nil
    end
    out[#out + 1] = trim(f)
    if not pos then return out end
  end
end

local fh = assert(io.open(path, "rb"))
local lines = fh:lines()
local function nextline()
  local l = lines()
  if l and byte(l, -1) == 13 then l = sub(l, 1, -2) end -- CRLF
  return l
end

local header
local cur_id, rows, n = nil, {}, 0
local hid_col
for l in nextline do
  if l ~= "" then
    local f
    if find(l, '"', 1, true) then
      f = split_quoted(l, nextline)
    else
      f = {}
      local pos = 1
      while true do
        local c = find(l, ",", pos, true)
        if not c then f[#f + 1] = trim(sub(l, pos)) break end
        f[#f + 1] = trim(sub(l, pos, c - 1))
        pos = c + 1
      end
    end
    if not header then
      header = f
      if byte(header[1], 1) == 0xEF then header[1] = sub(header[1], 4) end -- BOM
      for i, name in ipairs(header) do
        local ln = lower(name)
        if CANON[ln] then col[ln] = i end
        for canon, zh in pairs(CANON) do if name == zh then col[canon] = i end end
      end
      for _, need in ipairs({ "household_id", "status", "wage_income", "operating_income",
          "operating_cost", "property_income", "transfer_income", "food_clothing_secure",
          "housing_rating", "housing_fixed", "water_safe", "person_id", "birth_date",
          "school_status", "medical_insured" }) do
        assert(col[need], "missing column " .. need)
      end
      hid_col = col.household_id
    else
      local id = f[hid_col]
      if id ~= cur_id then
        if n > 0 then assess(rows, n) end
        cur_id, n = id, 0
      end
      n = n + 1
      rows[n] = f
    end
  end
end
if n > 0 then assess(rows, n) end
fh:close()

for _, a in ipairs({ "can_exit", "remains_poor", "exit_confirmed", "wrongly_exited",
                     "missed", "unverified", "not_poor" }) do
  print(a .. " " .. counts[a])
end
