#!/bin/sh
# history_run.sh — a pipeline that names a history (output { history = FILE })
# adds the run to it with the transfer incomes the run kept, without reading
# the input a second time: the history holds the same households and
# transfers as `history add RUN --input FILE`, which reads the file, and a
# run that read its input from standard input (which cannot be read again)
# has its transfers known too (docs/history.md, "From a pipeline").
. "$abs_top_srcdir/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 is needed" >&2; exit 77; }

cd "$tmp" || exit 99
# 10% of the households get a bad value (some of them a bad transfer_income)
"$TUOPIN" gen --profile stress --households 600 --seed 11 --faults 10 --out q.csv || { echo "FAIL: tuopin gen" >&2; exit 1; }
for h in h1 h2; do
    cat >"$h.lua" <<LUA
quarter "2020Q4"
input  { path = "q.csv" }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
output { dir = "run-$h", history = "$h.sqlite" }
LUA
done

dump() {
    sqlite3 "$1" "SELECT seq, household_id, state, status, members, net_income_cents, transfer_cents,
                         exit_ready, assessment, failed_dims FROM households ORDER BY seq" 2>&1
}
quarter() {
    sqlite3 "$1" "SELECT quarter, households, rejected, has_transfers, income_line_cents FROM quarters" 2>&1
}

# the reference: history add reads the transfers from the file
"$TUOPIN" run h1.lua --quiet 2>run1.err || { fail "run h1.lua: $(cat run1.err)"; finish; }
"$TUOPIN" history add run-h1 --history ref.sqlite --input q.csv --quiet 2>add.err \
    || { fail "history add: $(cat add.err)"; finish; }
dump ref.sqlite >ref.txt
quarter ref.sqlite >ref.q
[ "$(cut -d'|' -f4 ref.q)" = 1 ] || fail "history add: transfers not known: $(cat ref.q)"
# some transfers are NULL (a bad amount), most are known
grep -q '|evaluated|.*|[0-9-][0-9]*|[01]|' ref.txt || fail "no household with a transfer in the reference"

# the pipeline's history: the same rows
dump h1.sqlite >h1.txt
quarter h1.sqlite >h1.q
cmp -s ref.txt h1.txt || fail "the pipeline's history differs from history add --input: $(diff ref.txt h1.txt | head -5)"
cmp -s ref.q h1.q || fail "the pipeline's quarter differs: $(cat h1.q) against $(cat ref.q)"

# the input from standard input: it cannot be read twice, and the run kept
# the transfers all the same
"$TUOPIN" run h2.lua --input - --quiet <q.csv 2>run2.err || { fail "run h2.lua from stdin: $(cat run2.err)"; finish; }
[ -s run2.err ] && fail "run from stdin with a history: unexpected notice: $(cat run2.err)"
dump h2.sqlite >h2.txt
quarter h2.sqlite >h2.q
cmp -s ref.txt h2.txt || fail "the history of a run from stdin differs: $(diff ref.txt h2.txt | head -5)"
[ "$(cut -d'|' -f4 h2.q)" = 1 ] || fail "run from stdin: transfers not known in the history: $(cat h2.q)"
finish
