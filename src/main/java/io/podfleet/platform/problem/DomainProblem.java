package io.podfleet.platform.problem;

import org.springframework.http.HttpStatus;

/**
 * A refusal by a domain rule. Each rule gets its own subclass (a name a reader can grep for); the handler maps all
 * of them once to RFC 9457 problem+json with {@code rule}, and {@code field} where one field is at fault.
 */
public abstract class DomainProblem extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    protected DomainProblem(HttpStatus status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    public HttpStatus status() {
        return status;
    }

    /** The request field at fault, or null when the refusal is about the whole request. */
    public String field() {
        return field;
    }

    /** The rule's name as clients see it, e.g. {@code mixed-drive-capacity}. */
    public String rule() {
        String simple = getClass().getSimpleName();
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Further members of the problem document (e.g. a list of violations); none by default. */
    public java.util.Map<String, Object> properties() {
        return java.util.Map.of();
    }

    /** A 404 for a named thing that does not exist. */
    public static class NotFound extends DomainProblem {
        public NotFound(String what, Object id) {
            super(HttpStatus.NOT_FOUND, null, what + " " + id + " does not exist");
        }
    }
}
