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
)

missing=()
for tool in "${!needs[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${needs[$tool]}")
done
for path in "${!files[@]}"; do
  [ -e "$path" ] || missing+=("${files[$path]}")
done

# Debian's kernel, booted by QEMU for the serial console tests (its boot messages on ttyS0, no disk, no initrd).
# Only its vmlinuz is taken from the package: installing linux-image-amd64 would build an initramfs, which took
# about 9 minutes on a 2-vCPU machine; downloading and unpacking the image takes about 30 s.
install_kernel() {
  # KERNEL_ROOT only moves where it lands, to try this function without touching the machine.
  local root="${KERNEL_ROOT:-}" sudo="" pkg dir image
  [ -e "$root/vmlinuz" ] && return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
  [ -n "$pkg" ] || { echo "install-deps: no kernel package behind linux-image-amd64" >&2; exit 1; }
  echo "install-deps: unpacking the kernel image from $pkg" >&2
  dir="$(mktemp -d)"
  chmod 755 "$dir"
  (cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null && dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*')
  image="$(basename "$dir"/boot/vmlinuz-*)"
  $sudo mkdir -p "$root/boot"
  $sudo install -m 0644 "$dir/boot/$image" "$root/boot/$image"
  $sudo ln -sf "boot/$image" "$root/vmlinuz"
  rm -rf "$dir"
  [ -e "$root/vmlinuz" ] || { echo "install-deps: $root/vmlinuz still missing" >&2; exit 1; }
}
install_kernel

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
