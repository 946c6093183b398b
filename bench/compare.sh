#!/bin/sh
# bench/compare.sh — issue 6's benchmark: on 4 generated quarters of one
# population (1,000,000 households each by default), comparing two quarters
# must take less time than one national run of a quarter.
#
#   bench/compare.sh [HOUSEHOLDS]
#
# Environment (optional): TUOPIN (the program; default build/core/tuopin, as
# tools/demo builds it), BENCH_OUT (work folder, default bench/out/quarters;
# the generated quarters are kept for the next run, BENCH_REGEN=1 makes them
# again), BENCH_REPEAT (timed runs of each step, the fastest is kept; 3).
#
# Steps, each under /usr/bin/time (wall and CPU = user + system seconds):
#   gen        tuopin gen --profile stress --quarters 4 --households N --quarter 2020Q1
#   run Qn     tuopin run examples/national.lua on each quarter (--jobs = cores)
#   add Qn     tuopin history add (results.sqlite + the input's transfers)
#   compare    tuopin compare 2020Q3 2020Q4 from the history (with its context)
#   compare-runs  the same two run folders (reads both inputs for transfers)
# and the planted patterns found, with the false-positive rate.
# Prints a table (also in BENCH_OUT/compare.md).  Exit 0 when the comparison
# (history, fastest) took less wall time than the fastest national run, else 1.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-${BENCH_HOUSEHOLDS:-1000000}}
OUT=${BENCH_OUT:-$TOP/bench/out/quarters}
REPEAT=${BENCH_REPEAT:-3}
TUOPIN=${TUOPIN:-$TOP/build/core/tuopin}
[ -x "$TUOPIN" ] || { echo "bench/compare.sh: no tuopin at $TUOPIN (run tools/demo, or set TUOPIN)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/compare.sh: /usr/bin/time is needed (Debian package time)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
cd "$OUT" || exit 2
Q="2020Q1 2020Q2 2020Q3 2020Q4"
: >times.txt

# timed LABEL COMMAND...: best of REPEAT runs into times.txt as "LABEL wall cpu maxrss"
timed() {
    label=$1
    shift
    best=
    i=0
    while [ $i -lt "$REPEAT" ]; do
        /usr/bin/time -f '%e %U %S %M' -o time.one "$@" >/dev/null 2>step.err || {
            echo "bench/compare.sh: $label failed:" >&2
            cat step.err >&2
            exit 1
        }
        t=$(awk '{ printf "%s %.2f %s", $1, $2 + $3, $4 }' time.one)
        if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$t; fi
        i=$((i + 1))
    done
    echo "$label $best" >>times.txt
}

if [ ! -f q-2020Q4.csv ] || [ -n "${BENCH_REGEN:-}" ] || [ "$(cat households 2>/dev/null)" != "$N" ]; then
    REPEAT_SAVED=$REPEAT
    REPEAT=1
    timed gen "$TUOPIN" gen --profile stress --quarters 4 --households "$N" --quarter 2020Q1 --seed 1 --out q
    REPEAT=$REPEAT_SAVED
    echo "$N" >households
fi
cat q-2020Q*.csv >/dev/null   # every step reads from the page cache

rm -f history.sqlite
for q in $Q; do
    timed "run $q" "$TUOPIN" run "$TOP/examples/national.lua" --input "q-$q.csv" --quarter "$q" \
        --param income_line=4000 --out "run-$q" --quiet
    REPEAT_SAVED=$REPEAT
    REPEAT=1
    timed "add $q" "$TUOPIN" history add "run-$q" --history history.sqlite --quiet
    REPEAT=$REPEAT_SAVED
done
timed compare "$TUOPIN" compare 2020Q3 2020Q4 --history history.sqlite --out cmp --quiet
timed compare-runs "$TUOPIN" compare run-2020Q3 run-2020Q4 --out cmp-runs --quiet
timed compare-runs-no-input "$TUOPIN" compare run-2020Q3 run-2020Q4 --no-input --out cmp-runs2 --quiet

{
    echo "# tuopin compare on $N households per quarter ($(nproc) cores; best of $REPEAT)"
    echo
    echo "| step | wall s | CPU s | max RSS MB |"
    echo "|---|---:|---:|---:|"
    awk '{ label = $1; for (i = 2; i <= NF - 3; i++) label = label " " $i;
           printf "| %s | %s | %s | %.0f |\n", label, $(NF-2), $(NF-1), $NF / 1024 }' times.txt
    echo
    if command -v python3 >/dev/null 2>&1; then
        echo '```'
        python3 "$TOP/tests/e2e/quarters_eval.py" q-truth.csv cmp/signals.csv cmp/transitions.csv 0.005
        echo '```'
    fi
} >compare.md
cat compare.md
run_best=$(awk '$1 == "run" { if (b == "" || $3 < b) b = $3 } END { print b }' times.txt)
cmp_best=$(awk '$1 == "compare" { print $2 }' times.txt)
echo
if awk -v c="$cmp_best" -v r="$run_best" 'BEGIN { exit !(c < r) }'; then
    echo "compare ${cmp_best} s < fastest national run ${run_best} s: target met"
    exit 0
fi
echo "compare ${cmp_best} s >= fastest national run ${run_best} s: target NOT met"
exit 1
