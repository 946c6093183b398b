skip_rows = 1
columns = {
  household_id = { "户编号", "hh_no" },
  status = "户类型",
  person_id = { "证件号码" },
}
values = {
  status = { ["已脱贫户"] = "exited", ["未脱贫户"] = "poor" },
  medical_insured = { ["参加"] = "yes", ["未参加"] = "no" },
}
