#!/bin/sh
# lang.sh — messages in the user's language (issue 7): --lang zh and --lang en
# give Chinese and English messages and finding details, and the same codes.
# A fatal error (a column the income stage needs is missing), a finding
# (INCOME_BELOW_LINE) and a message of a subcommand (history) in both.
. "$abs_top_srcdir/tests/e2e/lib.sh"

printf 'quarter "2020Q3"\nstage "income"\n' >"$tmp/p.lua"
printf 'household_id,region_code,status,wage_income,operating_income,operating_cost,property_income\nF1,110101001001,poor,5000,,,\n' >"$tmp/miss.csv"
printf 'household_id,region_code,status,wage_income,operating_income,operating_cost,property_income,transfer_income\nF1,110101001001,exited,1000,,,,0\nF2,110101001001,poor,9000,,,,0\n' >"$tmp/in.csv"

# ---- a fatal error ----------------------------------------------------------
for l in zh en; do
    if "$TUOPIN" --lang $l run "$tmp/p.lua" --input "$tmp/miss.csv" --out "$tmp/f_$l" 2>"$tmp/f_$l.err"; then
        fail "--lang $l: a missing column did not stop the run"
    fi
    [ "$(wc -l <"$tmp/f_$l.err")" -eq 1 ] || fail "--lang $l: not one line on standard error: $(cat "$tmp/f_$l.err")"
done
grep -q '表头缺少列 transfer_income' "$tmp/f_zh.err" && grep -q '检查环节 income' "$tmp/f_zh.err" \
    || fail "--lang zh: the missing column is not reported in Chinese: $(cat "$tmp/f_zh.err")"
grep -q 'the header lacks column transfer_income (转移性收入), which stage income needs' "$tmp/f_en.err" \
    || fail "--lang en: the missing column is not reported in English: $(cat "$tmp/f_en.err")"

# ---- a finding --------------------------------------------------------------
for l in zh en; do
    "$TUOPIN" --lang $l run "$tmp/p.lua" --input "$tmp/in.csv" --out "$tmp/o_$l" --quiet \
        || fail "--lang $l: the run failed"
done
grep -q '^F1,income,fail,INCOME_BELOW_LINE,,.*低于收入标准' "$tmp/o_zh/findings.csv" \
    || fail "--lang zh: no Chinese INCOME_BELOW_LINE detail: $(cat "$tmp/o_zh/findings.csv")"
grep -q '^F1,income,fail,INCOME_BELOW_LINE,,.*is below the line' "$tmp/o_en/findings.csv" \
    || fail "--lang en: no English INCOME_BELOW_LINE detail: $(cat "$tmp/o_en/findings.csv")"
# Codes, columns and everything but the detail are the same in both languages.
cut -d, -f1-5 "$tmp/o_zh/findings.csv" >"$tmp/codes_zh"
cut -d, -f1-5 "$tmp/o_en/findings.csv" >"$tmp/codes_en"
cmp -s "$tmp/codes_zh" "$tmp/codes_en" || fail "findings.csv: codes differ between --lang zh and --lang en"
for f in households.csv rejects.csv; do
    cmp -s "$tmp/o_zh/$f" "$tmp/o_en/$f" || fail "$f differs between --lang zh and --lang en"
done

# ---- a subcommand's message -------------------------------------------------
"$TUOPIN" --lang zh history list --history "$tmp/none.sqlite" 2>"$tmp/h_zh.err" && fail "history list of no history succeeded"
"$TUOPIN" --lang en history list --history "$tmp/none.sqlite" 2>"$tmp/h_en.err"
grep -q '没有这个历史库' "$tmp/h_zh.err" || fail "--lang zh: history: $(cat "$tmp/h_zh.err")"
grep -q 'no such history' "$tmp/h_en.err" || fail "--lang en: history: $(cat "$tmp/h_en.err")"

finish
