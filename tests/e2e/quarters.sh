#!/bin/sh
# quarters.sh — issue 6 end to end: four generated quarters of one
# population (2020Q1..2020Q4) with every pattern planted, each run through
# the national pipeline and added to a history; compare 2020Q3 2020Q4 must
# find every planted household in a signal of its pattern, with at most
# 0.5% of the other households flagged (docs/history.md, "Generated
# quarters").  Also: the history replaces a quarter added again, run folders
# compare like history quarters, the outputs are owner-only with no
# temporary file left, compare.html holds no names or ID numbers, and usage
# errors exit 2.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

MAX_FP=0.005
H="$tmp/history.sqlite"

if ! "$TUOPIN" gen --profile stress --quarters 4 --households 1500 --quarter 2020Q1 --seed 7 --plant 2 --out "$tmp/q"; then
    echo "FAIL: tuopin gen --quarters" >&2
    exit 1
fi
for q in 2020Q1 2020Q2 2020Q3 2020Q4; do
    [ -f "$tmp/q-$q.csv" ] || { echo "FAIL: gen wrote no q-$q.csv" >&2; exit 1; }
    if ! "$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q-$q.csv" --quarter "$q" \
            --param income_line=4000 --out "$tmp/run-$q" --quiet 2>"$tmp/run.err"; then
        echo "FAIL: tuopin run $q:" >&2
        cat "$tmp/run.err" >&2
        exit 1
    fi
    if ! "$TUOPIN" history add "$tmp/run-$q" --history "$H" --quiet 2>"$tmp/add.err"; then
        echo "FAIL: tuopin history add $q:" >&2
        cat "$tmp/add.err" >&2
        exit 1
    fi
done

# the history holds the four quarters; adding one again replaces it
"$TUOPIN" history add "$tmp/run-2020Q4" --history "$H" --quiet || fail "history add again"
"$TUOPIN" history list --history "$H" >"$tmp/list" || fail "history list"
n=$(grep -c ' 2020Q[1-4] ' "$tmp/list")
[ "$n" = 4 ] || { fail "history list shows $n quarters, expected 4"; cat "$tmp/list" >&2; }
grep -q ' known ' "$tmp/list" || fail "history list: transfer incomes not known"
[ "$(stat -c %a "$H")" = 600 ] || fail "history.sqlite has mode $(stat -c %a "$H"), expected 600"

# compare the last two quarters of the history
out="$tmp/cmp"
if ! "$TUOPIN" compare 2020Q3 2020Q4 --history "$H" --out "$out" --quiet 2>"$tmp/cmp.err"; then
    echo "FAIL: tuopin compare:" >&2
    cat "$tmp/cmp.err" >&2
    exit 1
fi
for f in transitions.csv transition_matrix.csv signals.csv monitoring.csv compare.html; do
    if [ ! -f "$out/$f" ]; then
        fail "$f was not written"
    elif [ "$(stat -c %a "$out/$f")" != 600 ]; then
        fail "$f has mode $(stat -c %a "$out/$f"), expected 600"
    fi
done
if ls -A "$out" | grep -q '^\.'; then
    fail "temporary files left in the output folder: $(ls -A "$out" | grep '^\.')"
fi
bom_strip "$out/transitions.csv" | head -1 | grep -qx 'household_id,region_code,before,after,transition' \
    || fail "transitions.csv header"

# every planted case found; false positives on the rest within the bound
echo "Planted patterns, 2020Q3 -> 2020Q4:"
python3 "$E2E/quarters_eval.py" "$tmp/q-truth.csv" "$out/signals.csv" "$out/transitions.csv" "$MAX_FP" \
    || fail "planted patterns missed or too many false positives"

# two run folders give the same transitions (without the history's context)
if "$TUOPIN" compare "$tmp/run-2020Q3" "$tmp/run-2020Q4" --out "$tmp/cmp-runs" --quiet 2>"$tmp/runs.err"; then
    cmp -s "$out/transitions.csv" "$tmp/cmp-runs/transitions.csv" \
        || fail "run folders and history quarters give different transitions.csv"
    cmp -s "$out/monitoring.csv" "$tmp/cmp-runs/monitoring.csv" \
        || fail "run folders and history quarters give different monitoring.csv"
else
    fail "compare of run folders: $(cat "$tmp/runs.err")"
fi

# no personal data in the page: no name or resident ID of the input
name=$(sed -n 2p "$tmp/q-2020Q4.csv" | cut -d, -f16)
pid=$(sed -n 2p "$tmp/q-2020Q4.csv" | cut -d, -f15)
if [ -n "$name" ] && grep -qF "$name" "$out/compare.html"; then fail "compare.html holds a name"; fi
if [ -n "$pid" ] && grep -qF "$pid" "$out/compare.html"; then fail "compare.html holds a resident ID"; fi

# usage errors exit 2, fatal errors 1 with one line
"$TUOPIN" compare 2020Q4 --out "$tmp/x" 2>/dev/null; [ $? = 2 ] || fail "one quarter: exit status not 2"
"$TUOPIN" compare 2020Q4 2020Q3 --history "$H" --out "$tmp/x" 2>/dev/null
[ $? = 2 ] || fail "PREVIOUS after CURRENT: exit status not 2"
"$TUOPIN" compare 2020Q3 2020Q4 --history "$H" --out "$tmp/x" --param no_such=1 2>/dev/null
[ $? = 2 ] || fail "unknown parameter: exit status not 2"
expect_fatal "missing history" "nowhere.sqlite" -- compare 2020Q3 2020Q4 --history "$tmp/nowhere.sqlite" --out "$tmp/x"
expect_fatal "quarter not in the history" "2019Q1" -- compare 2019Q1 2020Q4 --history "$H" --out "$tmp/x"
expect_fatal "not a run folder" "$tmp" -- history add "$tmp" --history "$H"
finish
