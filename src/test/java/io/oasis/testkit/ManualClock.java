package io.oasis.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.oasis.cache.CacheClock;

/** The caches' clock, advanced by the test instead of waiting. Starts at the wall clock's time. */
public final class ManualClock implements CacheClock {

    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    @Override
    public long nowMillis() {
        return now.get();
    }

    public void advance(Duration by) {
        now.addAndGet(by.toMillis());
    }
}
