#!/usr/bin/env bash
# AFR over a year for a fleet of DRIVES drives (default 100,000): starts target/podfleet.jar on a fresh embedded
# PostgreSQL (fsync on), writes a year of Drive Stats days into drive_day, one day per INSERT as an import does
# (DRIVES rows a day, 20 models, failures at about 1.5 % a year; the triggers keep the per-day groups), then
# asks GET /api/v1/drive-stats/afr for the year by model and by size five times each and prints the times.
# Usage: bench/afr.sh [drives] [days]    (build first: mvn -q package -DskipTests; needs psql)
set -euo pipefail
cd "$(dirname "$0")/.."
drives=${1:-100000}
days=${2:-365}
port=18283
token=pf_bench_afr_token_0000000000000
name=afr
. bench/server.sh
echo "cores=$(nproc) drives=$drives days=$days"
start=$(date +%s.%N)
for d in $(seq 0 $((days - 1))); do
  psql -q -h 127.0.0.1 -p "$pg" -U postgres -d postgres -c "
    INSERT INTO drive_day (day, serial, model, capacity_bytes, failure, source)
    SELECT DATE '2025-01-01' + $d, 'BENCH' || s, 'MODEL ' || (s % 20), (4 + 2 * (s % 5)) * 1000000000000::bigint,
           random() < 0.015 / 365, 'import'
    FROM generate_series(1, $drives) s"
done
seeded=$(date +%s.%N)
rows=$(psql -tA -h 127.0.0.1 -p "$pg" -U postgres -d postgres -c "SELECT count(*) FROM drive_day")
groups=$(psql -tA -h 127.0.0.1 -p "$pg" -U postgres -d postgres -c "SELECT count(*) FROM drive_day_group")
echo "seeded $rows drive days ($groups day groups) in $(echo "$seeded - $start" | bc) s: $(echo "$rows / ($seeded - $start)" | bc) rows/s"
psql -q -h 127.0.0.1 -p "$pg" -U postgres -d postgres -c "VACUUM ANALYZE drive_day_group"
to=$(date -d "2025-01-01 + $((days - 1)) days" +%F)
for by in model capacity; do
  for run in 1 2 3 4 5; do
    t=$(curl -s -o "$data/afr.json" -w '%{time_total}' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/v1/drive-stats/afr?from=2025-01-01&to=$to&by=$by")
    items=$(grep -o '"driveDays"' "$data/afr.json" | wc -l)
    echo "afr by $by, run $run: ${t}s, $items groups"
  done
done
python3 -c "import json,sys; a=json.load(open('$data/afr.json')); print('sample:', a['items'][0])" 2>/dev/null || true
