package io.oasis.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A rule, ready to evaluate: every condition must hold (a burn-rate alert has two windows) for {@code forDuration}
 * before it fires.
 *
 * @param name        unique, e.g. dashboard-latency-p95; the alert's identity in notifications and silences
 * @param severity    page, ticket or info
 * @param labels      the rule's labels plus its subject (endpoint or upstream)
 * @param channels    where its notifications go
 * @param runbook     the anchor of its entry in docs/runbook.md
 * @param summary     one line for people, or null for the generated one
 */
public record AlertRule(String name, List<Condition> conditions, Duration forDuration, String severity,
                        Map<String, String> labels, List<String> channels, String runbook, String summary) {

    /** A signal over a window compared with a threshold. */
    public record Condition(Signal signal, Duration window, boolean above, double threshold) {

        /** The value now, or NaN. */
        public double value(MetricHistory history) {
            return signal.value(history, window);
        }

        public boolean holds(double value) {
            return !Double.isNaN(value) && (above ? value > threshold : value < threshold);
        }

        /** "p95 latency of endpoint dashboard over 5m above 200 ms". */
        public String describe() {
            return signal.describe() + " over " + AlertRules.text(window) + " " + (above ? "above " : "below ")
                    + Signals.format(threshold) + (signal.unit().isEmpty() ? "" : " " + signal.unit());
        }

        public String promql() {
            return "(" + signal.promql(window) + ") " + (above ? ">" : "<") + " " + threshold;
        }
    }

    /** The first condition's signal, the one notifications report. */
    public Condition main() {
        return conditions.get(0);
    }
}
