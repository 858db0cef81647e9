#!/usr/bin/env bash
# Alert-storm benchmark: packages the notifier, then runs 10,000 flips (or $1) at once over 10 channels
# against it and prints (and writes bench/storm/target/RESULTS.md) the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q -pl notifier-service package -DskipTests
mvn -B -o -q -f bench/storm/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dlogging.configuration="file:$PWD/bench/storm/logging.properties" -Dvigil.root="$PWD" -cp "bench/storm/target/classes:$(cat bench/storm/target/classpath.txt)" \
  io.vigil.bench.storm.StormBench "$@"
