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

# The failures again, last: a CI log is often read from its tail, and the test's own output is far above.
if [ "$failed" -ne 0 ]; then
  python3 - "${files[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        for line in message.splitlines()[:12]:
            print(f"    {line}")
PY
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || { echo "summarize: no test passed" >&2; status=1; }
exit $status
