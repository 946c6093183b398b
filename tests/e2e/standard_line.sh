#!/bin/sh
# standard_line.sh — provinces raise the national standard, never lower it
# (standard §7, issue 17 item 3).  An income_line below the year's national
# line (2020: 4000 yuan, data/national-lines.csv), from --param, the
# pipeline's params or a rule script's params, and a county threshold looser
# than the standard's, are refused with exit status 2 and one line naming
# the parameter, its value and the national one.  --below-standard lets a
# research run through, and then every output says it is not the national
# standard.  report.html shows the line used and where it came from.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
EX="$abs_top_srcdir/examples"
NAT="$EX/national.lua"

# expect_refused DESCRIPTION PATTERN... -- ARGS: exit status 2, one line.
expect_refused() {
    what=$1
    expect_fatal "$@"
    [ "$st" -eq 2 ] || fail "$what: exit status $st, expected 2 (as for a usage error)"
}

expect_refused "--param income_line=3000" income_line 3000 4000 "--param" "--below-standard" -- \
    --lang en run "$NAT" --out "$tmp/r1" --param income_line=3000
[ ! -e "$tmp/r1/households.csv" ] || fail "a refused run wrote households.csv"
expect_refused "--param income_line=3000 (zh)" income_line 3000 4000 "低于" "国家标准" -- \
    --lang zh run "$NAT" --out "$tmp/r1" --param income_line=3000
{ echo 'quarter "2020Q3"'; echo "input { path = \"$EX/quarter.csv\" }"; echo 'params { income_line = 2500 }';
  echo 'stage "income"'; } >"$tmp/low.lua"
expect_refused "params { income_line = 2500 }" income_line 2500 4000 "pipeline" -- \
    --lang en run "$tmp/low.lua" --out "$tmp/r2"
cat >"$tmp/lowscript.lua" <<'EOF'
return { name = "low-line", params = { income_line = 3500 }, check = function(hh, p) end }
EOF
{ echo 'quarter "2020Q3"'; echo "input { path = \"$EX/quarter.csv\" }"; echo 'stage "income"';
  echo "stage { script = \"$tmp/lowscript.lua\" }"; } >"$tmp/lows.lua"
expect_refused "a script's params { income_line = 3500 }" income_line 3500 4000 low-line -- \
    --lang en run "$tmp/lows.lua" --out "$tmp/r3"
expect_refused "--param low-line.income_line=3900" income_line 3900 4000 low-line -- \
    --lang en run "$tmp/lows.lua" --out "$tmp/r3" --param low-line.income_line=3900
expect_refused "--param missed_max=0.05" missed_max 0.05 0.02 -- \
    --lang en run "$NAT" --out "$tmp/r4" --param missed_max=0.05
expect_refused "--param satisfaction_min=0.8" satisfaction_min 0.8 0.90 -- \
    --lang en run "$NAT" --out "$tmp/r4" --param satisfaction_min=0.8
expect_refused "--param incidence_max_western=0.04" incidence_max_western 0.04 0.03 -- \
    --lang en run "$NAT" --out "$tmp/r4" --param incidence_max_western=0.04

# Raising and tightening are fine.
"$TUOPIN" --lang en run "$NAT" --out "$tmp/up" --param income_line=4600 --param missed_max=0.01 --quiet \
    || fail "raising the line and tightening missed_max was refused"
grep -q 'id="income-line">4600 <span class="zh">元/人·年（</span><span class="en">yuan a person a year (</span><span class="zh">命令行 --param' \
    "$tmp/up/report.html" || fail "report.html does not show the line 4600 from --param"

# The national line by default: from the table.
{ echo 'quarter "2020Q3"'; echo "input { path = \"$EX/quarter.csv\" }"; echo 'stage "income"'; } >"$tmp/def.lua"
"$TUOPIN" run "$tmp/def.lua" --out "$tmp/def" --quiet || fail "the run with the table's line failed"
grep -q 'id="income-line">4000.00 .*国家标准表' "$tmp/def/report.html" \
    || fail "report.html does not show the line 4000.00 from the national table"

# --below-standard: the run goes through and every output says so.
"$TUOPIN" --lang en run "$NAT" --out "$tmp/low" --param income_line=3000 --below-standard \
    2>"$tmp/low.stderr" || fail "--below-standard: the run failed: $(cat "$tmp/low.stderr")"
grep -q 'NOT THE NATIONAL STANDARD.*income_line = 3000.00 (--param) is below the national line of 2020, 4000.00' \
    "$tmp/low.stderr" || fail "--below-standard: the terminal does not say it: $(cat "$tmp/low.stderr")"
grep -q 'results are NOT the national standard' "$tmp/low.stderr" \
    || fail "--below-standard: the closing lines do not say it"
grep -q 'id="below-standard"' "$tmp/low/report.html" || fail "--below-standard: report.html does not say it"
head -1 "$tmp/low/summary.csv" | grep -q ',standard$' || fail "--below-standard: summary.csv has no standard column"
sed -n 2p "$tmp/low/summary.csv" | grep -q 'NOT the national standard: parameter income_line' \
    || fail "--below-standard: summary.csv's rows do not say it"
if head -1 "$tmp/up/summary.csv" | grep -q 'standard'; then fail "a national-standard run's summary.csv has a standard column"; fi
python3 - "$tmp/low" "$tmp/up" <<'EOF' || fail "--below-standard: report.xlsx or results.sqlite does not say it"
import sqlite3, sys, zipfile
low, up = sys.argv[1], sys.argv[2]
def strings(d):
    with zipfile.ZipFile(d + "/report.xlsx") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
ok = True
if "NOT the national standard" not in strings(low):
    print("report.xlsx's about sheet does not say it"); ok = False
if "NOT the national standard" in strings(up):
    print("a national-standard run's report.xlsx says it is not"); ok = False
r = sqlite3.connect(low + "/results.sqlite").execute("SELECT income_line_origin, standard FROM run").fetchone()
if r[0] != "--param" or not r[1].startswith("NOT the national standard: parameter income_line = 3000.00"):
    print("results.sqlite run:", r); ok = False
r = sqlite3.connect(up + "/results.sqlite").execute("SELECT income_line_origin, standard FROM run").fetchone()
if r != ("--param", "national"):
    print("results.sqlite run of the raised line:", r); ok = False
sys.exit(0 if ok else 1)
EOF
# The lowered line changes the verdicts: fewer INCOME_BELOW_LINE.
n_low=$(grep -c ',INCOME_BELOW_LINE,' "$tmp/low/findings.csv")
n_nat=$(grep -c ',INCOME_BELOW_LINE,' "$tmp/def/findings.csv")
[ "$n_low" -lt "$n_nat" ] || fail "INCOME_BELOW_LINE: $n_low at 3000 yuan, $n_nat at 4000"

# A province's line raised in a rule script (issue 17 item 4): the script's
# params.income_line raises the line of the income stage, so missed
# households (漏评) and the AF view are those of --param income_line=4600.
cat >"$tmp/raise.lua" <<'EOF'
return { name = "raise", params = { income_line = 4600 }, check = function(hh, params) end }
EOF
{ sed -n '/^stage/p' "$NAT"; echo "stage { script = \"$tmp/raise.lua\" }"; } >"$tmp/prov.lua"
Q3="$EX/quarter-2020Q3.csv"
"$TUOPIN" run "$tmp/prov.lua" --quarter 2020Q3 --input "$Q3" --out "$tmp/by-script" --quiet \
    || fail "the run raising the line in a script failed"
"$TUOPIN" run "$NAT" --input "$Q3" --out "$tmp/by-param" --quiet --param income_line=4600 \
    || fail "the run raising the line by --param failed"
"$TUOPIN" run "$NAT" --input "$Q3" --out "$tmp/by-nat" --quiet || fail "the national run failed"
for f in households.csv counties.csv af.csv; do
    cmp -s "$tmp/by-script/$f" "$tmp/by-param/$f" \
        || fail "raising the line in a script and by --param give different $f"
done
if cmp -s "$tmp/by-nat/households.csv" "$tmp/by-param/households.csv"; then
    fail "raising the line to 4600 changed no household"
fi
grep -q 'id="income-line">4600.00 .*省定规则脚本 .*raise' "$tmp/by-script/report.html" \
    || fail "report.html does not show the line 4600.00 from rule script raise"
# the script's line is raise-only: a higher --param line stays
"$TUOPIN" run "$tmp/prov.lua" --quarter 2020Q3 --input "$Q3" --out "$tmp/both" --quiet \
    --param income_line=5000 || fail "the run with --param 5000 and a script at 4600 failed"
grep -q 'id="income-line">5000 ' "$tmp/both/report.html" || fail "a script at 4600 lowered --param 5000"
# the example province raises the line in its script
"$TUOPIN" run "$EX/province.lua" --out "$tmp/province" --quiet || fail "examples/province.lua failed"
grep -q 'id="income-line">4600.00 .*example-income' "$tmp/province/report.html" \
    || fail "examples/province.lua: the income stage does not use the provincial line 4600"
# compare.html names each quarter's line and where it came from
"$TUOPIN" run "$NAT" --input "$EX/quarter-2020Q4.csv" --quarter 2020Q4 --out "$tmp/q4" --quiet \
    || fail "the 2020Q4 run failed"
"$TUOPIN" compare "$tmp/by-script" "$tmp/q4" --out "$tmp/cmp" --quiet || fail "compare failed"
grep -q '2020Q3: 4600.00 (<span class="zh">省定规则脚本 </span><span class="en">rule script </span>raise' \
    "$tmp/cmp/compare.html" || fail "compare.html does not name 2020Q3's line 4600.00 from rule script raise"
grep -q '2020Q4: 4000.00 (<span class="zh">流水线 params' "$tmp/cmp/compare.html" \
    || fail "compare.html does not name 2020Q4's line 4000.00 from the pipeline"
finish
