package io.podfleet.agent;

import io.podfleet.protocol.v1.EnrollRequest;
import io.podfleet.protocol.v1.EnrollResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends spooled reports, oldest first, and deletes each only when the server answered that it committed it. Keeps
 * the host's credential: enrolls when there is none, and enrolls again only when the server says it was revoked.
 */
final class Reporter {

    /** What a drain of the spool came to. */
    sealed interface Result {
        /** Nothing left to send. */
        record Drained(int sent, int rejected) implements Result {
        }

        /** Stopped early; try again after {@code delay}. */
        record Paused(Duration delay, String why) implements Result {
        }
    }

    static final String ENROLL = "/api/v1/agent/enroll";
    static final String REPORTS = "/api/v1/agent/reports";
    static final String HEARTBEAT = "/api/v1/agent/heartbeat";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServerClient client;
    private final Spool spool;
    private final Path credentialFile;
    private final String enrollmentToken;
    private final EnrollRequest enrollAs;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
    private volatile Credential credential;

    Reporter(ServerClient client, Spool spool, Path credentialFile, String enrollmentToken, EnrollRequest enrollAs)
            throws IOException {
        this.client = client;
        this.spool = spool;
        this.credentialFile = credentialFile;
        this.enrollmentToken = enrollmentToken;
        this.enrollAs = enrollAs;
        this.credential = Credential.read(credentialFile).orElse(null);
    }

    Optional<Credential> credential() {
        return Optional.ofNullable(credential);
    }

    /** Enrolls if there is no credential yet; empty Paused-free result when enrolled. */
    Optional<Result.Paused> ensureEnrolled() throws IOException {
        if (credential != null) {
            return Optional.empty();
        }
        if (enrollmentToken == null) {
            return Optional.of(new Result.Paused(Duration.ofMinutes(5), "no credential at " + credentialFile
                    + " and no enrollment token configured"));
        }
        EnrollRequest request = new EnrollRequest(enrollmentToken, enrollAs.hostname(), enrollAs.systemSerial(),
                enrollAs.profileId(), enrollAs.agentVersion());
        ServerClient.Outcome outcome = client.post(ENROLL, null, JSON.writeValueAsBytes(request));
        if (outcome instanceof ServerClient.Outcome.Accepted ok) {
            EnrollResponse response = JSON.readValue(ok.body(), EnrollResponse.class);
            credential = new Credential(response.hostId(), response.credential());
            credential.write(credentialFile);
            backoff.reset();
            AgentLog.info("enrolled as host %s", response.hostId());
            return Optional.empty();
        }
        return Optional.of(pause(outcome, "enrollment"));
    }

    /** Sends what the spool holds until it is empty or the server asks us to wait. */
    Result drain() throws IOException {
        Optional<Result.Paused> notEnrolled = ensureEnrolled();
        if (notEnrolled.isPresent()) {
            return notEnrolled.get();
        }
        int sent = 0;
        int rejected = 0;
        for (Spool.Entry entry : spool.pending()) {
            ServerClient.Outcome outcome = client.post(REPORTS, credential.credential(), spool.read(entry));
            if (outcome instanceof ServerClient.Outcome.Accepted) {
                spool.delete(entry);
                sent++;
                backoff.reset();
            } else if (outcome instanceof ServerClient.Outcome.Rejected r) {
                spool.reject(entry, "HTTP " + r.status() + "\n" + r.body());
                rejected++;
                AgentLog.warn("server refused report %s (HTTP %d); kept in %s", entry.reportId(), r.status(),
                        entry.file().getParent().resolveSibling("rejected"));
            } else if (outcome instanceof ServerClient.Outcome.Unauthorized u) {
                return unauthorized(u);
            } else {
                return pause(outcome, "report " + entry.reportId());
            }
        }
        return new Result.Drained(sent, rejected);
    }

    /** Sends one heartbeat body; heartbeats are not spooled (the next one says the same, newer). */
    ServerClient.Outcome heartbeat(byte[] json) throws IOException {
        if (credential == null) {
            return new ServerClient.Outcome.RetryLater(Optional.empty(), "not enrolled");
        }
        ServerClient.Outcome outcome = client.post(HEARTBEAT, credential.credential(), json);
        if (outcome instanceof ServerClient.Outcome.Unauthorized u) {
            unauthorized(u);
        }
        return outcome;
    }

    private Result unauthorized(ServerClient.Outcome.Unauthorized u) throws IOException {
        if (u.revoked() && enrollmentToken != null) {
            AgentLog.warn("the server revoked this host's credential; enrolling again");
            credential = null;
            java.nio.file.Files.deleteIfExists(credentialFile);
            return new Result.Paused(Duration.ZERO, "credential revoked");
        }
        return new Result.Paused(backoff.next(Optional.of(Duration.ofMinutes(5))),
                "the server does not accept this host's credential (HTTP 401)" + (u.revoked() ? ": revoked" : ""));
    }

    private Result.Paused pause(ServerClient.Outcome outcome, String what) {
        if (outcome instanceof ServerClient.Outcome.RetryLater later) {
            return new Result.Paused(backoff.next(later.retryAfter()), what + ": " + later.why());
        }
        if (outcome instanceof ServerClient.Outcome.Rejected r) {
            return new Result.Paused(backoff.next(Optional.of(Duration.ofMinutes(5))), what + " refused: HTTP " + r.status()
                    + " " + r.body());
        }
        return new Result.Paused(backoff.next(Optional.empty()), what + ": " + outcome);
    }
}
