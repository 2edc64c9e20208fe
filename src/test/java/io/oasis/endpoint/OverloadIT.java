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

    /** Where the application is mounted (server.servlet.context-path); empty here. */
    protected String contextPath() {
        return "";
    }

    private HttpResponse<String> at(String path) {
        return get(contextPath() + path);
    }

    @Test
    void dashboard_maxInFlightReached_answers503ProblemWithRetryAfter() {
        // the request path warm first, so that the slow call below stays within its timeout on a cold JVM
        assertThat(at("/api/dashboard?userId=9").statusCode()).isEqualTo(200);
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(250));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> at("/api/dashboard?userId=1"));
        await().until(() -> UpstreamStubs.maxInFlight() > 0);

        HttpResponse<String> second = at("/api/dashboard?userId=2");

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
            assertThat(at("/api/dashboard?userId=x").statusCode()).isEqualTo(400);
            assertThat(at("/api/dashboard?userId=" + i).statusCode()).isEqualTo(200);
        }

        assertThat(at("/actuator/prometheus").body()).contains("oasis_requests_in_flight 0.0");
        assertThat(at("/api/dashboard?userId=9").statusCode()).isEqualTo(200);
    }
}
