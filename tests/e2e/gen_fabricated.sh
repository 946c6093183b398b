#!/bin/sh
# gen_fabricated.sh — `tuopin gen --fabricated N` on a small quarter (issue
# 21): every listed village has households in the quarter (at least 10) and
# ranks in the top 5 of its county in quality.csv; when too few villages
# qualify, gen writes nothing and says how many can be planted.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

for spec in "30000 3 1" "30000 3 7" "1000 1 1"; do
    set -- $spec
    n=$1 k=$2 seed=$3 d="$tmp/r$n-$seed"
    "$TUOPIN" gen --households "$n" --seed "$seed" --fabricated "$k" --fabricated-list "$d.fab" \
        --out "$d.csv" 2>"$d.err" || { fail "gen --households $n --fabricated $k: $(cat "$d.err")"; continue; }
    [ "$(wc -l <"$d.fab")" -eq "$k" ] || fail "$n households: $k villages listed"
    run_tuopin "$d" "$abs_top_srcdir/examples/national.lua" --input "$d.csv"
    [ "$status" -eq 0 ] || { fail "exit status $status ($n)"; cat "$d.stderr" >&2; }
    python3 - "$d.fab" "$d/quality.csv" "$d.csv" <<'PY' || fail "planted villages of $n households (seed $seed)"
import csv, sys
fab = open(sys.argv[1]).read().split()
rows = {r["village_code"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig"))}
hh = {}
for r in csv.DictReader(open(sys.argv[3], encoding="utf-8")):
    hh.setdefault(r["region_code"], set()).add(r["household_id"])
bad = 0
for v in fab:
    if len(hh.get(v, ())) < 10:
        print("planted village %s has %d households in the quarter" % (v, len(hh.get(v, ())))); bad += 1
    r = rows.get(v)
    if r is None:
        print("planted village %s has no row in quality.csv" % v); bad += 1
    elif int(r["rank"]) > 5 or "COPIED_INCOMES" not in r["reasons"]:
        print("planted village %s: rank %s of %s, reasons %s" % (v, r["rank"], r["villages_in_county"], r["reasons"])); bad += 1
sys.exit(1 if bad else 0)
PY
done

# 50 households: 3 villages get 10 or more; asking for 5 is refused, nothing written
"$TUOPIN" gen --households 50 --fabricated 5 --fabricated-list "$tmp/x.fab" --out "$tmp/x.csv" 2>"$tmp/x.err"
[ $? -eq 2 ] || fail "gen --households 50 --fabricated 5: exit status not 2"
grep -q -- '--fabricated 5: in a quarter of 50 households only 3 villages can be planted (villages with at least 10 households, at most 2 a county); ask for at most 3' "$tmp/x.err" \
    || fail "gen --households 50 --fabricated 5 says: $(cat "$tmp/x.err")"
[ -e "$tmp/x.csv" ] || [ -e "$tmp/x.fab" ] && fail "gen wrote files although it refused"
"$TUOPIN" gen --households 50 --fabricated 3 --fabricated-list "$tmp/y.fab" --out "$tmp/y.csv" 2>/dev/null \
    || fail "gen --households 50 --fabricated 3"
[ "$(wc -l <"$tmp/y.fab")" -eq 3 ] || fail "50 households: 3 villages listed"
finish
