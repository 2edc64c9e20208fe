package io.oasis.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.oasis.config.ConfigurationException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** The declared upstreams, checked once at startup: a bad setting stops Oasis with the key and the value. */
@Component
public class Upstreams implements DisposableBean {

    private static final String PREFIX = "oasis.upstreams.";

    private final Map<String, Upstream> byName = new LinkedHashMap<>();
    private final Set<String> forwardedHeaders = new LinkedHashSet<>();

    public Upstreams(UpstreamProperties properties) {
        properties.upstreams().forEach((name, settings) -> {
            Upstream upstream = new Upstream(name, check(name, settings), settings);
            byName.put(name, upstream);
            forwardedHeaders.addAll(upstream.forwardHeaders());
        });
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

    private static URI check(String name, UpstreamProperties.Upstream settings) {
        String key = PREFIX + name;
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new ConfigurationException(key, name, "an upstream name is lower-case letters, digits and '-'",
                    "Rename it, e.g. 'tier-recommendations'.");
        }
        String baseUrl = settings.baseUrl();
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new ConfigurationException(key + ".base-url", null, "every upstream needs a base URL",
                    "Set it, e.g. " + key + ".base-url: http://" + name + ".internal:8080");
        }
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new ConfigurationException(key + ".base-url", baseUrl, "not a URL (" + e.getReason() + ")",
                    "Write it as scheme://host[:port][/path], e.g. http://" + name + ".internal:8080");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new ConfigurationException(key + ".base-url", baseUrl, "needs an http or https scheme and a host",
                    "Write it as scheme://host[:port][/path], e.g. http://" + name + ".internal:8080");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ConfigurationException(key + ".base-url", baseUrl,
                    "must not carry a query, fragment or credentials",
                    "Put query parameters on the call in the route; credentials come from headers configured per upstream.");
        }
        positive(key + ".connect-timeout", settings.connectTimeout());
        positive(key + ".response-timeout", settings.responseTimeout());
        positive(key + ".pool.acquire-timeout", settings.pool().acquireTimeout());
        positive(key + ".pool.idle-timeout", settings.pool().idleTimeout());
        positive(key + ".pool.time-to-live", settings.pool().timeToLive());
        if (settings.pool().maxConnections() < 1) {
            throw new ConfigurationException(key + ".pool.max-connections", settings.pool().maxConnections(),
                    "must be at least 1", "Size it as peak req/s x latency x 1.3, e.g. 1000 x 0.08 s x 1.3 = 104.");
        }
        for (String header : settings.forwardHeaders()) {
            if (header == null || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new ConfigurationException(key + ".forward-headers", header, "not an HTTP header name",
                        "List header names only, e.g. [Accept-Language].");
            }
        }
        return uri;
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigurationException(key, value == null ? null : value.toMillis() + "ms", "must be a positive duration",
                    "Give it with its unit, e.g. 250ms or 2s.");
        }
    }
}
