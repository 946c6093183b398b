#!/usr/bin/env python3
"""field_frame.py IN OUT — rewrites the region codes of a generated quarter
(tuopin gen) into counties that test every corner of the field design of
standard §9.1: a county of one village, a county of fewer villages than
asked, a county of many small villages (fewer households than asked), a
county with no general household (an empty domain), a western county.
Households after the first 600 keep their codes.  Deterministic."""
import csv
import sys

src, dst = sys.argv[1:3]
rows = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
hdr = rows[0]
hid, reg, st = hdr.index("household_id"), hdr.index("region_code"), hdr.index("status")


def place(k):
    """(region_code, force_registered) of household number k."""
    if k < 30:
        return "110101001001", False                 # one village
    if k < 90:
        return "110102001%03d" % (1 + k % 2), False  # 2 villages: fewer than asked
    if k < 330:
        return "110103002%03d" % (1 + k % 12), False  # 12 villages of ~20
    if k < 400:
        return "110104003%03d" % (1 + k % 8), True    # no general household
    if k < 500:
        return "520105004%03d" % (1 + k % 7), False   # western, small villages
    if k < 600:
        return "130106005%03d" % (1 + k % 25), False  # 25 villages of ~4
    return None, False


out = [hdr]
k, prev = -1, None
for r in rows[1:]:
    if r[hid] != prev:
        k += 1
        prev = r[hid]
    code, registered = place(k)
    if code:
        r[reg] = code
        if registered and r[st] == "general":
            r[st] = "exited"
    out.append(r)
with open(dst, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(out)
