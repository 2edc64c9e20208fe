package io.oasis.upstream;

import io.oasis.resilience.BreakerFailures;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * How one upstream is called and protected. Every field may be left out: it is then inherited, in this order, from
 * the upstream's {@code preset}, from {@code oasis.upstream-defaults}, and from {@link #BUILT_IN}.
 *
 * @param preset          a name under {@code oasis.upstream-presets} to inherit from
 * @param baseUrl         scheme, host, port and an optional path prefix; calls append their path to it
 * @param connectTimeout  time to open a TCP connection
 * @param responseTimeout one attempt, from sending the request to the whole answer; the endpoint's remaining
 *                        budget can only shorten it
 * @param forwardHeaders  inbound request headers this upstream receives; nothing else is forwarded
 * @param maxBodySize     a larger answer fails the call (checked on Content-Length, then while reading)
 * @param maxInFlight     bulkhead: calls at once; one more fails at once and its part takes its policy
 * @param tlsBundle       for an https base-url: a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust
 *                        store verifies the upstream's certificate and whose key store, if it has one, is Oasis'
 *                        client certificate (mTLS); absent: the JVM's trusted authorities, no client certificate
 * @param latency         the upstream's usual answer time at peak (say its p99): with the endpoints' target rates,
 *                        what {@code check} sizes the pool and bulkhead against; absent: not checked
 */
public record UpstreamSettings(
        String preset,
        String baseUrl,
        Duration connectTimeout,
        Duration responseTimeout,
        List<String> forwardHeaders,
        DataSize maxBodySize,
        Integer maxInFlight,
        Pool pool,
        Retry retry,
        Breaker breaker,
        RateLimit rateLimit,
        Cache cache,
        String tlsBundle,
        Duration latency) {

    /** What an upstream gets when nothing is configured: safe for an 80 ms service at a few thousand req/s. */
    public static final UpstreamSettings BUILT_IN = new UpstreamSettings(null, null, Duration.ofMillis(250),
            Duration.ofSeconds(1), List.of(), DataSize.ofMegabytes(1), 512,
            new Pool(256, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5)),
            new Retry(2, Duration.ofMillis(20), Duration.ofMillis(200), 0.1, 10, Duration.ofSeconds(10)),
            new Breaker(50f, 100f, null, 20, Duration.ofSeconds(10), Duration.ofSeconds(5), 5,
                    BreakerFailures.DEFAULT),
            new RateLimit(0, Duration.ofSeconds(1)),
            new Cache(Duration.ZERO, Duration.ZERO, Duration.ZERO, 10_000, null, null), null, null);

    /**
     * This upstream's own connection pool; size it as peak req/s x latency x 1.3.
     *
     * @param maxConnections open connections at most, idle or leased
     * @param acquireTimeout how long a call waits for a free connection (the bulkhead's short queue)
     * @param idleTimeout    an idle connection older than this is closed
     * @param timeToLive     a connection is never reused after this age (DNS changes, load balancer rotation)
     */
    public record Pool(Integer maxConnections, Duration acquireTimeout, Duration idleTimeout, Duration timeToLive) {

        Pool over(Pool base) {
            return base == null ? this : new Pool(or(maxConnections, base.maxConnections),
                    or(acquireTimeout, base.acquireTimeout), or(idleTimeout, base.idleTimeout),
                    or(timeToLive, base.timeToLive));
        }
    }

    /**
     * Retries of idempotent calls after connection errors, 502, 503, 504 and 429, with exponential backoff and full
     * jitter: attempt n waits a random time up to min(max-delay, base-delay x 2^(n-1)), or Retry-After when longer;
     * never past the endpoint's budget.
     *
     * @param attempts           including the first; 1 turns retries off
     * @param budgetRatio        retries at most this share of the calls in the window, so that retries cannot
     *                           multiply the load on an upstream that is down
     * @param budgetMinPerSecond retries allowed per second of the window whatever the ratio, for low traffic
     * @param budgetWindow       the window the ratio is measured over
     */
    public record Retry(Integer attempts, Duration baseDelay, Duration maxDelay, Double budgetRatio,
                        Integer budgetMinPerSecond, Duration budgetWindow) {

        Retry over(Retry base) {
            return base == null ? this : new Retry(or(attempts, base.attempts), or(baseDelay, base.baseDelay),
                    or(maxDelay, base.maxDelay), or(budgetRatio, base.budgetRatio),
                    or(budgetMinPerSecond, base.budgetMinPerSecond), or(budgetWindow, base.budgetWindow));
        }
    }

    /**
     * The upstream's circuit breaker (resilience4j). Timeouts, connection errors, malformed answers and the
     * statuses in {@code record-statuses} (by default 3xx, 408, 429, 5xx) count as failures; other 4xx answers (the
     * caller's input) do not. While open, calls are not made: the part takes its
     * policy at once.
     *
     * @param failureRateThreshold percent of failed calls in the window that opens it
     * @param slowCallRateThreshold percent of slow calls in the window that opens it
     * @param slowCallDuration     a call slower than this is slow; absent: the response timeout
     * @param minimumCalls         calls in the window before the rates count
     * @param window               the sliding window (time based)
     * @param openDuration         how long it stays open before letting probes through
     * @param halfOpenCalls        probes that decide whether it closes again
     * @param recordStatuses       the answers' statuses that count as failures, e.g. "408, 429, 500-599"
     *                             (connection errors, timeouts and malformed answers always count)
     */
    public record Breaker(Float failureRateThreshold, Float slowCallRateThreshold, Duration slowCallDuration,
                          Integer minimumCalls, Duration window, Duration openDuration, Integer halfOpenCalls,
                          String recordStatuses) {

        Breaker over(Breaker base) {
            return base == null ? this : new Breaker(or(failureRateThreshold, base.failureRateThreshold),
                    or(slowCallRateThreshold, base.slowCallRateThreshold), or(slowCallDuration, base.slowCallDuration),
                    or(minimumCalls, base.minimumCalls), or(window, base.window), or(openDuration, base.openDuration),
                    or(halfOpenCalls, base.halfOpenCalls), or(recordStatuses, base.recordStatuses));
        }
    }

    /**
     * All calls to this upstream from every endpoint together; beyond it a call is not made and its part takes its
     * policy.
     *
     * @param requests calls allowed per {@code per}; 0 turns the limit off
     */
    public record RateLimit(Integer requests, Duration per) {

        RateLimit over(RateLimit base) {
            return base == null ? this : new RateLimit(or(requests, base.requests), or(per, base.per));
        }
    }

    /**
     * Caching of this upstream's answers (2xx JSON only), in this instance and, when oasis.cache.redis is on, in
     * Redis for all instances. The key is what is sent: the upstream, the call's path and query with their values,
     * and the forwarded headers listed in {@code varyHeaders}.
     *
     * @param ttl                  fresh for this long; 0 turns caching off
     * @param staleWhileRevalidate after the ttl, answered at once from cache for this long while one background
     *                             call refreshes it
     * @param staleIfError         after the ttl, a call that fails may answer the cached value this long (policy
     *                             stale)
     * @param maxEntries           entries kept in this instance; the least used go first
     * @param maxBytes             if set, the entries' JSON size kept in this instance, instead of maxEntries
     * @param varyHeaders          forwarded headers that are part of the key; absent: all of forward-headers. An
     *                             identity header the upstream receives must be in it (startup checks)
     */
    public record Cache(Duration ttl, Duration staleWhileRevalidate, Duration staleIfError, Integer maxEntries,
                        DataSize maxBytes, List<String> varyHeaders) {

        Cache over(Cache base) {
            return base == null ? this : new Cache(or(ttl, base.ttl),
                    or(staleWhileRevalidate, base.staleWhileRevalidate), or(staleIfError, base.staleIfError),
                    or(maxEntries, base.maxEntries), or(maxBytes, base.maxBytes), or(varyHeaders, base.varyHeaders));
        }

        public boolean enabled() {
            return ttl != null && ttl.toMillis() > 0;
        }
    }

    /** These settings, with every field left out taken from {@code base}. */
    public UpstreamSettings over(UpstreamSettings base) {
        if (base == null) {
            return this;
        }
        return new UpstreamSettings(or(preset, base.preset), or(baseUrl, base.baseUrl),
                or(connectTimeout, base.connectTimeout), or(responseTimeout, base.responseTimeout),
                or(forwardHeaders, base.forwardHeaders), or(maxBodySize, base.maxBodySize),
                or(maxInFlight, base.maxInFlight),
                pool == null ? base.pool : pool.over(base.pool),
                retry == null ? base.retry : retry.over(base.retry),
                breaker == null ? base.breaker : breaker.over(base.breaker),
                rateLimit == null ? base.rateLimit : rateLimit.over(base.rateLimit),
                cache == null ? base.cache : cache.over(base.cache), or(tlsBundle, base.tlsBundle),
                or(latency, base.latency));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
