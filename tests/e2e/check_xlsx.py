#!/usr/bin/env python3
"""check_xlsx.py WORKBOOK COUNTIES_CSV [MARKER...] — checks report.xlsx.

The workbook is read as the zip of SpreadsheetML parts it is: the sheets
counties, regions and failures (and af and the about sheet) exist; each
table sheet has a frozen first row, set column widths and an autofilter;
rates carry a percentage format; the counties sheet has the rows and values
of counties.csv; a cell says there is no household sheet; no MARKER (personal
data) appears anywhere in the workbook.  Exits 0 when all hold, 1 otherwise,
printing one line per problem.
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
problems = []


def problem(msg):
    problems.append(msg)
    print("FAIL: report.xlsx: " + msg, file=sys.stderr)


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_text(c, shared):
    t = c.get("t")
    if t == "inlineStr":
        return "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
    v = c.find("m:v", NS)
    if v is None:
        return None
    if t == "s":
        return shared[int(v.text)]
    return v.text


def main():
    path, counties_csv = sys.argv[1], sys.argv[2]
    markers = sys.argv[3:]
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        problem("not a zip file: %s" % e)
        return 1
    if z.testzip() is not None:
        problem("corrupt member %s" % z.testzip())
    parts = {n: z.read(n) for n in z.namelist()}
    for m in markers:
        for n, data in parts.items():
            if m.encode() in data:
                problem("personal data %r in %s" % (m, n))

    shared = []
    if "xl/sharedStrings.xml" in parts:
        root = ET.fromstring(parts["xl/sharedStrings.xml"])
        for si in root.findall("m:si", NS):
            shared.append("".join(x.text or "" for x in si.iter("{%s}t" % NS["m"])))

    wb = ET.fromstring(parts["xl/workbook.xml"])
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels.findall("pr:Relationship", NS)}
    sheets = {}
    for s in wb.find("m:sheets", NS).findall("m:sheet", NS):
        sheets[s.get("name")] = "xl/" + target[s.get("{%s}id" % NS["r"])].lstrip("/").replace("xl/", "", 1)
    for name in ("counties", "regions", "failures", "af"):
        if name not in sheets:
            problem("no sheet %r (sheets: %s)" % (name, ", ".join(sheets)))
    if not any("about" in n for n in sheets):
        problem("no about sheet")

    # percentage formats: the cellXfs index of every style using "0.00%"
    styles = ET.fromstring(parts["xl/styles.xml"])
    pct_ids = {int(f.get("numFmtId")) for f in styles.iter("{%s}numFmt" % NS["m"])
               if f.get("formatCode") == "0.00%"}
    pct_ids.add(10)  # the built-in 0.00%
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    pct_styles = {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in pct_ids}
    if not pct_styles:
        problem("no percentage format")

    def rows_of(name):
        root = ET.fromstring(parts[sheets[name]])
        out = []
        for row in root.find("m:sheetData", NS).findall("m:row", NS):
            cells = {}
            for c in row.findall("m:c", NS):
                cells[col_index(c.get("r"))] = c
            out.append(cells)
        return root, out

    for name in ("counties", "regions", "failures", "af"):
        if name not in sheets:
            continue
        root, rows = rows_of(name)
        pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
        if pane is None or pane.get("state") != "frozen" or pane.get("ySplit") != "1":
            problem("%s: the header row is not frozen" % name)
        cols = root.find("m:cols", NS)
        if cols is None or not all(c.get("width") for c in cols.findall("m:col", NS)):
            problem("%s: no column widths" % name)
        if root.find("m:autoFilter", NS) is None and len(rows) > 1:
            problem("%s: no filter on the header row" % name)
        if not rows:
            problem("%s: empty sheet" % name)

    if "counties" in sheets:
        _, rows = rows_of("counties")
        with open(counties_csv, newline="", encoding="utf-8-sig") as f:
            want = list(csv.reader(f))
        header = [cell_text(rows[0][i], shared) for i in sorted(rows[0])]
        if not header or "county_code" not in header[0]:
            problem("counties: header %r" % header)
        if len(rows) != len(want):
            problem("counties: %d rows, counties.csv has %d" % (len(rows), len(want)))
        for r, w in zip(rows[1:], want[1:]):
            code = cell_text(r[0], shared)
            if code != w[0]:
                problem("counties: code %r, counties.csv has %r" % (code, w[0]))
                continue
            for col in (2, 3):
                if float(cell_text(r[col], shared)) != float(w[col]):
                    problem("counties %s: column %d is %s, counties.csv %s" % (code, col, cell_text(r[col], shared), w[col]))
            for col in (4, 5, 6, 7):  # rates: same 4-decimal value, percentage format
                c = r.get(col)
                got = cell_text(c, shared) if c is not None else None
                if w[col] == "":
                    if got not in (None, ""):
                        problem("counties %s: rate column %d should be blank, is %s" % (code, col, got))
                    continue
                if got is None or abs(float(got) - float(w[col])) > 1e-12:
                    problem("counties %s: rate column %d is %s, counties.csv %s" % (code, col, got, w[col]))
                if int(c.get("s", "0")) not in pct_styles:
                    problem("counties %s: rate column %d is not formatted as a percentage" % (code, col))
            for col in (8, 9):
                if (cell_text(r[col], shared) or "") != w[col]:
                    problem("counties %s: column %d is %r, counties.csv %r" % (code, col, cell_text(r[col], shared), w[col]))

    texts = shared[:]
    for n, data in parts.items():
        if n.startswith("xl/worksheets/"):
            texts += [x.text or "" for x in ET.fromstring(data).iter("{%s}t" % NS["m"])]
    if not any("no household sheet" in t for t in texts):
        problem("no cell says the workbook has no household sheet")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
