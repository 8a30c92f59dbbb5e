#!/usr/bin/env bash
# images/build.sh [IMAGE...] -- builds image tarballs with no container engine and no registry (`make images`).
#   IMAGE: operator, proxy (the default: both), redis (the managed token store's image for the e2e cluster,
#   which has no registry to pull docker.io/library/redis from).
# Each image is one root filesystem made from Debian 12's own packages (glibc, libstdc++, libssl, zlib,
# ca-certificates, tzdata; `apt-get download`, unpacked with dpkg-deb) around a self-contained `dotnet publish`,
# packed by images/pack-image.py with the settings of the image's Dockerfile (user, entrypoint, labels). The
# tarballs load with `docker load`, `podman load`, `ctr -n k8s.io images import`, `kind load image-archive` and
# `k3d image import`; where Docker or Podman runs, `make images` also loads them there. One build path: the
# image tested on the e2e cluster is the one that ships.
# Environment: IMAGES_DIR (default artifacts/images), VERSION (default: <Version> of Directory.Build.props),
#              IMAGE_REGISTRY (default ghcr.io/consoleoperator).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
IMAGES_DIR="${IMAGES_DIR:-$REPO/artifacts/images}"
VERSION="${VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)}"
REGISTRY="${IMAGE_REGISTRY:-ghcr.io/consoleoperator}"
REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DEBS="$IMAGES_DIR/debs"
DOTNET="${DOTNET:-dotnet}"

log() { echo "images: $*" >&2; }
die() { echo "images: ERROR: $*" >&2; exit 1; }

[[ -n "$VERSION" ]] || die "no <Version> in Directory.Build.props"
for tool in apt-get dpkg-deb python3; do
  command -v "$tool" >/dev/null || die "$tool is missing: the root filesystems are made from Debian packages (run on Debian 12)"
done

# What every image's C and C++ runtime needs (a self-contained .NET app loads libssl at run time, for TLS).
BASE_PACKAGES=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g ca-certificates tzdata)

# Downloads the .deb of each package (once; cached in $DEBS) and prints their paths.
debs() {
  mkdir -p "$DEBS"
  local missing=()
  for p in "$@"; do compgen -G "$DEBS/${p}_*.deb" >/dev/null || missing+=("$p"); done
  if (( ${#missing[@]} )); then
    log "apt-get download ${missing[*]}"
    (cd "$DEBS" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >&2) ||
      die "apt-get download ${missing[*]} failed (run apt-get update, or check the network)"
  fi
  for p in "$@"; do compgen -G "$DEBS/${p}_*.deb"; done
}

# new_rootfs DIR PACKAGE... : DIR becomes the unpacked packages, without documentation, plus what a container needs.
new_rootfs() {
  local root="$1"; shift
  rm -rf "$root"; mkdir -p "$root"
  while read -r deb; do dpkg-deb -x "$deb" "$root"; done < <(debs "${BASE_PACKAGES[@]}" "$@")
  rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,bug,common-licenses} "$root"/usr/lib/x86_64-linux-gnu/gconv \
         "$root"/etc/init.d "$root"/etc/default "$root"/etc/logrotate.d
  # ca-certificates' postinst would build the bundle; do what it does, and point OpenSSL's default paths at it.
  mkdir -p "$root/etc/ssl/certs" "$root/usr/lib/ssl"
  find "$root/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat > "$root/etc/ssl/certs/ca-certificates.crt"
  ln -sfn /etc/ssl/certs "$root/usr/lib/ssl/certs"
  ln -sfn /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
  ln -sfn /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
  mkdir -p "$root/tmp" "$root/home/nonroot" "$root/root" "$root/proc" "$root/dev" "$root/sys"
  chmod 1777 "$root/tmp"; chmod 755 "$root/home/nonroot"
}

# publish PROJECT DIR : a self-contained linux-x64 publish (no .NET needed in the image).
publish() {
  log "dotnet publish $1 (self-contained, linux-x64)"
  rm -rf "$2"
  "$DOTNET" publish "$1" -c Release -r linux-x64 --self-contained -p:UseAppHost=true -o "$2" -nologo -v quiet >&2 ||
    die "dotnet publish $1 failed"
  # Loaded only when LTTng tracing is installed, which it is not here; the runtime runs without it.
  rm -f "$2/libcoreclrtraceptprovider.so" "$2"/*.pdb
}

# smoke ROOTFS USER COMMAND... : runs a command inside the root filesystem as the image's user, to prove that
# every library it needs is there (a missing one fails here, not on a node).
smoke() {
  local root="$1" user="$2"; shift 2
  [[ "$(id -u)" == 0 ]] || die "checking the root filesystem needs root (chroot, mount); run make images as root"
  # A private mount namespace with /proc and /dev, as a container has (the .NET runtime does not start without them).
  unshare --mount --propagation private sh -c \
    'root="$1"; user="$2"; shift 2; mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
     exec chroot --userspec="$user" "$root" "$@"' smoke "$root" "$user" "$@" >/dev/null ||
    die "'$*' does not run in $root"
}

pack() { # NAME DOCKERFILE ROOTFS
  local name="$1" dockerfile="$2" rootfs="$3" tag="$REGISTRY/$1:$VERSION"
  python3 images/pack-image.py --dockerfile "$dockerfile" --rootfs "$rootfs" --tag "$tag" \
    --out "$IMAGES_DIR/$name-$VERSION.tar" --build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION"
}

build_operator() {
  local dir="$IMAGES_DIR/console-operator"
  new_rootfs "$dir/rootfs"
  publish operator/ConsoleOperator/ConsoleOperator.csproj "$dir/rootfs/app"
  smoke "$dir/rootfs" 65532:65532 /app/console-operator --version
  pack console-operator operator/ConsoleOperator/Dockerfile "$dir/rootfs"
}

build_proxy() {
  local dir="$IMAGES_DIR/consoleproxy"
  # busybox-static for `sleep` alone: the proxy pods' preStop hook sleeps before SIGTERM so that endpoints update.
  new_rootfs "$dir/rootfs" busybox-static
  mv "$dir/rootfs/bin/busybox" "$dir/rootfs/bin/busybox.keep"
  find "$dir/rootfs/bin" "$dir/rootfs/usr" -path '*busybox*' ! -name busybox.keep -delete
  mv "$dir/rootfs/bin/busybox.keep" "$dir/rootfs/bin/busybox"
  ln -s busybox "$dir/rootfs/bin/sleep"
  publish proxy/ConsoleProxy/ConsoleProxy.csproj "$dir/rootfs/app"
  smoke "$dir/rootfs" 65532:65532 /app/consoleproxy --version
  smoke "$dir/rootfs" 65532:65532 sleep 0
  pack consoleproxy proxy/ConsoleProxy/Dockerfile "$dir/rootfs"
}

build_redis() {
  local dir="$IMAGES_DIR/redis"
  # Debian's Redis 7 and what its binaries link (ldd redis-server), busybox-static as the POSIX shell the managed
  # token store's start script and probe run in.
  new_rootfs "$dir/rootfs" redis-server redis-tools libatomic1 liblzf1 libjemalloc2 libsystemd0 libcap2 libgcrypt20 liblzma5 \
    libzstd1 liblz4-1 libgpg-error0 busybox-static
  for applet in sh grep; do ln -sf busybox "$dir/rootfs/bin/$applet"; done
  printf 'redis:x:999:999:redis:/data:/sbin/nologin\n' >> "$dir/rootfs/etc/passwd"
  printf 'redis:x:999:\n' >> "$dir/rootfs/etc/group"
  mkdir -p "$dir/rootfs/data"; chown 999:999 "$dir/rootfs/data"
  smoke "$dir/rootfs" 999:999 redis-server --version
  smoke "$dir/rootfs" 999:999 sh -c 'redis-cli --version | grep -q redis-cli'
  local redis_version; redis_version="$(chroot --userspec=999:999 "$dir/rootfs" redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')"
  python3 images/pack-image.py --dockerfile tests/e2e/images/redis.Dockerfile --rootfs "$dir/rootfs" \
    --tag "$REGISTRY/e2e-redis:$redis_version" --out "$IMAGES_DIR/e2e-redis.tar" --build-arg "VERSION=$redis_version"
  echo "$REGISTRY/e2e-redis:$redis_version" > "$IMAGES_DIR/e2e-redis.tag"
}

# Where a container engine runs, load the images there too (the same tarballs).
load_into_engine() {
  local engine
  for engine in docker podman; do
    if command -v "$engine" >/dev/null && "$engine" info >/dev/null 2>&1; then
      for t in "$@"; do "$engine" load -i "$t"; done
      return
    fi
  done
}

(( $# )) || set -- operator proxy
built=()
for image in "$@"; do
  case "$image" in
    operator) build_operator; built+=("$IMAGES_DIR/console-operator-$VERSION.tar") ;;
    proxy) build_proxy; built+=("$IMAGES_DIR/consoleproxy-$VERSION.tar") ;;
    redis) build_redis; built+=("$IMAGES_DIR/e2e-redis.tar") ;;
    *) die "unknown image '$image' (operator, proxy, redis)" ;;
  esac
done
load_into_engine "${built[@]}"
