#!/bin/sh
# inspect.sh — `tuopin inspect` on the national system's GB18030 export: it
# guesses the encoding, finds the header under the title line, shows which
# columns map to the standard's, samples with IDs and names masked (no
# resident ID or full name reaches the screen), the values the standard
# would not accept, and the pipeline line to use; on a plain export without
# a mapping it lists the standard's columns it did not find.
. "$abs_top_srcdir/tests/e2e/lib.sh"
. "$abs_top_srcdir/tests/e2e/inputs_lib.sh"
need_python

python3 "$E2E/to_system.py" "$Q" "$tmp/export.csv" || { fail "to_system.py"; finish; }
"$TUOPIN" inspect "$tmp/export.csv" --mapping national-system >"$tmp/out.txt" 2>"$tmp/err.txt"
st=$?
[ "$st" -eq 0 ] || { fail "inspect: exit status $st"; cat "$tmp/err.txt" >&2; }
for want in "guessed gb18030" "Skipped:   1 record above the header" "Header:    line 2" \
            "脱贫属性  → status (mapped) [values mapped]" "已脱贫享受政策 → exited" \
            "是否参加城乡居民基本医疗保险  → medical_insured (mapped)" "stable_job  (extra column" \
            'encoding = "gb18030", mapping = "national-system"'; do
    grep -qF -- "$want" "$tmp/out.txt" || fail "inspect does not say: $want"
done
# No resident ID, no full name.
if grep -qE '[0-9]{17}[0-9Xx]' "$tmp/out.txt"; then fail "inspect shows a full resident ID"; fi
python3 - "$Q" "$tmp/out.txt" <<'PY' || fail "inspect shows a full name"
import csv, sys
out = open(sys.argv[2], encoding="utf-8-sig").read()
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
names = {r["name"] for r in rows if len(r["name"]) >= 2}
shown = [n for n in names if '"%s"' % n in out]
sys.exit(1 if shown else 0)
PY
grep -qE '"[0-9]{6}\*{8}[0-9]{3}[0-9Xx]"' "$tmp/out.txt" || fail "IDs are not shown as first 6 + last 4"
grep -q '＊"' "$tmp/out.txt" || fail "names are not shown as surname + ＊"

# A value nobody maps is reported.
python3 - "$tmp/export.csv" "$tmp/odd.csv" <<'PY'
import sys
data = open(sys.argv[1], "rb").read().decode("gb18030")
data = data.replace("非在校生", "初一年级", 1)
open(sys.argv[2], "wb").write(data.encode("gb18030"))
PY
"$TUOPIN" inspect "$tmp/odd.csv" --mapping national-system >"$tmp/odd.txt" 2>&1
grep -qF 'school_status (在校生状况): 1 value: "初一年级" ×1' "$tmp/odd.txt" || \
    { fail "inspect does not report the unmapped school status"; grep -A3 "does not accept" "$tmp/odd.txt" >&2; }

# Without the mapping: the system's names are extra and the standard's are missing.
"$TUOPIN" inspect "$tmp/export.csv" --skip-rows 1 >"$tmp/plain.txt" 2>&1
grep -qF "status (户类型): every run" "$tmp/plain.txt" || fail "inspect does not list status as missing"
grep -qF "脱贫属性  (extra column" "$tmp/plain.txt" || fail "inspect does not call 脱贫属性 extra"

# UTF-8 input; a title line spotted without skip_rows; usage errors.
"$TUOPIN" inspect "$Q" >"$tmp/u.txt" 2>&1 || fail "inspect on UTF-8: exit status $?"
grep -q "guessed utf-8" "$tmp/u.txt" || fail "inspect does not guess utf-8"
"$TUOPIN" inspect "$tmp/export.csv" >"$tmp/t.txt" 2>&1
grep -qF "Title lines: 1 record above the header looks like a title, not column names (line 1); the header seems to be line 2. Skip them: --skip-rows 1 here" "$tmp/t.txt" || fail "inspect does not spot the title line"
"$TUOPIN" inspect >/dev/null 2>&1; [ $? -eq 2 ] || fail "inspect without a file is not a usage error"
"$TUOPIN" inspect "$tmp/nonexistent.csv" >/dev/null 2>&1; [ $? -eq 1 ] || fail "inspect on a missing file is not an error"
finish
