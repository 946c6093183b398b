#!/bin/sh
# fatal_errors.sh — what must stop a run before any row is read, with a
# non-zero exit status and one line on standard error naming what is at
# fault (standard §1, README "Commands"): a header lacking a column every run
# needs or a configured stage needs (the column and the stage named), an
# unknown parameter (in the pipeline or with --param), a value of the wrong
# type or out of range, an unknown stage, a missing input file.  No output
# file may be left behind by a failed run.
. "$abs_top_srcdir/tests/e2e/lib.sh"

Q=2020Q3
in="$tmp/in.csv"
full='household_id,region_code,status,wage_income,operating_income,operating_cost,property_income,transfer_income,school_status'
printf '%s\nF1,110101001001,poor,5000,,,,,primary\n' "$full" >"$in"

pipe() {   # pipe FILE STAGE... : a pipeline with these stages (2020: line 4000 from the table)
    f=$1
    shift
    { echo "quarter \"$Q\""; for s in "$@"; do echo "stage \"$s\""; done; } >"$f"
}
pipe "$tmp/income.lua" income
pipe "$tmp/education.lua" education

no_outputs() {   # no_outputs DIR WHAT
    if [ -d "$1" ] && [ -n "$(ls -A "$1" 2>/dev/null)" ]; then
        fail "$2: the failed run left files in its output folder: $(ls -A "$1" | tr '\n' ' ')"
    fi
}

# ---- columns ------------------------------------------------------------------
printf 'household_id,region_code,status,wage_income,operating_income,operating_cost,property_income\nF1,110101001001,poor,5000,,,\n' >"$tmp/no_transfer.csv"
expect_fatal "missing transfer_income" transfer_income -- \
    run "$tmp/income.lua" --input "$tmp/no_transfer.csv" --out "$tmp/o1"
# The stage must be named too: "income" apart from the column's own name.
if ! sed 's/transfer_income//g' "$tmp/fatal.stderr" | grep -qw income; then
    fail "missing transfer_income: the message does not name the stage income: $(cat "$tmp/fatal.stderr")"
fi
no_outputs "$tmp/o1" "missing transfer_income"

printf 'household_id,region_code,status\nF1,110101001001,poor\n' >"$tmp/no_school.csv"
expect_fatal "missing school_status" school_status education -- \
    run "$tmp/education.lua" --input "$tmp/no_school.csv" --out "$tmp/o2"
no_outputs "$tmp/o2" "missing school_status"

for col in household_id region_code status; do
    hdr=$(printf '%s' "$full" | tr ',' '\n' | grep -vx "$col" | tr '\n' ',' | sed 's/,$//')
    printf '%s\n' "$hdr" >"$tmp/no_$col.csv"
    printf '%s\n' "$hdr" | sed 's/[^,]*/x/g' >>"$tmp/no_$col.csv"
    expect_fatal "missing $col" "$col" -- \
        run "$tmp/income.lua" --input "$tmp/no_$col.csv" --out "$tmp/o_$col"
    no_outputs "$tmp/o_$col" "missing $col"
done

# The Chinese name of a needed column is just as good.
printf '户编号,行政区划代码,户类型,工资性收入,生产经营性收入,生产经营性支出,财产性收入,转移性收入\nF1,110101001001,poor,5000,,,,\n' >"$tmp/zh.csv"
"$TUOPIN" run "$tmp/income.lua" --input "$tmp/zh.csv" --out "$tmp/o_zh" --quiet 2>"$tmp/zh.err" \
    || fail "Chinese header names refused: $(cat "$tmp/zh.err")"

# ---- parameters ------------------------------------------------------------------
{ echo "quarter \"$Q\""; echo 'params { income_line = 4000, no_such_param = 1 }'; echo 'stage "income"'; } \
    >"$tmp/unknown.lua"
expect_fatal "unknown parameter in the pipeline" no_such_param -- \
    run "$tmp/unknown.lua" --input "$in" --out "$tmp/o3"
no_outputs "$tmp/o3" "unknown parameter"

expect_fatal "unknown --param" no_such_param -- \
    run "$tmp/income.lua" --input "$in" --out "$tmp/o4" --param no_such_param=1
expect_fatal "--param income_line=abc" income_line -- \
    run "$tmp/income.lua" --input "$in" --out "$tmp/o5" --param income_line=abc
expect_fatal "--param income_tolerance with 3 decimals" income_tolerance -- \
    run "$tmp/income.lua" --input "$in" --out "$tmp/o6" --param income_tolerance=1.234
expect_fatal "--param near_line_margin=0.1.0" near_line_margin -- \
    run "$tmp/income.lua" --input "$in" --out "$tmp/o7" --param near_line_margin=0.1.0
expect_fatal "--param transfer_share_max=" transfer_share_max -- \
    run "$tmp/income.lua" --input "$in" --out "$tmp/o8" --param transfer_share_max=
expect_fatal "--param school_age_min=6.5 (a whole number)" school_age_min -- \
    run "$tmp/education.lua" --input "$in" --out "$tmp/o9" --param school_age_min=6.5
no_outputs "$tmp/o5" "bad --param value"

{ echo "quarter \"$Q\""; echo 'params { income_line = "abc" }'; echo 'stage "income"'; } >"$tmp/badtype.lua"
expect_fatal "income_line = \"abc\" in the pipeline" income_line -- \
    run "$tmp/badtype.lua" --input "$in" --out "$tmp/o10"
{ echo "quarter \"$Q\""; echo 'params { income_line = {} }'; echo 'stage "income"'; } >"$tmp/badtype2.lua"
expect_fatal "income_line = {} in the pipeline" income_line -- \
    run "$tmp/badtype2.lua" --input "$in" --out "$tmp/o11"

# ---- stages and files -----------------------------------------------------------------
pipe "$tmp/nostage.lua" income no_such_stage
expect_fatal "unknown stage" no_such_stage -- \
    run "$tmp/nostage.lua" --input "$in" --out "$tmp/o12"
no_outputs "$tmp/o12" "unknown stage"

expect_fatal "missing input file" "$tmp/does-not-exist.csv" -- \
    run "$tmp/income.lua" --input "$tmp/does-not-exist.csv" --out "$tmp/o13"
no_outputs "$tmp/o13" "missing input file"

finish
