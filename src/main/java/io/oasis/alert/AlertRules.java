package io.oasis.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.oasis.config.ConfigurationException;
import io.oasis.observe.EndpointMetrics;
import io.oasis.observe.OasisMetrics;

/**
 * Turns {@code oasis.alerting} into rules and objectives: the built-in rules for every endpoint and upstream, the
 * objectives of every endpoint with their burn-rate alerts, and the configured rules, which replace a built-in of
 * the same name ({@code metric: off} removes one). Every bad value stops startup naming its key.
 */
public final class AlertRules {

    static final String KEY = "oasis.alerting";
    static final Set<String> SEVERITIES = Set.of("page", "ticket", "info");
    static final Set<String> METRICS = Set.of("latency", "error-rate", "throughput", "throughput-drop",
            "cache-hit-rate", "breaker-open", "pool-saturation", "custom", "off");
    static final Set<String> CHANNEL_TYPES = Set.of("slack", "mail", "pagerduty", "webhook");

    private final AlertingProperties properties;
    private final Signals signals;
    private final Collection<String> endpoints;
    private final Collection<String> upstreams;
    private final Set<String> answerCached;
    private final MetricHistory history;
    private final List<SloObjective> objectives = new ArrayList<>();
    private final Map<String, AlertRule> rules = new LinkedHashMap<>();

    /**
     * @param history      where the rules register the series they read, as they are made
     * @param answerCached the endpoints that keep whole answers: the cache-hit-rate objective applies to them
     */
    public AlertRules(AlertingProperties properties, Signals signals, MetricHistory history,
                      Collection<String> endpoints, Collection<String> upstreams, Set<String> answerCached) {
        this.properties = properties;
        this.signals = signals;
        this.history = history;
        this.endpoints = endpoints;
        this.upstreams = upstreams;
        this.answerCached = answerCached;
        AlertingSettings.check(properties);
        if (properties.builtIn().enabled()) {
            builtIn();
        }
        buildObjectives();
        properties.rules().forEach(this::configured);
    }

    public List<AlertRule> rules() {
        return List.copyOf(rules.values());
    }

    public List<SloObjective> objectives() {
        return objectives;
    }

    // --- built-in rules ---------------------------------------------------------------------------------------

    private void builtIn() {
        AlertingProperties.BuiltIn b = properties.builtIn();
        for (String endpoint : endpoints) {
            add(endpoint + "-latency-p95", List.of(new AlertRule.Condition(
                    signals.latency(OasisMetrics.TAG_ENDPOINT, endpoint, 95), Duration.ofMinutes(5), true,
                    b.endpointLatency().toMillis())), b.endpointLatencyFor(), "page", Map.of(), null,
                    "endpoint-latency", null);
            add(endpoint + "-error-rate", List.of(new AlertRule.Condition(
                    signals.errorRate(OasisMetrics.TAG_ENDPOINT, endpoint), Duration.ofMinutes(1), true,
                    b.endpointErrorRate())), b.endpointErrorRateFor(), "page", Map.of(), null,
                    "endpoint-error-rate", null);
        }
        for (String upstream : upstreams) {
            add(upstream + "-breaker-open", List.of(new AlertRule.Condition(signals.breakerOpen(upstream),
                    properties.evaluateEvery(), true, 0)), b.breakerOpenFor(), "ticket", Map.of(), null,
                    "upstream-breaker-open", "the circuit breaker of upstream " + upstream + " is open: its parts "
                            + "answer with their fallback policy");
            add(upstream + "-pool-saturation", List.of(new AlertRule.Condition(
                    signals.poolSaturation(upstream, "avg"), Duration.ofMinutes(1), true, b.poolSaturation())),
                    b.poolSaturationFor(), "ticket", Map.of(), null, "upstream-pool-saturation", null);
        }
    }

    // --- objectives and their burn-rate alerts ----------------------------------------------------------------

    private void buildObjectives() {
        AlertingProperties.Slo defaults = properties.slos().getOrDefault("defaults",
                new AlertingProperties.Slo(null, null, null, null, null));
        for (String name : properties.slos().keySet()) {
            if (!name.equals("defaults") && !endpoints.contains(name)) {
                throw new ConfigurationException(KEY + ".slos." + name, name, "no such endpoint",
                        "Objectives are per endpoint: one of " + endpoints + ", or 'defaults' for all of them.");
            }
        }
        for (String endpoint : endpoints) {
            String key = KEY + ".slos." + endpoint;
            AlertingProperties.Slo own = properties.slos().getOrDefault(endpoint,
                    new AlertingProperties.Slo(null, null, null, null, null));
            Duration window = own.window() != null ? own.window()
                    : defaults.window() != null ? defaults.window() : Duration.ofDays(30);
            if (window.isNegative() || window.isZero()) {
                throw new ConfigurationException(key + ".window", text(window), "must be positive", "E.g. 30d.");
            }
            String availability = own.availability() != null ? own.availability() : defaults.availability();
            if (isSet(availability)) {
                objective(key + ".availability", endpoint, SloObjective.Kind.AVAILABILITY,
                        percent(key + ".availability", availability), null, window);
            }
            String errorRate = own.errorRate() != null ? own.errorRate() : defaults.errorRate();
            if (isSet(errorRate)) {
                // the objective counts good answers: 0.1 % errors allowed is 99.9 % good
                objective(key + ".error-rate", endpoint, SloObjective.Kind.ERROR_RATE,
                        100 - percent(key + ".error-rate", errorRate), null, window);
            }
            String hitRate = own.cacheHitRate() != null ? own.cacheHitRate() : defaults.cacheHitRate();
            if (answerCached.contains(endpoint) && isSet(hitRate)) {
                objective(key + ".cache-hit-rate", endpoint, SloObjective.Kind.CACHE_HIT_RATE,
                        percent(key + ".cache-hit-rate", hitRate), null, window);
            }
            Map<String, Duration> latency = own.latency() != null ? own.latency() : defaults.latency();
            if (latency != null) {
                latency.forEach((percentile, threshold) -> latency(key + ".latency." + percentile, endpoint,
                        percentile, threshold, window));
            }
        }
    }

    private void latency(String key, String endpoint, String percentile, Duration threshold, Duration window) {
        if (threshold == null) {
            return;
        }
        double p = percent(key, percentile.toLowerCase(Locale.ROOT).replaceFirst("^p", ""));
        if (!EndpointMetrics.SLO_BUCKETS.contains(threshold)) {
            throw new ConfigurationException(key, threshold.toMillis() + "ms", "not one of the latency buckets",
                    "Use one of " + EndpointMetrics.SLO_BUCKETS.stream().map(d -> d.toMillis() + "ms").toList()
                            + ": the share under the threshold is then exact, here and in Prometheus.");
        }
        objective(key, endpoint, SloObjective.Kind.LATENCY, p, threshold, window);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** @param percent the share of good answers, in % */
    private void objective(String key, String endpoint, SloObjective.Kind kind, double percent, Duration threshold,
                           Duration window) {
        double share = Math.round(percent * 10_000) / 1_000_000.0; // 99.9 -> 0.999, not 0.99900..01
        if (share <= 0 || share >= 1) {
            throw new ConfigurationException(key, Signals.format(percent) + " %",
                    "an objective is a share above 0 and below 100 %", "E.g. 99.9 (%).");
        }
        SloObjective objective = new SloObjective(endpoint, kind, share, threshold, window, signals);
        objective.track(history, window);
        objectives.add(objective);
        if (kind == SloObjective.Kind.CACHE_HIT_RATE) {
            add(endpoint + "-cache-hit-rate", List.of(new AlertRule.Condition(
                    signals.cacheHitRate(OasisMetrics.TAG_ENDPOINT, endpoint), Duration.ofHours(1), false,
                    share * 100)), Duration.ofMinutes(15), "ticket", Map.of("objective", objective.name()), null,
                    "cache-hit-rate", null);
            return;
        }
        AlertingProperties.BurnRate burn = properties.burnRate();
        if (!burn.enabled()) {
            return;
        }
        Signal rate = signals.burnRate(objective);
        for (String severity : List.of("page", "ticket")) {
            AlertingProperties.Windows w = severity.equals("page") ? burn.page() : burn.ticket();
            if (objective.budget() * w.factor() >= 1) {
                continue; // a budget this wide cannot burn that fast: the percentile rules watch it instead
            }
            add(endpoint + "-" + objective.name() + "-burn-" + severity, List.of(
                    new AlertRule.Condition(rate, w.shortWindow(), true, w.factor()),
                    new AlertRule.Condition(rate, w.longWindow(), true, w.factor())), Duration.ZERO, severity,
                    Map.of("objective", objective.name()), null, "slo-burn-rate",
                    objective.describe() + ": the error budget burns " + Signals.format(w.factor())
                            + "x too fast over " + text(w.shortWindow()) + " and " + text(w.longWindow()));
        }
    }

    // --- configured rules -------------------------------------------------------------------------------------

    private void configured(String name, AlertingProperties.Rule rule) {
        String key = KEY + ".rules." + name;
        String metric = rule.metric() == null ? null : rule.metric().toLowerCase(Locale.ROOT);
        if (metric == null || !METRICS.contains(metric)) {
            throw new ConfigurationException(key + ".metric", rule.metric(), "not a metric rules can watch",
                    "One of " + new java.util.TreeSet<>(METRICS) + ".");
        }
        if (metric.equals("off")) {
            rules.remove(name);
            return;
        }
        Signal signal = signal(key, metric, rule);
        if (rule.threshold() == null) {
            throw new ConfigurationException(key + ".threshold", null, "a rule needs a threshold",
                    "In " + signal.unit() + " for " + metric + ", e.g. threshold: 200.");
        }
        String comparison = rule.comparison().toLowerCase(Locale.ROOT);
        if (!comparison.equals("above") && !comparison.equals("below")) {
            throw new ConfigurationException(key + ".comparison", rule.comparison(), "neither above nor below",
                    "above or below.");
        }
        AlertingSettings.positive(key + ".window", rule.window());
        if (rule.forDuration().isNegative()) {
            throw new ConfigurationException(key + ".for", text(rule.forDuration()), "must not be negative",
                    "E.g. 5m.");
        }
        add(name, List.of(new AlertRule.Condition(signal, rule.window(), comparison.equals("above"),
                rule.threshold())), rule.forDuration(), AlertingSettings.severity(key, rule.severity()), rule.labels(),
                channels(key, rule.channels()), rule.runbook() == null ? "custom-rules" : rule.runbook(),
                rule.summary());
    }

    private Signal signal(String key, String metric, AlertingProperties.Rule rule) {
        return switch (metric) {
            case "latency" -> {
                if (rule.percentile() == null || rule.percentile() <= 0 || rule.percentile() >= 100) {
                    throw new ConfigurationException(key + ".percentile", rule.percentile(),
                            "latency needs a percentile above 0 and below 100", "E.g. percentile: 95.");
                }
                String[] subject = subject(key, rule, true);
                yield signals.latency(subject[0], subject[1], rule.percentile());
            }
            case "error-rate" -> {
                String[] subject = subject(key, rule, true);
                yield signals.errorRate(subject[0], subject[1]);
            }
            case "cache-hit-rate" -> {
                String[] subject = subject(key, rule, true);
                yield signals.cacheHitRate(subject[0], subject[1]);
            }
            case "throughput" -> signals.throughput(endpoint(key, rule));
            case "throughput-drop" -> {
                Duration baseline = rule.baseline() == null ? Duration.ofHours(1) : rule.baseline();
                if (baseline.compareTo(rule.window()) <= 0) {
                    throw new ConfigurationException(key + ".baseline", text(baseline), "must be longer than the "
                            + "window " + text(rule.window()), "E.g. window: 5m, baseline: 1h.");
                }
                yield signals.throughputDrop(endpoint(key, rule), baseline);
            }
            case "breaker-open" -> signals.breakerOpen(upstream(key, rule));
            case "pool-saturation" -> signals.poolSaturation(upstream(key, rule), aggregation(key, rule, "avg"));
            case "custom" -> {
                if (rule.meter() == null || rule.meter().isBlank()) {
                    throw new ConfigurationException(key + ".meter", null, "a custom rule names its meter",
                            "The Micrometer name a route registers, e.g. meter: shop.orders.placed.");
                }
                yield signals.custom(rule.meter(), rule.tags() == null ? Map.of() : rule.tags(),
                        aggregation(key, rule, "rate"));
            }
            default -> throw new IllegalStateException(metric);
        };
    }

    private String aggregation(String key, AlertingProperties.Rule rule, String otherwise) {
        String aggregation = rule.aggregation() == null ? otherwise : rule.aggregation().toLowerCase(Locale.ROOT);
        if (!Set.of("max", "min", "avg", "last", "rate").contains(aggregation)) {
            throw new ConfigurationException(key + ".aggregation", rule.aggregation(), "not an aggregation",
                    "max, min, avg or last for gauges; rate for counters.");
        }
        return aggregation;
    }

    private String[] subject(String key, AlertingProperties.Rule rule, boolean upstreamAllowed) {
        if (rule.upstream() != null && upstreamAllowed) {
            return new String[] {OasisMetrics.TAG_UPSTREAM, upstream(key, rule)};
        }
        return new String[] {OasisMetrics.TAG_ENDPOINT, endpoint(key, rule)};
    }

    private String endpoint(String key, AlertingProperties.Rule rule) {
        if (rule.endpoint() == null || !endpoints.contains(rule.endpoint())) {
            throw new ConfigurationException(key + ".endpoint", rule.endpoint(), "no such endpoint",
                    "One of " + endpoints + ".");
        }
        return rule.endpoint();
    }

    private String upstream(String key, AlertingProperties.Rule rule) {
        if (rule.upstream() == null || !upstreams.contains(rule.upstream())) {
            throw new ConfigurationException(key + ".upstream", rule.upstream(), "no such upstream",
                    "One of " + upstreams + ".");
        }
        return rule.upstream();
    }

    private List<String> channels(String key, List<String> channels) {
        if (channels == null) {
            return null;
        }
        for (String channel : channels) {
            if (!properties.channels().containsKey(channel)) {
                throw new ConfigurationException(key + ".channels", channel, "no such channel",
                        "One of " + properties.channels().keySet() + " (oasis.alerting.channels).");
            }
        }
        return List.copyOf(channels);
    }

    private void add(String name, List<AlertRule.Condition> conditions, Duration forDuration, String severity,
                     Map<String, String> labels, List<String> channels, String runbook, String summary) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        conditions.get(0).signal().subject().forEach(all::putIfAbsent);
        all.put("severity", severity);
        List<String> to = channels != null ? channels : properties.severities().getOrDefault(severity, List.of());
        conditions.forEach(c -> c.signal().track(history, longest(c.window(), forDuration)));
        rules.put(name, new AlertRule(name, conditions, forDuration, severity, Map.copyOf(all), to, runbook,
                summary));
    }

    private static double percent(String key, String value) {
        try {
            return Double.parseDouble(value.strip().replace("%", "").strip());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, value, "not a percentage", "E.g. 99.9 or 99.9%.");
        }
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** 5m, 1h, 30d, 15s. */
    static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
