#!/usr/bin/env python3
# Wake-up stalls of a process that has nothing to do with the server: sleeps 1 ms in a loop for SECONDS (default 10)
# and prints every wake-up more than 8 ms late, as (ms since start, ms between wake-ups). Run it beside a benchmark to
# tell the machine's scheduling stalls from the server's own (docs/benchmarks.md, upload admission, ninth session).
# Usage: bench/wakeup-stalls.py [SECONDS]
import sys
import time

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
start = time.monotonic()
last = start
stalls = []
while time.monotonic() - start < seconds:
    time.sleep(0.001)
    now = time.monotonic()
    if now - last > 0.008:
        stalls.append((round((last - start) * 1000), round((now - last) * 1000, 1)))
    last = now
print(f"{len(stalls)} wake-ups more than 8 ms late in {seconds:g} s: {stalls}")
