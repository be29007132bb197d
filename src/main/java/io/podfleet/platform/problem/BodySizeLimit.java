package io.podfleet.platform.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * A size limit on every API body: 413 problem+json for a declared length over the limit, and a stream that stops
 * reading past it for chunked bodies. Agent reports and file imports (Drive Stats, purchases) get their own, larger limits.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimit extends OncePerRequestFilter {

    private final long defaultLimit;
    private final long reportLimit;
    private final long importLimit;

    BodySizeLimit(@Value("${podfleet.api.max-body-size:1MB}") DataSize defaultLimit,
                  @Value("${podfleet.fleet.max-report-size:8MB}") DataSize reportLimit,
                  @Value("${podfleet.accounting.max-import-size:256MB}") DataSize importLimit) {
        this.defaultLimit = defaultLimit.toBytes();
        this.reportLimit = reportLimit.toBytes();
        this.importLimit = importLimit.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        long limit = uri.equals("/api/v1/agent/reports") ? reportLimit : (uri.equals("/api/v1/drive-stats/import") || uri.equals("/api/v1/purchases")) ? importLimit : defaultLimit;
        if (request.getContentLengthLong() > limit) {
            ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "The body is " + request.getContentLengthLong() + " bytes; the limit here is " + limit);
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    /** Fails the read past the limit, which Spring turns into a 400 for an unreadable body. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > limit) {
                        throw new IOException("request body larger than " + limit + " bytes");
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = in.read(buf, off, len);
                    if (n > 0 && (read += n) > limit) {
                        throw new IOException("request body larger than " + limit + " bytes");
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
