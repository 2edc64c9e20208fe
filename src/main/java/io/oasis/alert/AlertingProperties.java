package io.oasis.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * {@code oasis.alerting}: objectives, rules and where their notifications go. docs/alerting.md explains each key;
 * {@link AlertRules} checks them at startup and names the key of a bad value.
 *
 * @param enabled        off: no evaluation, no notification (metrics and the Prometheus export stay)
 * @param evaluateEvery  how often the alerting route reads this instance's meters and moves the alerts
 * @param repeatEvery    a firing alert is notified again this often until it resolves
 * @param minRequests    a rate over fewer requests than this is no signal (one error in three is not 33 %)
 * @param dashboardUrl   the link in every notification
 * @param runbookUrl     docs/runbook.md as your operators reach it (Oasis serves it at /admin/runbook); each alert
 *                       links to its entry (#anchor)
 * @param builtIn        the built-in rules for every endpoint and upstream (docs/runbook.md lists them)
 * @param burnRate       the multi-window burn-rate alerts generated from every objective
 * @param severities     the channels of each severity, for rules that name none
 * @param slos           objectives per endpoint; {@code defaults} applies to every endpoint
 * @param rules          your own rules, by name
 * @param channels       where notifications go, by name
 * @param delivery       retries and queue of every channel
 */
@ConfigurationProperties("oasis.alerting")
public record AlertingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("15s") Duration evaluateEvery,
        @DefaultValue("4h") Duration repeatEvery,
        @DefaultValue("20") long minRequests,
        @DefaultValue("http://localhost:8080/admin/dashboard") String dashboardUrl,
        @DefaultValue("http://localhost:8080/admin/runbook") String runbookUrl,
        @DefaultValue BuiltIn builtIn,
        @DefaultValue BurnRate burnRate,
        @DefaultValue Map<String, List<String>> severities,
        @DefaultValue Map<String, Slo> slos,
        @DefaultValue Map<String, Rule> rules,
        @DefaultValue Map<String, Channel> channels,
        @DefaultValue Delivery delivery) {

    /**
     * @param endpointLatency     p95 above this for {@code endpointLatencyFor} pages
     * @param endpointErrorRate   error answers above this share (%) for {@code endpointErrorRateFor} pages
     * @param breakerOpenFor      an upstream's breaker open this long opens a ticket
     * @param poolSaturation      an upstream's pool leased above this share (%) for {@code poolSaturationFor}
     */
    public record BuiltIn(@DefaultValue("true") boolean enabled,
                          @DefaultValue("200ms") Duration endpointLatency,
                          @DefaultValue("5m") Duration endpointLatencyFor,
                          @DefaultValue("1") double endpointErrorRate,
                          @DefaultValue("1m") Duration endpointErrorRateFor,
                          @DefaultValue("1m") Duration breakerOpenFor,
                          @DefaultValue("90") double poolSaturation,
                          @DefaultValue("5m") Duration poolSaturationFor) {
    }

    /** Page when both windows burn the budget faster than the factor; ticket likewise over longer windows. */
    public record BurnRate(@DefaultValue("true") boolean enabled,
                           @DefaultValue Windows page,
                           @DefaultValue Windows ticket) {

        public BurnRate {
            page = page.factor() > 0 ? page : new Windows(Duration.ofMinutes(5), Duration.ofHours(1), 14.4);
            ticket = ticket.factor() > 0 ? ticket : new Windows(Duration.ofMinutes(30), Duration.ofHours(6), 6);
        }
    }

    public record Windows(Duration shortWindow, Duration longWindow, @DefaultValue("0") double factor) {
    }

    /**
     * An endpoint's objectives; a blank value switches one off.
     *
     * @param availability  share (%) of answers that are not 5xx
     * @param latency       percentile -> threshold, e.g. {p95: 150ms}: that share of answers under that time
     * @param errorRate     share (%) of answers that may be errors: 5xx, or 200 with a part failed or defaulted
     * @param cacheHitRate  share (%) of cache lookups answered from cache; for endpoints with cached parts
     * @param window        the rolling window of the error budget (this instance's memory of it)
     */
    public record Slo(String availability, Map<String, Duration> latency, String errorRate, String cacheHitRate,
                      Duration window) {
    }

    /**
     * One rule. {@code metric}: latency, error-rate, throughput, throughput-drop, cache-hit-rate, breaker-open,
     * pool-saturation, or custom (a meter a route registers, by {@code meter} and {@code tags}).
     *
     * @param endpoint     the endpoint it watches (latency, error-rate, throughput, throughput-drop, cache-hit-rate)
     * @param upstream     or the upstream (latency, error-rate, cache-hit-rate, breaker-open, pool-saturation)
     * @param percentile   for latency, e.g. 95
     * @param comparison   above or below
     * @param threshold    ms for latency, % for rates and shares, req/s for throughput, the meter's unit for custom
     * @param window       the span the value is computed over
     * @param aggregation  for gauges over the window: max, min, avg, last; for counters: rate (per second)
     * @param baseline     for throughput-drop: the longer window the current rate is compared with
     * @param forDuration  the condition must hold this long before the alert fires (key: for)
     */
    public record Rule(String metric, String endpoint, String upstream, String meter, Map<String, String> tags,
                       Double percentile, @DefaultValue("above") String comparison, Double threshold,
                       @DefaultValue("5m") Duration window, String aggregation, Duration baseline,
                       @Name("for") @DefaultValue("0s") Duration forDuration, @DefaultValue("ticket") String severity,
                       @DefaultValue Map<String, String> labels, List<String> channels, String summary,
                       String runbook) {
    }

    /**
     * A channel. {@code type}: slack, mail, pagerduty, webhook. Credentials come from the environment.
     *
     * @param url         slack: the incoming-webhook URL; pagerduty: the Events API v2 URL; webhook: the receiver
     * @param channel     slack: e.g. #oasis-alerts
     * @param routingKey  pagerduty: the integration's routing key
     * @param secret      webhook: the HMAC-SHA256 key (X-Oasis-Signature over timestamp.body)
     * @param tls         mail: starttls (required), ssl (implicit, smtps) or none
     * @param trustStore  mail: a PKCS12 file of the certificates to trust (a private CA); none: the JVM's
     */
    public record Channel(String type, String url, String channel, String routingKey, String secret,
                          String host, @DefaultValue("587") int port, String username, String password,
                          @DefaultValue("starttls") String tls, String from, List<String> to,
                          @DefaultValue("10s") Duration timeout, String trustStore, String trustStorePassword) {
    }

    /**
     * @param queue        notifications a channel holds while it is down; more are dropped and counted
     * @param attempts     deliveries tried per notification before it is counted as failed
     * @param firstDelay   the first retry's delay, doubled each retry with jitter, up to {@code maxDelay}
     */
    public record Delivery(@DefaultValue("500") int queue, @DefaultValue("8") int attempts,
                           @DefaultValue("1s") Duration firstDelay, @DefaultValue("1m") Duration maxDelay) {
    }
}
