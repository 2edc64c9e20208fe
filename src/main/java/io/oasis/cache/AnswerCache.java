package io.oasis.cache;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Caller;
import io.oasis.endpoint.EndpointProperties;
import io.oasis.observe.OasisMetrics;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;

/**
 * Whole answers of the endpoints that ask for it (oasis.endpoints.<id>.cache), in this instance: a hit is served
 * as it was written, with an Age header, and no upstream is called. Only 200 answers with every part fresh are
 * kept. Any cache invalidation drops them all: an answer mixes parts whose tags it does not keep.
 */
@Component
public class AnswerCache {

    /** An answer as written, and when. */
    public record Answer(byte[] body, long storedAtMillis) {
    }

    /** claims that differ between two tokens of one caller: left out of the key, or every token would miss */
    private static final Set<String> PER_TOKEN_CLAIMS = Set.of("exp", "iat", "nbf", "jti", "auth_time", "nonce",
            "at_hash", "c_hash");

    private final Map<String, Cache<String, Answer>> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> lookups = new ConcurrentHashMap<>();
    private final CacheClock clock;

    public AnswerCache(EndpointProperties properties, CacheClock clock, MeterRegistry registry,
                       CacheInvalidation invalidation) {
        this.clock = clock;
        properties.endpoints().forEach((endpoint, settings) -> {
            EndpointProperties.AnswerCache cache = settings.cache();
            if (cache == null || cache.ttl() == null || cache.ttl().isZero()) {
                return;
            }
            String key = "oasis.endpoints." + endpoint + ".cache";
            if (cache.ttl().isNegative()) {
                throw new ConfigurationException(key + ".ttl", cache.ttl().toMillis() + "ms", "must not be negative",
                        "E.g. 5s; 0s turns it off.");
            }
            int max = cache.maxEntries() == null ? 10_000 : cache.maxEntries();
            if (max < 1) {
                throw new ConfigurationException(key + ".max-entries", max, "must be at least 1", "E.g. 10000.");
            }
            byEndpoint.put(endpoint, Caffeine.newBuilder().ticker(clock.ticker()).expireAfterWrite(cache.ttl())
                    .maximumSize(max).build());
            Counter[] counters = new Counter[2];
            for (int i = 0; i < 2; i++) {
                counters[i] = Counter.builder(OasisMetrics.ENDPOINT_CACHE_REQUESTS)
                        .tag(OasisMetrics.TAG_ENDPOINT, endpoint).tag(OasisMetrics.TAG_RESULT, i == 0 ? "hit" : "miss")
                        .description("whole-answer cache lookups").register(registry);
            }
            lookups.put(endpoint, counters);
        });
        invalidation.alsoApplyTo(request -> byEndpoint.values().forEach(Cache::invalidateAll));
    }

    /** Whether this endpoint keeps whole answers. */
    public boolean caches(String endpoint) {
        return byEndpoint.containsKey(endpoint);
    }

    /**
     * The key of one request: its parameters, the headers upstreams may receive, and who the caller is, sorted. The
     * caller enters as a digest of its token's claims, those that vary from token to token (expiry, issue time, id)
     * left out: an answer is only ever served to a caller with the same identity, whether or not a call told an
     * upstream who it was ({caller.sub} in a path alone makes the answer personal).
     */
    public static String key(String endpoint, Map<String, String> parameters, Map<String, String> headers,
                             Caller caller) {
        StringBuilder key = new StringBuilder(endpoint).append('?');
        if (!caller.anonymous()) {
            key.append("caller=").append(callerDigest(caller)).append('&');
        }
        new TreeMap<>(parameters).forEach((name, value) ->
                key.append(name).append('=').append(value.length()).append(':').append(value).append('&'));
        String[] names = new TreeMap<>(headers).keySet().stream().map(h -> h.toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = headers.get(names[i]);
        }
        return CacheKeys.key("answer", key.toString(), names, values);
    }

    /** The caller's identity claims, sorted, as one SHA-256: claims can be large and must not reach a key as text. */
    static String callerDigest(Caller caller) {
        StringBuilder claims = new StringBuilder("sub=").append(caller.subject().length()).append(':')
                .append(caller.subject());
        new TreeMap<>(caller.claims()).forEach((name, value) -> {
            if (!PER_TOKEN_CLAIMS.contains(name) && !name.equals("sub")) {
                String text = String.valueOf(value);
                claims.append('&').append(name).append('=').append(text.length()).append(':').append(text);
            }
        });
        return DigestUtils.sha256Hex(claims.toString());
    }

    public Answer get(String endpoint, String key) {
        Answer answer = byEndpoint.get(endpoint).getIfPresent(key);
        lookups.get(endpoint)[answer == null ? 1 : 0].increment();
        return answer;
    }

    public void put(String endpoint, String key, byte[] body) {
        byEndpoint.get(endpoint).put(key, new Answer(body, clock.nowMillis()));
    }

    public long ageSeconds(Answer answer) {
        return Math.max(0, clock.nowMillis() - answer.storedAtMillis()) / 1000;
    }
}
