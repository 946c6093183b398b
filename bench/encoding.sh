#!/bin/sh
# bench/encoding.sh — the cost of GB18030 input: the same quarter as UTF-8
# and as GB18030 (converted with iconv), run through the national pipeline
# alternately, RUNS times each.  Prints the best and median wall-clock and
# CPU times of each and the ratio GB18030 / UTF-8, which the issue wants at
# most 1.5; exits 1 when the median ratio is above it, or when the two runs'
# households.csv differ.  A benchmark, not a test: run it on a quiet machine.
#
# Usage: bench/encoding.sh [HOUSEHOLDS]      (default 1000000)
# Environment: TUOPIN (default build/core/tuopin), RUNS (default 3),
#   JOBS (--jobs, default the number of cores), WORK (scratch folder; the
#   quarter takes about 0.5 GB per million households, twice).
set -eu

N=${1:-1000000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TUOPIN=${TUOPIN:-$TOP/build/core/tuopin}
RUNS=${RUNS:-3}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tuopin-bench-enc.XXXXXX")}
[ -x "$TUOPIN" ] || { echo "bench/encoding.sh: $TUOPIN is not built (TUOPIN=...)" >&2; exit 2; }
trap 'rm -rf "$WORK"' EXIT

echo "generating $N households ..." >&2
"$TUOPIN" gen --profile stress --households "$N" --seed 20201231 --quarter 2020Q4 --out "$WORK/q.csv"
iconv -f UTF-8 -t GB18030 "$WORK/q.csv" >"$WORK/q.gb.csv"
printf 'input: %s bytes UTF-8, %s bytes GB18030, %s records\n' \
    "$(wc -c <"$WORK/q.csv")" "$(wc -c <"$WORK/q.gb.csv")" "$(wc -l <"$WORK/q.csv")"

cat >"$WORK/p.lua" <<'EOF'
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
output { dir = "out" }
EOF

# one KIND OUT: runs once; appends "wall cpu" to $WORK/KIND.times.
one() {
    kind=$1 out=$2
    if [ "$kind" = gb18030 ]; then set -- --input "$WORK/q.gb.csv" --encoding gb18030
    else set -- --input "$WORK/q.csv"; fi
    rm -rf "$out"
    /usr/bin/env time -f "%e %U %S" -o "$WORK/t" \
        "$TUOPIN" run "$WORK/p.lua" "$@" --out "$out" --jobs "$JOBS" --quiet
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/t" >>"$WORK/$kind.times"
}

: >"$WORK/utf-8.times"
: >"$WORK/gb18030.times"
i=1
while [ "$i" -le "$RUNS" ]; do
    echo "run $i of $RUNS ..." >&2
    one utf-8 "$WORK/out-u"
    one gb18030 "$WORK/out-g"
    i=$((i + 1))
done
if ! cmp -s "$WORK/out-u/households.csv" "$WORK/out-g/households.csv"; then
    echo "households.csv differs between the UTF-8 and the GB18030 run" >&2
    exit 1
fi

# stats FILE COLUMN: "best median"
stats() {
    cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f %.2f\n", v[1], m }'
}
set -- $(stats "$WORK/utf-8.times" 1) $(stats "$WORK/gb18030.times" 1) \
       $(stats "$WORK/utf-8.times" 2) $(stats "$WORK/gb18030.times" 2)
printf '%-8s %10s %10s %10s %10s\n' "" "wall best" "wall med" "cpu best" "cpu med"
printf '%-8s %9ss %9ss %9ss %9ss\n' "UTF-8" "$1" "$2" "$5" "$6"
printf '%-8s %9ss %9ss %9ss %9ss\n' "GB18030" "$3" "$4" "$7" "$8"
ratio=$(awk -v u="$2" -v g="$4" 'BEGIN { printf "%.2f", g / u }')
cratio=$(awk -v u="$6" -v g="$8" 'BEGIN { printf "%.2f", g / u }')
echo "GB18030 / UTF-8: wall $ratio (median), cpu $cratio (median); limit 1.5"
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }'
