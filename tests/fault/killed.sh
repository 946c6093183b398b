#!/bin/sh
# killed.sh — a run killed with SIGKILL part way through a generated quarter
# of 200,000 households (KILLED_HOUSEHOLDS to change it): no output may exist
# under its final name afterwards, and a rerun into the same folder must give
# byte for byte the outputs of an undisturbed run and remove the killed run's
# temporary files (they hold personal data).  Killed at several points: while
# reading and evaluating, and late, while the reports and the database are
# written.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

n=${KILLED_HOUSEHOLDS:-200000}
# Under the sanitizers everything is several times slower: a smaller quarter
# still gives the same points to kill at.
if ldd "$TUOPIN" 2>/dev/null | grep -q libasan; then n=${KILLED_HOUSEHOLDS:-50000}; fi
pipeline="$abs_top_srcdir/examples/national.lua"
csvs="households.csv findings.csv rejects.csv counties.csv summary.csv af.csv"

"$TUOPIN" gen --profile stress --households "$n" --seed 9 --quarter 2020Q4 --out "$tmp/in.csv" 2>"$tmp/gen.err" \
    || { fail "tuopin gen: $(cat "$tmp/gen.err")"; finish; }
start=$(python3 -c 'import time; print(time.time())')
"$TUOPIN" run "$pipeline" --input "$tmp/in.csv" --quarter 2020Q4 --out "$tmp/ref" --quiet \
    2>"$tmp/ref.err" || { fail "undisturbed run: $(cat "$tmp/ref.err")"; finish; }
took=$(python3 -c "import time; print(time.time() - $start)")

for frac in 0.1 0.3 0.5 0.7 0.85; do
    out="$tmp/k$frac"
    "$TUOPIN" run "$pipeline" --input "$tmp/in.csv" --quarter 2020Q4 --out "$out" --quiet \
        2>"$out.err" &
    pid=$!
    sleep "$(python3 -c "print(round($took * $frac, 3))")"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    # Under a final name: nothing, or (killed after the commit, while the
    # process was leaving) the whole set, complete.  Never a part of it.
    final=$(ls "$out" 2>/dev/null | tr '\n' ' ')   # names not starting with a dot
    if [ "$st" -eq 0 ]; then
        echo "note: the run finished before the kill at $frac of $took s" >&2
    elif [ -n "$final" ]; then
        [ "$final" = "$(ls "$tmp/ref" | tr '\n' ' ')" ] \
            || fail "killed at $frac of the run: some outputs under final names: $final"
        for f in $csvs; do
            cmp -s "$tmp/ref/$f" "$out/$f" || fail "killed at $frac of the run: $f is under its final name but incomplete"
        done
        echo "note: the kill at $frac of $took s came after the outputs were committed" >&2
    fi
    "$TUOPIN" run "$pipeline" --input "$tmp/in.csv" --quarter 2020Q4 --out "$out" --quiet \
        2>"$out.err2" || { fail "rerun after the kill at $frac: $(cat "$out.err2")"; continue; }
    for f in $csvs; do
        cmp -s "$tmp/ref/$f" "$out/$f" || fail "rerun after the kill at $frac: $f differs from the undisturbed run's"
    done
    for f in report.html report.xlsx results.sqlite; do
        [ -s "$out/$f" ] || fail "rerun after the kill at $frac: $f missing"
    done
    left=$(ls -A "$out" | grep '^\.' | tr '\n' ' ')
    [ -z "$left" ] || fail "rerun after the kill at $frac: the killed run's temporary files remain: $left"
    # and its hidden folder beside the output folder (out_stage)
    left=$(ls -A "$tmp" | grep "^\.k$frac\.tuopin-" | tr '\n' ' ')
    [ -z "$left" ] || fail "rerun after the kill at $frac: the killed run's hidden folder remains: $left"
    rm -rf "$out"
done
finish
