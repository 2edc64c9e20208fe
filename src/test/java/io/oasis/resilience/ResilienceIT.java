package io.oasis.resilience;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static io.oasis.testkit.UpstreamStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each upstream's protection against a real stub playing one failure: circuit breaker (recommendations), retries
 * and answer size (cart), the retry budget (orders), bulkhead (loyalty), rate limit (tier-recommendations), and
 * fault injection. Breakers are reset before each test; each retry budget serves one kind of test.
 */
@TestPropertySource(properties = {
    "oasis.upstreams.recommendations.retry.attempts=1",
    "oasis.upstreams.recommendations.breaker.minimum-calls=4",
    "oasis.upstreams.recommendations.breaker.open-duration=300ms",
    "oasis.upstreams.recommendations.breaker.half-open-calls=2",
    "oasis.upstreams.orders.retry.attempts=3",
    "oasis.upstreams.orders.retry.budget-min-per-second=1",
    "oasis.upstreams.orders.breaker.minimum-calls=1000",
    "oasis.upstreams.cart.retry.attempts=3",
    "oasis.upstreams.cart.retry.base-delay=40ms",
    "oasis.upstreams.cart.retry.max-delay=80ms",
    "oasis.upstreams.cart.retry.budget-min-per-second=100",
    "oasis.upstreams.cart.breaker.minimum-calls=1000",
    "oasis.upstreams.cart.max-body-size=1KB",
    "oasis.upstreams.loyalty.max-in-flight=1",
    "oasis.upstreams.tier-recommendations.rate-limit.requests=2",
    "oasis.upstreams.tier-recommendations.rate-limit.per=1h",
    "oasis.fault-injection.enabled=true",
    "oasis.fault-injection.token=test-token-0123456789"})
class ResilienceIT extends OasisIT {

    private static final String TOKEN = "test-token-0123456789";

    private JsonNode part(HttpResponse<String> response, String part) {
        return json(response).path("_meta").path("parts").path(part);
    }

    private int requestsTo(String upstream) {
        return SERVER.findAll(getRequestedFor(urlPathMatching("/" + upstream + "/.*"))).size();
    }

    @Test
    void breaker_failuresReachTheThreshold_opensAndStopsCallingTheUpstream() {
        answer("recommendations", aResponse().withStatus(500));
        for (int i = 0; i < 4; i++) {
            get("/api/dashboard?userId=42");
        }
        assertThat(upstreams.all().get("recommendations").protection().breaker().getState())
                .isEqualTo(CircuitBreaker.State.OPEN);
        int calledBefore = requestsTo("recommendations");

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/api/dashboard?userId=42");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(part(response, "recommendations").path("reason").asText())
                    .isEqualTo("not called: circuit breaker open");
        }

        assertThat(requestsTo("recommendations")).isEqualTo(calledBefore);
        assertThat(get("/actuator/prometheus").body())
                .contains("oasis_upstream_breaker_state{upstream=\"recommendations\"} 1.0")
                .containsPattern("oasis_upstream_breaker_transitions_total\\{to=\"open\",upstream=\"recommendations\"\\} [1-9]")
                .containsPattern("oasis_upstream_calls_seconds_count\\{outcome=\"short_circuited\",upstream=\"recommendations\"\\} [1-9]");
    }

    @Test
    void breaker_clientErrors_doNotOpenIt() {
        answer("recommendations", aResponse().withStatus(404));

        for (int i = 0; i < 8; i++) {
            assertThat(part(get("/api/dashboard?userId=42"), "recommendations").path("reason").asText())
                    .isEqualTo("upstream answered 404");
        }

        assertThat(upstreams.all().get("recommendations").protection().breaker().getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void breaker_upstreamRecovers_halfOpenProbesCloseIt() {
        answer("recommendations", aResponse().withStatus(503));
        for (int i = 0; i < 4; i++) {
            get("/api/dashboard?userId=42");
        }
        CircuitBreaker breaker = upstreams.all().get("recommendations").protection().breaker();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        answer("recommendations", okJson("[{\"sku\":\"back\"}]"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> response = get("/api/dashboard?userId=42");
            assertThat(part(response, "recommendations").path("status").asText()).isEqualTo("ok");
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        });
    }

    @Test
    void retry_upstreamAnswers503_retriesTwiceWithGrowingJitteredBackoff() {
        answer("cart", aResponse().withStatus(503));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(part(response, "cart").path("attempts").asInt()).isEqualTo(3);
        List<LoggedRequest> sent = SERVER.findAll(getRequestedFor(urlPathMatching("/cart/.*")));
        assertThat(sent).hasSize(3);
        long firstGap = sent.get(1).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime();
        long secondGap = sent.get(2).getLoggedDate().getTime() - sent.get(1).getLoggedDate().getTime();
        // full jitter: up to 40 ms, then up to 80 ms, plus the time to answer and send (slack 60 ms)
        assertThat(firstGap).isBetween(0L, 40L + 60L);
        assertThat(secondGap).isBetween(0L, 80L + 60L);
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("oasis_upstream_retries_total\\{upstream=\"cart\"\\} [2-9]");
    }

    @Test
    void retry_connectionReset_isRetried() {
        answer("cart", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThat(part(get("/api/dashboard?userId=42"), "cart").path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void retry_500_isNotRetried() {
        answer("cart", aResponse().withStatus(500));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(part(response, "cart").has("attempts")).isFalse();
        assertThat(requestsTo("cart")).isEqualTo(1);
    }

    @Test
    void retry_429WithRetryAfterBeyondTheBudget_isNotRetried() {
        answer("cart", aResponse().withStatus(429).withHeader("Retry-After", "5"));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(requestsTo("cart")).isEqualTo(1);
        assertThat(part(response, "cart").path("reason").asText()).isEqualTo("upstream answered 429");
    }

    @Test
    void retry_503WithRetryAfterBeyondTheBudget_isNotRetried() {
        answer("cart", aResponse().withStatus(503).withHeader("Retry-After", "5"));

        get("/api/dashboard?userId=42");

        assertThat(requestsTo("cart")).isEqualTo(1);
    }

    @Test
    void retry_429WithRetryAfterWithinTheBudget_isRetried() {
        answer("cart", aResponse().withStatus(429).withHeader("Retry-After", "0"));

        get("/api/dashboard?userId=42");

        assertThat(requestsTo("cart")).isEqualTo(3);
    }

    @Test
    void retryBudget_upstreamFailingEveryCall_capsTheExtraLoad() {
        answer("orders", aResponse().withStatus(503));

        for (int i = 0; i < 40; i++) {
            get("/api/dashboard?userId=42");
        }

        // without a budget: 40 x 3 = 120 requests; with it: 40 + max(10 % of 40, 1 per second x 10 s)
        assertThat(requestsTo("orders")).isLessThanOrEqualTo(40 + 10);
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("oasis_upstream_retries_denied_total\\{upstream=\"orders\"\\} [1-9]");
    }

    @Test
    void maxBodySize_answerLargerThanTheLimit_failsThePartWithoutReadingIt() {
        answer("cart", okJson("{\"items\":[\"" + "x".repeat(4096) + "\"]}"));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(part(response, "cart").path("status").asText()).isEqualTo("default");
        assertThat(part(response, "cart").path("reason").asText()).isEqualTo("upstream answer larger than 1024 bytes");
    }

    @Test
    void maxBodySize_chunkedAnswerWithoutLength_isCutWhenItPassesTheLimit() {
        answer("cart", okJson("{\"items\":[\"" + "x".repeat(4096) + "\"]}").withChunkedDribbleDelay(8, 40));

        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(part(response, "cart").path("reason").asText()).isEqualTo("upstream answer larger than 1024 bytes");
    }

    @Test
    void bulkhead_upstreamAtItsCallsInFlight_rejectsTheNextCallAtOnce() {
        answer("loyalty", okJson("{\"tier\":\"gold\"}").withFixedDelay(300));
        List<String> reasons = concurrently(3, 3, () -> get("/api/dashboard?userId=42")).stream()
                .map(r -> part(r, "loyalty").path("reason").asText()).toList();

        assertThat(reasons).contains("not called: 1 calls to the upstream are already in flight");
    }

    @Test
    void upstreamRateLimit_exhausted_partTakesItsPolicyWithoutCalling() {
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(part(get("/api/dashboard?userId=42"), "tierRecommendations").path("reason").asText(""));
        }

        assertThat(statuses).contains("not called: the upstream's rate limit is reached");
        assertThat(requestsTo("tier-recommendations")).isLessThanOrEqualTo(2);
    }

    @Test
    void faultInjection_withToken_failsTheNamedUpstreamWithoutCallingIt() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=42")
                .header("Oasis-Fault", "orders=fail:503").header("Oasis-Fault-Token", TOKEN).GET().build());

        assertThat(part(response, "orders").path("reason").asText()).isEqualTo("injected fault: 503");
        assertThat(requestsTo("orders")).isZero();
        assertThat(upstreams.all().get("orders").protection().breaker().getMetrics().getNumberOfFailedCalls())
                .isZero();
    }

    @Test
    void faultInjection_delayBeyondTheBudget_failsTheRequiredPartWith504() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=42")
                .header("Oasis-Fault", "profile=delay:2s").header("Oasis-Fault-Token", TOKEN).GET().build());

        assertThat(response.statusCode()).isEqualTo(504);
    }

    @Test
    void faultInjection_withoutTheToken_isIgnored() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=42")
                .header("Oasis-Fault", "orders=fail:503").header("Oasis-Fault-Token", "guess").GET().build());

        assertThat(part(response, "orders").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void faultInjection_malformedHeader_is400() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=42")
                .header("Oasis-Fault", "orders=explode").header("Oasis-Fault-Token", TOKEN).GET().build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("detail").asText()).contains("orders=explode");
    }

    @Test
    void isolation_ordersHangs_anEndpointWithoutOrdersKeepsItsLatency() {
        SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/orders/.*")).atPriority(1)
                .willReturn(okJson("[]").withFixedDelay(2000)));
        List<Supplier<HttpResponse<String>>> work = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            work.add(() -> get("/api/dashboard?userId=42"));
        }
        CompletableFuture<List<HttpResponse<String>>> dashboards =
                CompletableFuture.supplyAsync(() -> concurrently(20, work));
        await().until(() -> requestsTo("orders") >= 10);

        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> card = get("/test/card?userId=42");
            assertThat(card.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(250));
        }
        assertThat(dashboards.join()).allSatisfy(d -> assertThat(d.statusCode()).isEqualTo(200));
    }
}
