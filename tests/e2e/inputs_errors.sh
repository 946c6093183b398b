#!/bin/sh
# inputs_errors.sh — every fault of the new input forms gives its documented
# error or reject (docs/inputs.md):
#   - bytes that are not GB18030 → that row ROW_ENCODING with its line, the
#     household's other rows HOUSEHOLD_INCOMPLETE, everything else evaluated;
#   - a character cut off at the end of the file → the last row ROW_ENCODING;
#   - a GB18030 export read as UTF-8 → a fatal error that says
#     --encoding gb18030 (header), or ROW_ENCODING rows and a notice that
#     says it (ASCII header);
#   - unknown columns are extra columns, unless a needed one is missing:
#     fatal, naming it;
#   - values the mapping does not list pass unchanged: BAD_VALUE / BAD_STATUS;
#   - a malformed JSON line → ROW_FIELD_COUNT with its line; a key the first
#     line lacks → ROW_FIELD_COUNT;
#   - a broken mapping file, an unknown encoding or format → fatal, naming it.
. "$abs_top_srcdir/tests/e2e/lib.sh"
. "$abs_top_srcdir/tests/e2e/inputs_lib.sh"
need_python
baseline

python3 "$E2E/to_system.py" "$Q" "$tmp/export.csv" || { fail "to_system.py"; finish; }

# reject_at FILE LINE CODE: rejects.csv has a row for LINE with CODE.
reject_at() {
    grep -q "^$2,[^,]*,$3," "$1" || { fail "$1: no $3 reject on line $2"; head -5 "$1" >&2; }
}

# ---- bytes that are not GB18030, and a cut-off character at the end -----------
python3 - "$tmp/export.csv" "$tmp/bad.csv" >"$tmp/bad.lines" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
recs = data.split(b"\r\n")[:-1]
# Record 40 gets 0x80 in a field, record 41 a lead byte just before its line
# break; the file ends in half a character with no line break.  Prints the
# physical lines of the three (a quoted field may hold a line break).
recs[39] = recs[39].replace(b",", b",\x80", 1)
recs[40] = recs[40] + b"\x81"
recs.append(recs[-1].split(b",")[0] + b",x\xd6")
out = b"\r\n".join(recs)
open(sys.argv[2], "wb").write(out)
line = 1
for i, r in enumerate(recs):
    if i in (39, 40, len(recs) - 1):
        print(line)
    line += r.count(b"\n") + 1
PY
pipeline "$tmp/bad.lua" 'path = "bad.csv", encoding = "gb18030", mapping = "national-system"'
run_tuopin "$tmp/b" "$tmp/bad.lua" --quiet
[ "$status" -eq 0 ] || { fail "bad GB18030 bytes: exit status $status"; cat "$tmp/b.stderr" >&2; }
for l in $(cat "$tmp/bad.lines"); do reject_at "$tmp/b/rejects.csv" "$l" ROW_ENCODING; done
grep -q ',HOUSEHOLD_INCOMPLETE,' "$tmp/b/rejects.csv" || fail "the households' other rows are not HOUSEHOLD_INCOMPLETE"
# Only the households of those rows are missing from households.csv.
python3 - "$tmp/a/households.csv" "$tmp/b/households.csv" "$tmp/b/rejects.csv" <<'PY' || fail "bad bytes changed other households"
import csv, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
b = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
rejected = {r[1] for r in list(csv.reader(open(sys.argv[3], encoding="utf-8-sig")))[1:]}
want = [r for r in a if r[0] not in rejected]
sys.exit(0 if want == b and len(b) < len(a) else 1)
PY

# ---- GB18030 read as UTF-8 ------------------------------------------------------------
pipeline "$tmp/u.lua" 'path = "export.csv", mapping = "national-system"'
expect_fatal "GB18030 title and header read as UTF-8" "line 1" "not valid UTF-8" "--encoding gb18030" -- \
    run "$tmp/u.lua" --out "$tmp/x1"
# An ASCII header and GB18030 rows: the rows are rejected and a notice says why.
iconv -f UTF-8 -t GB18030 "$Q" >"$tmp/ascii_header.csv"
run_tuopin "$tmp/c" "$tmp/a.lua" --input "$tmp/ascii_header.csv"
[ "$status" -eq 0 ] || fail "ASCII header, GB18030 rows: exit status $status"
grep -q 'run with --encoding gb18030' "$tmp/c.stderr" || { fail "no notice suggesting --encoding gb18030"; cat "$tmp/c.stderr" >&2; }
grep -q ',ROW_ENCODING,' "$tmp/c/rejects.csv" || fail "GB18030 rows read as UTF-8 are not ROW_ENCODING"

# ---- columns --------------------------------------------------------------------------
# An unknown extra column is carried; a needed column under an unknown name is fatal.
sed '1s/^household_id,region_code,status,/household_id,region_code,status_of_household,/' "$Q" >"$tmp/nostatus.csv"
expect_fatal "unknown name for status" "lacks column status" -- \
    run "$tmp/a.lua" --input "$tmp/nostatus.csv" --out "$tmp/x2"
sed '1s/stable_job/是否有稳定就业/' "$Q" >"$tmp/extra.csv"
run_tuopin "$tmp/d" "$tmp/a.lua" --input "$tmp/extra.csv" --quiet
same_households "an unknown extra column" "$tmp/d"

# ---- values the mapping does not list -------------------------------------------------
python3 - "$Q" "$tmp/unmapped_src.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
h = rows[0]
s, st, hid = h.index("school_status"), h.index("status"), h.index("household_id")
# one member's school status in a spelling nobody maps, one household's status 注销
target = next(i for i in range(1, len(rows)) if rows[i][s] in ("junior", "primary"))
rows[target][s] = "初一年级"
victim = rows[target + 40][hid]
for r in rows[1:]:
    if r[hid] == victim:
        r[st] = "注销"
open(sys.argv[2], "w", encoding="utf-8", newline="").write(
    "".join(",".join('"%s"' % f.replace('"', '""') if any(c in f for c in ',"\n') else f for f in r) + "\n" for r in rows))
print(rows[target][hid], victim)
PY
python3 "$E2E/to_system.py" "$tmp/unmapped_src.csv" "$tmp/unmapped.csv"
pipeline "$tmp/m.lua" 'path = "unmapped.csv", encoding = "gb18030", mapping = "national-system"'
run_tuopin "$tmp/e" "$tmp/m.lua" --quiet
[ "$status" -eq 0 ] || { fail "unmapped values: exit status $status"; cat "$tmp/e.stderr" >&2; }
grep -q ',education,fail,BAD_VALUE,' "$tmp/e/findings.csv" || fail "an unmapped school status is not BAD_VALUE"
grep -q ',BAD_STATUS,' "$tmp/e/rejects.csv" || fail "status 注销 is not BAD_STATUS"

# ---- JSON Lines -------------------------------------------------------------------------
python3 "$E2E/to_jsonl.py" "$Q" >"$tmp/q.jsonl"
awk 'NR == 7 { sub(/"members":\[/, "\"members\":[{\"name\":}, ") } NR == 9 { sub(/^\{/, "{\"phone\":\"1\",") } { print }' \
    "$tmp/q.jsonl" >"$tmp/bad.jsonl"
run_tuopin "$tmp/f" "$tmp/a.lua" --input "$tmp/bad.jsonl" --quiet
[ "$status" -eq 0 ] || { fail "bad JSON lines: exit status $status"; cat "$tmp/f.stderr" >&2; }
reject_at "$tmp/f/rejects.csv" 7 ROW_FIELD_COUNT
reject_at "$tmp/f/rejects.csv" 9 ROW_FIELD_COUNT
[ "$(grep -c '^7,' "$tmp/f/rejects.csv")" -eq 1 ] || fail "a malformed JSON line should be one reject row"
grep -q '^9,H[0-9]*,ROW_FIELD_COUNT,' "$tmp/f/rejects.csv" || fail "a line with an unknown key should name its household"
printf '{"household_id":"H1",}\n' >"$tmp/first.jsonl"
expect_fatal "malformed first JSON line" "line 1" "first line" -- \
    run "$tmp/a.lua" --input "$tmp/first.jsonl" --out "$tmp/x3"

# ---- options and files --------------------------------------------------------------------
printf 'columns = { status = function() end }\n' >"$tmp/broken.lua"
pipeline "$tmp/bm.lua" "path = \"$Q\", mapping = \"broken.lua\""
expect_fatal "broken mapping" "broken.lua" "columns.status" -- run "$tmp/bm.lua" --out "$tmp/x4"
pipeline "$tmp/nm.lua" "path = \"$Q\", mapping = \"no-such-layout\""
expect_fatal "unknown shipped mapping" "no-such-layout" -- run "$tmp/nm.lua" --out "$tmp/x5"
expect_fatal "unknown encoding" "latin1" "not supported" -- \
    run "$tmp/a.lua" --encoding latin1 --out "$tmp/x6"
pipeline "$tmp/fm.lua" "path = \"$Q\", format = \"xlsx\""
expect_fatal "unknown format" "xlsx" -- run "$tmp/fm.lua" --out "$tmp/x7"
pipeline "$tmp/pp.lua" "path = \"$Q\", postgres = \"dbname=x\", query = \"SELECT 1 ORDER BY 1\""
expect_fatal "path and postgres" "either path or postgres" -- run "$tmp/pp.lua" --out "$tmp/x8"
pipeline "$tmp/pq.lua" "postgres = \"dbname=x\", query = \"SELECT * FROM q\""
expect_fatal "postgres without ORDER BY" "has no ORDER BY" -- run "$tmp/pq.lua" --out "$tmp/x9"
finish
