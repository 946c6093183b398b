#!/bin/sh
# rosters_merge.sh — department rosters in sharded runs (docs/sharding.md):
# every shard run is given the same rosters, and tuopin merge then gives
# exactly the single run's outputs (same_run.py: rosters.csv,
# roster_rejects.csv, the roster tables of results.sqlite and the reports
# too): on the worked example split by province and by county, and on a
# generated quarter with planted faults, whose shards carry ghosts (resident
# IDs repeated across regions).  Then the refusals: a shard run without the
# rosters, and a shard run given other rosters.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
cd "$tmp" || exit 99

shards() {   # shards NAME PIPELINE INPUT BY [RUN ARGS...]: split, run every shard, merge
    name=$1 pipe=$2 in=$3 by=$4
    shift 4
    "$TUOPIN" split "$in" --by "$by" --out "split-$name" --quiet || { fail "$name: split failed"; return 1; }
    while read -r sh; do
        "$TUOPIN" run "$pipe" --input "split-$name/$sh" --out "runs-$name/${sh%.csv}" --quiet --jobs 2 "$@" \
            || { fail "$name: the run of $sh failed"; return 1; }
    done <"split-$name/shards.txt"
    "$TUOPIN" merge "runs-$name"/* --out "merged-$name" --quiet 2>"merge-$name.stderr"
}

# ---- the worked example ----------------------------------------------------------------
"$TUOPIN" run "$EXAMPLES/rosters.lua" --input "$EXAMPLES/quarter.csv" --out single --quiet \
    || fail "the single run failed"
for by in province county; do
    if shards "ex-$by" "$EXAMPLES/rosters.lua" "$EXAMPLES/quarter.csv" "$by"; then
        python3 "$E2E/same_run.py" single "merged-ex-$by" || fail "ex-$by: the merged run differs"
    else
        fail "ex-$by: merge failed: $(cat "merge-ex-$by.stderr")"
    fi
done

# ---- a generated quarter with faults and ghosts ----------------------------------------------
"$TUOPIN" gen --profile stress --households 800 --seed 5 --quarter 2020Q4 --out clean.csv || exit 99
python3 "$E2E/plant_faults.py" clean.csv faulty.csv >/dev/null || exit 99
python3 - faulty.csv <<'PY' || exit 99
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", errors="replace", newline="")))
head = next(i for i, r in enumerate(rows) if "person_id" in r)   # records of blanks come first
col = rows[head].index("person_id")
rows = rows[head:]
ids = [r[col] for r in rows[1:] if len(r) > col and r[col]]
with open("medical.csv", "w", encoding="utf-8") as f:
    f.write("person_id,insured\n")
    for i, p in enumerate(ids):
        if i % 7: f.write("%s,%s\n" % (p, "no" if i % 11 == 0 else "yes"))
with open("assets.csv", "w", encoding="utf-8") as f:
    f.write("person_id,asset\n")
    for i, p in enumerate(ids):
        if i % 13 == 0: f.write("%s,vehicle\n%s,business\n" % (p, p))
PY
{ sed '/^stage "rosters"/d; /^roster /d; /^quarter/d' "$EXAMPLES/rosters.lua"
  echo 'quarter "2020Q4"'
  echo "roster { kind = \"medical\", path = \"$tmp/medical.csv\" }"
  echo "roster { kind = \"assets\", path = \"$tmp/assets.csv\" }"
  echo 'stage "rosters"'; } >gen.lua
"$TUOPIN" run gen.lua --input faulty.csv --out single-gen --quiet || fail "generated: the single run failed"
if shards gen gen.lua faulty.csv county; then
    python3 "$E2E/same_run.py" single-gen merged-gen || fail "generated: the merged run differs"
else
    fail "generated: merge failed: $(cat merge-gen.stderr)"
fi
ghosts=$(awk -F'\t' '$1 == "shard" { g += $6 } END { print g + 0 }' split-gen/manifest.tsv)
[ "$ghosts" -gt 0 ] || fail "generated: no ghosts in the shards (the test would not cover them)"
grep -q ROSTER_UNINSURED single-gen/findings.csv || fail "generated: no ROSTER_UNINSURED"

# ---- refusals ----------------------------------------------------------------------------------
first=$(head -n 1 split-gen/shards.txt)
rm -rf "runs-gen/${first%.csv}"
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --quarter 2020Q4 --input "split-gen/$first" \
    --out "runs-gen/${first%.csv}" --quiet || fail "a shard run without rosters failed"
if "$TUOPIN" merge runs-gen/* --out refused1 --quiet 2>refused1.stderr; then
    fail "merge took a shard run without the rosters"
fi
# (a run without rosters cannot have stage rosters: its stages differ)
grep -q stages refused1.stderr || fail "the refusal does not name the stages: $(cat refused1.stderr)"
[ ! -e refused1/households.csv ] || fail "a refused merge wrote households.csv"
echo "not-an-id,yes" >>medical.csv
rm -rf "runs-gen/${first%.csv}"
"$TUOPIN" run gen.lua --input "split-gen/$first" --out "runs-gen/${first%.csv}" --quiet \
    || fail "a shard run with other rosters failed"
if "$TUOPIN" merge runs-gen/* --out refused2 --quiet 2>refused2.stderr; then
    fail "merge took a shard run given other rosters"
fi
grep -q roster_rejects refused2.stderr || fail "the refusal does not name roster_rejects.csv: $(cat refused2.stderr)"
finish
