#!/bin/sh
# field_r.sh — standard §9.2's estimates equal R's survey package (Lumley):
# every estimate and standard error of estimates.csv, for every county and
# measure, against svyratio under svydesign(ids = ~village, strata = ~county,
# fpc = ~M, weights = ~w) run by Rscript on the same units (field_svy.R,
# which makes the weights and each household's values itself), to 1e-9
# relative (differences under 1e-15 absolute are rounding noise around 0).  Designs on a generated quarter with a county of one village, a
# county of fewer villages than asked, villages with fewer households than
# asked and a county without general households (an empty domain); field
# rows from `tuopin gen --field` (planted differences, households not
# visited, reserves, a member more), three villages drawn per county (most
# counties then have standard errors); then the same with one village per
# county (single-PSU strata: certainty, standard error 0); then three
# villages per county drawn besides the two most suspect villages of each
# county taken with certainty (--certainty quality:2, issue 21: each a
# stratum of its own, M = m = 1, as design.csv's stratum column says).
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
command -v Rscript >/dev/null 2>&1 || { echo "Rscript is missing (Debian: r-base-core)" >&2; exit 77; }
Rscript -e 'library(survey)' >/dev/null 2>&1 || { echo "R's survey package is missing (Debian: r-cran-survey)" >&2; exit 77; }

"$TUOPIN" gen --profile stress --households 4000 --seed 5 --quarter 2020Q4 --out "$tmp/gen.csv" || fail "gen"
python3 "$E2E/field_frame.py" "$tmp/gen.csv" "$tmp/q.csv" || fail "field_frame.py"
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv" --quarter 2020Q4 \
    --out "$tmp/run" --jobs 2 --quiet || fail "run"

compare() {   # compare SAMPLE_DIR LABEL
    python3 - "$1/est/estimates.csv" "$1/r.csv" "$2" <<'PY'
import csv, sys
mine, theirs, label = sys.argv[1:4]
a = {(r["county_code"], r["measure"]): r for r in csv.DictReader(open(mine, encoding="utf-8-sig"))}
b = {(r["county_code"], r["measure"]): r for r in csv.DictReader(open(theirs, encoding="utf-8-sig"))}
bad, nse, worst = [], 0, 0.0
if set(a) != set(b):
    bad.append("county/measure pairs differ: %s" % sorted(set(a) ^ set(b))[:5])
for k in sorted(set(a) & set(b)):
    for col in ("estimate", "se"):
        x, y = a[k][col], b[k][col]
        if y == "NA":
            if x != "":
                bad.append("%s %s: R has none, tuopin %s" % (k, col, x))
            continue
        if x == "":
            bad.append("%s %s: tuopin has none, R %s" % (k, col, y))
            continue
        x, y = float(x), float(y)
        m = max(abs(x), abs(y))
        if col == "se" and m > 0:
            nse += 1
        if m > 1e-12:
            worst = max(worst, abs(x - y) / m)
        # 1e-9 relative; and a standard error that is 0 in exact arithmetic
        # comes out of either program as rounding noise (1e-20, 1e-17):
        # differences below 1e-15 (rates and their errors lie in [0, 1])
        # are that noise, fifteen digits below what is printed
        if abs(x - y) > 1e-9 * m and abs(x - y) > 1e-15:
            bad.append("%s %s: tuopin %r, R %r" % (k, col, x, y))
for x in bad[:20]:
    print("%s: %s" % (label, x), file=sys.stderr)
print("%s: %d estimates and standard errors (%d standard errors not 0), largest relative difference %.3g "
      "(values over 1e-12)"
      % (label, 2 * len(b), nse, worst))
if label == "3 villages" and nse < 50:
    bad.append("too few standard errors that are not 0 to test anything")
    print("%s: only %d standard errors not 0" % (label, nse), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

for v in 3 1 3c; do
    d="$tmp/s$v"
    set -- --param villages_per_county=${v%c}
    [ "$v" = 3c ] && set -- "$@" --certainty quality:2
    "$TUOPIN" sample "$tmp/run" --out "$d" --seed 42 "$@" \
        --param households_per_domain=4 --quiet || fail "sample ($v villages)"
    "$TUOPIN" gen --field "$d" --registry "$tmp/q.csv" --seed 7 --out "$d/field.csv" || fail "gen --field ($v)"
    "$TUOPIN" estimate "$d" --field "$d/field.csv" --out "$d/est" --quiet || fail "estimate ($v villages)"
    set --
    [ "$v" = 3c ] && set -- "$d/design.csv"
    Rscript "$E2E/field_svy.R" "$d/sample.csv" "$d/est/field_households.csv" "$d/r.csv" "$@" \
        || fail "Rscript ($v villages)"
    compare "$d" "$v villages" || fail "estimates differ from R's survey package ($v villages per county)"
done
# --certainty quality:2: the two top-ranked villages of each county of
# quality.csv are in the sample, alone in their strata, weight N/n
python3 - "$tmp/run/quality.csv" "$tmp/s3c/design.csv" "$tmp/s3c/sample.csv" <<'PY' || fail "certainty villages"
import csv, sys
q = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if int(r["rank"]) <= 2]
d = {r["village_code"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig"))}
bad = 0
for r in q:
    v = d[r["village_code"]]
    if (v["sampled"], v["M"], v["m"], v["stratum"]) != ("yes", "1", "1", r["village_code"]) \
            or not v["certainty"].startswith("quality rank %s " % r["rank"]):
        print("certainty village %s: %s" % (r["village_code"], v)); bad += 1
for v in d.values():
    if not v["certainty"] and v["stratum"] != v["county_code"]:
        print("village %s not in its county's stratum" % v["village_code"]); bad += 1
# the county's stratum: M = its villages less the certainty ones
for c in {v["county_code"] for v in d.values()}:
    vs = [v for v in d.values() if v["county_code"] == c]
    k = sum(1 for v in vs if v["certainty"])
    rest = [v for v in vs if not v["certainty"]]
    if rest and any(int(v["M"]) != len(rest) or int(v["m"]) != min(3, len(rest)) for v in rest):
        print("county %s: M, m of the drawn stratum wrong" % c); bad += 1
    if sum(1 for v in rest if v["sampled"] == "yes") != min(3, len(rest)):
        print("county %s: not 3 villages drawn besides the certainty ones" % c); bad += 1
for s in csv.DictReader(open(sys.argv[3], encoding="utf-8-sig")):
    v = d[s["village_code"]]
    if v["certainty"]:
        from fractions import Fraction
        if Fraction(s["weight"]) != Fraction(int(s["N"]), int(s["n"])) or (s["M"], s["m"]) != ("1", "1"):
            print("certainty household %s: weight %s" % (s["household_id"], s["weight"])); bad += 1
sys.exit(1 if bad else 0)
PY
# one village per county: every standard error is 0 (certainty)
awk -F, 'NR > 1 && $4 != "" && $4 != "0" { bad = 1 } END { exit bad }' "$tmp/s1/est/estimates.csv" \
    || fail "a county of one drawn village has a standard error"
finish
