#!/bin/sh
# rosters.sh — department rosters end to end (standard §8): the same rosters
# plain and as keyed hashes (tuopin hash-ids, §8.3) give the same
# households.csv and findings.csv; --roster and --id-key do what the
# pipeline's words do; a rule script reads rosters through m:roster; and
# every fatal roster error stops the run with one line naming its cause.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

R="$EXAMPLES/rosters"
Q="$EXAMPLES/quarter.csv"
national() {   # national FILE [EXTRA LINES]: the examples' national pipeline plus stage rosters
    f=$1
    shift
    { sed '/^stage "rosters"/d; /^roster /d' "$EXAMPLES/rosters.lua"; for l in "$@"; do echo "$l"; done; } >"$f"
}

# ---- plain, from the command line ---------------------------------------------------
national "$tmp/plain.lua" 'stage "rosters"'
run_tuopin "$tmp/plain" "$tmp/plain.lua" --input "$Q" --quiet \
    --roster hukou="$R/hukou.csv" --roster medical="$R/medical.csv" --roster school="$R/school.csv" \
    --roster housing="$R/housing.csv" --roster assets="$R/assets.csv"
[ "$status" -eq 0 ] || { fail "plain run: exit status $status"; cat "$tmp/plain.stderr" >&2; }
X="$EXAMPLES/expected-rosters"
compare "households (--roster)" "$X/households.csv" "$tmp/plain/households.csv" --sets fails,warnings
compare "rosters.csv (--roster)" "$X/rosters.csv" "$tmp/plain/rosters.csv" --exact-header

# results.sqlite holds rosters.csv and roster_rejects.csv; roster_verdicts counts the
# households whose only fails are the rosters' (worked out here from households.csv);
# report.html and report.xlsx have the section, counties with changed verdicts first
python3 - "$tmp/plain" <<'PY' || fail "roster tables of results.sqlite or the reports"
import csv, sqlite3, sys, zipfile, re, collections
d = sys.argv[1]
db = sqlite3.connect(d + "/results.sqlite")
rows = [tuple(str(v) for v in r) for r in db.execute(
    "SELECT county_code, kind, persons, matched, unmatched, findings FROM rosters")]
want = [tuple(r) for r in list(csv.reader(open(d + "/rosters.csv", encoding="utf-8-sig")))[1:]]
order = ["hukou", "medical", "school", "housing", "assets"]
assert sorted(rows, key=lambda r: (r[0], order.index(r[1]))) == want, "rosters table"
rej = [tuple(str(v) for v in r) for r in db.execute("SELECT kind, file, line, code, detail FROM roster_rejects")]
want = [tuple(r) for r in list(csv.reader(open(d + "/roster_rejects.csv", encoding="utf-8-sig")))[1:]]
assert rej == want, "roster_rejects table"
changed = collections.Counter()
for h in csv.DictReader(open(d + "/households.csv", encoding="utf-8-sig")):
    fails = [c for c in h["fails"].split(";") if c]
    if fails and all(c.startswith("ROSTER_") for c in fails):
        changed[h["region_code"][:6]] += 1
got = {c: n for c, n in db.execute("SELECT county_code, households_changed FROM roster_verdicts") if n}
assert got == dict(changed) and got, (got, changed)
html = open(d + "/report.html", encoding="utf-8-sig").read()
sec = html[html.index('id="rosters"'):]
sec = sec[:sec.find("<section", 1)] if "<section" in sec[1:] else sec   # this section alone
first = re.findall(r'<tr><td class="t">(\d{6})</td><td>(\d+)</td>', sec)
assert len(first) == len(set(r[0] for r in rows)), first
ns = [int(n) for _, n in first]
assert ns == sorted(ns, reverse=True) and ns[0] > 0, ns
assert str(sum(changed.values())) in sec
wb = zipfile.ZipFile(d + "/report.xlsx").read("xl/workbook.xml").decode()
assert 'name="rosters"' in wb
PY

# no full ID of the rosters appears in a finding's detail: IDs are masked
if grep -Eq '[0-9]{17}[0-9X]' "$tmp/plain/findings.csv"; then
    fail "findings.csv shows a resident ID in full"
fi

# ---- the same rosters as keyed hashes ----------------------------------------------------
printf 'a key the departments and the office share' >"$tmp/key"
mkdir "$tmp/hashed-rosters"
for k in hukou medical school housing assets; do
    "$TUOPIN" hash-ids --id-key "$tmp/key" "$R/$k.csv" --column person_id \
        --out "$tmp/hashed-rosters/$k.csv" 2>"$tmp/hash.stderr" \
        || { fail "hash-ids $k: exit status $?"; cat "$tmp/hash.stderr" >&2; }
done
if grep -Eq '(^|,)[0-9]{17}[0-9Xx](,|$)' "$tmp/hashed-rosters/medical.csv"; then
    fail "hash-ids left a resident ID in medical.csv"
fi
national "$tmp/hashed.lua" "id_key \"$tmp/key\"" 'stage "rosters"'
for k in hukou medical school housing assets; do
    echo "roster { kind = \"$k\", path = \"$tmp/hashed-rosters/$k.csv\" }" >>"$tmp/hashed.lua"
done
run_tuopin "$tmp/hashed" "$tmp/hashed.lua" --input "$Q" --quiet
[ "$status" -eq 0 ] || { fail "hashed run: exit status $status"; cat "$tmp/hashed.stderr" >&2; }
cmp -s "$tmp/plain/households.csv" "$tmp/hashed/households.csv" \
    || fail "households.csv differs between plain and hashed rosters"
cmp -s "$tmp/plain/findings.csv" "$tmp/hashed/findings.csv" \
    || fail "findings.csv differs between plain and hashed rosters"
# --id-key on the command line does what id_key does
national "$tmp/hashed2.lua" 'stage "rosters"'
run_tuopin "$tmp/hashed2" "$tmp/hashed2.lua" --input "$Q" --quiet --id-key "$tmp/key" \
    --roster hukou="$tmp/hashed-rosters/hukou.csv" --roster medical="$tmp/hashed-rosters/medical.csv" \
    --roster school="$tmp/hashed-rosters/school.csv" --roster housing="$tmp/hashed-rosters/housing.csv" \
    --roster assets="$tmp/hashed-rosters/assets.csv"
cmp -s "$tmp/plain/households.csv" "$tmp/hashed2/households.csv" \
    || fail "households.csv differs with --id-key"

# ---- a rule script reads the rosters ------------------------------------------------------
national "$tmp/script.lua" 'stage "rosters"' "stage { script = \"$DATA/roster_rule.lua\" }"
run_tuopin "$tmp/script" "$tmp/script.lua" --input "$Q" --quiet \
    --roster hukou="$R/hukou.csv" --roster medical="$R/medical.csv" --roster assets="$R/assets.csv"
[ "$status" -eq 0 ] || { fail "script run: exit status $status"; cat "$tmp/script.stderr" >&2; }
python3 - "$tmp/script/findings.csv" <<'PY' || fail "m:roster: the script's findings disagree with stage rosters"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
def keys(pred):
    return sorted((r["household_id"], r["member"]) for r in rows if pred(r))
assets = keys(lambda r: r["code"] == "ROSTER_ASSETS")
mine = keys(lambda r: r["code"].startswith("P_ASSET_"))
assert assets and assets == mine, (assets, mine)
no = keys(lambda r: r["code"] == "P_MEDICAL_NO")
unins = keys(lambda r: r["code"] == "ROSTER_UNINSURED")
assert no and set(no) <= set(unins), (no, unins)
assert not keys(lambda r: r["code"] == "SCRIPT_ERROR")
PY
# a kind the run was not given is a script error, not "no row"
run_tuopin "$tmp/script2" "$tmp/script.lua" --input "$Q" --quiet --roster assets="$R/assets.csv"
grep -q 'SCRIPT_ERROR.*medical' "$tmp/script2/findings.csv" \
    || fail "m:roster(\"medical\") without a medical roster did not raise an error naming it"

# ---- tuopin gen --rosters: the same bytes for the same options; the planted
# disagreements reach the findings; bad rows reach roster_rejects.csv ----------------------
"$TUOPIN" gen --profile stress --households 400 --seed 9 --quarter 2020Q4 --out "$tmp/g.csv" --rosters "$tmp/gr" 2>"$tmp/g.stderr" \
    || fail "gen --rosters: exit status $?"
"$TUOPIN" gen --profile stress --households 400 --seed 9 --quarter 2020Q4 --out "$tmp/g2.csv" --rosters "$tmp/gr2" 2>/dev/null
for k in hukou medical school housing assets; do
    cmp -s "$tmp/gr/$k.csv" "$tmp/gr2/$k.csv" || fail "gen --rosters: $k.csv differs between two runs"
done
{ sed '/^quarter/d' "$tmp/plain.lua"; echo 'quarter "2020Q4"'; } >"$tmp/g.lua"
run_tuopin "$tmp/gout" "$tmp/g.lua" --input "$tmp/g.csv" --quiet \
    --roster hukou="$tmp/gr/hukou.csv" --roster medical="$tmp/gr/medical.csv" --roster school="$tmp/gr/school.csv" \
    --roster housing="$tmp/gr/housing.csv" --roster assets="$tmp/gr/assets.csv"
[ "$status" -eq 0 ] || { fail "generated rosters: exit status $status"; cat "$tmp/gout.stderr" >&2; }
for c in ROSTER_UNINSURED ROSTER_HOUSING_UNSAFE ROSTER_DECEASED ROSTER_MOVED_OUT ROSTER_ASSETS; do
    grep -q ",$c," "$tmp/gout/findings.csv" || fail "generated rosters: no $c"
done
# the kinds are read on threads of their own while the registry streams: one worker
# or two, the same bytes in every output (roster_rejects.csv in kind, file, line order)
run_tuopin "$tmp/gout1" "$tmp/g.lua" --input "$tmp/g.csv" --quiet --jobs 1 \
    --roster hukou="$tmp/gr/hukou.csv" --roster medical="$tmp/gr/medical.csv" --roster school="$tmp/gr/school.csv" \
    --roster housing="$tmp/gr/housing.csv" --roster assets="$tmp/gr/assets.csv"
for f in households.csv findings.csv rejects.csv rosters.csv roster_rejects.csv counties.csv; do
    cmp -s "$tmp/gout/$f" "$tmp/gout1/$f" || fail "generated rosters: $f differs between --jobs 1 and 2"
done
awk -F, 'NR > 1 { k = index("hukou medical school housing assets", $1); if (k < last) bad = 1; last = k }
         END { exit bad }' "$tmp/gout/roster_rejects.csv" || fail "roster_rejects.csv: kinds out of order"
[ "$(wc -l <"$tmp/gout/roster_rejects.csv")" -gt 5 ] || fail "generated rosters: too few roster rejects"
# what gen says it planted is what the run finds
dec=$(sed -n 's/.*planted: \([0-9]*\) deceased, \([0-9]*\) moved out.*/\1 \2/p' "$tmp/g.stderr")
got="$(grep -c ',ROSTER_DECEASED,' "$tmp/gout/findings.csv") $(grep -c ',ROSTER_MOVED_OUT,' "$tmp/gout/findings.csv")"
[ "$dec" = "$got" ] || fail "generated rosters: planted deaths and moves \"$dec\", found \"$got\""
expect_fatal "gen --rosters to standard output" rosters -- gen --households 5 --rosters "$tmp/gr3"

# ---- fatal errors --------------------------------------------------------------------------
national "$tmp/nostage.lua"
expect_fatal "roster without the stage" rosters -- \
    run "$tmp/nostage.lua" --input "$Q" --out "$tmp/f1" --roster medical="$R/medical.csv"
expect_fatal "stage without a roster" rosters -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f2"
expect_fatal "key without a roster" id-key -- \
    run "$tmp/nostage.lua" --input "$Q" --out "$tmp/f3" --id-key "$tmp/key"
expect_fatal "unknown kind" pension -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f4" --roster pension="$R/medical.csv"
expect_fatal "missing roster file" "$tmp/none.csv" -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f5" --roster medical="$tmp/none.csv"
printf 'person_id,insured\n' >"$tmp/med.csv"
expect_fatal "missing column" housing_rating -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f6" --roster housing="$tmp/med.csv"
expect_fatal "missing key file" "$tmp/nokey" -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f7" --roster medical="$tmp/med.csv" --id-key "$tmp/nokey"
: >"$tmp/empty.key"
expect_fatal "empty key file" "$tmp/empty.key" -- \
    run "$tmp/plain.lua" --input "$Q" --out "$tmp/f8" --roster medical="$tmp/med.csv" --id-key "$tmp/empty.key"
for d in f1 f2 f3 f4 f5 f6 f7 f8; do
    if [ -d "$tmp/$d" ] && [ -n "$(ls -A "$tmp/$d")" ]; then fail "$d: a failed run left files behind"; fi
done
finish
