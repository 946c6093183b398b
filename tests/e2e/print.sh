#!/bin/sh
# print.sh — report.html and compare.html printed to PDF by headless Chromium
# (A4, the page's own print rules) hold every county's row, decision words
# whole, and no language button (issue 17 item 1).  The run has 40 counties
# (60,000 generated households): more than one printed page of counties.
. "$abs_top_srcdir/tests/e2e/lib.sh"

chrome=
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then chrome=$c; break; fi
done
if [ -z "$chrome" ] || ! command -v pdftotext >/dev/null 2>&1; then
    echo "SKIP: chromium and pdftotext (poppler-utils) are needed to print the reports" >&2
    exit 77
fi

print_pdf() {   # HTML PDF
    HOME=$tmp timeout 600 "$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
    [ -s "$2" ] || fail "chromium printed nothing from $1"
}

cd "$tmp" || exit 99
"$TUOPIN" gen --profile stress --quarters 2 --households 60000 --seed 1 --quarter 2020Q3 --out g 2>/dev/null || exit 99
for q in 2020Q3 2020Q4; do
    "$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input g-$q.csv --quarter $q --out r$q -q \
        || { fail "run $q"; finish; }
done
"$TUOPIN" compare r2020Q3 r2020Q4 --out cmp --quiet || { fail "compare"; finish; }
n=$(($(wc -l < r2020Q4/counties.csv) - 1))
[ "$n" -ge 20 ] || fail "only $n counties: the test needs at least 20"

print_pdf "$tmp/r2020Q4/report.html" report.pdf
print_pdf "$tmp/cmp/compare.html" compare.pdf
pdftotext -layout report.pdf report.txt || fail "pdftotext report.pdf"
pdftotext -layout compare.pdf compare.txt || fail "pdftotext compare.pdf"

# every county's row of the decision table (the first place its code starts
# a line): its code, then its persons and poor after the assessment side by
# side (counties.csv columns 1, 3, 4), on that line or the next 3 (a row with
# long reasons takes several lines of text)
tail -n +2 r2020Q4/counties.csv | while IFS=, read -r code w persons poor rest; do
    awk -v c="$code" 'n > 0 && n < 4 { buf = buf " " $0; n++ } $1 == c && !n { buf = $0; n = 1 }
                      END { print buf }' report.txt | grep -Eq " $persons +$poor( |\$)" || echo "$code"
done > missing-report
[ -s missing-report ] && fail "report.pdf lacks the decision rows of $(wc -l < missing-report) of $n counties: $(tr '\n' ' ' < missing-report)"
# every county's row of compare.html's county table (a code, then counts)
tail -n +2 r2020Q4/counties.csv | cut -d, -f1 | while read -r code; do
    grep -Eq "^ *$code( [^ ]+)* +[0-9]+ +[0-9]+" compare.txt || echo "$code"
done > missing-compare
[ -s missing-compare ] && fail "compare.pdf lacks the rows of $(wc -l < missing-compare) of $n counties: $(tr '\n' ' ' < missing-compare)"

# decision words whole (not one character per line); no language button
grep -q "未达到退出标准" report.txt || fail "report.pdf: the decision 未达到退出标准 is broken across lines"
for p in report compare; do
    grep -qw English $p.txt && fail "$p.pdf prints the language button"
done
finish
