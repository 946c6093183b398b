# lib.sh — shared by the end-to-end tests (sourced, not run).
#
# make check gives every test $TUOPIN, $abs_top_srcdir and $abs_top_builddir.
# A test exits 0 when it passes, 1 when it fails, 77 when it cannot run here.
# Everything a test writes goes under $tmp, removed at exit: the source tree
# may be read-only (make distcheck).

if [ -z "${TUOPIN:-}" ] || [ -z "${abs_top_srcdir:-}" ] || [ -z "${abs_top_builddir:-}" ]; then
    echo "run through make check: TUOPIN, abs_top_srcdir and abs_top_builddir must be set" >&2
    exit 99
fi
if [ ! -x "$TUOPIN" ]; then
    echo "$TUOPIN is not built" >&2
    exit 99
fi

E2E="$abs_top_srcdir/tests/e2e"
DATA="$E2E/data"
EXPECTED="$E2E/expected"
EXAMPLES="$E2E/examples"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tuopin-e2e.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

failures=0

# fail MESSAGE: records a failure and goes on (the test exits 1 at the end).
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# finish: the test's exit status.
finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    exit 0
}

need_python() {
    if ! command -v python3 >/dev/null 2>&1; then
        echo "SKIP: python3 is needed to compare CSV files" >&2
        exit 77
    fi
}

# compare DESCRIPTION EXPECTED ACTUAL [compare.py options]
compare() {
    what=$1 want=$2 got=$3
    shift 3
    if [ ! -f "$got" ]; then
        fail "$what: $got was not written"
    elif ! python3 "$E2E/compare.py" "$@" "$want" "$got"; then
        fail "$what: $got differs from $want"
    fi
}

# bom_strip FILE...: the files' bytes without the UTF-8 byte-order mark that
# tuopin's CSV outputs begin with (docs/outputs.md), for awk, cut, head, grep
# '^…' and cmp; python reads them with encoding="utf-8-sig".
bom_strip() {
    for f in "$@"; do LC_ALL=C sed '1s/^\xEF\xBB\xBF//' "$f"; done
}

# run_tuopin OUTDIR ARGS...: runs `tuopin run ARGS... --out OUTDIR`, keeping
# standard error in OUTDIR.stderr and the exit status in $status.
run_tuopin() {
    out=$1
    shift
    "$TUOPIN" run "$@" --out "$out" 2>"$out.stderr"
    status=$?
}

# expect_fatal DESCRIPTION PATTERN... -- ARGS...: `tuopin ARGS` must exit
# non-zero with exactly one line on standard error, containing every PATTERN
# (fixed strings).
expect_fatal() {
    what=$1
    shift
    pats=
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        pats="$pats$1
"
        shift
    done
    shift
    "$TUOPIN" "$@" >"$tmp/fatal.stdout" 2>"$tmp/fatal.stderr"
    st=$?
    if [ "$st" -eq 0 ]; then
        fail "$what: exit status 0, expected a fatal error"
        return
    fi
    lines=$(wc -l <"$tmp/fatal.stderr")
    if [ "$lines" -ne 1 ]; then
        fail "$what: $lines lines on standard error, expected one:"
        sed 's/^/    /' "$tmp/fatal.stderr" >&2
    fi
    printf '%s' "$pats" | while IFS= read -r p; do
        [ -n "$p" ] || continue
        if ! grep -qF -- "$p" "$tmp/fatal.stderr"; then
            echo "FAIL: $what: the message does not name \"$p\":" >&2
            sed 's/^/    /' "$tmp/fatal.stderr" >&2
            echo x >>"$tmp/fatal.missing"
        fi
    done
    if [ -s "$tmp/fatal.missing" ]; then
        failures=$((failures + 1))
        rm -f "$tmp/fatal.missing"
    fi
}
