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
top=$(cd "$(dirname "$0")/../.." && pwd)
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
testenv=$(${MAKE:-make} -s -C "$build" -f Makefile -f "$logs/env.mk" print-env 2>/dev/null)
[ -n "$testenv" ] || { echo "run-e2e: cannot read AM_TESTS_ENVIRONMENT from $build/Makefile" >&2; exit 1; }
pass=0 failed=0
for t in $tests; do
    name=$(basename "$t" .sh)
    mkdir -p "$logs/$name"
    start=$(date +%s)
    (
        eval "$testenv"
        VG_LOGS="$logs/$name" TUOPIN_REAL="$TUOPIN" TUOPIN="$top/tests/valgrind/tuopin-vg" TUOPIN_WRAPPED=1
        export VG_LOGS TUOPIN_REAL TUOPIN TUOPIN_WRAPPED
        sh "$abs_top_srcdir/$t"
    ) >"$logs/$name.out" 2>&1
    st=$?
    errs=$(cat "$logs/$name"/vg.* 2>/dev/null | grep -c '^==[0-9]*== [A-Z]' || true)
    secs=$(( $(date +%s) - start ))
    if [ "$st" -eq 0 ] && [ "$errs" -eq 0 ]; then
        pass=$((pass + 1)); echo "PASS: valgrind $t (${secs}s)"
    elif [ "$st" -eq 77 ]; then
        echo "SKIP: valgrind $t"
    else
        failed=$((failed + 1)); echo "FAIL: valgrind $t (status $st, ${secs}s)"
        tail -n 15 "$logs/$name.out"
        cat "$logs/$name"/vg.* 2>/dev/null | grep -v '^==[0-9]*== *$' | head -60
    fi
done
rm -rf "$logs"
echo "valgrind: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
