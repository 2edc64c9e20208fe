package io.oasis.upstream;

import java.time.Duration;
import java.util.List;

import io.oasis.cache.CacheSettings;
import io.oasis.resilience.BreakerFailures;
import io.oasis.resilience.BreakerSettings;
import io.oasis.resilience.RateLimitSettings;
import io.oasis.resilience.RetrySettings;
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
        RetrySettings retry,
        BreakerSettings breaker,
        RateLimitSettings rateLimit,
        CacheSettings cache,
        String tlsBundle,
        Duration latency) {

    /** What an upstream gets when nothing is configured: safe for an 80 ms service at a few thousand req/s. */
    public static final UpstreamSettings BUILT_IN = new UpstreamSettings(null, null, Duration.ofMillis(250),
            Duration.ofSeconds(1), List.of(), DataSize.ofMegabytes(1), 512,
            new Pool(256, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5)),
            new RetrySettings(2, Duration.ofMillis(20), Duration.ofMillis(200), 0.1, 10, Duration.ofSeconds(10)),
            new BreakerSettings(50f, 100f, null, 20, Duration.ofSeconds(10), Duration.ofSeconds(5), 5,
                    BreakerFailures.DEFAULT),
            new RateLimitSettings(0, Duration.ofSeconds(1)),
            new CacheSettings(Duration.ZERO, Duration.ZERO, Duration.ZERO, 10_000, null, null), null, null);

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
