-- The hand-made quarter of tests/e2e/counties.sh: the national standard.
quarter "2020Q3"
input  { path = "counties.csv", encoding = "utf-8" }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
output { dir = "out" }
