package io.podfleet.fleet;

import io.podfleet.protocol.v1.EnrollRequest;
import io.podfleet.protocol.v1.EnrollResponse;
import io.podfleet.protocol.v1.Heartbeat;
import io.podfleet.protocol.v1.HostReport;
import io.podfleet.protocol.v1.ReportAck;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The server side of agent protocol v1 (docs/protocol.md). */
@RestController
@RequestMapping("/api/v1/agent")
class AgentController {

    private final Enrollment enrollment;
    private final ReportIngestion ingestion;

    AgentController(Enrollment enrollment, ReportIngestion ingestion) {
        this.enrollment = enrollment;
        this.ingestion = ingestion;
    }

    /** Open: the enrollment token in the body is the credential. */
    @PostMapping("/enroll")
    @ResponseStatus(HttpStatus.CREATED)
    EnrollResponse enroll(@RequestBody EnrollRequest request) {
        if (request.enrollmentToken() == null || request.enrollmentToken().isBlank()) {
            throw new FleetProblems.InvalidField("enrollmentToken", "is required");
        }
        if (request.hostname() == null || !request.hostname().matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {
            throw new FleetProblems.InvalidField("hostname", "must be a host name (letters, digits, '.', '-')");
        }
        FleetProblems.atMost("systemSerial", request.systemSerial(), 100);
        return enrollment.enroll(request);
    }

    @PostMapping("/heartbeat")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void heartbeat(@AuthenticationPrincipal AgentPrincipal agent, @RequestBody Heartbeat beat) {
        ingestion.heartbeat(agent, beat);
    }

    @PostMapping("/reports")
    ReportAck report(@AuthenticationPrincipal AgentPrincipal agent, @RequestBody HostReport report) {
        return ingestion.ingest(agent, report);
    }
}
