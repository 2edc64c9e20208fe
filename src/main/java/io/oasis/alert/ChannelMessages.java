package io.oasis.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What each channel receives, written from notifications: Slack text, mail, PagerDuty events, webhook JSON. */
public final class ChannelMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChannelMessages() {
    }

    /** One Slack message for a group: a block per notification. */
    public static String slack(List<Notification> group) {
        StringBuilder text = new StringBuilder();
        for (Notification n : group) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(n.firing() ? ":rotating_light: " : ":white_check_mark: ").append('*').append(n.headline())
                    .append("* (").append(n.severity()).append(")\n")
                    .append(n.condition()).append("\nNow: ").append(n.shownValue()).append(" · since ")
                    .append(n.since()).append(" · ").append(labels(n)).append('\n')
                    .append("<").append(n.dashboardUrl()).append("|Dashboard> · <").append(n.runbookUrl())
                    .append("|Runbook>");
        }
        return text.toString();
    }

    public static String mailSubject(List<Notification> group) {
        Notification first = group.get(0);
        return "[Oasis] " + first.status().toUpperCase(java.util.Locale.ROOT) + ": " + first.alert()
                + (group.size() > 1 ? " (+" + (group.size() - 1) + " more)" : "");
    }

    public static String mailBody(List<Notification> group) {
        StringBuilder text = new StringBuilder();
        for (Notification n : group) {
            text.append(n.headline()).append("\n\n")
                    .append("Severity:  ").append(n.severity()).append('\n')
                    .append("Condition: ").append(n.condition()).append('\n')
                    .append("Value:     ").append(n.shownValue()).append('\n')
                    .append("Since:     ").append(n.since()).append('\n')
                    .append("Labels:    ").append(labels(n)).append('\n')
                    .append("Dashboard: ").append(n.dashboardUrl()).append('\n')
                    .append("Runbook:   ").append(n.runbookUrl()).append("\n\n");
        }
        return text.toString();
    }

    /** A PagerDuty Events API v2 event: trigger while firing, resolve after, one dedup_key per alert. */
    public static String pagerDuty(Notification n, String routingKey, String source) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("event_action", n.firing() ? "trigger" : "resolve");
        event.put("dedup_key", n.dedupKey());
        if (n.firing()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            String summary = n.alert() + ": " + n.summary() + " (now " + n.shownValue() + ")";
            payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1024) : summary);
            payload.put("severity", switch (n.severity()) {
                case "page" -> "critical";
                case "ticket" -> "warning";
                default -> "info";
            });
            payload.put("source", source);
            payload.put("component", n.labels().getOrDefault("endpoint", n.labels().getOrDefault("upstream", "oasis")));
            payload.put("group", "oasis");
            payload.put("class", n.alert());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("condition", n.condition());
            details.put("value", n.shownValue());
            details.put("since", String.valueOf(n.since()));
            details.put("labels", n.labels());
            details.put("runbook", n.runbookUrl());
            payload.put("custom_details", details);
            event.put("payload", payload);
            event.put("links", List.of(Map.of("href", n.dashboardUrl(), "text", "Oasis dashboard"),
                    Map.of("href", n.runbookUrl(), "text", "Runbook: " + n.alert())));
        }
        return json(event);
    }

    /** The generic webhook's body: every notification of the group, as data. */
    public static String webhook(List<Notification> group, String source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", 1);
        body.put("source", source);
        body.put("notifications", group.stream().map(n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert", n.alert());
            m.put("status", n.status());
            m.put("repeat", n.repeat());
            m.put("severity", n.severity());
            m.put("summary", n.summary());
            m.put("condition", n.condition());
            m.put("value", Double.isNaN(n.value()) ? null : n.value());
            m.put("unit", n.unit());
            m.put("since", String.valueOf(n.since()));
            m.put("at", String.valueOf(n.at()));
            m.put("labels", n.labels());
            m.put("dashboardUrl", n.dashboardUrl());
            m.put("runbookUrl", n.runbookUrl());
            m.put("dedupKey", n.dedupKey());
            return m;
        }).toList());
        return json(body);
    }

    private static String labels(Notification n) {
        return n.labels().entrySet().stream().filter(e -> !e.getKey().equals("severity"))
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
