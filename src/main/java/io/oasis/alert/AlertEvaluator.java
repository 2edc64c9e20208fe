package io.oasis.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every alert through inactive -> pending -> firing -> resolved at each evaluation, on an injected clock,
 * and says which notifications are due: on firing, on resolve, and again every {@code repeatEvery} while firing.
 * One alert is notified once per transition however often it is evaluated (deduplicated); silenced alerts send
 * nothing, and a firing alert whose silence ends is notified at the next evaluation.
 */
public final class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    public enum Phase { INACTIVE, PENDING, FIRING }

    /** One alert as operators see it. */
    /** @param value the last value read, null when there was no data */
    public record AlertStatus(String name, String severity, Phase phase, Instant since, Double value, String unit,
                              String condition, Map<String, String> labels, boolean silenced, String runbookUrl) {
    }

    private static final class State {
        Phase phase = Phase.INACTIVE;
        Instant activeSince;
        Instant lastSent;
        boolean notified;
        double value = Double.NaN;
    }

    private final List<AlertRule> rules;
    private final MetricHistory history;
    private final Silences silences;
    private final Clock clock;
    private final Duration repeatEvery;
    private final String dashboardUrl;
    private final String runbookUrl;
    private final Map<String, State> states = new LinkedHashMap<>();

    public AlertEvaluator(List<AlertRule> rules, MetricHistory history, Silences silences, Clock clock,
                          Duration repeatEvery, String dashboardUrl, String runbookUrl) {
        this.rules = List.copyOf(rules);
        this.history = history;
        this.silences = silences;
        this.clock = clock;
        this.repeatEvery = repeatEvery;
        this.dashboardUrl = dashboardUrl;
        this.runbookUrl = runbookUrl;
        rules.forEach(rule -> states.put(rule.name(), new State()));
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Samples the meters, then evaluates every rule; returns the notifications due now. */
    public synchronized List<Notification> evaluate() {
        Instant now = clock.instant();
        history.sample(now.toEpochMilli());
        List<Notification> due = new ArrayList<>();
        for (AlertRule rule : rules) {
            State state = states.get(rule.name());
            double value = Double.NaN;
            boolean holds = true;
            for (int i = 0; i < rule.conditions().size(); i++) {
                AlertRule.Condition condition = rule.conditions().get(i);
                double v = condition.value(history);
                if (i == 0) {
                    value = v;
                }
                holds &= condition.holds(v);
            }
            state.value = value;
            boolean silenced = silences.silenced(rule.name(), rule.labels());
            if (holds) {
                if (state.phase == Phase.INACTIVE) {
                    state.phase = Phase.PENDING;
                    state.activeSince = now;
                }
                if (state.phase == Phase.PENDING
                        && !now.isBefore(state.activeSince.plus(rule.forDuration()))) {
                    state.phase = Phase.FIRING;
                    state.notified = false;
                    LOG.warn("alert {} firing: {} (now {})", rule.name(), rule.main().describe(), shown(rule, value));
                }
                if (state.phase == Phase.FIRING && !silenced) {
                    if (!state.notified) {
                        due.add(notification(rule, state, Notification.FIRING, false, now));
                    } else if (!now.isBefore(state.lastSent.plus(repeatEvery))) {
                        due.add(notification(rule, state, Notification.FIRING, true, now));
                    }
                }
            } else if (state.phase == Phase.FIRING) {
                LOG.info("alert {} resolved: {} (now {})", rule.name(), rule.main().describe(), shown(rule, value));
                if (state.notified && !silenced) {
                    due.add(notification(rule, state, Notification.RESOLVED, false, now));
                }
                state.phase = Phase.INACTIVE;
                state.notified = false;
                state.activeSince = null;
            } else {
                state.phase = Phase.INACTIVE;
                state.activeSince = null;
            }
        }
        return due;
    }

    private Notification notification(AlertRule rule, State state, String status, boolean repeat, Instant now) {
        state.notified = true;
        state.lastSent = now;
        String summary = rule.summary() != null ? rule.summary() : rule.main().describe();
        return new Notification(rule.name(), status, repeat, rule.severity(), rule.labels(),
                summary, rule.conditions().stream().map(AlertRule.Condition::describe)
                        .reduce((a, b) -> a + " and " + b).orElse(""),
                state.value, rule.main().signal().unit(), state.activeSince, now, dashboardUrl,
                runbookUrl + "#" + rule.runbook(), "oasis/" + rule.name(), rule.channels());
    }

    private static String shown(AlertRule rule, double value) {
        return Double.isNaN(value) ? "no data" : Signals.format(value) + " " + rule.main().signal().unit();
    }

    /** Every alert and where it stands, firing first. */
    public synchronized List<AlertStatus> status() {
        List<AlertStatus> all = new ArrayList<>();
        for (AlertRule rule : rules) {
            State state = states.get(rule.name());
            all.add(new AlertStatus(rule.name(), rule.severity(), state.phase, state.activeSince,
                    Double.isNaN(state.value) ? null : state.value,
                    rule.main().signal().unit(), rule.conditions().stream().map(AlertRule.Condition::describe)
                    .reduce((a, b) -> a + " and " + b).orElse(""), rule.labels(),
                    silences.silenced(rule.name(), rule.labels()), runbookUrl + "#" + rule.runbook()));
        }
        all.sort(java.util.Comparator.comparing((AlertStatus s) -> -s.phase().ordinal()));
        return all;
    }
}
