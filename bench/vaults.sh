#!/usr/bin/env bash
# Tome health figures: the server in-process on a fresh embedded PostgreSQL, a fleet of VAULTS x 20 hosts x 60
# drives written with SQL; times a from-scratch recompute of every tome and the re-assessment after one report.
# Usage: bench/vaults.sh [vaults] [rounds]    (build first: mvn -q -Pbench test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
bench_class=io/podfleet/vault/VaultBenchmark
. bench/bench-classes.sh
java -Xmx1g -cp "$bench_cp" io.podfleet.vault.VaultBenchmark "${1:-100}" "${2:-300}"
