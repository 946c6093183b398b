#!/bin/sh
# named_pipeline.sh — `tuopin run national` (issue 17.11): the national
# pipeline is installed with tuopin ($(pkgdatadir)/pipelines) and a bare name
# is looked up as NAME.lua in the current folder, then there.  The data files
# are installed with DESTDIR and the build's binary pointed at them
# (TUOPIN_DATA_DIR, as paths.h reads it); the uninstalled binary finds the
# source tree's data/pipelines the same way.
. "$abs_top_srcdir/tests/e2e/lib.sh"

Q="$abs_top_srcdir/examples/quarter.csv"
if ! ${MAKE:-make} -s -C "$abs_top_builddir" install-dist_pipelinesDATA install-dist_pkgdataDATA \
        DESTDIR="$tmp/dest" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log" >&2
    fail "make install DESTDIR: the pipelines and data were not installed"
    finish
fi
inst=$(find "$tmp/dest" -path '*/pipelines/national.lua' | head -1)
[ -n "$inst" ] || { fail "make install: no pipelines/national.lua under DESTDIR"; finish; }
datadir=$(dirname "$(dirname "$inst")")
[ -f "$datadir/national-lines.csv" ] && [ -f "$datadir/regions.csv" ] \
    || fail "make install: national-lines.csv and regions.csv are not beside pipelines/"

# The reference: the example pipeline (the same seven stages, 2020's line).
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$Q" --quarter 2020Q3 --out "$tmp/ref" --quiet \
    || fail "examples/national.lua did not run"

mkdir "$tmp/empty"
# installed: from an empty folder, by name, with the installed data only
( cd "$tmp/empty" && TUOPIN_DATA_DIR="$datadir" "$TUOPIN" run national --input "$Q" --quarter 2020Q3 \
      --out "$tmp/installed" --quiet ) 2>"$tmp/installed.stderr" \
    || { fail "tuopin run national (installed data) failed:"; cat "$tmp/installed.stderr" >&2; }
# the build tree's equivalent, and the name with .lua
( cd "$tmp/empty" && "$TUOPIN" run national.lua --input "$Q" --quarter 2020Q3 --out "$tmp/built" --quiet ) \
    2>"$tmp/built.stderr" || { fail "tuopin run national.lua (build tree) failed:"; cat "$tmp/built.stderr" >&2; }
for d in installed built; do
    for f in households.csv findings.csv rejects.csv counties.csv; do
        cmp -s "$tmp/ref/$f" "$tmp/$d/$f" || fail "$d: $f differs from examples/national.lua's"
    done
done

# ./NAME.lua comes first: a local pipeline of one stage shadows the installed one
mkdir "$tmp/local"
printf 'stage "income"\n' >"$tmp/local/national.lua"
( cd "$tmp/local" && "$TUOPIN" run national --input "$Q" --quarter 2020Q3 --out "$tmp/localrun" --quiet ) \
    || fail "tuopin run national with ./national.lua failed"
if [ -f "$tmp/localrun/findings.csv" ]; then
    stages=$(tail -n +2 "$tmp/localrun/findings.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')
    [ "$stages" = "income " ] || fail "./national.lua not used first: findings of stages $stages"
fi

# a name found nowhere: one line naming the name and the folder looked in
( cd "$tmp/empty" && TUOPIN_DATA_DIR="$datadir" "$TUOPIN" run nosuch --input "$Q" --quarter 2020Q3 \
      --out "$tmp/nosuch" ) >/dev/null 2>"$tmp/nosuch.stderr" && fail "run nosuch: exit 0"
[ "$(wc -l <"$tmp/nosuch.stderr")" -eq 1 ] || fail "run nosuch: not one line on standard error"
grep -qF "nosuch.lua" "$tmp/nosuch.stderr" && grep -qF "$datadir/pipelines" "$tmp/nosuch.stderr" \
    || { fail "run nosuch: the message does not say where it looked:"; cat "$tmp/nosuch.stderr" >&2; }
finish
