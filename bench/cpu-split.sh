#!/usr/bin/env bash
# CPU of the benchmark's processes, printed every interval (default 2 s) until stopped, in % of one core: the server
# (java -jar ...podfleet.jar), the benchmark's Java client, PostgreSQL (all its processes) and wrk. Run it beside a
# benchmark, e.g.  bench/cpu-split.sh > /tmp/cpu.txt &  bench/admission.sh 20;  kill %1
# A PostgreSQL backend that exits between two samples takes its time with it (a negative or low figure that second).
interval=${1:-2}
hz=$(getconf CLK_TCK)
ticks() { local s=0 f; for p in "$@"; do read -r -a f < "/proc/$p/stat" 2>/dev/null || continue; s=$((s + f[13] + f[14])); done; echo "$s"; }
sample() {
  echo "$(ticks $(pgrep -f 'podfleet\.jar')) $(ticks $(pgrep -f 'AdmissionBenchmark|IngestBenchmark')) $(ticks $(pgrep -x postgres)) $(ticks $(pgrep -x wrk)) $(date +%s%N)"
}
prev=($(sample))
while sleep "$interval"; do
  cur=($(sample))
  ns=$((cur[4] - prev[4]))
  pct() { echo $(( ($1) * 100 * 1000000000 / hz / ns )); }
  echo "$(date +%T) server=$(pct "cur[0]-prev[0]")% client=$(pct "cur[1]-prev[1]")% postgres=$(pct "cur[2]-prev[2]")% wrk=$(pct "cur[3]-prev[3]")%"
  prev=("${cur[@]}")
done
