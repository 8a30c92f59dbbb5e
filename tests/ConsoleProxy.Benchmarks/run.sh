#!/usr/bin/env bash
# `make bench`, the proxy part: builds consoleproxy and this benchmark in Release and runs it once:
# direct loopback TCP, two plain TCP relays (socat copying, haproxy splicing: what a second hop costs
# by itself), websockify (TokenFile plugin), the Kestrel WebSocket floor (tests/KestrelWebSocketFloor: this
# stack with none of the product's work) and consoleproxy, median of 3 runs per figure, a Markdown
# table on stdout. Then the fleet figures (issue 19): many live consoles, the largest N held, time to
# first frame (ws and wss). Extra arguments go to the benchmark (--runs, --seconds, --idle,
# --systems consoleproxy,socat, --measure throughput,roundtrip,sessions,idle,live,search,firstframe,
# --live 100,1000,4000, --live-seconds, --first-frames). `--quick` (make bench-quick): everything once,
# short windows and smaller counts, under 5 minutes with the build.
# `--baseline REV` also builds consoleproxy from git revision REV (in a temporary worktree, Release) and measures
# it beside today's build for new sessions/s only, in the same runs, with the ratio: e.g. the Redis client upgrade,
# `run.sh --baseline f401980^ --systems consoleproxy --measure sessions --runs 6 --seconds 5`.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOTNET=${DOTNET:-dotnet}

command -v websockify >/dev/null || { echo "websockify is missing (Debian package websockify; make deps)" >&2; exit 1; }
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || { echo "haproxy is missing (Debian package haproxy; make deps)" >&2; exit 1; }
command -v socat >/dev/null || { echo "socat is missing (Debian package socat; make deps)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is missing (make deps)" >&2; exit 1; }

# Two descriptors per session on each side: 8,000 idle sessions need about 16,000 in both processes
# (the live consoles hold both ends in this process: 4,000 sessions, 8,000 descriptors).
ulimit -n "$(ulimit -Hn)"

"$DOTNET" build proxy/ConsoleProxy -c Release --nologo -v quiet >&2
"$DOTNET" build tests/ConsoleProxy.Benchmarks -c Release --nologo -v quiet >&2
"$DOTNET" build tests/KestrelWebSocketFloor -c Release --nologo -v quiet >&2

proxy=artifacts/bin/ConsoleProxy/release/consoleproxy
bench=artifacts/bin/ConsoleProxy.Benchmarks/release/ConsoleProxy.Benchmarks
floor=artifacts/bin/KestrelWebSocketFloor/release/KestrelWebSocketFloor
work=$(mktemp -d -t consoleproxy-bench-XXXXXX)
baseline_tree=
cleanup() {
  if [ -n "$baseline_tree" ]; then git worktree remove --force "$baseline_tree" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--baseline" ]; then
    [ $# -ge 2 ] || { echo "--baseline needs a git revision" >&2; exit 2; }
    revision=$2
    shift 2
    commit=$(git rev-parse --verify --quiet "$revision^{commit}") || { echo "--baseline $revision: not a git revision here" >&2; exit 2; }
    baseline_tree="$work/baseline-src"
    git worktree add --detach --quiet "$baseline_tree" "$commit" >&2
    echo "building consoleproxy at $revision ($(git log -1 --format='%h %s' "$commit" | cut -c1-80)) in $baseline_tree" >&2
    "$DOTNET" publish "$baseline_tree/proxy/ConsoleProxy" -c Release --nologo -v quiet -o "$work/baseline-bin" >&2 \
      || { echo "--baseline $revision: consoleproxy at that revision does not build with this SDK (see above)" >&2; exit 1; }
    args+=(--baseline-proxy "$work/baseline-bin/consoleproxy" --baseline-label "$revision")
  else
    args+=("$1")
    shift
  fi
done

"$bench" --proxy "$proxy" --floor "$floor" --work "$work" "${args[@]}"
