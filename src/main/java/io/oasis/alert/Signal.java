package io.oasis.alert;

import java.time.Duration;
import java.util.Map;

/**
 * A number an alert watches, computed from this instance's meters over a window, and the same number in PromQL
 * for fleets that alert through Prometheus.
 */
public interface Signal {

    /** Registers the series it reads, kept at least {@code retention}. */
    void track(MetricHistory history, Duration retention);

    /** The value over the window ending now; NaN when there is nothing to judge (no traffic, too few requests). */
    double value(MetricHistory history, Duration window);

    /** What it is, in words: "p95 latency of endpoint dashboard". */
    String describe();

    /** The unit of {@link #value}: ms, %, req/s, or empty. */
    String unit();

    /** The value as a PromQL expression over Oasis' metrics, summed over instances. */
    String promql(Duration window);

    /** The endpoint or upstream it watches, as labels of its alerts. */
    Map<String, String> subject();
}
