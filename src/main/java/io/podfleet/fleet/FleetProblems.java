package io.podfleet.fleet;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.http.HttpStatus;

/** The refusals of the fleet package, one type per rule. */
final class FleetProblems {

    private FleetProblems() {
    }

    static final class InvalidEnrollmentToken extends DomainProblem {
        InvalidEnrollmentToken(String why) {
            super(HttpStatus.UNAUTHORIZED, "enrollmentToken", why);
        }
    }

    static final class EnrollmentTokenBinding extends DomainProblem {
        EnrollmentTokenBinding(String field, String detail) {
            super(HttpStatus.FORBIDDEN, field, detail);
        }
    }

    static final class ReportForAnotherHost extends DomainProblem {
        ReportForAnotherHost(String hostId, long credentialHost) {
            super(HttpStatus.FORBIDDEN, "hostId", "this credential belongs to host " + credentialHost
                    + ", not to host " + hostId);
        }
    }

    static final class ReportOutOfTime extends DomainProblem {
        ReportOutOfTime(String detail) {
            super(HttpStatus.BAD_REQUEST, "takenAt", detail);
        }
    }

    /** A request field (of a report, a query or a command) that breaks a rule. */
    static final class InvalidField extends DomainProblem {
        InvalidField(String field, String detail) {
            super(HttpStatus.BAD_REQUEST, field, detail);
        }
    }

    /** Refuses a text longer than the column it goes to, by name: the database would refuse it as a 500. */
    static void atMost(String field, String value, int longest) {
        if (value != null && value.length() > longest) {
            throw new InvalidField(field, "must be at most " + longest + " characters, not " + value.length());
        }
    }

    static final class HostnameTaken extends DomainProblem {
        HostnameTaken(String hostname) {
            super(HttpStatus.CONFLICT, "hostname", "another host is already called " + hostname);
        }
    }
}
