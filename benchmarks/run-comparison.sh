#!/usr/bin/env bash
# Runs overlaynet's JMH suite and the peer harness (../shared/bench-peers) in one sitting on this
# machine, then prints overlaynet next to each peer with ratios and draws the chart.
#   benchmarks/run-comparison.sh            # full: JMH defaults + peers with 5 repetitions
#   benchmarks/run-comparison.sh --quick    # smoke: short JMH runs + 1 peer repetition
# Needs root (both create network namespaces). Results go to benchmarks/results/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PEERS="${PEERS_DIR:-$ROOT/../shared/bench-peers}"
OUT="$HERE/results"
mkdir -p "$OUT"
[ "$(id -u)" -eq 0 ] || { echo "run as root (creates network namespaces)" >&2; exit 1; }
command -v python3 >/dev/null && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-matplotlib >/dev/null; }

JMH_ARGS=()
PEER_ARGS=(--no-readme)
if [ "${1:-}" = "--quick" ]; then
  JMH_ARGS=(-wi 2 -i 3 -f 1)
  PEER_ARGS+=(--reps 1)
fi

cd "$ROOT"
mvn -B -q -pl benchmarks -am package -DskipTests
stamp=$(date +%Y%m%d-%H%M%S)
java -jar benchmarks/target/benchmarks.jar 'dev.overlaynet.bench.W[1-4].*' "${JMH_ARGS[@]}" \
  -rf json -rff "$OUT/jmh-$stamp.json" | tee "$OUT/jmh-$stamp.txt"
BENCH_OUT="$OUT/peers-$stamp" "$PEERS/run-all.sh" "${PEER_ARGS[@]}" | tee "$OUT/peers-$stamp.txt"
raw=$(ls -t "$OUT/peers-$stamp"/raw-*.jsonl | head -1)
/usr/bin/python3 "$HERE/compare.py" "$OUT/jmh-$stamp.json" "$raw" "$OUT"
cp "$OUT/jmh-$stamp.json" "$OUT/jmh-latest.json"
cp "$raw" "$OUT/peers-latest.jsonl"
echo "table: $OUT/comparison.md  chart: $OUT/comparison.png"
