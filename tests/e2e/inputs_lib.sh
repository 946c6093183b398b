# inputs_lib.sh — shared by the input tests (inputs_*.sh, inspect.sh), sourced
# after lib.sh.  Q is the quarter every form is made from (canonical UTF-8);
# pipeline FILE INPUT-FIELDS writes the national pipeline reading from
# `input { INPUT-FIELDS }`; baseline runs it on Q as it is, into $tmp/a.

Q="$DATA/inputs_quarter.csv"

# pipeline FILE 'path = "x", encoding = "gb18030"'
pipeline() {
    cat >"$1" <<PIPE
quarter "2020Q4"
input  { $2 }
params { income_line = 4000 }
stage "identity"
stage "income"
stage "food_clothing"
stage "education"
stage "medical"
stage "housing"
stage "water"
output { dir = "out" }
PIPE
}

baseline() {
    pipeline "$tmp/a.lua" "path = \"$Q\""
    run_tuopin "$tmp/a" "$tmp/a.lua" --quiet
    if [ "$status" -ne 0 ] || [ ! -f "$tmp/a/households.csv" ]; then
        echo "FAIL: the UTF-8 run of the quarter failed:" >&2
        cat "$tmp/a.stderr" >&2
        exit 1
    fi
    if [ "$(wc -l <"$tmp/a/households.csv")" -lt 250 ] || [ "$(wc -l <"$tmp/a/rejects.csv")" -ne 1 ]; then
        echo "FAIL: the quarter should give some 300 households and no rejects" >&2
        exit 1
    fi
}

# same_households WHAT DIR: DIR/households.csv (and findings.csv) must be
# byte-identical to the UTF-8 run's; in findings.csv, the input line a
# BAD_VALUE or ID_INVALID detail names ("line 219") aside: a title line
# above the header or one JSON line per household moves it.
no_lines() {
    sed -E 's/\(line [0-9]+/(line N/g; s/（第[0-9]+行/（第N行/g' "$1"
}
same_households() {
    if ! cmp -s "$tmp/a/households.csv" "$2/households.csv"; then
        fail "$1: households.csv differs from the UTF-8 run's"
        diff "$tmp/a/households.csv" "$2/households.csv" | head -5 >&2
    fi
    no_lines "$tmp/a/findings.csv" >"$tmp/a.findings"
    no_lines "$2/findings.csv" >"$tmp/b.findings"
    if ! cmp -s "$tmp/a.findings" "$tmp/b.findings"; then
        fail "$1: findings.csv differs from the UTF-8 run's"
        diff "$tmp/a.findings" "$tmp/b.findings" | head -5 >&2
    fi
}
