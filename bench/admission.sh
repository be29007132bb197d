#!/usr/bin/env bash
# Upload admission over HTTP on this machine: starts target/podfleet.jar on a fresh embedded PostgreSQL (fsync on),
# forms four vaults of simulated hosts, then measures acquire+release pairs with 64 clients against two calls to a
# trivial authenticated endpoint (vault limits 16, so the limit is hit; with wrk too, then in three back-to-back rounds
# of wrk pairs and trivial pairs, printing each round's ratio and the median), samples the database for limit violations,
# and measures acquire latency at half the pairs rate (with the vaults at their default limit, 2,500, then at 16),
# then the latency of trivial GET pairs at that rate with the same open-loop client (the tail any endpoint gets
# here). BENCH_RATE=N measures only acquire latency at N/s, five times, at the default limits (BENCH_LIMIT=16: at
# 16; BENCH_TRIVIAL=1: trivial GET pairs instead); BENCH_LATENCY_CLIENT=threads uses the older thread-per-connection
# latency client; BENCH_CONNECTIONS=N gives the open-loop client N connections instead of 64. Before the warm-up
# the new database is given the WAL segments a database in service has ready for reuse (min_wal_size of them, created
# and recycled by a checkpoint), so that no commit waits while a new one is zero-filled; BENCH_WAL=fresh skips that.
# Usage: bench/admission.sh [seconds]    (build first: mvn -q package -DskipTests && mvn -q -Pbench test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
port=${PORT:-18281}
token=pf_bench_admission_token_0000000
bench_class=io/podfleet/admission/AdmissionBenchmark
. bench/bench-classes.sh
name=admission
. bench/server.sh
echo "server=${SERVER_JAR:-target/podfleet.jar} ${SERVER_OPTS:-} seconds=$seconds"
WRK=$(command -v wrk || true) java -Xmx1g -cp "$bench_cp" io.podfleet.admission.AdmissionBenchmark \
  "http://127.0.0.1:$port" "$token" "jdbc:postgresql://127.0.0.1:$pg/postgres" "$seconds"
echo "server RSS at end: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$server/status) MiB"
