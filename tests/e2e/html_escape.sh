#!/bin/sh
# html_escape.sh — issue 18 item 3: no markup from data reaches report.html or
# compare.html unescaped.  Markup is planted in every field that reaches the
# pages: the input file's name, a rule script's name, version and finding
# detail, the run folder's name (report.html, compare.html); region codes and
# quarter labels written into a run's results.sqlite and into the history
# (compare, history add: refused with an error naming the column, without
# the planted text).
. "$abs_top_srcdir/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 is needed" >&2; exit 77; }

# no_markup FILE WHAT: none of the planted tags appears as a tag
no_markup() {
    for m in '<script>alert' '<b id=pwn' '<i id=pwn' 'onerror=alert'; do
        if grep -qF "$m" "$1"; then
            fail "$2: planted markup '$m' unescaped: $(grep -oF "$m" "$1" | head -1)"
        fi
    done
}

# report.html: input file name, script name, version
in="$tmp/in\"><b id=pwn1>&amp.csv"
cp "$abs_top_srcdir/examples/quarter-2020Q3.csv" "$in"
cat >"$tmp/s.lua" <<'LUA'
return { name = "<script>alert(1)</script>", version = "\"><i id=pwn2>&x",
         check = function(hh) hh:warn("W", "\"><b id=pwn3 onerror=alert(3)>") end }
LUA
cat >"$tmp/p.lua" <<'LUA'
quarter "2020Q3"
params { income_line = 4000 }
stage "identity"
stage "income"
stage { script = "s.lua" }
LUA
if "$TUOPIN" run "$tmp/p.lua" --input "$in" --out "$tmp/r1" --quiet 2>"$tmp/r1.err"; then
    no_markup "$tmp/r1/report.html" "report.html"
    grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/r1/report.html" \
        || fail "report.html does not show the script's name escaped"
    grep -qF '&quot;&gt;&lt;i id=pwn2&gt;&amp;x' "$tmp/r1/report.html" \
        || fail "report.html does not show the script's version escaped"
    grep -qF '&quot;&gt;&lt;b id=pwn1&gt;&amp;amp.csv' "$tmp/r1/report.html" \
        || fail "report.html does not show the input file name escaped"
else
    fail "run with planted markup: $(cat "$tmp/r1.err")"
fi

# compare.html from two good run folders, one named with markup
run() { # QUARTER INPUT OUT
    printf 'quarter "%s"\nparams { income_line = 4000 }\nstage "identity"\nstage "income"\n' "$1" >"$tmp/q.lua"
    "$TUOPIN" run "$tmp/q.lua" --input "$2" --out "$3" --quiet 2>"$tmp/run.err" \
        || fail "run $1: $(cat "$tmp/run.err")"
}
R3="$tmp/r3\"><b id=pwn4>"
R4="$tmp/r4"
run 2020Q3 "$abs_top_srcdir/examples/quarter-2020Q3.csv" "$R3"
run 2020Q4 "$abs_top_srcdir/examples/quarter-2020Q4.csv" "$R4"
if "$TUOPIN" compare "$R3" "$R4" --out "$tmp/c1" --quiet 2>"$tmp/c1.err"; then
    no_markup "$tmp/c1/compare.html" "compare.html (good runs)"
else
    fail "compare of good runs: $(cat "$tmp/c1.err")"
fi

# a region code with markup in a run's results.sqlite: refused, naming the column
cp -r "$R4" "$tmp/bad-region"
sqlite3 "$tmp/bad-region/results.sqlite" \
    "UPDATE households SET region_code='<b id=pwn5>' WHERE id=(SELECT min(id) FROM households)" \
    || fail "sqlite3 update"
if "$TUOPIN" compare "$R3" "$tmp/bad-region" --out "$tmp/c2" --quiet 2>"$tmp/c2.err"; then
    fail "compare accepted a region code with markup"
    [ -f "$tmp/c2/compare.html" ] && no_markup "$tmp/c2/compare.html" "compare.html (region code)"
else
    grep -q 'region_code' "$tmp/c2.err" || fail "the error does not name region_code: $(cat "$tmp/c2.err")"
    no_markup "$tmp/c2.err" "compare's error"
    [ "$(wc -l <"$tmp/c2.err")" = 1 ] || fail "compare's error is not one line"
fi
if "$TUOPIN" history add "$tmp/bad-region" --history "$tmp/h-bad.sqlite" --quiet 2>"$tmp/h1.err"; then
    fail "history add copied a region code with markup"
else
    grep -q 'region_code' "$tmp/h1.err" || fail "history add's error does not name region_code: $(cat "$tmp/h1.err")"
fi

# a quarter label with markup in a run's results.sqlite
cp -r "$R4" "$tmp/bad-quarter"
sqlite3 "$tmp/bad-quarter/results.sqlite" "UPDATE run SET quarter='<i id=pwn6>'" || fail "sqlite3 update"
if "$TUOPIN" compare "$R3" "$tmp/bad-quarter" --out "$tmp/c3" --quiet 2>"$tmp/c3.err"; then
    fail "compare accepted a quarter label with markup"
    [ -f "$tmp/c3/compare.html" ] && no_markup "$tmp/c3/compare.html" "compare.html (quarter)"
else
    grep -q 'YYYYQn' "$tmp/c3.err" || fail "the error does not say what a quarter is: $(cat "$tmp/c3.err")"
    no_markup "$tmp/c3.err" "compare's error (quarter)"
fi
"$TUOPIN" history add "$tmp/bad-quarter" --history "$tmp/h-bad.sqlite" --quiet 2>"$tmp/h2.err" \
    && fail "history add copied a quarter label with markup"

# the history: planted after a good history add
H="$tmp/h.sqlite"
"$TUOPIN" history add "$R3" --history "$H" --quiet 2>"$tmp/h.err" || fail "history add: $(cat "$tmp/h.err")"
"$TUOPIN" history add "$R4" --history "$H" --quiet 2>"$tmp/h.err" || fail "history add: $(cat "$tmp/h.err")"
sqlite3 "$H" "UPDATE households SET region_code='<script>alert(7)</script>' WHERE household_id=(SELECT min(household_id) FROM households WHERE state='evaluated')" \
    || fail "sqlite3 update"
if "$TUOPIN" compare 2020Q3 2020Q4 --history "$H" --out "$tmp/c4" --quiet 2>"$tmp/c4.err"; then
    fail "compare accepted a history region code with markup"
    [ -f "$tmp/c4/compare.html" ] && no_markup "$tmp/c4/compare.html" "compare.html (history)"
else
    grep -q 'region_code' "$tmp/c4.err" || fail "the error does not name region_code: $(cat "$tmp/c4.err")"
    no_markup "$tmp/c4.err" "compare's error (history)"
fi
finish
