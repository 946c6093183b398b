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
# county (single-PSU strata: certainty, standard error 0).
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
command -v Rscript >/dev/null 2>&1 || { echo "Rscript is missing (Debian: r-base-core)" >&2; exit 77; }
Rscript -e 'library(survey)' >/dev/null 2>&1 || { echo "R's survey package is missing (Debian: r-cran-survey)" >&2; exit 77; }

"$TUOPIN" gen --households 4000 --seed 5 --quarter 2020Q4 --out "$tmp/gen.csv" || fail "gen"
python3 "$E2E/field_frame.py" "$tmp/gen.csv" "$tmp/q.csv" || fail "field_frame.py"
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv" --quarter 2020Q4 \
    --out "$tmp/run" --jobs 2 --quiet || fail "run"

compare() {   # compare SAMPLE_DIR LABEL
    python3 - "$1/est/estimates.csv" "$1/r.csv" "$2" <<'PY'
import csv, sys
mine, theirs, label = sys.argv[1:4]
a = {(r["county_code"], r["measure"]): r for r in csv.DictReader(open(mine, encoding="utf-8"))}
b = {(r["county_code"], r["measure"]): r for r in csv.DictReader(open(theirs, encoding="utf-8"))}
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

for v in 3 1; do
    d="$tmp/s$v"
    "$TUOPIN" sample "$tmp/run" --out "$d" --seed 42 --param villages_per_county=$v \
        --param households_per_domain=4 --quiet || fail "sample ($v villages)"
    "$TUOPIN" gen --field "$d" --registry "$tmp/q.csv" --seed 7 --out "$d/field.csv" || fail "gen --field ($v)"
    "$TUOPIN" estimate "$d" --field "$d/field.csv" --out "$d/est" --quiet || fail "estimate ($v villages)"
    Rscript "$E2E/field_svy.R" "$d/sample.csv" "$d/est/field_households.csv" "$d/r.csv" \
        || fail "Rscript ($v villages)"
    compare "$d" "$v villages" || fail "estimates differ from R's survey package ($v villages per county)"
done
# one village per county: every standard error is 0 (certainty)
awk -F, 'NR > 1 && $4 != "" && $4 != "0" { bad = 1 } END { exit bad }' "$tmp/s1/est/estimates.csv" \
    || fail "a county of one drawn village has a standard error"
finish
