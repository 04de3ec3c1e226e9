#!/usr/bin/env bash
# R-R1: `essc import insurance-records` on a seeded folder: a file with one bad row
# imports nothing and names the line; the good file imports every row; importing it
# again adds nothing (idempotent).
set -euo pipefail
essc="$1"
csv="$(dirname "$0")/../../scripts/insurance_csv.py"
root="${ESSC_TEST_TMP:-/tmp}"
mkdir -p "$root"
dir="$(mktemp -d "$root/essc-import-XXXXXX")"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL $*"; exit 1; }

"$essc" seed --data-dir "$dir/data" --persons 100 > /dev/null
# 100 persons x 24 months x 5 insurances = 12,000 rows after the header.
python3 "$csv" 100 24 --bad-line 7777 > "$dir/bad.csv"
python3 "$csv" 100 24 > "$dir/good.csv"

status=0
"$essc" import insurance-records --data-dir "$dir/data" "$dir/bad.csv" > "$dir/out" 2> "$dir/err" || status=$?
[ "$status" -eq 1 ] || fail "a file with a bad row: exit $status, expected 1"
grep -q "bad.csv:7777: INVALID_REQUEST period" "$dir/err" || { cat "$dir/err"; fail "the bad line is not named"; }
[ "$(grep -c 'bad.csv:[0-9]*:' "$dir/err")" -eq 1 ] || { cat "$dir/err"; fail "more than the one bad row reported"; }
grep -q "nothing imported" "$dir/err" || fail "the refusal does not say nothing was imported"

"$essc" import insurance-records --data-dir "$dir/data" "$dir/good.csv" > "$dir/out" 2> "$dir/err" || { cat "$dir/err"; fail "the good file"; }
# Nothing of the bad file stayed: every row of the good one is added now.
grep -q "rows=12000 added=12000 unchanged=0" "$dir/out" || { cat "$dir/out"; fail "first import"; }
"$essc" import insurance-records --data-dir "$dir/data" "$dir/good.csv" > "$dir/out" 2> "$dir/err" || fail "second import"
grep -q "rows=12000 added=0 unchanged=12000" "$dir/out" || { cat "$dir/out"; fail "second import added rows"; }

# A conflicting row (same person, insurance, month and employer, another base) is named.
sed -n '1p;2s/,500000,/,500001,/p' "$dir/good.csv" > "$dir/conflict.csv"
status=0
"$essc" import insurance-records --data-dir "$dir/data" "$dir/conflict.csv" > "$dir/out" 2> "$dir/err" || status=$?
[ "$status" -eq 1 ] || fail "a conflicting row: exit $status"
grep -q "conflict.csv:2: CONFLICT" "$dir/err" || { cat "$dir/err"; fail "the conflict is not named"; }
echo "import insurance-records: all checks passed"
