#!/bin/sh
# inputs_gb18030.sh — the quarter as the national information system exports
# it (GB18030, CRLF, a title line above the header, the system's column names
# and value spellings: tests/e2e/to_system.py) read with encoding = "gb18030"
# and mapping = "national-system" gives byte-identical households.csv (and
# findings.csv) to the same quarter in canonical UTF-8.  Also through
# --encoding and --mapping on the command line, and the fingerprint is of the
# raw bytes.
. "$abs_top_srcdir/tests/e2e/lib.sh"
. "$abs_top_srcdir/tests/e2e/inputs_lib.sh"
need_python
baseline

python3 "$E2E/to_system.py" "$Q" "$tmp/export.csv" || { fail "to_system.py"; finish; }
# The fixture is what it claims: not UTF-8, CRLF, a title line.
if python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$tmp/export.csv" 2>/dev/null; then
    fail "the export is valid UTF-8: it should be GB18030"
fi
[ "$(head -1 "$tmp/export.csv" | od -c | grep -c '\\r')" -ge 1 ] || fail "the export has no CRLF"
head -1 "$tmp/export.csv" | iconv -f GB18030 -t UTF-8 | grep -q '导出' || fail "the export has no title line"

pipeline "$tmp/b.lua" 'path = "export.csv", encoding = "gb18030", mapping = "national-system"'
run_tuopin "$tmp/b" "$tmp/b.lua" --quiet
[ "$status" -eq 0 ] || { fail "GB18030 run: exit status $status"; cat "$tmp/b.stderr" >&2; }
same_households "GB18030 export + mapping" "$tmp/b"

# The encoding from the command line instead of the pipeline.
pipeline "$tmp/c.lua" 'path = "export.csv", mapping = "national-system"'
run_tuopin "$tmp/c" "$tmp/c.lua" --encoding GBK --quiet
[ "$status" -eq 0 ] || { fail "--encoding GBK run: exit status $status"; cat "$tmp/c.stderr" >&2; }
same_households "--encoding GBK" "$tmp/c"

# Encoding and mapping both from the command line; the mapping also as a
# file path (relative to the working folder, as a user would type it).
pipeline "$tmp/d.lua" 'path = "export.csv"'
run_tuopin "$tmp/d" "$tmp/d.lua" --encoding gb18030 --mapping national-system --quiet
[ "$status" -eq 0 ] || { fail "--mapping national-system run: exit status $status"; cat "$tmp/d.stderr" >&2; }
same_households "--encoding gb18030 --mapping national-system" "$tmp/d"
cp "$abs_top_srcdir/data/mappings/national-system.lua" "$tmp/my-mapping.lua"
(cd "$tmp" && "$TUOPIN" run d.lua --encoding gb18030 --mapping my-mapping.lua --out "$tmp/e" --quiet) \
    || fail "--mapping my-mapping.lua (a relative path) failed"
same_households "--mapping my-mapping.lua" "$tmp/e"
# without the mapping the system's column names are not the standard's
if "$TUOPIN" run "$tmp/d.lua" --encoding gb18030 --out "$tmp/f" --quiet 2>"$tmp/f.stderr"; then
    fail "the system's export without a mapping did not stop the run"
fi

# results.sqlite fingerprints the file's own bytes.
want=$(sha256sum "$tmp/export.csv" | cut -d' ' -f1)
python3 - "$tmp/b/results.sqlite" "$want" <<'PY' || fail "the run record's SHA-256 is not of the raw GB18030 bytes"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
for t in tables:
    cols = [r[1] for r in db.execute("pragma table_info(%s)" % t)]
    for c in cols:
        if "sha" in c.lower():
            if any(r[0] == sys.argv[2] for r in db.execute("select %s from %s" % (c, t))):
                sys.exit(0)
sys.exit(1)
PY
finish
