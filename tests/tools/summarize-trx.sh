#!/usr/bin/env bash
# Sums the counters of the TRX files in a folder and prints the plain summary line
# `N passed, N failed, N skipped`. Exits non-zero when any test failed or when a test project
# produced no result file (a crashed test host must not look like success).
set -euo pipefail
dir=$1
expected=$2

shopt -s nullglob
files=("$dir"/*.trx)
if [ ${#files[@]} -ne "$expected" ]; then
  echo "summarize: expected $expected result files in $dir, found ${#files[@]}" >&2
  status=1
else
  status=0
fi

passed=0 failed=0 skipped=0
for f in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || { echo "summarize: no test passed" >&2; status=1; }
exit $status
