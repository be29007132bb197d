package io.podfleet.admission;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Map;

/** The refusals of upload admission, one type per rule. */
final class AdmissionProblems {

    private AdmissionProblems() {
    }

    static final class InvalidField extends DomainProblem {
        InvalidField(String field, String detail) {
            super(HttpStatus.BAD_REQUEST, field, detail);
        }
    }

    /** 503: every writable vault is at its limit, or none takes writes. Clients retry later or elsewhere. */
    static final class NoTomesAvailable extends DomainProblem {
        private final Duration retryAfter;

        NoTomesAvailable(String why, Duration retryAfter) {
            super(HttpStatus.SERVICE_UNAVAILABLE, null, "no tomes available: " + why);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("retryAfterSeconds", retryAfter.toSeconds());
        }
    }

    static final class UploadsOpen extends DomainProblem {
        UploadsOpen(int vault, long open, java.time.Instant lastExpiry) {
            super(HttpStatus.CONFLICT, null, "vault " + vault + " still has " + open + " open upload lease" + (open == 1 ? "" : "s")
                    + "; retire it once they end" + (lastExpiry == null ? "" : ", at the latest when they expire (" + lastExpiry + ")"));
        }
    }

    static final class LeaseEnded extends DomainProblem {
        LeaseEnded(String lease, String outcome) {
            super(HttpStatus.CONFLICT, null, "lease " + lease + " already ended (" + outcome + ")");
        }
    }
}
