# Sourced by the benchmark scripts that run a benchmark class from src/bench/java: stops with how to build when the
# class is missing (server.sh checks the jar), writes the test classpath once (target/bench.classpath) and sets bench_cp to the
# classpath to run it with. Needs: bench_class (e.g. io/podfleet/simulate/IngestBenchmark).
[ -f "target/test-classes/$bench_class.class" ] || {
  echo "build first: mvn -q package -DskipTests && mvn -q -Pbench test-compile" >&2; exit 1; }
[ -f target/bench.classpath ] || mvn -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
bench_cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
