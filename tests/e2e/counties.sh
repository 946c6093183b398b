#!/bin/sh
# counties.sh — standard §5 end to end: the hand-made quarter data/counties.csv
# (one county per outcome: meets; fails for incidence at exactly 2% and, in
# the west, 3%; wrong exits and missed households at exactly 2%;
# satisfaction at 85%; all four reasons; fails with a missing sample;
# incomplete without exited, without general or without both; unverified
# general households; a rejected household that must not count) through
# the national pipeline.  counties.csv must equal expected/counties/
# counties.csv, written by hand from the standard, byte for byte after the
# UTF-8 byte-order mark it begins with (docs/outputs.md); the other
# aggregate outputs must exist, owner-only.
if [ -z "${TUOPIN:-}" ] || [ -z "${abs_top_srcdir:-}" ] || [ -z "${abs_top_builddir:-}" ]; then
    echo "run through make check: TUOPIN, abs_top_srcdir and abs_top_builddir must be set" >&2
    exit 99
fi
E2E="$abs_top_srcdir/tests/e2e"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tuopin-counties.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

out="$tmp/out"
if ! "$TUOPIN" run "$E2E/data/counties.lua" --out "$out" --quiet 2>"$tmp/stderr"; then
    echo "FAIL: tuopin run exited non-zero:" >&2
    cat "$tmp/stderr" >&2
    exit 1
fi
if [ ! -f "$out/counties.csv" ]; then
    echo "FAIL: tuopin run wrote no counties.csv" >&2
    exit 1
fi

failures=0
if ! LC_ALL=C sed '1s/^\xEF\xBB\xBF//' "$out/counties.csv" | diff -u "$E2E/expected/counties/counties.csv" - >&2; then
    echo "FAIL: counties.csv differs from expected/counties/counties.csv" >&2
    failures=$((failures + 1))
fi
if [ "$(head -c 3 "$out/counties.csv" | od -An -tx1 | tr -d ' \n')" != efbbbf ]; then
    echo "FAIL: counties.csv does not begin with the UTF-8 byte-order mark" >&2
    failures=$((failures + 1))
fi
for f in counties.csv summary.csv af.csv report.html report.xlsx results.sqlite; do
    if [ ! -f "$out/$f" ]; then
        echo "FAIL: $f was not written" >&2
        failures=$((failures + 1))
    elif [ "$(stat -c %a "$out/$f")" != 600 ]; then
        echo "FAIL: $f has mode $(stat -c %a "$out/$f"), expected 600" >&2
        failures=$((failures + 1))
    fi
done
# No temporary file is left behind.
if ls -A "$out" | grep -q '^\.'; then
    echo "FAIL: temporary files left in the output folder: $(ls -A "$out" | grep '^\.')" >&2
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] || exit 1
exit 0
