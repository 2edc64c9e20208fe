package io.oasis.alert;

import java.time.Duration;
import java.util.Set;

import io.oasis.observe.OasisMetrics;

/**
 * One objective of one endpoint, as a share of good answers: availability (not 5xx), latency (under a threshold:
 * "p95 < 150 ms" is "95 % of answers under 150 ms"), error rate (neither 5xx nor degraded), cache hit rate (whole
 * answers from cache). Its error budget is the share of bad answers it allows.
 */
public final class SloObjective {

    public enum Kind { AVAILABILITY, LATENCY, ERROR_RATE, CACHE_HIT_RATE }

    private final String endpoint;
    private final Kind kind;
    private final double target;
    private final Duration threshold;
    private final Duration window;
    private final Signals signals;
    private final String all;
    private final String bad;

    /**
     * @param target    the share of good answers, 0..1 (0.999)
     * @param threshold for latency, the time a good answer stays under
     * @param window    the rolling window of the error budget
     */
    public SloObjective(String endpoint, Kind kind, double target, Duration threshold, Duration window,
                        Signals signals) {
        this.endpoint = endpoint;
        this.kind = kind;
        this.target = target;
        this.threshold = threshold;
        this.window = window;
        this.signals = signals;
        this.all = "slo-all:" + endpoint + ":" + name();
        this.bad = "slo-bad:" + endpoint + ":" + name();
    }

    public String endpoint() {
        return endpoint;
    }

    public Kind kind() {
        return kind;
    }

    /** availability, latency-p95, error-rate, cache-hit-rate. */
    public String name() {
        return switch (kind) {
            case AVAILABILITY -> "availability";
            case LATENCY -> "latency-p" + Signals.format(target * 100);
            case ERROR_RATE -> "error-rate";
            case CACHE_HIT_RATE -> "cache-hit-rate";
        };
    }

    public double target() {
        return target;
    }

    public double budget() {
        return 1 - target;
    }

    public Duration window() {
        return window;
    }

    public String describe() {
        String share = Signals.format(target * 100) + " %";
        return switch (kind) {
            case AVAILABILITY -> "availability of endpoint " + endpoint + " (" + share + " of answers not 5xx)";
            case LATENCY -> "latency of endpoint " + endpoint + " (" + share + " of answers under "
                    + threshold.toMillis() + " ms)";
            case ERROR_RATE -> "error rate of endpoint " + endpoint + " (" + share + " of answers whole and not 5xx)";
            case CACHE_HIT_RATE -> "cache hit rate of endpoint " + endpoint + " (" + share + " of lookups hit)";
        };
    }

    void track(MetricHistory history, Duration retention) {
        Duration keep = retention.compareTo(window) > 0 ? retention : window;
        String e = OasisMetrics.TAG_ENDPOINT;
        switch (kind) {
            case AVAILABILITY -> {
                history.track(all, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint));
                history.track(bad, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint,
                        OasisMetrics.TAG_STATUS, Set.of("5xx")));
            }
            case ERROR_RATE -> {
                history.track(all, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint));
                history.track(bad, keep, () -> new double[] {
                    signals.countOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint, OasisMetrics.TAG_STATUS,
                            Set.of("5xx"))[0] + signals.countOf(OasisMetrics.ENDPOINT_DEGRADED, e, endpoint)[0]});
            }
            case CACHE_HIT_RATE -> {
                history.track(all, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_CACHE_REQUESTS, e, endpoint));
                history.track(bad, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_CACHE_REQUESTS, e, endpoint,
                        OasisMetrics.TAG_RESULT, Set.of("miss")));
            }
            case LATENCY -> {
                double[][] bounds = {new double[0]};
                double thresholdMs = threshold.toNanos() / 1e6;
                // two numbers per sample instead of the whole histogram: this series is kept for the budget window
                history.track(all, keep, () -> signals.countOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint));
                history.track(bad, keep, () -> {
                    double[] h = signals.histogramOf(OasisMetrics.ENDPOINT_REQUESTS, e, endpoint, bounds);
                    if (h.length < 2) {
                        return new double[] {0};
                    }
                    double[] cumulative = java.util.Arrays.copyOfRange(h, 1, h.length);
                    return new double[] {h[0] - Signals.atOrBelow(bounds[0], cumulative, thresholdMs)};
                });
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /**
     * The share (0..1) of bad answers over the window; NaN below the minimum number of requests, and below the
     * answers the budget needs to mean anything (1 / budget: a 99.9 % objective judges no fewer than 1000 answers,
     * so that one failure among the first twenty does not page as a 50x burn).
     */
    double badShare(MetricHistory history, Duration over) {
        MetricHistory.Increase total = history.increase(all, over);
        MetricHistory.Increase failed = history.increase(bad, over);
        if (total == null || failed == null
                || total.values()[0] < answersNeeded()) {
            return Double.NaN;
        }
        return Math.max(0, failed.values()[0]) / total.values()[0];
    }

    /** The share of the budget left over the objective's window: 1 untouched, 0 spent, below 0 overspent. */
    double budgetRemaining(MetricHistory history) {
        double share = badShare(history, window);
        return Double.isNaN(share) ? Double.NaN : 1 - share / budget();
    }

    String badSharePromql(String range) {
        String sel = "endpoint=\"" + endpoint + "\"";
        String count = "sum(rate(oasis_endpoint_requests_seconds_count{" + sel + "}[" + range + "]))";
        return switch (kind) {
            case AVAILABILITY -> "sum(rate(oasis_endpoint_requests_seconds_count{" + sel + ",status=\"5xx\"}["
                    + range + "])) / " + count;
            case ERROR_RATE -> "(sum(rate(oasis_endpoint_requests_seconds_count{" + sel + ",status=\"5xx\"}[" + range
                    + "])) + (sum(rate(oasis_endpoint_degraded_total{" + sel + "}[" + range + "])) or vector(0))) / "
                    + count;
            case CACHE_HIT_RATE -> "sum(rate(oasis_endpoint_cache_requests_total{" + sel + ",result=\"miss\"}["
                    + range + "])) / sum(rate(oasis_endpoint_cache_requests_total{" + sel + "}[" + range + "]))";
            case LATENCY -> "1 - sum(rate(oasis_endpoint_requests_seconds_bucket{" + sel + ",le=\""
                    + leLabel(threshold) + "\"}[" + range + "])) / " + count;
        };
    }

    /** The answers a window needs before its bad share means anything (see {@link #badShare}). */
    long answersNeeded() {
        return (long) Math.max(signals.minRequests(), Math.ceil(1 / budget() - 1e-9));
    }

    /** "There were enough answers in the window", in PromQL, to guard a burn-rate expression with {@code and}. */
    String enoughAnswersPromql(String range) {
        String meter = kind == Kind.CACHE_HIT_RATE ? "oasis_endpoint_cache_requests_total"
                : "oasis_endpoint_requests_seconds_count";
        return "sum(increase(" + meter + "{endpoint=\"" + endpoint + "\"}[" + range + "])) >= " + answersNeeded();
    }

    /** Micrometer's Prometheus bucket label of a threshold that is one of the SLO buckets, in seconds. */
    private static String leLabel(Duration threshold) {
        return String.valueOf(threshold.toNanos() / 1e9);
    }
}
