#!/bin/sh
# stray_quotes.sh — the reading rules of standard §1 for stray quotes, NUL
# bytes, byte-order marks and control characters in household ids, end to
# end:
#  - stray.csv (the standard's worked example) with CR LF line ends, and in
#    GB18030, gives the worked example's outputs; `tuopin split` rejects the
#    same rows as the run;
#  - a stray quote before the last household: only its line is rejected;
#  - quarter.csv with a NUL byte in one household id, a byte-order mark at
#    the start of a data line and inside another id, and a control character
#    in a third household's id: those households are rejected whole (the
#    faulty row ROW_ENCODING, its household's other rows HOUSEHOLD_INCOMPLETE
#    — one block, no look-alike, no HOUSEHOLD_SPLIT — or BAD_HOUSEHOLD_ID),
#    every other household as in the worked example;
#  - the same in JSON Lines (\u0000, \ufeff, \u0001 in ids);
#  - a byte-order mark inside the header is a fatal error that says so;
#  - `tuopin inspect` names the stray lines; the closing line counts lines.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python
command -v iconv >/dev/null 2>&1 || { echo "SKIP: iconv is needed" >&2; exit 77; }

S="$EXAMPLES/stray.csv"
XS="$EXAMPLES/expected-stray"
XQ="$EXAMPLES/expected-quarter"
NAT="$EXAMPLES/national.lua"

# ---- CR LF, GB18030 ------------------------------------------------------------
python3 - "$S" "$tmp/crlf.csv" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
assert b"\r\n" not in d
open(sys.argv[2], "wb").write(d.replace(b"\n", b"\r\n"))
PY
run_tuopin "$tmp/crlf" "$NAT" --input "$tmp/crlf.csv"
[ "$status" -eq 0 ] || { fail "CR LF: exit status $status"; cat "$tmp/crlf.stderr" >&2; }
compare "CR LF households" "$XS/households.csv" "$tmp/crlf/households.csv" --exact-header --sets fails,warnings
compare "CR LF rejects" "$XS/rejects.csv" "$tmp/crlf/rejects.csv"

iconv -f UTF-8 -t GB18030 "$S" >"$tmp/gb.csv" || { fail "iconv"; finish; }
run_tuopin "$tmp/gb" "$NAT" --input "$tmp/gb.csv" --encoding gb18030
[ "$status" -eq 0 ] || { fail "GB18030: exit status $status"; cat "$tmp/gb.stderr" >&2; }
compare "GB18030 households" "$XS/households.csv" "$tmp/gb/households.csv" --exact-header --sets fails,warnings
compare "GB18030 rejects" "$XS/rejects.csv" "$tmp/gb/rejects.csv"

# ---- split cuts the same way ----------------------------------------------------------
"$TUOPIN" split "$S" --by county --out "$tmp/split" --quiet 2>"$tmp/split.err" \
    || fail "split: $(cat "$tmp/split.err")"
compare "split rejects" "$XS/rejects.csv" "$tmp/split/rejects.csv"

# ---- a stray quote in the last household, the file without a final LF ---------------
# quarter.csv ends with H1010000059's three rows; a quote typed into the
# first row's name runs to the quote of the second row's note.  The second
# row on its own has the header's fields: only the first row is rejected as
# ROW_UNTERMINATED_QUOTE, the other two as HOUSEHOLD_INCOMPLETE.
python3 - "$EXAMPLES/quarter.csv" "$XQ" "$tmp/last.csv" "$tmp/last_hh.csv" "$tmp/last_rej.csv" <<'PY'
import csv, sys
src, xq, out, want_hh, want_rej = sys.argv[1:]
lines = open(src, "rb").read().rstrip(b"\n").split(b"\n")
n = len(lines)
assert all(b"H1010000059" in l for l in lines[-3:]) and b"H1010000059" not in lines[-4]
assert lines[-3].count(b'"') == 0 and lines[-2].count(b'"') == 2
lines[-3] = lines[-3].replace(b"A,", b'A,"', 1)
open(out, "wb").write(b"\n".join(lines))
with open(xq + "/households.csv", encoding="utf-8-sig", newline="") as f, \
     open(want_hh, "w", encoding="utf-8", newline="") as g:
    w = csv.writer(g, lineterminator="\n")
    for row in csv.reader(f):
        if row[0] != "H1010000059":
            w.writerow(row)
want = [r for r in csv.reader(open(xq + "/rejects.csv", encoding="utf-8-sig", newline=""))]
want += [[str(n - 2), "H1010000059", "ROW_UNTERMINATED_QUOTE"],
         [str(n - 1), "H1010000059", "HOUSEHOLD_INCOMPLETE"],
         [str(n), "H1010000059", "HOUSEHOLD_INCOMPLETE"]]
with open(want_rej, "w", encoding="utf-8", newline="") as g:
    csv.writer(g, lineterminator="\n").writerows(want)
PY
run_tuopin "$tmp/last" "$NAT" --input "$tmp/last.csv"
[ "$status" -eq 0 ] || { fail "stray in the last household: exit status $status"; cat "$tmp/last.stderr" >&2; }
compare "stray in the last household: households" "$tmp/last_hh.csv" "$tmp/last/households.csv" --exact-header --sets fails,warnings
compare "stray in the last household: rejects" "$tmp/last_rej.csv" "$tmp/last/rejects.csv"

# ---- NUL, byte-order marks and control characters in quarter.csv ---------------------
python3 - "$EXAMPLES/quarter.csv" "$XQ" "$tmp/odd.csv" "$tmp/odd_hh.csv" "$tmp/odd_rej.csv" <<'PY'
import csv, io, sys
src, xq, out, want_hh, want_rej = sys.argv[1:]
raw = open(src, "rb").read()
assert raw.startswith(b"\xef\xbb\xbf")
text = raw[3:].decode("utf-8")
# records with the physical line each starts on
recs, line = [], 1
rd = csv.reader(io.StringIO(text, newline=""))
prev = 0
for row in rd:
    start = prev + 1
    prev = rd.line_num
    if row:
        recs.append((start, row, rd.line_num - start + 1))
hdr = recs[0][1]
hid = hdr.index("household_id")
rows = recs[1:]
# households whose rows are all one line each, with at least two rows, and
# not rejected in the worked example
rej = {r["household_id"] for r in csv.DictReader(open(xq + "/rejects.csv", encoding="utf-8-sig"))}
by = {}
order = []
for start, row, n in rows:
    h = row[hid]
    if h not in by:
        by[h] = []
        order.append(h)
    by[h].append((start, row, n))
cands = [h for h in order if h not in rej and len(by[h]) >= 2 and all(n == 1 for _, _, n in by[h])]
assert len(cands) >= 4, cands
nul_h, bomline_h, bomid_h, ctl_h = cands[:4]
lines = raw.split(b"\n")
def edit(lineno, fn):
    lines[lineno - 1] = fn(lines[lineno - 1])
hidb = lambda h: h.encode()
# a NUL byte after the id on the household's second row
edit(by[nul_h][1][0], lambda l: l.replace(b"," + hidb(nul_h) + b",", b"," + hidb(nul_h) + b"\x00,", 1))
# a byte-order mark at the start of the second row's line
edit(by[bomline_h][1][0], lambda l: b"\xef\xbb\xbf" + l)
# a byte-order mark before the id on the first row
edit(by[bomid_h][0][0], lambda l: l.replace(b"," + hidb(bomid_h) + b",", b",\xef\xbb\xbf" + hidb(bomid_h) + b",", 1))
# a control character (U+0001) inside the id, on every row
for start, _, _ in by[ctl_h]:
    edit(start, lambda l: l.replace(b"," + hidb(ctl_h) + b",", b"," + hidb(ctl_h) + b"\x01,", 1))
open(out, "wb").write(b"\n".join(lines))
gone = {nul_h, bomline_h, bomid_h, ctl_h}
with open(xq + "/households.csv", encoding="utf-8-sig", newline="") as f, \
     open(want_hh, "w", encoding="utf-8", newline="") as g:
    r = csv.reader(f); w = csv.writer(g, lineterminator="\n")
    for i, row in enumerate(r):
        if i == 0 or row[0] not in gone:
            w.writerow(row)
want = [r for r in csv.reader(open(xq + "/rejects.csv", encoding="utf-8-sig", newline=""))]
for h, bad in ((nul_h, 1), (bomline_h, 1), (bomid_h, 0)):
    for k, (start, _, _) in enumerate(by[h]):
        want.append([str(start), h, "ROW_ENCODING" if k == bad else "HOUSEHOLD_INCOMPLETE"])
for start, _, _ in by[ctl_h]:
    want.append([str(start), ctl_h + "\x01", "BAD_HOUSEHOLD_ID"])
want[1:] = sorted(want[1:], key=lambda r: int(r[0]))
with open(want_rej, "w", encoding="utf-8", newline="") as g:
    csv.writer(g, lineterminator="\n").writerows(want)
PY
[ -s "$tmp/odd.csv" ] || { fail "could not build the look-alike input"; finish; }
run_tuopin "$tmp/odd" "$NAT" --input "$tmp/odd.csv"
[ "$status" -eq 0 ] || { fail "look-alikes: exit status $status"; cat "$tmp/odd.stderr" >&2; }
compare "look-alike households" "$tmp/odd_hh.csv" "$tmp/odd/households.csv" --exact-header --sets fails,warnings
compare "look-alike rejects" "$tmp/odd_rej.csv" "$tmp/odd/rejects.csv"
grep -q 'HOUSEHOLD_SPLIT' "$tmp/odd/rejects.csv" && fail "look-alikes: a HOUSEHOLD_SPLIT: $(grep HOUSEHOLD_SPLIT "$tmp/odd/rejects.csv")"
# the raw column shows the NUL and the byte-order marks as \xNN, never the bytes
# (after the one mark the file begins with, docs/outputs.md)
python3 - "$tmp/odd/rejects.csv" <<'PY' || fail "rejects.csv holds a NUL byte or a byte-order mark, or the raw column does not show them escaped"
import sys
d = open(sys.argv[1], "rb").read()
if not d.startswith(b"\xef\xbb\xbf"):
    sys.exit(1)
d = d[3:]
sys.exit(0 if b"\x00" not in d and b"\xef\xbb\xbf" not in d and d.count(b"\\x00") == 1
         and d.count(b"\\xEF\\xBB\\xBF") == 2 else 1)
PY

# ---- JSON Lines -------------------------------------------------------------------
cat >"$tmp/j.jsonl" <<'JL'
{"household_id":"J1","region_code":"110101001001","status":"poor","wage_income":"9000","operating_income":"0","operating_cost":"0","property_income":"0","transfer_income":"0","person_id":"","relation":"head"}
{"household_id":"J1\u0000","region_code":"110101001001","status":"poor","wage_income":"9000","operating_income":"0","operating_cost":"0","property_income":"0","transfer_income":"0","person_id":"","relation":"spouse"}
{"household_id":"J2","region_code":"110101001001","status":"poor","wage_income":"9000","operating_income":"0","operating_cost":"0","property_income":"0","transfer_income":"0","person_id":"","relation":"head"}
{"household_id":"\ufeffJ3","region_code":"110101001001","status":"poor","wage_income":"9000","operating_income":"0","operating_cost":"0","property_income":"0","transfer_income":"0","person_id":"","relation":"head"}
{"household_id":"J4\u0001","region_code":"110101001001","status":"poor","wage_income":"9000","operating_income":"0","operating_cost":"0","property_income":"0","transfer_income":"0","person_id":"","relation":"head"}
JL
printf 'line,household_id,code\n1,J1,HOUSEHOLD_INCOMPLETE\n2,J1,ROW_ENCODING\n4,J3,ROW_ENCODING\n5,J4\001,BAD_HOUSEHOLD_ID\n' >"$tmp/j.want"
run_tuopin "$tmp/j" "$DATA/income.lua" --input "$tmp/j.jsonl"
[ "$status" -eq 0 ] || { fail "JSONL: exit status $status"; cat "$tmp/j.stderr" >&2; }
compare "JSONL rejects" "$tmp/j.want" "$tmp/j/rejects.csv"
[ "$(cut -d, -f1 "$tmp/j/households.csv" | tail -n +2)" = "J2" ] \
    || fail "JSONL: households.csv should hold J2 alone: $(cat "$tmp/j/households.csv")"

# ---- a second byte-order mark at the start: the header holds it ----------------------
printf '\357\273\277\357\273\277household_id,region_code,status\nH1,110101001001,poor\n' >"$tmp/bom2.csv"
expect_fatal "a byte-order mark inside the header" "line 1" "byte-order mark" -- \
    run "$DATA/income.lua" --input "$tmp/bom2.csv" --out "$tmp/bom2"

# ---- inspect, the closing line ----------------------------------------------------------
"$TUOPIN" --lang en inspect "$S" >"$tmp/inspect.out" 2>&1 || fail "inspect failed: $(cat "$tmp/inspect.out")"
grep -q '^Stray quotes: 3 lines .*lines: 37, 125, 179$' "$tmp/inspect.out" \
    || fail "inspect does not point at the stray lines: $(cat "$tmp/inspect.out")"
grep -q '^Records: .* from 286 lines' "$tmp/inspect.out" || fail "inspect does not count the lines"
"$TUOPIN" --lang zh run "$NAT" --input "$S" --out "$tmp/zh" 2>"$tmp/zh.err" || fail "zh run failed"
grep -q '拒收 15 行（输入共 286 个物理行）' "$tmp/zh.err" || fail "zh closing line: $(cat "$tmp/zh.err")"
finish
