package io.oasis.endpoint;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Requests refused because Oasis is at its configured concurrency: one 503 problem for all of them, and a warning
 * at most every 10 s with how many were refused, so an overload shows in the log without flooding it.
 */
@Component
public class LoadShedding {

    public static final Problem OVERLOADED = new Problem(503, "overloaded", "Overloaded",
            "Oasis is at its configured concurrency; retry shortly", Map.of());

    private static final Logger LOG = LoggerFactory.getLogger(LoadShedding.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /** Counts one refused request; {@code why} says which limit refused it. */
    public Problem refuse(String why) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("Overloaded: {} requests refused with 503 since start; the latest because {}", count, why);
        }
        return OVERLOADED;
    }

    public long refused() {
        return refused.get();
    }
}
