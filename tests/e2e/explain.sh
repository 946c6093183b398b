#!/bin/sh
# explain.sh — `tuopin explain RUN_DIR HOUSEHOLD_ID` on hand-made households
# (tests/e2e/data/explain.csv, quarter 2020Q4, national line 4000 yuan):
#   EX-PASS  2 members, net 10000.00 >= 4000 x 2: passes (can_exit)
#   EX-CENT  3 members, net 11999.99 = 4000 x 3 - 0.01: fails income by one
#            cent (standard §3.1: net < line x n); 1/3 cent per person short,
#            0.01 yuan rounded up; exited, so wrongly_exited (§4)
#   EX-GUAR  2 members, net 9000.00 passes; member 2 not insured:
#            MEDICAL_UNINSURED for member 2 (§3.4), remains_poor
#   EX-REJ   line 10 has one field too many: ROW_FIELD_COUNT, line 9
#            HOUSEHOLD_INCOMPLETE (§1); explain shows the rejected rows
# and a provincial pipeline (a rule script with stage params, pipeline
# params, two --param) checking every parameter's stated origin; a changed
# input is an error naming the file; an unknown household is an error; IDs
# are masked unless --reveal-ids; the HTML card prints on one A4 page.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

cp "$DATA/explain.csv" "$tmp/q.csv"
cat >"$tmp/national.lua" <<'EOF'
quarter "2020Q4"
input { path = "q.csv" }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
EOF
cat >"$tmp/province.lua" <<EOF
quarter "2020Q4"
input { path = "q.csv" }
params { income_tolerance = 2.00 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
stage { script = "$abs_top_srcdir/scripts/provinces/example_income.lua", params = { income_line = 4600 } }
EOF
"$TUOPIN" run "$tmp/national.lua" --out "$tmp/nat" --quiet || fail "the national run failed"
"$TUOPIN" run "$tmp/province.lua" --out "$tmp/prov" --quiet \
    --param example-income.working_age_min=18 --param near_line_margin=0.2 || fail "the provincial run failed"

for h in EX-PASS EX-CENT EX-GUAR EX-REJ; do
    "$TUOPIN" explain "$tmp/nat" "$h" --format json >"$tmp/$h.json" 2>"$tmp/$h.err" \
        || fail "explain $h failed: $(cat "$tmp/$h.err")"
done
"$TUOPIN" explain "$tmp/prov" EX-PASS --format json >"$tmp/prov.json" 2>"$tmp/prov.err" \
    || fail "explain EX-PASS of the provincial run failed: $(cat "$tmp/prov.err")"

python3 - "$tmp" <<'PY' || fail "explain's JSON does not say what the standard gives"
import json, sys
tmp = sys.argv[1]
bad = []
def check(what, got, want):
    if got != want:
        bad.append(f"{what}: {got!r}, expected {want!r}")
def load(name):
    with open(f"{tmp}/{name}.json", encoding="utf-8-sig") as f:
        return json.load(f)
def stage(j, name):
    return next(s for s in j["stages"] if s["name"] == name)
def param(j, st, name):
    return next(p for p in stage(j, st)["params"] if p["name"] == name)
with open(f"{tmp}/q.csv", "rb") as f:
    lines = f.read().split(b"\n")
def offset(line):          # byte offset of physical line `line` (1-based)
    return sum(len(l) + 1 for l in lines[:line - 1])

p = load("EX-PASS")
check("EX-PASS assessment", p["assessment"]["code"], "can_exit")
check("EX-PASS exit_ready", p["assessment"]["exit_ready"], True)
check("EX-PASS line", p["household"]["line"], 2)
check("EX-PASS byte_offset", p["household"]["byte_offset"], offset(2))
check("EX-PASS members", p["household"]["members"], 2)
check("EX-PASS net", p["income"]["net_cents"], 1000000)
check("EX-PASS line x n", p["income"]["line_times_members_cents"], 800000)
check("EX-PASS below", p["income"]["below_line"], False)
check("EX-PASS failures", [f for s in p["stages"] for f in s["findings"] if f["severity"] == "fail"], [])
w = next(f for f in p["fields"] if f["column"] == "wage_income")
check("EX-PASS wage raw", (w["raw"], w["mapped"], w["member"]), ("10000.00", "10000.00", 0))
if "1000000" not in w["parsed"]:
    bad.append(f"EX-PASS wage parsed: {w['parsed']!r} does not give 1000000 cents")
ids = [f for f in p["fields"] if f["column"] == "person_id"]
check("EX-PASS person_id fields", [(f["member"], f["raw"]) for f in ids],
      [(1, "530824********0113"), (2, "530824********0115")])
# the national line and every default, with their origins
il = param(p, "income", "income_line")
check("income_line", (il["value"], il["origin"]), ("4000.00", "national table"))
if not (il["source"] or "").startswith("national-lines.csv:11: 2020,4000,"):
    bad.append(f"income_line source: {il['source']!r} is not the table's 2020 row")
for st, name, value in (("income", "income_tolerance", "1.00"), ("income", "near_line_margin", "0.10"),
                        ("income", "transfer_share_max", "0.50"), ("education", "school_age_min", "6"),
                        ("education", "school_age_max", "15")):
    q = param(p, st, name)
    check(f"{st}.{name}", (q["value"], q["origin"]), (value, "default"))

c = load("EX-CENT")
check("EX-CENT assessment", c["assessment"]["code"], "wrongly_exited")
check("EX-CENT exit_ready", c["assessment"]["exit_ready"], False)
check("EX-CENT line", c["household"]["line"], 4)
check("EX-CENT byte_offset", c["household"]["byte_offset"], offset(4))
i = c["income"]
check("EX-CENT income", (i["net_cents"], i["members"], i["line_cents"], i["line_times_members_cents"],
                         i["income_pc_cents_floor"], i["income_pc_remainder"], i["below_line"],
                         i["short_cents"], i["short_per_person_cents"]),
      (1199999, 3, 400000, 1200000, 399999, 2, True, 1, 1))
check("EX-CENT income findings", [(f["severity"], f["code"]) for f in stage(c, "income")["findings"]],
      [("fail", "INCOME_BELOW_LINE")])
if not any("0.01" in t["text"] for t in c["to_pass"]):
    bad.append(f"EX-CENT to_pass: {c['to_pass']!r} does not say 0.01 yuan per person")

g = load("EX-GUAR")
check("EX-GUAR assessment", g["assessment"]["code"], "remains_poor")
check("EX-GUAR medical", [(f["severity"], f["code"], f["member"]) for f in stage(g, "medical")["findings"]],
      [("fail", "MEDICAL_UNINSURED", 2)])
check("EX-GUAR income below", g["income"]["below_line"], False)
check("EX-GUAR to_pass", [t["what"] for t in g["to_pass"]], ["medical MEDICAL_UNINSURED"])
m = next(f for f in g["fields"] if f["column"] == "medical_insured" and f["member"] == 2)
check("EX-GUAR member 2 medical_insured", m["raw"], "no")

r = load("EX-REJ")
check("EX-REJ evaluated", r["household"]["evaluated"], False)
check("EX-REJ rows", [(x["line"], x["code"]) for x in r["rejected_rows"]],
      [(9, "HOUSEHOLD_INCOMPLETE"), (10, "ROW_FIELD_COUNT")])
if any("530824197001010228" in x["raw"] for x in r["rejected_rows"]):
    bad.append("EX-REJ: a resident ID in full in the rejected rows")

v = load("prov")
for st, name, value, origin in (
        ("income", "income_line", "4600.00", "script example-income"),
        ("income", "income_tolerance", "2", "pipeline params"),
        ("income", "near_line_margin", "0.2", "--param"),
        ("income", "transfer_share_max", "0.50", "default"),
        ("example-income", "income_line", "4600", "pipeline"),
        ("example-income", "working_age_min", "18", "--param"),
        ("example-income", "working_age_max", "59", "script"),
        ("example-income", "require_stable_job", "true", "script")):
    q = param(v, st, name)
    check(f"provincial {st}.{name}", (q["value"], q["origin"]), (value, origin))
check("provincial line x n", v["income"]["line_times_members_cents"], 920000)
check("provincial stages", [s["name"] for s in v["stages"]][-1], "example-income")
check("provincial near line", [f["code"] for f in stage(v, "income")["findings"]], ["INCOME_NEAR_LINE"])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# text, both languages
"$TUOPIN" --lang en explain "$tmp/nat" EX-CENT >"$tmp/cent.en" || fail "explain --lang en failed"
grep -q '0.01 yuan per person short of the line' "$tmp/cent.en" || fail "en: no distance to the line"
grep -q '3999.99 yuan and 2/3 cent' "$tmp/cent.en" || fail "en: the exact quotient is not shown"
grep -q '1199999 < 1200000' "$tmp/cent.en" || fail "en: net is not compared with line x members"
"$TUOPIN" --lang zh explain "$tmp/nat" EX-CENT >"$tmp/cent.zh" || fail "explain --lang zh failed"
grep -q '每人还差 0.01 元' "$tmp/cent.zh" || fail "zh: no distance to the line"
grep -q '3999.99 元又 2/3 分' "$tmp/cent.zh" || fail "zh: the exact quotient is not shown"
grep -q 'wrongly_exited: 已脱贫但未达到标准：错退' "$tmp/cent.zh" || fail "zh: the assessment is not explained"
# the run wrote its details in English (TUOPIN_LANG=en): a Chinese explanation
# says that it quotes them as written; an English one has nothing to say
grep -q '问题说明和拒收说明按运行时写出的原文引用，为英文（tuopin run --lang zh 则写成中文）。' "$tmp/cent.zh" \
    || fail "zh: no note that the run's details are quoted in English"
if grep -q 'quoted as the run wrote them' "$tmp/cent.en"; then fail "en: a note on the details' language for an English run"; fi
"$TUOPIN" explain "$tmp/nat" EX-CENT --format json | grep -q '"standard":"national","details_lang":"en"}' \
    || fail "json: run.details_lang is not en"
"$TUOPIN" --lang en explain "$tmp/nat" EX-REJ >"$tmp/rej.en" || fail "explain of a rejected household failed"
grep -q 'line 10  ROW_FIELD_COUNT' "$tmp/rej.en" || fail "en: the rejected row is not named"

# IDs masked, unless --reveal-ids
if grep -q '530824198003030112' "$tmp/cent.en" "$tmp/cent.zh"; then fail "a resident ID in full without --reveal-ids"; fi
"$TUOPIN" explain "$tmp/nat" EX-CENT --reveal-ids >"$tmp/cent.ids" || fail "--reveal-ids failed"
grep -q '530824198003030112' "$tmp/cent.ids" || fail "--reveal-ids does not show the ID"
# nor an exact birth date or age beside the masked ID (it would give back the
# ID's masked birth digits): the year only, unless --reveal-ids
if grep -Eq '1980-03-03|19800303|2010-05-05|age 10 |10 周岁' "$tmp/cent.en" "$tmp/cent.zh"; then
    fail "an exact birth date or age beside a masked ID"
fi
grep -q '2010-\*\*-\*\*; exact age withheld' "$tmp/cent.en" || fail "en: the masked birth date is not the year"
grep -q '2010-05-05; age 10 on 2020-12-31' "$tmp/cent.ids" || fail "--reveal-ids does not show the birth date and age"

# the card: one A4 page
"$TUOPIN" explain "$tmp/prov" EX-CENT --format html >"$tmp/card.html" || fail "--format html failed"
grep -q '明白卡' "$tmp/card.html" || fail "the card has no title"
if command -v chromium >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    (cd "$tmp" && timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --user-data-dir="$tmp/chromium" --print-to-pdf="$tmp/card.pdf" "file://$tmp/card.html" >/dev/null 2>&1)
    pages=$(pdfinfo "$tmp/card.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    [ "$pages" = 1 ] || fail "the card prints on ${pages:-no} pages, not one"
else
    echo "explain.sh: chromium or pdfinfo missing: the card's page count is not checked" >&2
fi
# an unknown household, a changed input
if "$TUOPIN" --lang en explain "$tmp/nat" NO-SUCH >"$tmp/none.out" 2>"$tmp/none.err"; then
    fail "an unknown household did not fail"
fi
grep -q 'household NO-SUCH is in neither' "$tmp/none.err" || fail "unknown household: $(cat "$tmp/none.err")"
sed -i 's/^EX-GUAR,530824010020,poor,9000.00/EX-GUAR,530824010020,poor,9000.01/' "$tmp/q.csv"
if "$TUOPIN" --lang en explain "$tmp/nat" EX-PASS >"$tmp/changed.out" 2>"$tmp/changed.err"; then
    fail "a changed input was explained"
fi
grep -q "$tmp/q.csv: the input has changed since the run" "$tmp/changed.err" \
    || fail "changed input: $(cat "$tmp/changed.err")"
[ -s "$tmp/changed.out" ] && fail "a changed input still wrote an explanation"

finish
