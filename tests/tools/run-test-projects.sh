#!/usr/bin/env bash
# Runs the given test projects TEST_JOBS at a time (default 2), slowest first, each into its own TRX and log in the
# results folder, and prints each project's log whole when it ends (so two projects' lines never interleave).
# Why in parallel: most of the suite waits on real processes (QEMU, Chromium, redis-server, kube-apiserver) rather
# than on the CPU, and ConsoleProxy.Tests alone takes as long as all the other projects together; run one after the
# other, the suite came within two minutes of CI's 20-minute bound. TEST_JOBS=1 runs them one at a time as before.
# Exits non-zero when any project's `dotnet test` did.
set -uo pipefail
results=$1
shift
jobs=${TEST_JOBS:-2}
dotnet=${DOTNET:-dotnet}
mkdir -p "$results"

# The longest project starts first, so it does not start last and run alone.
ordered=()
for project in "$@"; do
  case $(basename "$project") in ConsoleProxy.Tests) ordered=("$project" "${ordered[@]}") ;; *) ordered+=("$project") ;; esac
done

run_one() {
  local project=$1 name status
  name=$(basename "$project")
  "$dotnet" test "$project" --no-build -c Debug --logger "trx;LogFileName=$name.trx" \
    --logger "console;verbosity=minimal" --results-directory "$results" > "$results/$name.log" 2>&1
  status=$?
  {
    flock 9
    echo "=== $name (dotnet test exit $status)"
    cat "$results/$name.log"
  } 9> "$results/.print.lock"
  return $status
}
export -f run_one
export results dotnet

printf '%s\0' "${ordered[@]}" | xargs -0 -n 1 -P "$jobs" bash -c 'run_one "$0"'
