package io.oasis.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.upstreams.<name>}: every service Oasis may call. Routes name an upstream; the host, timeouts,
 * pool and forwarded headers live here, so no request can reach a host that is not declared.
 * Checked by {@link Upstreams} at startup.
 */
@ConfigurationProperties("oasis")
public record UpstreamProperties(Map<String, Upstream> upstreams) {

    public UpstreamProperties {
        upstreams = upstreams == null ? Map.of() : upstreams;
    }

    /**
     * @param baseUrl        scheme, host, port and an optional path prefix, e.g. {@code http://orders.internal:8080/v2}
     * @param connectTimeout time to open a TCP connection
     * @param responseTimeout time from sending the request to the whole response; the endpoint's remaining budget
     *                        shortens it further
     * @param pool           this upstream's own connection pool
     * @param forwardHeaders inbound request headers copied to this upstream; nothing else is forwarded
     */
    public record Upstream(
            String baseUrl,
            @DefaultValue("250ms") Duration connectTimeout,
            @DefaultValue("1s") Duration responseTimeout,
            @DefaultValue Pool pool,
            @DefaultValue List<String> forwardHeaders) {
    }

    /**
     * Size it as peak req/s x latency x 1.3 (1,000 req/s x 80 ms x 1.3 = 104).
     *
     * @param maxConnections open connections at most, idle or leased
     * @param acquireTimeout how long a call waits for a free connection before it fails
     * @param idleTimeout    an idle connection older than this is closed
     * @param timeToLive     a connection is never reused after this age (DNS changes, load balancer rotation)
     */
    public record Pool(
            @DefaultValue("128") int maxConnections,
            @DefaultValue("100ms") Duration acquireTimeout,
            @DefaultValue("30s") Duration idleTimeout,
            @DefaultValue("5m") Duration timeToLive) {
    }
}
