#!/usr/bin/env bash
# Round trips per report, counted on PostgreSQL's side: while a report load runs (beside `SECS=60 bench/ingest-cpu.sh`,
# after its warm-up), traces every backend's socket calls for SECONDS with `strace -c` and divides by the reports
# received meanwhile. A backend sends at least once per round trip (it answers each Sync or simple query), so the sends
# per report count round trips (a large result takes more than one: it sends 8 KB at a time).
# Usage: bench/backend-sends.sh PG_PORT [SECONDS]   (PG_PORT: the benchmark's embedded PostgreSQL, in its jdbc URL;
# needs the Debian package strace)
set -euo pipefail
port=$1
seconds=${2:-10}
receipts() { psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc "SELECT count(*) FROM report_receipt"; }
# the backends of the PostgreSQL on that port only (another server's on this machine would count its own reports' sends)
postmaster=$(pgrep -f -- "postgres -D .* -p $port( |\$)" | head -1)
pids=$(pgrep -P "$postmaster" -f "postgres: postgres postgres" | paste -sd,)
[ -n "$pids" ] || { echo "no backends of a PostgreSQL on port $port" >&2; exit 1; }
before=$(receipts)
out=$(mktemp)
timeout "$seconds" strace -c -f -e trace=sendto,recvfrom -p "$pids" 2> "$out" || true
reports=$(( $(receipts) - before ))
awk -v n="$reports" '$NF == "sendto" || $NF == "recvfrom" {
  calls = $4; printf "%s: %d calls, %.1f per report\n", $NF, calls, calls / n }' "$out"
echo "reports received in the traced ${seconds} s: $reports"
rm -f "$out"
