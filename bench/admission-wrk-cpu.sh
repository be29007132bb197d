#!/usr/bin/env bash
# One wrk run of acquire+release pairs and one of trivial pairs against a server held up by
# `BENCH_HOLD=<seconds> bench/admission.sh` (for A/B runs of two builds held side by side, PORT=... SERVER_JAR=...),
# with the server JVM's and PostgreSQL's CPU per pair from /proc; ends the leases wrk leaves open, as the benchmark does.
# Usage: bench/admission-wrk-cpu.sh PORT DISPATCHER_TOKEN [SECONDS]   (the token is printed by the held benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1; dispatcher=$2; secs=${3:-15}
admin=pf_bench_admission_token_0000000
url=http://127.0.0.1:$port
server=$(pgrep -f -- "--server.port=$port ")
data=$(tr '\0' '\n' < "/proc/$server/cmdline" | grep -- '--podfleet.data-dir=' | cut -d= -f2)
pg=$(grep -o 'Embedded PostgreSQL ready on 127.0.0.1:[0-9]*' "$data/server.log" | grep -o '[0-9]*$')
hz=$(getconf CLK_TCK)
ticks() { local s=0 f; for p in "$@"; do read -r -a f < "/proc/$p/stat" 2>/dev/null || continue; s=$((s + f[13] + f[14])); done; echo "$s"; }
for script in admission-pairs trivial-pairs; do
  token=$dispatcher; [ $script = trivial-pairs ] && token=$admin
  s0=$(ticks "$server"); p0=$(ticks $(pgrep -x postgres))
  out=$(TOKEN=$token wrk -t2 -c64 -d"${secs}s" -s "bench/$script.lua" "$url" | grep '^wrk')
  s1=$(ticks "$server"); p1=$(ticks $(pgrep -x postgres))
  n=$(( $(echo "$out" | grep -o '[0-9]* pairs/s' | grep -o '^[0-9]*') * secs ))
  echo "$(date +%T) $out | server $(( (s1 - s0) * 1000000 / hz / n )) us/pair, postgres $(( (p1 - p0) * 1000000 / hz / n )) us/pair (all PostgreSQL processes of the machine)"
  if [ $script = admission-pairs ]; then
    for id in $(psql -h 127.0.0.1 -p "$pg" -U postgres -d postgres -Atc "SELECT id FROM upload_lease WHERE ended_at IS NULL"); do
      curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $dispatcher" -H 'Content-Type: application/json' \
        -d '{"outcome":"COMPLETED"}' "$url/api/v1/uploads/$id"
    done
  fi
done
