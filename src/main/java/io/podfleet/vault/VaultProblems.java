package io.podfleet.vault;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** The refusals of the vault package, one type per rule. */
final class VaultProblems {

    private VaultProblems() {
    }

    /** One host that breaks one placement rule. */
    record Violation(int position, long hostId, String hostname, String rule, String detail) {
    }

    static final class InvalidField extends DomainProblem {
        InvalidField(String field, String detail) {
            super(HttpStatus.BAD_REQUEST, field, detail);
        }
    }

    /** Hosts that cannot form (or join) the vault; every offending host and rule is listed in {@code violations}. */
    static final class PlacementRefused extends DomainProblem {
        private final List<Violation> violations;

        PlacementRefused(List<Violation> violations) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "hosts", summary(violations));
            this.violations = List.copyOf(violations);
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("violations", violations);
        }

        private static String summary(List<Violation> violations) {
            return violations.size() + " placement rule" + (violations.size() == 1 ? " is" : "s are") + " broken: "
                    + String.join("; ", violations.stream().limit(5)
                    .map(v -> "host " + v.hostId() + (v.hostname() == null ? "" : " (" + v.hostname() + ")") + " at position "
                            + v.position() + ": " + v.rule()).toList())
                    + (violations.size() > 5 ? "; ..." : "");
        }
    }

    static final class NotEnoughHosts extends DomainProblem {
        NotEnoughHosts(String detail) {
            super(HttpStatus.UNPROCESSABLE_CONTENT, "datacenter", detail);
        }
    }

    static final class VaultIdTaken extends DomainProblem {
        VaultIdTaken(int id) {
            super(HttpStatus.CONFLICT, "id", "vault " + id + " already exists");
        }
    }

    static final class VaultNameTaken extends DomainProblem {
        VaultNameTaken(String name) {
            super(HttpStatus.CONFLICT, "name", "another vault is already called " + name);
        }
    }

    /** Another request put one of the hosts in a vault between our check and our write. */
    static final class HostTaken extends DomainProblem {
        HostTaken() {
            super(HttpStatus.CONFLICT, "hosts", "a host joined another vault meanwhile; look again and retry");
        }
    }

    static final class InvalidVaultTransition extends DomainProblem {
        InvalidVaultTransition(String detail) {
            super(HttpStatus.CONFLICT, "state", detail);
        }
    }
}
