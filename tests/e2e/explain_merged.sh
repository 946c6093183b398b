#!/bin/sh
# explain_merged.sh — `tuopin explain` on a `tuopin merge` output (issue 21):
# a quarter split by county, each shard run, the runs merged; explain on the
# merged run gives the explanation of the single run of the whole quarter,
# except the line that names the input (the household's shard input, which
# explain reads and checks, with its own line and byte offset): text in both
# languages and JSON, for evaluated and rejected households.  The merged
# run's other tables stay those of the single run (same_run.py).
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 is needed" >&2; exit 77; }

cd "$tmp" || exit 99
P="$abs_top_srcdir/examples/national.lua"
"$TUOPIN" gen --households 1500 --seed 11 --quarter 2020Q4 --out clean.csv || exit 99
# structural faults (rejected rows), households split across shards, IDs
# repeated across counties: as merge.sh
python3 "$abs_top_srcdir/tests/e2e/plant_faults.py" clean.csv q.csv >planted.txt || exit 99
"$TUOPIN" run "$P" --input q.csv --quarter 2020Q4 --out single --quiet || { fail "the single run"; finish; }
"$TUOPIN" split q.csv --by county --out sp --quiet || { fail "tuopin split"; finish; }
while read -r s; do
    "$TUOPIN" run "$P" --input "sp/$s" --quarter 2020Q4 --out "runs/${s%.csv}" --quiet || fail "run of shard $s"
done <sp/shards.txt
"$TUOPIN" merge runs/* --out merged --quiet 2>merge.err || { fail "tuopin merge: $(cat merge.err)"; finish; }
python3 "$abs_top_srcdir/tests/e2e/same_run.py" single merged || fail "the merged run differs from the single run"

# every 15th evaluated household, and every rejected one
sqlite3 single/results.sqlite "SELECT household_id FROM households WHERE id % 60 = 1" >ids.txt
sqlite3 single/results.sqlite "SELECT DISTINCT household_id FROM rejects WHERE household_id <> ''" >rej.txt
[ "$(wc -l <ids.txt)" -ge 20 ] || fail "too few households: $(wc -l <ids.txt)"
[ "$(wc -l <rej.txt)" -ge 1 ] || fail "no rejected household: the faults were not planted"
cat ids.txt rej.txt >all.txt
while read -r h; do
    for l in en zh; do
        "$TUOPIN" --lang $l explain single "$h" >"s.$l" 2>s.err || { fail "explain single $h: $(cat s.err)"; continue; }
        "$TUOPIN" --lang $l explain merged "$h" >"m.$l" 2>m.err || { fail "explain merged $h: $(cat m.err)"; continue; }
        # line 1 names the run folder, line 2 the input
        if [ "$(sed 1,2d "s.$l")" != "$(sed 1,2d "m.$l")" ]; then
            fail "$h ($l): merged explanation differs: $(diff "s.$l" "m.$l" | head -6)"
        fi
    done
    grep -q "^Input $tmp/sp/county-[0-9]*\.csv (shard [0-9]* of the split of q.csv) (SHA-256 " m.en \
        || grep -q '^REJECTED' m.en || fail "$h: the merged run's input line: $(sed -n 2p m.en)"
    "$TUOPIN" explain single "$h" --format json >s.json && "$TUOPIN" explain merged "$h" --format json >m.json \
        || { fail "explain --format json $h"; continue; }
    python3 - <<'PY' || fail "$h: the merged run's JSON differs"
import hashlib, json, sys
def load(p):   # strict UTF-8: a ROW_ENCODING row's bad bytes are U+FFFD in the JSON
    return json.loads(open(p, 'rb').read().decode('utf-8'))
s, m = load('s.json'), load('m.json')
if m['household']['evaluated']:
    # the merged run read the shard's input: its SHA-256, its line and offset
    path = m['run']['input'].split(' ')[0]
    if hashlib.sha256(open(path, 'rb').read()).hexdigest() != m['run']['input_sha256']:
        print("the shard input's SHA-256 is not its file's", file=sys.stderr)
        sys.exit(1)
    with open(path, 'rb') as f:
        f.seek(m['household']['byte_offset'])
        first = f.readline().decode()
    if not first.startswith(m['household']['household_id'] + ','):
        print("the shard offset is not the household's first row:", first[:40], file=sys.stderr)
        sys.exit(1)
    for k in ('line', 'byte_offset'):
        s['household'].pop(k)
        m['household'].pop(k)
for k in ('dir', 'input', 'input_sha256'):
    s['run'].pop(k)
    m['run'].pop(k)
if s != m:
    print(json.dumps(s)[:300], json.dumps(m)[:300], sep='\n', file=sys.stderr)
    sys.exit(1)
PY
done <all.txt
finish
