-- The national pipeline on the hand-written quarter of tests/e2e/national.sh:
-- the seven stages of standard §3 in the standard's order.  2021 is not in
-- the table of national lines, so the line is given.
quarter "2021Q2"
input  { path = "national.csv", encoding = "utf-8" }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
