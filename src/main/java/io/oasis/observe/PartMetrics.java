package io.oasis.observe;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.upstream.PartStatus;
import org.springframework.stereotype.Component;

/**
 * Counts the parts of answers by endpoint, part and status; a {@code default} count is a fallback served. The
 * counters are looked up once per part, not per request.
 */
@Component
public class PartMetrics {

    private final MeterRegistry registry;
    // endpoint -> part -> counters by status: two lookups, no key built per part per request
    private final Map<String, Map<String, Counter[]>> byPart = new ConcurrentHashMap<>();

    public PartMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String endpoint, String part, PartStatus status) {
        byPart.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(part, p -> counters(endpoint, part))[status.ordinal()].increment();
    }

    private Counter[] counters(String endpoint, String part) {
        PartStatus[] statuses = PartStatus.values();
        Counter[] counters = new Counter[statuses.length];
        for (PartStatus status : statuses) {
            counters[status.ordinal()] = Counter.builder(OasisMetrics.ENDPOINT_PARTS)
                    .tag(OasisMetrics.TAG_ENDPOINT, endpoint).tag(OasisMetrics.TAG_PART, part)
                    .tag(OasisMetrics.TAG_STATUS, status.name().toLowerCase(Locale.ROOT))
                    .description("parts answered; status default is a fallback served").register(registry);
        }
        return counters;
    }
}
