#!/usr/bin/env bash
# Ping throughput benchmark: starts the embedded devstack (Kafka, PostgreSQL, SMTP sink), the packaged
# ingest service and, when its packaged jar exists, the evaluator (so the evaluator's consumer lag is
# real); creates monitors; drives a Java load generator (bench/ping/PingBench.java, Vert.x client) for
# a fixed time against the ping URL and against the trivial /bench/ok route of the same ingest
# process (the ceiling), then an open-loop run at a fixed rate for latency; prints a table.
# Everything it starts is stopped on exit, Ctrl-C included.
#
#   bench/ping/run.sh                      # defaults below
#   DURATION=60 CONNECTIONS=256 RATE=2000 RATE_DURATION=30 MONITORS=200 bench/ping/run.sh
#   EVALUATOR=off bench/ping/run.sh         # ingest alone (monitors registered on the topic)
#   EVALUATOR_JAR=evaluator-service/target-x/quarkus-app/quarkus-run.jar bench/ping/run.sh
#   INGEST_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/ingest.jfr" bench/ping/run.sh   # profile ingest
#   BIG_BODIES=4 INGEST_JAVA_OPTS=-Xmx128m bench/ping/run.sh   # + a fixed-rate run beside 4 senders of 5-10 MiB bodies
#   BIG_BODIES=4 BIG_INTERVAL_MS=1000 bench/ping/run.sh         # ... each sending one body a second at most
#   BASELINE_JAR=/tmp/base/quarkus-app/quarkus-run.jar bench/ping/run.sh   # + the latency runs against another build, same run
#   BASELINES="main=/tmp/main/quarkus-app/quarkus-run.jar plain=/tmp/plain/quarkus-app/quarkus-run.jar" bench/ping/run.sh
#   CONNECTION_SET="1 8 64" bench/ping/run.sh   # the closed-loop latency runs (p50/p99 at few connections)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-256}"
RATE="${RATE:-2000}"
RATE_DURATION="${RATE_DURATION:-30}"
WARMUP="${WARMUP:-10}"
MONITORS="${MONITORS:-200}"
BIG_BODIES="${BIG_BODIES:-0}"
BIG_MIN_MIB="${BIG_MIN_MIB:-5}"
BIG_MAX_MIB="${BIG_MAX_MIB:-10}"
BIG_INTERVAL_MS="${BIG_INTERVAL_MS:-0}"
CONNECTION_SET="${CONNECTION_SET:-1 8 64}"
BASELINE_JAR="${BASELINE_JAR:-}"
INGEST_JAR="${INGEST_JAR:-$ROOT/ingest-service/target/quarkus-app/quarkus-run.jar}"
EVALUATOR_JAR="${EVALUATOR_JAR:-$ROOT/evaluator-service/target/quarkus-app/quarkus-run.jar}"

# Builds what is missing, also from a fresh clone with an empty local repository: online, and with
# -am so the modules the ingest service and the devstack (testkit) need are built in the same reactor.
if [[ ! -f "$INGEST_JAR" || ! -f testkit/target/classpath.txt || ! -d testkit/target/classes ]]; then
  mvn -B -q -pl ingest-service,testkit -am package -DskipTests
fi
GEN_CP="$(dirname "$INGEST_JAR")/lib/main/*:$(dirname "$INGEST_JAR")/lib/boot/*"
gen() { java -Xmx512m -cp "$GEN_CP" "$ROOT/bench/ping/PingBench.java" "$@"; }

WORK="$(mktemp -d -t vigil-bench-XXXXXX)"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # url seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for $1" >&2; return 1
}

KAFKA_PORT=$(gen freeport); DB_PORT=$(gen freeport); SMTP_PORT=$(gen freeport)
INGEST_PORT=$(gen freeport); EVALUATOR_PORT=$(gen freeport)

echo "devstack: Kafka $KAFKA_PORT, PostgreSQL $DB_PORT (data in $WORK)"
VIGIL_HOME="$WORK/vigil" VIGIL_DEVSTACK_KAFKA_PORT=$KAFKA_PORT VIGIL_DEVSTACK_DB_PORT=$DB_PORT VIGIL_DEVSTACK_SMTP_PORT=$SMTP_PORT \
  java -Xmx1g -cp "testkit/target/classes:$(cat testkit/target/classpath.txt)" io.vigil.testkit.DevStack >"$WORK/devstack.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q "DEVSTACK READY" "$WORK/devstack.log" 2>/dev/null && break; sleep 0.2; done
grep -q "DEVSTACK READY" "$WORK/devstack.log" || { echo "devstack did not start" >&2; tail -20 "$WORK/devstack.log" >&2; exit 1; }

start_ingest() { # NAME JAR PORT: a copy of the app, so a rebuild during the run cannot pull the jar from under it
  cp -r "$(dirname "$2")" "$WORK/$1-app"
  VIGIL_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT VIGIL_INGEST_PORT=$3 VIGIL_BENCH_OK_ROUTE=true \
    java -Xmx512m ${INGEST_JAVA_OPTS:-} -jar "$WORK/$1-app/$(basename "$2")" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
echo "ingest on $INGEST_PORT"
start_ingest ingest "$INGEST_JAR" "$INGEST_PORT"
wait_for "http://127.0.0.1:$INGEST_PORT/q/health/ready" 90
# Other builds measured in the same run, on the same broker: BASELINES="name=jar ...", or BASELINE_JAR (named baseline).
[[ -n "$BASELINE_JAR" ]] && BASELINES="baseline=$BASELINE_JAR ${BASELINES:-}"
BASELINE_NAMES=(); BASELINE_URLS=()
for spec in ${BASELINES:-}; do
  name="${spec%%=*}"; jar="${spec#*=}"
  port=$(gen freeport)
  echo "$name ingest ($jar) on $port, same broker"
  start_ingest "$name" "$jar" "$port"
  wait_for "http://127.0.0.1:$port/q/health/ready" 90
  BASELINE_NAMES+=("$name"); BASELINE_URLS+=("http://127.0.0.1:$port")
done

ADMIN_ARGS=()
EVALUATOR_URL=""
if [[ -f "$EVALUATOR_JAR" && "${EVALUATOR:-on}" != off ]]; then
  echo "evaluator on $EVALUATOR_PORT"
  # A copy, so a rebuild of the evaluator during the run cannot pull the jar from under it.
  cp -r "$(dirname "$EVALUATOR_JAR")" "$WORK/evaluator-app"
  ADMIN_KEY="bench-$(date +%s)-$RANDOM-admin-key-0123456789"
  VIGIL_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT VIGIL_EVALUATOR_PORT=$EVALUATOR_PORT VIGIL_ADMIN_KEY=$ADMIN_KEY \
  VIGIL_SECRETS_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n') \
  VIGIL_DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/vigil VIGIL_DB_USER=postgres VIGIL_DB_PASSWORD=postgres \
  VIGIL_PUBLIC_URL=http://127.0.0.1:$INGEST_PORT \
    java -Xmx512m -jar "$WORK/evaluator-app/quarkus-run.jar" >"$WORK/evaluator.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$EVALUATOR_PORT/q/health/ready" 120
  EVALUATOR_URL="http://127.0.0.1:$EVALUATOR_PORT"
  ADMIN_ARGS=("$EVALUATOR_URL" "$ADMIN_KEY")
else
  echo "no evaluator (EVALUATOR=off or no $EVALUATOR_JAR): monitors go straight to the registry topic, no consumer lag"
fi

INGEST="http://127.0.0.1:$INGEST_PORT"
gen setup "$WORK/tokens" "$MONITORS" "$INGEST" "127.0.0.1:$KAFKA_PORT" "${ADMIN_ARGS[@]}"

echo "warm-up ${WARMUP}s; ${DURATION}s each against pings at $CONNECTION_SET connections${BASELINES:+ (each baseline, then this build)}"
[[ "${MAX_RUNS:-on}" != off ]] && echo "then ${DURATION}s against /bench/ok, ${DURATION}s against pings ($CONNECTIONS connections), ${RATE_DURATION}s at $RATE pings/s"
gen load warmup "$INGEST" "$WORK/tokens" "$CONNECTIONS" "$WARMUP" >/dev/null
for url in "${BASELINE_URLS[@]}"; do gen load warmup "$url" "$WORK/tokens" "$CONNECTIONS" "$WARMUP" >/dev/null; done
# Closed loop over few connections: the latency a sender feels (a job pings alone). The baselines,
# when given, run right before this build at each count, so all see the same machine.
LATENCY_ROWS=()
for c in $CONNECTION_SET; do
  for i in "${!BASELINE_URLS[@]}"; do
    ROW=$(gen load "${BASELINE_NAMES[$i]}-pings-c$c" "${BASELINE_URLS[$i]}" "$WORK/tokens" "$c" "$DURATION" | grep '^RESULT')
    echo "$ROW"; LATENCY_ROWS+=("$ROW")
  done
  ROW=$(gen load "pings-c$c" "$INGEST" "$WORK/tokens" "$c" "$DURATION" | grep '^RESULT')
  echo "$ROW"; LATENCY_ROWS+=("$ROW")
done
ROWS=("${LATENCY_ROWS[@]}")
CEILING="RESULT ceiling ok_per_s=0"; MAX="RESULT pings ok_per_s=0"; LAG_AFTER_MAX=n/a
if [[ "${MAX_RUNS:-on}" != off ]]; then
CEILING=$(gen load ceiling "$INGEST" ok "$CONNECTIONS" "$DURATION" | grep '^RESULT')
echo "$CEILING"
MAX=$(gen load pings "$INGEST" "$WORK/tokens" "$CONNECTIONS" "$DURATION" | grep '^RESULT')
echo "$MAX"
[[ -n "$EVALUATOR_URL" ]] && LAG_AFTER_MAX=$(gen lag "$EVALUATOR_URL")
# The ingest process's heap in use (MiB, garbage included), from its own metrics.
heap_mib() { curl -fsS "$INGEST/q/metrics" 2>/dev/null | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { printf "%.0f\n", s / 1048576 }'; }
sample_heap() { # FILE: the highest heap use seen, every 0.5 s until killed
  local peak=0 v
  while :; do
    v=$(heap_mib)
    if [[ -n "$v" && "$v" -gt "$peak" ]]; then peak=$v; echo "$peak" >"$1"; fi
    sleep 0.5
  done
}
sample_heap "$WORK/heap-fixed" & SAMPLER=$!; PIDS+=($SAMPLER)
FIXED=$(gen load fixed-rate "$INGEST" "$WORK/tokens" "$CONNECTIONS" "$RATE_DURATION" "$RATE" | grep '^RESULT')
kill "$SAMPLER" 2>/dev/null || true
echo "$FIXED"
ROWS+=("$CEILING" "$MAX" "$FIXED")
if (( BIG_BODIES > 0 )); then
  # The same fixed-rate run while BIG_BODIES senders upload 5-10 MiB bodies for its whole length
  # (the load run spends ~3 s compiling and warming its connections first).
  echo "${RATE_DURATION}s at $RATE pings/s beside $BIG_BODIES senders of ${BIG_MIN_MIB}-${BIG_MAX_MIB} MiB bodies (one every ${BIG_INTERVAL_MS} ms at most)"
  gen big "$INGEST" "$WORK/tokens" "$BIG_BODIES" "$((RATE_DURATION + 5))" "$BIG_MIN_MIB" "$BIG_MAX_MIB" "$BIG_INTERVAL_MS" >"$WORK/big.out" 2>&1 &
  BIG_PID=$!; PIDS+=($BIG_PID)
  sample_heap "$WORK/heap-big" & SAMPLER=$!; PIDS+=($SAMPLER)
  FIXED_BIG=$(gen load fixed-rate+big "$INGEST" "$WORK/tokens" "$CONNECTIONS" "$RATE_DURATION" "$RATE" | grep '^RESULT')
  wait "$BIG_PID" || true
  kill "$SAMPLER" 2>/dev/null || true
  echo "$FIXED_BIG"
  BIG=$(grep '^RESULT' "$WORK/big.out" || { cat "$WORK/big.out" >&2; echo "RESULT big failed"; })
  echo "$BIG"
  ROWS+=("$FIXED_BIG")
fi
fi
LAG_END=n/a
[[ -n "$EVALUATOR_URL" ]] && LAG_END=$(gen lag "$EVALUATOR_URL")

field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<"$1"; }
printf '\n%-34s %12s %9s %9s %9s %9s %8s\n' "run" "200s/s" "p50 ms" "p99 ms" "p99.9 ms" "non-200" "errors"
for line in "${ROWS[@]}"; do
  printf '%-34s %12s %9s %9s %9s %9s %8s\n' "$(awk '{print $2}' <<<"$line")" "$(field "$line" ok_per_s)" \
    "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" p999_ms)" "$(field "$line" non200)" "$(field "$line" errors)"
done
[[ "${MAX_RUNS:-on}" != off ]] && awk -v p="$(field "$MAX" ok_per_s)" -v c="$(field "$CEILING" ok_per_s)" \
  'BEGIN { printf "\ndurable pings/s vs ceiling: %.0f / %.0f = %.0f%%\n", p, c, (c > 0 ? 100 * p / c : 0) }'
echo "evaluator consumer lag (vigil_consumer_lag, records): after the max run $LAG_AFTER_MAX, at the end $LAG_END"
if (( BIG_BODIES > 0 )); then
  echo "big bodies beside the second fixed-rate run: $(cut -d' ' -f3- <<<"$BIG")"
  echo "ingest heap in use, peak of 0.5 s samples (MiB, garbage included): fixed-rate $(cat "$WORK/heap-fixed" 2>/dev/null || echo n/a), fixed-rate+big $(cat "$WORK/heap-big" 2>/dev/null || echo n/a);" \
    "ingest JVM options: -Xmx512m ${INGEST_JAVA_OPTS:-}; OutOfMemoryError in its log: $(grep -c OutOfMemoryError "$WORK/ingest.log" || true)"
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
