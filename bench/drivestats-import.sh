#!/usr/bin/env bash
# Drive Stats import rate: starts target/podfleet.jar on a fresh embedded PostgreSQL (fsync on), builds a daily file
# of ROWS rows from the real 2013 sample (its 200 rows repeated with distinct serials), imports it over HTTP as five
# successive days (as seeding history does: new days), then once more over the first day (a re-import replaces the
# day: its old rows are deleted first), and prints rows/s for each.
# Usage: bench/drivestats-import.sh [rows]    (build first: mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-21000}
port=18282
token=pf_bench_drivestats_token_000000
name=drivestats
. bench/server.sh
sample=src/test/resources/drivestats/2013-04-12_head200.csv
{ head -1 "$sample"; i=0; while [ $i -lt $(( (rows + 199) / 200 )) ]; do
    tail -n +2 "$sample" | awk -F, -v OFS=, -v r=$i '{ $2 = $2 "-" r; print }'; i=$((i + 1)); done; } | head -$((rows + 1)) > "$data/day.csv"
echo "cores=$(nproc) file: $(($(wc -l < "$data/day.csv") - 1)) rows, $(du -h "$data/day.csv" | cut -f1)"
for run in 1 2 3 4 5 6; do
  day=$(date -d "2013-04-12 + $(( run == 6 ? 0 : run - 1 )) days" +%F)
  sed "s/^2013-04-12,/$day,/" "$data/day.csv" > "$data/run.csv"
  t=$(curl -s -o "$data/answer.json" -w '%{time_total}' -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
    --data-binary @"$data/run.csv" "http://127.0.0.1:$port/api/v1/drive-stats/import?name=$day.csv")
  n=$(grep -o "\"rows\":[0-9]*" "$data/answer.json" | cut -d: -f2 || true)
  [ -n "$n" ] || { echo "import failed: $(cat "$data/answer.json")"; exit 1; }
  echo "import $run ($day, $([ $run = 6 ] && echo "replacing the day" || echo "a new day")): $n rows in ${t}s: $(echo "$n / $t" | bc) rows/s"
done
