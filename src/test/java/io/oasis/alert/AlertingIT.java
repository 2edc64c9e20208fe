package io.oasis.alert;

import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.testkit.Certificates;
import io.oasis.testkit.OasisIT;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts delivered for real: Slack, PagerDuty and a signed webhook to HTTP receivers, mail to an SMTP server in the
 * test; retries, a hanging channel, a full queue, silences by API and JMX, and the Prometheus export checked by
 * promtool. Each rule here watches its own gauge, which a test raises and lowers before evaluating by hand (the
 * timer's period is an hour).
 */
@TestPropertySource(properties = {
    "oasis.operator.password=operator-password-0123456789",
    "spring.jmx.enabled=true", "spring.jmx.registration-policy=replace_existing",
    "oasis.alerting.evaluate-every=1h",
    "oasis.alerting.repeat-every=1h",
    "oasis.alerting.dashboard-url=http://oasis.test/admin/dashboard",
    "oasis.alerting.runbook-url=http://docs.test/runbook.md",
    "oasis.alerting.delivery.attempts=4",
    "oasis.alerting.delivery.first-delay=50ms",
    "oasis.alerting.delivery.max-delay=200ms",
    "oasis.alerting.delivery.queue=2",
    "oasis.alerting.channels.team-slack.type=slack",
    "oasis.alerting.channels.team-slack.channel=#oasis-alerts",
    "oasis.alerting.channels.oncall.type=pagerduty",
    "oasis.alerting.channels.oncall.routing-key=R0UT1NGKEY",
    "oasis.alerting.channels.hooks.type=webhook",
    "oasis.alerting.channels.hooks.secret=webhook-secret-0123456789",
    "oasis.alerting.channels.flaky-hook.type=webhook",
    "oasis.alerting.channels.flaky-hook.secret=flaky-secret-0123456789",
    "oasis.alerting.channels.slow-hook.type=webhook",
    "oasis.alerting.channels.slow-hook.secret=slow-secret-0123456789",
    "oasis.alerting.channels.slow-hook.timeout=20s",
    "oasis.alerting.channels.ops-mail.type=mail",
    "oasis.alerting.channels.ops-mail.host=127.0.0.1",
    "oasis.alerting.channels.ops-mail.tls=none",
    "oasis.alerting.channels.ops-mail.username=oasis",
    "oasis.alerting.channels.ops-mail.password=mail-password",
    "oasis.alerting.channels.ops-mail.from=oasis@example.com",
    "oasis.alerting.channels.ops-mail.to=oncall@example.com",
    "oasis.alerting.rules.slack-test.metric=custom", "oasis.alerting.rules.slack-test.meter=test.alert",
    "oasis.alerting.rules.slack-test.tags.rule=slack-test", "oasis.alerting.rules.slack-test.aggregation=last",
    "oasis.alerting.rules.slack-test.threshold=0", "oasis.alerting.rules.slack-test.window=1m",
    "oasis.alerting.rules.slack-test.severity=ticket", "oasis.alerting.rules.slack-test.channels=team-slack",
    "oasis.alerting.rules.slack-test.summary=orders are failing",
    "oasis.alerting.rules.pd-test.metric=custom", "oasis.alerting.rules.pd-test.meter=test.alert",
    "oasis.alerting.rules.pd-test.tags.rule=pd-test", "oasis.alerting.rules.pd-test.aggregation=last",
    "oasis.alerting.rules.pd-test.threshold=0", "oasis.alerting.rules.pd-test.window=1m",
    "oasis.alerting.rules.pd-test.severity=page", "oasis.alerting.rules.pd-test.channels=oncall",
    "oasis.alerting.rules.pd-test.labels.team=checkout",
    "oasis.alerting.rules.hook-test.metric=custom", "oasis.alerting.rules.hook-test.meter=test.alert",
    "oasis.alerting.rules.hook-test.tags.rule=hook-test", "oasis.alerting.rules.hook-test.aggregation=last",
    "oasis.alerting.rules.hook-test.threshold=0", "oasis.alerting.rules.hook-test.window=1m",
    "oasis.alerting.rules.hook-test.channels=hooks",
    "oasis.alerting.rules.mail-test.metric=custom", "oasis.alerting.rules.mail-test.meter=test.alert",
    "oasis.alerting.rules.mail-test.tags.rule=mail-test", "oasis.alerting.rules.mail-test.aggregation=last",
    "oasis.alerting.rules.mail-test.threshold=0", "oasis.alerting.rules.mail-test.window=1m",
    "oasis.alerting.rules.mail-test.channels=ops-mail",
    "oasis.alerting.channels.tls-mail.type=mail",
    "oasis.alerting.channels.tls-mail.host=127.0.0.1",
    "oasis.alerting.channels.tls-mail.tls=ssl",
    "oasis.alerting.channels.tls-mail.username=oasis",
    "oasis.alerting.channels.tls-mail.password=mail-password",
    "oasis.alerting.channels.tls-mail.from=oasis@example.com",
    "oasis.alerting.channels.tls-mail.to=oncall@example.com",
    "oasis.alerting.channels.tls-mail.trust-store-password=changeit",
    "oasis.alerting.channels.untrusting-mail.type=mail",
    "oasis.alerting.channels.untrusting-mail.host=127.0.0.1",
    "oasis.alerting.channels.untrusting-mail.tls=ssl",
    "oasis.alerting.channels.untrusting-mail.username=oasis",
    "oasis.alerting.channels.untrusting-mail.password=mail-password",
    "oasis.alerting.channels.untrusting-mail.from=oasis@example.com",
    "oasis.alerting.channels.untrusting-mail.to=oncall@example.com",
    "oasis.alerting.rules.tls-mail-test.metric=custom", "oasis.alerting.rules.tls-mail-test.meter=test.alert",
    "oasis.alerting.rules.tls-mail-test.tags.rule=tls-mail-test",
    "oasis.alerting.rules.tls-mail-test.aggregation=last", "oasis.alerting.rules.tls-mail-test.threshold=0",
    "oasis.alerting.rules.tls-mail-test.window=1m",
    "oasis.alerting.rules.tls-mail-test.channels=tls-mail,untrusting-mail",
    "oasis.alerting.channels.starttls-mail.type=mail",
    "oasis.alerting.channels.starttls-mail.host=127.0.0.1",
    "oasis.alerting.channels.starttls-mail.tls=starttls",
    "oasis.alerting.channels.starttls-mail.username=oasis",
    "oasis.alerting.channels.starttls-mail.password=mail-password",
    "oasis.alerting.channels.starttls-mail.from=oasis@example.com",
    "oasis.alerting.channels.starttls-mail.to=oncall@example.com",
    "oasis.alerting.rules.starttls-test.metric=custom", "oasis.alerting.rules.starttls-test.meter=test.alert",
    "oasis.alerting.rules.starttls-test.tags.rule=starttls-test",
    "oasis.alerting.rules.starttls-test.aggregation=last", "oasis.alerting.rules.starttls-test.threshold=0",
    "oasis.alerting.rules.starttls-test.window=1m", "oasis.alerting.rules.starttls-test.channels=starttls-mail",
    "oasis.alerting.rules.retry-test.metric=custom", "oasis.alerting.rules.retry-test.meter=test.alert",
    "oasis.alerting.rules.retry-test.tags.rule=retry-test", "oasis.alerting.rules.retry-test.aggregation=last",
    "oasis.alerting.rules.retry-test.threshold=0", "oasis.alerting.rules.retry-test.window=1m",
    "oasis.alerting.rules.retry-test.channels=flaky-hook",
    "oasis.alerting.rules.hang-test.metric=custom", "oasis.alerting.rules.hang-test.meter=test.alert",
    "oasis.alerting.rules.hang-test.tags.rule=hang-test", "oasis.alerting.rules.hang-test.aggregation=last",
    "oasis.alerting.rules.hang-test.threshold=0", "oasis.alerting.rules.hang-test.window=1m",
    "oasis.alerting.rules.hang-test.channels=slow-hook",
    "oasis.alerting.rules.silence-test.metric=custom", "oasis.alerting.rules.silence-test.meter=test.alert",
    "oasis.alerting.rules.silence-test.tags.rule=silence-test",
    "oasis.alerting.rules.silence-test.aggregation=last", "oasis.alerting.rules.silence-test.threshold=0",
    "oasis.alerting.rules.silence-test.window=1m", "oasis.alerting.rules.silence-test.channels=hooks"})
class AlertingIT extends OasisIT {

    private static final WireMockServer RECEIVERS = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1")
            .dynamicPort().containerThreads(32));
    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:operator-password-0123456789".getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A mail server speaking TLS (smtps) with a certificate for 127.0.0.1 that only the test's trust store holds. */
    private static final GreenMail SMTPS;
    /** The same certificate, for the channel without the trust store: its refused handshakes stay on this one. */
    private static final GreenMail SMTPS_REFUSED;
    private static final Path TRUST_STORE;

    static {
        RECEIVERS.start();
        SMTP.start();
        SMTP.setUser("oasis@example.com", "oasis", "mail-password");
        try {
            Path dir = Files.createTempDirectory("oasis-mail-tls");
            Certificates.Issued server = Certificates.issue(dir, "mail");
            TRUST_STORE = Certificates.trustStore(dir, "trust", server);
            System.setProperty("greenmail.tls.keystore.file", server.keyStore().toString());
            System.setProperty("greenmail.tls.keystore.password", Certificates.PASSWORD);
            System.setProperty("greenmail.tls.key.password", Certificates.PASSWORD);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        SMTPS = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        SMTPS.start();
        SMTPS.setUser("oasis@example.com", "oasis", "mail-password");
        SMTPS_REFUSED = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
        SMTPS_REFUSED.start();
    }

    @DynamicPropertySource
    static void receivers(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + RECEIVERS.port();
        registry.add("oasis.alerting.channels.team-slack.url", () -> base + "/slack");
        registry.add("oasis.alerting.channels.oncall.url", () -> base + "/pagerduty");
        registry.add("oasis.alerting.channels.hooks.url", () -> base + "/hook");
        registry.add("oasis.alerting.channels.flaky-hook.url", () -> base + "/flaky");
        registry.add("oasis.alerting.channels.slow-hook.url", () -> base + "/slow");
        registry.add("oasis.alerting.channels.ops-mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("oasis.alerting.channels.tls-mail.port", () -> SMTPS.getSmtps().getPort());
        registry.add("oasis.alerting.channels.starttls-mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("oasis.alerting.channels.tls-mail.trust-store", TRUST_STORE::toString);
        registry.add("oasis.alerting.channels.untrusting-mail.port", () -> SMTPS_REFUSED.getSmtps().getPort());
    }

    @AfterAll
    static void stopReceivers() {
        RECEIVERS.stop();
        SMTP.stop();
        SMTPS.stop();
        SMTPS_REFUSED.stop();
    }

    private static final Map<String, AtomicInteger> GAUGES = new ConcurrentHashMap<>();

    @Autowired
    Alerting alerting;

    @Autowired
    AlertDispatcher dispatcher;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void receiversAnswer() {
        RECEIVERS.resetAll();
        RECEIVERS.stubFor(post(urlEqualTo("/slack")).willReturn(aResponse().withStatus(200).withBody("ok")));
        RECEIVERS.stubFor(post(urlEqualTo("/pagerduty")).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\"}")));
        RECEIVERS.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        RECEIVERS.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(204).withFixedDelay(2000)));
    }

    /** Sets the gauge a rule watches and evaluates, as the timer would. */
    private void raise(String rule, int value) {
        GAUGES.computeIfAbsent(rule, r -> {
            AtomicInteger gauge = new AtomicInteger();
            Gauge.builder("test.alert", gauge, AtomicInteger::get).tag("rule", r).register(registry);
            return gauge;
        }).set(value);
        alerting.evaluate();
    }

    private List<LoggedRequest> received(String path) {
        return RECEIVERS.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private double notifications(String channel, String result) {
        var counter = registry.find("oasis.alert.notifications").tag("channel", channel).tag("result", result)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void slack_firingAlert_postsOneMessageWithValueConditionAndLinks_andNoTraceHeaders() {
        raise("slack-test", 3);

        await().atMost(Duration.ofSeconds(5)).until(() -> received("/slack").size() == 1);
        LoggedRequest request = received("/slack").get(0);
        JsonNode body = readJson(request.getBodyAsString());
        String text = body.path("text").asText();
        assertThat(text).contains("[FIRING] slack-test: orders are failing")
                .contains("last of test.alert {rule=slack-test} over 1m above 0")
                .contains("Now: 3")
                .contains("<http://oasis.test/admin/dashboard|Dashboard>")
                .contains("<http://docs.test/runbook.md#custom-rules|Runbook>");
        assertThat(body.path("channel").asText()).isEqualTo("#oasis-alerts");
        assertThat(request.getHeaders().keys()).noneMatch(h -> h.equalsIgnoreCase("traceparent"));

        raise("slack-test", 3);
        raise("slack-test", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received("/slack").size() == 2);
        assertThat(readJson(received("/slack").get(1).getBodyAsString()).path("text").asText())
                .contains("[RESOLVED] slack-test");
    }

    @Test
    void pagerDuty_firingThenResolved_triggersAndResolvesUnderOneDedupKey() {
        raise("pd-test", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received("/pagerduty").size() == 1);
        raise("pd-test", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received("/pagerduty").size() == 2);

        JsonNode trigger = readJson(received("/pagerduty").get(0).getBodyAsString());
        JsonNode resolve = readJson(received("/pagerduty").get(1).getBodyAsString());
        assertThat(trigger.path("routing_key").asText()).isEqualTo("R0UT1NGKEY");
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("oasis/pd-test");
        assertThat(trigger.path("payload").path("summary").asText())
                .startsWith("pd-test: last of test.alert {rule=pd-test} over 1m above 0").contains("now 1");
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
        assertThat(trigger.path("payload").path("source").asText()).startsWith("oasis@");
        assertThat(trigger.path("payload").path("custom_details").path("labels").path("team").asText())
                .isEqualTo("checkout");
        assertThat(trigger.path("links").get(1).path("href").asText())
                .isEqualTo("http://docs.test/runbook.md#custom-rules");
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("oasis/pd-test");
        assertThat(resolve.path("routing_key").asText()).isEqualTo("R0UT1NGKEY");
    }

    @Test
    void webhook_body_isSignedWithHmacOverTimestampAndBody() throws Exception {
        raise("hook-test", 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> received("/hook").size() == 1);
        LoggedRequest request = received("/hook").get(0);
        String timestamp = request.getHeader("Oasis-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(
                mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeader("Oasis-Signature")).isEqualTo(expected);
        assertThat(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000)).isLessThan(60);
        JsonNode notification = readJson(request.getBodyAsString()).path("notifications").get(0);
        assertThat(notification.path("alert").asText()).isEqualTo("hook-test");
        assertThat(notification.path("status").asText()).isEqualTo("firing");
        assertThat(notification.path("value").asDouble()).isEqualTo(1.0);
        assertThat(notification.path("dedupKey").asText()).isEqualTo("oasis/hook-test");
    }

    @Test
    void mail_firingAlert_reachesTheSmtpServerWithSubjectBodyAndNoTraceHeaders() throws Exception {
        raise("mail-test", 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> SMTP.getReceivedMessages().length >= 1);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[Oasis] FIRING: mail-test");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("oasis@example.com");
        String body = String.valueOf(mail.getContent());
        assertThat(body).contains("Condition: last of test.alert {rule=mail-test} over 1m above 0")
                .contains("Runbook:   http://docs.test/runbook.md#custom-rules")
                .contains("Dashboard: http://oasis.test/admin/dashboard");
        assertThat(mail.getHeader("traceparent")).isNull();
    }

    @Test
    void mailOverTls_reachesAServerTrustedThroughTheChannelsTrustStore_andNotOneTheJvmDoesNotTrust() throws Exception {
        raise("tls-mail-test", 1);

        // the refused handshakes end the mail server's handler threads with an exception: not this test's failure
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> SMTPS.getReceivedMessages().length >= 1);
        assertThat(SMTPS.getReceivedMessages()).hasSize(1);
        assertThat(SMTPS.getReceivedMessages()[0].getSubject()).isEqualTo("[Oasis] FIRING: tls-mail-test");
        // the same certificate through a channel without the trust store: refused at the handshake, never sent
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> notifications("untrusting-mail", "failed") == 1);
        assertThat(notifications("untrusting-mail", "sent")).isZero();
        assertThat(notifications("untrusting-mail", "retried")).isEqualTo(3);
    }

    @Test
    void mailWithStarttlsRequired_toAServerThatOffersNone_isRefusedNotSentInClear() throws Exception {
        raise("starttls-test", 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("starttls-mail", "failed") == 1);
        assertThat(notifications("starttls-mail", "sent")).isZero();
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            assertThat(mail.getSubject()).doesNotContain("starttls-test");
        }
    }

    @Test
    void failingChannel_isRetriedWithBackoff_andDeliveredOnceItRecovers() {
        RECEIVERS.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        RECEIVERS.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        RECEIVERS.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));

        raise("retry-test", 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> notifications("flaky-hook", "sent") == 1);
        assertThat(received("/flaky")).hasSize(3);
        assertThat(notifications("flaky-hook", "retried")).isEqualTo(2);
        assertThat(notifications("flaky-hook", "failed")).isZero();
    }

    @Test
    void hangingChannel_neitherDelaysEvaluationNorRequests_andAFullQueueDropsAndCounts() {
        long start = System.nanoTime();
        raise("hang-test", 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        await().atMost(Duration.ofSeconds(5)).until(() -> received("/slow").size() == 1);

        // the receiver holds the delivery for 2 s: requests meanwhile answer as usual
        for (int i = 0; i < 10; i++) {
            long sent = System.nanoTime();
            HttpResponse<String> response = get("/api/dashboard?userId=42");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofMillis(500));
        }
        // one delivery in flight, two queued (queue: 2): the fourth and fifth are dropped, counted
        Notification n = new Notification("hang-test", "firing", true, "info", Map.of(), "s", "c", 1, "", null,
                null, "d", "r", "oasis/hang-test", List.of("slow-hook"));
        for (int i = 0; i < 4; i++) {
            dispatcher.dispatch(List.of(n));
        }
        assertThat(notifications("slow-hook", "dropped")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void silences_byTheAdminApi_holdNotificationsBack_andAreListedAndLifted() throws Exception {
        HttpResponse<String> bad = asOperator(request("/admin/alerts/silences").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"matcher\":\"silence-test\","
                + "\"duration\":\"soon\"}")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(bad.body()).contains("duration");

        HttpResponse<String> created = asOperator(request("/admin/alerts/silences").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"matcher\":\"silence-test\","
                + "\"duration\":\"1h\",\"comment\":\"deploying\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json(created).path("id").asText();

        raise("silence-test", 1);
        JsonNode alerts = json(asOperator(request("/admin/alerts").GET()));
        JsonNode alert = find(alerts.path("alerts"), "silence-test");
        assertThat(alert.path("phase").asText()).isEqualTo("FIRING");
        assertThat(alert.path("silenced").asBoolean()).isTrue();
        assertThat(alerts.path("silences").get(0).path("comment").asText()).isEqualTo("deploying");

        assertThat(asOperator(request("/admin/alerts/silences/" + id).DELETE()).statusCode()).isEqualTo(204);
        raise("silence-test", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> received("/hook").stream()
                .anyMatch(r -> r.getBodyAsString().contains("\"silence-test\"")));
        assertThat(received("/hook")).hasSize(1);
    }

    @Test
    void silences_byJmx_areSetAndLifted() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName alerts = new ObjectName("io.oasis:type=Alerts");

        String id = (String) server.invoke(alerts, "silence", new Object[] {"upstream=orders", "30m", "maintenance"},
                new String[] {"java.lang.String", "java.lang.String", "java.lang.String"});

        assertThat((String[]) server.getAttribute(alerts, "Silences")).singleElement().asString()
                .startsWith(id + ": upstream=orders until").endsWith("(maintenance)");
        assertThat(alerting.silences().silenced("orders-breaker-open", Map.of("upstream", "orders"))).isTrue();
        server.invoke(alerts, "unsilence", new Object[] {id}, new String[] {"java.lang.String"});
        assertThat((String[]) server.getAttribute(alerts, "Silences")).isEmpty();
    }

    @Test
    void operatorApi_listsObjectivesWithBudgetAndBurnRates_andTheBuiltInAlerts() {
        JsonNode alerts = json(asOperator(request("/admin/alerts").GET()));

        assertThat(alerts.path("objectives").findValuesAsText("objective"))
                .contains("availability", "error-rate", "latency-p50", "latency-p95", "latency-p99");
        assertThat(alerts.path("objectives").get(0).path("burnRate").has("1h")).isTrue();
        assertThat(alerts.path("alerts").findValuesAsText("name")).contains("dashboard-latency-p95",
                "dashboard-error-rate", "orders-breaker-open", "orders-pool-saturation",
                "dashboard-availability-burn-page", "dashboard-availability-burn-ticket",
                "dashboard-latency-p99-burn-page");
        assertThat(alerts.path("objectives").get(0).path("target").asDouble()).isEqualTo(0.999);
        assertThat(get("/admin/alerts").statusCode()).isEqualTo(401);
        HttpResponse<String> runbook = asOperator(request("/admin/runbook").GET());
        assertThat(runbook.statusCode()).isEqualTo(200);
        assertThat(runbook.body()).contains("## endpoint-latency").contains("## upstream-breaker-open");
    }

    @Test
    void prometheusExport_passesPromtool_andNamesOnlyMetricsOasisPublishes() throws Exception {
        get("/api/dashboard?userId=42");
        HttpResponse<String> export = asOperator(request("/admin/alerts/prometheus-rules").GET());
        assertThat(export.statusCode()).isEqualTo(200);
        Path rules = Files.createTempFile("oasis-rules", ".yml");
        Files.writeString(rules, export.body());

        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "rules", rules.toString()).redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool not found: install Debian's prometheus package (.ci/run does)", e);
        }
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");

        String scrape = get("/actuator/prometheus").body();
        Matcher names = Pattern.compile("oasis_[a-z_]+(?=\\{)").matcher(export.body());
        java.util.Set<String> used = new java.util.TreeSet<>();
        while (names.find()) {
            used.add(names.group());
        }
        assertThat(used).contains("oasis_endpoint_requests_seconds_bucket", "oasis_upstream_breaker_state");
        // counted only once something happened (a degraded answer, a whole-answer cache): not asked of a healthy run
        used.removeIf(n -> n.startsWith("oasis_endpoint_degraded") || n.startsWith("oasis_endpoint_cache"));
        assertThat(used).allSatisfy(name -> assertThat(scrape).contains(name + "{"));
        assertThat(scrape).contains("le=\"0.15\"").contains("le=\"0.3\"");
    }

    private HttpResponse<String> asOperator(HttpRequest.Builder request) {
        return send(request.header("Authorization", OPERATOR).build());
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode node : array) {
            if (name.equals(node.path("name").asText())) {
                return node;
            }
        }
        throw new AssertionError("no alert " + name + " in " + array);
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
