-- The national exit standard: the seven stages of standard §3, in order.
-- 国家脱贫标准：按标准第 3 节顺序的七个检查环节。
quarter "2020Q3"
input  { path = "quarter.csv", encoding = "utf-8" }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
output { dir = "../out" }
