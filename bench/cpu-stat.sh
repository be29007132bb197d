#!/usr/bin/env bash
# The machine's CPU every second until stopped, from /proc/stat, in ticks (1/100 s) summed over all cores: user,
# system, idle, iowait, softirq and steal, and context switches. Beside a benchmark it shows whether a slow second
# was the machine (little idle at an unchanged request rate, or iowait) rather than the server.
prev=($(head -1 /proc/stat)); pc=$(awk '/^ctxt/ {print $2}' /proc/stat)
while sleep 1; do
  cur=($(head -1 /proc/stat)); cc=$(awk '/^ctxt/ {print $2}' /proc/stat)
  echo "$(date +%T) user=$((cur[1]-prev[1])) sys=$((cur[3]-prev[3])) idle=$((cur[4]-prev[4])) iowait=$((cur[5]-prev[5])) softirq=$((cur[7]-prev[7])) steal=$((cur[8]-prev[8])) ctxt=$((cc-pc))"
  prev=("${cur[@]}"); pc=$cc
done
