#!/bin/sh
# no_ages.sh — issue 18 item 6: a masked ID is never printed beside an exact
# age.  "member 2 (130731********5829): aged 8" narrows the hidden birth date
# to a year; the school findings (SCHOOL_DROPOUT, ROSTER_NOT_ENROLLED,
# ROSTER_SCHOOL_ABSENT) say "of compulsory-school age" instead, in English and
# in Chinese (docs/decisions.md).
. "$abs_top_srcdir/tests/e2e/lib.sh"
cd "$tmp" || exit 99
HEAD=130731198001010012   # not a valid ID: its own finding, irrelevant here
A=130731201204045829      # born 2012: 8 on 2020-09-30
B=130731200703179595      # born 2007: 13
{
    echo 'household_id,region_code,status,person_id,relation,birth_date,school_status'
    echo "H1,130731001001,poor,$HEAD,head,1980-01-01,not_in_school"
    echo "H1,130731001001,poor,$A,child,2012-04-04,not_in_school"
    echo "H1,130731001001,poor,$B,child,2007-03-17,primary"
} >in.csv
{
    echo 'source_office,enrolled,person_id'
    echo "县教育局,0,$B"
} >school.csv
printf 'quarter "2020Q3"\nstage "education"\nstage "rosters"\n' >p.lua
for lang in en zh; do
    "$TUOPIN" run p.lua --input in.csv --roster school=school.csv --lang $lang --out $lang --quiet 2>e \
        || { fail "run ($lang): $(cat e)"; continue; }
    for code in SCHOOL_DROPOUT ROSTER_NOT_ENROLLED ROSTER_SCHOOL_ABSENT; do
        grep -q ",$code," $lang/findings.csv || fail "$lang: no $code: $(cat $lang/findings.csv)"
    done
    # the ID is masked, and no age (8, 13) or birth year stands beside it
    grep -qF 130731********5829 $lang/findings.csv || fail "$lang: no masked ID in findings.csv: $(cat $lang/findings.csv)"
    if grep -E 'SCHOOL|ROSTER_' $lang/findings.csv | grep -E 'aged|[0-9]+ *岁|[^0-9*](8|13)[^0-9]|2012|2007'; then
        fail "$lang: a school finding gives the age or birth year beside the masked ID"
    fi
done
grep -q 'SCHOOL_DROPOUT,2,.*member 2 (130731\*\*\*\*\*\*\*\*5829): of compulsory-school age but not in school' en/findings.csv \
    || fail "en: SCHOOL_DROPOUT's detail: $(grep SCHOOL_DROPOUT en/findings.csv)"
grep -q 'ROSTER_NOT_ENROLLED,3,.*of compulsory-school age, the school roster says enrolled no' en/findings.csv \
    || fail "en: ROSTER_NOT_ENROLLED's detail: $(grep ROSTER_NOT_ENROLLED en/findings.csv)"
grep -q 'SCHOOL_DROPOUT,2,.*处于义务教育年龄但未在校' zh/findings.csv \
    || fail "zh: SCHOOL_DROPOUT's detail: $(grep SCHOOL_DROPOUT zh/findings.csv)"
grep -q 'ROSTER_SCHOOL_ABSENT,2,.*处于义务教育年龄，学籍名单中没有该成员' zh/findings.csv \
    || fail "zh: ROSTER_SCHOOL_ABSENT's detail: $(grep ROSTER_SCHOOL_ABSENT zh/findings.csv)"
finish
