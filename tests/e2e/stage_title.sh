#!/bin/sh
# stage_title.sh — report.html words a stage by what it declares, never by
# its name (issue 16 item 7): a third party's warnings-only stage outside
# the dimensions (tests/fixtures/titled_stage.c, .title "Register check",
# .title_zh "户籍登记核对") is labelled with its titles in the stage list
# (failing no household, it has no bar and no failure-table row), as the
# in-tree identity stage is with the "身份信息" it declares; a stage declaring none (income, a dimension)
# keeps its dimension's Chinese name and its own name in English.
. "$abs_top_srcdir/tests/e2e/lib.sh"

stages="$tmp/stages"
mkdir -m 700 "$stages"
cp "$abs_top_builddir/tests/fixtures/.libs/titled_stage.so" "$stages/titled_stage.so" \
    || { fail "the titled_stage fixture is not built"; finish; }
TUOPIN_PLUGIN_PATH=$stages
export TUOPIN_PLUGIN_PATH

head -n 40 "$abs_top_srcdir/examples/quarter.csv" >"$tmp/in.csv"
cat >"$tmp/p.lua" <<'LUA'
quarter "2020Q3"
input { path = "in.csv" }
params { income_line = 4000 }
stage "identity"
stage "titled_stage"
stage "income"
output { dir = "out" }
LUA
"$TUOPIN" run "$tmp/p.lua" --quiet 2>"$tmp/run.err" || { fail "run failed: $(cat "$tmp/run.err")"; finish; }
html="$tmp/out/report.html"
[ -f "$html" ] || { fail "no report.html"; finish; }

label='<span class="zh">户籍登记核对</span><span class="en">Register check</span>'
# the stage list (its version follows the label)
grep -qF "$label 1.0" "$html" || fail "the stage list does not label titled_stage by its declared titles"
grep -qF '<span class="zh">titled_stage</span>' "$html" && fail "report.html labels a stage by its name in Chinese"
grep -qF '<span class="en">titled_stage</span>' "$html" && fail "report.html labels a stage by its name in English"
# identity declares its Chinese title only; income declares none (its dimension's name)
grep -qF '<span class="zh">身份信息</span><span class="en">identity</span> 1.0' "$html" \
    || fail "the stage list does not label identity 身份信息 / identity"
grep -qF '<span class="zh">收入</span><span class="en">income</span>' "$html" \
    || fail "the stage list does not label income by its dimension's name"
finish
