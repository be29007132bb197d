package io.podfleet.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The agent's HTTP calls, each answered by what the agent should do next. */
final class ServerClient {

    /** What a call came to. */
    sealed interface Outcome {
        /** 2xx: done. */
        record Accepted(int status, byte[] body) implements Outcome {
        }

        /** 4xx other than 401, 408, 429: the request itself is wrong; sending it again will not help. */
        record Rejected(int status, String body) implements Outcome {
        }

        /** 401: the credential is not accepted; {@code revoked} when the server says it was revoked. */
        record Unauthorized(boolean revoked, String body) implements Outcome {
        }

        /** 408, 429, 5xx, timeouts, refused connections: try again, after {@code retryAfter} when the server said. */
        record RetryLater(Optional<Duration> retryAfter, String why) implements Outcome {
        }
    }

    private final URI server;
    private final HttpClient http;
    private final Duration timeout;

    ServerClient(URI server, Path caFile, Duration timeout) throws IOException {
        this.server = server;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        this.http = builder.build();
    }

    Outcome post(String path, String bearer, byte[] json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Outcome.RetryLater(Optional.empty(), e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.RetryLater(Optional.empty(), "interrupted");
        }
        int status = response.statusCode();
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (status >= 200 && status < 300) {
            return new Outcome.Accepted(status, response.body());
        }
        if (status == 401) {
            return new Outcome.Unauthorized(body.toLowerCase(java.util.Locale.ROOT).contains("revoked"), body);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome.RetryLater(retryAfter(response), "HTTP " + status);
        }
        return new Outcome.Rejected(status, body);
    }

    /** {@code Retry-After} in seconds (the form servers here send); an HTTP date is read too. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                try {
                    java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(v.trim(),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (java.time.DateTimeException ignored) {
                    return Optional.empty();
                }
            }
        });
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
