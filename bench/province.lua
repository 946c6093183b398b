-- bench/province.lua — the benchmark's "national pipeline plus one province
-- script": the seven national stages of examples/national.lua, then the
-- example provincial rule script (a higher income line and a stable-job
-- condition). bench/run gives --input, --quarter, --param and --out.
quarter "2020Q4"
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
stage { script = "../scripts/provinces/example_income.lua" }
