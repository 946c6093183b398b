#!/bin/sh
# national.sh — the national pipeline (tests/e2e/data/national.lua: the seven
# stages of standard §3 in order) on a hand-written quarter, 2021Q2, that
# gives every finding code of §3 and every assessment of §4 at least once.
#
# Expected outputs (tests/e2e/expected/national) were written by hand from the
# standard; each household's reasoning is in the comment block at the end of
# this file.  Compared: households.csv row by row (fails and warnings as sets
# of codes), findings.csv as a multiset of (household_id, stage, severity,
# code, member), rejects.csv's (line, household_id, code).  The same quarter
# with Chinese header names, another column order and Chinese values
# (national_zh.csv) must give the same results.  The test also asserts that
# every code and every assessment does appear, in the expected files and in
# the outputs, so that it cannot pass quietly if the data loses one.
#
# make check sets $TUOPIN, $abs_top_srcdir and $abs_top_builddir.
# Exit 0 pass, 1 fail.  Writes only under a temporary folder.

LC_ALL=C
export LC_ALL

if [ -z "${TUOPIN:-}" ] || [ -z "${abs_top_srcdir:-}" ]; then
    echo "national.sh: run through make check (TUOPIN and abs_top_srcdir must be set)" >&2
    exit 1
fi
if [ ! -x "$TUOPIN" ]; then
    echo "national.sh: $TUOPIN is not built" >&2
    exit 1
fi

DATA="$abs_top_srcdir/tests/e2e/data"
EXPECTED="$abs_top_srcdir/tests/e2e/expected/national"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tuopin-national.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

US=$(printf '\037')

# csv_records FILE: one line per CSV record (RFC 4180), fields separated by
# the unit separator; a line break inside a quoted field becomes "\n".
csv_records() {
    awk -v US="$US" '
    BEGIN { inq = 0; field = ""; rec = ""; nf = 0 }
    {
        s = $0
        if (inq) field = field "\\n"
        else if (substr(s, length(s), 1) == "\r") s = substr(s, 1, length(s) - 1)
        n = length(s)
        for (i = 1; i <= n; i++) {
            c = substr(s, i, 1)
            if (inq) {
                if (c == "\"") {
                    if (substr(s, i + 1, 1) == "\"") { field = field "\""; i++ }
                    else inq = 0
                } else field = field c
            } else if (c == "\"") inq = 1
            else if (c == ",") { rec = rec (nf++ ? US : "") field; field = "" }
            else field = field c
        }
        if (!inq) { print rec (nf ? US : "") field; rec = ""; field = ""; nf = 0 }
    }' "$1"
}

# The header line of FILE, as written (after the byte-order mark of an output).
header_of() { LC_ALL=C sed '1s/^\xEF\xBB\xBF//' "$1" | head -n 1 | tr -d '\r'; }

# households FILE: the rows of households.csv without header, in order, the
# fails and warnings lists sorted (they are compared as sets).
households() {
    csv_records "$1" | awk -F "$US" '
    function sorted(s,    a, n, i, j, t, out) {
        n = split(s, a, ";")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        out = ""
        for (i = 1; i <= n; i++) out = out (i > 1 ? ";" : "") a[i]
        return out
    }
    NR > 1 {
        if (NF != 9) { print "(row " NR " has " NF " fields)"; next }
        print $1 "," $2 "," $3 "," $4 "," $5 "," $6 "," $7 "," sorted($8) "," sorted($9)
    }'
}

# findings FILE: (household_id, stage, severity, code, member) of every row,
# sorted (a multiset: the order within a household is the stages' own).
findings() {
    csv_records "$1" | awk -F "$US" 'NR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 }' | sort
}

# rejects FILE: (line, household_id, code) of every row, in order.
rejects() {
    csv_records "$1" | awk -F "$US" 'NR > 1 { print $1 "," $2 "," $3 }'
}

# compare WHAT EXPECTED ACTUAL (both already normalised)
compare() {
    if ! cmp -s "$2" "$3"; then
        fail "$1 differs from the expected (- expected, + got):"
        diff -u "$2" "$3" | sed -n '3,$p' >&2
    fi
}

# Every finding code of standard §3, with a severity it must appear with.
CODES="fail,INCOME_BELOW_LINE warn,INCOME_MISMATCH warn,INCOME_NEAR_LINE
warn,INCOME_TRANSFER_DEPENDENT fail,BAD_VALUE warn,BAD_VALUE fail,MISSING_VALUE
fail,FOOD_CLOTHING_INSECURE fail,SCHOOL_DROPOUT fail,MEDICAL_UNINSURED fail,HOUSING_UNSAFE
fail,WATER_UNSAFE warn,ID_INVALID warn,ID_BIRTH_MISMATCH warn,ID_DUPLICATE warn,HEAD_COUNT"
# Every assessment of standard §4.
ASSESSMENTS="can_exit remains_poor exit_confirmed wrongly_exited missed unverified not_poor"

# coverage WHAT HOUSEHOLDS FINDINGS (normalised): every code and assessment appears.
coverage() {
    for sc in $CODES; do
        sev=${sc%%,*} code=${sc#*,}
        awk -F, -v s="$sev" -v c="$code" '$3 == s && $4 == c { found = 1 } END { exit !found }' "$3" \
            || fail "$1: no $sev $code finding"
    done
    for a in $ASSESSMENTS; do
        awk -F, -v a="$a" '$7 == a { found = 1 } END { exit !found }' "$2" \
            || fail "$1: no household assessed $a"
    done
}

# Standard §3: "Missing or bad data never passes a check: the check fails with
# MISSING_VALUE or BAD_VALUE (the detail names the column)".  Each line:
# household_id,stage,severity,code,member,column|中文
VALUE_FINDINGS="H08,income,fail,BAD_VALUE,,wage_income|工资性收入
H08,income,fail,BAD_VALUE,,transfer_income|转移性收入
H09,income,warn,BAD_VALUE,,declared_income_pc|人均纯收入
H11,education,fail,MISSING_VALUE,2,birth_date|出生日期
H11,medical,fail,MISSING_VALUE,1,medical_insured|参加基本医疗保险
H11,housing,fail,MISSING_VALUE,,housing_fixed|危房改造或搬迁完成
H11,water,fail,MISSING_VALUE,,water_safe|饮水安全
H12,food_clothing,fail,BAD_VALUE,,food_clothing_secure|吃穿不愁
H12,education,fail,BAD_VALUE,3,birth_date|出生日期
H12,medical,fail,BAD_VALUE,2,medical_insured|参加基本医疗保险
H12,housing,fail,BAD_VALUE,,housing_rating|住房安全等级"

# details_name_columns WHAT FINDINGS_FILE (raw findings.csv)
details_name_columns() {
    csv_records "$2" >"$tmp/records"
    echo "$VALUE_FINDINGS" | while IFS= read -r want; do
        key=${want%,*} cols=${want##*,}
        en=${cols%%|*} zh=${cols#*|}
        awk -F "$US" -v key="$key" -v en="$en" -v zh="$zh" '
            ($1 "," $2 "," $3 "," $4 "," $5) == key && (index($6, en) || index($6, zh)) { found = 1 }
            END { exit !found }' "$tmp/records" \
            || echo "FAIL: $1: no $key finding whose detail names $en" >&2
    done >"$tmp/detail_failures" 2>&1
    if [ -s "$tmp/detail_failures" ]; then
        cat "$tmp/detail_failures" >&2
        failures=$((failures + $(wc -l <"$tmp/detail_failures")))
    fi
}

# ---- the expected files themselves cover the standard --------------------------

households "$EXPECTED/households.csv" >"$tmp/want_households"
awk 'NR > 1' "$EXPECTED/findings.csv" | sort >"$tmp/want_findings"
awk 'NR > 1' "$EXPECTED/rejects.csv" >"$tmp/want_rejects"
coverage "expected files" "$tmp/want_households" "$tmp/want_findings"
[ "$(wc -l <"$tmp/want_households")" -ge 12 ] || fail "expected households.csv has too few households"

# ---- runs -----------------------------------------------------------------------------------

HOUSEHOLDS_HEADER="household_id,region_code,status,members,income_pc,exit_ready,assessment,fails,warnings"
FINDINGS_HEADER="household_id,stage,severity,code,member,detail"
REJECTS_HEADER="line,household_id,code,detail,raw"

# check_run NAME [tuopin run options]: runs the pipeline and compares.
check_run() {
    name=$1
    shift
    out="$tmp/$name"
    if ! "$TUOPIN" run "$DATA/national.lua" --out "$out" --quiet "$@" 2>"$tmp/$name.err"; then
        fail "$name: tuopin run failed:"
        cat "$tmp/$name.err" >&2
        return
    fi
    for f in households findings rejects; do
        if [ ! -f "$out/$f.csv" ]; then
            fail "$name: $f.csv was not written"
            return
        fi
    done
    [ "$(header_of "$out/households.csv")" = "$HOUSEHOLDS_HEADER" ] || fail "$name: households.csv header"
    [ "$(header_of "$out/findings.csv")" = "$FINDINGS_HEADER" ] || fail "$name: findings.csv header"
    [ "$(header_of "$out/rejects.csv")" = "$REJECTS_HEADER" ] || fail "$name: rejects.csv header"
    households "$out/households.csv" >"$tmp/$name.households"
    findings "$out/findings.csv" >"$tmp/$name.findings"
    rejects "$out/rejects.csv" >"$tmp/$name.rejects"
    compare "$name: households.csv" "$tmp/want_households" "$tmp/$name.households"
    compare "$name: findings.csv" "$tmp/want_findings" "$tmp/$name.findings"
    compare "$name: rejects.csv" "$tmp/want_rejects" "$tmp/$name.rejects"
    coverage "$name" "$tmp/$name.households" "$tmp/$name.findings"
    details_name_columns "$name" "$out/findings.csv"
}

check_run canonical --jobs 1
check_run canonical-jobs4 --jobs 4
check_run chinese --input "$DATA/national_zh.csv" --jobs 2

# README, --jobs: "The outputs are byte-identical whatever N is."
for f in households.csv findings.csv rejects.csv; do
    if [ -f "$tmp/canonical/$f" ] && [ -f "$tmp/canonical-jobs4/$f" ]; then
        cmp -s "$tmp/canonical/$f" "$tmp/canonical-jobs4/$f" || fail "$f differs between --jobs 1 and --jobs 4"
    fi
done

if [ "$failures" -gt 0 ]; then
    echo "national.sh: $failures check(s) failed" >&2
    exit 1
fi
exit 0

# ---- how the expected files follow from the standard ------------------------------------
#
# Quarter 2021Q2: as-of date 2021-06-30 (§2); income_line 4000 (given: 2021 is
# not in the table of §7).  Near-line band [4000, 4400).  income_pc = net / n,
# shown rounded half away from zero.
#
# H01 poor, 2 members: net 9000 + 1000 = 10000, 5000.00; transfer share 0.10;
#     declared 5000.00.  No finding: exit-ready, can_exit.
# H02 poor, 3: net 6000 + 5000 - 2000 = 9000, 3000.00 < 4000: fail
#     INCOME_BELOW_LINE: remains_poor.  The child (born 2011-04-05, 10) is at
#     primary school: covered.
# H03 exited, 2: net 8000.01, 4000.005 → 4000.01 (half away from zero); at or
#     above the line and below 4400: warn INCOME_NEAR_LINE; declared 4100.00
#     differs by 99.995 > 1.00: warn INCOME_MISMATCH.  是 / A级 accepted.
#     No fail: exit_confirmed.
# H04 exited, 2: 10000.00; food_clothing_secure no: FOOD_CLOTHING_INSECURE;
#     rating C, housing_fixed no: HOUSING_UNSAFE: wrongly_exited.
# H05 poor, 7: 35000 / 7 = 5000.00.  Rating D with housing_fixed yes passes.
#     m2 medical_insured 否: MEDICAL_UNINSURED m2.  m3 born 2006-06-30 is 15
#     on the as-of date (a birthday counts), 辍学: SCHOOL_DROPOUT m3.  m4 born
#     2005-06-30 is 16: not school age.  m5 born 2015-07-01 is 5: not checked.
#     m6 born 2015-06-30 is 6, preschool: covered.  m7 has no birth_date; the
#     ID gives 2009-03-15, 12, not_enrolled: SCHOOL_DROPOUT m7.  remains_poor.
# H06 general, 2: net 1000.00 - 1000.03 = -0.03, -0.015 → -0.02 (half away
#     from zero); below the line: INCOME_BELOW_LINE: missed.  Net ≤ 0: no
#     transfer check; declared blank: no mismatch check.
# H07 general, 1: property_income -0 is zero; 15000.00; water_safe no:
#     WATER_UNSAFE.  Income not below the line: not_poor (not exit-ready).
# H08 general, 2: wage_income 1.234 (three decimals) and transfer_income -200
#     (negative) are bad: fail BAD_VALUE for each, no other income finding,
#     income_pc blank: unverified.
# H09 general, 2: net 10000, 5000.00; transfer 6000 / 10000 = 0.6 > 0.5: warn
#     INCOME_TRANSFER_DEPENDENT; declared_income_pc 五千 is bad: warn
#     BAD_VALUE.  No fail: not_poor.
# H10 poor, 4: 6000.00.  m1 (HEAD) repeats H01 m2's ID: ID_DUPLICATE m1; m2
#     is 户主: two heads, HEAD_COUNT.  m3's ID has 17 characters: ID_INVALID
#     m3.  m4's valid ID says 2010-01-01, birth_date 2003-01-01:
#     ID_BIRTH_MISMATCH m4; the age comes from birth_date (18), so 非在校生
#     is no dropout.  Warnings only: can_exit.
# H11 exited, 2: 6000.00.  D with housing_fixed blank: MISSING_VALUE; water_safe
#     blank: MISSING_VALUE; m1 medical_insured blank: MISSING_VALUE m1; m2 has
#     no birth_date and a blank ID: age unknown, MISSING_VALUE m2 (education)
#     and ID_INVALID m2.  wrongly_exited.
# H12 poor, 3: 6000.00.  food_clothing_secure 不知道: BAD_VALUE; rating E:
#     BAD_VALUE; m2 medical_insured maybe: BAD_VALUE m2; m3 birth_date
#     2010-02-30 is not a date: BAD_VALUE m3, no fall-back to the valid ID
#     (so 辍学 gives no SCHOOL_DROPOUT) and no ID_BIRTH_MISMATCH.  remains_poor.
# H13 poor, 2: 4500.00 (not below 4400).  m2's ID is m1's with x for X:
#     ID_DUPLICATE m2 (valid in lower case).  can_exit.
# H14 general, 3: 12000.00 / 3 = 4000.00, exactly at the line: not below, warn
#     INCOME_NEAR_LINE.  m2 repeats H10 m3's invalid ID: ID_INVALID m2 and
#     ID_DUPLICATE m2.  m3's age from the ID (12), Junior: covered.  not_poor.
# H15 general, 3: 11999.99 / 3 = 3999.99666…, shown 4000.00 but below the line:
#     INCOME_BELOW_LINE: missed.  Declared 4000.00 is within 1.00.  No head:
#     HEAD_COUNT.
# H16 status 待定: both rows rejected BAD_STATUS (lines 42 and 43).
# H17 poor, 1: 5000.00; its ID was H16's, but H16 was not evaluated: no
#     ID_DUPLICATE.  can_exit.
