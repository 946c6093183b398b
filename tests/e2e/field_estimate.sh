#!/bin/sh
# field_estimate.sh — `tuopin estimate` (standard §9.2) beyond the numbers
# (field_r.sh checks those against R):
#   - a field household not in the sample is rejected NOT_SAMPLED, with its
#     line and raw row, and counted in no estimate;
#   - a sampled household without field rows is missing in every output:
#     field_households.csv, estimates.csv, field_counties.csv, agreement.csv,
#     estimates.html; a reserve's rows stand in for one not visited;
#   - a household whose member count or county changed is flagged;
#   - each county's decision is §5's thresholds on the point estimates and
#     its confidence says whether every interval lies on one side;
#   - an empty domain gives a blank estimate and its NO_*_SAMPLE reason;
#   - a county's field sheet saved as CSV unchanged reproduces the registry's
#     assessments (masked IDs, birth dates filled in from them);
#   - an edited sample.csv, and a sample folder whose run folder now holds
#     another run, are refused with a clear error.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

"$TUOPIN" gen --profile stress --households 1500 --seed 5 --quarter 2020Q4 --out "$tmp/gen.csv" || fail "gen"
python3 "$E2E/field_frame.py" "$tmp/gen.csv" "$tmp/q.csv" || fail "field_frame.py"
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv" --quarter 2020Q4 \
    --out "$tmp/run" --jobs 1 --quiet || fail "run"
"$TUOPIN" sample "$tmp/run" --out "$tmp/s" --seed 42 --param households_per_domain=4 --quiet || fail "sample"
"$TUOPIN" gen --field "$tmp/s" --registry "$tmp/q.csv" --seed 3 --out "$tmp/field0.csv" || fail "gen --field"
# one sampled household moved to another county on site
python3 - "$tmp/field0.csv" "$tmp/s/sample.csv" "$tmp/field.csv" "$tmp/moved" <<'PY' || fail "moving a household"
import csv, sys
src, sample, dst, moved = sys.argv[1:5]
ids = [r["household_id"] for r in csv.DictReader(open(sample, encoding="utf-8-sig")) if r["county_code"] == "110103"]
rows = list(csv.reader(open(src, encoding="utf-8-sig")))
h = rows[0].index("household_id"); g = rows[0].index("region_code")
present = set(r[h] for r in rows[1:])
target = [i for i in ids if i in present][0]
for r in rows[1:]:
    if r[h] == target:
        r[g] = "110104003001"
csv.writer(open(dst, "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
open(moved, "w").write(target)
PY
"$TUOPIN" estimate "$tmp/s" --field "$tmp/field.csv" --out "$tmp/e" 2>"$tmp/log" || fail "estimate: $(cat "$tmp/log")"
grep -q "not sampled" "$tmp/log" || fail "the closing line does not count the households not sampled"

python3 - "$tmp" <<'PY' || fail "the estimate's files"
import csv, os, sys
from fractions import Fraction
t = sys.argv[1]
rd = lambda p: list(csv.DictReader(open(os.path.join(t, p), encoding="utf-8-sig")))
bad = []
sample = rd("s/sample.csv")
reserve = rd("s/reserve.csv")
field = rd("field.csv")
reg = {}
for r in csv.DictReader(open(os.path.join(t, "q.csv"), encoding="utf-8-sig")):
    reg[r["household_id"]] = reg.get(r["household_id"], 0) + 1
fmembers = {}
fcounty = {}
for r in field:
    fmembers[r["household_id"]] = fmembers.get(r["household_id"], 0) + 1
    fcounty[r["household_id"]] = r["region_code"][:6]
sampled = set(s["household_id"] for s in sample)
res = {}
for r in reserve:
    res.setdefault((r["village_code"], r["domain"]), []).append((int(r["rank"]), r["household_id"]))
# expected fate of each sampled household
missing, replaced, fate = {}, {}, {}
for (v, d), lst in res.items():
    lst.sort()
for s in sample:
    fate[s["household_id"]] = "found" if s["household_id"] in fmembers else "missing"
for (v, d), lst in res.items():
    avail = [i for _, i in lst if i in fmembers]
    for s in sample:
        if s["village_code"] == v and s["domain"] == d and fate[s["household_id"]] == "missing" and avail:
            fate[s["household_id"]] = ("reserve", avail.pop(0))
for s in sample:
    if fate[s["household_id"]] == "missing":
        missing[s["county_code"]] = missing.get(s["county_code"], 0) + 1
used = set(f[1] for f in fate.values() if isinstance(f, tuple))
not_sampled = set(fmembers) - sampled - used
if not not_sampled:
    bad.append("gen --field planted no household outside the sample")
if sum(missing.values()) == 0 or not used:
    bad.append("gen --field planted no missing household or no reserve visit")
# field_rejects.csv: every row of a household not sampled, NOT_SAMPLED
rej = rd("e/field_rejects.csv")
ns_rows = sum(fmembers[i] for i in not_sampled)
got = [r for r in rej if r["code"] == "NOT_SAMPLED"]
if len(got) != ns_rows or set(r["household_id"] for r in got) != not_sampled:
    bad.append("field_rejects.csv: %d NOT_SAMPLED rows, want %d" % (len(got), ns_rows))
if any(not r["line"].isdigit() or not r["raw"].startswith(r["household_id"]) for r in got):
    bad.append("field_rejects.csv: a NOT_SAMPLED row without its line or raw text")
# field_households.csv: one row per sampled household, missing ones shown
fh = rd("e/field_households.csv")
if len(fh) != len(sample):
    bad.append("field_households.csv: %d rows for %d sampled households" % (len(fh), len(sample)))
moved = open(os.path.join(t, "moved")).read()
for s, r in zip(sample, fh):
    f = fate[s["household_id"]]
    want = "missing" if f == "missing" else "found" if f == "found" else "reserve"
    if r["field"] != want:
        bad.append("%s: field %s, want %s" % (s["household_id"], r["field"], want))
        continue
    if want == "reserve" and (r["household_id"] != f[1] or r["replaces"] != s["household_id"]):
        bad.append("%s: the reserve row does not name the household it replaces" % s["household_id"])
    if Fraction(r["weight"]) != Fraction(s["weight"]):
        bad.append("%s: weight %s, sample.csv %s" % (s["household_id"], r["weight"], s["weight"]))
    if want != "missing":
        hid = s["household_id"] if want == "found" else f[1]
        flags = set(filter(None, r["flags"].split(";")))
        exp = set()
        if fmembers[hid] != reg[hid]:
            exp.add("MEMBERS_CHANGED")
        if fcounty[hid] != s["county_code"]:
            exp.add("COUNTY_CHANGED")
        if flags != exp:
            bad.append("%s: flags %s, want %s" % (s["household_id"], flags, exp))
if not any("MEMBERS_CHANGED" in r["flags"] for r in fh):
    bad.append("no household flagged MEMBERS_CHANGED")
if not any(r["household_id"] == moved and "COUNTY_CHANGED" in r["flags"] for r in fh):
    bad.append("the moved household is not flagged COUNTY_CHANGED")
# missing per county in every output
est = rd("e/estimates.csv")
fc = {r["county_code"]: r for r in rd("e/field_counties.csv")}
ag = rd("e/agreement.csv")
html = open(os.path.join(t, "e/estimates.html"), encoding="utf-8-sig").read()
for c in fc:
    m = missing.get(c, 0)
    if int(fc[c]["missing"]) != m:
        bad.append("field_counties.csv %s: missing %s, want %d" % (c, fc[c]["missing"], m))
    if any(int(e["missing"]) != m for e in est if e["county_code"] == c):
        bad.append("estimates.csv %s: missing is not %d" % (c, m))
    am = sum(int(a["households"]) for a in ag if a["county_code"] == c and a["field_assessment"] == "missing")
    if am != m:
        bad.append("agreement.csv %s: %d missing, want %d" % (c, am, m))
    if ("missing %d<" % m) not in html.split("County %s" % c)[1][:2000]:
        bad.append("estimates.html %s: missing %d not shown" % (c, m))
# decisions from the point estimates, confidence from the intervals
th = {"incidence": Fraction(2, 100), "wrong_exit_rate": Fraction(2, 100), "missed_rate": Fraction(2, 100),
      "satisfaction": Fraction(90, 100)}
for c, row in fc.items():
    e = {x["measure"]: x for x in est if x["county_code"] == c}
    t_inc = Fraction(3, 100) if c[:2] in ("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65") else th["incidence"]
    val = lambda k: Fraction(e[k]["estimate"]) if e[k]["estimate"] else None
    reasons = []
    if val("incidence") is not None and val("incidence") >= t_inc: reasons.append("INCIDENCE_HIGH")
    if val("wrong_exit_rate") is not None and val("wrong_exit_rate") >= th["wrong_exit_rate"]: reasons.append("WRONG_EXIT_HIGH")
    if val("missed_rate") is not None and val("missed_rate") >= th["missed_rate"]: reasons.append("MISSED_HIGH")
    if val("satisfaction") is not None and val("satisfaction") < th["satisfaction"]: reasons.append("SATISFACTION_LOW")
    dec = "fails" if reasons else None
    if val("wrong_exit_rate") is None: reasons.append("NO_EXITED_SAMPLE")
    if val("missed_rate") is None: reasons.append("NO_GENERAL_SAMPLE")
    dec = dec or ("incomplete" if reasons else "meets")
    if row["decision"] != dec or row["reasons"] != ";".join(reasons):
        bad.append("%s: %s %s, want %s %s" % (c, row["decision"], row["reasons"], dec, ";".join(reasons)))
    clear = True
    for k, tk in (("incidence", t_inc), ("wrong_exit_rate", th["wrong_exit_rate"]),
                  ("missed_rate", th["missed_rate"]), ("satisfaction", th["satisfaction"])):
        if e[k]["estimate"] and not (Fraction(e[k]["ci_high"]) < tk or Fraction(e[k]["ci_low"]) >= tk):
            clear = False
    if row["confidence"] != ("clear" if clear else "near_threshold"):
        bad.append("%s: confidence %s" % (c, row["confidence"]))
# the county without general households: an empty domain
e = {x["measure"]: x for x in est if x["county_code"] == "110104"}
if e["missed_rate"]["estimate"] != "" or e["missed_rate"]["households"] != "0" \
        or "NO_GENERAL_SAMPLE" not in fc["110104"]["reasons"]:
    bad.append("110104: the empty domain is not blank with NO_GENERAL_SAMPLE")
for b in bad[:20]:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# a field sheet, saved as CSV unchanged, is a field file that reproduces the
# registry: every household of the county found, each assessed as the registry
python3 "$E2E/field_sheet_csv.py" "$tmp/s/field-110103.xlsx" "$tmp/sheet.csv" || fail "field_sheet_csv.py"
"$TUOPIN" estimate "$tmp/s" --field "$tmp/sheet.csv" --out "$tmp/es" --quiet || fail "estimate from a sheet"
python3 - "$tmp/es/field_households.csv" <<'PY' || fail "the field sheet saved as CSV does not reproduce the registry"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["region_code"].startswith("110103")]
bad = [r["household_id"] for r in rows if r["field"] != "found" or r["assessment"] != r["registry_assessment"]
       or r["flags"]]
if not rows or bad:
    print("%d of %d households differ: %s" % (len(bad), len(rows), bad[:5]), file=sys.stderr)
sys.exit(1 if bad or not rows else 0)
PY

# refused: an edited sample.csv (one weight changed)
cp -r "$tmp/s" "$tmp/s2"
python3 - "$tmp/s2/sample.csv" <<'PY'
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8-sig").read().split("\n")
f = lines[5].split(",")
f[-1] = "9.75"
lines[5] = ",".join(f)
open(p, "w", encoding="utf-8").write("\n".join(lines))
PY
"$TUOPIN" estimate "$tmp/s2" --field "$tmp/field.csv" --out "$tmp/e2" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "sample.csv: line 6 is not what the design gives" "$tmp/err" \
    || fail "an edited sample.csv: status $rc, $(cat "$tmp/err")"
[ -e "$tmp/e2/estimates.csv" ] && fail "an edited sample.csv gave estimates"
# refused: the run folder now holds another run (one household's status changed)
python3 - "$tmp/q.csv" "$tmp/q2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
s = rows[0].index("status")
first = rows[1][0]
for r in rows[1:]:
    if r[0] == first:
        r[s] = "general" if r[s] != "general" else "poor"
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q2.csv" --quarter 2020Q4 \
    --out "$tmp/run" --jobs 1 --quiet || fail "the second run"
"$TUOPIN" estimate "$tmp/s" --field "$tmp/field.csv" --out "$tmp/e3" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "the sample was drawn from another run" "$tmp/err" \
    || fail "a sample of another run: status $rc, $(cat "$tmp/err")"
"$TUOPIN" estimate "$tmp/s" --out "$tmp/e4" 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "no --field: status $rc"
finish
