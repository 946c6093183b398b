#!/bin/sh
# external_stage.sh — a third party builds a stage outside the tree
# (README, "Writing a stage in C"): install tuopin into a staging folder,
# compile tests/e2e/data/external_stage.c with only the installed
# <tuopin/stage.h> and `pkg-config --cflags tuopin`, put the object in a
# folder of its own, and run the build-tree tuopin with
# TUOPIN_PLUGIN_PATH=that folder: the stage is listed, its parameter can be
# set, and its findings reach findings.csv and households.csv.
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
finish
