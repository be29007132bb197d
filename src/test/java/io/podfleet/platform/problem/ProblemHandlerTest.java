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
    void aSecurityRefusalPassesThroughToTheSecurityFilters() {
        AccessDeniedException denied = new AccessDeniedException("no");
        assertThatThrownBy(() -> handler.unexpected(denied, new MockHttpServletRequest())).isSameAs(denied);
    }
}
