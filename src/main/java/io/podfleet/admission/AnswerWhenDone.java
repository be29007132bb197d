package io.podfleet.admission;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Answers a request when its future completes, from the thread that completes it, instead of holding the request's
 * thread parked until then. A release waits for its group's commit (its bytes and outcome are accounting's figures);
 * parked, each waiting request cost a thread switch out and one back in, the largest single cost of a pair of calls
 * on this machine (docs/benchmarks.md). Spring's own asynchronous answers dispatch the request through the servlet
 * a second time, which costs more than the park; this writes the answer directly. A failure is answered as the
 * controller's own exception would have been: by the application's exception resolvers, the same problem+json.
 */
@Component
class AnswerWhenDone {

    private static final Logger log = LoggerFactory.getLogger(AnswerWhenDone.class);

    private final JsonMapper json;
    private final HandlerExceptionResolver resolvers;

    AnswerWhenDone(JsonMapper json, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolvers) {
        this.json = json;
        this.resolvers = resolvers;
    }

    /** Answers 200 with {@code answer}'s value as JSON, or its failure as problem+json, once it completes. */
    void send(CompletableFuture<?> answer, HttpServletRequest request, HttpServletResponse response) {
        Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
        Object controller = handler instanceof HandlerMethod method ? method.createWithResolvedBean() : handler;
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // as long as the write takes, as when the request's thread waited for it
        answer.whenComplete((value, error) -> {
            if (error != null) { // (rare) on a request thread: a resolver may flush to a slow client, the writer never
                async.start(() -> answerFailure(error, request, response, controller, async));
                return;
            }
            try {
                byte[] body = json.writeValueAsBytes(value);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setContentLength(body.length);
                response.getOutputStream().write(body); // (buffered: sent when the request completes, by Tomcat's thread)
            } catch (Exception e) {
                log.warn("Answering {} {} failed", request.getMethod(), request.getRequestURI(), e);
            } finally {
                async.complete();
            }
        });
    }

    private void answerFailure(Throwable error, HttpServletRequest request, HttpServletResponse response, Object controller,
                               AsyncContext async) {
        try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            resolvers.resolveException(request, response, controller, cause instanceof Exception e ? e : new IllegalStateException(cause));
        } catch (RuntimeException e) {
            log.warn("Answering {} {} failed", request.getMethod(), request.getRequestURI(), e);
        } finally {
            async.complete();
        }
    }
}
