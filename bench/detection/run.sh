#!/usr/bin/env bash
# Detection benchmark: packages the evaluator and the notifier, then runs them against an embedded broker and
# PostgreSQL with 100,000 active monitors (or $1) plus 900,000 idle ones (or $2), a local webhook receiver for
# the alerts, and prints (and writes bench/detection/target/RESULTS.md) the table. $3 = apply-only stops after
# the apply rate. Environment: BENCH_ALERT_MONITORS, BENCH_ALERT_WAIT, BENCH_EVALUATOR_JVM_ARGS,
# BENCH_NOTIFIER_JVM_ARGS, BENCH_EVERY (bench/detection/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
# online, so a fresh clone with an empty local repository builds too; the bench project needs the parent,
# contracts and testkit in the local repository
mvn -B -q -pl contracts,testkit -am install -DskipTests
mvn -B -q -pl outbox,evaluator-service,notifier-service package -DskipTests -Dvigil.build.dir=target-bench
mvn -B -q -f bench/detection/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Dvigil.root="$PWD" -cp "bench/detection/target/classes:$(cat bench/detection/target/classpath.txt)" \
  io.vigil.bench.detection.DetectionBench "$@"
