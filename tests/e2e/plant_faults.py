#!/usr/bin/env python3
"""plant_faults.py — a generated quarter (tuopin gen) made hard for a sharded
run: structural faults of every kind (standard §1), households whose rows are
split across shards, and resident IDs repeated across regions.

usage: plant_faults.py INPUT OUTPUT

Planted, each in households chosen deterministically from the input:
  IDs      a member repeating an ID of an earlier household of another
           province; two such members in one household; one ID met in three
           provinces and twice in one of them; x for X; a non-standard ID (x
           and X alike); an ID of another county of the same province; an ID
           whose earlier household is rejected (no ID_DUPLICATE then); one
           repeated twice in a household after another province had it
  rows     ROW_FIELD_COUNT, ROW_ENCODING, BAD_HOUSEHOLD_ID, BAD_REGION,
           BAD_STATUS, HOUSEHOLD_INCONSISTENT, HOUSEHOLD_SPLIT across
           provinces (also after a rejected block), ROW_UNTERMINATED_QUOTE at
           the end of the file
  bytes    a byte-order mark, a record of blank fields before the header,
           empty lines inside and between households (LF and CRLF), CRLF
           rows, a field ending with a lone CR, a quoted line break

The output lists what it planted on standard output, one line each.
"""
import csv
import io
import sys


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    HID, REG, ST, PID = col["household_id"], col["region_code"], col["status"], col["person_id"]
    WAGE, NAME, NOTE = col["wage_income"], col["name"], col["village_note"]

    # households: lists of rows, in order
    hh = []
    for r in body:
        if hh and hh[-1][0][HID] == r[HID]:
            hh[-1].append(r)
        else:
            hh.append([r])
    n = len(hh)
    prov = lambda k: hh[k][0][REG][:2]
    county = lambda k: hh[k][0][REG][:6]
    used = set()
    log = []

    def pick(start, cond, members=1):
        for k in range(start, n):
            if k not in used and len(hh[k]) >= members and cond(k):
                used.add(k)
                return k
        raise SystemExit(f"plant_faults.py: no household after {start} fits")

    def note(what, *ks):
        log.append(f"{what}: " + " ".join(hh[k][0][HID] if hh[k][0][HID] else f"#{k}" for k in ks))

    # ---- resident IDs across regions --------------------------------------------------------
    a = pick(10, lambda k: True)
    b = pick(n // 4, lambda k: prov(k) != prov(a), 2)
    hh[b][1][PID] = hh[a][0][PID]
    note("ID of another province", a, b)

    a2 = pick(20, lambda k: prov(k) != prov(b))
    b2 = pick(b + 1, lambda k: prov(k) not in (prov(a), prov(a2)), 3)
    hh[b2][0][PID] = hh[a2][0][PID]
    a3 = pick(30, lambda k: prov(k) != prov(b2))
    hh[b2][2][PID] = hh[a3][0][PID]
    note("two members repeating IDs of other provinces", a2, a3, b2)

    # one ID in three provinces, twice in the second
    c1 = pick(b + 1, lambda k: prov(k) == prov(b))
    hh[c1][0][PID] = hh[a][0][PID]
    c2 = pick(c1 + 1, lambda k: prov(k) not in (prov(a), prov(b)))
    hh[c2][0][PID] = hh[a][0][PID]
    note("one ID in three provinces, twice in one", a, b, c1, c2)

    # x for X
    ax = pick(5, lambda k: hh[k][0][PID].endswith("X"))
    bx = pick(n // 3, lambda k: prov(k) != prov(ax))
    hh[bx][0][PID] = hh[ax][0][PID][:-1] + "x"
    note("x for X", ax, bx)

    # a non-standard ID, x and X alike
    an = pick(40, lambda k: True)
    hh[an][0][PID] = "A-x-7"
    bn = pick(n // 3, lambda k: prov(k) != prov(an))
    hh[bn][0][PID] = "A-X-7"
    note("non-standard ID", an, bn)

    # another county of the same province
    ac = pick(50, lambda k: True)
    bc = pick(n // 2, lambda k: prov(k) == prov(ac) and county(k) != county(ac))
    hh[bc][0][PID] = hh[ac][0][PID]
    note("ID of another county of the same province", ac, bc)

    # the earlier household is rejected: no ID_DUPLICATE
    ar = pick(60, lambda k: True)
    for r in hh[ar]:
        r[ST] = "unknown"
    br = pick(n // 2, lambda k: prov(k) != prov(ar))
    hh[br][0][PID] = hh[ar][0][PID]
    note("ID of a rejected household (BAD_STATUS)", ar, br)

    # twice in one household after another province had it
    at = pick(70, lambda k: True)
    bt = pick(n // 2, lambda k: prov(k) != prov(at), 2)
    hh[bt][0][PID] = hh[at][0][PID]
    hh[bt][1][PID] = hh[at][0][PID]
    note("an ID of another province twice in one household", at, bt)

    # ---- structural faults ----------------------------------------------------------------------
    k = pick(100, lambda k: True, 2)
    hh[k][1] = hh[k][1][:-1]
    note("ROW_FIELD_COUNT", k)
    k = pick(110, lambda k: True)
    for r in hh[k]:
        r[HID] = ""
    note("BAD_HOUSEHOLD_ID", k)
    k = pick(120, lambda k: True)
    for r in hh[k]:
        r[REG] = "990101001001"
    note("BAD_REGION", k)
    k = pick(130, lambda k: True, 2)
    hh[k][1][WAGE] = "1.00" if hh[k][1][WAGE] != "1.00" else "2.00"
    note("HOUSEHOLD_INCONSISTENT", k)
    s1 = pick(140, lambda k: True)
    s2 = pick(n // 2, lambda k: prov(k) != prov(s1))
    for r in hh[s2]:
        r[HID] = hh[s1][0][HID]
    note("HOUSEHOLD_SPLIT across provinces", s1, s2)
    r1 = pick(150, lambda k: True)
    for r in hh[r1]:
        r[REG] = "000000000000"
    r2 = pick(n // 2, lambda k: prov(k) != "11")
    for r in hh[r2]:
        r[HID] = hh[r1][0][HID]
    note("HOUSEHOLD_SPLIT after a rejected block", r1, r2)
    enc = pick(160, lambda k: True)
    crlf = set(pick(170, lambda k: True) for _ in range(3))
    lone_cr = pick(200, lambda k: True)
    hh[pick(210, lambda k: True)][0][NOTE] = "第一行\n第二行, 带逗号"
    blank_inside = pick(220, lambda k: True, 3)
    note("ROW_ENCODING", enc)

    # ---- bytes ------------------------------------------------------------------------------------
    def line(r):
        s = io.StringIO()
        csv.writer(s, lineterminator="").writerow(r)
        return s.getvalue().encode("utf-8")

    out = bytearray(b"\xef\xbb\xbf")
    out += b",,\n"                       # blank fields only: skipped before the header
    out += line(header) + b"\n"
    for k in range(n):
        if k % 97 == 5:
            out += b"\n" if k % 2 else b"\r\n"
        for i, r in enumerate(hh[k]):
            data = line(r)
            if k == enc and i == 0:
                data = data.replace(r[NAME].encode("utf-8"), b"\xff" + r[NAME].encode("utf-8"), 1)
            end = b"\r\n" if k in crlf else b"\n"
            if k == lone_cr and i == 0:
                data += b"\r"
                end = b"\r\n"
            out += data + end
            if k == blank_inside and i == 0:
                out += b"\n\r\n"
    # a quoted field that never ends: the last record runs to the end of the file
    last = list(hh[0][0])
    last[HID] = "H9999999999"
    last[NOTE] = "X"
    out += line(last)[:-1] + b'"never closed\nH9999999999,more\n'
    log.append("ROW_UNTERMINATED_QUOTE: H9999999999")
    with open(argv[1], "wb") as f:
        f.write(out)
    print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
