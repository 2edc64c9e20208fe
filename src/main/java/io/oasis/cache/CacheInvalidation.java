package io.oasis.cache;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.LogText;
import io.oasis.observe.OasisMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Every way of invalidating the cache ends here: the admin API, the signed webhook, event sources, JMX. Applied to
 * this instance's local tiers and to Redis, then published on Redis so that every other instance drops its local
 * copies too; logged with its source and reason. One that Redis does not take is reported pending and retried
 * until it does; an instance that missed a message (its subscription was down) notices from the fleet's count of
 * invalidations and drops its local tier.
 */
@Component
public class CacheInvalidation implements DisposableBean {

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
    /** the fleet's count of invalidations applied in Redis */
    static final String GENERATION = "generation";
    /** invalidations kept for retry; more become one invalidation of all */
    static final int MAX_PENDING = 1000;

    private final String instance = UUID.randomUUID().toString();
    private final UpstreamCaches upstreams;
    private final RedisInvalidations redis;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<Scope, Counter> fromCluster = new EnumMap<>(Scope.class);
    private final List<Consumer<Request>> localTiers = new CopyOnWriteArrayList<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final InvalidationGeneration generation = new InvalidationGeneration();
    private final Counter missed;
    private final long waitMillis;
    private final long retryMillis;
    private final ScheduledExecutorService scheduler;

    public CacheInvalidation(UpstreamCaches upstreams, SharedRedis shared, ObjectMapper json, MeterRegistry registry,
                             CacheProperties properties) {
        this.upstreams = upstreams;
        this.redis = new RedisInvalidations(shared);
        this.json = json;
        this.registry = registry;
        for (Scope scope : Scope.values()) {
            fromCluster.put(scope, counter("cluster", scope));
        }
        this.missed = Counter.builder(OasisMetrics.CACHE_INVALIDATIONS_MISSED)
                .description("local tiers dropped because an invalidation message was missed").register(registry);
        Gauge.builder(OasisMetrics.CACHE_INVALIDATIONS_PENDING, pending, p -> pending())
                .description("invalidations applied here that Redis has not taken yet").register(registry);
        CacheProperties.Redis settings = properties.redis();
        // long enough for a tag of many pages, short enough for an admin call to wait for
        this.waitMillis = Math.max(1000, settings.commandTimeout().toMillis() * 4);
        // not retry-after, which keeps reads away after a failure: a pending invalidation is worth a try a second
        this.retryMillis = Math.min(1000, settings.retryAfter().toMillis());
        if (!shared.enabled()) {
            this.scheduler = null;
            return;
        }
        if (settings.generationCheck().isNegative() || settings.generationCheck().isZero()) {
            throw new ConfigurationException("oasis.cache.redis.generation-check",
                    settings.generationCheck().toMillis() + "ms", "must be positive", "E.g. 5s.");
        }
        shared.subscribe(CHANNEL, this::heard);
        CustomizableThreadFactory threads = new CustomizableThreadFactory("oasis-invalidation-");
        threads.setDaemon(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        scheduler.scheduleWithFixedDelay(this::retryPending, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
        long check = settings.generationCheck().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkGeneration, 0, check, TimeUnit.MILLISECONDS);
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

    /** What became of an invalidation. */
    public enum Outcome {
        /** this instance, Redis and (through Redis) every other instance */
        APPLIED,
        /** this instance only so far: Redis did not take it, and it is retried until Redis does */
        PENDING
    }

    /**
     * Applies an invalidation here, then in Redis, then tells the other instances (a shared count first, so that one
     * which misses the message sees the count move). When Redis does not take it in time, it is kept and retried
     * until Redis does; meanwhile the other instances serve what they have, and the outcome says so.
     *
     * @param source api, webhook, event, jmx
     * @param reason free text from the caller, logged on one line
     */
    public Outcome invalidate(Request request, String source, String reason) {
        String why = LogText.line(reason, 200);
        applyLocally(request);
        counter(source, request.scope()).increment();
        LOG.info("cache invalidated: {} {} by {} ({})", request.scope().name().toLowerCase(Locale.ROOT),
                LogText.line(request.value(), 200), source, why);
        if (!redis.enabled()) {
            return Outcome.APPLIED;
        }
        Pending pending = new Pending(request, source, why);
        if (shareAndWait(pending)) {
            return Outcome.APPLIED;
        }
        keep(pending);
        LOG.warn("cache invalidation {} {} not applied in Redis yet: the other instances keep their copies; retried "
                + "every {} ms until Redis takes it", request.scope().name().toLowerCase(Locale.ROOT),
                LogText.line(request.value(), 200), retryMillis);
        return Outcome.PENDING;
    }

    /** Invalidations applied here that Redis has not taken yet. */
    public int pending() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private record Pending(Request request, String source, String reason) {
    }

    private boolean shareAndWait(Pending p) {
        try {
            share(p).toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Redis' copies deleted, the fleet's count moved, the other instances told, in that order. */
    private CompletionStage<Void> share(Pending p) {
        Request request = p.request();
        CompletionStage<Void> deleted = switch (request.scope()) {
            case KEY -> redis.deleteKey(request.value());
            case TAG -> redis.deleteTag(request.value());
            case PREFIX -> redis.deletePrefix(request.value());
            case UPSTREAM -> redis.deletePrefix(request.value() + ":");
            case ALL -> redis.deletePrefix("");
        };
        return deleted.thenCompose(ok -> redis.increment(GENERATION)).thenCompose(count -> {
            if (generation.heardUpTo(count)) {
                // another instance's invalidation went unheard here (or is on its way: one drop too many then)
                dropLocalTier("an invalidation message was missed before " + count);
            }
            ObjectNode message = json.createObjectNode().put("origin", instance)
                    .put("scope", request.scope().name()).put("value", request.value())
                    .put("source", p.source()).put("reason", p.reason()).put("generation", count);
            try {
                return redis.publish(CHANNEL, json.writeValueAsBytes(message));
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree failed to serialise", e);
            }
        });
    }

    /** Kept for retry; past the bound, everything pending becomes one invalidation of all. */
    private void keep(Pending p) {
        synchronized (pending) {
            if (pending.size() >= MAX_PENDING) {
                pending.clear();
                pending.add(new Pending(new Request(Scope.ALL, null), p.source(), "more than " + MAX_PENDING
                        + " invalidations pending"));
            } else {
                pending.add(p);
            }
        }
    }

    /** Retries what is pending, oldest first, while Redis takes it. */
    private void retryPending() {
        while (true) {
            Pending next;
            synchronized (pending) {
                next = pending.peekFirst();
            }
            if (next == null || !shareAndWait(next)) {
                return;
            }
            synchronized (pending) {
                pending.remove(next);
            }
            LOG.info("cache invalidation {} {} applied in Redis after a retry",
                    next.request().scope().name().toLowerCase(Locale.ROOT), LogText.line(next.request().value(), 200));
        }
    }

    /**
     * Compares the fleet's count of invalidations with the last this instance heard of: when it moved on without a
     * message reaching here (the subscription was down), or Redis lost its data (a new epoch: what others invalidated
     * meanwhile is lost with it), the local tier may hold what was invalidated, and is dropped.
     */
    void checkGeneration() {
        redis.readWithEpoch(GENERATION).thenAccept(read -> {
            String missed = read == null ? null : generation.compare(read);
            if (missed != null) {
                dropLocalTier(missed);
            }
        });
    }

    /** The epoch and count this instance knows of, {@code epoch:count}; null before Redis was first read. */
    String heardGeneration() {
        return generation.known();
    }

    private void dropLocalTier(String why) {
        missed.increment();
        applyLocally(new Request(Scope.ALL, null));
        LOG.warn("local cache tier dropped: {}", why);
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
            if (message.has("generation") && generation.heardUpTo(message.path("generation").asLong())) {
                dropLocalTier("an invalidation message was missed before " + message.path("generation").asLong());
            }
            fromCluster.get(request.scope()).increment();
            LOG.info("cache invalidated: {} {} by {} on another instance ({})",
                    request.scope().name().toLowerCase(Locale.ROOT), LogText.line(request.value(), 200),
                    LogText.line(message.path("source").asText(), 20), LogText.line(message.path("reason").asText(), 200));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignored a malformed cache invalidation message: {}", LogText.line(e.getMessage(), 200));
        }
    }

    @Override
    public void destroy() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void applyLocally(Request request) {
        for (UpstreamCache cache : upstreams.caches()) {
            switch (request.scope()) {
                case KEY -> cache.invalidateKey(request.value());
                case PREFIX -> cache.invalidatePrefix(request.value());
                case TAG -> cache.invalidateTag(request.value());
                case UPSTREAM -> {
                    if (cache.upstream().equals(request.value())) {
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
