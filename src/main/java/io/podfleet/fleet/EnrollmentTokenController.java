package io.podfleet.fleet;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/** Enrollment tokens for provisioning tools (OPERATOR or ADMIN). The token is in the answer, once. */
@RestController
@RequestMapping("/api/v1/enrollment-tokens")
class EnrollmentTokenController {

    private final Enrollment enrollment;

    EnrollmentTokenController(Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    /**
     * @param ttl          how long the token works, ISO-8601 (default PT24H)
     * @param hostname     when set, only this host may use it
     * @param systemSerial when set, only the chassis with this serial may use it
     */
    record CreateEnrollmentToken(Duration ttl, String hostname, String systemSerial) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('OPERATOR')")
    Enrollment.CreatedToken create(@RequestBody(required = false) CreateEnrollmentToken request) {
        CreateEnrollmentToken r = request == null ? new CreateEnrollmentToken(null, null, null) : request;
        return enrollment.createToken(r.ttl() == null ? Duration.ofHours(24) : r.ttl(), r.hostname(), r.systemSerial());
    }
}
