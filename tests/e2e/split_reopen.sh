#!/bin/sh
# split_reopen.sh — issue 18 item 4: `split` parks shard files when they are
# more than it may keep open (a county split of a nation) and reopens them
# later.  It reopens only the very file it made: a symbolic link put in place
# of a parked temporary file is refused (the link's target is untouched), and
# a deleted temporary is an error, not a new empty file.  The input comes
# through a FIFO so that the temporaries can be changed half way.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
cd "$tmp" || exit 99

# 40 counties in turn, one household each: with 64 open files at most, split
# keeps 16 shards open and parks and reopens the others all the time.
python3 - <<'PY'
w = open("big.csv", "w")
w.write("household_id,region_code,status\n")
for i in range(60000):
    w.write("H%07d,1101%02d001001,poor\n" % (i, i % 40 + 1))
PY

# attempt KIND: splits big.csv while every temporary shard file that appears
# is replaced by a link (link) or removed (delete), until split ends
attempt() {
    kind=$1
    rm -rf "out-$kind"
    printf 'SECRET\n' >victim
    ( ulimit -n 64; exec "$TUOPIN" split big.csv --by county --out "out-$kind" --quiet ) 2>"$kind.err" &
    pid=$!
    while kill -0 $pid 2>/dev/null; do
        for t in "out-$kind"/.county-1101*.csv.tmp-*; do
            [ -f "$t" ] && [ ! -L "$t" ] || continue
            case $kind in
            link) rm -f "$t" && ln -s "$tmp/victim" "$t" ;;
            delete) rm -f "$t" ;;
            esac
        done
    done
    wait $pid
    st=$?
}

attempt link
[ $st -ne 0 ] || fail "split followed links put in place of its temporaries (exit 0)"
[ "$(cat victim)" = SECRET ] || fail "a link's target received shard data: $(head -c 100 victim)"
grep -q 'replaced or changed\|cannot reopen' link.err || fail "the error does not say why: $(cat link.err)"
ls "out-link"/county-*.csv >/dev/null 2>&1 && fail "shards were renamed into place after the links"

attempt delete
[ $st -ne 0 ] || fail "split re-created deleted temporaries (exit 0)"
grep -q 'cannot reopen\|replaced or changed' delete.err || fail "the error does not say why: $(cat delete.err)"

# undisturbed, the same input splits
( ulimit -n 64; exec "$TUOPIN" split big.csv --by county --out out-ok --quiet ) 2>ok.err || fail "split: $(cat ok.err)"
[ "$(wc -l <out-ok/county-110101.csv)" = 1501 ] || fail "county-110101.csv does not hold 1500 households"
[ "$(stat -c %a out-ok/county-110101.csv)" = 600 ] || fail "a shard is not mode 0600"
finish
