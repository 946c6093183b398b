#!/bin/sh
# commit.sh — issue 18 item 5: a run's outputs appear together or not at
# all.  The run writes into a hidden folder beside the output folder and
# swaps it in with one renameat2(RENAME_EXCHANGE) (core/base/output.c).
# TUOPIN_FAULT_COMMIT=K kills the run with SIGKILL at step K of its commit
# (=fail:K makes step K fail instead; docs/safety.md lists the steps).  At
# every step the folder must hold all of the previous run's outputs or all of
# the new run's (compared byte for byte), never a mix, and a file of the
# user's in the folder stays; a failed step leaves the previous outputs and
# nothing hidden; the rerun removes what the killed run left beside the
# folder.  A folder holding a folder of the user's cannot be swapped: its
# outputs are renamed one by one (the documented fallback), and a failed
# rename still puts the previous ones back.
. "$abs_top_srcdir/tests/e2e/lib.sh"
cd "$tmp" || exit 99
if ldd "$TUOPIN" 2>/dev/null | grep -q 'libasan\|libubsan' || [ -n "${TUOPIN_WRAPPED:-}" ]; then
    echo "SKIP: the commit's kill points under the sanitizers or valgrind" >&2
    exit 77
fi
P="$abs_top_srcdir/examples/national.lua"
IN="$abs_top_srcdir/examples/quarter-2020Q3.csv"
OUTS="households.csv findings.csv rejects.csv counties.csv summary.csv af.csv report.html report.xlsx results.sqlite"
# byte-identical from run to run (the reports and the database carry the run's time)
CSVS="households.csv findings.csv rejects.csv counties.csv summary.csv af.csv"
# the new run: another income line, and a row that is rejected
{ cat "$IN"; echo "HX,1"; } >new.csv
NEW="--param income_line=4500"

"$TUOPIN" run "$P" --input "$IN" --out old --quiet 2>e || { fail "old run: $(cat e)"; finish; }
"$TUOPIN" run "$P" --input new.csv $NEW --out new --quiet 2>e || { fail "new run: $(cat e)"; finish; }
for f in $OUTS; do
    cmp -s "old/$f" "new/$f" && fail "$f is the same in both runs: the test cannot tell them apart"
done

# state DIR: "old" when every output is the old run's, "new" when every one is
# the new run's (CSVs byte-identical to the reference, the others present and
# not the old ones), else "mix: ..." naming each file's state
state() {
    o=0 n=0 what=""
    for f in $OUTS; do
        if [ ! -f "$1/$f" ]; then what="$what $f:missing"
        elif cmp -s "old/$f" "$1/$f"; then o=$((o + 1)); what="$what $f:old"
        else
            case " $CSVS " in
            *" $f "*) if cmp -s "new/$f" "$1/$f"; then n=$((n + 1)); what="$what $f:new"
                      else what="$what $f:other"; fi ;;
            *) n=$((n + 1)); what="$what $f:new" ;;
            esac
        fi
    done
    if [ $o -eq 9 ]; then echo old; elif [ $n -eq 9 ]; then echo new; else echo "mix:$what"; fi
}

fresh() {   # out: the old run's outputs, a file of the user's, mode 0750
    rm -rf out
    cp -rp old out
    echo "keep me" >out/notes.txt
    chmod 750 out
}

leftovers() {   # hidden entries in out or beside it
    { ls -A out | grep '^\.'; ls -A . | grep '^\.out\.'; } 2>/dev/null | tr '\n' ' '
}

for k in 1 2 3 4 5 6; do
    fresh
    TUOPIN_FAULT_COMMIT=$k "$TUOPIN" run "$P" --input new.csv $NEW --out out --quiet 2>e
    st=$?
    [ $st -eq 137 ] || fail "step $k: the run was not killed at its commit (status $st): $(cat e)"
    s=$(state out)
    if [ $k -le 4 ]; then want=old; else want=new; fi
    [ "$s" = "$want" ] || fail "killed at commit step $k: the folder holds $s, not all $want outputs"
    [ "$(cat out/notes.txt 2>/dev/null)" = "keep me" ] || fail "killed at commit step $k: the user's notes.txt is gone"
    # the rerun commits and removes what the killed run left
    "$TUOPIN" run "$P" --input new.csv $NEW --out out --quiet 2>e || { fail "rerun after step $k: $(cat e)"; continue; }
    [ "$(state out)" = new ] || fail "rerun after step $k: $(state out)"
    left=$(leftovers)
    [ -z "$left" ] || fail "rerun after step $k: the killed run's files remain: $left"
    [ "$(cat out/notes.txt 2>/dev/null)" = "keep me" ] || fail "rerun after step $k: notes.txt is gone"
    [ "$(stat -c %a out)" = 750 ] || fail "after the swap the folder's mode is $(stat -c %a out), not 750"
done

# a step that fails: the previous outputs stay, nothing is left hidden
for k in 1 2 3 4; do
    fresh
    TUOPIN_FAULT_COMMIT=fail:$k "$TUOPIN" run "$P" --input new.csv $NEW --out out --quiet 2>e \
        && fail "commit step $k failed but the run succeeded"
    [ "$(wc -l <e)" = 1 ] || fail "commit step $k failed: not one line: $(cat e)"
    s=$(state out)
    [ "$s" = old ] || fail "commit step $k failed: the folder holds $s, not the previous outputs"
    [ "$(cat out/notes.txt 2>/dev/null)" = "keep me" ] || fail "commit step $k failed: notes.txt is gone"
    left=$(leftovers)
    [ -z "$left" ] || fail "commit step $k failed: files left: $left"
done

# the fallback: a folder inside the output folder cannot come along in the
# swap, so the outputs are renamed one by one; a failed rename puts the
# previous ones back, and the user's folder stays
for k in 11 13 19; do
    fresh
    mkdir out/sub && echo "mine" >out/sub/x
    TUOPIN_FAULT_COMMIT=fail:$k "$TUOPIN" run "$P" --input new.csv $NEW --out out --quiet 2>e \
        && fail "fallback: rename $k failed but the run succeeded"
    s=$(state out)
    [ "$s" = old ] || fail "fallback: rename $k failed: the folder holds $s, not the previous outputs"
    [ "$(cat out/sub/x 2>/dev/null)" = mine ] || fail "fallback: the user's folder sub is gone"
    left=$(leftovers)
    [ -z "$left" ] || fail "fallback: rename $k failed: files left: $left"
done
"$TUOPIN" run "$P" --input new.csv $NEW --out out --quiet 2>e || fail "fallback run: $(cat e)"
[ "$(state out)" = new ] || fail "fallback run: $(state out)"
[ "$(cat out/sub/x 2>/dev/null)" = mine ] || fail "fallback run: the user's folder sub is gone"
[ -z "$(leftovers)" ] || fail "fallback run: files left: $(leftovers)"

# --out naming the working directory: never swapped away under the shell
fresh
(cd out && "$TUOPIN" run "$P" --input ../new.csv $NEW --out . --quiet 2>../e) || fail "--out .: $(cat e)"
[ "$(state out)" = new ] || fail "--out .: $(state out)"
[ -z "$(leftovers)" ] || fail "--out .: files left: $(leftovers)"
finish
