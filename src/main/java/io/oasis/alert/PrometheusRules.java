package io.oasis.alert;

import java.util.List;
import java.util.Map;

/**
 * The same rules as Prometheus alerting rules (PromQL over Oasis' metrics, summed over every instance), for fleets
 * that alert through Alertmanager: one group, one rule per alert, its labels and links as annotations.
 */
public final class PrometheusRules {

    private PrometheusRules() {
    }

    public static String yaml(List<AlertRule> rules, String dashboardUrl, String runbookUrl) {
        StringBuilder out = new StringBuilder();
        out.append("# Oasis alerting rules, generated from oasis.alerting (GET /admin/alerts/prometheus-rules).\n")
                .append("# Load them in Prometheus (rule_files) and let Alertmanager route them by severity.\n")
                .append("groups:\n")
                .append("  - name: oasis\n")
                .append("    rules:\n");
        for (AlertRule rule : rules) {
            String expr = rule.conditions().stream().map(AlertRule.Condition::promql)
                    .reduce((a, b) -> a + " and " + b).orElseThrow();
            out.append("      - alert: ").append(quoted(alertName(rule.name()))).append('\n')
                    .append("        expr: ").append(quoted(expr)).append('\n');
            if (!rule.forDuration().isZero()) {
                out.append("        for: ").append(AlertRules.text(rule.forDuration())).append('\n');
            }
            out.append("        labels:\n")
                    .append("          oasis_alert: ").append(quoted(rule.name())).append('\n');
            for (Map.Entry<String, String> label : rule.labels().entrySet()) {
                out.append("          ").append(label.getKey().replace('-', '_')).append(": ")
                        .append(quoted(label.getValue())).append('\n');
            }
            String summary = rule.summary() != null ? rule.summary() : rule.main().describe();
            out.append("        annotations:\n")
                    .append("          summary: ").append(quoted(summary + " (now {{ $value | humanize }})"))
                    .append('\n')
                    .append("          condition: ").append(quoted(rule.conditions().stream()
                            .map(AlertRule.Condition::describe).reduce((a, b) -> a + " and " + b).orElse("")))
                    .append('\n')
                    .append("          runbook_url: ").append(quoted(runbookUrl + "#" + rule.runbook())).append('\n')
                    .append("          dashboard_url: ").append(quoted(dashboardUrl)).append('\n');
        }
        return out.toString();
    }

    /** Prometheus alert names read best as identifiers: dashboard-latency-p95 -> OasisDashboardLatencyP95. */
    static String alertName(String name) {
        StringBuilder out = new StringBuilder("Oasis");
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    /** A YAML single-quoted scalar: nothing in it is special but the quote, which doubles. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
