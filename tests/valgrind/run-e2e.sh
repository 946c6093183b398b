#!/bin/sh
# run-e2e.sh — the end-to-end tests with every tuopin process under
# valgrind's memcheck: no invalid read or write, no use of uninitialised
# memory, no definite leak.  Used by tools/test; by hand:
#     tests/valgrind/run-e2e.sh BUILDDIR [TEST.sh...]
# Each test runs as in `make check`, with $TUOPIN a wrapper (tuopin-vg) that
# execs valgrind --error-exitcode=99 around the real binary and logs to
# $VG_LOGS; a test passes when it passes and its valgrind logs hold no error.
# Tests of faults and timing (tests/fault) are left out: a shim and a
# stopwatch do not mix with valgrind.
# VG_JOBS tests run at once (default: $JOBS, else the number of CPUs), as
# `make -j check` runs them; the longest tests start first (VG_FIRST), so
# the run ends soon after the total work divided by the jobs.  Results are
# printed in the order of the tests, whatever order they finish in.
top=$(cd "$(dirname "$0")/../.." && pwd)
self="$top/tests/valgrind/run-e2e.sh"

# ---- one test (the script calls itself so: --one LOGS TEST)
if [ "${1:-}" = --one ]; then
    logs=$2 t=$3
    name=$(basename "$t" .sh)
    mkdir -p "$logs/$name"
    start=$(date +%s)
    (
        eval "$(cat "$logs/testenv")"
        VG_LOGS="$logs/$name" TUOPIN_REAL="$TUOPIN" TUOPIN="$top/tests/valgrind/tuopin-vg" TUOPIN_WRAPPED=1
        export VG_LOGS TUOPIN_REAL TUOPIN TUOPIN_WRAPPED
        sh "$abs_top_srcdir/$t"
    ) >"$logs/$name.out" 2>&1
    st=$?
    errs=$(cat "$logs/$name"/vg.* 2>/dev/null | grep -c '^==[0-9]*== [A-Z]' || true)
    secs=$(( $(date +%s) - start ))
    {
        if [ "$st" -eq 0 ] && [ "$errs" -eq 0 ]; then
            echo "PASS: valgrind $t (${secs}s)"
        elif [ "$st" -eq 77 ]; then
            echo "SKIP: valgrind $t"
        else
            echo "FAIL: valgrind $t (status $st, ${secs}s)"
            tail -n 15 "$logs/$name.out"
            cat "$logs/$name"/vg.* 2>/dev/null | grep -v '^==[0-9]*== *$' | head -60
        fi
    } >"$logs/$name.result"
    exit 0
fi

build=$(cd "${1:?usage: run-e2e.sh BUILDDIR [TEST.sh...]}" && pwd) || exit 1
shift
command -v valgrind >/dev/null || { echo "run-e2e: valgrind is not installed" >&2; exit 1; }
[ -x "$build/core/tuopin" ] || { echo "run-e2e: $build/core/tuopin is not built" >&2; exit 1; }
tests=$*
# By default the end-to-end tests `make check` runs (TESTS of the build).
[ -n "$tests" ] || tests=$(echo 'print-tests: ; @echo $(TESTS)' | ${MAKE:-make} -s -C "$build" -f Makefile -f - print-tests 2>/dev/null \
    | tr ' ' '\n' | grep '^tests/e2e/.*\.sh$')
[ -n "$tests" ] || { echo "run-e2e: no end-to-end tests found in $build/Makefile" >&2; exit 1; }
logs=$(mktemp -d "${TMPDIR:-/tmp}/tuopin-vg.XXXXXX") || exit 1
# The environment `make check` gives the tests (AM_TESTS_ENVIRONMENT), then
# $TUOPIN replaced by the wrapper.
printf 'print-env: ; $(info $(AM_TESTS_ENVIRONMENT))@:\n' >"$logs/env.mk"
${MAKE:-make} -s -C "$build" -f Makefile -f "$logs/env.mk" print-env >"$logs/testenv" 2>/dev/null
[ -s "$logs/testenv" ] || { echo "run-e2e: cannot read AM_TESTS_ENVIRONMENT from $build/Makefile" >&2; exit 1; }
jobs=${VG_JOBS:-${JOBS:-$(nproc 2>/dev/null || echo 1)}}
# The slowest under valgrind (minutes each) go first.
first=${VG_FIRST:-merge rosters_merge slurm print hostile_scripts quality_planted}
order=
for f in $first; do
    for t in $tests; do
        [ "$(basename "$t" .sh)" = "$f" ] && order="$order $t"
    done
done
for t in $tests; do
    case " $order " in *" $t "*) ;; *) order="$order $t" ;; esac
done
printf '%s\n' $order | xargs -P "$jobs" -n 1 sh "$self" --one "$logs"
pass=0 failed=0
for t in $tests; do
    r="$logs/$(basename "$t" .sh).result"
    if [ -f "$r" ]; then
        cat "$r"
    else
        echo "FAIL: valgrind $t (it did not finish)"
        echo "FAIL" >"$r"
    fi
    case $(head -n 1 "$r") in
        PASS*) pass=$((pass + 1)) ;;
        SKIP*) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
rm -rf "$logs"
echo "valgrind: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
