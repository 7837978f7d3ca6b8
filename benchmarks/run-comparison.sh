#!/usr/bin/env bash
# Runs overlaynet as a peer of ../shared/bench-peers, interleaved with the other peers in one loop
# (every repetition runs every tool, order rotated), then prints paired ratios and draws the chart.
#   benchmarks/run-comparison.sh            # full: 5 repetitions, the harness's default sizes
#   benchmarks/run-comparison.sh --quick    # smoke: 1 repetition, small sizes (~2 min)
#   benchmarks/run-comparison.sh --reps 7   # any other argument goes to bench.py
# Needs root (the harness creates network namespaces). Results go to benchmarks/results/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PEERS="${PEERS_DIR:-$ROOT/../shared/bench-peers}"
OUT="$HERE/results"
mkdir -p "$OUT"
[ "$(id -u)" -eq 0 ] || { echo "run as root (creates network namespaces)" >&2; exit 1; }
[ -x "$PEERS/run-all.sh" ] || { echo "peer harness not found at $PEERS (set PEERS_DIR)" >&2; exit 1; }
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-matplotlib >/dev/null; }

# W1-W5; W5 (events) runs the peer's `W5 N QUIET_MS` subscriber mode (overlaynet-sub).
ARGS=(--no-readme --workloads W1,W2,W3,W4,W5)
NOTE=""
if [ "${1:-}" = "--quick" ]; then
  shift
  NOTE="SMOKE TEST (--quick: 1 repetition, small sizes): checks the pipeline, not a measurement"
  ARGS+=(--reps 1 --neigh 1000 --fdb 1000 --veth 20 --links 100 --dumps 5 --events 10000)
fi
ARGS+=("$@")

cd "$ROOT"
mvn -B -q -pl benchmarks -am package -DskipTests
# A fixed heap with a young generation the whole run fits in: no GC pause lands in a timed phase
# (with the JVM's default sizing a ~25 MB eden fills during the warm-up, and a young GC inside a
# 10,000-entry dump doubles it; see README). Pre-touched, so no page faults on first use either.
JAVA_OPTS="${OVERLAYNET_JAVA_OPTS:--Xms2g -Xmx2g -Xmn1500m -XX:+AlwaysPreTouch}"
export OVERLAYNET_PEER="java $JAVA_OPTS -jar $HERE/target/overlaynet-peer.jar"
stamp=$(date +%Y%m%d-%H%M%S)
status=0
BENCH_OUT="$OUT/peers-$stamp" "$PEERS/run-all.sh" "${ARGS[@]}" | tee "$OUT/peers-$stamp.txt" || status=$?
raw=$(ls -t "$OUT/peers-$stamp"/raw-*.jsonl | head -1)
/usr/bin/python3 "$HERE/compare.py" "$raw" "$OUT" "$NOTE"
cp "$raw" "$OUT/peers-latest.jsonl"
echo "table: $OUT/comparison.md  chart: $OUT/comparison.png  raw: $raw"
[ "$status" -eq 0 ] || echo "the harness reported failed runs (exit $status): see $OUT/peers-$stamp.txt" >&2
exit "$status"
