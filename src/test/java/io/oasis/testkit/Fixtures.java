package io.oasis.testkit;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.cache.AnswerCache;
import io.oasis.cache.CacheInvalidation;
import io.oasis.cache.CacheProperties;
import io.oasis.cache.SharedRedis;
import io.oasis.cache.SystemCacheClock;
import io.oasis.endpoint.EndpointProperties;
import io.oasis.endpoint.IdentityProperties;
import io.oasis.observe.EndpointMetrics;
import io.oasis.observe.RequestContext;
import io.oasis.observe.RequestLogProperties;
import io.oasis.observe.RequestOutcome;
import io.oasis.resilience.SharedLimitProperties;
import io.oasis.resilience.SharedLimits;
import io.oasis.upstream.UpstreamProperties;
import io.oasis.upstream.Upstreams;

/** Oasis' parts built by hand for unit tests, without Spring: no Redis, wall clock, a throw-away registry. */
public final class Fixtures {

    public static final CacheProperties NO_REDIS = new CacheProperties(List.of("Authorization", "Cookie"),
            new CacheProperties.Redis(false, "redis://127.0.0.1:1", java.time.Duration.ofMillis(50),
                    java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), "oasis:", java.time.Duration.ofSeconds(5)),
            new CacheProperties.Webhook(null, java.time.Duration.ofMinutes(5)), null, List.of());

    /** No token validation, and no upstream told of the caller. */
    public static final IdentityProperties NO_IDENTITY = new IdentityProperties(null, null, List.of(), List.of("RS256"),
            java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30), Map.of());

    private Fixtures() {
    }

    public static Upstreams upstreams(UpstreamProperties properties) {
        return upstreams(properties, NO_REDIS);
    }

    public static Upstreams upstreams(UpstreamProperties properties, CacheProperties cache) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SharedRedis shared = new SharedRedis(cache, registry);
        return new Upstreams(properties, registry, cache, shared, new SystemCacheClock(), new ObjectMapper(),
                new SharedLimits(new SharedLimitProperties(false, "local"), cache, shared, registry), NO_IDENTITY,
                new org.springframework.boot.ssl.DefaultSslBundleRegistry());
    }

    /** Rate limits counted by each instance alone. */
    public static SharedLimits instanceLimits() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new SharedLimits(new SharedLimitProperties(false, "local"), NO_REDIS,
                new SharedRedis(NO_REDIS, registry), registry);
    }

    /** A whole-answer cache for these endpoints, invalidated through an instance-local CacheInvalidation. */
    public static AnswerCache answers(EndpointProperties endpoints, Upstreams upstreams) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new AnswerCache(endpoints, new SystemCacheClock(), registry, new CacheInvalidation(upstreams,
                new SharedRedis(NO_REDIS, registry), new ObjectMapper(), registry, NO_REDIS));
    }

    /** The end of request: metrics in a throw-away registry, the request log on. */
    public static RequestOutcome outcomes() {
        RequestLogProperties log = new RequestLogProperties(true, List.of(), java.time.Duration.ofMillis(150), 20);
        return new RequestOutcome(new EndpointMetrics(new SimpleMeterRegistry()), new ObjectMapper(), log,
                new RequestContext(log));
    }

    public static UpstreamProperties properties(Map<String, io.oasis.upstream.UpstreamSettings> upstreams) {
        return new UpstreamProperties(null, Map.of(), upstreams);
    }
}
