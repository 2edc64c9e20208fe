package io.oasis.cache;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The time caches judge age by: wall-clock milliseconds, because entries in Redis are shared by instances. Tests
 * replace the bean with one they advance, instead of sleeping.
 */
public interface CacheClock {

    long nowMillis();

    /** The same time for Caffeine's expiry, in nanoseconds. */
    default Ticker ticker() {
        return () -> nowMillis() * 1_000_000L;
    }
}
