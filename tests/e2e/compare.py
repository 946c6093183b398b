#!/usr/bin/env python3
"""compare.py — compare a tuopin output CSV with an expected one.

usage: compare.py [options] EXPECTED ACTUAL

  --columns A,B,...  compare only these columns (default: every column of
                     EXPECTED; ACTUAL may have more)
  --sets A,B,...     columns holding codes joined by ';', compared as sets
                     (docs/outputs.md fixes their order, but the worked
                     examples say to compare them as sets)
  --unordered        compare rows as a multiset instead of in order
  --exact-header     ACTUAL's header must equal EXPECTED's

Both files are read as UTF-8 CSV (RFC 4180, a BOM allowed).  Exit status 0
when they agree, 1 when they differ (a report on standard error), 2 on a
usage or file error.
"""
import csv
import sys


def read(path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as e:
        print(f"compare.py: {path}: {e}", file=sys.stderr)
        sys.exit(2)
    if not rows:
        print(f"compare.py: {path}: empty (no header)", file=sys.stderr)
        sys.exit(2)
    return rows[0], rows[1:]


def main(argv):
    columns = sets = None
    unordered = exact = False
    args = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--columns", "--sets"):
            if i + 1 >= len(argv):
                print(f"compare.py: {a} needs a value", file=sys.stderr)
                return 2
            v = [c for c in argv[i + 1].split(",") if c]
            if a == "--columns":
                columns = v
            else:
                sets = v
            i += 2
            continue
        if a == "--unordered":
            unordered = True
        elif a == "--exact-header":
            exact = True
        elif a.startswith("--"):
            print(f"compare.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            args.append(a)
        i += 1
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    exp_path, act_path = args
    exp_hdr, exp_rows = read(exp_path)
    act_hdr, act_rows = read(act_path)
    if exact and exp_hdr != act_hdr:
        print(f"{act_path}: header\n  want {','.join(exp_hdr)}\n  got  {','.join(act_hdr)}",
              file=sys.stderr)
        return 1
    cols = columns or exp_hdr
    sets = set(sets or [])
    for c in cols:
        for hdr, path in ((exp_hdr, exp_path), (act_hdr, act_path)):
            if c not in hdr:
                print(f"{path}: no column {c} (header: {','.join(hdr)})", file=sys.stderr)
                return 1

    def key(hdr, path, rows):
        out = []
        idx = [hdr.index(c) for c in cols]
        for n, r in enumerate(rows, start=2):
            if len(r) != len(hdr):
                print(f"{path}:{n}: {len(r)} fields, the header has {len(hdr)}", file=sys.stderr)
                sys.exit(1)
            vals = []
            for c, j in zip(cols, idx):
                v = r[j]
                if c in sets:
                    codes = [x for x in v.split(";") if x]
                    if len(codes) != len(set(codes)):
                        print(f"{path}:{n}: column {c} repeats a code: {v}", file=sys.stderr)
                        sys.exit(1)
                    v = ";".join(sorted(codes))
                vals.append(v)
            out.append(tuple(vals))
        return out

    want = key(exp_hdr, exp_path, exp_rows)
    got = key(act_hdr, act_path, act_rows)
    if unordered:
        want, got = sorted(want), sorted(got)
    if want == got:
        return 0
    print(f"{act_path} differs from {exp_path} (columns {','.join(cols)}"
          f"{'; sets ' + ','.join(sorted(sets)) if sets else ''}"
          f"{'; unordered' if unordered else ''}):", file=sys.stderr)
    print(f"  {len(want)} rows expected, {len(got)} rows found", file=sys.stderr)
    shown = 0
    for n in range(max(len(want), len(got))):
        w = want[n] if n < len(want) else None
        g = got[n] if n < len(got) else None
        if w != g:
            print(f"  row {n + 1}:\n    want {w}\n    got  {g}", file=sys.stderr)
            shown += 1
            if shown >= 20:
                print("  ...", file=sys.stderr)
                break
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
