#!/usr/bin/env bash
# CPU per report, for comparing builds of the report path (alternate jars with SERVER_JAR=...): starts a server on a
# fresh embedded PostgreSQL with pg_stat_statements, runs the report load alone (BENCH_REPORTS_ONLY=1, hosts in vaults,
# warm-up BENCH_WARMUP), resets the statement counters DELAY seconds after start (default 150: after the warm-up's 120 s),
# and prints reports/s, the server JVM's, PostgreSQL's and the load client's CPU (from /proc) divided by the reports received since the
# reset, the WAL written per report, and the TOP statements by execution time.
# Usage: [SERVER_JAR=...] [SECS=30] [DELAY=150] [TOP=8] bench/ingest-cpu.sh   (build first, as for bench/ingest.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
port=18281
token=pf_bench_ingest_token_000000000
name=ingest-cpu
bench_class=io/podfleet/simulate/IngestBenchmark
. bench/bench-classes.sh
SERVER_ARGS="--podfleet.embedded-database.server-settings.shared-preload-libraries=pg_stat_statements ${SERVER_ARGS:-}"
. bench/server.sh
echo "server=${SERVER_JAR:-target/podfleet.jar}"
hz=$(getconf CLK_TCK)
ticks() { local s=0 f; for p in "$@"; do read -r -a f < "/proc/$p/stat" 2>/dev/null || continue; s=$((s + f[13] + f[14])); done; echo "$s"; }
sql() { psql -h 127.0.0.1 -p "$pg" -U postgres -d postgres "$@"; }
sql -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
BENCH_REPORTS_ONLY=1 java -Xmx1g -cp "$bench_cp" io.podfleet.simulate.IngestBenchmark \
  "http://127.0.0.1:$port" "$token" "jdbc:postgresql://127.0.0.1:$pg/postgres" 64 "${SECS:-30}" > >(grep -E 'reports only|vaults') &
client=$!
cpu() { echo "$(ticks $server) $(ticks $(pgrep -x postgres)) $(ticks $client)"; }
( sleep "${DELAY:-150}"; sql -qc "SELECT pg_stat_statements_reset(), pg_stat_reset_shared('wal')" >/dev/null; cpu > "$data/t0" ) &
# the load client's CPU is read until it exits (a finished process has none to read)
# (a read after it exited finds no ticks: keep the last one that did)
while kill -0 $client 2>/dev/null; do
  c=$(cpu); read -r _ _ cc <<< "$c"
  [ -f "$data/t0" ] && [ "$cc" -gt 0 ] && echo "$c" > "$data/t1"
  sleep 0.5
done
wait $client
[ -f "$data/t1" ] || { echo "the run ended before the reset at ${DELAY:-150} s: raise SECS or lower DELAY" >&2; exit 1; }
read -r s0 p0 c0 < "$data/t0"
read -r s1 p1 c1 < "$data/t1"
n=$(sql -Atc "SELECT calls FROM pg_stat_statements WHERE query LIKE '%INSERT INTO report_receipt%'")
echo "reports since the reset: $n; CPU per report: server $(( (s1 - s0) * 1000000 / hz / n )) us, postgres $(( (p1 - p0) * 1000000 / hz / n )) us, load client $(( (c1 - c0) * 1000000 / hz / n )) us"
sql -Atc "SELECT 'WAL per report: ' || round(wal_records::numeric / $n) || ' records, ' || round(wal_bytes / $n) || ' bytes, '
            || round(wal_fpi::numeric / $n, 1) || ' full-page images' FROM pg_stat_wal"
sql -c "SELECT calls, round(total_exec_time::numeric) AS ms, round((total_exec_time / calls)::numeric, 3) AS per_call,
          left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS statement
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${TOP:-8}"
