#!/usr/bin/env python3
"""to_jsonl.py CSV > JSONL — one household per line: the standard's
household-level columns once, the other columns in `members`.  Keeps the
row order; numbers that are valid money are written as JSON numbers (their
text unchanged), the rest as strings, blank as null, with a few members
written with \\u escapes so that the reader's escapes are exercised."""
import csv
import json
import re
import sys

HOUSEHOLD = {
    "household_id", "region_code", "status", "wage_income", "operating_income",
    "operating_cost", "property_income", "transfer_income", "declared_income_pc",
    "food_clothing_secure", "housing_rating", "housing_fixed", "water_safe", "satisfied",
}
MONEY = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")


def value(v):
    if v == "":
        return None
    return v


def dump(obj, ascii_only):
    text = json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"))
    # money as JSON numbers: "1234.50" -> 1234.50 (the text is kept)
    return re.sub(r'"(wage_income|operating_income|operating_cost|property_income|'
                  r'transfer_income|declared_income_pc)":"(-?(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?)"',
                  r'"\1":\2', text)


def main():
    rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
    header, rows = rows[0], rows[1:]
    out = sys.stdout
    cur, hh, n = None, None, 0
    for row in rows:
        rec = dict(zip(header, row))
        hid = rec["household_id"]
        if hid != cur:
            if hh is not None:
                out.write(dump(hh, n % 7 == 3) + "\n")
                n += 1
            cur = hid
            hh = {k: value(v) for k, v in rec.items() if k in HOUSEHOLD}
            hh["members"] = []
        hh["members"].append({k: value(v) for k, v in rec.items() if k not in HOUSEHOLD})
    if hh is not None:
        out.write(dump(hh, n % 7 == 3) + "\n")


main()
