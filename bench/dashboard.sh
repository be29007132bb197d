#!/usr/bin/env bash
# Dashboard render times: starts target/podfleet.jar on a fresh embedded PostgreSQL (fsync on), writes a fleet of
# VAULTS x 20 hosts x 60 drives with SQL (1 % failed, 0.5 % warning), waits until every vault is assessed, signs in
# as a dashboard user and loads the fleet page and one vault page with wrk (CONNECTIONS at a time, SECONDS each),
# printing p50/p95/p99 server render time and the pages' weight.
# Usage: bench/dashboard.sh [vaults] [seconds] [connections]    (build first: mvn -q package -DskipTests; needs psql, wrk)
# BENCH_HOLD=N keeps the server up N seconds afterwards, to look at it.
set -euo pipefail
cd "$(dirname "$0")/.."
vaults=${1:-100}
seconds=${2:-20}
connections=${3:-4}
threads=$(( connections < 2 ? connections : 2 ))
port=18284
token=pf_bench_dashboard_token_0000000
name=dashboard
# vaults are assessed by the clustered pass at its default interval (1 min): the page is measured as it runs in service
SERVER_ARGS="--podfleet.bootstrap.password=bench-admin-password"
. bench/server.sh
sql() { psql -q -tA -h 127.0.0.1 -p "$pg" -U postgres -d postgres -c "$1"; }
sql "INSERT INTO host (hostname, system_serial, profile_id, datacenter, cabinet, rack_unit, health, admin_state,
       last_heartbeat_at, last_report_at, created_at)
     SELECT 'bench-' || g, 'BSN' || g, 'backblaze-pod-6.0', 'dc' || (g / 1000), 'c' || lpad((g % 20)::text, 2, '0'),
       1 + 4 * ((g / 20) % 10), 'HEALTHY', 'IN_SERVICE', now(), now(), now() FROM generate_series(0, $vaults * 20 - 1) g"
sql "INSERT INTO drive (serial, model, capacity_bytes, interface, host_id, slot, state, verdict, first_seen_at, last_seen_at)
     SELECT 'D' || h.id || '-' || s, 'ST16000NM001G', 16000000000000, 'ATA', h.id, s,
       CASE WHEN random() < 0.01 THEN 'FAILED' WHEN random() < 0.005 THEN 'WARNING' ELSE 'IN_SERVICE' END, 'HEALTHY', now(), now()
     FROM host h, generate_series(0, 59) s"
sql "INSERT INTO shard_filesystem (host_id, slot, mount_point, mounted, read_only, total_bytes, used_bytes, free_bytes, reported_at)
     SELECT h.id, s, '/srv/tome' || s, true, false, 16000000000000, 8000000000000, 8000000000000, now()
     FROM host h, generate_series(0, 59) s"
sql "INSERT INTO vault (id, name, datacenter, data_shards, parity_shards, width, tome_count, first_slot, drive_capacity,
       state, state_since, created_at)
     SELECT 1000 + v, 'vault-' || (1000 + v), 'dc' || (v / 50), 17, 3, 20, 60, 0, 16000000000000, 'ACTIVE', now(), now()
     FROM generate_series(0, $vaults - 1) v"
sql "INSERT INTO vault_member (vault_id, position, host_id, joined_at)
     SELECT 1000 + (row_number() OVER (ORDER BY id) - 1) / 20, (row_number() OVER (ORDER BY id) - 1) % 20, id, now() FROM host"
sql "ANALYZE"
until [ "$(sql "SELECT count(*) FROM vault WHERE assessed_at IS NOT NULL")" = "$vaults" ]; do sleep 1; done
echo "cores=$(nproc) fleet: $vaults vaults, $(sql "SELECT count(*) FROM host") hosts, $(sql "SELECT count(*) FROM drive") drives, all assessed"

jar="$data/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "username=admin" --data-urlencode "password=bench-admin-password" \
  --data-urlencode "_csrf=$csrf" "http://127.0.0.1:$port/login"
export COOKIE="JSESSIONID=$(awk '$6 == "JSESSIONID" { print $7 }' "$jar")"
for page in /fleet /vaults/1000; do
  size=$(curl -s -H "Cookie: $COOKIE" -o "$data/page.html" -w '%{http_code} %{size_download}' "http://127.0.0.1:$port$page")
  echo "$page: status and bytes $size (without the charts library)"
  wrk -t$threads -c"$connections" -d5s -s bench/page-latency.lua "http://127.0.0.1:$port$page" > /dev/null # warm-up
  echo "$page, $connections connections, ${seconds}s: $(wrk -t$threads -c"$connections" -d"${seconds}s" -s bench/page-latency.lua "http://127.0.0.1:$port$page" | tail -1)"
done
if [ -n "${BENCH_HOLD:-}" ]; then echo "holding: port $port, PostgreSQL $pg, cookie $COOKIE"; sleep "$BENCH_HOLD"; fi
