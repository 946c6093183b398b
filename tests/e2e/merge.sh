#!/bin/sh
# merge.sh — a quarter split by province, city and county, every shard run
# on its own and the runs merged, gives exactly the outputs of one run of the
# whole quarter (same_run.py: every file byte for byte, the run's timestamps
# aside): on a generated quarter, and on the same quarter with structural
# faults of every kind, households split across shards and resident IDs
# repeated across regions (plant_faults.py); and with rule scripts as stages.  Then the merge's refusals: a
# shard without a run, a shard run twice, a run that is no shard of the split,
# runs of different parameters — each an error naming the folder, leaving no
# output under a final name.
#
# make check sets $TUOPIN, $abs_top_srcdir and $abs_top_builddir.
# Exit 0 pass, 1 fail, 77 without python3.

. "$(dirname "$0")/lib.sh"
need_python

PIPELINE="$abs_top_srcdir/examples/national.lua"
QUARTER=2020Q4
cd "$tmp" || exit 99

"$TUOPIN" gen --profile stress --households 1500 --seed 11 --quarter "$QUARTER" --out clean.csv || exit 99
python3 "$E2E/plant_faults.py" clean.csv faulty.csv >planted.txt || exit 99

run() {   # run OUT INPUT [ARGS...]
    out=$1 in=$2
    shift 2
    "$TUOPIN" run "$PIPELINE" --input "$in" --quarter "$QUARTER" --out "$out" --quiet "$@"
}

for input in clean faulty; do
    run "single-$input" "$input.csv" || { fail "$input: the single run failed"; continue; }
    for by in province city county; do
        name="$input-$by"
        if ! "$TUOPIN" split "$input.csv" --by "$by" --out "split-$name" --quiet; then
            fail "$name: tuopin split failed"
            continue
        fi
        ok=1
        while read -r shard; do
            run "runs-$name/${shard%.csv}" "split-$name/$shard" --jobs 2 || { ok=0; break; }
        done <"split-$name/shards.txt"
        [ $ok = 1 ] || { fail "$name: a shard run failed"; continue; }
        if ! "$TUOPIN" merge "runs-$name"/* --out "merged-$name" --quiet; then
            fail "$name: tuopin merge failed"
        elif ! python3 "$E2E/same_run.py" "single-$input" "merged-$name"; then
            fail "$name: the merged run differs from the single run"
        fi
    done
done

# The planted faults are really there, so that the comparisons above are not
# vacuous: every structural code in the single run's rejects, resident IDs
# repeated across shards, ghosts in the shards.
for code in ROW_UNTERMINATED_QUOTE ROW_ENCODING ROW_FIELD_COUNT HOUSEHOLD_INCOMPLETE \
            BAD_HOUSEHOLD_ID HOUSEHOLD_SPLIT BAD_REGION BAD_STATUS HOUSEHOLD_INCONSISTENT; do
    grep -q ",$code," single-faulty/rejects.csv || fail "faulty quarter: no $code in rejects.csv"
done
for by in province city county; do
    dups=$(sed -n 's/^cross_shard_duplicates\t//p' "split-faulty-$by/manifest.tsv")
    [ "${dups:-0}" -ge 8 ] || fail "faulty quarter by $by: only ${dups:-0} IDs repeated across shards"
done
# H0000001512 repeats the ID of a rejected household: no ID_DUPLICATE
grep -q '^H0000001512,identity,warn,ID_DUPLICATE' single-faulty/findings.csv \
    && fail "an ID of a rejected household counted as a duplicate"
grep -q '^H0000000752,identity,warn,ID_DUPLICATE,2,' merged-faulty-province/findings.csv \
    || fail "the merged run lacks the ID_DUPLICATE of a member repeating another province's ID"
# rejects keep the original line numbers (the BOM and the blank record before
# the header included): the faulty file's last record starts on its last line
last=$(wc -l <faulty.csv)
grep -q "^$((last - 1)),H9999999999,ROW_UNTERMINATED_QUOTE," merged-faulty-county/rejects.csv \
    || fail "the unterminated record is not reported on line $((last - 1))"

# Rule scripts as stages (examples/province.lua: the national stages and two
# provincial scripts) on the faulty quarter, split by county.
PIPELINE="$abs_top_srcdir/examples/province.lua"
if run single-scripts faulty.csv && "$TUOPIN" split faulty.csv --by county --out split-scripts --quiet; then
    ok=1
    while read -r shard; do
        run "runs-scripts/${shard%.csv}" "split-scripts/$shard" || { ok=0; break; }
    done <split-scripts/shards.txt
    if [ $ok = 0 ] || ! "$TUOPIN" merge runs-scripts/* --out merged-scripts --quiet; then
        fail "rule scripts: a shard run or the merge failed"
    elif ! python3 "$E2E/same_run.py" single-scripts merged-scripts; then
        fail "rule scripts: the merged run differs from the single run"
    fi
else
    fail "rule scripts: the single run or the split failed"
fi
PIPELINE="$abs_top_srcdir/examples/national.lua"

# ---- refusals ----------------------------------------------------------------------------------
S=split-clean-province
R=runs-clean-province
first=$(ls "$R" | head -1)
expect_fatal "a shard without a run" "has no run" "$(sed -n 2p $S/shards.txt)" -- \
    merge "$R/$first" --out refused1
expect_fatal "a shard run twice" "same shard" -- merge "$R"/* "$R/$first" --out refused2
expect_fatal "a run that is no shard of the split" "single-clean" "not a shard" -- \
    merge "$R"/* single-clean --split "$S" --out refused3
run other-params "$S/$first.csv" --param incidence_max=0.01 || fail "the run with other parameters failed"
expect_fatal "runs of different parameters" "other-params" "parameters" -- \
    merge "$R"/* other-params --out refused4
expect_fatal "a folder that is no split" "manifest.tsv" -- \
    merge "$R"/* --split single-clean --out refused5
for d in refused1 refused2 refused3 refused4 refused5; do
    if [ -d "$d" ] && [ -n "$(ls "$d")" ]; then
        fail "$d: a refused merge left files: $(ls "$d" | tr '\n' ' ')"
    fi
done

# ---- the split's own errors ------------------------------------------------------------------------
"$TUOPIN" split clean.csv --by village --out x 2>/dev/null
[ $? -eq 2 ] || fail "split --by village: expected a usage error (2)"
expect_fatal "split of a missing file" "no-such.csv" -- split no-such.csv --by province --out x
printf 'household_id,status\nH1,poor\n' >noregion.csv
expect_fatal "split of an input without region_code" "region_code" -- \
    split noregion.csv --by province --out x
[ -e x/manifest.tsv ] && fail "a failed split wrote a manifest"

finish
