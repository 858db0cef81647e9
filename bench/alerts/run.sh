#!/usr/bin/env bash
# Notifier delivery benchmark (issue 12): packages the notifier, then feeds the packaged notifier 10,000 flips (or $1,
# rounded to thousands) straight on vigil.flips.v1 over 1,000 webhook channels and again over 10 channels, and a plain
# client the same bodies, and prints (and writes bench/alerts/target/RESULTS.md) the table.
# Environment (bench/alerts/README.md): VIGIL_M2 (a local Maven repository to use instead of ~/.m2/repository),
# VIGIL_MVN_OFFLINE=1 (mvn -o), ALERTS_NOTIFIER_JAR (bench this jar, skip packaging), ALERTS_CONCURRENCY,
# ALERTS_NOTIFIER_JVM_ARGS, ALERTS_NOTIFIER_LOG_LEVEL, ALERTS_STALL, ALERTS_MAX_WAIT.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn=(mvn -B -q)
if [ -n "${VIGIL_M2:-}" ]; then
  mvn+=("-Dmaven.repo.local=$VIGIL_M2")
fi
if [ -n "${VIGIL_MVN_OFFLINE:-}" ]; then
  mvn+=(-o)
fi
# online by default, so a fresh clone with an empty local repository builds too; the bench project needs the parent,
# contracts and testkit in the local repository, the notifier also outbox
"${mvn[@]}" -pl contracts,testkit,outbox -am install -DskipTests
if [ -z "${ALERTS_NOTIFIER_JAR:-}" ]; then
  "${mvn[@]}" -pl notifier-service package -DskipTests
fi
"${mvn[@]}" -f bench/alerts/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec timeout --kill-after=30s "${ALERTS_TIMEOUT:-30m}" java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlogging.configuration="file:$PWD/bench/alerts/logging.properties" -Dvigil.root="$PWD" \
  -cp "bench/alerts/target/classes:$(cat bench/alerts/target/classpath.txt)" io.vigil.bench.alerts.AlertsBench "$@"
