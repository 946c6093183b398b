#!/bin/sh
# catalogue.sh — the message catalogues are complete: every message the
# sources mark for translation (po/POTFILES, the keywords _ and N_) is in
# po/tuopin.pot, and po/zh_CN.po translates every one of them, none fuzzy,
# with the same printf conversions (msgfmt -c).  A message added without
# `make update-po` and its Chinese text fails here, not in front of a user.
. "$abs_top_srcdir/tests/e2e/lib.sh"

for t in xgettext msgattrib msgfmt; do
    command -v $t >/dev/null 2>&1 || { echo "$t is missing (Debian: gettext)" >&2; exit 77; }
done
PO="$abs_top_srcdir/po"

# msgids of a catalogue, one per line (continuation lines joined)
ids() {
    msgattrib --no-obsolete --no-wrap "$1" 2>/dev/null | sed -n 's/^msgid "\(.*\)"$/\1/p' | grep -v '^$' | sort -u
}

(cd "$abs_top_srcdir" && xgettext -k_ -kN_ --from-code=UTF-8 --no-wrap -o "$tmp/now.pot" $(cat po/POTFILES)) \
    || { fail "xgettext could not read the sources of po/POTFILES"; finish; }
ids "$tmp/now.pot" >"$tmp/now.ids"
ids "$PO/tuopin.pot" >"$tmp/pot.ids"
missing=$(comm -23 "$tmp/now.ids" "$tmp/pot.ids")
[ -z "$missing" ] || fail "messages in the sources but not in po/tuopin.pot (run make update-po): $missing"
[ "$(wc -l <"$tmp/now.ids")" -gt 400 ] || fail "only $(wc -l <"$tmp/now.ids") messages extracted"

for l in zh_CN en; do
    msgfmt -c -o /dev/null "$PO/$l.po" 2>"$tmp/$l.fmt" || fail "po/$l.po: msgfmt -c: $(cat "$tmp/$l.fmt")"
    ids "$PO/$l.po" >"$tmp/$l.ids"
    gone=$(comm -23 "$tmp/now.ids" "$tmp/$l.ids")
    [ -z "$gone" ] || fail "po/$l.po lacks: $gone"
    un=$(msgattrib --untranslated --no-obsolete --no-wrap "$PO/$l.po" | sed -n 's/^msgid "\(.\+\)"$/\1/p')
    [ -z "$un" ] || fail "po/$l.po: untranslated: $un"
    fz=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$PO/$l.po" | sed -n 's/^msgid "\(.\+\)"$/\1/p')
    [ -z "$fz" ] || fail "po/$l.po: fuzzy: $fz"
done

# the stages' descriptions come out in Chinese from `tuopin plugins`
"$TUOPIN" --lang zh plugins >"$tmp/plugins.zh" 2>&1 || fail "tuopin plugins failed"
grep -q '^income .*人均纯收入与收入标准比较' "$tmp/plugins.zh" \
    || fail "tuopin --lang zh plugins: income's description is not in Chinese: $(grep '^income' "$tmp/plugins.zh")"
"$TUOPIN" --lang en plugins >"$tmp/plugins.en" 2>&1 || fail "tuopin plugins failed"
grep -q '^income .*per-capita net income against the poverty line' "$tmp/plugins.en" \
    || fail "tuopin --lang en plugins: income's description is not in English"
finish
