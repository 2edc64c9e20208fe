package io.oasis.observe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.oasis.upstream.Failure;
import org.apache.hc.core5.pool.ConnPoolControl;

/** One upstream's meters, created once so that recording a call is a map lookup and an increment. */
public final class UpstreamMetrics {

    private final Timer ok;
    private final Map<Failure, Timer> failed = new EnumMap<>(Failure.class);
    private final Counter retries;
    private final Counter retriesDenied;

    public UpstreamMetrics(String upstream, MeterRegistry registry, ConnPoolControl<?> pool, CircuitBreaker breaker) {
        this.ok = timer(upstream, "ok", registry);
        for (Failure failure : Failure.values()) {
            failed.put(failure, timer(upstream, failure.outcome(), registry));
        }
        this.retries = Counter.builder(OasisMetrics.UPSTREAM_RETRIES).tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .description("retries made").register(registry);
        this.retriesDenied = Counter.builder(OasisMetrics.UPSTREAM_RETRIES_DENIED)
                .tag(OasisMetrics.TAG_UPSTREAM, upstream).description("retries the retry budget refused")
                .register(registry);
        Gauge.builder(OasisMetrics.UPSTREAM_BREAKER_STATE, breaker, b -> switch (b.getState()) {
                    case CLOSED -> 0;
                    case OPEN -> 1;
                    case HALF_OPEN -> 2;
                    default -> 3;
                })
                .tag(OasisMetrics.TAG_UPSTREAM, upstream).description("0 closed, 1 open, 2 half open, 3 other")
                .register(registry);
        breaker.getEventPublisher().onStateTransition(e -> Counter.builder(OasisMetrics.UPSTREAM_BREAKER_TRANSITIONS)
                .tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .tag(OasisMetrics.TAG_TO, e.getStateTransition().getToState().name().toLowerCase(Locale.ROOT))
                .register(registry).increment());
        if (pool == null) {
            return; // reached through Camel endpoints only: no pool of Oasis'
        }
        Gauge.builder(OasisMetrics.UPSTREAM_POOL_LEASED, pool, p -> p.getTotalStats().getLeased())
                .tag(OasisMetrics.TAG_UPSTREAM, upstream).register(registry);
        Gauge.builder(OasisMetrics.UPSTREAM_POOL_PENDING, pool, p -> p.getTotalStats().getPending())
                .tag(OasisMetrics.TAG_UPSTREAM, upstream).register(registry);
        Gauge.builder(OasisMetrics.UPSTREAM_POOL_MAX, pool, p -> p.getTotalStats().getMax())
                .tag(OasisMetrics.TAG_UPSTREAM, upstream).register(registry);
    }

    /** One call (all its attempts) and how it ended; {@code failure} null means ok. */
    public void record(Failure failure, long nanos) {
        (failure == null ? ok : failed.get(failure)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void retried() {
        retries.increment();
    }

    public void retryDenied() {
        retriesDenied.increment();
    }

    private static Timer timer(String upstream, String outcome, MeterRegistry registry) {
        return Timer.builder(OasisMetrics.UPSTREAM_CALLS)
                .tag(OasisMetrics.TAG_UPSTREAM, upstream)
                .tag(OasisMetrics.TAG_OUTCOME, outcome)
                .description("upstream calls, all attempts of one part together")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }
}
