-- The national pipeline over the quarter of the input tests (inputs_*.sh);
-- each test gives the input and its form with --input / a pipeline of its own.
quarter "2020Q4"
input  { path = "inputs_quarter.csv" }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
output { dir = "out" }
