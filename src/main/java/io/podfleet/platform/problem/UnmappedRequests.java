package io.podfleet.platform.problem;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.stream.Collectors;

/**
 * A call under {@code /api/} that no endpoint takes (unknown path, wrong method, a body type it does not read) is
 * answered with problem+json like every other refusal. {@link ProblemHandler} cannot do it: these are raised before
 * any controller is chosen, so only an advice for every handler sees them. Other paths (the dashboard's) keep the
 * server's error page: rethrowing the same exception hands it back to the default handling.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UnmappedRequests {

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noEndpoint(NoResourceFoundException e, HttpServletRequest request) throws Exception {
        return answer(e, request, HttpStatus.NOT_FOUND, "No endpoint " + request.getMethod() + " " + request.getRequestURI(),
                new HttpHeaders());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) throws Exception {
        HttpHeaders headers = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        String allowed = e.getSupportedHttpMethods() == null ? "" : "; allowed: "
                + e.getSupportedHttpMethods().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        return answer(e, request, HttpStatus.METHOD_NOT_ALLOWED, request.getRequestURI() + " does not take " + request.getMethod()
                + allowed, headers);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> bodyType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) throws Exception {
        return answer(e, request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + e.getContentType()
                + " is not read here; supported: " + e.getSupportedMediaTypes(), new HttpHeaders());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> answerType(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) throws Exception {
        return answer(e, request, HttpStatus.NOT_ACCEPTABLE, "None of the accepted types can be answered; available: "
                + e.getSupportedMediaTypes(), new HttpHeaders());
    }

    private static ResponseEntity<ProblemDetail> answer(Exception e, HttpServletRequest request, HttpStatus status,
                                                        String detail, HttpHeaders headers) throws Exception {
        if (!request.getRequestURI().startsWith("/api/")) {
            throw e;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).headers(headers).body(problem);
    }
}
