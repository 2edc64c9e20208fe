package io.oasis.cache;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An upstream's answer as cached: its JSON (parsed once, shared read-only by every request that reads it), when
 * it was stored, and the tags that invalidate it.
 */
public record CachedValue(JsonNode value, long storedAtMillis, Set<String> tags) {

    public long ageMillis(long nowMillis) {
        return Math.max(0, nowMillis - storedAtMillis);
    }
}
