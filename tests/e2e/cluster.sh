#!/usr/bin/env bash
# tests/e2e/cluster.sh up|down -- the single-node cluster of ../shared/k8s/cluster, completed with what a real cluster
# gives an installation and the kit lacks:
#   - the API server reachable from pods: it listens on every address, advertises the node IP, and the `kubernetes`
#     Service gets its endpoints (the default lease reconciler instead of `none`);
#   - a default route for pods (the bridge is their default gateway), and IPv4 forwarding between pods;
#   - kube-proxy v1.28.7 (iptables mode) for Service ClusterIPs, removed again with `kube-proxy --cleanup`;
#   - cluster DNS: Debian's dnsmasq on the node IP, answering NAME.NS.svc.cluster.local from a hosts folder that a
#     small loop rewrites from the Services; the kubelet's clusterDNS points pods at it.
# The kit itself stays read-only: it is copied to $CLUSTER_DIR/kit and the copy is changed by exact substitutions
# that fail loudly when the kit changes. `down` undoes everything, also after a failed `up`.
# Environment: CLUSTER_KIT (default ../shared/k8s/cluster beside the repository), CLUSTER_DIR (default
#              ${TMPDIR:-/tmp}/consoleoperator-e2e). `up` prints the file to source: KUBECONFIG, PATH, NODE_IP.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
CLUSTER_KIT="${CLUSTER_KIT:-$REPO/../shared/k8s/cluster}"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/consoleoperator-e2e}"
KIT="$CLUSTER_DIR/kit/cluster"
EXTRA="$CLUSTER_DIR/extra"          # our additions' state: pids, dnsmasq hosts, kube-proxy binary
NODE_IP=10.213.0.1                  # the kit's node IP (on lo); pods reach it through their default route
POD_CIDR=10.214.0.0/24

log() { echo "e2e-cluster: [$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_pidfile() {
  alive "$1" || { rm -f "$1"; return 0; }
  local pid; pid="$(cat "$1")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

# replace FILE OLD NEW: exactly one occurrence, or the kit changed and this harness must be looked at.
replace() {
  python3 - "$@" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
text = open(path).read()
count = text.count(old)
if count != 1:
    sys.exit(f"e2e-cluster: expected one '{old}' in {path}, found {count}: the cluster kit changed")
open(path, "w").write(text.replace(old, new))
EOF
}

copy_kit() {
  [[ -x "$CLUSTER_KIT/up.sh" ]] || die "no cluster kit at $CLUSTER_KIT (set CLUSTER_KIT)"
  rm -rf "$CLUSTER_DIR/kit"; mkdir -p "$CLUSTER_DIR/kit"
  cp -r "$CLUSTER_KIT" "$KIT"; chmod -R u+w "$KIT"
  # install-assets.sh, SHA256SUMS and the *.xz binaries it unpacks live one folder up from the kit.
  local f; for f in "$CLUSTER_KIT"/../*; do [[ -f "$f" ]] && ln -s "$(readlink -f "$f")" "$CLUSTER_DIR/kit/"; done
  replace "$KIT/up.sh" '--kubelet-preferred-address-types=InternalIP"' \
    "--kubelet-preferred-address-types=InternalIP --bind-address=0.0.0.0 --advertise-address=$NODE_IP --endpoint-reconciler-type=lease\""
  replace "$KIT/up.sh" '"isGateway": true,' '"isGateway": true, "isDefaultGateway": true,'
  replace "$KIT/up.sh" ', "routes": [{ "dst": "$POD_SUBNET" }]' ''
  replace "$KIT/up.sh" 'clusterDomain: cluster.local' "clusterDomain: cluster.local
clusterDNS: [\"$NODE_IP\"]"
}

install_packages() {
  local need=()
  command -v iptables >/dev/null || need+=(iptables)
  command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
  (( ${#need[@]} == 0 )) && return
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2; } ||
    die "could not install ${need[*]}"
}

kube_proxy_binary() {
  local xzf want
  xzf="$(ls "$CLUSTER_DIR"/kit/kube-proxy-v*-linux-amd64.xz 2>/dev/null | head -1)"
  [[ -n "$xzf" ]] || die "kube-proxy-v*-linux-amd64.xz is not beside the cluster kit"
  want="$(awk '$2=="kube-proxy" {print $1}' "$CLUSTER_DIR/kit/SHA256SUMS")"
  xz -dc "$xzf" > "$EXTRA/kube-proxy"; chmod 755 "$EXTRA/kube-proxy"
  [[ "$(sha256sum "$EXTRA/kube-proxy" | cut -d' ' -f1)" == "$want" ]] || die "kube-proxy checksum mismatch"
}

up() {
  [[ "$(id -u)" == 0 ]] || die "run as root (the cluster kit needs it)"
  [[ -S /run/containerd/containerd.sock ]] &&
    die "/run/containerd/containerd.sock exists: a cluster (someone else's?) is already up on this machine; only one fits"
  install_packages
  # With iptables installed, the kubelet and kube-proxy add KUBE-* chains; note whether any were there before.
  local before=0; before="$(iptables-save 2>/dev/null | grep -c '^:KUBE-' || true)"
  copy_kit
  mkdir -p "$EXTRA"; echo "$before" > "$CLUSTER_DIR/iptables-kube-chains.before"
  mkdir -p "$EXTRA/dns-hosts"
  kube_proxy_binary
  # The Makefile's KUBEBUILDER_ASSETS has no kubelet or scheduler: let the kit unpack its own binaries.
  local exports
  exports="$(env -u KUBEBUILDER_ASSETS CLUSTER_DIR="$CLUSTER_DIR" "$KIT/up.sh")" || die "the cluster kit's up.sh failed"
  eval "$exports"
  echo "$exports" > "$CLUSTER_DIR/e2e.env"
  echo "export NODE_IP=$NODE_IP" >> "$CLUSTER_DIR/e2e.env"

  sysctl -n net.ipv4.ip_forward > "$EXTRA/ip_forward.before"
  sysctl -qw net.ipv4.ip_forward=1

  log "starting kube-proxy (iptables mode)"
  setsid "$EXTRA/kube-proxy" --kubeconfig="$KUBECONFIG" --proxy-mode=iptables --cluster-cidr="$POD_CIDR" \
    --hostname-override=node1 --conntrack-max-per-core=0 --healthz-bind-address="127.0.0.1:$(free_port)" \
    --metrics-bind-address="127.0.0.1:$(free_port)" </dev/null >"$CLUSTER_DIR/logs/kube-proxy.log" 2>&1 &
  echo $! > "$EXTRA/kube-proxy.pid"

  log "starting dnsmasq on $NODE_IP:53 (cluster DNS)"
  setsid dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --listen-address="$NODE_IP" --bind-interfaces \
    --no-resolv --no-hosts --hostsdir="$EXTRA/dns-hosts" --local=/cluster.local/ --domain-needed --log-facility=- \
    </dev/null >"$CLUSTER_DIR/logs/dnsmasq.log" 2>&1 &
  echo $! > "$EXTRA/dnsmasq.pid"
  # Service names to ClusterIPs, every 2 s; dnsmasq rereads the hosts folder by itself (inotify).
  setsid bash -c '
    while sleep 2; do
      kubectl get services -A -o jsonpath="{range .items[*]}{.spec.clusterIP} {.metadata.name}.{.metadata.namespace}.svc.cluster.local{\"\\n\"}{end}" \
        2>/dev/null | grep -v "^None " > "$1/services.new" || true
      cmp -s "$1/services.new" "$1/dns-hosts/services" || mv "$1/services.new" "$1/dns-hosts/services"
    done' dns-sync "$EXTRA" </dev/null >"$CLUSTER_DIR/logs/dns-sync.log" 2>&1 &
  echo $! > "$EXTRA/dns-sync.pid"

  # Ready means: the kubernetes Service has its endpoint and a name resolves through the cluster DNS.
  local deadline=$(( SECONDS + 60 ))
  until [[ -n "$(kubectl get endpoints kubernetes -n default -o jsonpath='{.subsets[*].addresses[*].ip}' 2>/dev/null)" ]]; do
    (( SECONDS < deadline )) || die "the kubernetes Service has no endpoints"; sleep 0.5
  done
  until [[ -s "$EXTRA/dns-hosts/services" ]] && dig_ok 2>/dev/null; do
    alive "$EXTRA/dnsmasq.pid" || { tail -5 "$CLUSTER_DIR/logs/dnsmasq.log" >&2; die "dnsmasq exited"; }
    alive "$EXTRA/kube-proxy.pid" || { tail -20 "$CLUSTER_DIR/logs/kube-proxy.log" >&2; die "kube-proxy exited"; }
    (( SECONDS < deadline )) || die "cluster DNS does not answer kubernetes.default.svc.cluster.local"; sleep 0.5
  done
  log "cluster ready: API server reachable from pods, kube-proxy, DNS on $NODE_IP"
  echo "$CLUSTER_DIR/e2e.env"
}

# The host resolver does not ask our dnsmasq; ask it directly (one UDP query, python's standard library only).
dig_ok() {
  python3 - "$NODE_IP" <<'EOF'
import socket, struct, sys
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
for part in "kubernetes.default.svc.cluster.local".split("."):
    q += bytes([len(part)]) + part.encode()
q += b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(q, (sys.argv[1], 53))
answer = s.recv(512)
sys.exit(0 if struct.unpack(">H", answer[6:8])[0] > 0 else 1)
EOF
}

# The kubelet's own chains (KUBE-FIREWALL, KUBE-PROXY-CANARY, KUBE-MARK-MASQ) outlive it and `kube-proxy --cleanup`;
# remove every KUBE-* chain, but only when the machine had none before up.
remove_kube_chains() {
  [[ "$(cat "$CLUSTER_DIR/iptables-kube-chains.before" 2>/dev/null)" == 0 ]] || return 0
  local cmd table chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle; do
      "$cmd" -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' | sed 's/^-A/-D/' |
        while read -r rule; do eval "$cmd -t $table $rule" 2>/dev/null || true; done || true
      for chain in $("$cmd" -t "$table" -S 2>/dev/null | sed -n 's/^-N \(KUBE-[A-Z0-9-]*\)$/\1/p'); do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$cmd" -t "$table" -S 2>/dev/null | sed -n 's/^-N \(KUBE-[A-Z0-9-]*\)$/\1/p'); do
        "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  rm -f "$CLUSTER_DIR/iptables-kube-chains.before"
}

down() {
  stop_pidfile "$EXTRA/dns-sync.pid"
  stop_pidfile "$EXTRA/dnsmasq.pid"
  stop_pidfile "$EXTRA/kube-proxy.pid"
  [[ -x "$EXTRA/kube-proxy" ]] && "$EXTRA/kube-proxy" --cleanup >/dev/null 2>&1 || true
  if [[ -x "$KIT/down.sh" ]]; then CLUSTER_DIR="$CLUSTER_DIR" "$KIT/down.sh" || log "the kit's down.sh reported a problem"; fi
  if [[ -s "$EXTRA/ip_forward.before" ]]; then sysctl -qw "net.ipv4.ip_forward=$(cat "$EXTRA/ip_forward.before")"; fi
  remove_kube_chains
  rm -rf "$EXTRA" "$CLUSTER_DIR/kit" "$CLUSTER_DIR/e2e.env"
  log "down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
