package io.podfleet.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A small real HTTP server speaking the agent's side of protocol v1 until the server issue lands: enrollment,
 * heartbeats, and reports committed once per report id. Answers can be scripted per call to play a failing server.
 */
final class StandinServer implements AutoCloseable {

    /** A scripted answer: status, body, headers, and a delay before answering (after committing). */
    record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of(), 0);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer http;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    final Set<String> committed = ConcurrentHashMap.newKeySet();
    final List<String> newReports = Collections.synchronizedList(new ArrayList<>());
    final List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> heartbeats = Collections.synchronizedList(new ArrayList<>());
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    volatile long commitDelayMillis;
    volatile String credential = "cred-1";
    volatile int enrollments;

    StandinServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/", this::handle);
        http.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    void then(Answer... answers) {
        script.addAll(List.of(answers));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            authorizations.add(path + " " + ex.getRequestHeaders().getFirst("Authorization"));
            Answer scripted = script.poll();
            if (scripted != null) {
                Thread.sleep(scripted.delayMillis());
                scripted.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                respond(ex, scripted.status(), scripted.body());
                return;
            }
            switch (path) {
                case Reporter.ENROLL -> {
                    enrollments++;
                    respond(ex, 201, "{\"hostId\":\"host-1\",\"credential\":\"" + credential + "\"}");
                }
                case Reporter.HEARTBEAT -> {
                    heartbeats.add(JSON.readTree(body));
                    respond(ex, 204, "");
                }
                case Reporter.REPORTS -> {
                    if (!("Bearer " + credential).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                        respond(ex, 401, "{\"detail\":\"unknown credential\"}");
                        return;
                    }
                    String id = JSON.readTree(body).path("reportId").asString();
                    boolean fresh = committed.add(id);
                    (fresh ? newReports : duplicates).add(id);
                    Thread.sleep(commitDelayMillis); // the commit happened; the answer is slow
                    respond(ex, 200, "{\"reportId\":\"" + id + "\",\"duplicate\":" + !fresh + "}");
                }
                default -> respond(ex, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
