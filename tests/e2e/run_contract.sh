#!/bin/sh
# run_contract.sh — promises of the README and docs/outputs.md about a
# completed run:
#   - exit status 0 when the run completed, rejected rows included;
#   - every row read is evaluated or rejected, and the closing line says so
#     (rows_read = rows_evaluated + rows_rejected, standard §1);
#   - output files are readable by their owner only (mode 0600) whatever the
#     umask, and no temporary file is left in the output folder;
#   - --quiet: nothing on standard error, but the notice of an unverified
#     national line (standard §7: "print a notice when a run uses an
#     unverified value"), which is printed whatever the options;
#   - the outputs are byte-identical whatever --jobs is.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

# structural.csv: 27 rows, 10 in 9 evaluated households, 17 rejected (see
# tests/e2e/expected/structural).
out="$tmp/out"
(umask 000 && "$TUOPIN" run "$DATA/income.lua" --input "$DATA/structural.csv" --out "$out") 2>"$tmp/err"
st=$?
[ "$st" -eq 0 ] || fail "exit status $st on a run with rejects: $(cat "$tmp/err")"
[ -s "$out/rejects.csv" ] || fail "rejects.csv missing or empty"

python3 - "$tmp/err" <<'PY' || fail "closing line: rows read = evaluated + rejected (27 = 10 + 17) not found in: $(cat "$tmp/err")"
import re, sys
for line in open(sys.argv[1], encoding="utf-8-sig"):
    if "rows read" not in line:
        continue
    n = [int(x) for x in re.findall(r"\d+", line)]
    # 27 read, then 10 evaluated rows ... 17 rejected rows, in that order
    if n and n[0] == 27 and 10 in n[1:]:
        i = n.index(10, 1)
        if 17 in n[i + 1:]:
            sys.exit(0)
sys.exit(1)
PY

bad=$(find "$out" -type f ! -perm 600)
[ -z "$bad" ] || fail "output files not mode 0600 (umask 000): $bad"
[ -n "$(find "$out" -type f -name households.csv -perm 600)" ] || fail "households.csv is not mode 0600"
hidden=$(ls -A "$out" | grep '^\.' || true)
[ -z "$hidden" ] || fail "temporary files left in the output folder: $hidden"

# --quiet: no closing line, nothing at all on standard error.
"$TUOPIN" run "$DATA/income.lua" --input "$DATA/structural.csv" --out "$tmp/quiet" --quiet 2>"$tmp/qerr"
[ $? -eq 0 ] || fail "--quiet run failed"
[ ! -s "$tmp/qerr" ] || fail "--quiet still wrote: $(cat "$tmp/qerr")"

# The national line of 2018 is unverified in the standard's table (2995
# yuan): a run that takes it from the table says so, --quiet or not; 2019's
# (3218, verified) gives no notice.
for q in 2018Q4 2019Q4; do
    cat >"$tmp/noline-$q.lua" <<EOF
quarter "$q"
stage "income"
EOF
    for opt in "" --quiet; do
        "$TUOPIN" run "$tmp/noline-$q.lua" --input "$DATA/structural.csv" --out "$tmp/noline" $opt \
            2>"$tmp/nerr" || fail "run of $q $opt failed: $(cat "$tmp/nerr")"
        n=$(grep -c 'income_line 2995.00 for 2018 is unverified' "$tmp/nerr")
        if [ "$q" = 2018Q4 ]; then
            [ "$n" -eq 1 ] || fail "$q $opt: the unverified line's notice is not printed once: $(cat "$tmp/nerr")"
        else
            ! grep -q unverified "$tmp/nerr" || fail "$q $opt: a notice for a verified line: $(cat "$tmp/nerr")"
        fi
    done
done

# --jobs: byte-identical outputs on a generated quarter through all stages.
"$TUOPIN" gen --profile stress --households 3000 --seed 11 --quarter 2020Q3 --out "$tmp/gen.csv" 2>"$tmp/gerr" \
    || { fail "tuopin gen failed: $(cat "$tmp/gerr")"; finish; }
for j in 1 2 5; do
    "$TUOPIN" run "$EXAMPLES/national.lua" --input "$tmp/gen.csv" --out "$tmp/j$j" --jobs "$j" --quiet \
        2>"$tmp/j$j.err" || fail "--jobs $j failed: $(cat "$tmp/j$j.err")"
done
for f in households.csv findings.csv rejects.csv counties.csv; do
    [ -f "$tmp/j1/$f" ] || continue
    for j in 2 5; do
        cmp -s "$tmp/j1/$f" "$tmp/j$j/$f" || fail "$f differs between --jobs 1 and --jobs $j"
    done
done
finish
