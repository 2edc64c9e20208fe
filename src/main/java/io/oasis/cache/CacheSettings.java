package io.oasis.cache;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * Caching of this upstream's answers (2xx JSON only), in this instance and, when oasis.cache.redis is on, in
 * Redis for all instances. The key is what is sent: the upstream, the call's path and query with their values,
 * and the forwarded headers listed in {@code varyHeaders}.
 *
 * @param ttl                  fresh for this long; 0 turns caching off
 * @param staleWhileRevalidate after the ttl, answered at once from cache for this long while one background
 *                             call refreshes it
 * @param staleIfError         after the ttl, a call that fails may answer the cached value this long (policy
 *                             stale)
 * @param maxEntries           entries kept in this instance; the least used go first
 * @param maxBytes             if set, the entries' JSON size kept in this instance, instead of maxEntries
 * @param varyHeaders          forwarded headers that are part of the key; absent: all of forward-headers. An
 *                             identity header the upstream receives must be in it (startup checks)
 */
public record CacheSettings(Duration ttl, Duration staleWhileRevalidate, Duration staleIfError, Integer maxEntries,
                            DataSize maxBytes, List<String> varyHeaders) {

    public CacheSettings over(CacheSettings base) {
        return base == null ? this : new CacheSettings(or(ttl, base.ttl),
                or(staleWhileRevalidate, base.staleWhileRevalidate), or(staleIfError, base.staleIfError),
                or(maxEntries, base.maxEntries), or(maxBytes, base.maxBytes), or(varyHeaders, base.varyHeaders));
    }

    public boolean enabled() {
        return ttl != null && ttl.toMillis() > 0;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
