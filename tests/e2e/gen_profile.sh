#!/bin/sh
# gen_profile.sh — `tuopin gen`'s default profile (realistic) gives a quarter
# whose counties meet, fail and are incomplete side by side (issue 17 item
# 11): at any seed, 17 model counties meet, 20 medium and bad ones fail and 3
# western counties whose export holds no general households are incomplete
# (standard §5: NO_GENERAL_SAMPLE, no missed rate).  `--profile stress` is the
# earlier data (35:40:25, 1.5 % faults): every county fails.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

for spec in "20000 1" "30000 7"; do
    set -- $spec
    n=$1 seed=$2 d="$tmp/r$n"
    "$TUOPIN" gen --households "$n" --seed "$seed" --out "$tmp/q$n.csv" 2>/dev/null || fail "gen $n"
    run_tuopin "$d" "$abs_top_srcdir/examples/national.lua" --input "$tmp/q$n.csv"
    [ "$status" -eq 0 ] || { fail "exit status $status ($n)"; cat "$d.stderr" >&2; }
    python3 - "$d/counties.csv" "$tmp/q$n.csv" <<'PY' || fail "counties of the default profile ($n households, seed $seed)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
by = {}
for r in rows:
    by.setdefault(r["decision"], []).append(r)
bad = 0
got = dict((k, len(v)) for k, v in by.items())
if got != {"meets": 17, "fails": 20, "incomplete": 3}:
    print("decisions:", got); bad += 1
general = set()
for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    if r["status"] in ("general", "一般户", "非贫困户", "General"):
        general.add(r["region_code"][:6])
for r in by.get("incomplete", []):
    if r["reasons"] != "NO_GENERAL_SAMPLE" or r["western"] != "yes" or r["missed_rate"] != "":
        print("incomplete county:", r); bad += 1
    if r["county_code"] in general:
        print("incomplete county %s has general households" % r["county_code"]); bad += 1
for r in by.get("meets", []):
    if r["reasons"]:
        print("meeting county with reasons:", r); bad += 1
sys.exit(1 if bad else 0)
PY
done

# the stress profile: the earlier defaults, every county fails
"$TUOPIN" gen --profile stress --households 20000 --seed 1 --out "$tmp/s.csv" 2>/dev/null || fail "gen --profile stress"
"$TUOPIN" gen --profile stress --households 20000 --seed 1 --mix 35:40:25 --faults 1.5 --out "$tmp/s2.csv" 2>/dev/null \
    || fail "gen --profile stress --mix --faults"
cmp -s "$tmp/s.csv" "$tmp/s2.csv" || fail "--profile stress is not 35:40:25 with 1.5 % faults"
cmp -s "$tmp/s.csv" "$tmp/q20000.csv" && fail "the default profile is the stress one"
run_tuopin "$tmp/rs" "$abs_top_srcdir/examples/national.lua" --input "$tmp/s.csv"
[ "$status" -eq 0 ] || { fail "exit status $status (stress)"; cat "$tmp/rs.stderr" >&2; }
n=$(tail -n +2 "$tmp/rs/counties.csv" | grep -vc ',fails,')
[ "$n" -eq 0 ] || fail "stress: $n counties do not fail"

"$TUOPIN" gen --households 5 --profile demo >/dev/null 2>"$tmp/p.err" && fail "--profile demo accepted"
grep -q -- "--profile must be realistic or stress" "$tmp/p.err" || fail "--profile demo: $(cat "$tmp/p.err")"
finish
