#!/bin/sh
# one_commit.sh — issue 18 item 5: a failed commit never deletes the previous
# run's good outputs (a rename that fails puts them back), and two runs into
# one folder cannot interleave: the second is refused, naming the run that
# holds the folder (pid and start time), and the first finishes normally.
. "$abs_top_srcdir/tests/e2e/lib.sh"
cd "$tmp" || exit 99
P="$abs_top_srcdir/examples/national.lua"
IN="$abs_top_srcdir/examples/quarter-2020Q3.csv"

# a failed commit keeps the previous outputs
"$TUOPIN" run "$P" --input "$IN" --out out --quiet 2>e1 || fail "first run: $(cat e1)"
cp -r out first
rm -f out/results.sqlite && mkdir -p out/results.sqlite/x   # its rename will fail
"$TUOPIN" run "$P" --input "$IN" --param income_line=4500 --out out --quiet 2>e2 \
    && fail "a run whose commit cannot rename results.sqlite succeeded"
for f in households.csv findings.csv rejects.csv counties.csv summary.csv af.csv report.html; do
    if [ ! -f "out/$f" ]; then fail "the failed commit deleted the previous $f"
    elif ! cmp -s "first/$f" "out/$f"; then fail "the failed commit left a new $f beside the old ones"
    fi
done
hidden=$(ls -A out | grep '^\.' || true)
[ -z "$hidden" ] || fail "the failed commit left hidden files: $hidden"

# two runs into one folder
"$TUOPIN" gen --profile stress --households 150000 --seed 3 --quarter 2020Q4 --out big.csv 2>g.err || { fail "gen: $(cat g.err)"; finish; }
"$TUOPIN" run "$P" --input big.csv --quarter 2020Q4 --out two --quiet 2>a.err &
a=$!
i=0
while [ ! -f two/.tuopin.lock ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -f two/.tuopin.lock ] || fail "the first run holds no lock file"
"$TUOPIN" run "$P" --input "$IN" --out two --quiet 2>b.err && fail "a second run into a busy folder ran"
grep -qE 'another tuopin run is writing into this folder \(pid [0-9]+, started [0-9-]+ [0-9:]+ UTC\)' b.err \
    || fail "the second run does not name the first: $(cat b.err)"
[ "$(wc -l <b.err)" = 1 ] || fail "the refusal is not one line"
wait $a || fail "the first run failed beside the refused one: $(cat a.err)"
[ "$(wc -l <two/households.csv)" -gt 100000 ] || fail "two/households.csv is not the first run's"
[ -e two/.tuopin.lock ] && fail "the lock file is left after the run"
finish
