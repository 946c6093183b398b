#!/bin/sh
# birth_dates.sh — issue 18 item 10: a birth date that contradicts a valid
# resident ID by decades (1900, 2110) or lies after the as-of date
# (9999-12-31).  docs/standard.md §2 rules that a present, real birth_date
# gives the age and the ID is used only when birth_date is blank, and that a
# birth date after the as-of date gives a negative age (never school age).
# So the school check follows birth_date (1900: aged 120; 2110, 9999: not yet
# born — no SCHOOL_DROPOUT), and identity's ID_BIRTH_MISMATCH warning is what
# points the clerk at the slip (docs/decisions.md).
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
cd "$tmp" || exit 99
# a valid ID born 2012-05-01 (check digit computed), aged 8 on 2020-09-30
ID=$(python3 -c '
b = "11010520120501003"
w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(b + "10X98765432"[sum(int(c) * k for c, k in zip(b, w)) % 11])')
HEAD=11010519800101001
HEADID=$(python3 -c "
b = '$HEAD'
w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(b + '10X98765432'[sum(int(c) * k for c, k in zip(b, w)) % 11])")
{
    echo 'household_id,region_code,status,person_id,relation,birth_date,school_status'
    for bd in 1900-01-01 2110-05-01 9999-12-31 2012-05-01 2009-05-01; do
        echo "H$bd,110105001001,poor,$HEADID,head,1980-01-01,not_in_school"
        echo "H$bd,110105001001,poor,$ID,child,$bd,not_in_school"
    done
} >in.csv
printf 'quarter "2020Q3"\nstage "identity"\nstage "education"\n' >p.lua
"$TUOPIN" run p.lua --input in.csv --out out --quiet 2>e || { fail "run: $(cat e)"; finish; }
grep -q "^H2012-05-01,education,fail,SCHOOL_DROPOUT,2," out/findings.csv \
    || fail "birth_date 2012-05-01: no SCHOOL_DROPOUT (aged 8): $(grep "^H2012-05-01," out/findings.csv | tr '\n' ' ')"
for bd in 1900-01-01 2110-05-01 9999-12-31; do
    grep -q "^H$bd,education,fail,SCHOOL_DROPOUT" out/findings.csv \
        && fail "birth_date $bd: the age must follow birth_date (standard §2), not the ID"
done
for bd in 1900-01-01 2110-05-01 9999-12-31; do
    grep -q "^H$bd,identity,warn,ID_BIRTH_MISMATCH,2," out/findings.csv \
        || fail "birth_date $bd: no ID_BIRTH_MISMATCH"
done
# three years off: the birth date still governs (aged 11)
grep -q "^H2009-05-01,education,fail,SCHOOL_DROPOUT,2," out/findings.csv \
    || fail "birth_date 2009-05-01: not aged 11 by its birth date: $(grep "^H2009-05-01," out/findings.csv | tr '\n' ' ')"
finish
