package io.oasis.endpoint;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Beyond its configured concurrency Oasis sheds requests with 503 at once instead of queueing without bound. */
@TestPropertySource(properties = "oasis.request-limits.max-in-flight=1")
class OverloadIT extends OasisIT {

    @Test
    void dashboard_maxInFlightReached_answers503ProblemWithRetryAfter() {
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(250));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> get("/api/dashboard?userId=1"));
        await().until(() -> UpstreamStubs.maxInFlight() > 0);

        HttpResponse<String> second = get("/api/dashboard?userId=2");

        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(second).path("type").asText()).isEqualTo("urn:oasis:problem:overloaded");
        assertThat(first.join().statusCode()).isEqualTo(200);
    }

    @Test
    void dashboard_afterAnswersAndFailures_admitsAgain() {
        UpstreamStubs.failing("orders", 500);
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/dashboard?userId=x").statusCode()).isEqualTo(400);
            assertThat(get("/api/dashboard?userId=" + i).statusCode()).isEqualTo(200);
        }

        assertThat(get("/actuator/prometheus").body()).contains("oasis_requests_in_flight 0.0");
        assertThat(get("/api/dashboard?userId=9").statusCode()).isEqualTo(200);
    }
}
