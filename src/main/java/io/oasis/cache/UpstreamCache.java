package io.oasis.cache;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;

/**
 * One upstream's cache: the local tier (Caffeine, bounded), the shared tier ({@link SharedRedis}) behind it, the
 * calls in flight per key, and the tag index. Judges an entry fresh (within ttl), revalidate (within
 * stale-while-revalidate: answered, refreshed in the background once), or usable only if the call fails
 * (within stale-if-error).
 */
public final class UpstreamCache {

    /** What an entry is good for now. */
    public enum Freshness { FRESH, REVALIDATE, STALE_IF_ERROR, NONE }

    /** Lookup outcomes, as counted. */
    public enum Result { HIT, STALE, MISS, COALESCED }

    private final String upstream;
    private final long ttlMillis;
    private final long swrMillis;
    private final long sieMillis;
    private final Duration lifetime;
    private final String[] varyHeaders;
    private final Cache<String, CachedValue> local;
    private final Map<String, Flight<?>> flights = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keysByTag = new ConcurrentHashMap<>();
    private final SharedRedis shared;
    private final CacheClock clock;
    private final ObjectMapper json;
    private final Map<Result, Counter> lookups = new java.util.EnumMap<>(Result.class);
    private final Counter refreshes;
    private final Counter evictions;

    public UpstreamCache(String upstream, CacheSettings settings, List<String> varyHeaders,
                         SharedRedis shared, CacheClock clock, ObjectMapper json, MeterRegistry registry) {
        this.upstream = upstream;
        this.ttlMillis = settings.ttl().toMillis();
        this.swrMillis = settings.staleWhileRevalidate().toMillis();
        this.sieMillis = settings.staleIfError().toMillis();
        this.lifetime = Duration.ofMillis(ttlMillis + Math.max(swrMillis, sieMillis));
        this.varyHeaders = varyHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        this.shared = shared;
        this.clock = clock;
        this.json = json;
        Caffeine<Object, Object> builder = Caffeine.newBuilder().ticker(clock.ticker()).expireAfterWrite(lifetime);
        if (settings.maxBytes() != null) {
            builder.maximumWeight(settings.maxBytes().toBytes())
                    .weigher((String key, CachedValue value) -> key.length() + value.value().toString().length());
        } else {
            builder.maximumSize(settings.maxEntries());
        }
        this.evictions = Counter.builder(OasisMetrics.CACHE_EVICTIONS).tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .description("entries evicted from the local tier for size").register(registry);
        this.local = builder.<String, CachedValue>removalListener((key, value, cause) -> {
            if (cause == RemovalCause.SIZE) {
                evictions.increment();
            }
            if (value != null && key != null) {
                for (String tag : value.tags()) {
                    forget(tag, key);
                }
            }
        }).build();
        for (Result result : Result.values()) {
            lookups.put(result, Counter.builder(OasisMetrics.CACHE_REQUESTS).tag(OasisMetrics.TAG_UPSTREAM, upstream)
                    .tag(OasisMetrics.TAG_RESULT, result.name().toLowerCase(Locale.ROOT))
                    .description("cache lookups by result").register(registry));
        }
        this.refreshes = Counter.builder(OasisMetrics.CACHE_REFRESHES).tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .description("background refreshes (stale-while-revalidate)").register(registry);
        Gauge.builder(OasisMetrics.CACHE_SIZE, local, Cache::estimatedSize).tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .register(registry);
    }

    public String upstream() {
        return upstream;
    }

    /** The key of a call: what is sent to the upstream. {@code headers} maps lower-case names to values. */
    public String key(String target, Function<String, String> headers) {
        String[] values = new String[varyHeaders.length];
        for (int i = 0; i < varyHeaders.length; i++) {
            values[i] = headers.apply(varyHeaders[i]);
        }
        return CacheKeys.key(upstream, target, varyHeaders, values);
    }

    public long nowMillis() {
        return clock.nowMillis();
    }

    public CachedValue local(String key) {
        return local.getIfPresent(key);
    }

    public Freshness judge(CachedValue value, long nowMillis) {
        if (value == null) {
            return Freshness.NONE;
        }
        long age = value.ageMillis(nowMillis);
        if (age < ttlMillis) {
            return Freshness.FRESH;
        }
        if (age < ttlMillis + swrMillis) {
            return Freshness.REVALIDATE;
        }
        return age < ttlMillis + sieMillis ? Freshness.STALE_IF_ERROR : Freshness.NONE;
    }

    /** The shared tier's entry, copied into the local tier; null when absent or Redis is away. */
    public void remote(String key, Consumer<CachedValue> then) {
        if (!shared.enabled()) {
            then.accept(null);
            return;
        }
        shared.get(key, bytes -> {
            CachedValue value = decode(bytes);
            if (value != null && judge(value, clock.nowMillis()) != Freshness.NONE) {
                remember(key, value);
            }
            then.accept(value);
        });
    }

    /** Stores a fresh answer in both tiers. */
    public void store(String key, JsonNode value, Set<String> tags) {
        CachedValue entry = new CachedValue(value, clock.nowMillis(), tags);
        remember(key, entry);
        if (shared.enabled()) {
            ObjectNode wrapper = json.createObjectNode();
            wrapper.put("t", entry.storedAtMillis());
            wrapper.putPOJO("g", tags);
            wrapper.set("v", value);
            try {
                shared.set(key, json.writeValueAsBytes(wrapper), lifetime, tags);
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree failed to serialise", e);
            }
        }
    }

    /** The call in flight for a key, joined, or null: then the caller starts it with {@link #startFlight}. */
    @SuppressWarnings("unchecked")
    public <R> Flight<R> flight(String key) {
        return (Flight<R>) flights.get(key);
    }

    /** Registers a new call for a key; null when another request registered one first (join that one instead). */
    public <R> Flight<R> startFlight(String key) {
        Flight<R> mine = new Flight<>();
        return flights.putIfAbsent(key, mine) == null ? mine : null;
    }

    /** Ends a call: its waiters get the result, the next miss starts a new one. */
    public <R> void land(String key, Flight<R> flight, R result) {
        flights.remove(key, flight);
        flight.complete(result);
    }

    /**
     * Refreshes an entry in the background, once: not while a call for the key is in flight, and with Redis on,
     * only in the instance that takes the key's short lock.
     */
    public void revalidate(String key, Duration lockFor, Runnable refresh) {
        if (flights.containsKey(key)) {
            return;
        }
        shared.tryLock(key, lockFor, locked -> {
            if (locked) {
                refreshes.increment();
                refresh.run();
            }
        });
    }

    public void count(Result result) {
        lookups.get(result).increment();
    }

    public void invalidateKey(String key) {
        local.invalidate(key);
    }

    public void invalidatePrefix(String prefix) {
        local.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    }

    public void invalidateTag(String tag) {
        Set<String> keys = keysByTag.remove(tag);
        if (keys != null) {
            local.invalidateAll(keys);
        }
    }

    public void invalidateAll() {
        local.invalidateAll();
        keysByTag.clear();
    }

    private void remember(String key, CachedValue value) {
        local.put(key, value);
        for (String tag : value.tags()) {
            keysByTag.compute(tag, (t, keys) -> {
                Set<String> kept = keys == null ? ConcurrentHashMap.newKeySet() : keys;
                kept.add(key);
                return kept;
            });
        }
    }

    /**
     * Drops a removed entry's key from a tag, and the tag once it has no key left: the index holds only what the
     * bounded local tier holds. Removal is told after the fact (and after a replacement), so a key stored again with
     * the tag in the meantime stays.
     */
    private void forget(String tag, String key) {
        keysByTag.computeIfPresent(tag, (t, keys) -> {
            CachedValue current = local.getIfPresent(key);
            if (current == null || !current.tags().contains(tag)) {
                keys.remove(key);
            }
            return keys.isEmpty() ? null : keys;
        });
    }

    /** Tags in the index now: at most the local tier's entries times their tags. */
    int indexedTags() {
        return keysByTag.size();
    }

    private CachedValue decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode wrapper = json.readTree(bytes);
            Set<String> tags = new HashSet<>();
            wrapper.path("g").forEach(t -> tags.add(t.asText()));
            JsonNode value = wrapper.get("v");
            return value == null ? null : new CachedValue(value, wrapper.path("t").asLong(), Set.copyOf(tags));
        } catch (IOException e) {
            return null;
        }
    }
}
