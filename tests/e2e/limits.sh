#!/bin/sh
# limits.sh — the input limits end to end (docs/safety.md): a household of
# more than BLOCK_MAX_ROWS (100,000) rows, a record of more than
# CSV_MAX_FIELDS (10,000) fields, a record longer than 64 MiB.  Each stops
# the run with exit status 1 and one line on standard error that names the
# input and the line, and leaves no output behind; memory stays bounded
# instead of growing with the input.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

pipeline="$tmp/p.lua"
printf 'quarter "2020Q3"\nstage "food_clothing"\n' >"$pipeline"
hdr='household_id,region_code,status,food_clothing_secure'

python3 - "$tmp" "$hdr" <<'PY'
import sys
tmp, hdr = sys.argv[1], sys.argv[2]
with open(tmp + "/rows.csv", "w") as f:          # line 100,003 is the 100,001st row of H2
    f.write(hdr + "\nH1,110101001001,poor,yes\n")
    f.write("H2,110101001001,poor,yes\n" * 100001)
with open(tmp + "/fields.csv", "w") as f:        # line 3 has 10,001 fields
    f.write(hdr + "\nH1,110101001001,poor,yes\n")
    f.write(",".join(["x"] * 10001) + "\n")
with open(tmp + "/long.csv", "w") as f:          # line 4 is 64 MiB + 1 byte
    f.write(hdr + "\nH1,110101001001,poor,yes\nH2,110101001001,poor,yes\n")
    f.write("H3,110101001001,poor,\"" + "x" * ((64 << 20) - 22) + "\"\n")
PY

check() {   # check WHAT FILE LINE-PATTERN
    expect_fatal "$1" "$2" "$3" -- run "$pipeline" --input "$tmp/$2" --out "$tmp/o_$2" --quiet
    if [ -d "$tmp/o_$2" ] && [ -n "$(ls -A "$tmp/o_$2")" ]; then
        fail "$1: the failed run left $(ls -A "$tmp/o_$2" | tr '\n' ' ')"
    fi
}
check "a household of 100,001 rows" rows.csv :100003:
check "a record of 10,001 fields" fields.csv "line 3"
check "a record of 64 MiB + 1 byte" long.csv "line 4"
# in Chinese too (the reader's two limit messages were English only)
"$TUOPIN" --lang zh run "$pipeline" --input "$tmp/fields.csv" --out "$tmp/o_zh" --quiet 2>"$tmp/zh.err" \
    && fail "a record of 10,001 fields ran (--lang zh)"
grep -q '第 3 行：记录超过 10000 个字段' "$tmp/zh.err" || fail "--lang zh: the fields limit not in Chinese: $(cat "$tmp/zh.err")"
finish
