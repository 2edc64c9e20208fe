package io.oasis.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.observe.OasisMetrics;

/**
 * What the alerting route calls at each tick ({@code routes/alerting/alert-evaluation.camel.yaml}): evaluate, hand
 * the due notifications to their channels, and publish each objective's budget and burn rates as gauges. Also what
 * operators read: alerts, silences and objectives (admin API, JMX, the dashboard page).
 */
public final class Alerting {

    /** The windows burn rates are published over. */
    static final List<Duration> BURN_WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(6));

    private final AlertingProperties properties;
    private final AlertEvaluator evaluator;
    private final AlertDispatcher dispatcher;
    private final Silences silences;
    private final List<SloObjective> objectives;
    private final MetricHistory history;
    private final Map<String, Double> published = new ConcurrentHashMap<>();
    private final Map<String, Integer> firing = new ConcurrentHashMap<>();

    public Alerting(AlertingProperties properties, AlertEvaluator evaluator, AlertDispatcher dispatcher,
                    Silences silences, List<SloObjective> objectives, MetricHistory history, MeterRegistry registry) {
        this.properties = properties;
        this.evaluator = evaluator;
        this.dispatcher = dispatcher;
        this.silences = silences;
        this.objectives = objectives;
        this.history = history;
        for (SloObjective o : objectives) {
            String key = o.endpoint() + "/" + o.name();
            Gauge.builder(OasisMetrics.SLO_BUDGET_REMAINING, published, p -> p.getOrDefault(key, Double.NaN))
                    .tag(OasisMetrics.TAG_ENDPOINT, o.endpoint()).tag(OasisMetrics.TAG_OBJECTIVE, o.name())
                    .description("error budget left over the objective's window, as this instance saw it")
                    .register(registry);
            for (Duration w : BURN_WINDOWS) {
                String burnKey = key + "/" + AlertRules.text(w);
                Gauge.builder(OasisMetrics.SLO_BURN_RATE, published, p -> p.getOrDefault(burnKey, Double.NaN))
                        .tag(OasisMetrics.TAG_ENDPOINT, o.endpoint()).tag(OasisMetrics.TAG_OBJECTIVE, o.name())
                        .tag(OasisMetrics.TAG_WINDOW, AlertRules.text(w))
                        .description("how fast the error budget burns; 1 spends it exactly over the window")
                        .register(registry);
            }
        }
        for (String severity : AlertRules.SEVERITIES) {
            Gauge.builder(OasisMetrics.ALERTS_FIRING, firing, f -> f.getOrDefault(severity, 0))
                    .tag(OasisMetrics.TAG_SEVERITY, severity).description("alerts firing now").register(registry);
        }
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** One tick: evaluate, dispatch, publish. */
    public void evaluate() {
        if (!properties.enabled()) {
            return;
        }
        dispatcher.dispatch(evaluator.evaluate());
        for (SloObjective o : objectives) {
            String key = o.endpoint() + "/" + o.name();
            published.put(key, o.budgetRemaining(history));
            for (Duration w : BURN_WINDOWS) {
                double bad = o.badShare(history, w);
                published.put(key + "/" + AlertRules.text(w), Double.isNaN(bad) ? Double.NaN : bad / o.budget());
            }
        }
        Map<String, Integer> now = new LinkedHashMap<>();
        evaluator.status().stream().filter(s -> s.phase() == AlertEvaluator.Phase.FIRING)
                .forEach(s -> now.merge(s.severity(), 1, Integer::sum));
        AlertRules.SEVERITIES.forEach(s -> firing.put(s, now.getOrDefault(s, 0)));
    }

    public List<AlertEvaluator.AlertStatus> alerts() {
        return evaluator.status();
    }

    public List<AlertRule> rules() {
        return evaluator.rules();
    }

    public Silences silences() {
        return silences;
    }

    /** Each objective with its budget left and burn rates, as last evaluated. */
    public List<Map<String, Object>> objectives() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (SloObjective o : objectives) {
            String key = o.endpoint() + "/" + o.name();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", o.endpoint());
            m.put("objective", o.name());
            m.put("description", o.describe());
            m.put("target", o.target());
            m.put("window", AlertRules.text(o.window()));
            m.put("budgetRemaining", finite(published.get(key)));
            Map<String, Object> burn = new LinkedHashMap<>();
            for (Duration w : BURN_WINDOWS) {
                burn.put(AlertRules.text(w), finite(published.get(key + "/" + AlertRules.text(w))));
            }
            m.put("burnRate", burn);
            all.add(m);
        }
        return all;
    }

    private static Double finite(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null : value;
    }
}
