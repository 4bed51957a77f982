#!/usr/bin/env bash
# bench/ingest.sh: trace ingestion throughput, events/s into the analytics store through the Langfuse public API and
# from the gateway.
#
# Builds HotDash and bench/HotDash.Bench.Ingest (Release), starts its own silo, gateway and dashboard (`./hotdash up
# --no-build`) on free non-default loopback ports with a private cluster id, a fresh HOTDASH_DATA_DIR, a master key and
# a Langfuse project key pair made for the run (LANGFUSE_INIT_PROJECT_*), against ClickHouse + S3 (a fresh database
# and a fresh bucket) or, with ANALYTICS=embedded, DuckDB + the archive folder. Then the bench app runs two phases:
#   1. public API: CLIENTS clients POST batches of BATCH events (trace-create + generation-create with usage) to
#      /api/public/ingestion until EVENTS events are sent; events accepted/s (201s in the 207 answers), request
#      p50/p99, and events stored/s until every accepted event is a row (ClickHouse: SELECT count() ... FINAL;
#      DuckDB: the read API's meta.totalItems);
#   2. gateway: CLIENTS clients send REQUESTS chat completions to the built-in mock model with the master key;
#      requests/s, p50/p99, and traces stored/s until every request's trace and generation is stored.
# It prints one figure table, the hosts' CPU and memory, and stops everything it started (also on Ctrl-C or a
# failure); the database, bucket and data dir go too unless KEEP=1.
#
# Usage: bench/ingest.sh
#        EVENTS=20000 REQUESTS=5000 bench/ingest.sh        a quicker run
#        ANALYTICS=embedded bench/ingest.sh                DuckDB in the silo + the archive folder
# Env:   CLIENTS (4), EVENTS (100000), BATCH (100 events a request), REQUESTS (5000), DURATION_CAP (600 s, per send
#        loop), STORE_TIMEOUT (120 s, per wait for the store), PHASES (api,gateway), ANALYTICS (clickhouse|embedded),
#        CLICKHOUSE_URL (+ CLICKHOUSE_USER, CLICKHOUSE_PASSWORD), S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
#        S3_REGION (us-east-1): the stores; unset, the dev servers of DEV_ENV (/tmp/dev/env: HOTDASH_TEST_CLICKHOUSE,
#        HOTDASH_TEST_S3, HOTDASH_TEST_S3_ACCESS_KEY, HOTDASH_TEST_S3_SECRET_KEY). KEEP=1 keeps the database, bucket
#        and data dir. RESULTS (bench/results/ingest-<timestamp>.txt). Any HOTDASH_TRACING_* setting passes through
#        to the hosts (e.g. HOTDASH_TRACING_FLUSH_INTERVAL_MS).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=${RESULTS:-$HERE/results/ingest-$STAMP.txt}
mkdir -p "$(dirname "$RESULTS")"
LOG=${RESULTS%.txt}.hotdash.log
: > "$LOG"

CLIENTS=${CLIENTS:-4}
EVENTS=${EVENTS:-100000}
BATCH=${BATCH:-100}
REQUESTS=${REQUESTS:-5000}
DURATION_CAP=${DURATION_CAP:-600}
STORE_TIMEOUT=${STORE_TIMEOUT:-120}
PHASES=${PHASES:-api,gateway}
ANALYTICS=${ANALYTICS:-clickhouse}
KEEP=${KEEP:-0}
CONFIGURATION=Release
export HOTDASH_CONFIGURATION=$CONFIGURATION

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for v in CLIENTS EVENTS BATCH REQUESTS DURATION_CAP STORE_TIMEOUT; do
  if ! [[ ${!v} =~ ^[0-9]+$ ]] || ((${!v} == 0)); then die "$v must be a positive integer, not '${!v}'"; fi
done
((EVENTS % 2 == 0 && BATCH % 2 == 0)) || die "EVENTS and BATCH must be even (each trace comes with one generation)"
for t in curl ss setsid timeout dotnet; do command -v "$t" >/dev/null || die "$t is required"; done

rand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# The stores: the environment's, else the dev servers.
case $ANALYTICS in
  clickhouse)
    if [[ -z ${CLICKHOUSE_URL:-} || -z ${S3_ENDPOINT:-} ]] && [[ -r ${DEV_ENV:-/tmp/dev/env} ]]; then
      # shellcheck disable=SC1090
      source "${DEV_ENV:-/tmp/dev/env}"
    fi
    CH_URL=${CLICKHOUSE_URL:-${HOTDASH_TEST_CLICKHOUSE:-}}
    S3_URL=${S3_ENDPOINT:-${HOTDASH_TEST_S3:-}}
    S3_AK=${S3_ACCESS_KEY:-${HOTDASH_TEST_S3_ACCESS_KEY:-}}
    S3_SK=${S3_SECRET_KEY:-${HOTDASH_TEST_S3_SECRET_KEY:-}}
    S3_RG=${S3_REGION:-us-east-1}
    [[ -n $CH_URL ]] || die "no ClickHouse: set CLICKHOUSE_URL (or HOTDASH_TEST_CLICKHOUSE), or ANALYTICS=embedded"
    [[ -n $S3_URL && -n $S3_AK && -n $S3_SK ]] || die "no S3: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY (or the HOTDASH_TEST_S3* ones), or ANALYTICS=embedded"
    [[ $(curl -s -m 5 "${CH_URL%/}/ping" || true) == Ok.* ]] || die "ClickHouse at $CH_URL does not answer /ping"
    CH_DB=hotdash_ingest_bench_${STAMP//-/_}_$$
    BUCKET=hotdash-ingest-bench-$STAMP-$$
    ;;
  embedded) CH_URL=; CH_DB=; S3_URL=; BUCKET= ;;
  *) die "ANALYTICS must be clickhouse or embedded, not '$ANALYTICS'" ;;
esac

# N distinct free loopback ports, never HotDash's defaults (another HotDash may be using them, or start later).
DEFAULT_PORTS=" 3000 3030 4000 11111 30000 "
free_ports() {
  local n=$1 p out=() seen=$DEFAULT_PORTS tries=0
  while ((${#out[@]} < n)); do
    ((++tries < 1000)) || die "no free ports found"
    p=$((20000 + RANDOM % 40000))
    [[ $seen == *" $p "* ]] && continue
    [[ -z $(ss -Hltn "sport = :$p" 2>/dev/null) ]] || continue
    seen+="$p "; out+=("$p")
  done
  printf '%s' "${out[*]}"
}
read -r API_PORT DASH_PORT SILO_PORT OSILO_PORT OGW_PORT <<<"$(free_ports 5)"

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-ingest-bench.XXXXXX")
CLUSTER_ID=ingest-bench-$$-$(rand 3)
MASTER_KEY=sk-ingest-bench-$(rand 12)
PUBLIC_KEY=pk-lf-bench-$(rand 12)
SECRET_KEY=sk-lf-bench-$(rand 16)

port_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
peak_rss_mb() { awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo '?'; }

HD_PID=
BENCH_DLL=
STORES_CREATED=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
stop_hotdash() {
  [[ -n $HD_PID ]] || return 0
  if kill -0 "$HD_PID" 2>/dev/null; then
    kill -TERM "$HD_PID" 2>/dev/null || true   # hotdash stops its three hosts (TERM, up to 30 s each, then KILL)
    for _ in $(seq 700); do kill -0 "$HD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  # Last resort: hotdash leads its own session (setsid), so its group holds every host it started.
  kill -KILL -- "-$HD_PID" 2>/dev/null || true
  wait "$HD_PID" 2>/dev/null || true
  HD_PID=
  say "HotDash stopped (its log: $LOG)"
}
# shellcheck disable=SC2317
cleanup() {
  local rc=$?
  stop_hotdash
  if ((KEEP)); then
    say "kept (KEEP=1): data dir $DATA_DIR${CH_DB:+, ClickHouse database $CH_DB}${BUCKET:+, bucket $BUCKET}"
  else
    if ((STORES_CREATED)) && [[ -n $CH_URL && -f $BENCH_DLL ]]; then
      S3_SECRET_KEY=$S3_SK timeout -k 5 330 dotnet "$BENCH_DLL" cleanup --clickhouse "$CH_URL" --clickhouse-db "$CH_DB" \
        --s3 "$S3_URL" --bucket "$BUCKET" --access-key "$S3_AK" --region "$S3_RG" < /dev/null || say "cleanup of the stores failed (see above)"
    fi
    rm -rf "$DATA_DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Build: the three hosts and the bench app (Release, all cores).
"$ROOT/hotdash" build
say "building bench/HotDash.Bench.Ingest ($CONFIGURATION)..."
dotnet build "$HERE/HotDash.Bench.Ingest/HotDash.Bench.Ingest.csproj" -c "$CONFIGURATION" -nologo -v quiet -tl:off -clp:ErrorsOnly \
  > "$DATA_DIR/bench-build.log" 2>&1 || { cat "$DATA_DIR/bench-build.log" >&2; die "building the bench app failed"; }
BENCH_DLL=$HERE/HotDash.Bench.Ingest/bin/$CONFIGURATION/net10.0/HotDash.Bench.Ingest.dll
[[ -f $BENCH_DLL ]] || die "$BENCH_DLL not found after the build"

# The hosts' environment: only what this run sets. The caller's Redis, PostgreSQL, config file and stores are left out
# so the run is self-contained (embedded clustering, state and registry) and counts only its own rows.
HOST_ENV=(
  -u HOTDASH_CONFIG -u REDIS_URL -u REDIS_HOST -u REDIS_PORT -u REDIS_PASSWORD -u DATABASE_URL
  -u CLICKHOUSE_URL -u CLICKHOUSE_DB -u LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT -u LANGFUSE_S3_EVENT_UPLOAD_BUCKET
  -u S3_ENDPOINT -u S3_BUCKET -u S3_ACCESS_KEY -u S3_SECRET_KEY -u HOTDASH_DUCKDB_PATH -u HOTDASH_ARCHIVE_DIR
  -u LANGFUSE_INIT_PROJECT_ID -u HOTDASH_TRACING_PROJECT
  HOTDASH_BIND=127.0.0.1 HOTDASH_API_PORT="$API_PORT" HOTDASH_DASHBOARD_PORT="$DASH_PORT" HOTDASH_SILO_PORT="$SILO_PORT"
  HOTDASH_ORLEANS_SILO_PORT="$OSILO_PORT" HOTDASH_ORLEANS_GATEWAY_PORT="$OGW_PORT" HOTDASH_CLUSTER_ID="$CLUSTER_ID"
  HOTDASH_DATA_DIR="$DATA_DIR" HOTDASH_TRACING=true LITELLM_MASTER_KEY="$MASTER_KEY"
  LANGFUSE_INIT_PROJECT_PUBLIC_KEY="$PUBLIC_KEY" LANGFUSE_INIT_PROJECT_SECRET_KEY="$SECRET_KEY"
)
if [[ -n $CH_URL ]]; then
  HOST_ENV+=(CLICKHOUSE_URL="$CH_URL" CLICKHOUSE_DB="$CH_DB" S3_ENDPOINT="$S3_URL" S3_BUCKET="$BUCKET"
             S3_ACCESS_KEY="$S3_AK" S3_SECRET_KEY="$S3_SK" S3_REGION="$S3_RG")
  STORE_DESC="ClickHouse $CH_URL database $CH_DB, S3 $S3_URL bucket $BUCKET"
else
  STORE_DESC="DuckDB $DATA_DIR/analytics.duckdb, archive folder $DATA_DIR/archive"
fi

say "starting HotDash: gateway :$API_PORT, dashboard :$DASH_PORT, silo :$SILO_PORT (Orleans :$OSILO_PORT/:$OGW_PORT), cluster $CLUSTER_ID"
say "stores: $STORE_DESC (log: $LOG)"
STORES_CREATED=1
setsid env "${HOST_ENV[@]}" "$ROOT/hotdash" up --no-build >> "$LOG" 2>&1 < /dev/null &
HD_PID=$!
for _ in $(seq 1800); do   # up to 180 s: three hosts, each up to HOTDASH_READY_TIMEOUT (60 s)
  grep -q '^hotdash: up' "$LOG" && break
  kill -0 "$HD_PID" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "HotDash did not start (see $LOG)"; }
  sleep 0.1
done
grep -q '^hotdash: up' "$LOG" || { tail -n 20 "$LOG" >&2; die "HotDash was not ready within 180 s"; }
API_PID=$(port_pid "$API_PORT"); SILO_PID=$(port_pid "$SILO_PORT"); DASH_PID=$(port_pid "$DASH_PORT")
say "HotDash ready: gateway pid ${API_PID:-?}, silo pid ${SILO_PID:-?}, dashboard pid ${DASH_PID:-?}"
declare -A T0=()
for p in $API_PID $SILO_PID $DASH_PID; do T0[$p]=$(cpu_ticks "$p"); done

{
  echo "== HotDash ingestion bench $STAMP, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ local changes)')"
  echo "   $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; HotDash unpinned"
  echo "   stores: $STORE_DESC"
  echo "   clients $CLIENTS, $EVENTS events in batches of $BATCH, $REQUESTS gateway requests; phases $PHASES"
} | tee "$RESULTS"

bench_args=(run --dashboard "http://127.0.0.1:$DASH_PORT" --gateway "http://127.0.0.1:$API_PORT"
  --public-key "$PUBLIC_KEY" --secret-key "$SECRET_KEY" --master-key "$MASTER_KEY" --model mock-chat
  --clients "$CLIENTS" --events "$EVENTS" --batch-events "$BATCH" --requests "$REQUESTS"
  --duration-cap "$DURATION_CAP" --store-timeout "$STORE_TIMEOUT" --phases "$PHASES"
  --label "$([[ -n $CH_URL ]] && echo 'ClickHouse + S3' || echo 'DuckDB + folder'), $CLIENTS clients")
[[ -n $CH_URL ]] && bench_args+=(--clickhouse "$CH_URL" --clickhouse-db "$CH_DB")
# Bounded: two phases, each a warm-up and a measured send loop (DURATION_CAP each) and two store waits, plus start-up.
BENCH_TIMEOUT=$((4 * DURATION_CAP + 4 * STORE_TIMEOUT + 300))
rc=0
timeout -k 10 "$BENCH_TIMEOUT" dotnet "$BENCH_DLL" "${bench_args[@]}" < /dev/null 2>&1 | tee -a "$RESULTS" || rc=${PIPESTATUS[0]}
((rc == 124)) && say "the bench app did not finish within $BENCH_TIMEOUT s; stopped"

{
  echo
  queue=$(curl -s -m 5 "http://127.0.0.1:$API_PORT/health/readiness" | grep -o '"trace_queue":{[^}]*}' || echo 'trace_queue: (no answer)')
  echo "gateway readiness at the end: $queue"
  hz=$(getconf CLK_TCK)
  for entry in "gateway:$API_PID" "silo:$SILO_PID" "dashboard:$DASH_PID"; do
    n=${entry%%:*}; p=${entry#*:}
    if [[ -z $p || ! -r /proc/$p/stat ]]; then echo "$n: not running at the end"; continue; fi
    awk -v n="$n" -v p="$p" -v t="$(( $(cpu_ticks "$p") - ${T0[$p]:-0} ))" -v hz="$hz" -v m="$(peak_rss_mb "$p")" \
      'BEGIN { printf "%-10s pid %-7s CPU %7.2f s over the run   peak RSS %s MB\n", n, p, t / hz, m }'
  done
  echo "results: $RESULTS"
} | tee -a "$RESULTS"
exit "$rc"
