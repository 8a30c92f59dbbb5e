#!/usr/bin/env bash
# `make demo`: a real browser console on loopback, without Kubernetes. Starts a redis-server (in a
# temporary directory), a demo VM console (QEMU's VNC server with no disk: the BIOS screen), a demo
# VM on a serial console (QEMU booting Debian's kernel on ttyS0), a demo VM on a SPICE console (QEMU's
# SPICE server, no disk) and the console proxy on 127.0.0.1:6080; mints a token for each and prints
# the links to open. Ctrl-C (or TERM) stops everything it started and removes the temporary directory.
#
#   proxy/demo/demo.sh            run until Ctrl-C
#   proxy/demo/demo.sh --check    start everything, open each console in headless Chromium through
#                                 the proxy, print OK and stop (also: DEMO_CHECK=1)
#
# Environment: DEMO_PORT (proxy port, default 6080), DEMO_TTL (token lifetime in seconds, default
# 3600), DEMO_PROXY_DLL (run this built consoleproxy.dll instead of building the proxy in Release).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${DEMO_CHECK:-0}" in 1 | true | yes) check=1 ;; *) check=0 ;; esac
proxy_port=${DEMO_PORT:-6080}
ttl=${DEMO_TTL:-3600}
startup_seconds=60

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

for argument in "$@"; do
  case "$argument" in
    --check) check=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "demo: unknown argument '$argument'" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf 'demo: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

[[ $proxy_port =~ ^[0-9]+$ ]] && [ "$proxy_port" -ge 1 ] && [ "$proxy_port" -le 65535 ] \
  || fail "DEMO_PORT must be a TCP port number, not '$proxy_port'"
[[ $ttl =~ ^[0-9]+$ ]] && [ "$ttl" -ge 1 ] || fail "DEMO_TTL must be a number of seconds, not '$ttl'"

# Everything this script starts, stopped in reverse order on any exit (normal, error, INT, TERM).
started_pids=()
started_names=()
workdir=""

stop_everything() {
  trap - EXIT INT TERM
  local i pid
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    pid=${started_pids[i]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = ${#started_pids[@]} - 1; i >= 0; i--)); do
    pid=${started_pids[i]}
    # Bounded: whatever has not stopped after 5 s is killed.
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "${started_names[i]} (pid $pid) did not stop on TERM: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$workdir" ]; then
    rm -rf "$workdir"
  fi
  if [ ${#started_pids[@]} -gt 0 ]; then
    say "stopped everything it started"
  fi
}
trap stop_everything EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nothing listens on, picked at random in [low, low + span).
free_port() {
  local low=$1 span=$2 port
  for _ in $(seq 1 100); do
    port=$((low + RANDOM % span))
    if [ "$port" != "$proxy_port" ] && ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Starts a program in the background with its output in the work directory, and remembers it.
start() {
  local name=$1 log=$2
  shift 2
  "$@" >"$workdir/$log" 2>&1 &
  started_pids+=("$!")
  started_names+=("$name")
}

# Waits (bounded) until the last started program accepts connections on the port.
wait_until_listening() {
  local port=$1 pid=${started_pids[-1]} name=${started_names[-1]} log=$2
  for _ in $(seq 1 $((startup_seconds * 10))); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name exited while starting; its output:"
      sed 's/^/  /' "$workdir/$log" >&2
      return 1
    fi
    if port_in_use "$port"; then
      return 0
    fi
    sleep 0.1
  done
  say "$name does not listen on 127.0.0.1:$port after ${startup_seconds}s; its output:"
  sed 's/^/  /' "$workdir/$log" >&2
  return 1
}

workdir=$(mktemp -d "${TMPDIR:-/tmp}/consoleoperator-demo.XXXXXX")

# 1. What the demo needs: the real parts, and the proxy built in Release (unless one is given).
"$repo/tests/tools/install-deps.sh"
command -v dotnet >/dev/null || fail "dotnet is not installed (the .NET 10 SDK: https://dot.net)"
if port_in_use "$proxy_port"; then
  fail "127.0.0.1:$proxy_port is already in use (another demo, or nova-novncproxy?). Stop it or set DEMO_PORT."
fi
if [ -n "${DEMO_PROXY_DLL:-}" ]; then
  proxy_dll=$DEMO_PROXY_DLL
else
  say "building the proxy (Release)"
  if ! dotnet build "$repo/proxy/ConsoleProxy" -c Release -nologo -v:q >"$workdir/build.log" 2>&1; then
    cat "$workdir/build.log" >&2
    fail "the proxy did not build"
  fi
  proxy_dll=$repo/artifacts/bin/ConsoleProxy/release/consoleproxy.dll
fi
[ -f "$proxy_dll" ] || fail "no proxy at $proxy_dll"

# 2. Redis: the token store, in the temporary directory, no persistence.
redis_port=$(free_port 20000 10000) || fail "no free port for redis-server"
start redis-server redis.log redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$workdir" \
  --save "" --appendonly no --daemonize no
wait_until_listening "$redis_port" redis.log

# 3. The demo VM: QEMU with a standard VGA card and no disk; its console is VNC display N (port 5900+N).
vm_name=consoleoperator-demo
vm_desktop="QEMU ($vm_name)"
vnc_port=$(free_port 5910 80) || fail "no free VNC display for QEMU"
start "demo VM (QEMU)" qemu.log qemu-system-x86_64 -nodefaults -vga std -display none -m 64 \
  -name "$vm_name" -vnc "127.0.0.1:$((vnc_port - 5900))"
wait_until_listening "$vnc_port" qemu.log

# 3b. The serial demo VM: QEMU booting Debian's kernel (no disk) with its serial port on a TCP listener, as
# nova's libvirt driver sets one up. Without a root file system the kernel panics a few seconds in and
# reboots 10 s later (panic=10), so its boot messages come round again for whoever opens the console.
kernel=/vmlinuz
[ -e "$kernel" ] || fail "no kernel at $kernel for the serial demo VM (apt-get install --no-install-recommends linux-image-amd64)"
serial_port=$(free_port 10000 10000) || fail "no free port for the serial demo VM"
start "serial demo VM (QEMU)" qemu-serial.log qemu-system-x86_64 -nodefaults -display none -m 256 \
  -name "$vm_name-serial" -kernel "$kernel" -append "console=ttyS0 panic=10" \
  -serial "tcp:127.0.0.1:$serial_port,server=on,wait=off"
wait_until_listening "$serial_port" qemu-serial.log

# 3c. The SPICE demo VM: QEMU's SPICE server (no ticket, loopback only) on a QXL card with no disk: the BIOS screen.
spice_port=$(free_port 5900 1000) || fail "no free port for the SPICE demo VM"
start "SPICE demo VM (QEMU)" qemu-spice.log qemu-system-x86_64 -nodefaults -vga qxl -display none -m 128 \
  -name "$vm_name-spice" -spice "port=$spice_port,addr=127.0.0.1,disable-ticketing=on"
wait_until_listening "$spice_port" qemu-spice.log

# 4. The proxy, serving both kinds, each allowed to reach nothing but its demo VM's console.
start "console proxy" proxy.log dotnet "$proxy_dll" serve --host 127.0.0.1 --port "$proxy_port" \
  --redis "127.0.0.1:$redis_port" --allowed-target "127.0.0.1/32:$vnc_port" \
  --kinds vnc,serial,spice --serial-allowed-target "127.0.0.1/32:$serial_port" \
  --spice-allowed-target "127.0.0.1/32:$spice_port"
wait_until_listening "$proxy_port" proxy.log

# 5. A token for the VM, minted the way an operator-less setup does it.
base_url=http://127.0.0.1:$proxy_port
minted=$(dotnet "$proxy_dll" token create --redis "127.0.0.1:$redis_port" --target "127.0.0.1:$vnc_port" \
  --ttl "$ttl" --base-url "$base_url" --output json) || fail "consoleproxy token create failed"
token=$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9_-]*\)".*/\1/p' <<<"$minted")
[ -n "$token" ] || fail "consoleproxy token create printed no token: $minted"
lite_url="$base_url/vnc_lite.html?path=websockify%3Ftoken%3D$token"
auto_url="$base_url/vnc_auto.html?path=%3Ftoken%3D$token"
full_url="$base_url/vnc.html?path=websockify%3Ftoken%3D$token"
serial_url=$(dotnet "$proxy_dll" token create --redis "127.0.0.1:$redis_port" --target "127.0.0.1:$serial_port" \
  --kind serial --ttl "$ttl" --base-url "$base_url") || fail "consoleproxy token create --kind serial failed"
spice_url=$(dotnet "$proxy_dll" token create --redis "127.0.0.1:$redis_port" --target "127.0.0.1:$spice_port" \
  --kind spice --ttl "$ttl" --base-url "$base_url") || fail "consoleproxy token create --kind spice failed"

# Opens the link in headless Chromium and waits (bounded) until the page's title is the expected one
# (default: names the demo VM): the console pages set it once the session through the proxy is
# connected. Read through Chromium's DevTools HTTP endpoint, so plain curl is enough.
browser_connects() {
  # Each launch gets its own profile, and Chromium picks its own DevTools port (0) and writes it to
  # DevToolsActivePort there: a port chosen beforehand can be taken by the time Chromium binds it.
  local url=$1 title=${2:-$vm_desktop - Console} chromium profile devtools_port="" pid listing="" connected=1
  chromium=$(command -v chromium || command -v chromium-browser) || fail "check: chromium is not installed"
  profile=$(mktemp -d "$workdir/chromium-XXXXXX")
  start chromium "chromium-${profile##*-}.log" "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 "$url"
  pid=${started_pids[-1]}
  for _ in $(seq 1 $((startup_seconds * 2))); do
    if [ -z "$devtools_port" ] && [ -s "$profile/DevToolsActivePort" ]; then
      devtools_port=$(head -n 1 "$profile/DevToolsActivePort")
    fi
    if [ -n "$devtools_port" ]; then
      listing=$(curl -fsS --max-time 2 "http://127.0.0.1:$devtools_port/json/list" 2>/dev/null) || listing=""
    fi
    if grep -q "\"title\": *\"$title\"" <<<"$listing"; then
      connected=0
      break
    fi
    if grep -q '"title": *"Failed to connect - Console"' <<<"$listing" || ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$connected" != 0 ]; then
    say "check: Chromium (DevTools port ${devtools_port:-none}) last listed: ${listing:-nothing}"
    say "check: Chromium's log: $(tail -n 20 "$workdir/chromium-${profile##*-}.log" 2>/dev/null)"
  fi
  return $connected
}

if [ "$check" = 1 ]; then
  # Through the proxy as a user would: the page, then the console in a real (headless) browser
  # with both link shapes.
  page=$(curl -fsS --max-time 10 "$base_url/vnc_lite.html") || fail "check: $base_url/vnc_lite.html did not load"
  grep -q 'console/lite.js' <<<"$page" || fail "check: $base_url/vnc_lite.html is not the console page"
  for url in "$lite_url" "$auto_url"; do
    browser_connects "$url" || fail "check: the console does not connect in Chromium through ${url%%\?*}; proxy output:
$(sed 's/^/  /' "$workdir/proxy.log")"
    say "check: ${url%%\?*} shows the console of $vm_desktop"
  done
  browser_connects "$serial_url" "Serial console - Console" || fail "check: the serial console does not connect in Chromium through ${serial_url%%\?*}; proxy output:
$(sed 's/^/  /' "$workdir/proxy.log")"
  say "check: ${serial_url%%\?*} shows the serial console of the serial demo VM"
  browser_connects "$spice_url" "SPICE console - Console" || fail "check: the SPICE console does not connect in Chromium through ${spice_url%%\?*}; proxy output:
$(sed 's/^/  /' "$workdir/proxy.log")"
  say "check: ${spice_url%%\?*} shows the SPICE console of the SPICE demo VM"
  echo "OK: make demo works (redis-server, the demo VMs and the proxy on $base_url; the VNC, serial and SPICE consoles connect in Chromium)"
  exit 0
fi

# Ctrl-C is the normal way out from here on: the terminal sends it to every part at once, so parts stopping then are
# expected and the demo ends quietly with 0. Set before the links are printed: a person (or a test) may press Ctrl-C
# as soon as they appear.
interrupted=0
trap 'interrupted=1' INT
if [ "$ttl" -ge 120 ]; then validity="$((ttl / 60)) minutes"; else validity="$ttl seconds"; fi
cat <<EOF

ConsoleOperator demo is running. Ctrl-C stops everything.

  token store   redis-server on 127.0.0.1:$redis_port (data in $workdir)
  demo VM       QEMU's VNC server on 127.0.0.1:$vnc_port (no disk: the BIOS screen)
  serial VM     QEMU's serial port on 127.0.0.1:$serial_port (Debian's kernel booting, panicking, rebooting)
  SPICE VM      QEMU's SPICE server on 127.0.0.1:$spice_port (no disk: the BIOS screen)
  proxy         $base_url (allowed targets 127.0.0.1/32:$vnc_port, serial 127.0.0.1/32:$serial_port, SPICE 127.0.0.1/32:$spice_port)
  logs          $workdir/{redis,qemu,qemu-serial,qemu-spice,proxy}.log

Open the VM's console (the token is valid for $validity):

  $lite_url

nova's older link shape works too:

  $auto_url

The full page, with a toolbar:

  $full_url

The serial VM's console (xterm.js; its kernel prints on ttyS0):

  $serial_url

The SPICE VM's console (spice-html5):

  $spice_url

EOF

# Until Ctrl-C, or until one of the parts stops on its own (then say which, and stop the rest).
set +e
wait -n "${started_pids[@]}"
set -e
# Let a Ctrl-C that arrived with a part's exit be handled before judging why the part stopped.
sleep 0.2
if [ "$interrupted" = 1 ]; then
  exit 0
fi
for i in "${!started_pids[@]}"; do
  if ! kill -0 "${started_pids[i]}" 2>/dev/null; then
    say "${started_names[i]} stopped unexpectedly"
  fi
done
exit 1
