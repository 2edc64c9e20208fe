package io.oasis.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bodies on every path, in a JVM with the flags as shipped (jvm.options: a 288 MB heap that exits on out of memory):
 * a body larger than the limit is refused before it is read and before any credential is looked at, whichever path
 * it is sent to, and a body dripped a byte at a time holds no request thread past the body deadline.
 */
@TestPropertySource(properties = {"oasis.cache.admin-token=body-limits-admin-token",
    "oasis.cache.webhook.secret=body-limits-webhook-secret", "oasis.operator.password=body-limits-operator-password",
    "oasis.request-limits.body-timeout=2s"})
class BodyLimitsShippedIT extends OasisIT {

    private static final long FOUR_HUNDRED_MB = 400L * 1024 * 1024;

    @Test
    void webhook_400MbBodyWithoutCredentials_is413AndTheInstanceLives() {
        double before = refused("body-too-large");
        try (RawHttp client = new RawHttp(port)) {
            client.write(("POST /webhooks/cache-invalidation HTTP/1.1\r\nHost: oasis\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + FOUR_HUNDRED_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long sent = client.stream(FOUR_HUNDRED_MB);

            assertThat(sent).as("the server stopped reading long before the end").isLessThan(FOUR_HUNDRED_MB);
        }
        // the 413 is written before the connection closes; a client still sending may see a reset instead
        assertThat(refused("body-too-large")).isEqualTo(before + 1);
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();
    }

    @Test
    void admin_400MbChunkedBodyWithoutCredentials_is413AndTheInstanceLives() {
        double before = refused("body-too-large");
        try (RawHttp client = new RawHttp(port)) {
            client.write(("POST /admin/cache/invalidate HTTP/1.1\r\nHost: oasis\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            while (sent < FOUR_HUNDRED_MB && client.write(chunk)) {
                sent += 0x10000;
            }

            assertThat(sent).isLessThan(FOUR_HUNDRED_MB);
        }
        assertThat(refused("body-too-large")).isEqualTo(before + 1);
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/cache-invalidation", "/admin/cache/invalidate", "/admin/alerts/silences",
        "/actuator/jolokia", "/login", "/no/such/path"})
    void anyPath_bodyAnnouncedLargerThanTheLimit_is413BeforeItIsSent(String path) {
        String answer = RawHttp.exchange(port, "POST " + path + " HTTP/1.1\r\nHost: oasis\r\nContent-Type: "
                + "application/json\r\nContent-Length: 10485760\r\n\r\n{");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("urn:oasis:problem:body-too-large");
    }

    private double refused(String reason) {
        String line = get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("oasis_requests_refused_total{reason=\"" + reason + "\"")).findFirst()
                .orElse("x 0");
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void drippedBodies_toTheWebhookAndAnEndpoint_holdNoThreadPastTheBodyDeadline_andDashboardsAreServed() {
        long now = System.currentTimeMillis() / 1000;
        List<RawHttp> drippers = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 100; i++) {
                RawHttp client = new RawHttp(port);
                String head = i % 2 == 0
                        ? "POST /webhooks/cache-invalidation HTTP/1.1\r\nHost: oasis\r\nContent-Type: application/json"
                        + "\r\nOasis-Timestamp: " + now + "\r\nOasis-Signature: sha256=" + "0".repeat(64)
                        + "\r\nContent-Length: 1000\r\n\r\n"
                        : "GET /api/dashboard?userId=42 HTTP/1.1\r\nHost: oasis\r\nContent-Length: 1000\r\n\r\n";
                client.write(head.getBytes(StandardCharsets.US_ASCII));
                drippers.add(client);
            }
            // one byte each every 500 ms: well inside Tomcat's per-read timeout, so only a whole-body deadline cuts them
            drip.scheduleAtFixedRate(() -> drippers.forEach(c -> c.write(new byte[] {'x'})), 0, 500,
                    TimeUnit.MILLISECONDS);

            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThatAnswer(get("/api/dashboard?userId=7")).isOk();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }
            await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
                List<Integer> open = new ArrayList<>();
                for (int i = 0; i < drippers.size(); i++) {
                    if (!drippers.get(i).closedByServer(10)) {
                        open.add(i);
                    }
                }
                assertThat(open).as("still open").isEmpty();
            });
        } finally {
            drip.shutdownNow();
            drippers.forEach(RawHttp::close);
        }
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();
    }
}
