#!/usr/bin/env bash
# Start-up of `java -jar target/podfleet.jar` to a healthy /actuator/health: first run on an empty data directory,
# then a second (warm) run on the same data. Prints seconds to healthy and the server's RSS once healthy.
# Usage: bench/startup.sh [runs]          plain java -jar target/podfleet.jar (build first: mvn -q package -DskipTests)
#        CDS=1 bench/startup.sh [runs]    the production launch: extracted jar + an AppCDS archive made by a training run
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
port=18181
jar=target/podfleet.jar
[ -f "$jar" ] || { echo "build the jar first: mvn -q package -DskipTests" >&2; exit 1; }
if [ "${CDS:-0}" = 1 ]; then
  rm -rf target/extracted && java -Djarmode=tools -jar "$jar" extract --destination target/extracted >/dev/null
  train=$(mktemp -d /tmp/podfleet-train.XXXX)
  java -XX:ArchiveClassesAtExit=target/extracted/podfleet.jsa -Dspring.context.exit=onRefresh \
    -jar target/extracted/podfleet.jar --server.port=0 --podfleet.data-dir="$train" >"$train.log" 2>&1 || true
  rm -rf "$train"
  jar=target/extracted/podfleet.jar
  JAVA_OPTS="${JAVA_OPTS:-} -XX:SharedArchiveFile=target/extracted/podfleet.jsa"
fi

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
  first=$(start_once "$dir/data")
  second=$(start_once "$dir/data")
  echo "run $i: first start ${first% *} s (RSS ${first#* } MiB), second start ${second% *} s (RSS ${second#* } MiB)"
  rm -rf "$dir"
done
