package io.podfleet.bench;

import io.podfleet.smart.HealthRules;
import io.podfleet.smart.SmartctlOutput;
import io.podfleet.smart.SmartctlParser;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.TemperatureLimits;
import io.podfleet.smart.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Parse + judge of real smartctl documents, single thread, against the ceiling: a plain Jackson tree parse of the
 * same bytes. One operation = one document (the drive samples in turn).
 * Run: mvn -Pbench verify (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SmartParseBenchmark {

    private byte[][] documents;
    private int next;
    private final SmartctlParser parser = new SmartctlParser();
    private final HealthRules rules = new HealthRules();
    private final JsonMapper json = JsonMapper.builder().build();

    @Setup
    public void load() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/smart-samples"))) {
            documents = files.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().contains("scan"))
                    .sorted().map(f -> {
                        try {
                            return Files.readAllBytes(f);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toArray(byte[][]::new);
        }
    }

    private byte[] nextDocument() {
        byte[] d = documents[next];
        next = (next + 1) % documents.length;
        return d;
    }

    @Benchmark
    public Verdict parseAndJudge() throws Exception {
        SmartctlOutput out = parser.parse(nextDocument());
        return rules.judge((DriveReading) out, TemperatureLimits.DEFAULT);
    }

    @Benchmark
    public JsonNode jacksonTreeCeiling() {
        return json.readTree(nextDocument());
    }
}
