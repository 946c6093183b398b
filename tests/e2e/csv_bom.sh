#!/bin/sh
# csv_bom.sh — CSV outputs that Excel opens as UTF-8 (issue 17 item 9,
# docs/outputs.md "Byte-order mark"):
#   - by default every CSV file of every command begins with the UTF-8
#     byte-order mark EF BB BF, once, and nothing else changes: run, merge,
#     compare, sample, estimate, hash-ids --out; report.html, report.xlsx and
#     results.sqlite do not get one; split's shards and gen's files (input
#     files for later runs) do not either, nor hash-ids on standard output;
#   - --csv-bom=no, output { csv_bom = false } and TUOPIN_CSV_BOM=no give
#     the same files without it; --csv-bom=yes beats the other two, the
#     pipeline beats the environment; a value other than yes/no is refused;
#   - the readers of tuopin's own CSVs take files with the mark: a split
#     quarter's shard runs (with marks) merge into exactly the single run's
#     files, with their marks; history add and compare; sample (quality.csv
#     for --certainty) and estimate (sample_info.csv, sample.csv and the
#     field run's outputs).
#
# make check sets $TUOPIN, $abs_top_srcdir and $abs_top_builddir.
# Exit 0 pass, 1 fail, 77 without python3.

. "$(dirname "$0")/lib.sh"
need_python

PIPELINE="$abs_top_srcdir/examples/national.lua"
cd "$tmp" || exit 99
unset TUOPIN_CSV_BOM

with_env() {   # with_env VALUE COMMAND...: COMMAND with TUOPIN_CSV_BOM=VALUE
    (export TUOPIN_CSV_BOM="$1"; shift; "$@")
}
has_bom() { [ "$(head -c 3 "$1" | od -An -tx1 | tr -d ' \n')" = efbbbf ]; }

# every_bom WHAT DIR: each *.csv in DIR begins with one mark, the rest without
every_bom() {
    n=0
    for f in "$2"/*.csv; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        has_bom "$f" || fail "$1: $(basename "$f") does not begin with the byte-order mark"
        tail -c +4 "$f" | head -c 3 | grep -q "$(printf '\357\273\277')" \
            && fail "$1: $(basename "$f") has two byte-order marks"
    done
    [ "$n" -gt 0 ] || fail "$1: no CSV file in $2"
    for f in "$2"/report.html "$2"/report.xlsx "$2"/results.sqlite "$2"/compare.html "$2"/estimates.html; do
        [ -f "$f" ] && has_bom "$f" && fail "$1: $(basename "$f") begins with a byte-order mark"
    done
}

# no_bom WHAT PLAIN MARKED: PLAIN's CSV files are MARKED's without the mark
no_bom() {
    for f in "$3"/*.csv; do
        g="$2/$(basename "$f")"
        if [ ! -f "$g" ]; then
            fail "$1: $(basename "$f") was not written"
        elif has_bom "$g"; then
            fail "$1: $(basename "$f") begins with the byte-order mark"
        elif ! tail -c +4 "$f" | cmp -s - "$g"; then
            fail "$1: $(basename "$f") differs from the marked one beyond the mark"
        fi
    done
}

"$TUOPIN" gen --households 1200 --seed 17 --quarter 2020Q4 --out q.csv || exit 99
has_bom q.csv && fail "gen: its quarter (an input file) begins with a byte-order mark"
run() {   # run OUT INPUT [ARGS...]
    out=$1 in=$2
    shift 2
    "$TUOPIN" run "$PIPELINE" --input "$in" --quarter 2020Q4 --out "$out" --quiet "$@"
}

# ---- the run's files, and the three ways to plain UTF-8 ----
run single q.csv || fail "the run failed"
every_bom "run" single
run cli-no q.csv --csv-bom=no || fail "--csv-bom=no: the run failed"
no_bom "--csv-bom=no" cli-no single
with_env no run env-no q.csv || fail "TUOPIN_CSV_BOM=no: the run failed"
no_bom "TUOPIN_CSV_BOM=no" env-no single
sed 's/^output *{/output { csv_bom = false,/' "$PIPELINE" >plain.lua
grep -q 'csv_bom = false' plain.lua || { echo "plain.lua: no output { } to edit" >&2; exit 99; }
"$TUOPIN" run plain.lua --input q.csv --quarter 2020Q4 --out pipe-no --quiet || fail "csv_bom = false: the run failed"
no_bom "output { csv_bom = false }" pipe-no single
# who wins: --csv-bom over the pipeline and the environment, the pipeline over the environment
TUOPIN_CSV_BOM=no "$TUOPIN" run plain.lua --input q.csv --quarter 2020Q4 --out cli-yes --quiet --csv-bom=yes \
    || fail "--csv-bom=yes: the run failed"
every_bom "--csv-bom=yes beside csv_bom = false and TUOPIN_CSV_BOM=no" cli-yes
sed 's/^output *{/output { csv_bom = true,/' "$PIPELINE" >marked.lua
TUOPIN_CSV_BOM=no "$TUOPIN" run marked.lua --input q.csv --quarter 2020Q4 --out pipe-yes --quiet \
    || fail "csv_bom = true: the run failed"
every_bom "csv_bom = true beside TUOPIN_CSV_BOM=no" pipe-yes
# mistakes
"$TUOPIN" --lang en run "$PIPELINE" --input q.csv --quarter 2020Q4 --out bad1 --csv-bom=maybe 2>bad1.err
st=$?
[ $st = 2 ] || fail "--csv-bom=maybe: exit status $st, not 2 (a usage error)"
grep -q 'tuopin run: option --csv-bom takes yes or no, not "maybe"' bad1.err || fail "--csv-bom=maybe: $(cat bad1.err)"
[ -e bad1/households.csv ] && fail "--csv-bom=maybe: households.csv written"
export TUOPIN_CSV_BOM=maybe
expect_fatal "TUOPIN_CSV_BOM=maybe" "TUOPIN_CSV_BOM=maybe: say yes or no" -- --lang en run "$PIPELINE" --input q.csv --quarter 2020Q4 --out bad2
unset TUOPIN_CSV_BOM
[ -e bad2/households.csv ] && fail "TUOPIN_CSV_BOM=maybe: households.csv written"
sed 's/^output *{/output { csv_bom = "no",/' "$PIPELINE" >bad.lua
expect_fatal "csv_bom = \"no\"" "bad.lua:13:" "csv_bom is true or false" -- --lang en run bad.lua --input q.csv --quarter 2020Q4 --out bad3
"$TUOPIN" run --help | grep -q -- "--csv-bom=yes|no" || fail "run --help does not show --csv-bom"
"$TUOPIN" --lang zh run --help | grep -q "字节顺序标记" || fail "run --help in Chinese does not explain --csv-bom"
# among the options: before -h and the exit status (run), before the closing paragraph (merge)
for lang in en zh; do
    "$TUOPIN" --lang $lang run --help >help.txt
    b=$(grep -n -- "--csv-bom=yes|no" help.txt | cut -d: -f1)
    h=$(grep -n -- "^  -h, --help" help.txt | cut -d: -f1)
    [ -n "$b" ] && [ -n "$h" ] && [ "$b" -lt "$h" ] || fail "run --help ($lang): --csv-bom is not among the options before -h"
    "$TUOPIN" --lang $lang merge --help >help.txt
    b=$(grep -n -- "--csv-bom=yes|no" help.txt | cut -d: -f1)
    q=$(grep -n -- "^  --quiet" help.txt | cut -d: -f1)
    [ -n "$b" ] && [ -n "$q" ] && [ "$b" -eq $((q + 1)) ] || fail "merge --help ($lang): --csv-bom does not follow --quiet"
done

# ---- split, shard runs with marks, merge: the single run, byte for byte ----
"$TUOPIN" split q.csv --by county --out split --quiet || fail "split failed"
for f in split/*.csv; do
    has_bom "$f" && fail "split: $(basename "$f") (an input for a run) begins with a byte-order mark"
done
ok=1
while read -r shard; do
    run "runs/${shard%.csv}" "split/$shard" --jobs 2 || { ok=0; break; }
done <split/shards.txt
[ $ok = 1 ] || fail "a shard run failed"
for d in runs/*; do every_bom "shard run $(basename "$d")" "$d"; break; done
if ! "$TUOPIN" merge runs/* --out merged --quiet; then
    fail "merge of shard runs with byte-order marks failed"
else
    every_bom "merge" merged
    python3 "$E2E/same_run.py" single merged || fail "the merged run differs from the single run"
fi
"$TUOPIN" merge runs/* --out merged-no --quiet --csv-bom=no || fail "merge --csv-bom=no failed"
no_bom "merge --csv-bom=no" merged-no merged

# ---- history and compare read runs with marks ----
"$TUOPIN" gen --quarters 2 --households 600 --quarter 2020Q3 --seed 7 --out qq >/dev/null || exit 99
for q in 2020Q3 2020Q4; do
    "$TUOPIN" run "$PIPELINE" --input "qq-$q.csv" --quarter "$q" --param income_line=4000 --out "run-$q" --quiet \
        || fail "$q: the run failed"
    every_bom "run $q" "run-$q"
    "$TUOPIN" history add "run-$q" --history h.sqlite --quiet || fail "history add of $q (files with marks) failed"
done
"$TUOPIN" compare 2020Q3 2020Q4 --history h.sqlite --out cmp --quiet || fail "compare failed"
every_bom "compare" cmp
"$TUOPIN" compare run-2020Q3 run-2020Q4 --out cmp-no --quiet --csv-bom=no || fail "compare --csv-bom=no failed"
no_bom "compare --csv-bom=no" cmp-no cmp

# ---- sample and estimate read the files they and the run wrote, marks and all ----
python3 "$E2E/field_frame.py" q.csv fq.csv || exit 99
run frun fq.csv --jobs 1 || fail "the field frame's run failed"
has_bom frun/quality.csv || fail "frun: quality.csv has no byte-order mark"
"$TUOPIN" sample frun --out s --seed 42 --param households_per_domain=4 --certainty quality:1 --quiet \
    || fail "sample --certainty quality:1 over a quality.csv with a mark failed"
every_bom "sample" s
TUOPIN_CSV_BOM=no "$TUOPIN" sample frun --out s-no --seed 42 --param households_per_domain=4 --certainty quality:1 \
    --quiet || fail "sample with TUOPIN_CSV_BOM=no failed"
no_bom "sample TUOPIN_CSV_BOM=no" s-no s
"$TUOPIN" gen --field s --registry fq.csv --seed 3 --out field.csv || fail "gen --field over a sample with marks"
has_bom field.csv && fail "gen --field: its field rows (an input) begin with a byte-order mark"
"$TUOPIN" estimate s --field field.csv --out e --quiet || fail "estimate over a sample folder with marks failed"
every_bom "estimate" e
every_bom "estimate's field run" e/field-run
"$TUOPIN" estimate s-no --field field.csv --out e-no --quiet --csv-bom=no || fail "estimate --csv-bom=no failed"
no_bom "estimate --csv-bom=no" e-no e
# the sample folder with and without marks: the same estimates
python3 - e/estimates.csv e-no/estimates.csv <<'PY' || fail "estimates differ with and without the marks"
import sys
a = open(sys.argv[1], encoding="utf-8-sig").read()
b = open(sys.argv[2], encoding="utf-8").read()
sys.exit(0 if a == b and a.count("\n") > 1 else 1)
PY

# ---- hash-ids: a file gets the mark, standard output does not ----
head -c 32 /dev/urandom >key
printf 'person_id,name\n110101199001011237,x\n' >roster.csv
"$TUOPIN" hash-ids --id-key key roster.csv --column person_id --out hashed.csv 2>/dev/null || fail "hash-ids --out failed"
has_bom hashed.csv || fail "hash-ids --out: no byte-order mark"
"$TUOPIN" hash-ids --id-key key roster.csv --column person_id --out hashed.txt 2>/dev/null || fail "hash-ids --out .txt failed"
has_bom hashed.txt || fail "hash-ids --out hashed.txt: no byte-order mark (a CSV whatever its name)"
"$TUOPIN" hash-ids --id-key key roster.csv --column person_id >stdout.csv 2>/dev/null || fail "hash-ids to stdout failed"
has_bom stdout.csv && fail "hash-ids on standard output: a byte-order mark"
grep -q "^[0-9a-f]\{64\},x$" stdout.csv || fail "hash-ids: no hashed ID in its output"
tail -c +4 hashed.csv | cmp -s - stdout.csv || fail "hash-ids: the file and standard output differ beyond the mark"

finish
