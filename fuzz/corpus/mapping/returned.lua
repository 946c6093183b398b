return {
  skip_rows = "auto",
  columns = { region_code = { "行政区划", "区划代码" }, wage_income = "工资收入" },
  values = { housing_rating = { ["A"] = "A", ["一级"] = "A" } },
}
