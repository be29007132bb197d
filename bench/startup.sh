#!/usr/bin/env bash
# Start-up of `java -jar podfleet.jar` (a fresh copy of target/podfleet.jar per run) to a healthy /actuator/health:
# first start on an empty data directory, then a second and a third (warm) on the same data. Prints seconds to
# healthy and the server's RSS once healthy. The first start also unpacks the jar and records the class-data
# archive (written at its stop); the second takes the archive over (a trial JVM checks it) and maps it; the third
# maps it. Usage: bench/startup.sh [runs]   (build first: mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
port=18181
jar=target/podfleet.jar
[ -f "$jar" ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 1; }

start_once() {  # $1 = data dir; prints "seconds rss_mib"
  local t0 pid rss
  t0=$(date +%s.%N)
  PODFLEET_BOOTSTRAP_TOKEN=pf_bench_startup_token_000000 java ${JAVA_OPTS:-} -jar "$jar" \
    --server.port=$port --podfleet.data-dir="$1" >"$1.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 $pid 2>/dev/null || { echo "server died, see $1.log" >&2; exit 1; }
    sleep 0.1
  done
  local t1; t1=$(date +%s.%N)
  sleep 2  # let start-up garbage settle before reading RSS
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%.1f %s\n' "$(echo "$t1 - $t0" | bc)" "$rss"
}

echo "cores=$(nproc) java=$(java -version 2>&1 | head -1 | cut -d'"' -f2) jar=$jar JAVA_OPTS=${JAVA_OPTS:-}"
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/podfleet-startup.XXXX)
  cp target/podfleet.jar "$dir/podfleet.jar" && jar="$dir/podfleet.jar"  # its own unpacked copy and archive
  first=$(start_once "$dir/data")
  second=$(start_once "$dir/data")
  third=$(start_once "$dir/data")
  echo "run $i: first start ${first% *} s (RSS ${first#* } MiB), second start ${second% *} s (RSS ${second#* } MiB)," \
    "third ${third% *} s (RSS ${third#* } MiB)"
  rm -rf "$dir"
done
