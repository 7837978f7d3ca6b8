#!/usr/bin/env bash
# The many-hosts figures (issue: directory + agent) in one sitting, against one
# etcd started here on free ports and always stopped: etcd put->watch floor,
# publish-to-remote-converged latency with HOSTS agents, a new host joining
# ENDPOINTS endpoints, an unchanged re-converge, leave with CONTAINERS containers.
# As root. Usage: benchmarks/run-agent-bench.sh [HOSTS] [ATTACHES] [ENDPOINTS] [CONTAINERS]
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${1:-10}; ATTACHES=${2:-1000}; ENDPOINTS=${3:-10000}; CONTAINERS=${4:-200}
command -v etcd >/dev/null || { echo "needs etcd (apt-get install etcd-server)" >&2; exit 2; }
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -DskipTests -pl benchmarks -am package
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CP=$(free_port); PP=$(free_port); DATA=$(mktemp -d /tmp/ovbench-etcd.XXXXXX)
etcd --name bench --data-dir "$DATA" --listen-client-urls "http://127.0.0.1:$CP" \
  --advertise-client-urls "http://127.0.0.1:$CP" --listen-peer-urls "http://127.0.0.1:$PP" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PP" --initial-cluster "bench=http://127.0.0.1:$PP" \
  --log-level error --logger zap >"$DATA.log" 2>&1 &
ETCD=$!
trap 'kill $ETCD 2>/dev/null || true; wait $ETCD 2>/dev/null || true; rm -rf "$DATA" "$DATA.log"' EXIT
for _ in $(seq 50); do etcdctl --endpoints="http://127.0.0.1:$CP" endpoint health >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p benchmarks/results
OUT=benchmarks/results/agent-$(date -u +%Y%m%dT%H%M%SZ).jsonl
java -cp benchmarks/target/benchmarks.jar dev.overlaynet.bench.agent.ConvergenceBench \
  "http://127.0.0.1:$CP" "$HOSTS" "$ATTACHES" "$ENDPOINTS" "$CONTAINERS" 2>/dev/null | tee "$OUT"
echo "written: $OUT"
