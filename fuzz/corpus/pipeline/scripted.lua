quarter "2020Q4"
input  { path = "../data/q.csv", encoding = "gb18030" }
params { income_line = 4000, near_line_margin = 0.1, school_age_min = "6" }
stage "identity"
stage { script = "scripts/provinces/example.lua", params = { income_line = 4500, flag = "yes" } }
output { dir = "out" }
