#!/usr/bin/env bash
# bench/cache.sh: what the cache does for latency and upstream calls, on 127.0.0.1 only; stops by itself.
#
# 1. Cache-hit latency: HotDash with bench/config.cache.yaml (exact cache in silo memory), then the shared bench.sh
#    (direct to the mock vs through HotDash, the same request every time, so every gateway request after the first
#    is a hit). The target: the gateway's hit latency below the direct upstream call.
# 2. Coalescing under load: a mock that takes MOCK_DELAY_MS (default 50) per answer, BURSTS (default 20) bursts of
#    CONCURRENCY (default 50) identical requests, each burst a new prompt; prints requests sent, upstream calls the
#    mock counted, and the burst latency. The target: one upstream call per burst.
# Usage: bench/cache.sh   (bench.sh knobs pass through: DURATION, REPEATS, CONNS, WARMUP; GW_CPU=1 like bench/run.sh)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_SHARED:-$ROOT/../shared/bench}
KEY=sk-bench-master
API_PORT=${HOTDASH_API_PORT:-4000}
GW_CPU=${GW_CPU:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=${RESULTS:-$HERE/results/cache-$STAMP.txt}
LOG=${RESULTS%.txt}.hotdash.log
mkdir -p "$(dirname "$RESULTS")"
say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
[[ -x $SHARED/bench.sh ]] || die "shared bench scripts not found in $SHARED (set BENCH_SHARED)"
for t in wrk curl node taskset xargs; do command -v "$t" >/dev/null || die "$t is missing (bench/run.sh installs wrk and friends)"; done

HD_PID= MOCK_PID= DATA_DIR=
cleanup() {
  [[ -n $MOCK_PID ]] && kill "$MOCK_PID" 2>/dev/null || true
  if [[ -n $HD_PID ]]; then
    kill -TERM "$HD_PID" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$HD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$HD_PID" 2>/dev/null || true
  fi
  [[ -n $DATA_DIR ]] && rm -rf "$DATA_DIR"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$ROOT/hotdash" build
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-bench-data.XXXXXX")
say "starting HotDash (cache on) pinned to CPU $GW_CPU (log: $LOG)"
setsid env HOTDASH_DATA_DIR="$DATA_DIR" taskset -c "$GW_CPU" "$ROOT/hotdash" up --no-build --config "$HERE/config.cache.yaml" >> "$LOG" 2>&1 < /dev/null &
HD_PID=$!
for _ in $(seq 1200); do grep -q '^hotdash: up' "$LOG" && break; kill -0 "$HD_PID" 2>/dev/null || die "HotDash did not start (see $LOG)"; sleep 0.1; done
grep -q '^hotdash: up' "$LOG" || die "HotDash was not ready within 120 s (see $LOG)"

echo "== HotDash cache bench $STAMP, commit $(git -C "$ROOT" rev-parse --short HEAD)" | tee "$RESULTS"
echo "### 1. cache hits (every gateway request after the first is a hit) vs direct upstream calls" | tee -a "$RESULTS"
WARMUP=${WARMUP:-15} "$SHARED/bench.sh" "http://127.0.0.1:$API_PORT/v1" "Authorization: Bearer $KEY" 2>&1 | tee -a "$RESULTS"

echo "### 2. coalescing: ${BURSTS:-20} bursts of ${CONCURRENCY:-50} identical requests, upstream ${MOCK_DELAY_MS:-50} ms" | tee -a "$RESULTS"
MOCK_DELAY_MS=${MOCK_DELAY_MS:-50} taskset -c "$GW_CPU" node "$SHARED/mock-upstream.mjs" > /dev/null 2>&1 &
MOCK_PID=$!
for _ in $(seq 100); do curl -sf -m 1 http://127.0.0.1:18080/health > /dev/null && break; sleep 0.1; done
calls() { curl -s -m 5 http://127.0.0.1:18080/__stats | sed -n 's/.*"chat": *\([0-9]*\).*/\1/p'; }
before=$(calls); sent=0; failed=0; start=$(date +%s%N)
for b in $(seq "${BURSTS:-20}"); do
  body="{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"burst $STAMP $b\"}]}"
  codes=$(seq "${CONCURRENCY:-50}" | xargs -P "${CONCURRENCY:-50}" -I{} curl -s -o /dev/null -w '%{http_code}\n' -m 30 \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$API_PORT/v1/chat/completions")
  sent=$((sent + ${CONCURRENCY:-50})); failed=$((failed + $(grep -cv '^200$' <<< "$codes" || true)))
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
after=$(calls)
{
  echo "requests sent: $sent (non-200: $failed), upstream calls counted by the mock: $((after - before)), bursts: ${BURSTS:-20}"
  echo "mean burst time: $((elapsed_ms / ${BURSTS:-20})) ms (upstream answer: ${MOCK_DELAY_MS:-50} ms)"
  echo "results: $RESULTS"
} | tee -a "$RESULTS"
