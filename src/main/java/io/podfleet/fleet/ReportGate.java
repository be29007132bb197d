package io.podfleet.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.podfleet.platform.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a few agent reports in at a time ({@code podfleet.fleet.report-concurrency}) and keeps the others waiting in
 * line, first come first served, for up to {@code report-queue-wait}; past it the agent hears 503 with Retry-After and
 * sends the report again from its spool.
 * <p>
 * Why: a report is CPU work, reading its body and judging its drives here and storing it in PostgreSQL, on the same
 * cores. Sixteen reports at once were slower than a few at a time (more context switches, the caches shared by more
 * bodies, more database backends contending; docs/benchmarks.md), and a fleet coming back from an outage sends its
 * spools all together. Runs after authentication (Spring Security's filters come first), so only an agent's own
 * report waits here, and after the body size limit.
 */
@Component
class ReportGate extends OncePerRequestFilter {

    static final String PATH = "/api/v1/agent/reports";

    private final Semaphore permits;
    private final long waitNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter turnedAway;

    ReportGate(FleetSettings settings, MeterRegistry meters) {
        this.permits = new Semaphore(settings.reportConcurrency(), true);
        this.waitNanos = settings.reportQueueWait().toNanos();
        Gauge.builder("podfleet.reports.waiting", waiting, AtomicInteger::get)
                .description("agent reports waiting for their turn to be read and stored").register(meters);
        Gauge.builder("podfleet.reports.in.progress", permits, p -> settings.reportConcurrency() - p.availablePermits())
                .description("agent reports being read and stored now").register(meters);
        this.turnedAway = Counter.builder("podfleet.reports.turned.away")
                .description("agent reports answered 503 after waiting report-queue-wait for their turn").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!takeTurn()) {
            turnedAway.increment();
            // spread the agents' next tries over a few seconds rather than bring them back together
            response.setHeader("Retry-After", Integer.toString(5 + ThreadLocalRandom.current().nextInt(11)));
            ProblemResponses.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "The server is taking "
                    + "reports as fast as it can and this one waited " + Duration.ofNanos(waitNanos).toMillis()
                    + " ms for its turn; send it again after Retry-After");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }

    private boolean takeTurn() {
        try {
            // with a timeout, even of zero, a fair semaphore keeps the line: no report overtakes those waiting
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                return true;
            }
            waiting.incrementAndGet();
            try {
                return permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
            } finally {
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
