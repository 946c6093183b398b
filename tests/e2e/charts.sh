#!/bin/sh
# charts.sh — the charts of report.html and compare.html do not mislead
# (issue 17 item 10): round axis ticks in Figure 1, a stage with warnings
# only (identity) not drawn in Figure 3, 错退/漏评 slices labelled in Figure
# 2, white labels on dark segments, and the normal can_exit → exit_confirmed
# move shaded calmly in compare.html's matrix while moves into 错退 are not.
. "$abs_top_srcdir/tests/e2e/lib.sh"

cd "$tmp" || exit 99
ex="$abs_top_srcdir/examples"
for q in 2020Q3 2020Q4; do
    "$TUOPIN" run "$ex/national.lua" --input "$ex/quarter-$q.csv" --quarter $q --out r$q -q \
        || { fail "run $q"; finish; }
done
"$TUOPIN" compare r2020Q3 r2020Q4 --out cmp --quiet || { fail "compare"; finish; }
h=r2020Q4/report.html

# Figure 1: ticks are whole multiples of a round step (0%, 10%, 20%, ... or 2.5% steps)
sed -n '/id="chart-incidence"/,/<\/figure>/p' $h | grep -o 'class="lbl">[0-9.]*%<' | sed 's/.*>\(.*\)%</\1/' > ticks
[ "$(wc -l < ticks)" -ge 2 ] || fail "Figure 1 has no axis ticks"
grep -Evq '^[0-9]+(\.5)?$' ticks && fail "Figure 1 ticks not round: $(tr '\n' ' ' < ticks)"
# Figure 3: identity (warnings only) is not a bar
sed -n '/id="chart-failures"/,/<\/svg>/p' $h | grep -q '身份信息\|>identity<' && fail "Figure 3 draws identity (warnings only) as a zero bar"
# Figure 2: the 错退 slice is labelled in words
sed -n '/id="chart-assessments"/,/<\/svg>/p' $h | grep -q 'class="val alarm"><tspan class="zh">错退' \
    || fail "Figure 2: the 错退 slice has no label"
# Figure 4 or 2: a label on a dark segment is white
grep -q 'class="val on-dark"' $h || fail "no white label on a dark segment"
# compare.html: can_exit → exit_confirmed calm, into wrongly_exited alarming
python3 - cmp/compare.html <<'PY' || fail "compare.html matrix colours"
import re, sys
html = open(sys.argv[1], encoding="utf-8-sig").read()
t = html[html.index('<table class="matrix'):]
t = t[:t.index('</table>')]
# state names are given in both languages: keep the English one
t = re.sub(r'<span class="zh">[^<]*</span>', '', t)
t = re.sub(r'</?span[^>]*>', '', t)
rows = re.findall(r'<tr>(.*?)</tr>', t, re.S)
head = re.findall(r'<th>([a-z_]+)</th>', rows[0])
cells = {}
for r in rows[1:]:
    m = re.match(r'<th>([a-z_]+)</th>(.*)', r, re.S)
    for col, td in zip(head, re.findall(r'<td([^>]*)>', m.group(2))):
        cells[(m.group(1), col)] = td
ok = 'calm' in cells[('can_exit', 'exit_confirmed')]
bad = [k for k, v in cells.items() if k[1] == 'wrongly_exited' and k[0] != k[1] and 'style' in v and 'alarm' not in v]
if not ok or bad:
    print("can_exit->exit_confirmed:", cells[('can_exit', 'exit_confirmed')], "not alarming:", bad)
    sys.exit(1)
PY
finish
