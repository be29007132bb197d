package io.podfleet.admission;

import io.podfleet.platform.json.JsonBody;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Upload targets for front-ends (DISPATCHER or OPERATOR tokens) and connection limits for operators. Leases are the
 * front-ends' own bookkeeping (every grant and end is a row), so they are not in the audit log; limit changes are.
 */
@RestController
class AdmissionController {

    record UploadRequest(String clientId, Long sizeHint, String datacenter) {
    }

    record UploadEnd(Long bytes, Integer files, Admission.Outcome outcome) {
    }

    record Renewed(UUID leaseId, Instant expiresAt) {
    }

    record LimitChange(Integer limit) {
    }

    private final Admission admission;
    private final AnswerWhenDone answers;

    AdmissionController(Admission admission, AnswerWhenDone answers) {
        this.admission = admission;
        this.answers = answers;
    }

    /**
     * 201 with a Location. Not a {@code ResponseEntity}: Spring flushes those after writing the body, which commits
     * the response before its length is known, so every grant went out chunked, in two writes instead of one.
     */
    @PostMapping("/api/v1/uploads")
    @ResponseStatus(HttpStatus.CREATED)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadRequest.class)))
    Admission.Lease acquire(@Parameter(hidden = true) @JsonBody UploadRequest request, Authentication caller, HttpServletResponse response) {
        Admission.Lease lease = admission.acquire(request.clientId(), request.sizeHint(), request.datacenter(), caller.getName());
        response.setHeader(HttpHeaders.LOCATION, "/api/v1/uploads/" + lease.leaseId());
        return lease;
    }

    @PostMapping("/api/v1/uploads/{lease}/renew")
    Renewed renew(@PathVariable UUID lease) {
        return new Renewed(lease, admission.renew(lease));
    }

    /** 200 with {@link Admission.Ended}, answered after the end's commit without holding this thread meanwhile. */
    @DeleteMapping("/api/v1/uploads/{lease}")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Admission.Ended.class)))
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadEnd.class)))
    void release(@PathVariable UUID lease, @Parameter(hidden = true) @JsonBody(required = false) UploadEnd end, HttpServletRequest request,
                 HttpServletResponse response) {
        UploadEnd given = end == null ? new UploadEnd(null, null, null) : end;
        answers.send(admission.release(lease, given.outcome(), given.bytes(), given.files()), request, response);
    }

    @PutMapping("/api/v1/vaults/{id}/connection-limit")
    @PreAuthorize("hasRole('OPERATOR')")
    ConnectionLimit setLimit(@PathVariable int id, @RequestBody LimitChange change) {
        ConnectionLimit limit = admission.setLimit(id, change.limit());
        admission.forgetCandidates();
        return limit;
    }

    @GetMapping("/api/v1/admission")
    @PreAuthorize("hasRole('VIEWER')")
    List<Admission.VaultLoad> loads() {
        return admission.loads();
    }

    /** 503 with Retry-After: the client asks again later, or another dispatcher. */
    @ExceptionHandler(AdmissionProblems.NoTomesAvailable.class)
    ResponseEntity<ProblemDetail> noTomes(AdmissionProblems.NoTomesAvailable e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("No tomes available");
        problem.setProperty("rule", e.rule());
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
                .body(problem);
    }

}
