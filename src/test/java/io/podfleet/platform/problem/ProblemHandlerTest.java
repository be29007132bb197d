package io.podfleet.platform.problem;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bug answers 500 problem+json with an id that is in the log; a security refusal is left to the security filters. */
class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler();

    @Test
    void anUnexpectedErrorIsA500ProblemWithAnIdAndNoDetailsOfTheBug() throws Exception {
        ProblemDetail problem = handler.unexpected(new IllegalStateException("secret internals"),
                new MockHttpServletRequest("GET", "/api/v1/anything"));
        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getDetail()).startsWith("An unexpected error on the server; it is logged as ").doesNotContain("secret");
        assertThat(problem.getProperties()).containsKey("errorId");
    }

    @Test
    void aValueTheDatabaseCannotStoreIsTheCallers400NotA500() throws Exception {
        var tooLong = new org.springframework.dao.DataIntegrityViolationException("insert failed",
                new java.sql.SQLException("ERROR: value too long for type character varying(100)", "22001"));
        ProblemDetail problem = handler.notStorable(tooLong, new MockHttpServletRequest("POST", "/api/v1/anything"));
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).isEqualTo("A value cannot be stored as given: value too long for type character varying(100)");
        var duplicate = new org.springframework.dao.DataIntegrityViolationException("insert failed",
                new java.sql.SQLException("ERROR: duplicate key value violates unique constraint", "23505"));
        assertThat(handler.notStorable(duplicate, new MockHttpServletRequest("POST", "/api/v1/anything")).getStatus())
                .as("any other integrity failure is still ours").isEqualTo(500);
    }

    @Test
    void aSecurityRefusalPassesThroughToTheSecurityFilters() {
        AccessDeniedException denied = new AccessDeniedException("no");
        assertThatThrownBy(() -> handler.unexpected(denied, new MockHttpServletRequest())).isSameAs(denied);
    }
}
