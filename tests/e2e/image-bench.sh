#!/usr/bin/env bash
# tests/e2e/image-bench.sh -- image size and start-up time (part of `make bench`): the images `make images` ships
# (self-contained publish) against the same images built framework-dependent (the publish without the runtime, plus
# the SDK's own shared .NET and ASP.NET Core runtimes and the `dotnet` host, in the same Debian root filesystem).
# Start-up: wall time of `<app> --version` run in the image's root filesystem (chroot, as the image's user), the
# median of RUNS; it is the runtime's start and the CLI's parse, before any network. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-11}"
IMAGES_DIR="${IMAGES_DIR:-$PWD/artifacts/images}"
BENCH="$PWD/artifacts/image-bench"
VERSION="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)"
DOTNET="${DOTNET:-dotnet}"
[[ "$(id -u)" == 0 ]] || { echo "image-bench: needs root (chroot, mount)" >&2; exit 1; }

images/build.sh operator proxy >/dev/null

dotnet_root="$(dirname "$(readlink -f "$(command -v "$DOTNET")")")"
runtime_version() { ls "$dotnet_root/shared/$1" | sort -V | tail -1; }
netcore="$(runtime_version Microsoft.NETCore.App)"; aspnet="$(runtime_version Microsoft.AspNetCore.App)"

# framework_dependent NAME PROJECT: the self-contained image's root filesystem with /app replaced.
framework_dependent() {
  local name="$1" project="$2" root="$BENCH/$1-fdd/rootfs"
  rm -rf "$BENCH/$name-fdd"; mkdir -p "$BENCH/$name-fdd"
  cp -a "$IMAGES_DIR/$name/rootfs" "$root"; rm -rf "$root/app"
  "$DOTNET" publish "$project" -c Release -r linux-x64 --no-self-contained -p:UseAppHost=true -o "$root/app" -nologo -v quiet >&2
  rm -f "$root/app"/*.pdb
  mkdir -p "$root/usr/share/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$root/usr/share/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$root/usr/share/dotnet/shared/"
  cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App" "$root/usr/share/dotnet/shared/"
  # Only the runtime versions the app runs on.
  find "$root/usr/share/dotnet/shared/Microsoft.NETCore.App" -mindepth 1 -maxdepth 1 ! -name "$netcore" -exec rm -rf {} +
  find "$root/usr/share/dotnet/shared/Microsoft.AspNetCore.App" -mindepth 1 -maxdepth 1 ! -name "$aspnet" -exec rm -rf {} +
  python3 images/pack-image.py --dockerfile "$3" --rootfs "$root" --tag "bench/$name-fdd:$VERSION" \
    --out "$BENCH/$name-fdd.tar" --build-arg "VERSION=$VERSION" >/dev/null
}

# startup_ms ROOTFS ENV COMMAND...: median wall time in ms of RUNS runs.
startup_ms() {
  local root="$1" env="$2"; shift 2
  unshare --mount --propagation private bash -c '
    root="$1"; env="$2"; runs="$3"; shift 3
    mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"
    for _ in $(seq 1 "$runs"); do
      s=$(date +%s%N); env -i $env /usr/sbin/chroot --userspec=65532:65532 "$root" "$@" >/dev/null; e=$(date +%s%N)
      echo $(( (e - s) / 1000000 ))
    done' bench "$root" "$env" "$RUNS" "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1048576:.1f}')" "$1"; }
gz() { gzip -6 -c "$1" | wc -c; }

echo "| image | build | tarball (MiB) | gzip -6 (MiB) | start-up, \`--version\` median of $RUNS (ms) |"
echo "|---|---|---:|---:|---:|"
for pair in "console-operator:operator/ConsoleOperator/ConsoleOperator.csproj:operator/ConsoleOperator/Dockerfile:/app/console-operator" \
            "consoleproxy:proxy/ConsoleProxy/ConsoleProxy.csproj:proxy/ConsoleProxy/Dockerfile:/app/consoleproxy"; do
  IFS=: read -r name project dockerfile app <<< "$pair"
  framework_dependent "$name" "$project" "$dockerfile"
  sc_tar="$IMAGES_DIR/$name-$VERSION.tar"; fdd_tar="$BENCH/$name-fdd.tar"
  sc_ms="$(startup_ms "$IMAGES_DIR/$name/rootfs" "PATH=/usr/bin:/bin" "$app" --version)"
  fdd_ms="$(startup_ms "$BENCH/$name-fdd/rootfs" "PATH=/usr/bin:/bin DOTNET_ROOT=/usr/share/dotnet" "$app" --version)"
  echo "| $name | self-contained (shipped) | $(mib "$(stat -c %s "$sc_tar")") | $(mib "$(gz "$sc_tar")") | $sc_ms |"
  echo "| $name | framework-dependent + .NET $netcore / ASP.NET Core $aspnet | $(mib "$(stat -c %s "$fdd_tar")") | $(mib "$(gz "$fdd_tar")") | $fdd_ms |"
done
rm -rf "$BENCH"
