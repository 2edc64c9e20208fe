package io.oasis.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Per endpoint: requests by status class with their latency (a histogram for p50/p95/p99 and the SLO buckets
 * 80/100/150/300/500 ms), error answers by type, degraded answers. Meters are made once per endpoint and status.
 */
@Component
public class EndpointMetrics {

    /** The latency buckets counted exactly, for objectives ("95 % under 150 ms") here and in Prometheus. */
    public static final List<Duration> SLO_BUCKETS = List.of(Duration.ofMillis(80), Duration.ofMillis(100),
            Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(500));
    private static final Duration[] SLO = SLO_BUCKETS.toArray(new Duration[0]);
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> degraded = new ConcurrentHashMap<>();

    public EndpointMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param type the problem type of an error answer (e.g. upstream-timeout), null for a 2xx
     */
    public void record(String endpoint, int status, String type, boolean isDegraded, long nanos) {
        int statusClass = Math.min(Math.max(status / 100, 1), 5) - 1;
        timers.computeIfAbsent(endpoint, e -> new Timer[CLASSES.length]);
        Timer[] byClass = timers.get(endpoint);
        Timer timer = byClass[statusClass];
        if (timer == null) {
            timer = Timer.builder(OasisMetrics.ENDPOINT_REQUESTS).tag(OasisMetrics.TAG_ENDPOINT, endpoint)
                    .tag(OasisMetrics.TAG_STATUS, CLASSES[statusClass])
                    .description("endpoint requests, arrival to answer")
                    .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99).serviceLevelObjectives(SLO)
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            byClass[statusClass] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (type != null) {
            errors.computeIfAbsent(endpoint + '/' + status + '/' + type, k -> Counter
                    .builder(OasisMetrics.ENDPOINT_ERRORS).tag(OasisMetrics.TAG_ENDPOINT, endpoint)
                    .tag(OasisMetrics.TAG_STATUS, CLASSES[statusClass]).tag(OasisMetrics.TAG_TYPE, type)
                    .description("error answers by problem type").register(registry)).increment();
        }
        if (isDegraded) {
            degraded.computeIfAbsent(endpoint, e -> Counter.builder(OasisMetrics.ENDPOINT_DEGRADED)
                    .tag(OasisMetrics.TAG_ENDPOINT, endpoint).description("200 answers with a part not fresh")
                    .register(registry)).increment();
        }
    }
}
