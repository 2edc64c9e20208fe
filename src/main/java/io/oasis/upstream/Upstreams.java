package io.oasis.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.cache.CacheSettings;
import io.oasis.resilience.BreakerSettings;
import io.oasis.resilience.RetrySettings;
import io.oasis.cache.CacheClock;
import io.oasis.cache.CacheProperties;
import io.oasis.cache.SharedRedis;
import io.oasis.cache.UpstreamCache;
import io.oasis.cache.UpstreamCaches;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.IdentityProperties;
import org.springframework.boot.ssl.SslBundles;
import io.oasis.resilience.SharedLimits;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The declared upstreams, their settings resolved (upstream, then its preset, then oasis.upstream-defaults, then
 * the built-in values) and checked once at startup: a bad setting stops Oasis with its key and value.
 */
@Component
public class Upstreams implements UpstreamCaches, DisposableBean {

    public static final String PREFIX = "oasis.upstreams.";

    private final Map<String, Upstream> byName = new LinkedHashMap<>();
    private final Set<String> forwardedHeaders = new LinkedHashSet<>();

    public Upstreams(UpstreamProperties properties, MeterRegistry registry, CacheProperties cacheProperties,
                     SharedRedis shared, CacheClock clock, ObjectMapper json, SharedLimits sharedLimits,
                     IdentityProperties identity, SslBundles ssl) {
        Set<String> identityHeaders = new HashSet<>();
        cacheProperties.identityHeaders().forEach(h -> identityHeaders.add(h.toLowerCase(Locale.ROOT)));
        identity.upstreams().forEach((name, told) -> {
            if (!properties.upstreams().containsKey(name)) {
                throw new ConfigurationException("oasis.identity.upstreams." + name, name,
                        "no upstream of that name is declared", "Use one of " + properties.upstreams().keySet() + ".");
            }
            told.headers().keySet().forEach(h -> identityHeaders.add(h.toLowerCase(Locale.ROOT)));
        });
        check("oasis.upstream-defaults", properties.upstreamDefaults());
        properties.upstreamPresets().forEach((preset, settings) -> {
            check("oasis.upstream-presets." + preset, settings);
            if (settings.preset() != null) {
                throw new ConfigurationException("oasis.upstream-presets." + preset + ".preset", settings.preset(),
                        "a preset cannot inherit from another preset", "Copy the settings it needs instead.");
            }
        });
        UpstreamSettings defaults = properties.upstreamDefaults() == null ? UpstreamSettings.BUILT_IN
                : properties.upstreamDefaults().over(UpstreamSettings.BUILT_IN);
        properties.upstreams().forEach((name, own) -> {
            String key = PREFIX + name;
            if (!name.matches("[a-z][a-z0-9-]*")) {
                throw new ConfigurationException(key, name, "an upstream name is lower-case letters, digits and '-'",
                        "Rename it, e.g. 'tier-recommendations'.");
            }
            check(key, own);
            UpstreamSettings base = defaults;
            if (own.preset() != null) {
                UpstreamSettings preset = properties.upstreamPresets().get(own.preset());
                if (preset == null) {
                    throw new ConfigurationException(key + ".preset", own.preset(), "no preset of that name",
                            "Declare it under oasis.upstream-presets." + own.preset() + " or use one of "
                                    + properties.upstreamPresets().keySet() + ".");
                }
                base = preset.over(defaults);
            }
            UpstreamSettings settings = toldOfCaller(own.over(base), identity.upstreams().get(name));
            List<String> vary = varyHeaders(key, settings, identityHeaders);
            // no base-url: reached through Camel endpoints only (a part: after sql:, jms:, ...), never by upstream:
            URI url = settings.baseUrl() == null || settings.baseUrl().isBlank() ? null
                    : baseUrl(key, settings.baseUrl());
            Upstream upstream = new Upstream(name, url, settings, registry,
                    u -> new UpstreamCache(name, settings.cache(), vary, shared, clock, json, registry), sharedLimits,
                    tls(key, url, settings.tlsBundle(), ssl));
            byName.put(name, upstream);
            forwardedHeaders.addAll(upstream.forwardHeaders());
        });
    }

    /**
     * The settings with the headers that carry the caller (oasis.identity.upstreams) among those it receives: set
     * from the validated token only, never copied from the request, and part of the cache key like any other.
     */
    private static UpstreamSettings toldOfCaller(UpstreamSettings s, IdentityProperties.UpstreamIdentity told) {
        if (told == null || !told.relayToken() && told.headers().isEmpty()) {
            return s;
        }
        List<String> forward = new java.util.ArrayList<>(s.forwardHeaders());
        if (told.relayToken()) {
            forward.add("Authorization");
        }
        forward.addAll(told.headers().keySet());
        return new UpstreamSettings(s.preset(), s.baseUrl(), s.connectTimeout(), s.responseTimeout(),
                List.copyOf(new java.util.LinkedHashSet<>(forward)), s.maxBodySize(), s.maxInFlight(), s.pool(),
                s.retry(), s.breaker(), s.rateLimit(), s.cache(), s.tlsBundle(), s.latency());
    }

    /** The TLS of an https upstream with a tls-bundle: its trust store and client certificate; else null. */
    private static javax.net.ssl.SSLContext tls(String key, URI base, String bundle, SslBundles ssl) {
        if (bundle == null || bundle.isBlank()) {
            return null;
        }
        if (base == null || !"https".equalsIgnoreCase(base.getScheme())) {
            throw new ConfigurationException(key + ".tls-bundle", bundle, "the base-url " + base + " is not https",
                    "Use an https:// base-url, or remove tls-bundle.");
        }
        try {
            return ssl.getBundle(bundle).createSslContext();
        } catch (org.springframework.boot.ssl.NoSuchSslBundleException e) {
            throw new ConfigurationException(key + ".tls-bundle", bundle, "no SSL bundle of that name",
                    "Declare it under spring.ssl.bundle.jks." + bundle + " (or .pem.): truststore, and keystore for "
                            + "a client certificate.");
        }
    }

    /** The upstream a route names; an unknown name is a configuration error, reported at route creation. */
    public Upstream get(String name, String usedBy) {
        Upstream upstream = byName.get(name);
        if (upstream == null) {
            throw new ConfigurationException(usedBy + ".upstream", name, "no upstream of that name is declared",
                    "Declare it under " + PREFIX + name + " (base-url, timeouts, pool) or use one of "
                            + byName.keySet() + ".");
        }
        return upstream;
    }

    @Override
    public List<UpstreamCache> caches() {
        return byName.values().stream().map(Upstream::cache).filter(java.util.Objects::nonNull).toList();
    }

    public Map<String, Upstream> all() {
        return byName;
    }

    /** Lower-case names of every inbound header some upstream may receive: all others are dropped on arrival. */
    public Set<String> forwardedHeaders() {
        return forwardedHeaders;
    }

    @Override
    public void destroy() {
        byName.values().forEach(Upstream::close);
    }

    /**
     * The forwarded headers in the cache key: all of them unless vary-headers narrows it, and never without an
     * identity header the upstream receives, which would serve one caller's answer to another.
     */
    private static List<String> varyHeaders(String key, UpstreamSettings settings, Set<String> identityHeaders) {
        List<String> forwarded = settings.forwardHeaders();
        CacheSettings cache = settings.cache();
        if (cache.varyHeaders() == null) {
            return forwarded;
        }
        Set<String> vary = new HashSet<>();
        cache.varyHeaders().forEach(h -> vary.add(h.toLowerCase(Locale.ROOT)));
        for (String header : forwarded) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (cache.enabled() && identityHeaders.contains(lower) && !vary.contains(lower)) {
                throw new ConfigurationException(key + ".cache.vary-headers", cache.varyHeaders(),
                        "leaves out " + header + ", which this upstream receives and which says who the caller is: "
                                + "one caller's cached answer would be served to another",
                        "Add " + header + " to vary-headers, or do not cache this upstream (cache.ttl: 0s).");
            }
        }
        for (String header : cache.varyHeaders()) {
            if (forwarded.stream().noneMatch(f -> f.equalsIgnoreCase(header))) {
                throw new ConfigurationException(key + ".cache.vary-headers", header,
                        "is not one of the headers this upstream receives " + forwarded,
                        "List only forward-headers in vary-headers.");
            }
        }
        return cache.varyHeaders();
    }

    private static URI baseUrl(String key, String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new ConfigurationException(key + ".base-url", baseUrl, "not a URL (" + e.getReason() + ")",
                    "Write it as scheme://host[:port][/path], e.g. http://orders.internal:8080");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new ConfigurationException(key + ".base-url", baseUrl, "needs an http or https scheme and a host",
                    "Write it as scheme://host[:port][/path], e.g. http://orders.internal:8080");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ConfigurationException(key + ".base-url", baseUrl,
                    "must not carry a query, fragment or credentials",
                    "Put query parameters on the call in the route; credentials come from headers configured per upstream.");
        }
        return uri;
    }

    /** Checks the fields a layer sets; what it leaves out is checked where it is set. */
    private static void check(String key, UpstreamSettings s) {
        if (s == null) {
            return;
        }
        positive(key + ".connect-timeout", s.connectTimeout());
        positive(key + ".response-timeout", s.responseTimeout());
        if (s.maxBodySize() != null && s.maxBodySize().toBytes() < 1) {
            throw new ConfigurationException(key + ".max-body-size", s.maxBodySize(), "must be at least 1 byte",
                    "Allow the largest answer you expect, e.g. 1MB.");
        }
        atLeast(key + ".max-in-flight", s.maxInFlight(), 1, "Calls at once, e.g. peak req/s x latency x 2.");
        if (s.forwardHeaders() != null) {
            for (String header : s.forwardHeaders()) {
                if (header == null || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    throw new ConfigurationException(key + ".forward-headers", header, "not an HTTP header name",
                            "List header names only, e.g. [Accept-Language].");
                }
            }
        }
        if (s.pool() != null) {
            atLeast(key + ".pool.max-connections", s.pool().maxConnections(), 1,
                    "Size it as peak req/s x latency x 1.3, e.g. 1000 x 0.08 s x 1.3 = 104.");
            positive(key + ".pool.acquire-timeout", s.pool().acquireTimeout());
            positive(key + ".pool.idle-timeout", s.pool().idleTimeout());
            positive(key + ".pool.time-to-live", s.pool().timeToLive());
        }
        if (s.retry() != null) {
            RetrySettings r = s.retry();
            atLeast(key + ".retry.attempts", r.attempts(), 1, "1 means no retries; 2 or 3 is usual.");
            positive(key + ".retry.base-delay", r.baseDelay());
            positive(key + ".retry.max-delay", r.maxDelay());
            positive(key + ".retry.budget-window", r.budgetWindow());
            atLeast(key + ".retry.budget-min-per-second", r.budgetMinPerSecond(), 0, "E.g. 10.");
            if (r.budgetRatio() != null && (r.budgetRatio() < 0 || r.budgetRatio() > 1)) {
                throw new ConfigurationException(key + ".retry.budget-ratio", r.budgetRatio(), "must be between 0 and 1",
                        "0.1 lets retries add at most 10 % to an upstream's load.");
            }
        }
        if (s.breaker() != null) {
            BreakerSettings b = s.breaker();
            percent(key + ".breaker.failure-rate-threshold", b.failureRateThreshold());
            percent(key + ".breaker.slow-call-rate-threshold", b.slowCallRateThreshold());
            positive(key + ".breaker.slow-call-duration", b.slowCallDuration());
            atLeast(key + ".breaker.minimum-calls", b.minimumCalls(), 1, "E.g. 20.");
            positive(key + ".breaker.window", b.window());
            positive(key + ".breaker.open-duration", b.openDuration());
            atLeast(key + ".breaker.half-open-calls", b.halfOpenCalls(), 1, "E.g. 5.");
        }
        if (s.cache() != null) {
            CacheSettings c = s.cache();
            notNegative(key + ".cache.ttl", c.ttl());
            notNegative(key + ".cache.stale-while-revalidate", c.staleWhileRevalidate());
            notNegative(key + ".cache.stale-if-error", c.staleIfError());
            atLeast(key + ".cache.max-entries", c.maxEntries(), 1, "E.g. 10000.");
        }
        if (s.rateLimit() != null) {
            atLeast(key + ".rate-limit.requests", s.rateLimit().requests(), 0, "0 turns the limit off.");
            positive(key + ".rate-limit.per", s.rateLimit().per());
        }
    }

    private static void positive(String key, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new ConfigurationException(key, value.toMillis() + "ms", "must be a positive duration",
                    "Give it with its unit, e.g. 250ms or 2s.");
        }
    }

    private static void notNegative(String key, Duration value) {
        if (value != null && value.isNegative()) {
            throw new ConfigurationException(key, value.toMillis() + "ms", "must not be negative",
                    "0s turns it off; otherwise give it with its unit, e.g. 30s.");
        }
    }

    private static void atLeast(String key, Integer value, int min, String fix) {
        if (value != null && value < min) {
            throw new ConfigurationException(key, value, "must be at least " + min, fix);
        }
    }

    private static void percent(String key, Float value) {
        if (value != null && (value <= 0 || value > 100)) {
            throw new ConfigurationException(key, value, "must be a percentage above 0 and at most 100", "E.g. 50.");
        }
    }
}
