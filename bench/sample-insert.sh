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
bench_class=io/podfleet/fleet/SampleInsertBenchmark
. bench/bench-classes.sh
. bench/server.sh
echo "cores=$(nproc)"
java -cp "$bench_cp" io.podfleet.fleet.SampleInsertBenchmark \
  "jdbc:postgresql://127.0.0.1:$pg/postgres" "${1:-3000}" "${2:-6}"
