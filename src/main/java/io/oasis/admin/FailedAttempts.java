package io.oasis.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.observe.OasisMetrics;
import io.oasis.resilience.ClientLimiter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * Wrong credentials per client address: the operator password (HTTP Basic or the login form), the admin token, the
 * webhook's signature. Past {@code oasis.operator.max-failed-attempts} within the window, a client's every attempt
 * is 429 with Retry-After until the window ends, right credentials included: guessing stops at a handful of tries
 * per window. The clients remembered are bounded (the least recent forgotten first).
 */
@Component
public class FailedAttempts {

    private final Cache<String, AtomicInteger> failures;
    private final int max;
    private final Duration window;
    private final ClientLimiter clients;
    private final ProblemWriter problems;
    private final Counter locked;

    public FailedAttempts(OperatorProperties properties, ClientLimiter clients, ProblemWriter problems,
                          MeterRegistry registry) {
        if (properties.maxFailedAttempts() < 1) {
            throw new ConfigurationException("oasis.operator.max-failed-attempts", properties.maxFailedAttempts(),
                    "must be at least 1", "E.g. 10.");
        }
        if (properties.failedAttemptsWindow().isNegative() || properties.failedAttemptsWindow().isZero()) {
            throw new ConfigurationException("oasis.operator.failed-attempts-window",
                    properties.failedAttemptsWindow().toMillis() + "ms", "must be positive", "E.g. 5m.");
        }
        this.max = properties.maxFailedAttempts();
        this.window = properties.failedAttemptsWindow();
        this.clients = clients;
        this.problems = problems;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
        this.locked = Counter.builder(OasisMetrics.REQUESTS_REFUSED).tag(OasisMetrics.TAG_REASON, "failed-attempts")
                .description("requests refused for their size").register(registry);
    }

    /** Whether this client has used up its failed attempts; if so, it is answered 429 here. */
    public boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AtomicInteger count = failures.getIfPresent(clients.address(request));
        if (count == null || count.get() < max) {
            return false;
        }
        locked.increment();
        response.setHeader("Retry-After", Long.toString(window.toSeconds()));
        problems.write(response, new Problem(429, "too-many-failed-attempts", "Too many requests",
                "too many wrong credentials from this client; try again later", Map.of()), request.getRequestURI());
        return true;
    }

    /** Forgets every client's failures: an operator's unlock, and a test's. */
    public void forgetAll() {
        failures.invalidateAll();
    }

    /** Counts a wrong credential for this request's client. */
    public void failed(HttpServletRequest request) {
        failures.get(clients.address(request), client -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * For the operator chain: refuses a client past its attempts, and counts the chain's refusals of credentials it
     * was sent (401 to a request with Authorization, the login form sent back with an error).
     */
    Filter filter() {
        return (req, res, chain) -> {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            if (refused(request, response)) {
                return;
            }
            chain.doFilter(req, res);
            boolean badCredentials = response.getStatus() == 401 && request.getHeader("Authorization") != null;
            boolean badLogin = "POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())
                    && response.getStatus() == 302 && String.valueOf(response.getHeader("Location")).contains("error");
            if (badCredentials || badLogin) {
                failed(request);
            }
        };
    }
}
