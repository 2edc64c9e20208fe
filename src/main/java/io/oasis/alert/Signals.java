package io.oasis.alert;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.oasis.observe.OasisMetrics;

/** The signals alerts watch, each read from Oasis' meters (names in {@link OasisMetrics}). */
public final class Signals {

    private final MeterRegistry registry;
    private final long minRequests;

    public Signals(MeterRegistry registry, long minRequests) {
        this.registry = registry;
        this.minRequests = minRequests;
    }

    // --- reading meters ---------------------------------------------------------------------------------------

    private double[] count(String name, Predicate<Meter.Id> which) {
        double sum = 0;
        for (Meter meter : registry.find(name).meters()) {
            if (!which.test(meter.getId())) {
                continue;
            }
            if (meter instanceof Timer timer) {
                sum += timer.count();
            } else if (meter instanceof Counter counter) {
                sum += counter.count();
            } else if (meter instanceof FunctionCounter counter) {
                sum += counter.count();
            } else if (meter instanceof Gauge gauge) {
                sum += gauge.value();
            }
        }
        return new double[] {sum};
    }

    /** Count and cumulative bucket counts of the matching timers, summed; bounds in ms go to {@code bounds}. */
    private double[] histogram(String name, Predicate<Meter.Id> which, double[][] bounds) {
        double[] sums = null;
        for (Meter meter : registry.find(name).meters()) {
            if (!(meter instanceof Timer timer) || !which.test(meter.getId())) {
                continue;
            }
            CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
            if (sums == null) {
                sums = new double[buckets.length + 1];
                double[] ms = new double[buckets.length];
                for (int i = 0; i < buckets.length; i++) {
                    ms[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
                }
                bounds[0] = ms;
            }
            sums[0] += timer.count();
            for (int i = 0; i < buckets.length && i + 1 < sums.length; i++) {
                sums[i + 1] += buckets[i].count();
            }
        }
        return sums == null ? new double[0] : sums;
    }

    private static Predicate<Meter.Id> tag(String key, String value) {
        return id -> value.equals(id.getTag(key));
    }

    private static Predicate<Meter.Id> tags(String key, String value, String key2, Set<String> values2) {
        return id -> value.equals(id.getTag(key)) && values2.contains(id.getTag(key2));
    }

    private static String prom(String micrometerName) {
        return micrometerName.replace('.', '_');
    }

    private static String range(Duration window) {
        return window.toSeconds() % 3600 == 0 ? window.toHours() + "h"
                : window.toSeconds() % 60 == 0 ? window.toMinutes() + "m" : window.toSeconds() + "s";
    }

    /** Linear interpolation inside the bucket that holds the rank, as PromQL's histogram_quantile does. */
    static double percentile(double[] boundsMs, double[] cumulative, double total, double q) {
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            if (cumulative[i] >= rank) {
                double inBucket = cumulative[i] - lowerCount;
                return inBucket <= 0 ? boundsMs[i]
                        : lowerBound + (boundsMs[i] - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = boundsMs[i];
            lowerCount = cumulative[i];
        }
        return boundsMs.length == 0 ? Double.NaN : boundsMs[boundsMs.length - 1];
    }

    /** How many observations were at or below the threshold, interpolated inside its bucket. */
    static double atOrBelow(double[] boundsMs, double[] cumulative, double thresholdMs) {
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            if (boundsMs[i] >= thresholdMs) {
                double width = boundsMs[i] - lowerBound;
                return width <= 0 ? cumulative[i]
                        : lowerCount + (cumulative[i] - lowerCount) * (thresholdMs - lowerBound) / width;
            }
            lowerBound = boundsMs[i];
            lowerCount = cumulative[i];
        }
        return lowerCount;
    }

    // --- the signals ------------------------------------------------------------------------------------------

    /** A signal from its parts: what it reads, how it computes, how Prometheus computes the same. */
    private static Signal of(String description, String unit, Map<String, String> subject,
                             BiConsumer<MetricHistory, Duration> track,
                             BiFunction<MetricHistory, Duration, Double> value, Function<Duration, String> promql) {
        return new Signal() {
            @Override
            public void track(MetricHistory history, Duration retention) {
                track.accept(history, retention);
            }

            @Override
            public double value(MetricHistory history, Duration window) {
                return value.apply(history, window);
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String unit() {
                return unit;
            }

            @Override
            public String promql(Duration window) {
                return promql.apply(window);
            }

            @Override
            public Map<String, String> subject() {
                return subject;
            }
        };
    }

    /** A latency percentile of an endpoint's answers or an upstream's calls, in ms. */
    public Signal latency(String kind, String name, double percentile) {
        boolean endpoint = kind.equals(OasisMetrics.TAG_ENDPOINT);
        String meter = endpoint ? OasisMetrics.ENDPOINT_REQUESTS : OasisMetrics.UPSTREAM_CALLS;
        String id = "hist:" + kind + ":" + name;
        double[][] bounds = {new double[0]};
        return of("p" + format(percentile) + " latency of " + kind + " " + name, "ms", Map.of(kind, name),
                (history, retention) -> history.track(id, retention, () -> histogram(meter, tag(kind, name), bounds)),
                (history, window) -> {
                    MetricHistory.Increase increase = history.increase(id, window);
                    if (increase == null || increase.values().length < 2 || increase.values()[0] < 1) {
                        return Double.NaN;
                    }
                    double[] values = increase.values();
                    return percentile(bounds[0], Arrays.copyOfRange(values, 1, values.length), values[0],
                            percentile / 100);
                },
                window -> "1000 * histogram_quantile(" + percentile / 100 + ", sum by (le) (rate(" + prom(meter)
                        + "_seconds_bucket{" + kind + "=\"" + name + "\"}[" + range(window) + "])))");
    }

    /**
     * The share (%) of an endpoint's answers that are errors (5xx, or 200 with a part failed or defaulted), or of
     * an upstream's calls that did not end ok.
     */
    public Signal errorRate(String kind, String name) {
        if (kind.equals(OasisMetrics.TAG_ENDPOINT)) {
            String sel = "endpoint=\"" + name + "\"";
            return share("error rate of endpoint " + name, kind, name,
                    () -> count(OasisMetrics.ENDPOINT_REQUESTS, tag(kind, name)),
                    () -> new double[] {count(OasisMetrics.ENDPOINT_REQUESTS,
                            tags(kind, name, OasisMetrics.TAG_STATUS, Set.of("5xx")))[0]
                            + count(OasisMetrics.ENDPOINT_DEGRADED, tag(kind, name))[0]},
                    r -> "100 * (sum(rate(oasis_endpoint_requests_seconds_count{" + sel + ",status=\"5xx\"}" + r
                            + ")) + (sum(rate(oasis_endpoint_degraded_total{" + sel + "}" + r + ")) or vector(0)))"
                            + " / sum(rate(oasis_endpoint_requests_seconds_count{" + sel + "}" + r + "))");
        }
        String sel = "upstream=\"" + name + "\"";
        return share("error rate of upstream " + name, kind, name,
                () -> count(OasisMetrics.UPSTREAM_CALLS, tag(kind, name)),
                () -> count(OasisMetrics.UPSTREAM_CALLS,
                        id -> name.equals(id.getTag(kind)) && !"ok".equals(id.getTag(OasisMetrics.TAG_OUTCOME))),
                r -> "100 * sum(rate(oasis_upstream_calls_seconds_count{" + sel + ",outcome!=\"ok\"}" + r
                        + ")) / sum(rate(oasis_upstream_calls_seconds_count{" + sel + "}" + r + "))");
    }

    /** The share (%) of cache lookups answered from cache: an endpoint's whole answers, or an upstream's calls. */
    public Signal cacheHitRate(String kind, String name) {
        boolean endpoint = kind.equals(OasisMetrics.TAG_ENDPOINT);
        String meter = endpoint ? OasisMetrics.ENDPOINT_CACHE_REQUESTS : OasisMetrics.CACHE_REQUESTS;
        Set<String> hits = endpoint ? Set.of("hit") : Set.of("hit", "stale", "coalesced");
        String sel = kind + "=\"" + name + "\"";
        return share("cache hit rate of " + kind + " " + name, kind, name,
                () -> count(meter, tag(kind, name)),
                () -> count(meter, tags(kind, name, OasisMetrics.TAG_RESULT, hits)),
                r -> "100 * sum(rate(" + prom(meter) + "_total{" + sel + ",result=~\"" + String.join("|", hits)
                        + "\"}" + r + ")) / sum(rate(" + prom(meter) + "_total{" + sel + "}" + r + "))");
    }

    /** part / all (%) of two counters over the window; NaN below the minimum number of requests. */
    private Signal share(String description, String kind, String name, Supplier<double[]> all,
                         Supplier<double[]> part, Function<String, String> promql) {
        String allId = "all:" + description;
        String partId = "part:" + description;
        return of(description, "%", Map.of(kind, name),
                (history, retention) -> {
                    history.track(allId, retention, all);
                    history.track(partId, retention, part);
                },
                (history, window) -> {
                    MetricHistory.Increase total = history.increase(allId, window);
                    MetricHistory.Increase some = history.increase(partId, window);
                    if (total == null || some == null || total.values()[0] < minRequests) {
                        return Double.NaN;
                    }
                    return 100 * some.values()[0] / total.values()[0];
                },
                window -> promql.apply("[" + range(window) + "]"));
    }

    /** The growth of a counter per second over the window. */
    private static Signal rate(String id, String description, String unit, Map<String, String> subject,
                               Supplier<double[]> counter, Function<Duration, String> promql) {
        return of(description, unit, subject, (history, retention) -> history.track(id, retention, counter),
                (history, window) -> {
                    MetricHistory.Increase increase = history.increase(id, window);
                    return increase == null || increase.millis() == 0 ? Double.NaN
                            : increase.values()[0] * 1000.0 / increase.millis();
                }, promql);
    }

    /** An endpoint's answers per second. */
    public Signal throughput(String endpoint) {
        return rate("count:endpoint:" + endpoint, "throughput of endpoint " + endpoint, "req/s",
                Map.of(OasisMetrics.TAG_ENDPOINT, endpoint),
                () -> count(OasisMetrics.ENDPOINT_REQUESTS, tag(OasisMetrics.TAG_ENDPOINT, endpoint)),
                window -> "sum(rate(oasis_endpoint_requests_seconds_count{endpoint=\"" + endpoint + "\"}["
                        + range(window) + "]))");
    }

    /** How far (%) an endpoint's rate over the window fell below its rate over the longer baseline window. */
    public Signal throughputDrop(String endpoint, Duration baseline) {
        Signal rate = throughput(endpoint);
        return of("throughput drop of endpoint " + endpoint + " against its last " + range(baseline), "%",
                rate.subject(),
                (history, retention) -> rate.track(history, retention.compareTo(baseline) > 0 ? retention : baseline),
                (history, window) -> {
                    double before = rate.value(history, baseline);
                    double now = rate.value(history, window);
                    return Double.isNaN(before) || before * baseline.toSeconds() < minRequests ? Double.NaN
                            : 100 * (1 - now / before);
                },
                window -> "100 * (1 - " + rate.promql(window) + " / " + rate.promql(baseline) + ")");
    }

    /** 1 while the upstream's circuit breaker is open (the upstream is considered down), else 0. */
    public Signal breakerOpen(String upstream) {
        return gauge("breaker:" + upstream, "breaker of upstream " + upstream + " open", "",
                () -> new double[] {count(OasisMetrics.UPSTREAM_BREAKER_STATE,
                        tag(OasisMetrics.TAG_UPSTREAM, upstream))[0] == 1 ? 1 : 0},
                "max", w -> "max(max_over_time((oasis_upstream_breaker_state{upstream=\"" + upstream
                        + "\"} == bool 1)[" + range(w) + ":]))",
                Map.of(OasisMetrics.TAG_UPSTREAM, upstream));
    }

    /** The share (%) of the upstream's pool leased. */
    public Signal poolSaturation(String upstream, String aggregation) {
        Predicate<Meter.Id> which = tag(OasisMetrics.TAG_UPSTREAM, upstream);
        String sel = "{upstream=\"" + upstream + "\"}";
        return gauge("pool:" + upstream, "connection pool use of upstream " + upstream, "%", () -> {
            double max = count(OasisMetrics.UPSTREAM_POOL_MAX, which)[0];
            return new double[] {max <= 0 ? 0 : 100 * count(OasisMetrics.UPSTREAM_POOL_LEASED, which)[0] / max};
        }, aggregation, w -> overTime(aggregation, "(100 * sum(oasis_upstream_pool_leased" + sel
                + ") / sum(oasis_upstream_pool_max" + sel + "))", w), Map.of(OasisMetrics.TAG_UPSTREAM, upstream));
    }

    /** A meter a route registers: a counter's rate per second, or a gauge's value aggregated over the window. */
    public Signal custom(String meter, Map<String, String> tags, String aggregation) {
        Predicate<Meter.Id> which = id -> tags.entrySet().stream()
                .allMatch(e -> e.getValue().equals(id.getTag(e.getKey())));
        String id = "custom:" + meter + tags;
        String sel = tags.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .reduce((a, b) -> a + "," + b).map(s -> "{" + s + "}").orElse("");
        String shown = meter + (tags.isEmpty() ? "" : " " + tags);
        if ("rate".equals(aggregation)) {
            return rate(id, "rate of " + shown, "/s", Map.of("meter", meter), () -> count(meter, which),
                    window -> "sum(rate(" + prom(meter) + "_total" + sel + "[" + range(window) + "]))");
        }
        return gauge(id, aggregation + " of " + shown, "", () -> count(meter, which), aggregation,
                w -> overTime(aggregation, "sum(" + prom(meter) + sel + ")", w), Map.of("meter", meter));
    }

    private static String overTime(String aggregation, String expression, Duration window) {
        return switch (aggregation) {
            case "last" -> expression;
            default -> aggregation + "_over_time(" + expression + "[" + range(window) + ":])";
        };
    }

    /** A gauge sampled at each evaluation, aggregated over the samples inside the window. */
    private static Signal gauge(String id, String description, String unit, Supplier<double[]> reader,
                                String aggregation, Function<Duration, String> promql, Map<String, String> subject) {
        return of(description, unit, subject, (history, retention) -> history.track(id, retention, reader),
                (history, window) -> {
                    List<Double> values = history.values(id, window);
                    if (values.isEmpty()) {
                        return Double.NaN;
                    }
                    return switch (aggregation) {
                        case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                        case "avg" -> values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                        case "last" -> values.get(values.size() - 1);
                        default -> values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                    };
                }, promql);
    }

    /**
     * How fast an objective's error budget burns over a window: the share of bad answers divided by the share the
     * objective allows (1 spends the budget exactly over the objective's window).
     */
    public Signal burnRate(SloObjective objective) {
        return of("burn rate of " + objective.describe(), "x",
                Map.of(OasisMetrics.TAG_ENDPOINT, objective.endpoint(), "objective", objective.name()),
                objective::track,
                (history, window) -> {
                    double bad = objective.badShare(history, window);
                    return Double.isNaN(bad) ? Double.NaN : bad / objective.budget();
                },
                window -> "(" + objective.badSharePromql(range(window)) + ") / " + objective.budget() + " and "
                        + objective.enoughAnswersPromql(range(window)));
    }

    static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3g", value);
    }

    long minRequests() {
        return minRequests;
    }

    double[] countOf(String name, String kind, String value) {
        return count(name, tag(kind, value));
    }

    double[] countOf(String name, String kind, String value, String key2, Set<String> values2) {
        return count(name, tags(kind, value, key2, values2));
    }

    double[] histogramOf(String name, String kind, String value, double[][] bounds) {
        return histogram(name, tag(kind, value), bounds);
    }
}
