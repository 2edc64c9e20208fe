package io.oasis.cache;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every way of invalidating the cache ends here: the admin API, the signed webhook, event sources, JMX. Applied to
 * this instance's local tiers and to Redis, then published on Redis so that every other instance drops its local
 * copies too; logged with its source and reason.
 */
@Component
public class CacheInvalidation {

    /** What to invalidate. */
    public enum Scope { KEY, PREFIX, TAG, UPSTREAM, ALL }

    /** One invalidation: a scope and its value (empty for ALL). */
    public record Request(Scope scope, String value) {

        public Request {
            if (scope != Scope.ALL && (value == null || value.isBlank())) {
                throw new IllegalArgumentException(scope.name().toLowerCase(Locale.ROOT) + " needs a value");
            }
            value = scope == Scope.ALL ? "" : value;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CacheInvalidation.class);
    private static final String CHANNEL = "invalidate";

    private final String instance = UUID.randomUUID().toString();
    private final Upstreams upstreams;
    private final SharedCache shared;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<Scope, Counter> fromCluster = new EnumMap<>(Scope.class);
    private final List<Consumer<Request>> localTiers = new CopyOnWriteArrayList<>();

    public CacheInvalidation(Upstreams upstreams, SharedCache shared, ObjectMapper json, MeterRegistry registry) {
        this.upstreams = upstreams;
        this.shared = shared;
        this.json = json;
        this.registry = registry;
        for (Scope scope : Scope.values()) {
            fromCluster.put(scope, counter("cluster", scope));
        }
        shared.subscribe(CHANNEL, this::heard);
    }

    /**
     * The invalidations a JSON document asks for: {@code {"tag": "product:42"}}, {@code {"tags": [...]}},
     * {@code {"key": ...}}, {@code {"prefix": ...}}, {@code {"upstream": "orders"}} or {@code {"all": true}}.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static List<Request> requests(JsonNode body) {
        List<Request> requests = new java.util.ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        for (Scope scope : List.of(Scope.KEY, Scope.PREFIX, Scope.TAG, Scope.UPSTREAM)) {
            JsonNode value = body.get(scope.name().toLowerCase(Locale.ROOT));
            if (value != null) {
                requests.add(new Request(scope, text(value, scope)));
            }
        }
        JsonNode tags = body.get("tags");
        if (tags != null) {
            if (!tags.isArray()) {
                throw new IllegalArgumentException("tags must be an array of strings");
            }
            tags.forEach(t -> requests.add(new Request(Scope.TAG, text(t, Scope.TAG))));
        }
        if (body.path("all").asBoolean(false)) {
            requests.add(new Request(Scope.ALL, null));
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("say what to invalidate: key, prefix, tag, tags, upstream or all");
        }
        return requests;
    }

    private static String text(JsonNode value, Scope scope) {
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 1024) {
            throw new IllegalArgumentException(scope.name().toLowerCase(Locale.ROOT)
                    + " must be a non-empty string of at most 1024 characters");
        }
        return value.asText();
    }

    /** Other local caches (whole answers) that must drop entries too. */
    public void alsoApplyTo(Consumer<Request> tier) {
        localTiers.add(tier);
    }

    /**
     * @param source api, webhook, event, jmx
     * @param reason free text from the caller, logged
     */
    public void invalidate(Request request, String source, String reason) {
        applyLocally(request);
        switch (request.scope()) {
            case KEY -> shared.deleteKey(request.value());
            case TAG -> shared.deleteTag(request.value());
            case PREFIX -> shared.deletePrefix(request.value());
            case UPSTREAM -> shared.deletePrefix(request.value() + ":");
            case ALL -> shared.deletePrefix("");
        }
        ObjectNode message = json.createObjectNode().put("origin", instance)
                .put("scope", request.scope().name()).put("value", request.value())
                .put("source", source).put("reason", reason);
        try {
            shared.publish(CHANNEL, json.writeValueAsBytes(message));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
        counter(source, request.scope()).increment();
        LOG.info("cache invalidated: {} {} by {} ({})", request.scope().name().toLowerCase(Locale.ROOT),
                request.value(), source, reason);
    }

    /** An invalidation published by another instance: drop the local copies; Redis was cleared by its origin. */
    private void heard(byte[] bytes) {
        try {
            JsonNode message = json.readTree(bytes);
            if (instance.equals(message.path("origin").asText())) {
                return;
            }
            Request request = new Request(Scope.valueOf(message.path("scope").asText()),
                    message.path("value").asText());
            applyLocally(request);
            fromCluster.get(request.scope()).increment();
            LOG.info("cache invalidated: {} {} by {} on another instance ({})",
                    request.scope().name().toLowerCase(Locale.ROOT), request.value(),
                    message.path("source").asText(), message.path("reason").asText());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignored a malformed cache invalidation message: {}", e.getMessage());
        }
    }

    private void applyLocally(Request request) {
        for (Upstream upstream : upstreams.all().values()) {
            UpstreamCache cache = upstream.cache();
            if (cache == null) {
                continue;
            }
            switch (request.scope()) {
                case KEY -> cache.invalidateKey(request.value());
                case PREFIX -> cache.invalidatePrefix(request.value());
                case TAG -> cache.invalidateTag(request.value());
                case UPSTREAM -> {
                    if (upstream.name().equals(request.value())) {
                        cache.invalidateAll();
                    }
                }
                case ALL -> cache.invalidateAll();
            }
        }
        localTiers.forEach(tier -> tier.accept(request));
    }

    private Counter counter(String source, Scope scope) {
        return Counter.builder(OasisMetrics.CACHE_INVALIDATIONS).tag(OasisMetrics.TAG_SOURCE, source)
                .tag(OasisMetrics.TAG_SCOPE, scope.name().toLowerCase(Locale.ROOT))
                .description("cache invalidations applied").register(registry);
    }
}
