#!/usr/bin/env bash
# Warm starts of two launches of target/podfleet.jar, alternating, so both see the same hour of this machine:
# seconds to a healthy /actuator/health and the JVM's CPU at that moment (total, and its three busiest threads).
# Usage: bench/startup-ab.sh [runs] ["JVM options A"] ["JVM options B"]
#        default: -Dpodfleet.unpack=false (the fat jar) against the default launch (the unpacked copy)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
a=${2:--Dpodfleet.unpack=false}
b=${3:-}
port=18182
[ -f target/podfleet.jar ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 1; }
dirs=("$(mktemp -d /tmp/podfleet-startup-a.XXXX)" "$(mktemp -d /tmp/podfleet-startup-b.XXXX)")
trap 'rm -rf "${dirs[@]}" "${dirs[0]}.log" "${dirs[1]}.log"' EXIT
trap 'exit 143' INT TERM

start() { # $1 = JVM options, $2 = data dir; prints the seconds to healthy and the CPU then
  local t0 pid line
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  PODFLEET_BOOTSTRAP_TOKEN=pf_bench_startup_token_000000 java $1 -jar target/podfleet.jar --server.port=$port \
    --podfleet.data-dir="$2" >"$2.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 $pid 2>/dev/null || { echo "server died, see $2.log" >&2; exit 1; }
    sleep 0.1
  done
  line=$(printf "%.1f s" "$(echo "$(date +%s.%N) - $t0" | bc)")
  line="$line, CPU $(awk '{printf "%.1f s", ($14 + $15) / 100}' "/proc/$pid/stat")"
  line="$line ($(for t in /proc/$pid/task/*; do echo "$(awk '{print $14 + $15}' "$t/stat") $(tr ' ' _ < "$t/comm")"; done \
    | sort -rn | head -3 | awk '{printf "%s%s %.1f", (NR > 1 ? ", " : ""), $2, $1 / 100}'))"
  kill $pid; wait $pid 2>/dev/null || true
  echo "$line"
}

echo "cores=$(nproc) A='$a' B='$b'"
start "$a" "${dirs[0]}" >/dev/null # first starts (initdb, migrations) are not counted
start "$b" "${dirs[1]}" >/dev/null
for r in $(seq "$runs"); do
  echo "run $r: A $(start "$a" "${dirs[0]}")"
  echo "run $r: B $(start "$b" "${dirs[1]}")"
done
