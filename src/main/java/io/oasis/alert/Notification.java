package io.oasis.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a person on call reads: what fired, its value against the threshold over the window, the endpoint or
 * upstream, since when, and where to look (the dashboard page, the runbook entry).
 *
 * @param status     firing or resolved
 * @param repeat     a reminder of an alert already notified
 * @param dedupKey   stable for one alert (PagerDuty's dedup_key): the same on every instance and every repeat
 */
public record Notification(String alert, String status, boolean repeat, String severity, Map<String, String> labels,
                           String summary, String condition, double value, String unit, Instant since, Instant at,
                           String dashboardUrl, String runbookUrl, String dedupKey, List<String> channels) {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public boolean firing() {
        return FIRING.equals(status);
    }

    /** "dashboard-latency-p95 firing: p95 latency of endpoint dashboard over 5m above 200 ms (now 240 ms)". */
    public String headline() {
        return "[" + status.toUpperCase(java.util.Locale.ROOT) + (repeat ? ", still" : "") + "] " + alert + ": "
                + summary;
    }

    /** The value as read, with its unit, or "no data". */
    public String shownValue() {
        return Double.isNaN(value) ? "no data" : Signals.format(value) + (unit.isEmpty() ? "" : " " + unit);
    }
}
