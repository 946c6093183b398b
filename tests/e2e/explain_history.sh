#!/bin/sh
# explain_history.sh — `tuopin explain` shows a household's history signals
# (issue 21) when the run joined a history (output { history = FILE }): the
# shipped quarters examples/quarter-2020Q3.csv and -2020Q4.csv (300
# households, seed 11, patterns planted: examples/quarter-truth.csv), run in
# turn into one history.  From the rules of docs/history.md:
#   H0000000009  NEAR_LINE_EXIT: 2 members, 3216.00 yuan a head in 2020Q3
#                (poor, below the line 4000.00), exited in 2020Q4 at 4072.00,
#                within [4000.00, 4400.00) (line x 1.10); exited under the
#                monitoring line 1.5 x 4000.00 = 6000.00: unstable_exited,
#                BELOW_MONITOR_LINE
#   H0000000085  TRANSFER_SHIFT donor (-1000.00), H0000000086 the recipient
#                (+1000.00: 3704.00 -> 4204.00, below the line without it)
# Every household's signals and monitoring category are those of `tuopin
# compare 2020Q3 2020Q4` (signals.csv, monitoring.csv); a run without a
# history says so in one line; the first quarter has nothing to compare; the
# card with its signals still prints on one A4 page.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 is needed" >&2; exit 77; }

cd "$tmp" || exit 99
for q in 2020Q3 2020Q4; do
    cp "$abs_top_srcdir/examples/quarter-$q.csv" .
    # the seven stages of the national pipeline, from the file itself
    { printf 'quarter "%s"\ninput { path = "quarter-%s.csv" }\n' $q $q
      grep '^stage ' "$abs_top_srcdir/data/pipelines/national.lua"
      printf 'output { dir = "run-%s", history = "h.sqlite" }\n' $q; } >p$q.lua
    "$TUOPIN" run p$q.lua --quiet 2>run$q.err || { fail "run $q: $(cat run$q.err)"; finish; }
done
grep -q '^NEAR_LINE_EXIT,H0000000009,' "$abs_top_srcdir/examples/quarter-truth.csv" \
    || fail "the truth file no longer plants NEAR_LINE_EXIT on H0000000009"

section() { sed -n '/^HISTORY SIGNALS\|^历史信号/,$p' | sed "s|$tmp/||g"; }

"$TUOPIN" --lang en explain run-2020Q4 H0000000009 2>e9.err | section >e9.txt
cat >want9.txt <<'TXT'
HISTORY SIGNALS (docs/history.md)
  history h.sqlite, region set 13+41+51+52+53+61+62+65, 2020Q3 -> 2020Q4 (quarters read 2020Q3;2020Q4; transfer incomes known); the rules and default parameters of tuopin compare
  NEAR_LINE_EXIT exit income just above the line (income counted to the line), 退出季度收入刚过线（算账式脱贫） (2020Q3;2020Q4)
      income per capita 3216.00 (2020Q3, poor, line 4000.00) -> 4072.00 (2020Q4, exited): in the near-line band 4000.00 to 4400.00
  monitoring: unstable_exited (脱贫不稳定户): BELOW_MONITOR_LINE (monitoring line 6000.00 yuan per person: monitor_factor 1.5 x national line 4000.00 of 2020)
TXT
cmp -s want9.txt e9.txt || fail "en: H0000000009's signals: $(diff want9.txt e9.txt)"

"$TUOPIN" --lang zh explain run-2020Q4 H0000000009 2>z9.err | section >z9.txt
cat >wantz9.txt <<'TXT'
历史信号（docs/history.md）
  历史库 h.sqlite，区划集 13+41+51+52+53+61+62+65，2020Q3 → 2020Q4（读取 2020Q3;2020Q4；转移性收入已知）；比较规则与默认参数同 tuopin compare
  NEAR_LINE_EXIT 退出季度收入刚过线（算账式脱贫）（2020Q3;2020Q4）
      人均纯收入 3216.00 元（2020Q3，低于标准 4000.00 元）→ 4072.00 元（2020Q4 退出），刚过线：在 4000.00–4400.00 元之间
  动态监测：unstable_exited 脱贫不稳定户：BELOW_MONITOR_LINE（监测线每人 6000.00 元：监测系数 monitor_factor 1.5 × 2020 年国家标准 4000.00 元）
TXT
cmp -s wantz9.txt z9.txt || fail "zh: H0000000009's signals: $(diff wantz9.txt z9.txt)"

"$TUOPIN" --lang en explain run-2020Q4 H0000000085 | section >e85.txt
grep -qx '  TRANSFER_SHIFT transfer income moved between households of one village, 转移性收入在户间游走（游走式脱贫） (2020Q3;2020Q4); this household is the donor, the recipient H0000000086' e85.txt \
    || fail "the donor's signal: $(cat e85.txt)"
grep -qx '      transfer income +1000.00 to H0000000086 (income per capita 3704.00 -> 4204.00, line 4000.00; below the line without the increase) and -1000.00 from H0000000085, same village, 2020Q3 -> 2020Q4' e85.txt \
    || fail "the donor's evidence: $(cat e85.txt)"
"$TUOPIN" --lang zh explain run-2020Q4 H0000000086 | section >z86.txt
grep -qx '  TRANSFER_SHIFT 转移性收入在户间游走（游走式脱贫）（2020Q3;2020Q4）；本户为转入方，转出方 H0000000085' z86.txt \
    || fail "zh: the recipient's signal: $(cat z86.txt)"

# every household as compare sees it
"$TUOPIN" compare 2020Q3 2020Q4 --history h.sqlite --out cmp --quiet 2>cmp.err || fail "compare: $(cat cmp.err)"
sqlite3 run-2020Q4/results.sqlite "SELECT household_id FROM households" >ids.txt
python3 - "$TUOPIN" <<'PY' || fail "explain's signals differ from compare's"
import csv, json, subprocess, sys
sig, bad = {}, 0
for r in csv.DictReader(open('cmp/signals.csv', encoding='utf-8-sig')):
    for h in r['household_ids'].split(';'):
        sig.setdefault(h, set()).add((r['code'], r['quarters'], r['evidence'], r['evidence_zh']))
mon = {r['household_id']: (r['category'], r['reasons']) for r in csv.DictReader(open('cmp/monitoring.csv', encoding='utf-8-sig'))}
ids = [l.strip() for l in open('ids.txt') if l.strip()]
for h in ids:
    j = json.loads(subprocess.run([sys.argv[1], 'explain', 'run-2020Q4', h, '--format', 'json'],
                                  capture_output=True, text=True, check=True).stdout)['history']
    got = {(s['code'], s['quarters'], s['evidence'], s['evidence_zh']) for s in j['signals']}
    m = j['monitoring']
    gm = (m['category'], m['reasons']) if m['category'] else None
    if j['state'] != 'ok' or got != sig.get(h, set()) or gm != mon.get(h):
        bad += 1
        if bad < 5: print(h, j['state'], got, sig.get(h), gm, mon.get(h), file=sys.stderr)
if len(ids) < 300 or len(sig) < 30 or len(mon) < 30:
    print('too few households, signals or monitored households', len(ids), len(sig), len(mon), file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
PY

# the JSON of one household, field by field
"$TUOPIN" explain run-2020Q4 H0000000085 --format json >j85.json || fail "explain --format json"
python3 - <<'PY' || fail "the history in explain's JSON"
import json
h = json.load(open('j85.json'))['history']
s = h['signals']
want = [('state', h['state'], 'ok'), ('previous', h['previous'], '2020Q3'), ('current', h['current'], '2020Q4'),
        ('regions', h['regions'], '13+41+51+52+53+61+62+65'), ('transfers_known', h['transfers_known'], True),
        ('signals', len(s), 1), ('code', s[0]['code'], 'TRANSFER_SHIFT'), ('role', s[0]['role'], 'donor'),
        ('other_households', s[0]['other_households'], 'H0000000086'), ('quarters', s[0]['quarters'], '2020Q3;2020Q4'),
        ('words_zh', s[0]['words_zh'], '转移性收入在户间游走（游走式脱贫）'),
        ('monitoring', h['monitoring']['category'], None), ('monitor_line', h['monitoring']['monitor_line'], '6000.00')]
bad = [w for w in want if w[1] != w[2]]
for w in bad: print('history.%s: %r, want %r' % w)
raise SystemExit(1 if bad else 0)
PY

# the first quarter: nothing before it; a run without a history: one line
"$TUOPIN" --lang en explain run-2020Q3 H0000000009 | section >first.txt
[ "$(sed -n 2p first.txt)" = "  the history h.sqlite (region set 13+41+51+52+53+61+62+65) holds no quarter before 2020Q3: nothing to compare" ] \
    || fail "first quarter: $(cat first.txt)"
[ "$(wc -l <first.txt)" -eq 2 ] || fail "first quarter: more than one line: $(cat first.txt)"
"$TUOPIN" run national --input quarter-2020Q4.csv --quarter 2020Q4 --out plain --quiet || fail "the run without a history"
"$TUOPIN" --lang en explain plain H0000000009 | section >plain.txt
printf '%s\n' 'HISTORY SIGNALS (docs/history.md)' \
    '  none: the run was made without a history (output { history = FILE }; explain --history FILE reads one)' >wantplain.txt
cmp -s wantplain.txt plain.txt || fail "without a history: $(cat plain.txt)"
# --history names one for a run that did not join it
"$TUOPIN" --lang en explain plain H0000000009 --history h.sqlite | section >given.txt
grep -q '^  NEAR_LINE_EXIT ' given.txt || fail "--history: $(cat given.txt)"
if "$TUOPIN" --lang en explain plain H0000000009 --history missing.sqlite >/dev/null 2>missing.err; then
    fail "an unreadable --history did not fail"
fi

# the card with the signals: one A4 page
"$TUOPIN" explain run-2020Q4 H0000000085 --format html >card.html || fail "--format html failed"
grep -q 'TRANSFER_SHIFT' card.html || fail "the card does not show the signal"
if command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --user-data-dir="$tmp/chromium" --print-to-pdf="$tmp/card.pdf" "file://$tmp/card.html" >/dev/null 2>&1
    pages=$(pdfinfo card.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
    [ "$pages" = 1 ] || fail "the card prints on ${pages:-no} pages, not one"
else
    echo "explain_history.sh: chromium or pdfinfo missing: the card's page count is not checked" >&2
fi
finish
