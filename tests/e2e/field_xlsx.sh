#!/bin/sh
# field_xlsx.sh — `tuopin estimate --field` reads the filled field workbooks
# (field-COUNTY.xlsx) themselves, not only the households sheet saved as CSV:
#   - the workbooks of a sample, filled with the field rows in every cell form
#     a spreadsheet stores (shared and inline strings, formula results,
#     numbers in exponent form, booleans, serial dates, blank rows), give the
#     same field_households.csv, estimates.csv, field_counties.csv and
#     agreement.csv as the equivalent CSV file, and the same NOT_SAMPLED
#     lines (field-rows.csv, kept in the output folder, is that CSV with a
#     first column naming each row's file, sheet and row);
#   - a folder of workbooks, or the workbooks given one --field each;
#   - refused with the file, sheet and cell: an edited header, an error
#     value; refused: a workbook of another sample, a county given twice, a
#     file that is not a workbook — with nothing written;
#   - a value outside a drop-down list is read as written and named, with
#     its cell, in a warning.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

"$TUOPIN" gen --profile stress --households 1500 --seed 5 --quarter 2020Q4 --out "$tmp/gen.csv" || fail "gen"
python3 "$E2E/field_frame.py" "$tmp/gen.csv" "$tmp/q.csv" || fail "field_frame.py"
"$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "$tmp/q.csv" --quarter 2020Q4 \
    --out "$tmp/run" --jobs 1 --quiet || fail "run"
"$TUOPIN" sample "$tmp/run" --out "$tmp/s" --seed 42 --param households_per_domain=4 --quiet || fail "sample"
"$TUOPIN" gen --field "$tmp/s" --registry "$tmp/q.csv" --seed 3 --out "$tmp/field.csv" || fail "gen --field"
mkdir "$tmp/filled" && python3 "$E2E/field_fill_xlsx.py" "$tmp/s" "$tmp/field.csv" "$tmp/filled" "$tmp/filled.csv" \
    || fail "field_fill_xlsx.py"

"$TUOPIN" estimate "$tmp/s" --field "$tmp/filled.csv" --out "$tmp/ecsv" --quiet 2>"$tmp/log" \
    || fail "estimate from the CSV: $(cat "$tmp/log")"
"$TUOPIN" estimate "$tmp/s" --field "$tmp/filled" --out "$tmp/exlsx" --quiet 2>"$tmp/log" \
    || fail "estimate from the workbooks: $(cat "$tmp/log")"
for f in field_households.csv estimates.csv field_counties.csv agreement.csv; do
    cmp -s "$tmp/ecsv/$f" "$tmp/exlsx/$f" || fail "$f differs between the workbooks and the equivalent CSV"
done
cut -d, -f1-3 "$tmp/ecsv/field_rejects.csv" >"$tmp/r1"
cut -d, -f1-3 "$tmp/exlsx/field_rejects.csv" >"$tmp/r2"
grep -q NOT_SAMPLED "$tmp/r1" && cmp -s "$tmp/r1" "$tmp/r2" || fail "field_rejects.csv: other NOT_SAMPLED lines"
[ "$(wc -l <"$tmp/exlsx/estimates.csv")" -gt 100 ] || fail "estimates.csv: too few rows"
# field-rows.csv: the equivalent CSV, with each row's source first
python3 - "$tmp/exlsx/field-rows.csv" "$tmp/filled.csv" "$tmp/filled" <<'PY' || fail "field-rows.csv"
import csv, os, re, sys
got = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
want = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
bad = []
if got[0] != ["出处 source"] + want[0]:
    bad.append("header %s" % got[0][:3])
if len(got) != len(want):
    bad.append("%d rows, want %d" % (len(got), len(want)))
for g, w in zip(got[1:], want[1:]):
    if not re.fullmatch(re.escape(sys.argv[3]) + r"/field-\d{6}\.xlsx, sheet 1, row \d+", g[0]):
        bad.append("source %s" % g[0]); break
    # the workbook's numbers in plain decimals, booleans as TRUE/FALSE, serial dates as dates
    norm = lambda i, v: ("TRUE" if v.lower() == "yes" else "FALSE" if v.lower() == "no" else v) if i == 22 else \
        (str(float(v)).rstrip("0").rstrip(".") if re.fullmatch(r"-?\d+\.\d+", v) and 6 <= i <= 11 else v)
    if [norm(i, v) for i, v in enumerate(w)] != [norm(i, v) for i, v in enumerate(g[1:])]:
        bad.append("row %s: %s, want %s" % (g[0], g[1:], w)); break
for b in bad: print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# the workbooks one --field each (in another order: the county order is the files')
set --
for f in "$tmp"/filled/field-*.xlsx; do set -- --field "$f" "$@"; done
"$TUOPIN" estimate "$tmp/s" "$@" --out "$tmp/eargs" --quiet 2>"$tmp/log" || fail "estimate, one --field per workbook: $(cat "$tmp/log")"
cmp -s "$tmp/ecsv/estimates.csv" "$tmp/eargs/estimates.csv" || fail "one --field per workbook: estimates.csv differs"

# refused, nothing written
refused() {   # NAME PATTERN ARGS...
    name=$1 pat=$2
    shift 2
    "$TUOPIN" estimate "$tmp/s" "$@" --out "$tmp/bad-$name" 2>"$tmp/err"; rc=$?
    [ $rc -ne 0 ] && grep -q "$pat" "$tmp/err" || fail "$name: status $rc, $(cat "$tmp/err")"
    [ ! -e "$tmp/bad-$name" ] || fail "$name: the output folder was written"
}
first=$(ls "$tmp/filled" | head -1)
for edit in header errorvalue; do
    mkdir "$tmp/$edit"
    python3 "$E2E/field_fill_xlsx.py" "$tmp/s" "$tmp/field.csv" "$tmp/$edit" "$tmp/$edit.csv" $edit || fail "fill $edit"
done
refused header "header/$first, sheet 1, cell D1: the header reads “户号”, the sheet was written with “户编号”" \
    --field "$tmp/header"
refused errorvalue "errorvalue/$first, sheet 1, cell G2: “#N/A” is not a value" --field "$tmp/errorvalue"
"$TUOPIN" sample "$tmp/run" --out "$tmp/s43" --seed 43 --param households_per_domain=4 --quiet || fail "sample 43"
refused other "s43/$first: the workbook is of another sample (seed 43" --field "$tmp/s43/$first"
refused twice "county ${first#field-} was given already\|county $(echo "$first" | cut -c7-12) was given already" \
    --field "$tmp/filled/$first" --field "$tmp/filled/$first"
printf 'household_id\n' >"$tmp/not.xlsx"
refused notzip "not.xlsx: not an Excel workbook" --field "$tmp/not.xlsx"
refused mixed "not both" --field "$tmp/filled.csv" --field "$tmp/filled/$first"
refused encoding "not for workbooks" --field "$tmp/filled" --encoding gb18030

# a value outside a drop-down list: read as written, named with its cell
mkdir "$tmp/dropdown"
python3 "$E2E/field_fill_xlsx.py" "$tmp/s" "$tmp/field.csv" "$tmp/dropdown" "$tmp/dropdown.csv" dropdown || fail "fill dropdown"
"$TUOPIN" estimate "$tmp/s" --field "$tmp/dropdown" --out "$tmp/edrop" --quiet 2>"$tmp/err" || fail "dropdown: $(cat "$tmp/err")"
grep -q "dropdown/$first, sheet 1, cell P2: “maybe” is not a value of the column's drop-down list (是, 否)" "$tmp/err" \
    || fail "dropdown: no warning naming the cell: $(cat "$tmp/err")"
"$TUOPIN" estimate "$tmp/s" --field "$tmp/dropdown.csv" --out "$tmp/edropcsv" --quiet 2>/dev/null || fail "dropdown csv"
cmp -s "$tmp/edrop/field_households.csv" "$tmp/edropcsv/field_households.csv" \
    || fail "dropdown: the workbook's row is not read as the CSV's"
finish
