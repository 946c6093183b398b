#!/bin/sh
# many_scripts.sh — a pipeline of 100 rule-script stages runs (ABI 2: each
# script's open() finds it through its descriptor's user pointer; ABI 1's
# 64 trampolines capped a run at 64 scripts).  Every script warns its own
# code on every household; findings.csv must list the 100 in pipeline order
# for each household, with --jobs 1 and 2 alike.
. "$abs_top_srcdir/tests/e2e/lib.sh"

N=100
mkdir "$tmp/scripts"
cat >"$tmp/in.csv" <<'CSV'
household_id,region_code,status
M1,110101001001,poor
M2,110101001001,exited
M2,110101001001,exited
CSV
{
    echo 'quarter "2020Q3"'
    echo 'input { path = "in.csv" }'
    i=1
    while [ $i -le $N ]; do
        printf 'return { name = "s%03d", check = function(hh) hh:warn("S%03d", "") end }\n' $i $i \
            >"$tmp/scripts/s$i.lua"
        printf 'stage { script = "scripts/s%d.lua" }\n' $i
        i=$((i + 1))
    done
    echo 'output { dir = "out" }'
} >"$tmp/many.lua"

for jobs in 1 2; do
    "$TUOPIN" run "$tmp/many.lua" --jobs $jobs --out "$tmp/out$jobs" --quiet 2>"$tmp/run$jobs.err" \
        || { fail "--jobs $jobs: a pipeline of $N scripts does not run: $(head -3 "$tmp/run$jobs.err")"; continue; }
    {
        echo "household_id,stage,severity,code,member"
        for h in M1 M2; do
            i=1
            while [ $i -le $N ]; do
                printf '%s,s%03d,warn,S%03d,\n' $h $i $i
                i=$((i + 1))
            done
        done
    } >"$tmp/want.csv"
    compare "findings of $N scripts (--jobs $jobs)" "$tmp/want.csv" "$tmp/out$jobs/findings.csv"
done
finish
