#!/bin/sh
# quality_planted.sh — `tuopin gen --fabricated N` plants villages whose
# incomes were made up (copied, round, just above the line), and the village
# quality signals (docs/quality.md) rank every one of them in the top 5 of
# its county; every other household's rows are those gen writes without the
# option.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

"$TUOPIN" gen --profile stress --households 200000 --seed 3 --fabricated 20 --fabricated-list "$tmp/fab.txt" \
    --out "$tmp/q.csv" 2>/dev/null || fail "gen --fabricated"
[ "$(wc -l <"$tmp/fab.txt")" -eq 20 ] || fail "20 villages listed"
"$TUOPIN" gen --profile stress --households 200000 --seed 3 --out "$tmp/plain.csv" 2>/dev/null || fail "gen"
run_tuopin "$tmp/out" "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv"
[ "$status" -eq 0 ] || { fail "exit status $status"; cat "$tmp/out.stderr" >&2; }

python3 - "$tmp/fab.txt" "$tmp/out/quality.csv" "$tmp/q.csv" "$tmp/plain.csv" <<'PY' || fail "planted villages"
import csv, sys
fab = set(open(sys.argv[1]).read().split())
rows = {r["village_code"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig"))}
bad = 0
for v in sorted(fab):
    r = rows.get(v)
    if r is None:
        print("planted village %s has no row" % v); bad += 1; continue
    if int(r["rank"]) > 5:
        print("planted village %s ranks %s of %s" % (v, r["rank"], r["villages_in_county"])); bad += 1
    if int(r["households"]) >= 5 and "COPIED_INCOMES" not in r["reasons"]:
        print("planted village %s: reasons %s" % (v, r["reasons"])); bad += 1
# a planted household: five figures in whole hundreds, income_pc in [L, 1.05 L)
L = 400000
def cents(t):
    if not t: return 0
    y, _, c = t.partition(".")
    if not y.isdigit() or (c and not c.isdigit()): return None   # a planted bad value (--faults)
    return int(y) * 100 + int((c + "00")[:2])
fab_hh, off = {}, 0
with open(sys.argv[3], encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        if r["region_code"] in fab:
            fab_hh.setdefault(r["household_id"], [r, 0])[1] += 1
for hid, (r, n) in fab_hh.items():
    comp = [cents(r[c]) for c in ("wage_income", "operating_income", "operating_cost", "property_income", "transfer_income")]
    if None in comp: continue
    net = comp[0] + comp[1] - comp[2] + comp[3] + comp[4]
    if any(c % 10000 for c in comp) or not (L * n <= net and 100 * net < 105 * L * n):
        off += 1
# gen's value faults (--faults, 1.5 % of households) may still change a figure
if off > 0.03 * len(fab_hh):
    print("%d of %d planted households not made up" % (off, len(fab_hh))); bad += 1
# the other households are written as without --fabricated
with open(sys.argv[3], encoding="utf-8-sig") as a, open(sys.argv[4], encoding="utf-8-sig") as b:
    for x, y in zip(a, b):
        if x != y and x.split(",")[1] not in fab:
            print("a household outside the planted villages changed:", x[:60]); bad += 1; break
sys.exit(1 if bad else 0)
PY
finish
