-- bench/rosters.lua — the national pipeline plus stage rosters, for
-- bench/run's roster case (the rosters are given with --roster).
quarter "2020Q4"
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
stage "rosters"
