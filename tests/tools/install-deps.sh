#!/usr/bin/env bash
# Installs what the tests, the demo and the benchmarks need and the machine lacks: the real parts
# (redis-server, QEMU's VNC server, Chromium, websockify, Debian's noVNC pages, a kernel for QEMU's serial console) from Debian's packages. Idempotent and
# quiet when everything is there; `apt-get update` runs only when something is missing.
set -euo pipefail

declare -A needs=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [qemu-system-x86_64]=qemu-system-x86
  [chromium]=chromium
  [websockify]=websockify
  [socat]=socat
  [haproxy]=haproxy
  [vncsnapshot]=vncsnapshot
  [node]=nodejs
  [npm]=npm
)

# Packages that install files rather than a command: path -> package.
declare -A files=(
  [/usr/share/novnc/vnc.html]=novnc
  # Debian's kernel, booted by QEMU for the serial console tests (its boot messages on ttyS0); /vmlinuz links to it.
  [/vmlinuz]=linux-image-amd64
)

missing=()
for tool in "${!needs[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${needs[$tool]}")
done
for path in "${!files[@]}"; do
  [ -e "$path" ] || missing+=("${files[$path]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for tool in "${!needs[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-deps: $tool still missing after install" >&2; exit 1; }
done
for path in "${!files[@]}"; do
  [ -e "$path" ] || { echo "install-deps: $path still missing after install" >&2; exit 1; }
done
