#!/bin/sh
# cli.sh — one command line for every command (core/cli/commands.c): each
# command in `tuopin --help` answers --help (exit 0) with the same text as
# `tuopin help CMD`; options take --opt V and --opt=V alike; the generic
# mistakes (unknown option, a missing value, a value given to a flag, an
# unknown command) exit 2 with the same wording for every command, in English
# and in Chinese.
. "$abs_top_srcdir/tests/e2e/lib.sh"

cmds=$("$TUOPIN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p')
[ "$(echo "$cmds" | wc -w)" -ge 9 ] || fail "tuopin --help lists only: $cmds"
for c in $cmds; do
    "$TUOPIN" "$c" --help >"$tmp/a" 2>&1; st=$?
    [ $st -eq 0 ] || fail "tuopin $c --help: exit status $st"
    [ -s "$tmp/a" ] || fail "tuopin $c --help: no text"
    "$TUOPIN" help "$c" >"$tmp/b" 2>&1
    cmp -s "$tmp/a" "$tmp/b" || fail "tuopin help $c differs from tuopin $c --help"
    "$TUOPIN" "$c" --no-such-option >"$tmp/o" 2>"$tmp/e"; st=$?
    [ $st -eq 2 ] || fail "tuopin $c --no-such-option: exit status $st, not 2"
    name=$c
    [ "$c" = history ] && continue   # history wants add or list first: below
    printf 'tuopin %s: unknown option --no-such-option\nTry '"'"'tuopin help %s'"'"' for more information.\n' \
        "$name" "$c" >"$tmp/want"
    cmp -s "$tmp/want" "$tmp/e" || { fail "tuopin $c: unknown option worded differently:"; cat "$tmp/e" >&2; }
done

# history's actions
"$TUOPIN" history list --bogus 2>"$tmp/e"; st=$?
[ $st -eq 2 ] || fail "history list --bogus: exit status $st"
grep -q "^tuopin history list: unknown option --bogus$" "$tmp/e" || fail "history list: $(cat "$tmp/e")"
"$TUOPIN" history list --history 2>"$tmp/e"; st=$?
[ $st -eq 2 ] || fail "history list --history (no value): exit status $st"
grep -q "^tuopin history list: option --history needs a value$" "$tmp/e" || fail "needs a value: $(cat "$tmp/e")"

# a value given to a flag; a missing value
"$TUOPIN" split --quiet=yes x 2>"$tmp/e"; st=$?
[ $st -eq 2 ] && grep -q "^tuopin split: option --quiet takes no value$" "$tmp/e" \
    || fail "split --quiet=yes: status $st, $(cat "$tmp/e")"
"$TUOPIN" run x.lua --out 2>"$tmp/e"; st=$?
[ $st -eq 2 ] && grep -q "^tuopin run: option --out needs a value$" "$tmp/e" \
    || fail "run --out: status $st, $(cat "$tmp/e")"

# an unknown command
"$TUOPIN" frobnicate 2>"$tmp/e"; st=$?
[ $st -eq 2 ] && grep -q "^tuopin: unknown command frobnicate$" "$tmp/e" \
    || fail "unknown command: status $st, $(cat "$tmp/e")"

# Chinese
"$TUOPIN" --lang zh merge --bogus 2>"$tmp/e"; st=$?
[ $st -eq 2 ] && grep -q "^tuopin merge：未知选项 --bogus$" "$tmp/e" \
    || fail "zh unknown option: status $st, $(cat "$tmp/e")"
grep -q "tuopin help merge" "$tmp/e" || fail "zh hint: $(cat "$tmp/e")"

# --opt V and --opt=V give the same bytes (gen is deterministic)
"$TUOPIN" gen --households 40 --seed 9 --quarter 2019Q4 --out "$tmp/g1.csv" || fail "gen (spaces)"
"$TUOPIN" gen --households=40 --seed=9 --quarter=2019Q4 --out="$tmp/g2.csv" || fail "gen (=)"
cmp -s "$tmp/g1.csv" "$tmp/g2.csv" || fail "gen --opt V and --opt=V differ"

# options and operands in any order, and -- before an operand
"$TUOPIN" inspect --rows=5 "$tmp/g1.csv" >"$tmp/i1" 2>&1 || fail "inspect --rows=5 FILE"
"$TUOPIN" inspect "$tmp/g1.csv" --rows 5 >"$tmp/i2" 2>&1 || fail "inspect FILE --rows 5"
cmp -s "$tmp/i1" "$tmp/i2" || fail "inspect: option before and after the file differ"
"$TUOPIN" inspect --rows 5 -- "$tmp/g1.csv" >"$tmp/i3" 2>&1 || fail "inspect -- FILE"
cmp -s "$tmp/i1" "$tmp/i3" || fail "inspect: -- FILE differs"
finish
