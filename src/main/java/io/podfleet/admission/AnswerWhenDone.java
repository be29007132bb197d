package io.podfleet.admission;

import jakarta.annotation.PreDestroy;
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

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers a request when its future completes (an end, after its group's commit: its bytes and outcome are
 * accounting's figures) without holding its thread meanwhile: the request goes into servlet async mode, its thread
 * back to Tomcat, and one answering thread writes each answer as it completes. A request thread parked on its
 * answer instead costs a thread switch out and one back in, the largest single cost of an acquire + release pair on a
 * small machine, and at saturation dozens park at once: handed off, pairs were 13-20 % faster, and the acquire p99 at
 * one fixed rate no worse (docs/admission.md, docs/benchmarks.md). Spring's own asynchronous answers send the request
 * through the servlet a second time, which costs more than the park; this writes the answer directly. A failure is
 * answered as the controller's own exception would have been: by the application's exception resolvers, the same
 * problem+json.
 */
@Component
class AnswerWhenDone {

    private static final Logger log = LoggerFactory.getLogger(AnswerWhenDone.class);

    private final JsonMapper json;
    private final HandlerExceptionResolver resolvers;
    /**
     * Answers are written here, not on the thread that completes them (the ledger's writer): handing each back to
     * Tomcat wakes one of its threads, which took the writer 35 µs an answer and made every group later. Queued
     * while this thread works, a group's answers cost the writer one wake-up in all.
     */
    private final ExecutorService answering = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "admission-answers");
        t.setDaemon(true);
        return t;
    });

    AnswerWhenDone(JsonMapper json, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolvers) {
        this.json = json;
        this.resolvers = resolvers;
    }

    /** Answers 200 with {@code answer}'s value as JSON, or its failure as problem+json, once it completes. */
    void send(CompletableFuture<?> answer, HttpServletRequest request, HttpServletResponse response) {
        Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE);
        Object controller = handler instanceof HandlerMethod method ? method.createWithResolvedBean() : handler;
        String asked = request.getMethod() + " " + request.getRequestURI(); // (for the log: a request is recycled when done)
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // as long as the write takes, as when the request's thread waited for it
        answer.whenCompleteAsync((value, error) -> {
            if (error != null) { // (rare) on a request thread: a resolver may flush to a slow client
                async.start(() -> answerFailure(error, request, response, controller, async, asked));
                return;
            }
            try {
                write(value, response);
            } catch (IOException | RuntimeException e) {
                // what was asked is written; only its answer is lost, and asking again is harmless
                log.debug("The client of {} went away before its answer", asked, e);
            } finally {
                complete(async);
            }
        }, answering);
    }

    private void write(Object value, HttpServletResponse response) throws IOException {
        byte[] body = json.writeValueAsBytes(value);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body); // (all of its length: Tomcat sends it now, from this thread)
    }

    @PreDestroy
    void stop() {
        answering.shutdown();
    }

    private void answerFailure(Throwable error, HttpServletRequest request, HttpServletResponse response, Object controller,
                               AsyncContext async, String asked) {
        try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (resolvers.resolveException(request, response, controller, cause instanceof Exception e ? e : new IllegalStateException(cause)) == null) {
                log.error("Answering {} failed", asked, cause);
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("The client of {} went away before its answer", asked, e);
        } finally {
            complete(async);
        }
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            log.debug("The request was completed already: its client went away", e); // Tomcat completes it on an I/O error
        }
    }
}
