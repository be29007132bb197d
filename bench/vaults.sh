#!/usr/bin/env bash
# Tome health figures: the server in-process on a fresh embedded PostgreSQL, a fleet of VAULTS x 20 hosts x 60
# drives written with SQL; times a from-scratch recompute of every tome and the re-assessment after one report.
# Usage: bench/vaults.sh [vaults] [rounds]    (build first: mvn -q -Pbench test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/test-classes/io/podfleet/vault/VaultBenchmark.class ] || { echo "build first: mvn -q -Pbench test-compile" >&2; exit 1; }
[ -f target/bench.classpath ] || mvn -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.podfleet.vault.VaultBenchmark "${1:-100}" "${2:-300}"
