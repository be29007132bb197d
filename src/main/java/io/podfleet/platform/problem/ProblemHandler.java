package io.podfleet.platform.problem;

import jakarta.validation.ConstraintViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;

import java.util.List;
import java.util.Map;

/**
 * Turns every refusal into RFC 9457 problem+json. Validation problems carry {@code errors}: a list of
 * {@code {field, message}}, and {@code field} when exactly one field is at fault, so a tool can point at it.
 */
// REST controllers only: the dashboard's pages answer people with pages, not problem documents
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@org.springframework.core.annotation.Order(0) // before UnmappedRequests where both apply (a controller was chosen)
class ProblemHandler extends ResponseEntityExceptionHandler {

    /** SQLSTATEs of a value that does not fit: string_data_right_truncation, character_not_in_repertoire (NUL). */
    private static final java.util.Set<String> NOT_STORABLE = java.util.Set.of("22001", "22021");

    @ExceptionHandler(DomainProblem.class)
    ProblemDetail domain(DomainProblem e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.status().getReasonPhrase());
        problem.setProperty("rule", e.rule());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    /**
     * Anything else is a fault of ours: 500 problem+json with an id that is also in the log, never a stack trace.
     * Security refusals are left to the security filters (401/403), which handle them as they propagate.
     */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, jakarta.servlet.http.HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.security.access.AccessDeniedException
                || e instanceof org.springframework.security.core.AuthenticationException) {
            throw e;
        }
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        org.slf4j.LoggerFactory.getLogger(ProblemHandler.class)
                .error("Unexpected error {} on {} {}", id, request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error on the server; it is logged as " + id);
        problem.setTitle("Internal Server Error");
        problem.setProperty("errorId", id);
        return problem;
    }

    /**
     * The safety net under the field checks: a text the database cannot store (longer than its column, or holding a
     * NUL) is the caller's, so 400, never a 500 that an agent or a script would retry for ever. The field checks name
     * the field; PostgreSQL's message names only the column type.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail notStorable(DataIntegrityViolationException e, jakarta.servlet.http.HttpServletRequest request) throws Exception {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && NOT_STORABLE.contains(sql.getSQLState())) {
                String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                        "A value cannot be stored as given: " + message.replaceFirst("^ERROR: ", ""));
                problem.setTitle("Invalid request");
                problem.setProperty("rule", "value-not-storable");
                return problem;
            }
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraint(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldError::field))
                .toList();
        return invalid(errors);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(List.of(new FieldError(e.getName(), ParameterProblems.explain(e))));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new java.util.ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(new FieldError(f.getField(), f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new FieldError(g.getObjectName(), g.getDefaultMessage())));
        errors.sort(java.util.Comparator.comparing(FieldError::field));
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        // the Jackson exception that knows the field: the most specific cause may be below it (a DateTimeParseException
        // of a Duration), which made a value of the wrong form read as "not well-formed JSON"
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException j && !j.getPath().isEmpty()) {
                cause = t;
                break;
            }
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            String message = plainWords(jackson);
            if (message == null) {
                message = jackson.getOriginalMessage();
                int newline = message == null ? -1 : message.indexOf('\n');
                message = newline < 0 ? message : message.substring(0, newline);
            }
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(JsonPath.of(jackson), message))));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is missing or is not well-formed JSON"
                        + (cause instanceof JacksonException j && j.getLocation() != null
                        ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : ""));
        problem.setTitle("Unreadable request body");
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * What is wrong with a value, in the caller's words rather than Jackson's (which name our Java classes and types);
     * {@code null} for the cases Jackson's own first line says well enough.
     */
    private static String plainWords(JacksonException e) {
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
            Class<?> type = invalid.getTargetType();
            String given = ", not '" + invalid.getValue() + "'";
            if (type.isEnum()) {
                return ParameterProblems.oneOf(type, invalid.getValue());
            }
            if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
                return "must be a number" + given;
            }
            if (type == Boolean.class || type == boolean.class) {
                return "must be true or false" + given;
            }
            if (type == java.time.Instant.class) {
                return "must be a UTC time such as 2026-12-01T06:00:00Z" + given;
            }
            if (type == java.time.LocalDate.class) {
                return "must be a date such as 2026-12-01" + given;
            }
            if (type == java.time.Duration.class) {
                return "must be an ISO 8601 duration such as PT24H" + given;
            }
            if (type == java.util.UUID.class) {
                return "must be a UUID" + given;
            }
        }
        if (e instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
            Class<?> type = coercion.getTargetType();
            if (type == int.class || type == Integer.class) {
                return "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            }
            if (type == long.class || type == Long.class) {
                return "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            }
        }
        return null;
    }

    private static ProblemDetail invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: " + String.join(", ", errors.stream().map(FieldError::field).toList());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        if (errors.size() == 1) {
            problem.setProperty("field", errors.get(0).field());
        }
        problem.setProperty("errors", errors.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
        return problem;
    }

    private static String lastNode(String path) {
        // "create.request.name" -> "name": the method and parameter names mean nothing to a caller.
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
    }

    record FieldError(String field, String message) {
    }
}
