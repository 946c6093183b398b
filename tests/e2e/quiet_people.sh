#!/bin/sh
# quiet_people.sh — issue 18 item 6: no personal data on standard error or in
# inspect's report.  A headerless export (its first row read as the header)
# names header columns by number, never a cell; a connection string given as
# --input shows no password; inspect masks columns whose values look like
# resident IDs or Chinese names whatever they are called, and the "header"
# of a headerless file; a rule script's error quoting a resident ID reaches
# findings.csv masked.
. "$abs_top_srcdir/tests/e2e/lib.sh"
cd "$tmp" || exit 99
ID=620423195808181313
NAME=张三丰

# a headerless file whose first row holds the same ID twice
printf 'H1,620423000001,poor,%s,%s,%s\nH1,620423000001,poor,%s,李四,%s\n' "$ID" "$NAME" "$ID" "$ID" "$ID" >nohead.csv
printf 'quarter "2020Q3"\nstage "identity"\n' >p.lua
"$TUOPIN" run p.lua --input nohead.csv --out o1 --quiet 2>e1 && fail "a headerless file ran"
grep -qF "$ID" e1 && fail "the header error prints a resident ID: $(cat e1)"
grep -qF "$NAME" e1 && fail "the header error prints a name: $(cat e1)"
grep -qE 'columns? [0-9]' e1 || fail "the header error names no column number: $(cat e1)"

# a connection string as --input
"$TUOPIN" run p.lua --input 'postgresql://clerk:s3cretPW@db.example/registry' --out o2 --quiet 2>e2 \
    && fail "a connection string ran as a file"
grep -qF 's3cretPW' e2 && fail "the password is echoed: $(cat e2)"
grep -qF 'postgresql://clerk:***@db.example/registry' e2 || fail "the masked connection string is not shown: $(cat e2)"

# inspect: columns not known by name (sfzh, xm, 联系人身份号码)
{
    echo 'household_id,region_code,status,sfzh,xm,联系人身份号码'
    echo "H1,620423000001,poor,$ID,$NAME,$ID"
    echo "H2,620423000001,poor,11010519491231002X,王五,11010519491231002X"
} >named.csv
"$TUOPIN" inspect named.csv >i1 2>&1 || fail "inspect failed: $(cat i1)"
for v in "$ID" "$NAME" 11010519491231002X 王五; do
    grep -qF "$v" i1 && fail "inspect prints $v in full"
done
grep -qF '620423********1313' i1 || fail "inspect does not show the ID masked: $(grep -A1 sfzh i1)"
# inspect of the headerless file: its first row is no header
"$TUOPIN" inspect nohead.csv >i2 2>&1
for v in "$ID" "$NAME" 李四; do
    grep -qF "$v" i2 && fail "inspect of a headerless file prints $v in full"
done

# a script error quoting a resident ID
cat >s.lua <<'LUA'
return { name = "quiet", check = function(hh) error("bad member 620423195808181313 here") end }
LUA
printf 'household_id,region_code,status\nH1,620423000001,poor\n' >in.csv
printf 'quarter "2020Q3"\nstage { script = "s.lua" }\n' >q.lua
"$TUOPIN" run q.lua --input in.csv --out o3 --quiet 2>e3 || fail "run with a failing script: $(cat e3)"
grep -qF "$ID" o3/findings.csv && fail "a SCRIPT_ERROR detail quotes a full ID: $(grep SCRIPT_ERROR o3/findings.csv)"
grep -qF '620423********1313' o3/findings.csv || fail "the SCRIPT_ERROR detail lost its masked ID"
finish
