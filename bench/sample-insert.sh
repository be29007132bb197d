#!/usr/bin/env bash
# A report's 60 SMART samples into the server's smart_sample, one transaction each from one connection: the driver's
# batch against one COPY, in alternating rounds (src/bench/java/io/podfleet/fleet/SampleInsertBenchmark.java). Starts
# target/podfleet.jar on a fresh embedded PostgreSQL (fsync on) for its schema.
# Usage: bench/sample-insert.sh [reports per round, default 3000] [rounds, default 6]
#        (build first: mvn -q package -DskipTests && mvn -q -Pbench test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
port=18284
token=pf_bench_sample_insert_token_00
name=sample-insert
[ -f target/test-classes/io/podfleet/fleet/SampleInsertBenchmark.class ] || {
  echo "build first: mvn -q package -DskipTests && mvn -q -Pbench test-compile" >&2; exit 1; }
[ -f target/bench.classpath ] || mvn -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
. bench/server.sh
echo "cores=$(nproc)"
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.podfleet.fleet.SampleInsertBenchmark \
  "jdbc:postgresql://127.0.0.1:$pg/postgres" "${1:-3000}" "${2:-6}"
