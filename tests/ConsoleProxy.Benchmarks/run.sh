#!/usr/bin/env bash
# `make bench`, the proxy part: builds consoleproxy and this benchmark in Release and runs it once:
# direct loopback TCP, two plain TCP relays (socat copying, haproxy splicing: what a second hop costs
# by itself), websockify (TokenFile plugin) and consoleproxy, median of 3 runs per figure, a Markdown
# table on stdout. Then the fleet figures (issue 19): many live consoles, the largest N held, time to
# first frame (ws and wss). Extra arguments go to the benchmark (--runs, --seconds, --idle,
# --systems consoleproxy,socat, --measure throughput,roundtrip,sessions,idle,live,search,firstframe,
# --live 100,1000,4000, --live-seconds, --first-frames). `--quick` (make bench-quick): everything once,
# short windows and smaller counts, under 5 minutes with the build.
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

proxy=artifacts/bin/ConsoleProxy/release/consoleproxy
bench=artifacts/bin/ConsoleProxy.Benchmarks/release/ConsoleProxy.Benchmarks
work=$(mktemp -d -t consoleproxy-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bench" --proxy "$proxy" --work "$work" "$@"
