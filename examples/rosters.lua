-- The national pipeline with department rosters (docs/rosters.md): the
-- seven stages of standard §3 and stage "rosters", against the five rosters
-- `tuopin gen --rosters` writes next to a generated quarter (tools/demo:
-- out/rosters/quarter.csv and out/rosters/rosters/).  Paths are relative to
-- this file; give other rosters with --roster KIND=FILE.
quarter "2020Q4"
input { path = "../out/rosters/quarter.csv" }
roster { kind = "hukou",   path = "../out/rosters/rosters/hukou.csv" }
roster { kind = "medical", path = "../out/rosters/rosters/medical.csv" }
roster { kind = "school",  path = "../out/rosters/rosters/school.csv" }
roster { kind = "housing", path = "../out/rosters/rosters/housing.csv" }
roster { kind = "assets",  path = "../out/rosters/rosters/assets.csv" }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
stage "rosters"
