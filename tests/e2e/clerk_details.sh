#!/bin/sh
# clerk_details.sh — details a county clerk can act on (issue 17 item 9), in
# Chinese and English, on a small hand-made file (tests/e2e/data/
# clerk_details.csv):
# - a BAD_VALUE or ID_INVALID finding names the input line of the member's
#   row (the physical line where the record starts: household A1's first
#   record, on line 8, holds a quoted line break, so its second member is on
#   line 10) and,
#   for BAD_VALUE, the value read (cut to 40 bytes), never a name, IDs masked;
#   a household column's BAD_VALUE names the household's first line;
# - the other rows of a household rejected for one faulty row name that line
#   and its code (B1: line 3), and say how many more there are (C1: lines 5
#   and 7); line, household_id and code stay as the standard says.
. "$abs_top_srcdir/tests/e2e/lib.sh"

IN="$DATA/clerk_details.csv"
PIPE="$abs_top_srcdir/examples/national.lua"
for l in zh en; do
    "$TUOPIN" --lang $l run "$PIPE" --input "$IN" --quarter 2020Q4 --out "$tmp/$l" --quiet \
        2>"$tmp/$l.err" || fail "--lang $l: the run failed: $(cat "$tmp/$l.err")"
done

# has LANG FILE LINE: FILE of the LANG run holds LINE exactly.
has() {
    grep -qxF "$3" "$tmp/$1/$2" || fail "--lang $1: $2 lacks the line: $3"
}

has zh findings.csv 'A1,identity,warn,ID_INVALID,3,第3名成员（130731********4283）证件号码无效（校验码或出生日期不符）（第11行）'
has zh findings.csv 'A1,income,fail,BAD_VALUE,,工资性收入（wage_income）的值无效（第8行，值“12.345”）'
has zh findings.csv 'A1,education,fail,BAD_VALUE,2,第2名成员（130731********5824）出生日期（birth_date）的值无效（第10行，值“2010-13-45”）'
has zh findings.csv 'A1,medical,fail,BAD_VALUE,3,"第3名成员（130731********4283）参加基本医疗保险（medical_insured）的值无效（第11行，值“perhaps, if the clerk is told which offi…”）"'
has en findings.csv 'A1,identity,warn,ID_INVALID,3,member 3 (130731********4283): the ID number is invalid (check character or birth date) (line 11)'
has en findings.csv 'A1,income,fail,BAD_VALUE,,"wage income (wage_income) has an invalid value (line 8, value ""12.345"")"'
has en findings.csv 'A1,education,fail,BAD_VALUE,2,"member 2 (130731********5824): date of birth (birth_date) has an invalid value (line 10, value ""2010-13-45"")"'
has en findings.csv 'A1,medical,fail,BAD_VALUE,3,"member 3 (130731********4283): basic medical insurance (medical_insured) has an invalid value (line 11, value ""perhaps, if the clerk is told which offi…"")"'
for l in zh en; do
    # no name, no whole ID in the findings
    grep -qE '孙英军|何桂|王芳|130731199104264283|130731201004045824' "$tmp/$l/findings.csv" \
        && fail "--lang $l: findings.csv shows a name or a whole ID"
    # the codes and lines of the rejects are the standard's
    got=$(bom_strip "$tmp/$l/rejects.csv" | cut -d, -f1-3 | tr '\n' ' ')
    [ "$got" = "line,household_id,code 2,B1,HOUSEHOLD_INCOMPLETE 3,B1,ROW_FIELD_COUNT 4,B1,HOUSEHOLD_INCOMPLETE 5,C1,ROW_FIELD_COUNT 6,C1,HOUSEHOLD_INCOMPLETE 7,C1,ROW_FIELD_COUNT " ] \
        || fail "--lang $l: rejects.csv lines and codes: $got"
done
has zh rejects.csv '2,B1,HOUSEHOLD_INCOMPLETE,户因第3行有误（ROW_FIELD_COUNT）被整户退回,"B1,130731016026,poor,3000,1000.00,0,0,5000.00,,yes,B,yes,yes,yes,130731199104264282,李明,head,19910426,,yes,"'
has zh rejects.csv '6,C1,HOUSEHOLD_INCOMPLETE,户因第5行（ROW_FIELD_COUNT）及另外1行有误被整户退回,"C1,130731016026,poor,3000,1000.00,0,0,5000.00,,yes,B,yes,yes,yes,130731201004045824,赵二,child,20100404,junior,yes,"'
has en rejects.csv '4,B1,HOUSEHOLD_INCOMPLETE,household rejected: line 3 is faulty (ROW_FIELD_COUNT),"B1,130731016026,poor,3000,1000.00,0,0,5000.00,,yes,B,yes,yes,yes,130731199104264282,张三,spouse,19910426,,yes,"'
has en rejects.csv '6,C1,HOUSEHOLD_INCOMPLETE,"household rejected: line 5 is faulty (ROW_FIELD_COUNT), and 1 more of its lines","C1,130731016026,poor,3000,1000.00,0,0,5000.00,,yes,B,yes,yes,yes,130731201004045824,赵二,child,20100404,junior,yes,"'

# A shard of tuopin split names the lines of the whole input (its order
# file): its findings are the single run's (A1 starts on the shard's line 2).
if "$TUOPIN" split "$IN" --by county --out "$tmp/split" --quiet; then
    shard=$(head -1 "$tmp/split/shards.txt")
    "$TUOPIN" --lang en run "$PIPE" --input "$tmp/split/$shard" --quarter 2020Q4 --out "$tmp/shard" --quiet \
        || fail "the shard run failed"
    cmp -s "$tmp/en/findings.csv" "$tmp/shard/findings.csv" \
        || fail "the shard's findings differ: $(diff "$tmp/en/findings.csv" "$tmp/shard/findings.csv")"
    # a copy the manifest does not list, with an order file beside it, is no
    # shard: its findings name its own lines (A1 starts on the copy's line N)
    cp "$tmp/split/$shard" "$tmp/split/copy.csv"
    cp "$tmp/split/${shard%.csv}.order" "$tmp/split/copy.order"
    "$TUOPIN" --lang en run "$PIPE" --input "$tmp/split/copy.csv" --quarter 2020Q4 --out "$tmp/copy" --quiet \
        || fail "the run of the copy failed"
    n=$(grep -n '^A1,' "$tmp/split/copy.csv" | head -n 1 | cut -d: -f1)
    grep -qF "A1,income,fail,BAD_VALUE,,\"wage income (wage_income) has an invalid value (line $n, value \"\"12.345\"\")\"" \
        "$tmp/copy/findings.csv" || fail "a copy of a shard not in the manifest took the order file (A1 should be on line $n)"
else
    fail "tuopin split failed"
fi

# inspect without a mapping: title lines above the header, and "did you mean"
# for names close to a standard column's English or Chinese name.
printf '%s\n' '2020年第四季度建档立卡户信息表,,,,,,' '填报单位：某县扶贫办,,,,,,' \
    'household_id,region_code,status,wage_incom,转移收入,在校生情况,民族' \
    'A1,130731016026,poor,1000,2000,小学,汉族' >"$tmp/titled.csv"
for l in zh en; do
    "$TUOPIN" --lang $l inspect "$tmp/titled.csv" >"$tmp/i$l.out" 2>&1 || fail "--lang $l: inspect failed"
    "$TUOPIN" --lang $l inspect "$tmp/titled.csv" --skip-rows 2 >"$tmp/s$l.out" 2>&1 \
        || fail "--lang $l: inspect --skip-rows 2 failed"
done
grep -qF 'Title lines: 2 records above the header look like a title, not column names (lines 1, 2); the header seems to be line 3. Skip them: --skip-rows 2 here, skip_rows = 2 (or "auto") in input { } or a mapping.' "$tmp/ien.out" \
    || fail "inspect: no title lines: $(cat "$tmp/ien.out")"
grep -qF '标题行：表头上方有 2 行记录像是标题而非列名（行号 1, 2）；表头应是第 3 行。跳过它们：此处用 --skip-rows 2，运行时在 input { } 或映射文件中写 skip_rows = 2（或 "auto"）。' "$tmp/izh.out" \
    || fail "inspect --lang zh: no title lines: $(cat "$tmp/izh.out")"
grep -q 'Title lines' "$tmp/sen.out" && fail "inspect --skip-rows 2: title lines still reported"
for want in '  4  wage_incom  (extra column: not one of the standard'"'"'s; kept for rule scripts) did you mean wage_income (工资性收入)?' \
            '  5  转移收入  (extra column: not one of the standard'"'"'s; kept for rule scripts) did you mean transfer_income (转移性收入)?' \
            '  6  在校生情况  (extra column: not one of the standard'"'"'s; kept for rule scripts) did you mean school_status (在校生状况)?' \
            '  7  民族  (extra column: not one of the standard'"'"'s; kept for rule scripts)'; do
    grep -qxF "$want" "$tmp/sen.out" || fail "inspect: lacks the line: $want"
done
grep -qF '转移收入  （多余的列' "$tmp/szh.out" && grep -qF '，是否应为 transfer_income（转移性收入）？' "$tmp/szh.out" \
    || fail "inspect --lang zh: no did-you-mean: $(cat "$tmp/szh.out")"

# A stage's missing column by its Chinese name too (the income stage).
head -1 "$IN" | sed 's/,transfer_income//' >"$tmp/miss.csv"
for l in zh en; do
    "$TUOPIN" --lang $l run "$PIPE" --input "$tmp/miss.csv" --quarter 2020Q4 --out "$tmp/m$l" 2>"$tmp/m$l.err" \
        && fail "--lang $l: a missing column did not stop the run"
done
grep -qF '表头缺少列 transfer_income（转移性收入），检查环节 income 需要它' "$tmp/mzh.err" \
    || fail "--lang zh: missing column: $(cat "$tmp/mzh.err")"
grep -qF 'the header lacks column transfer_income (转移性收入), which stage income needs' "$tmp/men.err" \
    || fail "--lang en: missing column: $(cat "$tmp/men.err")"
finish
