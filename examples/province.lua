-- A provincial pipeline: the seven national stages of standard §3, then two
-- provincial rule scripts (docs/scripts.md).  Provinces add conditions and
-- raise lines; the national stages still run unchanged.
-- 省级流水线：先按顺序运行七个国家检查环节，再运行两个省定规则脚本。
-- 省份可以增加条件、提高标准，国家环节照常运行。
quarter "2020Q4"
input  { path = "quarter.csv", encoding = "utf-8" }
params { income_line = 4000 }           -- the national line of 2020 (C stages only)
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
-- 省定收入标准 4600 元，劳动年龄成员须有稳定就业 / provincial line and stable employment
stage { script = "../scripts/provinces/example_income.lua", params = { income_line = 4600 } }
-- 走访对象（只给警告）/ households to visit (warnings only)
stage { script = "../scripts/provinces/followup_visits.lua", params = { monitor_line = 6000 } }
output { dir = "../out-province" }
