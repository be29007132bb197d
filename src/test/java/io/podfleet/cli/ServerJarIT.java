package io.podfleet.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as an operator runs it: {@code java -jar target/podfleet.jar}, killed with -9 and started again on
 * the same data directory.
 */
class ServerJarIT {

    private static final Path JAR = Path.of("target/podfleet.jar");
    private static final String TOKEN = "pf_jar_it_bootstrap_token_0000000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        postmaster().ifPresent(ProcessHandle::destroy);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("server").contains("Usage: java -jar podfleet.jar");
    }

    @Test
    void runsFromOneUnpackedCopyThatConcurrentFirstStartsShare(@TempDir Path folder) throws Exception {
        Path jar = Files.copy(JAR, folder.resolve("podfleet.jar"));
        List<Process> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(new ProcessBuilder(java(), "-jar", jar.toString(), "--help").redirectErrorStream(true).start());
        }
        for (Process p : starts) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).startsWith("Usage: java -jar podfleet.jar");
        }
        Path copies = folder.resolve(".podfleet.jar.unpacked");
        try (var listed = Files.list(copies)) {
            List<Path> all = listed.toList();
            assertThat(all).as("one copy, no partial one left").hasSize(1);
            assertThat(all.get(0).getFileName().toString()).isEqualTo(Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
            Path copyJar = all.get(0).resolve("podfleet.jar");
            try (var libs = Files.list(all.get(0).resolve("lib"))) {
                assertThat(libs.filter(l -> l.toString().endsWith(".jar")).count()).as("the libraries").isGreaterThan(100);
            }
            Process plainJava = new ProcessBuilder(java(), "-jar", copyJar.toString(), "--help").redirectErrorStream(true).start();
            String out = new String(plainJava.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(plainJava.waitFor()).as(out).isZero();
            assertThat(out).as("the copy is a plain jar naming its libraries").startsWith("Usage: java -jar podfleet.jar");
        }

        Path shared = Files.copy(JAR, folder.resolve("shared.jar"));
        Path planted = Files.createDirectory(folder.resolve(".shared.jar.unpacked"));
        Files.setPosixFilePermissions(planted, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Process careful = new ProcessBuilder(java(), "-jar", shared.toString(), "--help").start();
        careful.getInputStream().readAllBytes();
        assertThat(careful.waitFor()).isZero();
        try (var listed = Files.list(planted)) {
            assertThat(listed.toList()).as("a folder others may write to is never used for classes").isEmpty();
        }

        Path plain = Files.copy(JAR, folder.resolve("plain.jar"));
        Process asked = new ProcessBuilder(java(), "-Dpodfleet.unpack=false", "-jar", plain.toString(), "--help").start();
        asked.getInputStream().readAllBytes();
        assertThat(asked.waitFor()).isZero();
        assertThat(folder.resolve(".plain.jar.unpacked")).as("-Dpodfleet.unpack=false runs from the jar").doesNotExist();
    }

    @Test
    void survivesKillDashNineWithItsDataAndStopsPostgresOnACleanShutdown(@TempDir Path folder) throws Exception {
        Path jar = Files.copy(JAR, folder.resolve("podfleet.jar")); // a copy of its own: no class archive yet
        Path copy = folder.resolve(".podfleet.jar.unpacked").resolve(Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
        int port = freePort();
        Process first = start(jar, port, "first");
        awaitHealthy(port, Duration.ofSeconds(90));
        assertThat(commandLine(first)).as("the same process, now running the unpacked copy and recording its classes")
                .contains("-jar\0" + copy.resolve("podfleet.jar"))
                .contains("-XX:ArchiveClassesAtExit=" + copy.resolve("podfleet.jsa." + first.pid() + ".partial"));
        HttpResponse<String> created = call(port, "POST", "/api/v1/api-tokens", TOKEN, "{\"name\":\"survivor\",\"role\":\"VIEWER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String survivor = created.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertThat(postmaster()).as("PostgreSQL outlives a kill -9 of the JVM").isPresent();

        Process second = start(jar, port, "second");
        awaitHealthy(port, Duration.ofSeconds(90));
        assertThat(call(port, "GET", "/api/v1/hardware-profiles", survivor, null).statusCode()).isEqualTo(200);

        second.destroy(); // SIGTERM: graceful shutdown, then the JVM writes the class archive it recorded
        assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(postmaster()).as("PostgreSQL stops with the server").isEmpty();
        Path recorded = copy.resolve("podfleet.jsa." + second.pid() + ".partial");
        assertThat(recorded).isRegularFile();
        assertThat(copy.resolve("podfleet.jsa." + second.pid() + ".partial.ready")).as("it had become ready").exists();
        // what a kill during that write leaves: an archive cut short, which would crash the JVM mapping it
        byte[] whole = Files.readAllBytes(recorded);
        Files.write(copy.resolve("podfleet.jsa.999999999.partial"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.write(copy.resolve("podfleet.jsa.999999999.partial.ready"), new byte[0]);

        Process third = start(jar, port, "third");
        awaitHealthy(port, Duration.ofSeconds(90));
        assertThat(Files.readString(Path.of("/proc/" + third.pid() + "/maps"))).as("the third start maps the class archive")
                .contains(copy.resolve("podfleet.jsa").toString());
        try (var left = Files.list(copy)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("the complete archive taken over, the cut one removed")
                    .containsExactlyInAnyOrder("podfleet.jar", "lib", "podfleet.jsa");
        }
        assertThat(call(port, "GET", "/api/v1/hardware-profiles", survivor, null).statusCode()).isEqualTo(200);
    }

    private static String commandLine(Process p) throws IOException {
        return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
    }

    private Process start(Path jar, int port, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar.toString(), "server",
                "--server.port=" + port, "--podfleet.data-dir=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "jar-it-" + name + ".log").toFile());
        pb.environment().put("PODFLEET_BOOTSTRAP_TOKEN", TOKEN);
        pb.environment().remove("DATABASE_URL");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private java.util.Optional<ProcessHandle> postmaster() throws IOException {
        Path pid = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pid)) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).filter(ProcessHandle::isAlive);
    }

    private static void awaitHealthy(int port, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = call(port, "GET", "/actuator/health", null, null);
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server on port " + port + " not healthy within " + timeout);
    }

    private static HttpResponse<String> call(int port, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
