package io.oasis.alert;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.oasis.config.ConfigurationException;

import static io.oasis.alert.AlertRules.CHANNEL_TYPES;
import static io.oasis.alert.AlertRules.KEY;
import static io.oasis.alert.AlertRules.SEVERITIES;
import static io.oasis.alert.AlertRules.text;

/**
 * The {@code oasis.alerting} settings that no rule is made of, checked at startup: channels (their type and what
 * each needs), severities' channels, burn-rate windows, evaluation and delivery. A bad value stops startup naming
 * the key and the value; the rules themselves are {@link AlertRules}'.
 */
final class AlertingSettings {

    private AlertingSettings() {
    }

    static void check(AlertingProperties properties) {
        properties.severities().forEach((severity, names) -> {
            severity(KEY + ".severities", severity);
            names.forEach(n -> {
                if (!properties.channels().containsKey(n)) {
                    throw new ConfigurationException(KEY + ".severities." + severity, n, "no such channel",
                            "One of " + properties.channels().keySet() + " (oasis.alerting.channels).");
                }
            });
        });
        properties.channels().forEach((name, c) -> {
            String key = KEY + ".channels." + name;
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigurationException(key, name, "a channel name is letters, digits, - and _",
                        "It names the channel's queue and route (alert-channel-<name>), e.g. team-slack.");
            }
            String type = c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT);
            if (!CHANNEL_TYPES.contains(type)) {
                throw new ConfigurationException(key + ".type", c.type(), "not a channel type",
                        "One of " + new java.util.TreeSet<>(CHANNEL_TYPES) + ".");
            }
            switch (type) {
                case "slack" -> required(key + ".url", c.url(), "the incoming-webhook URL, from the environment");
                case "webhook" -> {
                    required(key + ".url", c.url(), "the URL to post to");
                    required(key + ".secret", c.secret(), "the HMAC-SHA256 key receivers check the body with");
                }
                case "pagerduty" -> {
                    required(key + ".url", c.url(), "the Events API v2 URL, https://events.pagerduty.com/v2/enqueue");
                    required(key + ".routing-key", c.routingKey(),
                            "the routing key of the PagerDuty integration, from the environment");
                }
                case "mail" -> {
                    required(key + ".host", c.host(), "the SMTP server");
                    required(key + ".from", c.from(), "the sender address");
                    if (c.to() == null || c.to().isEmpty()) {
                        throw new ConfigurationException(key + ".to", null, "a mail channel needs recipients",
                                "E.g. to: [oncall@example.com].");
                    }
                    if (!Set.of("starttls", "ssl", "none").contains(c.tls())) {
                        throw new ConfigurationException(key + ".tls", c.tls(), "not a TLS mode",
                                "starttls, ssl or none (none only inside a trusted network).");
                    }
                }
                default -> throw new IllegalStateException(type);
            }
            if (c.timeout() == null || c.timeout().isNegative() || c.timeout().isZero()) {
                throw new ConfigurationException(key + ".timeout", c.timeout() == null ? null : text(c.timeout()),
                    "must be positive", "E.g. 10s.");
            }
        });
        for (String severity : List.of("page", "ticket")) {
            AlertingProperties.Windows w = severity.equals("page") ? properties.burnRate().page()
                    : properties.burnRate().ticket();
            positive(KEY + ".burn-rate." + severity + ".short-window", w.shortWindow());
            positive(KEY + ".burn-rate." + severity + ".long-window", w.longWindow());
        }
        positive(KEY + ".evaluate-every", properties.evaluateEvery());
        positive(KEY + ".repeat-every", properties.repeatEvery());
        AlertingProperties.Delivery d = properties.delivery();
        if (d.queue() < 1 || d.attempts() < 1) {
            throw new ConfigurationException(KEY + ".delivery", "queue " + d.queue() + ", attempts " + d.attempts(),
                    "both must be at least 1", "E.g. queue: 500, attempts: 8.");
        }
    }

    private static void required(String key, String value, String what) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(key, value, "missing: " + what, "Set it, from the environment for "
                    + "secrets (e.g. ${OASIS_SLACK_WEBHOOK_URL}).");
        }
    }

    static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigurationException(key, value == null ? null : text(value), "must be positive", "E.g. 5m.");
        }
    }

    static String severity(String key, String severity) {
        String s = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(s)) {
            throw new ConfigurationException(key + ".severity", severity, "not a severity", "page, ticket or info.");
        }
        return s;
    }
}
