#!/bin/sh
# inputs_jsonl.sh — the quarter as JSON Lines (one household per line, its
# members as an array; tests/e2e/to_jsonl.py writes money as JSON numbers,
# blanks as null and some lines with \u escapes only) gives byte-identical
# households.csv and findings.csv to the canonical UTF-8 CSV: by the .jsonl
# extension, by format = "jsonl", and in GB18030.
. "$abs_top_srcdir/tests/e2e/lib.sh"
. "$abs_top_srcdir/tests/e2e/inputs_lib.sh"
need_python
baseline

python3 "$E2E/to_jsonl.py" "$Q" >"$tmp/q.jsonl" || { fail "to_jsonl.py"; finish; }
grep -q '\\u' "$tmp/q.jsonl" || fail "the JSONL fixture has no \\u escapes"

run_tuopin "$tmp/b" "$tmp/a.lua" --input "$tmp/q.jsonl" --quiet
[ "$status" -eq 0 ] || { fail "JSONL run: exit status $status"; cat "$tmp/b.stderr" >&2; }
same_households "JSON Lines (.jsonl)" "$tmp/b"
[ "$(wc -l <"$tmp/b/rejects.csv")" -eq 1 ] || fail "JSON Lines: rows were rejected"

cp "$tmp/q.jsonl" "$tmp/q.txt"
pipeline "$tmp/c.lua" 'path = "q.txt", format = "jsonl"'
run_tuopin "$tmp/c" "$tmp/c.lua" --quiet
[ "$status" -eq 0 ] || { fail "format = jsonl: exit status $status"; cat "$tmp/c.stderr" >&2; }
same_households "JSON Lines (format = jsonl)" "$tmp/c"

# --format on the command line instead of the pipeline
pipeline "$tmp/e.lua" 'path = "q.txt"'
run_tuopin "$tmp/e" "$tmp/e.lua" --format jsonl --quiet
[ "$status" -eq 0 ] || { fail "--format jsonl: exit status $status"; cat "$tmp/e.stderr" >&2; }
same_households "JSON Lines (--format jsonl)" "$tmp/e"
run_tuopin "$tmp/f" "$tmp/e.lua" --format xml --quiet
[ "$status" -eq 1 ] || fail "--format xml: exit status $status, not 1"
grep -q 'xml' "$tmp/f.stderr" || fail "--format xml: the error does not name the format: $(cat "$tmp/f.stderr")"

iconv -f UTF-8 -t GB18030 "$tmp/q.jsonl" >"$tmp/gb.jsonl"
run_tuopin "$tmp/d" "$tmp/a.lua" --input "$tmp/gb.jsonl" --encoding gb18030 --quiet
[ "$status" -eq 0 ] || { fail "GB18030 JSONL: exit status $status"; cat "$tmp/d.stderr" >&2; }
same_households "JSON Lines in GB18030" "$tmp/d"
finish
