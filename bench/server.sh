# Sourced by the benchmark scripts: starts target/podfleet.jar on a fresh embedded PostgreSQL (fsync on) in a
# temporary data directory, waits until it is healthy, and stops it and removes the directory on exit.
# Needs: port, token, name. Sets: data, server, pg (the embedded PostgreSQL's port). SERVER_OPTS go to the JVM,
# SERVER_ARGS to the server (Spring Boot properties); SERVER_JAR runs another jar (A/B runs of two builds).
jar=${SERVER_JAR:-target/podfleet.jar}
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
data=$(mktemp -d "/tmp/podfleet-$name.XXXX")
PODFLEET_BOOTSTRAP_TOKEN=$token java ${SERVER_OPTS:-} -jar "$jar" --server.port="$port" \
  --podfleet.data-dir="$data" ${SERVER_ARGS:-} > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT # (set -e: the server's 143 must not skip the rm)
trap 'exit 143' INT TERM # so that a stopped benchmark (timeout, Ctrl-C) still stops its server and removes its folder
until curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q UP; do sleep 0.5; done
pg=$(grep -o 'Embedded PostgreSQL ready on 127.0.0.1:[0-9]*' "$data/server.log" | grep -o '[0-9]*$')
