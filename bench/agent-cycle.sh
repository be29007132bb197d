#!/usr/bin/env bash
# One agent collection cycle on a simulated 60-drive host whose smartctl takes 50 ms per drive (the stand-in script
# printing real smartctl outputs). Runs target/podfleet-agent.jar for a number of cycles and prints: wall time per
# cycle (from the agent's own log), agent CPU per cycle excluding smartctl (utime+stime of the JVM only; children's
# time is not counted), and the JVM's RSS at the end.
# Usage: bench/agent-cycle.sh [seconds] [interval]   with JAVA_OPTS for the JVM flags under test
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-65}
interval=${2:-5s}
jar=target/podfleet-agent.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d /tmp/podfleet-agent-bench.XXXX)
host=$work/host
mkdir -p "$host"
samples=(src/test/resources/smart-samples/*Exos_X16*.json src/test/resources/smart-samples/*ST18000NM000J*.json
         src/test/resources/smart-samples/*HC550*.json src/test/resources/smart-samples/*smart-ata.json)
: > "$host/devices"
for i in $(seq 0 59); do
  name=$(printf 'sd%03d' "$i")
  echo "$name sat ATA" >> "$host/devices"
  cp "${samples[$((i % 4))]}" "$host/$name.json"
  echo 0.05 > "$host/$name.delay"
done
printf '#!/bin/sh\nSMARTCTL_STANDIN=%s exec %s "$@"\n' "$host" "$PWD/src/test/resources/standin/smartctl" > "$work/smartctl"
chmod +x "$work/smartctl"

java ${JAVA_OPTS:-} -jar "$jar" --server http://127.0.0.1:9 --enrollment-token none \
  --credential-file "$work/credential.json" --spool "$work/spool" --smartctl "$work/smartctl" \
  --report-interval "$interval" --heartbeat-interval 1h --sysfs-root "$work/sys" --dev-root "$work/dev" \
  2> "$work/agent.log" &
pid=$!
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }   # utime + stime of the JVM, children excluded
until grep -q 'collected 60 drives' "$work/agent.log" 2>/dev/null; do sleep 0.2; done
cpu0=$(cpu); cycles0=$(grep -c 'collected 60 drives' "$work/agent.log")
sleep "$seconds"
cpu1=$(cpu); cycles1=$(grep -c 'collected 60 drives' "$work/agent.log")
rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
kill $pid; wait $pid 2>/dev/null || true
cycles=$((cycles1 - cycles0))
echo "cores=$(nproc) JAVA_OPTS=${JAVA_OPTS:-} cycles=$cycles (after the first)"
grep -o 'in [0-9]* ms' "$work/agent.log" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {printf "wall per cycle: min %d ms, median %d ms, max %d ms (%d cycles)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'
echo "agent CPU per cycle (JVM only, smartctl excluded): $(( (cpu1 - cpu0) * 1000 / ticks / cycles )) ms"
echo "agent RSS at end: ${rss} MiB (peak ${hwm} MiB)"
rm -rf "$work"
