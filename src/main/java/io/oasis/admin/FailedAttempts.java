package io.oasis.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.oasis.cache.SharedRedis;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.observe.OasisMetrics;
import io.oasis.resilience.ClientLimiter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * Wrong credentials per client address: the operator password (HTTP Basic or the login form), the admin token, the
 * webhook's signature. Past {@code oasis.operator.max-failed-attempts} within the window, a client's every attempt
 * is 429 with Retry-After until the window ends, right credentials included: guessing stops at a handful of tries
 * per window. The clients remembered are bounded (the least recent forgotten first). With
 * {@code oasis.shared-limits.enabled} the count is the fleet's, kept in Redis beside this instance's: a client
 * spreading its guesses over the instances behind a load balancer gets no more of them. Redis away, each instance
 * counts alone.
 */
@Component
public class FailedAttempts {

    private final Cache<String, AtomicInteger> failures;
    private final int max;
    private final Duration window;
    private final ClientLimiter clients;
    private final ProblemWriter problems;
    private final Counter locked;
    /** Redis, when the fleet counts together; null otherwise */
    private final SharedRedis shared;

    public FailedAttempts(OperatorProperties properties, ClientLimiter clients, ProblemWriter problems,
                          MeterRegistry registry, SharedRedis shared,
                          @Value("${oasis.shared-limits.enabled:false}") boolean fleetWide) {
        this.shared = fleetWide && shared.enabled() ? shared : null;
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
        String client = clients.address(request);
        AtomicInteger count = failures.getIfPresent(client);
        if ((count == null || count.get() < max) && fleetCount(client) < max) {
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
        String client = clients.address(request);
        failures.get(client, c -> new AtomicInteger()).incrementAndGet();
        RedisAsyncCommands<byte[], byte[]> redis = shared == null ? null : shared.available();
        if (redis != null) {
            byte[] key = fleetKey(client);
            // counted before the refusal leaves, so the client's next guess (to any instance) finds it; the window
            // starts with the first failure, as here
            try {
                redis.incr(key).thenCompose(n -> n == 1 ? redis.pexpire(key, window.toMillis()) : completedFuture(true))
                        .toCompletableFuture().get(shared.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
                shared.succeeded();
            } catch (ExecutionException | TimeoutException e) {
                shared.failed("INCR", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The fleet's count of this client's failures; 0 when the fleet does not count together or Redis is away. */
    private long fleetCount(String client) {
        RedisAsyncCommands<byte[], byte[]> redis = shared == null ? null : shared.available();
        if (redis == null) {
            return 0;
        }
        try {
            byte[] value = redis.get(fleetKey(client)).toCompletableFuture()
                    .get(shared.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            shared.succeeded();
            return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            shared.failed("GET", e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private byte[] fleetKey(String client) {
        return (shared.prefix() + "fa:" + client).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * For the operator chain: refuses a client past its attempts, and counts the chain's refusals of credentials it
     * was sent (401 to a request with Authorization, the login form sent back with an error) the moment they are
     * set, before the answer leaves: the client's next guess, to any instance, finds it counted.
     */
    Filter filter() {
        return (req, res, chain) -> {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            if (refused(request, response)) {
                return;
            }
            chain.doFilter(req, new Counting(request, response));
        };
    }

    /** A response that counts a refusal of credentials as it is set. */
    private final class Counting extends HttpServletResponseWrapper {

        private final HttpServletRequest request;
        private boolean counted;

        Counting(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        private void status(int status) {
            if (status == 401 && request.getHeader("Authorization") != null && !counted) {
                counted = true;
                failed(request);
            }
        }

        @Override
        public void setStatus(int status) {
            status(status);
            super.setStatus(status);
        }

        @Override
        public void sendError(int status) throws IOException {
            status(status);
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            status(status);
            super.sendError(status, message);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())
                    && location != null && location.contains("error") && !counted) {
                counted = true;
                failed(request);
            }
            super.sendRedirect(location);
        }
    }
}
