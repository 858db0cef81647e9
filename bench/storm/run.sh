#!/usr/bin/env bash
# Alert-storm benchmark: packages the notifier, then runs 10,000 flips (or $1) at once over 10 channels
# against it and prints (and writes bench/storm/target/RESULTS.md) the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
# online, so a fresh clone with an empty local repository builds too; the bench project needs the parent,
# contracts and testkit in the local repository
mvn -B -q -pl contracts,testkit -am install -DskipTests
mvn -B -q -pl notifier-service package -DskipTests
mvn -B -q -f bench/storm/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dlogging.configuration="file:$PWD/bench/storm/logging.properties" -Dvigil.root="$PWD" -cp "bench/storm/target/classes:$(cat bench/storm/target/classpath.txt)" \
  io.vigil.bench.storm.StormBench "$@"
