#!/bin/sh
# field_sample.sh — `tuopin sample` (standard §9.1) on a generated quarter
# whose counties test every corner of the design (field_frame.py): a county
# of one village, one of fewer villages than asked, villages with fewer
# households than asked, a county with no general household.
#   - the same seed gives the same sample.csv, reserve.csv and design.csv,
#     byte for byte, on runs made with --jobs 1 and --jobs 2; another seed
#     another sample;
#   - m = min(M, villages_per_county), n = min(N, households_per_domain),
#     each weight (M/m)(N/n) to 12 decimals, the weights of a county whose
#     villages were all taken summing to its households of that domain;
#   - the field workbooks list the sampled households' person rows with
#     drop-down lists and no resident ID or name in full;
#   - usage errors and a folder that is not a run are refused.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

"$TUOPIN" gen --profile stress --households 1500 --seed 5 --quarter 2020Q4 --out "$tmp/gen.csv" || fail "gen"
python3 "$E2E/field_frame.py" "$tmp/gen.csv" "$tmp/q.csv" || fail "field_frame.py"
for j in 1 2; do
    "$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv" --quarter 2020Q4 \
        --out "$tmp/run$j" --jobs $j --quiet || fail "run --jobs $j"
done
P="--param villages_per_county=6 --param households_per_domain=4"
"$TUOPIN" sample "$tmp/run1" --out "$tmp/s1" --seed 42 $P --quiet || fail "sample run1"
"$TUOPIN" sample "$tmp/run2" --out "$tmp/s2" --seed 42 $P --quiet || fail "sample run2"
"$TUOPIN" sample "$tmp/run1" --out "$tmp/s3" --seed 43 $P --quiet || fail "sample seed 43"
for f in sample.csv reserve.csv design.csv; do
    cmp -s "$tmp/s1/$f" "$tmp/s2/$f" || fail "$f differs between --jobs 1 and --jobs 2"
done
cmp -s "$tmp/s1/sample.csv" "$tmp/s3/sample.csv" && fail "seed 43 drew the same sample as seed 42"

python3 - "$tmp/s1" "$tmp/run1/households.csv" "$tmp/q.csv" <<'PY' || fail "the design"
import csv, sys, os, re, zipfile
from fractions import Fraction
sdir, hh_csv, q_csv = sys.argv[1:4]
bad = []
hh = list(csv.DictReader(open(hh_csv, encoding="utf-8-sig")))
dom = lambda s: "general" if s == "general" else "registered"
N = {}
for h in hh:
    key = (h["region_code"], dom(h["status"]))
    N[key] = N.get(key, 0) + 1
villages = {}
for h in hh:
    villages.setdefault(h["region_code"][:6], set()).add(h["region_code"])
design = list(csv.DictReader(open(os.path.join(sdir, "design.csv"), encoding="utf-8-sig")))
sample = list(csv.DictReader(open(os.path.join(sdir, "sample.csv"), encoding="utf-8-sig")))
info = dict(csv.reader(open(os.path.join(sdir, "sample_info.csv"), encoding="utf-8-sig")))
if info.get("seed") != "42" or info.get("households_per_domain") != "4":
    bad.append("sample_info.csv: seed or parameters not recorded")
if not re.fullmatch(r"[0-9a-f]{64}", info.get("frame_sha256", "")):
    bad.append("sample_info.csv: no frame SHA-256")
m = {}
for d in design:
    c = d["county_code"]
    M = len(villages[c])
    if int(d["M"]) != M or int(d["m"]) != min(M, 6):
        bad.append("design.csv %s: M %s m %s, want %d %d" % (d["village_code"], d["M"], d["m"], M, min(M, 6)))
    m[c] = int(d["m"])
    for dm in ("registered", "general"):
        n_want = min(N.get((d["village_code"], dm), 0), 4) if d["sampled"] == "yes" else 0
        if int(d["N_" + dm]) != N.get((d["village_code"], dm), 0) or int(d["n_" + dm]) != n_want:
            bad.append("design.csv %s %s: N/n wrong" % (d["village_code"], dm))
for c, want in (("110101", 1), ("110102", 2), ("110103", 6), ("130106", 6)):
    if m.get(c) != want:
        bad.append("county %s: m = %s, want %d" % (c, m.get(c), want))
wsum = {}
count = {}
for s in sample:
    M, mm, NN, n = (int(s[k]) for k in ("M", "m", "N", "n"))
    w = Fraction(M, mm) * Fraction(NN, n)
    if Fraction(s["weight"]) != Fraction(round(w * 10**12), 10**12):
        bad.append("%s: weight %s, want %s" % (s["household_id"], s["weight"], w))
    key = (s["county_code"], s["domain"])
    wsum[key] = wsum.get(key, 0) + w
    count[(s["village_code"], s["domain"])] = count.get((s["village_code"], s["domain"]), 0) + 1
    if s["county_code"] == "110104" and s["domain"] == "general":
        bad.append("a general household drawn in a county without any")
for (v, dm), k in count.items():
    if k != min(N[(v, dm)], 4):
        bad.append("village %s %s: %d drawn" % (v, dm, k))
for c in ("110101", "110102"):       # all villages taken: weights sum to N
    for dm in ("registered", "general"):
        tot = sum(k for (v, d2), k in N.items() if v[:6] == c and d2 == dm)
        if wsum.get((c, dm), 0) != tot:
            bad.append("county %s %s: weights sum to %s, want %d" % (c, dm, wsum.get((c, dm), 0), tot))
# the workbooks: person rows of the sampled households, lists, no full ID or name
rows = list(csv.DictReader(open(q_csv, encoding="utf-8-sig")))
ids = set(r["person_id"] for r in rows if len(r["person_id"]) == 18)
names = set(r["name"] for r in rows if len(r["name"]) >= 2)
persons = {}
for r in rows:
    persons[r["household_id"]] = persons.get(r["household_id"], 0) + 1
for c in sorted(m):
    path = os.path.join(sdir, "field-%s.xlsx" % c)
    z = zipfile.ZipFile(path)
    text = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    if "dataValidation" not in text or "是,否" not in text.replace('"', "").replace("&quot;", ""):
        bad.append("%s: no yes/no drop-down list" % path)
    leak = [i for i in ids if i in text] + [n for n in names if n in text]
    if leak:
        bad.append("%s: %d IDs or names in full" % (path, len(leak)))
    sheet1 = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    want = sum(persons[s["household_id"]] for s in sample if s["county_code"] == c)
    got = sheet1.count("<row ") - 1
    if got != want:
        bad.append("%s: %d person rows, want %d" % (path, got, want))
for b in bad[:20]:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# refused: not a run folder, an unknown parameter, a missing --out
"$TUOPIN" sample "$tmp" --out "$tmp/x" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no results.sqlite" "$tmp/err" || fail "a folder that is not a run: status $rc"
"$TUOPIN" sample "$tmp/run1" --out "$tmp/x" --param villages=3 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown parameter" "$tmp/err" || fail "an unknown parameter: status $rc"
"$TUOPIN" sample "$tmp/run1" --seed x --out "$tmp/x" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "a bad seed: status $rc"
[ -e "$tmp/x" ] && fail "a refused sample wrote its folder"
finish
