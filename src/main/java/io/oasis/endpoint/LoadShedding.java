package io.oasis.endpoint;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;
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
    /** The Retry-After of every {@link #OVERLOADED} answer, in seconds: one header value wherever it is written. */
    public static final String RETRY_AFTER = "1";

    private static final Logger LOG = LoggerFactory.getLogger(LoadShedding.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Which limit refused a request: the metrics tag and the words of the log line. */
    public enum Reason {
        TOO_MANY_IN_FLIGHT("oasis.request-limits.max-in-flight requests were in service"),
        EXECUTOR_FULL("the request executor and its queue are full"),
        WAITED_TOO_LONG("a request waited longer than half its budget for a thread"),
        FAN_OUT_FULL("the fan-out pool and its queue are full");

        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    public LoadShedding(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder(OasisMetrics.REQUESTS_SHED)
                    .tag(OasisMetrics.TAG_REASON, reason.name().toLowerCase(Locale.ROOT))
                    .description("requests refused with 503 because Oasis was at its concurrency").register(registry));
        }
    }

    /** Counts one refused request. */
    public Problem refuse(Reason why) {
        counters.get(why).increment();
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("Overloaded: {} requests refused with 503 since start; the latest because {}", count, why.words);
        }
        return OVERLOADED;
    }

    public long refused() {
        return refused.get();
    }
}
