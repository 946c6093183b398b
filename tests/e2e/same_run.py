#!/usr/bin/env python3
"""same_run.py — whether two tuopin output folders hold the same run, byte for
byte, the run's timestamps aside.

usage: same_run.py EXPECTED_DIR ACTUAL_DIR

  *.csv           byte for byte
  report.html     byte for byte once the "Produced" time (YYYY-MM-DD hh:mm:ss
                  UTC) is masked
  report.xlsx     every member of the zip byte for byte, once the created and
                  modified times of docProps/core.xml are masked
  results.sqlite  every table, every row in storage order (rowid, or the
                  primary key of WITHOUT ROWID tables), with the run table's
                  started and finished masked; and the same tables.  The
                  rows of input_positions, input_settings and param_origins
                  are not compared: they say how this very run read its own
                  input (for `tuopin explain`), which a merged run never
                  read (docs/explain.md); a merged run's shard_inputs
                  table (where explain finds each shard's input) is
                  left out of the tables compared

The set of files must be the same too.  Exit status 0 when the runs are the
same, 1 when they differ (each difference on standard error), 2 on a usage
error.
"""
import os
import re
import sqlite3
import sys
import zipfile

TIME_HTML = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
TIME_XML = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

problems = []

# results.sqlite's tables about the run's own reading of its input
OWN_INPUT = ("input_positions", "input_settings", "param_origins")
# a merged run's only: each shard's input, for `tuopin explain`
MERGED_ONLY = ("shard_inputs",)


def differ(what):
    problems.append(what)
    print(f"same_run.py: {what}", file=sys.stderr)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def lines_around(data, at):
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    return data[start:end if end >= 0 else len(data)].decode("utf-8", "replace")


def same_bytes(name, a, b):
    if a == b:
        return
    at = first_difference(a, b)
    differ(f"{name} differs at byte {at} ({len(a)} vs {len(b)} bytes):\n"
           f"    expected: {lines_around(a, at)[:300]}\n"
           f"    actual:   {lines_around(b, at)[:300]}")


def same_xlsx(name, pa, pb):
    with zipfile.ZipFile(pa) as za, zipfile.ZipFile(pb) as zb:
        na, nb = sorted(za.namelist()), sorted(zb.namelist())
        if na != nb:
            differ(f"{name}: members differ: {na} vs {nb}")
            return
        for m in na:
            a, b = za.read(m), zb.read(m)
            if m == "docProps/core.xml":
                a, b = TIME_XML.sub(b"T", a), TIME_XML.sub(b"T", b)
            same_bytes(f"{name}:{m}", a, b)


def table_rows(db, table):
    info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
    cols = [c[1] for c in info]
    without_rowid = db.execute(
        "SELECT sql FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    if "WITHOUT ROWID" in without_rowid.upper():
        pk = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]]
        order = ", ".join(f'"{c}"' for c in pk)
    else:
        order = "rowid"
    rows = db.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
    if table == "run":
        masked = []
        for r in rows:
            r = list(r)
            for c in ("started", "finished"):
                if c in cols:
                    r[cols.index(c)] = "T"
            masked.append(tuple(r))
        rows = masked
    return cols, rows


def same_sqlite(name, pa, pb):
    da = sqlite3.connect(f"file:{pa}?mode=ro", uri=True)
    dbb = sqlite3.connect(f"file:{pb}?mode=ro", uri=True)
    q = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    sa = [t for t in da.execute(q).fetchall() if t[1] not in MERGED_ONLY]
    sb = [t for t in dbb.execute(q).fetchall() if t[1] not in MERGED_ONLY]
    if sa != sb:
        differ(f"{name}: schemas differ:\n    {sa}\n    {sb}")
        return
    for typ, table, _ in sa:
        if typ != "table" or table in OWN_INPUT:
            continue
        ca, ra = table_rows(da, table)
        cb, rb = table_rows(dbb, table)
        if (ca, ra) != (cb, rb):
            i = next((i for i, (x, y) in enumerate(zip(ra, rb)) if x != y), min(len(ra), len(rb)))
            differ(f"{name}: table {table} differs at row {i + 1} ({len(ra)} vs {len(rb)} rows):\n"
                   f"    expected: {ra[i] if i < len(ra) else None}\n"
                   f"    actual:   {rb[i] if i < len(rb) else None}")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = argv
    fa = sorted(f for f in os.listdir(a) if not f.startswith("."))
    fb = sorted(f for f in os.listdir(b) if not f.startswith("."))
    if fa != fb:
        differ(f"the folders hold different files: {fa} vs {fb}")
    for f in sorted(set(fa) & set(fb)):
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        if f == "report.html":
            same_bytes(f, TIME_HTML.sub(b"T", read(pa)), TIME_HTML.sub(b"T", read(pb)))
        elif f.endswith(".xlsx"):
            same_xlsx(f, pa, pb)
        elif f.endswith(".sqlite"):
            same_sqlite(f, pa, pb)
        else:
            same_bytes(f, read(pa), read(pb))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
