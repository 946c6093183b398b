#!/bin/sh
# privacy.sh — personal data stays where it belongs (docs/safety.md).  A
# quarter with recognisable names and resident IDs planted in it (and every
# name and ID the hand-written national quarter already has) goes through the
# national pipeline; then
#   - no name and no ID appears in counties.csv, summary.csv, af.csv,
#     report.html, any part of report.xlsx, or anything the run printed;
#   - nor in the one line of a fatal error about a record that holds them;
#   - every output, results.sqlite included, is mode 0600 whatever the umask,
#     and a folder the run creates is 0700.
# households.csv, findings.csv (masked IDs), rejects.csv (raw rows, for the
# clerks) and results.sqlite are the outputs that may hold personal data.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

python3 - "$DATA/national.csv" "$tmp/in.csv" "$tmp/tokens" <<'PY'
import csv, sys
src, dst, tokens = sys.argv[1:4]
rows = list(csv.reader(open(src, encoding="utf-8-sig")))
hdr = rows[0]
pid, name = hdr.index("person_id"), hdr.index("name")
hid, reg = hdr.index("household_id"), hdr.index("region_code")
planted = []
out = [hdr]
for k, r in enumerate(rows[1:]):
    out.append(r)
# Three planted households: one sound, one rejected (field count), one with
# a bad region code; names and IDs no report would ever contain.
for k in range(3):
    for m in range(2):
        r = list(rows[1])
        r[hid] = "PRIV%d" % k
        r[pid] = "1101011990%02d%02d%03d%s" % (k + 1, m + 1, 371 + k * 7 + m, "X" if m else "7")
        r[name] = "隐私测试%s%s" % ("甲乙丙"[k], "子丑"[m])
        if k == 1 and m == 1:
            r = r + ["one field too many"]
        if k == 2:
            r[reg] = "990000000000"
        out.append(r)
with open(dst, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(out)
toks = set()
for r in out[1:]:
    for i in (pid, name):
        if i < len(r) and len(r[i]) >= 2:
            toks.add(r[i])
open(tokens, "w", encoding="utf-8").write("\n".join(sorted(toks)) + "\n")
PY

sed 's/^input .*$//' "$DATA/national.lua" >"$tmp/national.lua"
out="$tmp/out/new"
(umask 000 && "$TUOPIN" run "$tmp/national.lua" --input "$tmp/in.csv" --out "$out") \
    >"$tmp/stdout" 2>"$tmp/stderr" || fail "the run failed: $(cat "$tmp/stderr")"

# leaks FILE WHAT: fails when FILE holds any of the tokens.
leaks() {
    if [ ! -f "$1" ]; then
        fail "$2: not written"
    elif grep -F -f "$tmp/tokens" "$1" >"$tmp/hits" 2>/dev/null; then
        fail "$2 holds personal data: $(head -c 300 "$tmp/hits")"
    fi
}
for f in counties.csv summary.csv af.csv report.html; do leaks "$out/$f" "$f"; done
leaks "$tmp/stderr" "standard error"
leaks "$tmp/stdout" "standard output"
python3 - "$out/report.xlsx" "$tmp/xlsx.txt" <<'PY' || fail "report.xlsx cannot be read"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as o:
    for n in z.namelist():
        o.write(z.read(n) + b"\n")
PY
leaks "$tmp/xlsx.txt" "report.xlsx"
# The planted names did reach the outputs that may hold them.
grep -q '隐私测试乙丑' "$out/rejects.csv" || fail "rejects.csv lacks the raw rejected row"
grep -q 'PRIV0' "$out/households.csv" || fail "households.csv lacks PRIV0"

# Modes: every file 0600, the folder the run made 0700.
bad=$(find "$out" -type f ! -perm 600)
[ -z "$bad" ] || fail "not mode 0600 (umask 000): $bad"
[ -n "$(find "$out" -maxdepth 0 -type d -perm 700)" ] || fail "the output folder is not mode 0700"
[ -n "$(find "$out" -name results.sqlite -perm 600)" ] || fail "results.sqlite is not mode 0600"

# A fatal error about a record full of personal data names the line only.
python3 - "$tmp/in.csv" "$tmp/huge.csv" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8-sig").read().split("\n")
extra = ",".join(["隐私测试甲子"] * 10001)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(rows[:3] + [extra] + rows[3:]))
PY
"$TUOPIN" run "$tmp/national.lua" --input "$tmp/huge.csv" --out "$tmp/o2" 2>"$tmp/err2"
[ $? -eq 1 ] || fail "a record of 10,001 fields did not stop the run"
leaks "$tmp/err2" "the fatal error's message"
finish
