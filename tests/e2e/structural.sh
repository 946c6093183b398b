#!/bin/sh
# structural.sh — the structural errors of standard §1 end to end: a file
# with every reject code (and their precedence, HOUSEHOLD_SPLIT after an
# evaluated and after a rejected block, a line of only spaces joining a
# blank-id block, a stray quote on S17's line — the next line has the
# header's field count, so only S17's line is rejected and S18 is read —
# and on the last line a quote that runs to the end of the file),
# run through the income stage.  rejects.csv is compared on
# line,household_id,code; households.csv and findings.csv whole (codes as
# sets, findings without their wording).  The expected files were written
# by hand from the standard.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

out="$tmp/out"
run_tuopin "$out" "$DATA/income.lua" --input "$DATA/structural.csv"
[ "$status" -eq 0 ] || { fail "exit status $status on a run with rejects"; cat "$out.stderr" >&2; }

X="$EXPECTED/structural"
compare rejects "$X/rejects.csv" "$out/rejects.csv"
compare households "$X/households.csv" "$out/households.csv" --exact-header --sets fails,warnings
compare findings "$X/findings.csv" "$out/findings.csv" --unordered

# The full contract header of rejects.csv, and HOUSEHOLD_INCONSISTENT's
# detail names the column at fault.
if [ -f "$out/rejects.csv" ]; then
    bom_strip "$out/rejects.csv" | head -n 1 | grep -qx 'line,household_id,code,detail,raw' \
        || fail "rejects.csv header: $(bom_strip "$out/rejects.csv" | head -n 1)"
    python3 - "$out/rejects.csv" <<'PY' || fail "HOUSEHOLD_INCONSISTENT detail does not name declared_income_pc"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
d = [r["detail"] for r in rows if r["code"] == "HOUSEHOLD_INCONSISTENT"]
sys.exit(0 if d and all("declared_income_pc" in x for x in d) else 1)
PY
fi
finish
