#!/usr/bin/env bash
# Ingestion over HTTP on this machine: starts target/podfleet.jar on a fresh embedded PostgreSQL (fsync on), enrolls
# simulated 60-drive hosts, then measures full reports (16 clients; then a fixed 50/s), a raw COPY of the same rows
# (the ceiling), heartbeats, and a trivial authenticated GET (the HTTP ceiling).
# Usage: bench/ingest.sh [hosts] [seconds]    (build first: mvn -q package -DskipTests && mvn -q -Pbench test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-64}
seconds=${2:-30}
port=18280
token=pf_bench_ingest_token_000000000
bench_class=io/podfleet/simulate/IngestBenchmark
. bench/bench-classes.sh
name=ingest
. bench/server.sh
echo "cores=$(nproc) server=${SERVER_JAR:-target/podfleet.jar} ${SERVER_OPTS:-} hosts=$hosts seconds=$seconds"
WRK=$(command -v wrk || true) java -Xmx1g -cp "$bench_cp" io.podfleet.simulate.IngestBenchmark \
  "http://127.0.0.1:$port" "$token" "jdbc:postgresql://127.0.0.1:$pg/postgres" "$hosts" "$seconds"
echo "server RSS at end: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$server/status) MiB"
