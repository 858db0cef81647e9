#!/usr/bin/env bash
# Runs the whole Vigil suite locally: builds what is missing, starts the devstack (Kafka, PostgreSQL,
# an SMTP sink; data under .vigil/) and the three services, waits until all are ready, and prints a
# walkthrough. Ctrl-C stops everything it started. Configured only through VIGIL_* variables (README).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

: "${VIGIL_HOME:=$root/.vigil}"
logs="$VIGIL_HOME/logs"
mkdir -p "$logs"
: "${VIGIL_INGEST_PORT:=8080}" "${VIGIL_EVALUATOR_PORT:=8081}" "${VIGIL_NOTIFIER_PORT:=8082}"
export VIGIL_HOME VIGIL_INGEST_PORT VIGIL_EVALUATOR_PORT VIGIL_NOTIFIER_PORT

say() { printf '%s\n' "$*"; }
die() { say "run.sh: $*" >&2; exit 1; }

jars=(ingest-service/target/quarkus-app/quarkus-run.jar
      evaluator-service/target/quarkus-app/quarkus-run.jar
      notifier-service/target/quarkus-app/quarkus-run.jar
      testkit/target/classpath.txt)

# Build when a jar is missing or a source or pom of any module changed since the last build. The
# build is the reactor's (-am: every module these need, outbox included), packaged, never installed:
# it relies on no io.vigil artifact in the local Maven repository. MAVEN_OPTS is honoured as usual, and
# VIGIL_MAVEN_ARGS adds arguments (e.g. -o, or -Dmaven.repo.local=/some/repository).
modules=()
while read -r module; do
  [ "$module" = e2e ] || modules+=("$module") # the black-box tests: nothing run.sh starts
done < <(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' pom.xml)
needs_build=false
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(find "${modules[@]}" pom.xml -path '*/target' -prune -o -type f -newer "$jar" -print -quit)" ]; then
    needs_build=true
  fi
done
if $needs_build; then
  say "Building Vigil (mvn -B -q -Dmaven.test.skip=true package -am; the first build downloads dependencies)..."
  # shellcheck disable=SC2086 # VIGIL_MAVEN_ARGS is a list of arguments
  mvn -B -q -Dmaven.test.skip=true ${VIGIL_MAVEN_ARGS:-} package -pl testkit,ingest-service,evaluator-service,notifier-service -am \
    > "$logs/build.log" 2>&1 || { tail -n 40 "$logs/build.log" >&2; die "the build failed; see $logs/build.log"; }
  touch "${jars[@]}" # a step that found nothing to change may have left its output's time alone
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$VIGIL_INGEST_PORT" "$VIGIL_EVALUATOR_PORT" "$VIGIL_NOTIFIER_PORT"; do
  port_free "$port" || die "port $port is taken; stop what uses it or set VIGIL_INGEST_PORT/VIGIL_EVALUATOR_PORT/VIGIL_NOTIFIER_PORT"
done

# The admin key: the one given, else one kept in .vigil/ so a restart keeps it.
if [ -z "${VIGIL_ADMIN_KEY:-}" ]; then
  if [ ! -s "$VIGIL_HOME/admin-key" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | sed 's/^/vk_/' > "$VIGIL_HOME/admin-key")
  fi
  VIGIL_ADMIN_KEY=$(cat "$VIGIL_HOME/admin-key")
fi
# The web console's first user: the one given, else "admin" with a password generated once and kept in .vigil/.
: "${VIGIL_ADMIN_USER:=admin}"
if [ -z "${VIGIL_ADMIN_PASSWORD:-}" ]; then
  if [ ! -s "$VIGIL_HOME/admin-password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$VIGIL_HOME/admin-password")
  fi
  VIGIL_ADMIN_PASSWORD=$(cat "$VIGIL_HOME/admin-password")
fi
export VIGIL_ADMIN_USER VIGIL_ADMIN_PASSWORD
# The key that seals channel settings on Kafka (evaluator and notifier): the one given, else one kept in .vigil/.
if [ -z "${VIGIL_SECRETS_KEY:-}" ]; then
  if [ ! -s "$VIGIL_HOME/secrets-key" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '\n' > "$VIGIL_HOME/secrets-key")
  fi
  VIGIL_SECRETS_KEY=$(cat "$VIGIL_HOME/secrets-key")
fi
# The evaluator's secret for the notifier's internal API (channel tests): the one given, else one kept in .vigil/.
if [ -z "${VIGIL_INTERNAL_TOKEN:-}" ]; then
  if [ ! -s "$VIGIL_HOME/internal-token" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$VIGIL_HOME/internal-token")
  fi
  VIGIL_INTERNAL_TOKEN=$(cat "$VIGIL_HOME/internal-token")
fi
: "${VIGIL_ALLOW_PRIVATE_TARGETS:=true}"
: "${VIGIL_PUBLIC_URL:=http://localhost:$VIGIL_INGEST_PORT}"
: "${VIGIL_ADMIN_URL:=http://localhost:$VIGIL_EVALUATOR_PORT}"
: "${VIGIL_NOTIFIER_URL:=http://localhost:$VIGIL_NOTIFIER_PORT}"
export VIGIL_ADMIN_KEY VIGIL_SECRETS_KEY VIGIL_INTERNAL_TOKEN VIGIL_ALLOW_PRIVATE_TARGETS VIGIL_PUBLIC_URL VIGIL_ADMIN_URL VIGIL_NOTIFIER_URL

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say ""
    say "Stopping Vigil..."
    # Services first (newest first), then the devstack they depend on.
    for (( i=${#pids[@]}-1; i>=0; i-- )); do
      kill -TERM "${pids[$i]}" 2>/dev/null || true
      wait "${pids[$i]}" 2>/dev/null || true
    done
    say "Stopped."
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# The devstack starts only what the environment does not point elsewhere.
: "${VIGIL_DEVSTACK_KAFKA_PORT:=19092}" "${VIGIL_DEVSTACK_DB_PORT:=15432}" "${VIGIL_DEVSTACK_SMTP_PORT:=2525}"
export VIGIL_DEVSTACK_KAFKA_PORT VIGIL_DEVSTACK_DB_PORT VIGIL_DEVSTACK_SMTP_PORT
if [ -z "${VIGIL_KAFKA_BOOTSTRAP:-}" ] || [ -z "${VIGIL_DB_URL:-}" ] || [ -z "${VIGIL_SMTP_HOST:-}" ]; then
  say "Starting the devstack (data in $VIGIL_HOME)..."
  java -cp "testkit/target/classes:$(cat testkit/target/classpath.txt)" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dlogging.configuration=file:testkit/devstack-logging.properties \
    io.vigil.testkit.DevStack > "$logs/devstack.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    grep -q "DEVSTACK READY" "$logs/devstack.log" 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || { tail -n 30 "$logs/devstack.log" >&2; die "the devstack stopped; see $logs/devstack.log"; }
    sleep 0.5
  done
  grep -q "DEVSTACK READY" "$logs/devstack.log" || die "the devstack did not become ready; see $logs/devstack.log"
fi
: "${VIGIL_KAFKA_BOOTSTRAP:=127.0.0.1:$VIGIL_DEVSTACK_KAFKA_PORT}"
: "${VIGIL_DB_URL:=jdbc:postgresql://127.0.0.1:$VIGIL_DEVSTACK_DB_PORT/vigil}"
: "${VIGIL_DB_USER:=postgres}" "${VIGIL_DB_PASSWORD:=postgres}"
: "${VIGIL_SMTP_HOST:=127.0.0.1}" "${VIGIL_SMTP_PORT:=$VIGIL_DEVSTACK_SMTP_PORT}"
export VIGIL_KAFKA_BOOTSTRAP VIGIL_DB_URL VIGIL_DB_USER VIGIL_DB_PASSWORD VIGIL_SMTP_HOST VIGIL_SMTP_PORT

start_service() { # name port
  say "Starting $1 on port $2..."
  java -jar "$1/target/quarkus-app/quarkus-run.jar" > "$logs/$1.log" 2>&1 &
  pids+=($!)
}
await_ready() { # name port pid
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$2/q/health/ready" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { tail -n 30 "$logs/$1.log" >&2; die "$1 stopped; see $logs/$1.log"; }
    sleep 0.5
  done
  die "$1 did not become ready; see $logs/$1.log"
}
start_service evaluator-service "$VIGIL_EVALUATOR_PORT"; evaluator_pid=${pids[-1]}
start_service notifier-service "$VIGIL_NOTIFIER_PORT"; notifier_pid=${pids[-1]}
start_service ingest-service "$VIGIL_INGEST_PORT"; ingest_pid=${pids[-1]}
await_ready evaluator-service "$VIGIL_EVALUATOR_PORT" "$evaluator_pid"
await_ready notifier-service "$VIGIL_NOTIFIER_PORT" "$notifier_pid"
await_ready ingest-service "$VIGIL_INGEST_PORT" "$ingest_pid"

cat <<MSG

Vigil is running.
  ping API (ingest)     http://localhost:$VIGIL_INGEST_PORT
  admin API (evaluator) http://localhost:$VIGIL_EVALUATOR_PORT/api/v1   (Swagger UI: http://localhost:$VIGIL_EVALUATOR_PORT/q/swagger-ui)
  notifier              http://localhost:$VIGIL_NOTIFIER_PORT   (internal API: needs VIGIL_INTERNAL_TOKEN, in $VIGIL_HOME/internal-token)
  web console           http://localhost:$VIGIL_EVALUATOR_PORT/   (user $VIGIL_ADMIN_USER, password $VIGIL_ADMIN_PASSWORD, kept in $VIGIL_HOME/admin-password)
  admin key             $VIGIL_ADMIN_KEY
  logs                  $logs    mail sent to the local SMTP sink: $VIGIL_HOME/mail

Walkthrough (paste into another terminal):

  KEY='$VIGIL_ADMIN_KEY'; ADMIN=http://localhost:$VIGIL_EVALUATOR_PORT/api/v1

  # 1. An email channel (mail lands in $VIGIL_HOME/mail). For Slack use
  #    '{"name":"ops-slack","type":"slack","config":{"webhookUrl":"https://hooks.slack.com/services/..."}}'
  CHANNEL=\$(curl -s -X POST \$ADMIN/channels -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' \\
    -d '{"name":"ops-email","type":"email","config":{"to":["ops@example.com"]}}' | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)

  # 2. A monitor expecting a ping every 30 seconds, 10 seconds of grace.
  MONITOR=\$(curl -s -X POST \$ADMIN/monitors -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' \\
    -d '{"name":"walkthrough","schedule":{"type":"interval","every":"30s"},"grace":"10s","channels":["'\$CHANNEL'"]}')
  echo "\$MONITOR"
  ID=\$(echo "\$MONITOR" | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)
  PING=\$(echo "\$MONITOR" | grep -o '"pingUrl":"[^"]*"' | cut -d'"' -f4)

  # 3. Ping it (the way a job should: fail loudly, retry a transient error): the monitor goes UP.
  curl -fsS -m 10 --retry 3 --retry-all-errors "\$PING"; echo
  curl -s \$ADMIN/monitors/\$ID -H "Authorization: Bearer \$KEY" | grep -o '"status":"[^"]*"'

  # 4. Stop pinging; after 40 seconds it is DOWN and the alert is in $VIGIL_HOME/mail.
  sleep 45; curl -s \$ADMIN/monitors/\$ID -H "Authorization: Bearer \$KEY" | grep -o '"status":"[^"]*"'
  curl -s \$ADMIN/monitors/\$ID/flips -H "Authorization: Bearer \$KEY"; echo; ls $VIGIL_HOME/mail

  # 5. Ping again: it recovers and a recovery mail follows.
  curl -fsS -m 10 --retry 3 --retry-all-errors "\$PING"; echo

Press Ctrl-C to stop everything.
MSG

# Wait for any child to exit; if one dies, stop the rest.
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "run.sh: a process stopped unexpectedly; see the logs in $logs" >&2
      exit 1
    fi
  done
  sleep 2 &
  wait $! || true
done
