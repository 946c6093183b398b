#!/bin/sh
# quality.sh — the village data-quality signals of docs/quality.md on
# hand-made villages (tests/e2e/data/quality_villages.csv, 2020: line
# L = 4000.00 yuan), every value worked out by hand from the definitions:
#
# county 130722, three villages, one member a household unless said:
#   001 A1–A3 exited, wage 4100.00; A4 exited, wage 4150.50
#       households 4; missing/bad 0; copied 3 (A1–A3 share one tuple) → 0.75;
#       amounts 4, round 3 (4100.00) → 0.75; near_below 0, near_above 4
#       (4100, 4150.50 ∈ [4000, 4200)) → bunching ln(5/1) = 1.6094;
#       exited 4, near 4 → 1.0; income_pc 410000×3, 415050 cents:
#       mean 411262.5, sd 2186.71 → CV 0.0053
#   002 B1 exited 3900.00 (∈ [3800, 4000): near_below); B2 poor 2000.37 +
#       transfer 500.00; B3 exited 5000.55; B4 general, wage "abc"
#       households 4; missing/bad 1 (B4: BAD_VALUE) → 0.25; copied 0;
#       amounts 4 (B4's bad wage is not one), round 2 (3900.00, 500.00)
#       → 0.5; below 1, above 0 → ln(1/2) = -0.6931; exited 2, near 0 → 0;
#       income_pc 390000, 250037, 500055 → CV 0.2692
#   003 C1 general 8000.10; C2 poor, two members, 4000.00 + 4000.00
#       (income_pc exactly L: near_above)
#       households 2; amounts 3, round 2 → 0.6667; above 1 → ln 2 = 0.6931;
#       no exited households: no value; income_pc 800010, 400000 → CV 0.3333
# z-scores against the county's three villages (population sd): missing
# (0, .25, 0) → -0.7071, 1.4142, -0.7071; copied (.75, 0, 0) → 1.4142,
# -0.7071, -0.7071; round (.75, .5, .6667) → 1.0690, -1.3363, 0.2673;
# bunching → 1.1336, -1.2991, 0.1655; exited near (1, 0, none) → 1, -1,
# blank; CV (.0053, .2692, .3333) → -1.3900, 0.4691, 0.9208.  Score = sum of
# the positive z (the CV's sign turned): A 1.4142 + 1.0690 + 1.1336 + 1 +
# 1.3900 = 6.0068; B 1.4142; C 0.2673 + 0.1655 = 0.4328.
# county 130725: one village, one household: every z 0, score 0, rank 1.
. "$abs_top_srcdir/tests/e2e/lib.sh"

out="$tmp/out"
run_tuopin "$out" "$abs_top_srcdir/examples/national.lua" --input "$DATA/quality_villages.csv" --quarter 2020Q4
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$out.stderr" >&2; }

cat >"$tmp/expected.csv" <<'CSV'
county_code,village_code,households,missing_bad,missing_bad_share,copied,copied_share,amounts,round_amounts,round_share,near_below,near_above,bunching,exited,exited_near,exited_near_share,cv_income_pc,z_missing_bad,z_copied,z_round,z_bunching,z_exited_near,z_cv,score,rank,villages_in_county,reasons
130722,130722001001,4,0,0.0000,3,0.7500,4,3,0.7500,0,4,1.6094,4,4,1.0000,0.0053,-0.7071,1.4142,1.0690,1.1336,1.0000,-1.3900,6.0068,1,3,COPIED_INCOMES
130722,130722001002,4,1,0.2500,0,0.0000,4,2,0.5000,1,0,-0.6931,2,0,0.0000,0.2692,1.4142,-0.7071,-1.3363,-1.2991,-1.0000,0.4691,1.4142,2,3,MISSING_OR_BAD
130722,130722001003,2,0,0.0000,0,0.0000,3,2,0.6667,0,1,0.6931,0,0,,0.3333,-0.7071,-0.7071,0.2673,0.1655,,0.9208,0.4328,3,3,ROUND_AMOUNTS
130725,130725001001,1,0,0.0000,0,0.0000,1,1,1.0000,0,1,0.6931,1,1,1.0000,,0.0000,0.0000,0.0000,0.0000,0.0000,,0.0000,1,1,
CSV
if ! bom_strip "$out/quality.csv" | cmp -s "$tmp/expected.csv" -; then
    fail "quality.csv differs from the hand-computed one"
    bom_strip "$out/quality.csv" | diff "$tmp/expected.csv" - >&2
fi

# The reports name the worst villages with their reasons in both languages.
grep -q '<section id="quality">' "$out/report.html" || fail "report.html has no quality section"
grep -q '多户收入数字完全相同 (z 1.4)' "$out/report.html" || fail "report.html: no Chinese reason for village 001"
grep -q 'identical income figures in several households (z 1.4)' "$out/report.html" \
    || fail "report.html: no English reason for village 001"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$out/report.xlsx" <<'PY' || fail "report.xlsx has no quality sheet with the worst villages"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
assert 'name="quality"' in wb, wb
names = re.findall(r'<sheet name="([^"]+)"', wb)
sheet = z.read("xl/worksheets/sheet%d.xml" % (names.index("quality") + 1)).decode()
for text in ("130722001001", "COPIED_INCOMES", "多户收入数字完全相同 (z 1.4)",
             "identical income figures in several households (z 1.4)"):
    assert text in sheet, text
PY
fi

# With region names, the county's name stands beside its code in the
# quality table and the quality sheet, as in the other tables (issue 21).
grep -q 'id="quality-table"><thead><tr><th[^>]*><span class="zh">县代码</span><span class="en">County</span></th><th[^>]*><span class="zh">名称</span>' \
    "$out/report.html" && fail "report.html: a Name column in the quality table of a run without names"
run_tuopin "$tmp/named" "$abs_top_srcdir/examples/national.lua" --input "$DATA/quality_villages.csv" --quarter 2020Q4 \
    --region-names "$abs_top_srcdir/examples/regions.csv"
[ "$status" -eq 0 ] || { fail "exit status $status (--region-names)"; cat "$tmp/named.stderr" >&2; }
sed -n '/id="quality-table"/,/<\/table>/p' "$tmp/named/report.html" >"$tmp/qtable.html"
grep -q '<th[^>]*><span class="zh">名称</span><span class="en">Name</span></th>' "$tmp/qtable.html" \
    || fail "report.html: no Name column in the quality table"
for row in '130722</td><td class="t"><span class="zh">张北县</span><span class="en">Zhangbei</span></td><td>1</td><td class="t">130722001001<' \
           '130725</td><td class="t"><span class="zh">尚义县</span><span class="en">Shangyi</span></td><td>1</td><td class="t">130725001001<'; do
    grep -qF "$row" "$tmp/qtable.html" || fail "report.html: quality row without the county's name: $row"
done
if command -v python3 >/dev/null 2>&1; then
    python3 - "$tmp/named/report.xlsx" <<'PY' || fail "report.xlsx: the quality sheet does not name the counties"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
sheet = z.read("xl/worksheets/sheet%d.xml" % (names.index("quality") + 1)).decode()
rows = re.findall(r'<row [^>]*>(.*?)</row>', sheet, re.S)
def cells(r):
    return dict((m[0], m[1]) for m in re.findall(r'<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>(.*?)</t></is>|<v>[^<]*</v>)</c>', r, re.S))
head = cells(rows[0])
assert head.get("I") == "县名称\ncounty_name", head
got = [(cells(r).get("A"), cells(r).get("C"), cells(r).get("I")) for r in rows[1:]]
assert ("130722", "130722001001", "张北县") in got, got
assert ("130725", "130725001001", "尚义县") in got, got
PY
fi

# No household's data and the same file whatever the number of workers.
"$TUOPIN" gen --profile stress --households 3000 --seed 7 --out "$tmp/gen.csv" || fail "gen"
run_tuopin "$tmp/j1" "$abs_top_srcdir/examples/national.lua" --input "$tmp/gen.csv" --jobs 1
run_tuopin "$tmp/j3" "$abs_top_srcdir/examples/national.lua" --input "$tmp/gen.csv" --jobs 3
cmp -s "$tmp/j1/quality.csv" "$tmp/j3/quality.csv" || fail "quality.csv depends on --jobs"
[ "$(wc -l <"$tmp/j1/quality.csv")" -gt 100 ] || fail "quality.csv of 3000 households has too few villages"
finish
