#!/usr/bin/env bash
# Fills KUBEBUILDER_ASSETS (envtest's convention: a folder with kube-apiserver, etcd and kubectl) for the tests that run
# on a real API server. Idempotent: a folder that already has all three is left alone.
#   1. ../shared/k8s beside the repository (this workplace: kube-apiserver v1.28.7 built from source, Debian's etcd);
#   2. else the upstream envtest release for Kubernetes 1.28, as kubebuilder projects' setup-envtest fetches it.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=${KUBEBUILDER_ASSETS:-/usr/local/kubebuilder/bin}
envtest_version=${ENVTEST_K8S_VERSION:-1.28.3}

complete() { [ -x "$1/kube-apiserver" ] && [ -x "$1/etcd" ] && [ -x "$1/kubectl" ]; }
complete "$dest" && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
mkdir -p "$dest" 2>/dev/null || { $sudo mkdir -p "$dest"; $sudo chown "$(id -u):$(id -g)" "$dest"; }

shared="$top/../shared/k8s"
if [ -x "$shared/install-assets.sh" ]; then
  if ! command -v etcd >/dev/null 2>&1; then
    echo "install-kube-assets: installing etcd-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
  fi
  echo "install-kube-assets: unpacking kube-apiserver and kubectl from $shared into $dest" >&2
  "$shared/install-assets.sh" "$dest" >/dev/null
else
  url="https://github.com/kubernetes-sigs/controller-tools/releases/download/envtest-v${envtest_version}/envtest-v${envtest_version}-linux-amd64.tar.gz"
  echo "install-kube-assets: downloading envtest ${envtest_version} into $dest" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  curl -fsSL "$url" -o "$tmp/envtest.tar.gz" || {
    echo "install-kube-assets: could not download $url. Set KUBEBUILDER_ASSETS to a folder with kube-apiserver, etcd and kubectl (e.g. from setup-envtest)." >&2
    exit 1
  }
  tar -xzf "$tmp/envtest.tar.gz" -C "$tmp"
  cp "$tmp"/controller-tools/envtest/* "$dest"/
fi

complete "$dest" || { echo "install-kube-assets: $dest still lacks kube-apiserver, etcd or kubectl" >&2; exit 1; }
