#!/bin/sh
# external_stage.sh — a third party builds a stage outside the tree
# (README, "Writing a stage in C"): install tuopin into a staging folder,
# compile tests/e2e/data/external_stage.c with only the installed
# <tuopin/stage.h> and `pkg-config --cflags tuopin`, put the object in a
# folder of its own, and run the build-tree tuopin with
# TUOPIN_PLUGIN_PATH=that folder: the stage is listed, its parameter can be
# set, and its findings reach findings.csv and households.csv, worded from
# the texts it declares in the run's language, and it counts as the water
# dimension it declares (af.csv).  A stage built for ABI 1 (tuopin 0.2,
# tests/fixtures/v1_stage.c) still loads and runs next to it.
#
# Plugins anyone can copy: examples/plugin builds with its own Makefile
# against the installed tuopin.pc, loads and runs; and every in-tree stage
# (plugins/NAME/*.c) compiles alone with pkg-config's flags and nothing else.
. "$abs_top_srcdir/tests/e2e/lib.sh"
need_python

if ! command -v pkg-config >/dev/null 2>&1; then
    echo "SKIP: pkg-config is not installed" >&2
    exit 77
fi
: "${MAKE:=make}"
: "${CC:=cc}"

dest="$tmp/dest"
if ! $MAKE -C "$abs_top_builddir" install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
    tail -20 "$tmp/install.log" >&2
    fail "make install DESTDIR=$dest failed"
    finish
fi
pc=$(find "$dest" -name tuopin.pc | head -n 1)
[ -n "$pc" ] || { fail "no tuopin.pc installed under $dest"; finish; }
hdr=$(find "$dest" -path '*/tuopin/stage.h' | head -n 1)
[ -n "$hdr" ] || fail "no tuopin/stage.h installed under $dest"

cflags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --define-prefix --cflags tuopin) \
    || { fail "pkg-config --cflags tuopin failed"; finish; }
case "$cflags" in
    *"$dest"*) ;;
    *) fail "pkg-config --define-prefix does not point into the staging folder: $cflags" ;;
esac

stages="$tmp/stages"
mkdir -m 700 "$stages"
# shellcheck disable=SC2086
if ! $CC -shared -fPIC -Wall -Wextra -Werror $cflags -o "$stages/ext_check.so" \
        "$DATA/external_stage.c" 2>"$tmp/cc.err"; then
    cat "$tmp/cc.err" >&2
    fail "the external stage does not build against the installed header"
    finish
fi

TUOPIN_PLUGIN_PATH=$stages
export TUOPIN_PLUGIN_PATH

"$TUOPIN" plugins >"$tmp/plugins.out" 2>&1
grep -q 'ext_check' "$tmp/plugins.out" || fail "tuopin plugins does not list ext_check: $(cat "$tmp/plugins.out")"

cat >"$tmp/in.csv" <<'CSV'
household_id,region_code,status
E1,110101001001,poor
E1,110101001001,poor
E1,110101001001,poor
E2,110101001001,exited
CSV
cat >"$tmp/ext.lua" <<'LUA'
quarter "2020Q3"
input { path = "in.csv" }
stage "ext_check"
output { dir = "out" }
LUA
"$TUOPIN" run "$tmp/ext.lua" --quiet 2>"$tmp/run.err" || fail "run with ext_check failed: $(cat "$tmp/run.err")"

cat >"$tmp/want-findings.csv" <<'CSV'
household_id,stage,severity,code,member
E1,ext_check,fail,EXT_BIG_HOUSEHOLD,
CSV
compare findings "$tmp/want-findings.csv" "$tmp/out/findings.csv"
# Without the income stage a general household would be unverified; these
# are poor/exited: the external fail decides exit-readiness alone.
cat >"$tmp/want-households.csv" <<'CSV'
household_id,status,members,exit_ready,assessment,fails
E1,poor,3,no,remains_poor,EXT_BIG_HOUSEHOLD
E2,exited,1,yes,exit_confirmed,
CSV
compare households "$tmp/want-households.csv" "$tmp/out/households.csv" --sets fails

# Its parameter is declared to the run like any other.
"$TUOPIN" run "$tmp/ext.lua" --out "$tmp/out1" --param ext_min_members=1 --quiet 2>"$tmp/run1.err" \
    || fail "--param ext_min_members=1 refused: $(cat "$tmp/run1.err")"
printf 'household_id,stage,severity,code,member\nE1,ext_check,fail,EXT_BIG_HOUSEHOLD,\nE2,ext_check,fail,EXT_BIG_HOUSEHOLD,\n' \
    >"$tmp/want-findings1.csv"
compare "findings with ext_min_members=1" "$tmp/want-findings1.csv" "$tmp/out1/findings.csv"
# Its finding is worded from its declared texts, in the run's language.
python3 - "$tmp/out/findings.csv" "3 members, at least 3" <<'PY' || fail "the English detail of EXT_BIG_HOUSEHOLD is not the declared text"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["code"] == "EXT_BIG_HOUSEHOLD"]
sys.exit(0 if rows and rows[0]["detail"] == sys.argv[2] else 1)
PY
"$TUOPIN" --lang zh run "$tmp/ext.lua" --out "$tmp/out-zh" --quiet 2>"$tmp/run-zh.err" \
    || fail "--lang zh run failed: $(cat "$tmp/run-zh.err")"
python3 - "$tmp/out-zh/findings.csv" "3名成员，不少于3名" <<'PY' || fail "the Chinese detail of EXT_BIG_HOUSEHOLD is not the declared text"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["code"] == "EXT_BIG_HOUSEHOLD"]
sys.exit(0 if rows and rows[0]["detail"] == sys.argv[2] else 1)
PY
# It declared the water dimension (standard §6): af.csv counts the water
# deprivation of the one poor household's 3 members, and no income one.
python3 - "$tmp/out/af.csv" <<'PY' || fail "af.csv does not count ext_check as the water dimension: $(head -2 "$tmp/out/af.csv")"
import csv, sys
nat = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["level"] == "national"][0]
sys.exit(0 if nat["censored_water"] not in ("", "0.0000") and nat["censored_income"] == "" else 1)
PY

# A stage built for ABI 1: its parameter, as-of date, field() and findings
# go through the ABI 1 host table the adapter hands it.
cp "$abs_top_builddir/tests/fixtures/.libs/v1_stage.so" "$stages/v1_stage.so" \
    || { fail "the v1_stage fixture is not built"; finish; }
cat >"$tmp/v1.lua" <<'LUA'
quarter "2020Q3"
input { path = "in.csv" }
stage "v1_stage"
stage "ext_check"
output { dir = "out-v1" }
LUA
"$TUOPIN" run "$tmp/v1.lua" --quiet 2>"$tmp/run-v1.err" || fail "run with v1_stage failed: $(cat "$tmp/run-v1.err")"
cat >"$tmp/want-findings-v1.csv" <<'CSV'
household_id,stage,severity,code,member
E1,v1_stage,warn,V1_LARGE_HOUSEHOLD,1
E1,v1_stage,warn,V1_SEEN,
E1,ext_check,fail,EXT_BIG_HOUSEHOLD,
E2,v1_stage,warn,V1_SEEN,
CSV
compare "findings of an ABI 1 stage" "$tmp/want-findings-v1.csv" "$tmp/out-v1/findings.csv"
"$TUOPIN" run "$tmp/v1.lua" --out "$tmp/out-v1b" --param v1_limit=3 --quiet 2>"$tmp/run-v1b.err" \
    || fail "--param v1_limit=3 refused: $(cat "$tmp/run-v1b.err")"
grep -q V1_LARGE_HOUSEHOLD "$tmp/out-v1b/findings.csv" && fail "v1_limit=3 did not reach the ABI 1 stage"
# examples/plugin: its own Makefile, the installed tuopin.pc, nothing else.
pcdir=$(dirname "$pc")
cp -R "$abs_top_srcdir/examples/plugin" "$tmp/example"
chmod -R u+w "$tmp/example"
rm -f "$tmp/example/elderly.so"
if ! PKG_CONFIG_PATH=$pcdir $MAKE -C "$tmp/example" PKG_CONFIG="pkg-config --define-prefix" \
        CC="$CC" CFLAGS="-O2 -Werror" >"$tmp/example.log" 2>&1; then
    cat "$tmp/example.log" >&2
    fail "examples/plugin does not build with its Makefile against the installed tuopin.pc"
fi
cp "$tmp/example/elderly.so" "$stages/" 2>/dev/null || fail "examples/plugin made no elderly.so"
cat >"$tmp/old.csv" <<'CSV'
household_id,region_code,status,birth_date
O1,110101001001,poor,1940-01-01
O1,110101001001,poor,1950-05-05
O2,110101001001,exited,1940-01-01
O2,110101001001,exited,1990-01-01
O3,110101001001,general,
CSV
cat >"$tmp/elderly.lua" <<'LUA'
quarter "2020Q3"
input { path = "old.csv" }
stage "elderly"
output { dir = "out-elderly" }
LUA
"$TUOPIN" plugins >"$tmp/plugins2.out" 2>&1
grep -q '^elderly ' "$tmp/plugins2.out" || fail "tuopin plugins does not list the example stage: $(cat "$tmp/plugins2.out")"
"$TUOPIN" run "$tmp/elderly.lua" --quiet 2>"$tmp/run-el.err" || fail "run with the example stage failed: $(cat "$tmp/run-el.err")"
cat >"$tmp/want-el.csv" <<'CSV'
household_id,stage,severity,code,member,detail
O1,elderly,warn,ELDERLY_ONLY,,all 2 members are 65 or older
O3,elderly,fail,MISSING_VALUE,,date of birth (birth_date) is missing
CSV
compare "findings of examples/plugin" "$tmp/want-el.csv" "$tmp/out-elderly/findings.csv"
"$TUOPIN" run "$tmp/elderly.lua" --out "$tmp/out-el80" --param elderly_age=71 --quiet 2>"$tmp/run-el80.err" \
    || fail "--param elderly_age=71 refused: $(cat "$tmp/run-el80.err")"
grep -q ELDERLY_ONLY "$tmp/out-el80/findings.csv" && fail "elderly_age=71 did not reach the example stage"

# Every in-tree stage compiles alone: its folder's sources (not its unit
# test, test_NAME.c, which is built against the core) and pkg-config's
# flags, no path into tuopin's source tree.
mkdir "$tmp/alone"
for dir in "$abs_top_srcdir"/plugins/*/; do
    name=$(basename "$dir")
    srcs=$(ls "$dir"*.c | grep -v '/test_[^/]*\.c$')
    # shellcheck disable=SC2086
    if ! $CC -shared -fPIC -Wall -Wextra -Werror $cflags -o "$tmp/alone/$name.so" $srcs \
            $(PKG_CONFIG_PATH=$pcdir pkg-config --define-prefix --libs tuopin) 2>"$tmp/alone/$name.err"; then
        cat "$tmp/alone/$name.err" >&2
        fail "plugins/$name does not build alone with pkg-config's flags"
    fi
done
finish
