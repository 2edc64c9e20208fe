package io.oasis.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * What the dashboard page shows, computed from Oasis' own meters: per endpoint p50/p95/p99, req/s, error rate and
 * the share of parts answered from cache; per upstream its breaker, health, req/s, mean latency and pool use
 * against the suggested size (peak req/s x mean latency x 1.3); the latest slow requests with their waterfall; the
 * errors. Rates come from a sample of the counters every 2 s, kept for 2 minutes.
 */
@Component
public class Overview implements DisposableBean {

    private static final long SAMPLE_SECONDS = 2;
    private static final int KEPT = 60;
    private static final int RATE_SAMPLES = 5;

    private record Sample(long nanos, Map<String, Double> values) {
    }

    private final MeterRegistry registry;
    private final Upstreams upstreams;
    private final RequestOutcome outcomes;
    private final ErrorTracker errors;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService sampler;

    public Overview(MeterRegistry registry, Upstreams upstreams, RequestOutcome outcomes, ErrorTracker errors) {
        this.registry = registry;
        this.upstreams = upstreams;
        this.outcomes = outcomes;
        this.errors = errors;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("oasis-overview-sampler-");
        threads.setDaemon(true);
        this.sampler = Executors.newSingleThreadScheduledExecutor(threads);
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void destroy() {
        sampler.shutdownNow();
    }

    /** The page's data, now. */
    public Map<String, Object> now() {
        if (samples.size() < 2) {
            sample();
        }
        List<Sample> kept;
        synchronized (samples) {
            kept = new ArrayList<>(samples);
        }
        Sample last = kept.get(kept.size() - 1);
        Sample base = kept.get(Math.max(0, kept.size() - 1 - RATE_SAMPLES));
        double seconds = Math.max(1e-9, (last.nanos() - base.nanos()) / 1e9);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("endpoints", endpoints(last, base, seconds));
        page.put("upstreams", upstreams(kept, last, base, seconds));
        page.put("slowRequests", outcomes.slowRequests());
        page.put("errors", errors.groups().stream().limit(20).toList());
        return page;
    }

    private List<Map<String, Object>> endpoints(Sample last, Sample base, double seconds) {
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (String endpoint : names(OasisMetrics.ENDPOINT_REQUESTS, OasisMetrics.TAG_ENDPOINT)) {
            if ("none".equals(endpoint)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("endpoint", endpoint);
            double requests = delta(last, base, "ep:" + endpoint + ":count");
            row.put("requestsPerSecond", round(requests / seconds));
            row.put("errorRate", requests == 0 ? 0 : round(delta(last, base, "ep:" + endpoint + ":5xx") / requests));
            double parts = delta(last, base, "ep:" + endpoint + ":parts");
            row.put("cacheHitRate", parts == 0 ? null : round(delta(last, base, "ep:" + endpoint + ":cached") / parts));
            Timer ok = registry.find(OasisMetrics.ENDPOINT_REQUESTS).tags(OasisMetrics.TAG_ENDPOINT, endpoint,
                    OasisMetrics.TAG_STATUS, "2xx").timer();
            if (ok != null) {
                for (ValueAtPercentile p : ok.takeSnapshot().percentileValues()) {
                    row.put("p" + Math.round(p.percentile() * 100) + "Ms", round(p.value(TimeUnit.MILLISECONDS)));
                }
            }
            endpoints.add(row);
        }
        return endpoints;
    }

    private List<Map<String, Object>> upstreams(List<Sample> kept, Sample last, Sample base, double seconds) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Upstream upstream : upstreams.all().values()) {
            String name = upstream.name();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("upstream", name);
            row.put("breaker", upstream.protection().breaker().getState().name());
            double calls = delta(last, base, "up:" + name + ":count");
            double failed = calls - delta(last, base, "up:" + name + ":ok");
            row.put("callsPerSecond", round(calls / seconds));
            row.put("failureRate", calls == 0 ? 0 : round(failed / calls));
            double meanSeconds = calls == 0 ? 0 : delta(last, base, "up:" + name + ":seconds") / calls;
            row.put("meanMs", round(meanSeconds * 1000));
            double peak = 0;
            for (int i = 1; i < kept.size(); i++) {
                Sample a = kept.get(i - 1);
                Sample b = kept.get(i);
                peak = Math.max(peak, delta(b, a, "up:" + name + ":count") / Math.max(1e-9, (b.nanos() - a.nanos()) / 1e9));
            }
            row.put("peakCallsPerSecond", round(peak));
            row.put("poolLeased", upstream.poolStats().getLeased());
            row.put("poolPending", upstream.poolStats().getPending());
            row.put("poolMax", upstream.poolStats().getMax());
            // the pool-sizing rule: peak req/s x mean latency x 1.3
            row.put("poolSuggested", (long) Math.ceil(peak * meanSeconds * 1.3));
            row.put("healthy", !"OPEN".equals(row.get("breaker")) && (calls == 0 || failed / calls < 0.5));
            rows.add(row);
        }
        return rows;
    }

    private void sample() {
        Map<String, Double> values = new HashMap<>();
        registry.find(OasisMetrics.ENDPOINT_REQUESTS).timers().forEach(t -> {
            String endpoint = t.getId().getTag(OasisMetrics.TAG_ENDPOINT);
            values.merge("ep:" + endpoint + ":count", (double) t.count(), Double::sum);
            if ("5xx".equals(t.getId().getTag(OasisMetrics.TAG_STATUS))) {
                values.merge("ep:" + endpoint + ":5xx", (double) t.count(), Double::sum);
            }
        });
        for (Counter c : registry.find(OasisMetrics.ENDPOINT_PARTS).counters()) {
            String endpoint = c.getId().getTag(OasisMetrics.TAG_ENDPOINT);
            values.merge("ep:" + endpoint + ":parts", c.count(), Double::sum);
            if ("cached".equals(c.getId().getTag(OasisMetrics.TAG_STATUS))) {
                values.merge("ep:" + endpoint + ":cached", c.count(), Double::sum);
            }
        }
        registry.find(OasisMetrics.UPSTREAM_CALLS).timers().forEach(t -> {
            String upstream = t.getId().getTag(OasisMetrics.TAG_UPSTREAM);
            values.merge("up:" + upstream + ":count", (double) t.count(), Double::sum);
            values.merge("up:" + upstream + ":seconds", t.totalTime(TimeUnit.SECONDS), Double::sum);
            if ("ok".equals(t.getId().getTag(OasisMetrics.TAG_OUTCOME))) {
                values.merge("up:" + upstream + ":ok", (double) t.count(), Double::sum);
            }
        });
        synchronized (samples) {
            samples.addLast(new Sample(System.nanoTime(), values));
            while (samples.size() > KEPT) {
                samples.removeFirst();
            }
        }
    }

    private TreeSet<String> names(String meter, String tag) {
        TreeSet<String> names = new TreeSet<>();
        registry.find(meter).meters().forEach(m -> names.add(m.getId().getTag(tag)));
        return names;
    }

    private static double delta(Sample last, Sample base, String key) {
        return last.values().getOrDefault(key, 0.0) - base.values().getOrDefault(key, 0.0);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
