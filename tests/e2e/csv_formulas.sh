#!/bin/sh
# csv_formulas.sh — issue 18 item 8: no cell of a CSV output opens as a
# formula in a spreadsheet.  Household ids, a rule script's stage name and
# finding code and detail, and a rejected row's raw text that begin with
# = + - @ TAB or ' are written with one ' in front (docs/outputs.md); numbers
# stay as they are (a negative number is no formula).  Checked in every CSV
# of a run, of a merge of its shards (byte-identical to the single run) and
# of compare.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
cd "$tmp" || exit 99

python3 - "$abs_top_srcdir/examples/quarter-2020Q3.csv" in.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
evil = ["=1+1", "+2+3", "-4+5", "@SUM(A1)", "\t=6+7", "'=8+9"]
ids, k = {}, 0
for r in rows[1:]:
    if r[0] not in ids and k < len(evil):
        ids[r[0]] = evil[k]; k += 1
    if r[0] in ids: r[0] = ids[r[0]]
# a rejected household too: a bad region code
bad = list(rows[1]); bad[0] = "=HYPERLINK(\"http://x\",\"y\")"; bad[1] = "=99"
rows.append(bad)
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n")
w.writerows(rows)
PY
cat >s.lua <<'LUA'
return { name = "+prov", version = "1",
         check = function(hh) hh:warn("W", "=cmd|' /C calc'!A0") end }
LUA
cat >p.lua <<'LUA'
quarter "2020Q3"
params { income_line = 4000 }
stage "identity"
stage "income"
stage { script = "s.lua" }
LUA

# check_csv FILE...: no cell begins like a formula unless it is a number
check_csv() {
    python3 - "$@" <<'PY' || fail "formula cells (above)"
import csv, sys, re
bad = 0
num = re.compile(r'^[-+]?[0-9]+(\.[0-9]+)?$')
for path in sys.argv[1:]:
    for i, row in enumerate(csv.reader(open(path, encoding="utf-8-sig", newline=""))):
        for j, cell in enumerate(row):
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not num.match(cell):
                print("%s:%d: column %d opens as a formula: %r" % (path, i + 1, j + 1, cell[:40]), file=sys.stderr)
                bad += 1
sys.exit(1 if bad else 0)
PY
}

"$TUOPIN" run p.lua --input in.csv --out single --quiet 2>single.err || { fail "run: $(cat single.err)"; finish; }
check_csv single/*.csv
# the guarded cells hold the text after one '
grep -q "^'=1+1," single/households.csv || fail "households.csv: household =1+1 not written as '=1+1"
grep -q "^''=8+9," single/households.csv || fail "households.csv: an id led by ' not guarded"
grep -q "^'=1+1,'+prov,warn,W,,'=cmd|' /C calc'!A0\$" single/findings.csv \
    || fail "findings.csv: id, stage or detail not guarded: $(grep -m1 "prov" single/findings.csv)"
grep -q ",\"'=HYPERLINK" single/rejects.csv || fail "rejects.csv: the household id not guarded"
[ "$(sqlite3 single/results.sqlite "SELECT count(*) FROM households WHERE household_id='=1+1'" 2>/dev/null || echo 1)" = 1 ] \
    || fail "results.sqlite: the household id is not kept exact"

# split, shard runs, merge: byte-identical to the single run
if "$TUOPIN" split in.csv --by county --out split --quiet 2>split.err; then
    mkdir runs
    while read -r shard _; do
        "$TUOPIN" run p.lua --input "split/$shard" --out "runs/${shard%.csv}" --quiet 2>>runs.err \
            || fail "shard run $shard: $(cat runs.err)"
    done <split/shards.txt
    if "$TUOPIN" merge runs/* --out merged --quiet 2>merge.err; then
        for f in households.csv findings.csv rejects.csv counties.csv summary.csv af.csv; do
            cmp -s "single/$f" "merged/$f" || fail "merge: $f differs from the single run's"
        done
    else
        fail "merge: $(cat merge.err)"
    fi
else
    fail "split: $(cat split.err)"
fi

# compare: household ids in transitions.csv, signals.csv, monitoring.csv
printf 'quarter "2020Q4"\nparams { income_line = 4000 }\nstage "identity"\nstage "income"\n' >q4.lua
sed 's/^H0000000001,/=1+1,/' "$abs_top_srcdir/examples/quarter-2020Q4.csv" >in4.csv
"$TUOPIN" run q4.lua --input in4.csv --out q4 --quiet 2>q4.err || fail "run 2020Q4: $(cat q4.err)"
if "$TUOPIN" compare single q4 --out cmp --quiet 2>cmp.err; then
    check_csv cmp/*.csv
else
    fail "compare: $(cat cmp.err)"
fi
finish
