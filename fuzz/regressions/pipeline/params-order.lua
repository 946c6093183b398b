quarter "2020Q4"
input  { path = "../data/q.csv", encoding = "gb18030" }
params { income_line =stage, near_line_margin = 0.1, school_age_min = "6", params = { income_line = 4500, flag = "yes" } }
output { dir = "out" }
