#!/bin/sh
# replay.sh — the short fuzz pass of `make check`: every harness replays its
# seed corpus (fuzz/corpus/NAME) and the inputs kept from earlier fuzzing
# (fuzz/regressions/NAME, when present) once; each input must hold every
# invariant the harness asserts.  Built with gcc the harnesses use the plain
# driver (fuzz/driver.c); built with --enable-fuzz they are libFuzzer
# binaries and -runs=0 makes them replay and stop.
: "${abs_top_srcdir:?run through make check}" "${abs_top_builddir:?}"
rc=0
for name in csv pipeline lua source mapping html; do
    bin="$abs_top_builddir/fuzz/fuzz_$name"
    [ -x "$bin" ] || { echo "replay: $bin is not built" >&2; exit 99; }
    dirs="$abs_top_srcdir/fuzz/corpus/$name"
    [ -d "$abs_top_srcdir/fuzz/regressions/$name" ] && dirs="$dirs $abs_top_srcdir/fuzz/regressions/$name"
    # shellcheck disable=SC2086
    if ! "$bin" -runs=0 $dirs >"$abs_top_builddir/fuzz/replay-$name.log" 2>&1; then
        echo "FAIL: fuzz_$name on its corpus:" >&2
        tail -30 "$abs_top_builddir/fuzz/replay-$name.log" >&2
        rc=1
    else
        tail -1 "$abs_top_builddir/fuzz/replay-$name.log"
    fi
done
exit $rc
