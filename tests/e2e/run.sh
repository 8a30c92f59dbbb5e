#!/usr/bin/env bash
# tests/e2e/run.sh -- `make e2e`: the end-to-end suite on a real cluster, with real pods from the images `make images`
# builds, the operator installed as README's "Install on a cluster" says, a QEMU VM on the node and Chromium.
#   1. builds the images (images/build.sh operator proxy redis) and the suite (tests/ConsoleOperator.EndToEnd);
#   2. a cluster: with ../shared/k8s/cluster beside the repository (or CLUSTER_KIT), brings one up with
#      tests/e2e/cluster.sh and always takes it down again (trap), even on failure; otherwise the cluster in
#      KUBECONFIG when it can load local images (kind, k3d), else it stops and says what it needs;
#   3. loads the images into the node (ctr import / kind load / k3d image import), starts the VM's VNC server on an
#      address pods reach, runs the suite, prints its results and what it measured.
# Environment: CLUSTER_KIT, CLUSTER_DIR (see cluster.sh); E2E_LOCK_WAIT (seconds to wait for another make e2e on this
# machine, default 900); E2E_VNC_HOST (the address pods reach this machine at; only
# for a KUBECONFIG cluster, the kit's is its node IP).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$PWD"
CLUSTER_KIT="${CLUSTER_KIT:-$REPO/../shared/k8s/cluster}"
export CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/consoleoperator-e2e}"
RESULTS="$REPO/artifacts/test-results"
IMAGES_DIR="$REPO/artifacts/images"
DOTNET="${DOTNET:-dotnet}"
VERSION="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)"
QEMU_PID=""
CLUSTER_STARTED=""

log() { echo "e2e: [$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
  local rc=$?
  if [[ -n "$QEMU_PID" ]]; then kill "$QEMU_PID" 2>/dev/null || true; wait "$QEMU_PID" 2>/dev/null || true; fi
  if [[ -n "$CLUSTER_STARTED" ]]; then
    log "taking the cluster down"
    tests/e2e/cluster.sh down || log "cluster.sh down reported a problem"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$SECONDS
log "building the images and the suite"
images/build.sh operator proxy redis
REDIS_IMAGE="$(cat "$IMAGES_DIR/e2e-redis.tag")"
IMAGE_TARS=("$IMAGES_DIR/console-operator-$VERSION.tar" "$IMAGES_DIR/consoleproxy-$VERSION.tar" "$IMAGES_DIR/e2e-redis.tar")
"$DOTNET" build tests/ConsoleOperator.EndToEnd -c Debug -nologo -v quiet

if [[ -x "$CLUSTER_KIT/up.sh" ]]; then
  # One cluster per machine. A second `make e2e` here (a CI run beside a developer's) waits for the first to take its
  # cluster down instead of failing; the lock goes with this process, whatever way it ends.
  exec {lock_fd}>/run/lock/consoleoperator-e2e.lock
  if ! flock -n "$lock_fd"; then
    log "another make e2e holds /run/lock/consoleoperator-e2e.lock: waiting up to ${E2E_LOCK_WAIT:-900} s for its cluster to go"
    flock -w "${E2E_LOCK_WAIT:-900}" "$lock_fd" || die "another make e2e still holds /run/lock/consoleoperator-e2e.lock"
  fi
  # Never start (or, on the way out, take down) a cluster that is not ours.
  [[ -S /run/containerd/containerd.sock ]] &&
    die "/run/containerd/containerd.sock exists: a cluster is already up on this machine (another make e2e?); wait for it"
  log "bringing up the single-node cluster of $CLUSTER_KIT"
  CLUSTER_STARTED=1
  CLUSTER_KIT="$CLUSTER_KIT" tests/e2e/cluster.sh up >/dev/null
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/e2e.env"
  VNC_HOST="$NODE_IP"
  for t in "${IMAGE_TARS[@]}"; do ctr --address /run/containerd/containerd.sock -n k8s.io images import "$t" >/dev/null; done
elif [[ -n "${KUBECONFIG:-}" ]] && kubectl version >/dev/null 2>&1; then
  context="$(kubectl config current-context)"
  case "$context" in
    kind-*) command -v kind >/dev/null || die "context $context looks like kind, but kind is not installed"
            for t in "${IMAGE_TARS[@]}"; do kind load image-archive "$t" --name "${context#kind-}"; done ;;
    k3d-*)  command -v k3d >/dev/null || die "context $context looks like k3d, but k3d is not installed"
            k3d image import -c "${context#k3d-}" "${IMAGE_TARS[@]}" ;;
    *) die "the cluster of KUBECONFIG (context $context) cannot load local images: use kind or k3d, or put the cluster kit at $CLUSTER_KIT" ;;
  esac
  VNC_HOST="${E2E_VNC_HOST:?set E2E_VNC_HOST to an address of this machine that the cluster's pods reach (the VM's VNC server listens there)}"
else
  die "no cluster: the cluster kit is not at $CLUSTER_KIT (set CLUSTER_KIT), and KUBECONFIG names no reachable kind or k3d cluster"
fi

# The VM: QEMU's own VNC server, no disk (the BIOS screen is the picture), on an address the pods reach.
mkdir -p "$CLUSTER_DIR"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: apt-get install qemu-system-x86 (make deps)"
for display in $(seq 1 50); do
  port=$(( 5900 + display ))
  python3 -c "import socket,sys; s=socket.socket(); s.bind(('$VNC_HOST',$port))" 2>/dev/null || continue
  qemu-system-x86_64 -nodefaults -vga std -display none -m 64 -vnc "$VNC_HOST:$display" </dev/null >"$CLUSTER_DIR/qemu.log" 2>&1 &
  QEMU_PID=$!
  break
done
[[ -n "$QEMU_PID" ]] || die "no free VNC display on $VNC_HOST"
for _ in $(seq 1 80); do
  python3 -c "import socket; socket.create_connection(('$VNC_HOST',$port),1)" 2>/dev/null && break
  kill -0 "$QEMU_PID" 2>/dev/null || die "QEMU exited: $(cat "$CLUSTER_DIR/qemu.log")"
  sleep 0.25
done

log "cluster and images ready after $(( SECONDS - start )) s; running the suite (VM at $VNC_HOST:$port)"
rm -rf "$RESULTS/e2e" "$RESULTS/e2e-measurements.txt"; mkdir -p "$RESULTS/e2e"
status=0
KUBECONFIG="$KUBECONFIG" E2E_VNC_TARGET="$VNC_HOST:$port" E2E_REDIS_IMAGE="$REDIS_IMAGE" \
  "$DOTNET" test tests/ConsoleOperator.EndToEnd --no-build -c Debug --logger "trx;LogFileName=ConsoleOperator.EndToEnd.trx" \
  --logger "console;verbosity=normal" --results-directory "$RESULTS/e2e" || status=1
[[ -f "$RESULTS/e2e-measurements.txt" ]] && { log "measured:"; cat "$RESULTS/e2e-measurements.txt" >&2; }
tests/tools/summarize-trx.sh "$RESULTS/e2e" 1 || status=1
log "suite done after $(( SECONDS - start )) s (status $status)"
exit "$status"
