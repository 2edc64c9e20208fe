package io.oasis.cache;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.ManualClock;
import io.oasis.testkit.ManualClockConfiguration;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static io.oasis.testkit.UpstreamStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Profile cached in this instance (ttl 60 s, stale-while-revalidate 30 s, stale-if-error 10 min), time moved by
 * an injected clock; and every way of invalidating it.
 */
@TestPropertySource(properties = {
    "oasis.upstreams.profile.cache.ttl=60s",
    "oasis.upstreams.profile.cache.stale-while-revalidate=30s",
    "oasis.upstreams.profile.cache.stale-if-error=10m",
    "oasis.upstreams.profile.forward-headers=Accept-Language,Authorization",
    "oasis.cache.admin-token=admin-token-0123456789",
    "oasis.cache.webhook.secret=webhook-secret-0123456789",
    // Spring Boot switches JMX off in tests unless asked
    "spring.jmx.enabled=true",
    // the test JVM holds contexts cached from other test classes; one Oasis per JVM in production
    "spring.jmx.registration-policy=replace_existing"})
@Import(ManualClockConfiguration.class)
class CacheIT extends OasisIT {

    private static final Path EVENTS = events();

    @DynamicPropertySource
    static void eventSource(DynamicPropertyRegistry registry) {
        registry.add("oasis.cache.event-sources[0]", () -> "file:" + EVENTS + "?delete=true&initialDelay=0&delay=50");
    }

    @Autowired
    ManualClock clock;

    @BeforeEach
    void emptyCaches() {
        upstreams.all().values().forEach(u -> {
            if (u.cache() != null) {
                u.cache().invalidateAll();
            }
        });
    }

    private int profileCalls() {
        return SERVER.findAll(getRequestedFor(urlPathMatching("/profile/.*"))).size();
    }

    private JsonNode profile(HttpResponse<String> response) {
        return json(response).path("_meta").path("parts").path("profile");
    }

    @Test
    void withinTtl_answersFromCacheWithoutCallingAgain() {
        get("/api/dashboard?userId=42");
        clock.advance(Duration.ofSeconds(30));

        HttpResponse<String> second = get("/api/dashboard?userId=42");

        assertThat(profileCalls()).isEqualTo(1);
        assertThat(profile(second).path("status").asText()).isEqualTo("cached");
        assertThat(profile(second).path("ageMs").asLong()).isEqualTo(30_000);
        assertThat(second.headers().firstValue("Oasis-Degraded")).isEmpty();
        assertThat(json(second).path("profile").path("name").asText()).isEqualTo("Test User");
    }

    @Test
    void ttlAndWindowsPassed_theNextRequestCallsAgain() {
        get("/api/dashboard?userId=42");
        clock.advance(Duration.ofMinutes(11));

        assertThat(profile(get("/api/dashboard?userId=42")).path("status").asText()).isEqualTo("ok");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void otherParameterValue_isAnotherEntry() {
        get("/api/dashboard?userId=42");
        get("/api/dashboard?userId=43");

        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void staleWhileRevalidate_answersAtOnceAndRefreshesOnceInTheBackground() throws Exception {
        get("/api/dashboard?userId=42");
        answer("profile", okJson("{\"name\":\"Renamed\"}").withFixedDelay(1000));
        clock.advance(Duration.ofSeconds(70));

        long start = System.nanoTime();
        for (HttpResponse<String> response : concurrently(5, 5, () -> get("/api/dashboard?userId=42"))) {
            assertThat(json(response).path("profile").path("name").asText()).isEqualTo("Test User");
            assertThat(profile(response).path("status").asText()).isEqualTo("cached");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                json(get("/api/dashboard?userId=42")).path("profile").path("name").asText()).isEqualTo("Renamed"));
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void concurrentMisses_onOneKey_makeOneUpstreamCall() throws Exception {
        answer("profile", okJson("{\"name\":\"Slow\"}").withFixedDelay(300));
        for (HttpResponse<String> response : concurrently(50, 50, () -> get("/api/dashboard?userId=42"))) {
            JsonNode body = json(response);
            assertThat(body.path("profile").path("name").asText()).as(body.toString()).isEqualTo("Slow");
        }

        assertThat(profileCalls()).isEqualTo(1);
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("oasis_cache_requests_total\\{result=\"coalesced\",upstream=\"profile\"} [1-9]");
    }

    @Test
    void twoCallers_withTheirOwnAuthorization_neverSeeEachOthersAnswers() throws Exception {
        for (String user : List.of("alice", "bob")) {
            SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/profile/users/7"))
                    .withHeader("Authorization", equalTo("Bearer " + user)).atPriority(1)
                    .willReturn(okJson("{\"name\":\"" + user + "\"}").withFixedDelay(50)));
        }
        List<Supplier<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String user = i % 2 == 0 ? "alice" : "bob";
            checks.add(() -> user.equals(json(send(request("/api/dashboard?userId=7")
                    .header("Authorization", "Bearer " + user).GET().build())).path("profile").path("name").asText()));
        }

        assertThat(concurrently(20, checks)).containsOnly(true);
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void staleIfError_upstreamFailsAfterTheTtl_servesTheCachedValueWithItsAge() {
        get("/api/dashboard?userId=42");
        answer("profile", aResponse().withStatus(500));
        clock.advance(Duration.ofMinutes(5));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(profile(response).path("status").asText()).isEqualTo("stale");
        assertThat(profile(response).path("ageMs").asLong()).isEqualTo(300_000);
        assertThat(profile(response).path("reason").asText()).isEqualTo("upstream answered 500");
        assertThat(response.headers().firstValue("Oasis-Degraded")).hasValue("profile");
        assertThat(json(response).path("profile").path("name").asText()).isEqualTo("Test User");
    }

    @Test
    void staleIfError_pastItsWindow_theRequiredPartFails() {
        get("/api/dashboard?userId=42");
        answer("profile", aResponse().withStatus(500));
        clock.advance(Duration.ofMinutes(11));

        assertThat(get("/api/dashboard?userId=42").statusCode()).isEqualTo(502);
    }

    @Test
    void adminApi_byTag_dropsTheEntry() {
        get("/api/dashboard?userId=42");

        HttpResponse<String> response = admin("{\"tag\":\"user:42\",\"reason\":\"profile edited\"}",
                "Bearer admin-token-0123456789");

        assertThat(response.statusCode()).isEqualTo(202);
        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void adminApi_withoutTheToken_is401AndDropsNothing() {
        get("/api/dashboard?userId=42");

        HttpResponse<String> response = admin("{\"all\":true}", "Bearer guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(1);
    }

    @Test
    void adminApi_byUpstreamAndByPrefix_dropTheirEntries() {
        get("/api/dashboard?userId=42");
        admin("{\"prefix\":\"profile:/profile/users/4\"}", "Bearer admin-token-0123456789");
        get("/api/dashboard?userId=42");
        admin("{\"upstream\":\"profile\"}", "Bearer admin-token-0123456789");
        get("/api/dashboard?userId=42");

        assertThat(profileCalls()).isEqualTo(3);
        assertThat(admin("{\"nothing\":1}", "Bearer admin-token-0123456789").statusCode()).isEqualTo(400);
    }

    @Test
    void webhook_signedAndFresh_dropsTheEntry() throws Exception {
        get("/api/dashboard?userId=42");
        String body = "{\"tags\":[\"user:42\"],\"reason\":\"crm update\"}";
        long timestamp = clock.nowMillis() / 1000;

        HttpResponse<String> response = webhook(body, timestamp, sign(timestamp, body));

        assertThat(response.statusCode()).isEqualTo(202);
        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void webhook_forgedOldOrReplayed_is401AndDropsNothing() throws Exception {
        get("/api/dashboard?userId=42");
        String body = "{\"tag\":\"user:42\"}";
        long now = clock.nowMillis() / 1000;

        assertThat(webhook(body, now, sign(now, "{\"tag\":\"user:43\"}")).statusCode()).isEqualTo(401);
        long old = now - 600;
        assertThat(webhook(body, old, sign(old, body)).statusCode()).isEqualTo(401);
        String genuine = sign(now, body);
        assertThat(webhook(body, now, genuine).statusCode()).isEqualTo(202);
        get("/api/dashboard?userId=42");
        assertThat(webhook(body, now, genuine).statusCode()).isEqualTo(401);

        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void eventSource_messageNamingATag_dropsTheEntry() throws IOException {
        get("/api/dashboard?userId=42");

        Files.writeString(EVENTS.resolve("event-1.json"), "{\"tags\":[\"user:42\"],\"reason\":\"kafka test\"}");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            get("/api/dashboard?userId=42");
            assertThat(profileCalls()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void jmxOperation_invalidateTag_dropsTheEntry() throws Exception {
        get("/api/dashboard?userId=42");

        ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("io.oasis:type=Cache"), "invalidateTag",
                new Object[] {"user:42"}, new String[] {String.class.getName()});

        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void webhook_sameSignatureSpeltAnotherWay_isAReplayAndRefused() throws Exception {
        long now = clock.nowMillis() / 1000;
        String body = "{\"tag\":\"user:1\",\"reason\":\"replay\"}";
        String signature = sign(now, body);
        String hex = signature.substring("sha256=".length());

        assertThat(webhook(body, now, signature).statusCode()).isEqualTo(202);
        assertThat(webhook(body, now, "sha256=" + hex.toUpperCase(java.util.Locale.ROOT)).statusCode()).isEqualTo(401);
        assertThat(webhook(body, now, "sha256= " + hex + " ").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> admin(String body, String authorization) {
        return send(request("/admin/cache/invalidate").header("Content-Type", "application/json")
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> webhook(String body, long timestamp, String signature) {
        return send(request("/webhooks/cache-invalidation").header("Content-Type", "application/json")
                .header("Oasis-Timestamp", Long.toString(timestamp)).header("Oasis-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String sign(long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Path events() {
        try {
            return Files.createTempDirectory("oasis-events");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
