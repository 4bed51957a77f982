#!/usr/bin/env bash
# bench/run.sh: HotDash's added latency next to Portkey's and a bare Node proxy's, in one run.
#
# Builds HotDash (Release, on all cores), starts the silo, gateway and dashboard with bench/config.yaml
# (`./hotdash up --no-build`) pinned to the gateway CPU the peers get (GW_CPU, default 1, shared with the
# mock upstream exactly as bench.sh pins Portkey and the Node proxy; wrk alone on CPU 0), waits until all
# three are ready, runs the shared compare.sh against http://127.0.0.1:4000/v1 with the master key, tees
# everything to a results file, adds HotDash's own per-process CPU and peak memory, and stops HotDash.
#
# With QUOTA=1 it measures the quota path instead of the peers: a team with limits and a virtual key in it
# are made through the management API, then bench.sh runs once with the master key (no admission call) and
# once with the virtual key (key, team and quota grains on every request), so the two added-latency figures
# differ by what the quota path costs.
#
# With TRACING=1 it measures what gateway tracing costs instead of the peers: HotDash is started twice,
# with HOTDASH_TRACING=false and HOTDASH_TRACING=true, bench.sh runs against each with the master key, and
# both figures are printed side by side (RPS at CONNS, gateway CPU per request, added latency at light load,
# the silo's CPU), with the gateway's trace_queue counts after the traced run.
#
# Usage: bench/run.sh            (any bench.sh knob passes through: DURATION, REPEATS, CONNS, WARMUP, ...)
#        QUOTA=1 bench/run.sh
#        TRACING=1 bench/run.sh   (ROUNDS=2: off and on take turns this many times)
# Env:   GW_CPU=1               CPU list for every HotDash process (taskset -c), like bench.sh's gateway
#        HOTDASH_BENCH_CPUS     overrides that list for HotDash only (e.g. 0,1 to see it unpinned)
#        SILO_CPUS              moves the silo and the dashboard to these CPUs once up (TRACING=1: default 0,
#                               wrk's CPU; a deployment runs the silo on its own machines, so the gateway's CPU
#                               measures the gateway alone; empty keeps them with the gateway)
#        BENCH_SHARED           the shared bench scripts (default: <repo>/../shared/bench)
#        RESULTS                results file (default: bench/results/<timestamp>.txt)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_SHARED:-$ROOT/../shared/bench}
CONFIG=$HERE/config.yaml
KEY=sk-bench-master
API_PORT=${HOTDASH_API_PORT:-4000}
SILO_PORT=${HOTDASH_SILO_PORT:-3030}
DASH_PORT=${HOTDASH_DASHBOARD_PORT:-3000}
GW_CPU=${GW_CPU:-1}
CPUS=${HOTDASH_BENCH_CPUS:-$GW_CPU}
# TRACING=1 measures the gateway's own cost: the silo (on other machines in a deployment) gets another CPU.
SILO_CPUS=${SILO_CPUS-$([[ ${TRACING:-0} == 1 ]] && echo 0 || true)}
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=${RESULTS:-$HERE/results/$STAMP.txt}
mkdir -p "$(dirname "$RESULTS")"
LOG=${RESULTS%.txt}.hotdash.log

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[[ -x $SHARED/compare.sh && -x $SHARED/bench.sh ]] || die "shared bench scripts not found in $SHARED (set BENCH_SHARED)"
SHARED=$(cd "$SHARED" && pwd)

# wrk (and the few tools bench.sh uses) from Debian when missing.
missing=()
for t in wrk:wrk curl:curl taskset:util-linux ss:iproute2 node:nodejs; do
  command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
if ((${#missing[@]})); then
  say "installing from Debian: ${missing[*]}"
  sudo=; ((EUID == 0)) || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

port_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
peak_rss_mb() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo '?'; }

HD_PID=
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  [[ -n $HD_PID ]] || return 0
  if kill -0 "$HD_PID" 2>/dev/null; then
    kill -TERM "$HD_PID" 2>/dev/null || true   # hotdash stops its three hosts (TERM, 10 s, KILL)
    for _ in $(seq 300); do kill -0 "$HD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  # Last resort: hotdash leads its own session (setsid), so its group holds every host it started.
  kill -KILL -- "-$HD_PID" 2>/dev/null || true
  wait "$HD_PID" 2>/dev/null || true
  [[ -n ${DATA_DIR:-} ]] && rm -rf "$DATA_DIR"
  HD_PID=
  say "HotDash stopped (its log: $LOG)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Build on all cores first; only the running hosts are pinned.
"$ROOT/hotdash" build

# Starts HotDash (extra environment, e.g. HOTDASH_TRACING=false, as arguments) and waits until it is up.
start_hotdash() {
  say "starting HotDash pinned to CPU $CPUS${*:+ with $*} (log: $LOG)"
  echo "=== HotDash start${*:+ ($*)}" >> "$LOG"
  # Each start on an empty data folder (embedded analytics file, archive): a table grown by earlier runs costs more per write.
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-bench-data.XXXXXX")
  setsid env HOTDASH_DATA_DIR="$DATA_DIR" "$@" taskset -c "$CPUS" "$ROOT/hotdash" up --no-build --config "$CONFIG" >> "$LOG" 2>&1 < /dev/null &
  HD_PID=$!
  local from; from=$(wc -l < "$LOG")
  for _ in $(seq 1200); do   # up to 120 s
    tail -n +"$from" "$LOG" | grep -q '^hotdash: up' && break
    kill -0 "$HD_PID" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "HotDash did not start (see $LOG)"; }
    sleep 0.1
  done
  tail -n +"$from" "$LOG" | grep -q '^hotdash: up' || { tail -n 20 "$LOG" >&2; die "HotDash was not ready within 120 s"; }
  API_PID=$(port_pid "$API_PORT"); SILO_PID=$(port_pid "$SILO_PORT"); DASH_PID=$(port_pid "$DASH_PORT")
  say "HotDash ready: gateway pid ${API_PID:-?}, silo pid ${SILO_PID:-?}, dashboard pid ${DASH_PID:-?}"
  if [[ -n $SILO_CPUS ]]; then
    # Every thread of the silo and the dashboard moves; the gateway stays where the peers are measured.
    for p in $SILO_PID $DASH_PID; do taskset -a -pc "$SILO_CPUS" "$p" > /dev/null; done
    say "silo and dashboard moved to CPU $SILO_CPUS"
  fi
  T0=()
  for p in $API_PID $SILO_PID $DASH_PID; do T0[$p]=$(cpu_ticks "$p"); done
}

# CPU seconds and peak memory of the three processes since start_hotdash.
process_table() {
  local hz; hz=$(getconf CLK_TCK)
  for entry in "gateway:$API_PID" "silo:$SILO_PID" "dashboard:$DASH_PID"; do
    n=${entry%%:*}; p=${entry#*:}
    [[ -n $p && -r /proc/$p/stat ]] || { echo "$n: not running at the end"; continue; }
    awk -v n="$n" -v p="$p" -v t="$(( $(cpu_ticks "$p") - ${T0[$p]:-0} ))" -v hz="$hz" -v m="$(peak_rss_mb "$p")" \
      'BEGIN { printf "%-10s pid %-7s CPU %7.2f s   peak RSS %s MB\n", n, p, t / hz, m }'
  done
}

declare -A T0=()
API_PID=; SILO_PID=; DASH_PID=
if [[ ${TRACING:-0} != 1 ]]; then
  start_hotdash
fi

{
  echo "== HotDash bench $STAMP, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ local changes)')"
  echo "   HotDash processes pinned to CPU $CPUS${SILO_CPUS:+ (silo and dashboard: CPU $SILO_CPUS)}; config bench/config.yaml"
} | tee "$RESULTS"

rc=0
if [[ ${QUOTA:-0} == 1 ]]; then
  # Limits high enough never to refuse during the run, so every request takes the whole quota path.
  manage() { curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$API_PORT$1"; }
  team=$(manage /team/new '{"team_alias":"bench","rpm_limit":100000000,"tpm_limit":100000000000,"max_budget":1000000}') \
    || die "POST /team/new failed"
  team_id=$(printf '%s' "$team" | sed -n 's/.*"team_id": *"\([^"]*\)".*/\1/p')
  vkey=$(manage /key/generate "{\"team_id\":\"$team_id\",\"rpm_limit\":100000000,\"tpm_limit\":100000000000,\"max_parallel_requests\":100000}" \
    | sed -n 's/.*"key": *"\(sk-[^"]*\)".*/\1/p')
  [[ -n $vkey ]] || die "POST /key/generate gave no key"
  export WARMUP=${WARMUP:-15}
  echo "### HotDash, master key (no quota path)" | tee -a "$RESULTS"
  "$SHARED/bench.sh" "http://127.0.0.1:$API_PORT/v1" "Authorization: Bearer $KEY" 2>&1 | tee -a "$RESULTS" || rc=$?
  echo "### HotDash, virtual key in a team with rpm/tpm/parallel/budget limits (the quota path)" | tee -a "$RESULTS"
  "$SHARED/bench.sh" "http://127.0.0.1:$API_PORT/v1" "Authorization: Bearer $vkey" 2>&1 | tee -a "$RESULTS" || rc=$?
elif [[ ${TRACING:-0} == 1 ]]; then
  export WARMUP=${WARMUP:-15}
  declare -A OUT=([false]=$(mktemp) [true]=$(mktemp)) SILO_CPU=([false]=0 [true]=0)
  # Off and on take turns ROUNDS times, so a slow spell of the machine falls on both.
  for round in $(seq "${ROUNDS:-2}"); do
  for mode in false true; do
    start_hotdash HOTDASH_TRACING=$mode
    echo "### round $round: HotDash, master key, tracing $([[ $mode == true ]] && echo on || echo off) (HOTDASH_TRACING=$mode)" | tee -a "$RESULTS"
    "$SHARED/bench.sh" "http://127.0.0.1:$API_PORT/v1" "Authorization: Bearer $KEY" 2>&1 | tee -a "$RESULTS" "${OUT[$mode]}" || rc=$?
    if [[ $mode == true ]]; then
      sleep 2   # one flush interval and then some: what was captured has been shipped or is still queued
      queue=$(curl -s -m 5 "http://127.0.0.1:$API_PORT/health/readiness" | grep -o '"trace_queue":{[^}]*}' || echo 'trace_queue: (no answer)')
      echo "gateway readiness after the traced run: $queue" | tee -a "$RESULTS"
    fi
    process_table | tee -a "$RESULTS"
    SILO_CPU[$mode]=$([[ -n $SILO_PID && -r /proc/$SILO_PID/stat ]] \
      && awk -v s="${SILO_CPU[$mode]}" -v t="$(( $(cpu_ticks "$SILO_PID") - ${T0[$SILO_PID]:-0} ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", s + t / hz }' || echo '?')
    cleanup
  done
  done
  # Medians over the repeats: saturating rows (r*) for RPS and CPU, paced rows (p*) for the added latency.
  figures() {
    awk '
      function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                          return n == 0 ? "-" : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
      $1 ~ /^r[0-9]+$/ && $2 == "gw" && NF >= 11 { rps[++nr] = $4; cpu[nr] = $10 }
      $1 ~ /^p[0-9]+$/ && NF == 8 && $7 ~ /x$/ { a50[++np] = $3; a99[np] = $5 }
      END { printf "%9s %10s %13s %13s", median(rps, nr), median(cpu, nr), median(a50, np), median(a99, np) }' "$1"
  }
  {
    echo
    echo "### Tracing off vs on (medians over ${ROUNDS:-2} rounds of the repeats; RPS and gateway CPU at ${CONNS:-50} conns, added latency at light load; silo CPU summed)"
    printf '%-8s %9s %10s %13s %13s %12s\n' tracing rps gwCPUus/r added_p50_ms added_p99_ms silo_cpu_s
    for mode in false true; do
      printf '%-8s %s %12s\n' "$([[ $mode == true ]] && echo on || echo off)" "$(figures "${OUT[$mode]}")" "${SILO_CPU[$mode]}"
    done
  } | tee -a "$RESULTS"
  rm -f "${OUT[false]}" "${OUT[true]}"
  echo "results: $RESULTS" | tee -a "$RESULTS"
  exit "$rc"
else
  "$SHARED/compare.sh" "http://127.0.0.1:$API_PORT/v1" "Authorization: Bearer $KEY" 2>&1 | tee -a "$RESULTS" || rc=$?
fi

# bench.sh counts the gateway process only; the silo does part of HotDash's work per request.
{
  echo
  echo "### HotDash processes over the whole run (HotDash idles while the peers are measured)"
  process_table
  echo "results: $RESULTS"
} | tee -a "$RESULTS"
exit "$rc"
