#!/bin/sh
# merge_roles.sh — tuopin merge follows what the shards' stages declared
# (results.sqlite's stage_roles), not the stages' names: shards whose income
# stage is recorded under another name (a third party's stage declaring the
# income role and dimension) merge into the same income per capita
# (standard §4: the income role ran) and the same AF dimensions (§6) as
# shards of the national pipeline; only the name shows where it is printed.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 is needed" >&2; exit 77; }

cd "$tmp" || exit 99
"$TUOPIN" gen --profile stress --households 600 --seed 5 --out q.csv || exit 99
"$TUOPIN" split q.csv --by province --out sp --quiet || { fail "tuopin split"; finish; }
while read -r shard; do
    "$TUOPIN" run "$abs_top_srcdir/examples/national.lua" --input "sp/$shard" --quarter 2020Q4 \
        --out "runs/${shard%.csv}" --quiet || { fail "run of $shard"; finish; }
done <sp/shards.txt
cp -r runs renamed
for d in renamed/*; do
    sqlite3 "$d/results.sqlite" "UPDATE stages SET name='earnings' WHERE name='income'" \
        || { fail "cannot rename the stage in $d"; finish; }
done
"$TUOPIN" merge runs/* --out m1 --quiet || fail "merge of the national shards"
"$TUOPIN" merge renamed/* --out m2 --quiet || fail "merge of the renamed shards"

q() { sqlite3 "$1/results.sqlite" "$2" 2>&1; }
[ "$(q m2 'SELECT role, dimension FROM stage_roles s JOIN stages USING(position) WHERE name = "earnings"')" = "income|income" ] \
    || fail "the merged run does not record earnings' income role and dimension"
n1=$(q m1 'SELECT count(income_pc_cents) FROM households')
n2=$(q m2 'SELECT count(income_pc_cents) FROM households')
[ "$n1" -gt 0 ] || fail "no income per capita in the national merge"
[ "$n1" = "$n2" ] || fail "income per capita of $n2 households (the national merge: $n1): the income role was not followed"
a1=$(q m1 'SELECT level, code, dimension, deprived_persons, censored_persons FROM af_dimensions ORDER BY 1, 2, 3')
a2=$(q m2 'SELECT level, code, dimension, deprived_persons, censored_persons FROM af_dimensions ORDER BY 1, 2, 3')
[ "$a1" = "$a2" ] || fail "the AF dimensions differ: the income dimension was not followed"
for f in households.csv findings.csv af.csv counties.csv; do
    cmp -s "m1/$f" "m2/$f" || fail "$f differs between the merges"
done
finish
