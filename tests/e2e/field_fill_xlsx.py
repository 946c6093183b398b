#!/usr/bin/env python3
"""field_fill_xlsx.py SAMPLE_DIR FIELD_CSV OUT_DIR OUT_CSV [EDIT...]

Fills the field workbooks of a sample as a team would (standard library only:
zipfile and the SpreadsheetML text): each SAMPLE_DIR/field-COUNTY.xlsx gets, in
its households sheet (sheet 1), the FIELD_CSV rows of its county (rows of a
county without a workbook go to the first), in every cell form a spreadsheet
may store: inline strings, shared strings, formula string results, numbers
(money in exponent form "6.65374E+3" every third row), booleans (medical
insurance), birth dates as serial day numbers every other row, and a
formatted blank row.  OUT_CSV gets the same rows as plain text under the
sheet's header: the equivalent CSV field file.  The workbooks are written to
OUT_DIR under their names.

EDIT (for the error tests), applied to the first workbook:
  header        cell D1 reads 户号 instead of 户编号
  dropdown      the first row's water_safe (column P) is "maybe"
  errorvalue    the first row's wage income (column G) is the error #N/A
"""
import csv
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

sdir, fcsv, odir, ocsv = sys.argv[1:5]
edits = set(sys.argv[5:])
ns = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
CANON = ["household_id", "region_code", "status", "wage_income", "operating_income", "operating_cost",
         "property_income", "transfer_income", "declared_income_pc", "food_clothing_secure", "housing_rating",
         "housing_fixed", "water_safe", "satisfied", "person_id", "name", "relation", "birth_date",
         "school_status", "medical_insured"]
MONEY = set(CANON[3:9])
XN = 3


def colname(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def exp_form(v):
    """6653.74 -> 6.65374E+3 (exact, as a spreadsheet may store it)."""
    neg = v.startswith("-")
    v = v.lstrip("-")
    ip, _, fp = v.partition(".")
    digits = (ip + fp).lstrip("0")
    if not digits.rstrip("0"):
        return "0"
    e = len(ip.lstrip("0")) - 1 if ip.lstrip("0") else -(len(fp) - len(fp.lstrip("0")) + 1)
    d = digits.rstrip("0")
    m = d[0] + ("." + d[1:] if len(d) > 1 else "")
    return ("-" if neg else "") + m + "E" + ("+" if e >= 0 else "-") + str(abs(e))


def serial(date):
    """The spreadsheet's day number of a real date, else None (an impossible date stays text)."""
    import datetime
    y, m, d = map(int, date.split("-"))
    try:
        return str((datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days)
    except ValueError:
        return None


rows = list(csv.DictReader(open(fcsv, encoding="utf-8-sig")))
books = sorted(f for f in os.listdir(sdir) if re.fullmatch(r"field-\d{6}\.xlsx", f))
counties = [b[6:12] for b in books]
by = {b: [] for b in books}
for r in rows:
    c = r["region_code"][:6]
    by[books[counties.index(c)] if c in counties else books[0]].append(r)

out_rows = []
header = None
for bi, b in enumerate(books):
    z = zipfile.ZipFile(os.path.join(sdir, b))
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    sst = z.read("xl/sharedStrings.xml").decode("utf-8")
    if header is None:
        import xml.etree.ElementTree as ET
        ss = ["".join(t.text or "" for t in si.iter(ns + "t")) for si in ET.fromstring(sst).findall(ns + "si")]
        row1 = re.search(r'<row r="1".*?</row>', sheet).group()
        header = [ss[int(v)] for v in re.findall(r"<v>(\d+)</v>", row1)]
        assert header[XN:XN + len(CANON)][0] == "户编号", header
    start = sheet.index("<sheetData>") + len("<sheetData>")
    end = sheet.index("</sheetData>")
    row1 = re.search(r'<row r="1".*?</row>', sheet).group()
    if "header" in edits and bi == 0:
        row1 = re.sub(r'<c r="D1"[^>]*>.*?</c>', '<c r="D1" t="inlineStr"><is><t>户号</t></is></c>', row1)
    extra_ss = []
    nss = len(re.findall(r"<si>", sst))
    xml = [row1]
    rn = 1
    for i, r in enumerate(by[b]):
        rn += 1
        vals = [r["region_code"], "", ""] + [r.get(c, "") for c in CANON] + [""]
        cells = []
        for k, v in enumerate(vals):
            ref = "%s%d" % (colname(k), rn)
            c = CANON[k - XN] if XN <= k < XN + len(CANON) else None
            if i == 0 and bi == 0 and "dropdown" in edits and c == "water_safe":
                v = vals[k] = "maybe"
            if i == 0 and bi == 0 and "errorvalue" in edits and c == "wage_income":
                cells.append('<c r="%s" t="e"><f>NA()</f><v>#N/A</v></c>' % ref)
                continue
            if v == "":
                continue
            if c in MONEY and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v):
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, exp_form(v) if i % 3 == 0 else v))
            elif c == "birth_date" and i % 2 == 0 and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v) and serial(v):
                cells.append('<c r="%s" s="1"><v>%s</v></c>' % (ref, serial(v)))
            elif c == "medical_insured" and v.lower() in ("yes", "no"):
                cells.append('<c r="%s" t="b"><v>%d</v></c>' % (ref, v.lower() == "yes"))
            elif c == "status":
                extra_ss.append(v)
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, nss + len(extra_ss) - 1))
            elif c == "household_id" and i % 4 == 1:
                cells.append('<c r="%s" t="str"><f>"%s"</f><v>%s</v></c>' % (ref, escape(v), escape(v)))
            else:
                cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
        xml.append('<row r="%d">%s</row>' % (rn, "".join(cells)))
        out_rows.append(vals)
    # a formatted blank row, as a spreadsheet leaves after a deleted row
    xml.append('<row r="%d"><c r="A%d" s="1"/><c r="B%d" t="inlineStr"><is><t></t></is></c></row>' % (rn + 3, rn + 3, rn + 3))
    sheet = sheet[:start] + "".join(xml) + sheet[end:]
    sst = sst.replace("</sst>", "".join("<si><t>%s</t></si>" % escape(s) for s in extra_ss) + "</sst>")
    with zipfile.ZipFile(os.path.join(odir, b), "w", zipfile.ZIP_DEFLATED) as w:
        for it in z.infolist():
            data = z.read(it.filename)
            if it.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode("utf-8")
            elif it.filename == "xl/sharedStrings.xml":
                data = sst.encode("utf-8")
            w.writestr(it.filename, data)
with open(ocsv, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(out_rows)
