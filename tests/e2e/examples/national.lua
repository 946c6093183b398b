-- The conditions of the worked examples (README.md here): the national
-- pipeline — the seven stages of standard §3 in order — for quarter 2020Q3
-- with income_line = 4000.  Input and output are given on the command line.
quarter "2020Q3"
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
