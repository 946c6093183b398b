-- The worked example of department rosters (README.md here): the national
-- pipeline of national.lua, the five rosters of rosters/ and stage
-- "rosters" last (standard §8).  Input and output are given on the command
-- line.
quarter "2020Q3"
params { income_line = 4000 }
roster { kind = "hukou", path = "rosters/hukou.csv" }
roster { kind = "medical", path = "rosters/medical.csv" }
roster { kind = "school", path = "rosters/school.csv" }
roster { kind = "housing", path = "rosters/housing.csv" }
roster { kind = "assets", path = "rosters/assets.csv" }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
stage "rosters"
