#!/bin/sh
# failmalloc.sh — allocation failure, looped over every allocation of a run
# (the way SQLite's and Lua's own tests do it): `tuopin run` of the national
# pipeline on a small quarter with its N-th allocation failing, for N = 1, 2,
# … until the run makes no N-th allocation.  Every run must either
#   - fail cleanly: exit status 1, exactly one line on standard error, and
#     nothing left in the output folder (no output under a final name, no
#     temporary file), or
#   - absorb the failure and succeed with outputs byte-identical to an
#     undisturbed run's;
# never die of a signal.  Then a sample with every allocation from the N-th
# on failing (FAILMALLOC_PERSIST), and a sample with two worker threads.
#
# FAILMALLOC_STRIDE=K tries every K-th N only (default 1: all of them).
. "$abs_top_srcdir/tests/e2e/lib.sh"

shim="$abs_top_builddir/tests/fault/.libs/failmalloc.so"
[ -f "$shim" ] || { echo "SKIP: $shim not built" >&2; exit 77; }
# The sanitizers' allocator cannot be interposed, and valgrind has its own.
if ldd "$TUOPIN" 2>/dev/null | grep -q 'libasan\|libubsan' || [ -n "${TUOPIN_WRAPPED:-}" ]; then
    echo "SKIP: $TUOPIN is built with sanitizers or wrapped" >&2
    exit 77
fi

pipeline="$abs_top_srcdir/examples/national.lua"
input="$abs_top_srcdir/tests/e2e/data/national.csv"
stride=${FAILMALLOC_STRIDE:-1}
csvs="households.csv findings.csv rejects.csv counties.csv summary.csv af.csv"

run() {   # run OUT [env...]: tuopin with the shim; status in $st
    out=$1
    shift
    env "$@" LD_PRELOAD="$shim" "$TUOPIN" run "$pipeline" --input "$input" --quarter 2021Q2 \
        --out "$out" --jobs "${jobs:-1}" --quiet 2>"$out.err"
    st=$?
}

jobs=1
run "$tmp/ref" FAILMALLOC_COUNT="$tmp/count"
[ "$st" -eq 0 ] || { fail "the undisturbed run failed: $(cat "$tmp/ref.err")"; finish; }
total=$(cat "$tmp/count")
[ "$total" -gt 100 ] || { fail "the shim counted $total allocations: is it loaded?"; finish; }

# bad MESSAGE: a failure found by a worker (they run in the background).
bad() {
    echo "FAIL: $*" >>"$tmp/failures"
}

# check N MODE: the outcome of the run in $tmp/o.N
check() {
    n=$1 mode=$2 out="$tmp/o.$1"
    if [ "$st" -eq 0 ]; then
        for f in $csvs; do
            cmp -s "$tmp/ref/$f" "$out/$f" || bad "$mode N=$n: succeeded but $f differs from the undisturbed run's"
        done
    elif [ "$st" -eq 1 ]; then
        lines=$(wc -l <"$out.err")
        [ "$lines" -eq 1 ] || bad "$mode N=$n: $lines lines on standard error, expected one: $(head -c 400 "$out.err")"
        left=$(ls -A "$out" 2>/dev/null | tr '\n' ' ')
        [ -z "$left" ] || bad "$mode N=$n: the failed run left files: $left"
    else
        bad "$mode N=$n: exit status $st (a crash?): $(head -c 400 "$out.err")"
    fi
    rm -rf "$out" "$out.err"
}

# one MODE N: a run with allocation N failing (as MODE says) and its check
one() {
    case $1 in
        once) run "$tmp/o.$2" FAILMALLOC_N="$2" ;;
        persist) run "$tmp/o.$2" FAILMALLOC_N="$2" FAILMALLOC_PERSIST=1 ;;
        jobs2) jobs=2 run "$tmp/o.$2" FAILMALLOC_N="$2" ;;
    esac
    check "$2" "$1"
}

# sweep MODE FIRST STEP LAST: one run per N (two workers share the N's)
sweep() {
    for w in 0 1; do
        (
            n=$(($2 + w * $3))
            while [ "$n" -le "$4" ]; do
                one "$1" "$n"
                n=$((n + 2 * $3))
            done
        ) &
    done
    wait
}

sweep once 1 "$stride" $((total + 1))
# Past the last allocation nothing fails: the run must succeed.
one once $((total + 1))
[ "$st" -eq 0 ] || bad "N=$((total + 1)) (no allocation fails): exit status $st"
sweep persist 1 $((97 * stride)) "$total"
sweep jobs2 3 $((41 * stride)) "$total"
if [ -s "$tmp/failures" ]; then
    head -40 "$tmp/failures" >&2
    fail "$(wc -l <"$tmp/failures") runs went wrong"
fi
echo "failmalloc: $total allocations in an undisturbed run, each failed in turn (stride $stride)" >&2
finish
