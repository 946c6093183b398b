#!/bin/sh
# region_names.sh — names beside codes (issue 17.8): a region-names table
# (--region-names FILE, or output { region_names = … }) over the shipped
# provinces' names shows in counties.csv (last column name), report.html,
# report.xlsx, compare.html and a merged run's outputs; 全国 labels the whole
# run only when it covers more than one province; a bad table is refused with
# its file and line.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

Q="$EXAMPLES/counties-quarter.csv"
# a BOM, CRLF, a quoted name with a comma, a county without name_en and a
# shipped province's name replaced
printf '\357\273\277code,name_en,name\r\n130731,Zhuolu,涿鹿县\r\n150102,,"新城区,呼和浩特"\r\n15,Nei Mongol (test),内蒙古（测试）\r\n' \
    >"$tmp/names.csv"

run_tuopin "$tmp/run" "$EXAMPLES/national.lua" --input "$Q" --region-names "$tmp/names.csv" --quiet
[ "$status" -eq 0 ] || { fail "run --region-names: exit $status"; cat "$tmp/run.stderr" >&2; finish; }

python3 - "$tmp/run/counties.csv" <<'PY' || fail "counties.csv: the name column"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
head, body = rows[0], rows[1:]
bad = []
if head[-1] != "name": bad.append("last column %r" % head[-1])
want = {"130731": "涿鹿县", "150102": "新城区,呼和浩特", "520102": "", "330102": ""}
got = {r[0]: r[-1] for r in body}
for k, v in want.items():
    if got.get(k) != v: bad.append("%s: name %r, want %r" % (k, got.get(k), v))
if bad: print("\n".join(bad)); sys.exit(1)
PY

h="$tmp/run/report.html"
grep -qF '<td class="t">130731</td><td class="t"><span class="zh">涿鹿县</span><span class="en">Zhuolu</span></td>' "$h" \
    || fail "report.html: no name beside county 130731"
grep -qF '<span class="zh">新城区,呼和浩特</span><span class="en">新城区,呼和浩特</span>' "$h" \
    || fail "report.html: a name without name_en is not shown in both views"
grep -qF '>内蒙古（测试）<' "$h" || fail "report.html: the table's name of province 15 not used"
grep -qF '>河北省<' "$h" && grep -qF '>Hebei<' "$h" || fail "report.html: the shipped name of province 13 not shown"
grep -qF '<span class="zh">全国</span>' "$h" || fail "report.html: a run of 13 provinces is not labelled 全国"
python3 - "$tmp/run/report.xlsx" <<'PY' || fail "report.xlsx: the names"
import html, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = html.unescape("".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml")))
miss = [t for t in ("名称\nname", "涿鹿县", "新城区,呼和浩特", "河北省", "全国") if t not in s]
if miss: print("missing", miss); sys.exit(1)
PY

# the pipeline's output { region_names = … }, relative to the pipeline file
mkdir "$tmp/pl"
cp "$tmp/names.csv" "$tmp/pl/names.csv"
{ cat "$EXAMPLES/national.lua"; echo 'output { region_names = "names.csv" }'; } >"$tmp/pl/national.lua"
run_tuopin "$tmp/plrun" "$tmp/pl/national.lua" --input "$Q" --quiet
cmp -s "$tmp/run/counties.csv" "$tmp/plrun/counties.csv" \
    || fail "output { region_names = … } gives other names than --region-names"

# one province: its name, not 全国
{ head -1 "$Q"; grep '^[^,]*,13' "$Q"; } >"$tmp/hebei.csv"
run_tuopin "$tmp/one" "$EXAMPLES/national.lua" --input "$tmp/hebei.csv" --quiet
if grep -qF '全国' "$tmp/one/report.html"; then
    fail "report.html of a run of one province says 全国: $(grep -oF '全国' "$tmp/one/report.html" | wc -l) times"
fi
grep -qF '<tr><td class="t"><span class="zh">河北省</span><span class="en">Hebei</span></td>' "$tmp/one/report.html" \
    || fail "report.html of a run of one province: the whole run's row is not 河北省 / Hebei"

# merge: the shard runs merged with the same names give the single run's files
{ head -1 "$Q"; grep -E '^[^,]*,(13|15|33)' "$Q"; } >"$tmp/three.csv"
run_tuopin "$tmp/three" "$EXAMPLES/national.lua" --input "$tmp/three.csv" --region-names "$tmp/names.csv" --quiet
"$TUOPIN" split "$tmp/three.csv" --by province --out "$tmp/split" --quiet || fail "split failed"
for s in "$tmp"/split/province-*.csv; do
    b=$(basename "$s" .csv)
    "$TUOPIN" run "$EXAMPLES/national.lua" --input "$s" --out "$tmp/shard-$b" --region-names "$tmp/names.csv" \
        --quiet || fail "shard $b failed"
done
"$TUOPIN" merge "$tmp"/shard-* --out "$tmp/merged" --split "$tmp/split" --region-names "$tmp/names.csv" --quiet \
    || fail "merge --region-names failed"
cmp -s "$tmp/three/counties.csv" "$tmp/merged/counties.csv" || fail "merged counties.csv differs from the single run's"
grep -q ',"新城区,呼和浩特"$' "$tmp/merged/counties.csv" || fail "merged counties.csv has no names"

# compare.html: names beside the county codes
E="$abs_top_srcdir/examples"
for q in 2020Q3 2020Q4; do
    "$TUOPIN" run "$EXAMPLES/national.lua" --input "$E/quarter-$q.csv" --quarter "$q" --out "$tmp/q$q" --quiet \
        || fail "run $q failed"
done
"$TUOPIN" compare "$tmp/q2020Q3" "$tmp/q2020Q4" --out "$tmp/cmp" --region-names "$E/regions.csv" --quiet \
    || fail "compare --region-names failed"
c=$(sed -n 2p "$tmp/q2020Q4/counties.csv" | cut -d, -f1)
n=$(grep "^$c," "$E/regions.csv" | cut -d, -f2)
[ -n "$n" ] || fail "examples/regions.csv has no name for $c"
grep -qF "$c <span class=\"zh\">$n</span>" "$tmp/cmp/compare.html" || fail "compare.html: no name beside county $c ($n)"

# bad tables: one line naming the file, the line and what is wrong
printf 'code,name\n130731,涿鹿县\n1307x,尚义县\n' >"$tmp/badcode.csv"
expect_fatal "a code that is no region code" "badcode.csv:3" "1307x" -- \
    run "$EXAMPLES/national.lua" --input "$Q" --out "$tmp/bad1" --region-names "$tmp/badcode.csv"
printf 'code,name\n130731,涿鹿县\n130731,尚义县\n' >"$tmp/twice.csv"
expect_fatal "a code twice" "twice.csv:3" "130731" -- \
    run "$EXAMPLES/national.lua" --input "$Q" --out "$tmp/bad2" --region-names "$tmp/twice.csv"
printf 'code,县名\n130731,涿鹿县\n' >"$tmp/noname.csv"
expect_fatal "no name column" "noname.csv:1" "name" -- \
    run "$EXAMPLES/national.lua" --input "$Q" --out "$tmp/bad3" --region-names "$tmp/noname.csv"
printf 'code,name\n130731,\n' >"$tmp/blank.csv"
expect_fatal "a blank name" "blank.csv:2" "130731" -- \
    run "$EXAMPLES/national.lua" --input "$Q" --out "$tmp/bad4" --region-names "$tmp/blank.csv"
[ ! -e "$tmp/bad1/counties.csv" ] || fail "a refused table still left counties.csv"
finish
