package io.oasis.endpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Request bodies, on every path, before anything reads them or looks at a credential: one larger than
 * {@code max-body-size}, or of unknown length, is 413 unread. The endpoints read theirs without holding a thread
 * ({@link AsyncBody}); elsewhere (admin API, webhook, Jolokia, login) a handler reads on a thread, so at most
 * {@code max-blocking-bodies} such requests are in service at once and more get 503 at once. A refused body is never
 * drained (the connection closes after the answer), nor is one a slow client still sends after an answer
 * ({@link SlowClients#abandonBody}), and one still dripping at the body deadline is cut: no client holds a thread
 * for long with a body.
 */
final class BodyAdmission implements Filter {

    private final long max;
    private final int maxBlocking;
    private final AtomicInteger blocking = new AtomicInteger();
    private final long consoleMax;
    private final EndpointDispatch endpoints;
    private final ProblemWriter problems;
    private final Counter tooLarge;
    private final Counter tooMany;

    BodyAdmission(RequestLimits.Settings settings, EndpointDispatch endpoints, ProblemWriter problems,
                  Counter tooLarge, Counter tooMany) {
        this.max = settings.maxBodySize().toBytes();
        this.consoleMax = settings.consoleMaxBodySize().toBytes();
        this.maxBlocking = settings.maxBlockingBodies();
        this.endpoints = endpoints;
        this.problems = problems;
        this.tooLarge = tooLarge;
        this.tooMany = tooMany;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        long length = http.getContentLengthLong();
        long limit = console(http) ? consoleMax : max;
        if (length > limit || length < 0 && http.getHeader("Transfer-Encoding") != null) {
            tooLarge.increment();
            refuse(http, out, new Problem(413, "body-too-large", "Content too large",
                    "request bodies are limited to " + limit + " bytes", Map.of()));
            return;
        }
        if (length <= 0 || endpoints.find(http) != null) {
            chain.doFilter(request, response);
            return;
        }
        if (blocking.incrementAndGet() > maxBlocking) {
            blocking.decrementAndGet();
            tooMany.increment();
            out.setHeader("Retry-After", LoadShedding.RETRY_AFTER);
            refuse(http, out, new Problem(503, "overloaded", "Service unavailable",
                    "too many requests with a body in service; retry later", Map.of()));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            blocking.decrementAndGet();
            if (!http.isAsyncStarted()) {
                SlowClients.abandonBody(http, out, false);
            }
        }
    }

    /** Jolokia, at its own path or Hawtio's (on the decoded, normalised path: no ../ reaches it): its larger limit. */
    private static boolean console(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio/jolokia");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        response.setHeader("Connection", "close");
        problems.write(response, problem, request.getRequestURI());
        SlowClients.abandonBody(request, response, true);
    }
}
